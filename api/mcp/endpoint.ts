/**
 * Warden's MCP endpoint, one per MCP server registered as a tool: `<public URL>/mcp/<tool>`. Agents connect
 * with any MCP client (Streamable HTTP, the current revision or the previous one) and an access token whose
 * audience is that endpoint (RFC 8707; RFC 9728 metadata beside it). What they see and do there:
 *
 * - `tools/list`: the upstream's tools that are pinned, not quarantined, and allowed to this agent. Each
 *   listing is compared with the pins; a changed or new definition is quarantined (rug-pull defence).
 * - `tools/call`: decided exactly like `requestAction` — routine calls on the agent's workflow, the rest in
 *   their own action workflow, bound to the call (tool + argument hash) — then forwarded with the upstream
 *   credential Warden holds, refused with the decision's reasons, or held for a person for a bounded wait.
 *
 * The endpoint is stateless (the SDK's per-request serving for both revisions): any API process serves any
 * request, and every request is authenticated — a contained or logged-out agent's next call is refused.
 */
import type http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createMcpHandler, Server, type AuthInfo, type Tool } from '@modelcontextprotocol/server';
import { TokenError } from '../../tokens/errors.js';
import { bearerToken, sendJson } from '../oauth/http.js';
import { protectedResourceMetadataUrl } from '../oauth/metadata.js';
import type { Caller, McpEndpointDeps } from './caller.js';
import { createToolCalls } from './tool-calls.js';
import { createToolSurface } from './tool-surface.js';

export const MCP_PATH = /^\/mcp\/([a-z0-9][a-z0-9-]{0,62})$/;
const MAX_BODY_BYTES = 1024 * 1024;
const SERVER_INFO = { name: 'warden', version: '0.1.0' };

export function createMcpEndpoint(deps: McpEndpointDeps) {
  const { services } = deps;
  const publicOrigin = new URL(deps.publicUrl).origin;

  const handler = createMcpHandler((ctx) => serverFor(ctx.authInfo?.extra?.caller as Caller), {
    legacy: 'stateless',
    responseMode: 'auto',
    maxRequestBodySize: MAX_BODY_BYTES,
    onerror: () => undefined, // refusals are answered and audited where they happen
  });

  const { visibleTools } = createToolSurface(deps);
  const { callTool } = createToolCalls(deps);

  function serverFor(caller: Caller): Server {
    const server = new Server(SERVER_INFO, {
      capabilities: { tools: { listChanged: false } },
      instructions: `Tools of ${caller.tool.name}, through Warden: every call is checked against your agent's policy and may be held for a person's approval.`,
    });
    server.setRequestHandler('tools/list', async () => ({ tools: (await visibleTools(caller)) as Tool[] }));
    server.setRequestHandler('tools/call', (request, ctx) =>
      callTool(caller, request.params.name, request.params.arguments ?? {}, ctx),
    );
    return server;
  }

  return async (req: http.IncomingMessage, res: http.ServerResponse, path: string) => {
    const name = MCP_PATH.exec(path)?.[1];
    const tool = name ? await services.tools.find(name) : null;
    if (!tool?.mcp) return sendJson(res, 404, { error: 'not_found', message: 'No MCP tool at this path.' });
    // DNS rebinding (the transport's security warning): a browser page of another origin may not call in.
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== publicOrigin)
      return sendJson(res, 403, {
        error: 'forbidden',
        message: `Origin ${origin.slice(0, 100)} may not call this endpoint.`,
      });
    const endpoint = tool.mcp.endpoint;
    const challenge = (error: string, description: string) => ({
      'www-authenticate': `Bearer realm="warden", error="${error}", error_description="${description.replace(/"/g, "'")}", resource_metadata="${protectedResourceMetadataUrl(endpoint)}"`,
    });
    const token = bearerToken(req);
    if (!token)
      return sendJson(
        res,
        401,
        { error: 'invalid_token', message: `An access token for ${endpoint} is required (Authorization: Bearer).` },
        challenge('invalid_token', 'access token required'),
      );
    let verified;
    try {
      verified = await deps.agentTokens.verifyAccess(token, endpoint);
    } catch (err) {
      if (err instanceof TokenError)
        return sendJson(
          res,
          401,
          { error: 'invalid_token', message: err.message },
          challenge('invalid_token', err.message),
        );
      throw err;
    }
    const body = await readBody(req);
    if (body === 'too-large') {
      // The rest of the body is never read: the connection cannot carry another request.
      return sendJson(
        res,
        413,
        { error: 'too_large', message: `The request body is over ${MAX_BODY_BYTES} bytes.` },
        { connection: 'close' },
      );
    }
    // No JSON-RPC batches: the revisions served here (2025-06-18 onwards) removed them.
    if (body && /^\s*\[/.test(body.subarray(0, 64).toString('utf8')))
      return sendJson(res, 400, {
        jsonrpc: '2.0',
        id: null,
        error: {
          code: -32600,
          message: 'JSON-RPC batches are not supported by MCP (since 2025-06-18): send one message per request.',
        },
      });
    const caller: Caller = {
      agentId: verified.agentId,
      jti: verified.jti,
      tool,
      sourceIp: req.socket.remoteAddress,
    };
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value === undefined || key === 'authorization' || key === 'cookie') continue;
      headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const request = new Request(`${deps.publicUrl.replace(/\/+$/, '')}${path}`, {
      method: req.method ?? 'GET',
      headers,
      signal: abort.signal,
      ...(body && body.length ? { body: new Uint8Array(body) } : {}),
    });
    const authInfo: AuthInfo = {
      token: 'verified', // the token itself stays here: nothing downstream needs it, and it never goes upstream
      clientId: verified.agentId,
      scopes: verified.scope,
      expiresAt: Math.floor(verified.expiresAt.getTime() / 1000),
      resource: new URL(endpoint),
      extra: { caller },
    };
    const response = await handler.fetch(request, { authInfo });
    const out: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      out[key] = value;
    });
    res.writeHead(response.status, out);
    if (!response.body) return void res.end();
    await pipeline(Readable.fromWeb(response.body as never), res).catch(() => res.destroy());
  };
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | null | 'too-large'> {
  if (req.method !== 'POST') return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
