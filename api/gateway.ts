/**
 * The HTTP gateway for VAULTED_SECRET tools: `/gateway/<tool>/<path>`. The agent presents a grant; Warden
 * checks it (signature, this tool's audience, the operation the request maps to, the agent's state), then
 * forwards the request upstream with the vaulted secret injected. The agent never sees the secret, and
 * the upstream never sees the grant.
 */
import type http from 'node:http';
import { Readable } from 'node:stream';
import type { CredentialSettings } from '../config/config.js';
import { matchOperation } from '../domain/tools.js';
import { TokenError } from '../tokens/errors.js';
import type { AgentTokens } from './auth/agent-tokens.js';
import { bearerToken, sendJson } from './oauth/http.js';
import type { ToolRegistry } from './services/tool-registry.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'authorization', 'content-length', 'cookie']);
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const UPSTREAM_TIMEOUT_MS = 30_000;

export function gatewayResourceMetadataUrl(issuer: string, tool: string): string {
  return `${issuer}/.well-known/oauth-protected-resource/gateway/${tool}`;
}

export function createGateway(deps: { tools: ToolRegistry; agentTokens: AgentTokens; settings: CredentialSettings }) {
  return async (req: http.IncomingMessage, res: http.ServerResponse, path: string) => {
    const match = /^\/gateway\/([a-z0-9][a-z0-9-]{0,62})(\/.*)?$/.exec(path);
    const tool = match ? await deps.tools.find(match[1]!) : null;
    if (!tool || tool.authMode !== 'VAULTED_SECRET' || !tool.upstreamUrl) {
      return sendJson(res, 404, { error: 'not_found', message: 'No gateway tool at this path.' });
    }
    const rest = match![2] ?? '/';
    const challenge = (error: string, description: string) => ({
      'www-authenticate': `Bearer realm="warden", error="${error}", error_description="${description.replace(/"/g, "'")}", resource_metadata="${gatewayResourceMetadataUrl(deps.settings.issuer, tool.name)}"`,
    });
    const operation = matchOperation(tool.operations, req.method ?? 'GET', rest);
    const grant = bearerToken(req);
    if (!grant) return sendJson(res, 401, { error: 'invalid_token', message: 'A grant for this tool is required (Authorization: Bearer).' }, challenge('invalid_token', 'grant required'));
    if (!operation) {
      return sendJson(res, 403, { error: 'insufficient_scope', message: `No operation of ${tool.name} covers ${req.method} ${rest}.` });
    }
    let verified;
    try {
      verified = await deps.agentTokens.verifyGrant(grant, tool.resource, operation.name);
    } catch (err) {
      if (err instanceof TokenError) {
        if (err.code === 'token_scope') return sendJson(res, 403, { error: 'insufficient_scope', message: err.message }, challenge('insufficient_scope', err.message));
        return sendJson(res, 401, { error: 'invalid_token', message: err.message }, challenge('invalid_token', err.message));
      }
      throw err;
    }

    const url = new URL(tool.upstreamUrl.replace(/\/$/, '') + rest);
    url.search = new URL(req.url ?? '/', 'http://x').search;
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (HOP_BY_HOP.has(name) || value === undefined) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    headers.set(tool.secretHeader, `${tool.secretPrefix}${await deps.tools.upstreamSecret(tool)}`);
    headers.set('x-warden-agent', verified.agentId);
    let body: Buffer | undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES) return sendJson(res, 413, { error: 'too_large', message: 'The request body is too large.' });
        chunks.push(chunk as Buffer);
      }
      body = Buffer.concat(chunks);
    }
    let upstream: Response;
    try {
      upstream = await fetch(url, { method: req.method, headers, body: body ? new Uint8Array(body) : undefined, redirect: 'manual', signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
    } catch {
      return sendJson(res, 502, { error: 'bad_gateway', message: `${tool.name} did not answer.` });
    }
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name) && name !== 'set-cookie' && name !== 'content-encoding') out[name] = value;
    });
    res.writeHead(upstream.status, out);
    if (upstream.body) Readable.fromWeb(upstream.body as never).pipe(res);
    else res.end();
  };
}
