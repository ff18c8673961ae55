/**
 * A minimal MCP client for load (revision 2025-11-25 over Streamable HTTP): one keep-alive socket per
 * caller, `initialize` once (keeping the session id if the server gives one), then bare `tools/call` and
 * `tools/list` POSTs. The same client for Warden, the upstream and the peer, so its own cost is equal.
 */
import http from 'node:http';

const PROTOCOL = '2025-11-25';

export class McpSession {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private sessionId: string | null = null;
  private seq = 0;

  constructor(
    private readonly url: string,
    private readonly bearer: string | null = null,
  ) {}

  private post(body: unknown, initialized: boolean): Promise<{ status: number; message: any }> {
    const payload = JSON.stringify(body);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'content-length': Buffer.byteLength(payload),
      ...(initialized ? { 'mcp-protocol-version': PROTOCOL } : {}),
      ...(this.sessionId ? { 'mcp-session-id': this.sessionId } : {}),
      ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
    };
    return new Promise((resolve, reject) => {
      const req = http.request(this.url, { method: 'POST', agent: this.agent, headers }, (res) => {
        const session = res.headers['mcp-session-id'];
        if (typeof session === 'string') this.sessionId = session;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          // JSON, or an SSE stream whose last data line is the response.
          const data = [...text.matchAll(/^data: (.*)$/gm)].at(-1)?.[1];
          let message: any;
          try {
            message = text ? JSON.parse(data ?? text) : null;
          } catch {
            message = null;
          }
          resolve({ status: res.statusCode ?? 0, message });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  async initialize(): Promise<void> {
    const init = await this.post(
      {
        jsonrpc: '2.0',
        id: ++this.seq,
        method: 'initialize',
        params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'bench', version: '1.0.0' } },
      },
      false,
    );
    if (init.status !== 200 || !init.message?.result)
      throw new Error(`initialize failed: HTTP ${init.status} ${JSON.stringify(init.message).slice(0, 200)}`);
    await this.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, true);
  }

  /** One tools/call; true when the server answered with a result that is not an error. */
  async call(name: string, args: Record<string, unknown>): Promise<boolean> {
    const r = await this.post(
      { jsonrpc: '2.0', id: ++this.seq, method: 'tools/call', params: { name, arguments: args } },
      true,
    );
    if (r.status !== 200 || !r.message?.result || r.message.result.isError)
      throw new Error(`tools/call: HTTP ${r.status} ${JSON.stringify(r.message).slice(0, 200)}`);
    return true;
  }

  async list(): Promise<boolean> {
    const r = await this.post({ jsonrpc: '2.0', id: ++this.seq, method: 'tools/list', params: {} }, true);
    if (r.status !== 200 || !Array.isArray(r.message?.result?.tools))
      throw new Error(`tools/list: HTTP ${r.status} ${JSON.stringify(r.message).slice(0, 200)}`);
    return true;
  }

  close(): void {
    this.agent.destroy();
  }
}
