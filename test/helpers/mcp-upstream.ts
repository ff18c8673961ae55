/**
 * An upstream MCP server for tests, built with the official TypeScript SDK (low-level Server, served by
 * createMcpHandler for both protocol revisions) on a real HTTP server. Its tools can be changed while it
 * runs (a rug pull), it records every call with the Authorization header it arrived with, and it can be
 * told to require a secret, to answer slowly or to answer garbage.
 */
import { ProtocolError, Server, type CallToolResult, type Tool } from '@modelcontextprotocol/server';
import { serveMcp } from '../../demo/mcp.js';

export interface UpstreamCall {
  name: string;
  arguments: Record<string, unknown>;
  authorization: string | null;
}

export interface TestUpstream {
  url: string;
  tools: Tool[];
  /** Every call received (unless `record` is false). */
  calls: UpstreamCall[];
  record: boolean;
  /** Every Authorization header the server saw (list and call). */
  authorizations: (string | null)[];
  /** When set, requests without `Authorization: <requiredAuthorization>` get 401. */
  requiredAuthorization: string | null;
  /** Milliseconds to wait before answering a call. */
  delayMs: number;
  /** Answer every POST with this text instead of MCP. */
  garbage: string | null;
  /** Answer tools/call with this JSON-RPC error (the upstream's own refusal). */
  failWith: { code: number; message: string } | null;
  close(): Promise<void>;
}

export async function startMcpUpstream(tools: Tool[], listenPort = 0): Promise<TestUpstream> {
  const state: Omit<TestUpstream, 'url' | 'close'> = {
    tools,
    calls: [],
    record: true,
    authorizations: [],
    requiredAuthorization: null,
    delayMs: 0,
    garbage: null,
    failWith: null,
  };
  const served = await serveMcp(
    (requestInfo) => {
      const server = new Server({ name: 'test-upstream', version: '1.0.0' }, { capabilities: { tools: {} } });
      server.setRequestHandler('tools/list', () => ({ tools: state.tools }));
      server.setRequestHandler('tools/call', async (request, ctx): Promise<CallToolResult> => {
        if (state.record)
          state.calls.push({
            name: request.params.name,
            arguments: request.params.arguments ?? {},
            authorization: requestInfo.headers.get('authorization'),
          });
        if (state.failWith) throw new ProtocolError(state.failWith.code, state.failWith.message);
        const token = ctx.mcpReq._meta?.progressToken;
        if (state.delayMs) {
          if (token !== undefined)
            await ctx.mcpReq.notify({
              method: 'notifications/progress',
              params: { progressToken: token, progress: 1 },
            });
          await new Promise((r) => setTimeout(r, state.delayMs));
        }
        return {
          content: [{ type: 'text', text: `${request.params.name} done: ${JSON.stringify(request.params.arguments)}` }],
        };
      });
      return server;
    },
    {
      port: listenPort,
      intercept: (request) => {
        const authorization = request.headers.get('authorization');
        if (state.record) state.authorizations.push(authorization);
        if (state.requiredAuthorization && authorization !== state.requiredAuthorization)
          return Response.json({ error: 'invalid_token' }, { status: 401 });
        if (state.garbage !== null && request.method === 'POST')
          return new Response(state.garbage, { headers: { 'content-type': 'application/json' } });
        return null;
      },
    },
  );
  return Object.assign(state, {
    url: served.mcpUrl,
    close: served.close,
  }) as TestUpstream;
}
