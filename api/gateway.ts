/**
 * The HTTP gateway for VAULTED_SECRET tools: `/gateway/<tool>/<path>`. The tool's resource (the audience
 * of its grants, RFC 8707) is its gateway URL, `<public URL>/gateway/<tool>`, with RFC 9728 metadata at
 * the well-known path built from it. The agent presents a grant; Warden
 * checks it (signature, this tool's audience, the operation the request maps to, the agent's state), then
 * forwards the request upstream with the vaulted secret injected. The agent never sees the secret, and
 * the upstream never sees the grant.
 */
import type http from 'node:http';
import { pipeline, Readable } from 'node:stream';
import type { CredentialSettings } from '../config/config.js';
import { gatewaySegments, matchOperation, resourceInPath, unexpectedQuery } from '../domain/tools.js';
import { TokenError } from '../tokens/errors.js';
import type { AgentTokens } from './auth/agent-tokens.js';
import { bearerToken, sendJson } from './oauth/http.js';
import { protectedResourceMetadataUrl } from './oauth/metadata.js';
import type { ToolRegistry } from './services/tool-registry.js';
import type { AuditLog } from './services/audit-log.js';
import { gatewayCalls } from '../observability/metrics.js';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'authorization',
  'content-length',
  'cookie',
]);
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const UPSTREAM_TIMEOUT_MS = 30_000;

/** The `warden_action` authorization details (RFC 9396) a decided action's grant carries, if any. */
function boundRequestOf(
  extra: Record<string, unknown>,
): { resourceId: string | null; maxVolume: number | null; maxAmount: number | null } | null {
  const details = Array.isArray(extra.authorization_details) ? extra.authorization_details : [];
  const d = details.find(
    (x): x is Record<string, unknown> =>
      typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'warden_action',
  );
  if (!d) return null;
  return {
    resourceId: typeof d.resource_id === 'string' ? d.resource_id : null,
    maxVolume: typeof d.max_volume === 'number' ? d.max_volume : null,
    maxAmount: typeof d.max_amount === 'number' ? d.max_amount : null,
  };
}

export function createGateway(deps: {
  tools: ToolRegistry;
  agentTokens: AgentTokens;
  settings: CredentialSettings;
  audit: AuditLog;
}) {
  // Each call is counted once it is answered: refused by Warden, forwarded, or the upstream did not answer.
  return async (req: http.IncomingMessage, res: http.ServerResponse, path: string) => {
    const call = { outcome: 'refused' as 'refused' | 'forwarded' | 'upstream_error' | 'error' };
    try {
      return await handle(req, res, path, call);
    } catch (err) {
      call.outcome = 'error'; // Temporal unreachable, or a fault: answered by the server's error handler
      throw err;
    } finally {
      gatewayCalls.inc({ via: 'gateway', outcome: call.outcome });
    }
  };

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    call: { outcome: 'refused' | 'forwarded' | 'upstream_error' | 'error' },
  ) {
    const match = /^\/gateway\/([a-z0-9][a-z0-9-]{0,62})(\/.*)?$/.exec(path);
    const tool = match ? await deps.tools.find(match[1]!) : null;
    if (!tool || tool.authMode !== 'VAULTED_SECRET' || !tool.upstreamUrl) {
      return sendJson(res, 404, { error: 'not_found', message: 'No gateway tool at this path.' });
    }
    const rest = match![2] ?? '/';
    const challenge = (error: string, description: string) => ({
      'www-authenticate': `Bearer realm="warden", error="${error}", error_description="${description.replace(/"/g, "'")}", resource_metadata="${protectedResourceMetadataUrl(tool.resource)}"`,
    });
    const grant = bearerToken(req);
    if (!grant)
      return sendJson(
        res,
        401,
        { error: 'invalid_token', message: 'A grant for this tool is required (Authorization: Bearer).' },
        challenge('invalid_token', 'grant required'),
      );
    // The grant first: every refusal after this one is of an agent Warden knows, and is audited.
    let verified;
    try {
      verified = await deps.agentTokens.verifyGrant(grant, tool.resource);
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
    const refuse = async (status: number, error: string, message: string, headers: Record<string, string> = {}) => {
      await deps.audit.record({
        kind: 'access.denied',
        agentId: verified.agentId,
        actor: { kind: 'agent', id: verified.agentId },
        message: `The gateway refused ${req.method} /gateway/${tool.name}${rest.slice(0, 200)}: ${message}`,
        operation: `gateway:${tool.name}`,
        code: error,
        tool: tool.name,
        jti: verified.jti,
      });
      return sendJson(res, status, { error, message }, headers);
    };
    // One path, one spelling: what an upstream would normalise (//, dot segments, encoded separators) is
    // refused before anything is matched, so the operation checked is the one the upstream serves.
    const parsed = gatewaySegments(rest);
    if ('problem' in parsed) {
      return refuse(
        400,
        'invalid_request',
        `The path ${rest.slice(0, 200)} is not canonical (${parsed.problem.replace(/-/g, ' ')}); send it without empty or dot segments and without encoded separators.`,
      );
    }
    const operation = matchOperation(tool.operations, req.method ?? 'GET', rest);
    if (!operation)
      return refuse(
        403,
        'insufficient_scope',
        `No operation of ${tool.name} covers ${req.method} ${rest.slice(0, 200)}.`,
      );
    if (!verified.operations.includes(operation.name)) {
      return refuse(
        403,
        'insufficient_scope',
        `This grant does not allow ${tool.name}.${operation.name}.`,
        challenge('insufficient_scope', `${operation.name} not granted`),
      );
    }

    // A grant from a decided action is bound to that request: its resource and its volume/amount ceilings.
    const bound = boundRequestOf(verified.extra);
    if (bound) {
      const touched =
        resourceInPath(operation.path!, rest) || (req.headers['warden-resource-id'] as string | undefined) || null;
      if (bound.resourceId && touched !== bound.resourceId) {
        return refuse(
          403,
          'insufficient_scope',
          `This grant is for resource ${bound.resourceId} only.`,
          challenge('insufficient_scope', 'another resource'),
        );
      }
      for (const [header, ceiling, what] of [
        ['warden-volume', bound.maxVolume, 'volume'],
        ['warden-amount', bound.maxAmount, 'amount'],
      ] as const) {
        if (ceiling === null) continue;
        // No money in the decided action: nothing to declare (but a declared amount must still be 0).
        const raw = req.headers[header] ?? (what === 'amount' && ceiling === 0 ? '0' : undefined);
        const declared = Number(raw ?? NaN);
        if (!Number.isFinite(declared) || declared < 0) {
          return sendJson(res, 400, {
            error: 'invalid_request',
            message: `Declare the request's ${what} in the ${header} header (this grant allows at most ${ceiling}).`,
          });
        }
        if (declared > ceiling) {
          return refuse(
            403,
            'insufficient_scope',
            `This grant allows a ${what} of at most ${ceiling}.`,
            challenge('insufficient_scope', `${what} above the grant`),
          );
        }
      }
    }

    // Query strings only where the operation lists their parameters.
    const search = new URL(req.url ?? '/', 'http://x').search;
    const unexpected = unexpectedQuery(operation, new URLSearchParams(search));
    if (unexpected.length) {
      return refuse(
        400,
        'invalid_request',
        `${tool.name}.${operation.name} takes no query parameter ${unexpected.map((q) => `"${q.slice(0, 64)}"`).join(', ')}.`,
      );
    }
    const url = new URL(tool.upstreamUrl.replace(/\/$/, '') + rest);
    url.search = search;
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
        if (size > MAX_BODY_BYTES)
          return sendJson(res, 413, { error: 'too_large', message: 'The request body is too large.' });
        chunks.push(chunk as Buffer);
      }
      body = Buffer.concat(chunks);
    }
    let upstream: Response;
    try {
      upstream = await fetch(url, {
        method: req.method,
        headers,
        body: body ? new Uint8Array(body) : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
      });
    } catch {
      call.outcome = 'upstream_error';
      return sendJson(res, 502, { error: 'bad_gateway', message: `${tool.name} did not answer.` });
    }
    call.outcome = 'forwarded';
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name) && name !== 'set-cookie' && name !== 'content-encoding') out[name] = value;
    });
    res.writeHead(upstream.status, out);
    if (upstream.body) pipeline(Readable.fromWeb(upstream.body as never), res, (err) => err && res.destroy());
    else res.end();
  }
}
