/**
 * The demo's business systems speak MCP: each is an MCP server built with the official TypeScript SDK
 * (a low-level `Server` per request, served statelessly by `createMcpHandler`, both protocol revisions) on
 * a real HTTP server at `<url>/mcp`. The handlers see the request, so each system checks its own
 * credential — a Warden grant, or the static API key only Warden holds.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createMcpHandler, type Server } from '@modelcontextprotocol/server';
import type { DemoServer } from './http.js';

export interface McpDemoServer extends DemoServer {
  /** Where MCP clients (Warden) connect: `<url>/mcp`. */
  mcpUrl: string;
}

/**
 * `intercept` sees each request first and may answer it instead of the MCP server (a test's misbehaving
 * upstream, say).
 */
export async function serveMcp(
  serverFor: (request: Request) => Server,
  options: { intercept?: (request: Request) => Response | null; port?: number } = {},
): Promise<McpDemoServer> {
  const handler = createMcpHandler(({ requestInfo }) => serverFor(requestInfo!));
  const server = http.createServer(async (req, res) => {
    if ((req.url ?? '/').split('?')[0] !== '/mcp') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, String(v));
    const body = Buffer.concat(chunks);
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method!,
      headers,
      ...(body.length ? { body: new Uint8Array(body) } : {}),
    });
    const response = options.intercept?.(request) ?? (await handler.fetch(request));
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => (out[k] = v));
    res.writeHead(response.status, out);
    if (response.body) Readable.fromWeb(response.body as never).pipe(res);
    else res.end();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    mcpUrl: `${url}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
