/**
 * POST /oauth/token — two grant types:
 *  - client_credentials with `private_key_jwt` (RFC 7523): an agent proves itself with an assertion signed
 *    by its current (or overlapping successor) key; the assertion's `jti` is accepted once (in this process,
 *    or across the deployment with WARDEN_ASSERTION_REPLAY=deployment). Answer: an RFC 9068 access token
 *    for Warden's API, or — with `resource` naming one (RFC 8707) — for one of Warden's MCP endpoints.
 *  - token exchange (RFC 8693): the agent's access token as subject (or a person's token as subject and
 *    the agent's as actor), `resource` = the tool (RFC 8707), `scope` = operations. Answer: a grant.
 */
import type http from 'node:http';
import type { CredentialSettings } from '../../config/config.js';
import { ErrorCode, WardenError } from '../../domain/errors.js';
import { failpoint } from '../../temporal/failpoints.js';
import { tokenRequestsRefused, tokensIssued } from '../../observability/metrics.js';
import { mintAccessToken } from '../../tokens/access-tokens.js';
import { TokenError } from '../../tokens/errors.js';
import type { AgentTokens } from '../auth/agent-tokens.js';
import type { HumanPrincipal } from '../auth/principal.js';
import type { AgentAccess } from '../services/agent-access.js';
import type { AgentCommands } from '../services/agent-commands.js';
import type { AuditLog } from '../services/audit-log.js';
import type { GrantService } from '../services/grants.js';
import type { SigningKeys } from '../../services/signing-keys.js';
import type { AssertionReplayCache } from './assertion-replay.js';
import { createClientAuthentication } from './client-authentication.js';
import { OAuthError, readForm, sendJson, sendOAuthError } from './http.js';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

export interface TokenEndpointDeps {
  agentAccess: AgentAccess;
  agentCommands: AgentCommands;
  agentTokens: AgentTokens;
  verifyHuman: (token: string) => Promise<HumanPrincipal>;
  grants: GrantService;
  keys: SigningKeys;
  audit: AuditLog;
  settings: CredentialSettings;
  replay: AssertionReplayCache;
  /** Whether `resource` is the endpoint of a registered MCP tool (an access token may name it). */
  isMcpEndpoint: (resource: string) => Promise<boolean>;
}

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,64}$/;

function parseScope(raw: string | undefined): string[] {
  if (!raw) return [];
  const scopes = raw.split(' ').filter(Boolean);
  if (scopes.length > 100 || scopes.some((s) => !SCOPE_TOKEN.test(s)))
    throw new OAuthError('invalid_scope', 'scope must be space-separated operation names.');
  return [...new Set(scopes)];
}

export function createTokenEndpoint(deps: TokenEndpointDeps) {
  const s = deps.settings;

  const authenticateClient = createClientAuthentication(deps);

  async function clientCredentials(form: Map<string, string>) {
    const agentId = await authenticateClient(form);
    const scope = parseScope(form.get('scope'));
    const resource = form.get('resource');
    if (resource !== undefined && resource !== s.apiAudience) {
      if (resource.length > 2048 || !URL.canParse(resource) || !(await deps.isMcpEndpoint(resource)))
        throw new OAuthError(
          'invalid_target',
          "resource must be Warden's API or the endpoint of a registered MCP tool (<public URL>/mcp/<tool>).",
        );
    }
    const audience = resource ?? s.apiAudience;
    // Tokens carry whole-second iat, and one issued in the second of a revocation point is refused with
    // everything before it: right after a resume, wait for the next second rather than hand out a dead token.
    const revokedBefore = (await deps.agentAccess.session(agentId))?.revokedBefore;
    if (revokedBefore) {
      const wait = Math.floor(Date.parse(revokedBefore) / 1000) * 1000 + 1000 - Date.now();
      if (wait > 0 && wait <= 1000) await new Promise((r) => setTimeout(r, wait));
    }
    const minted = await mintAccessToken({
      key: await deps.keys.current(),
      issuer: s.issuer,
      audience,
      agentId,
      ttlSeconds: s.accessTokenTtlSeconds,
      ...(scope.length ? { scope } : {}),
    });
    await deps.audit.record({
      kind: 'token.issued',
      agentId,
      actor: { kind: 'agent', id: agentId },
      message: `Access token issued (private_key_jwt)${audience === s.apiAudience ? '' : ` for ${audience}`}.`,
      jti: minted.jti,
    });
    failpoint('api.token-issued');
    return {
      access_token: minted.token,
      token_type: 'Bearer',
      expires_in: Math.round((minted.expiresAt.getTime() - Date.now()) / 1000),
      ...(scope.length ? { scope: scope.join(' ') } : {}),
    };
  }

  async function agentFrom(token: string, what: string): Promise<string> {
    try {
      return (await deps.agentTokens.verifyAccess(token)).agentId;
    } catch (err) {
      if (err instanceof TokenError)
        throw new OAuthError('invalid_grant', `The ${what} is not acceptable: ${err.message}`);
      throw err;
    }
  }

  async function tokenExchange(form: Map<string, string>) {
    const subjectToken = form.get('subject_token');
    const subjectType = form.get('subject_token_type');
    if (!subjectToken || !subjectType)
      throw new OAuthError('invalid_request', 'subject_token and subject_token_type are required.');
    if (subjectType !== ACCESS_TOKEN_TYPE && subjectType !== JWT_TOKEN_TYPE)
      throw new OAuthError('invalid_request', 'subject_token_type must be an access token.');
    const requested = form.get('requested_token_type');
    if (requested && requested !== ACCESS_TOKEN_TYPE && requested !== JWT_TOKEN_TYPE)
      throw new OAuthError('invalid_request', 'Warden issues access tokens only.');
    const resource = form.get('resource') ?? form.get('audience');
    if (!resource) throw new OAuthError('invalid_target', "resource (the tool's URI, RFC 8707) is required.");
    if (resource.length > 2048 || !URL.canParse(resource))
      throw new OAuthError('invalid_target', 'resource must be an absolute URI.');
    const operations = parseScope(form.get('scope'));

    const actorToken = form.get('actor_token');
    let agentId: string;
    let onBehalfOf: string | undefined;
    if (actorToken) {
      // Delegation: a person (subject) lets the agent (actor) act for them.
      const actorType = form.get('actor_token_type');
      if (actorType !== ACCESS_TOKEN_TYPE && actorType !== JWT_TOKEN_TYPE)
        throw new OAuthError('invalid_request', 'actor_token_type must be an access token.');
      agentId = await agentFrom(actorToken, 'actor token');
      try {
        onBehalfOf = (await deps.verifyHuman(subjectToken)).email;
      } catch (err) {
        throw new OAuthError('invalid_grant', `The subject token is not acceptable: ${(err as Error).message}`);
      }
    } else {
      agentId = await agentFrom(subjectToken, 'subject token');
    }
    const grant = await deps.grants.request({ agentId, resource, operations, ...(onBehalfOf ? { onBehalfOf } : {}) });
    return {
      access_token: grant.token,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: Math.round((grant.expiresAt.getTime() - Date.now()) / 1000),
      scope: grant.operations.join(' '),
    };
  }

  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    // Counted by grant type; an unknown one is counted as "other", never by what the caller wrote.
    let grantType = 'other';
    try {
      const form = await readForm(req);
      const asked = form.get('grant_type');
      if (asked === 'client_credentials' || asked === TOKEN_EXCHANGE) {
        grantType = asked === TOKEN_EXCHANGE ? 'token_exchange' : asked;
        const body = asked === TOKEN_EXCHANGE ? await tokenExchange(form) : await clientCredentials(form);
        tokensIssued.inc({ grant_type: grantType });
        return sendJson(res, 200, body);
      }
      throw new OAuthError(
        'unsupported_grant_type',
        'Warden supports client_credentials and token exchange (RFC 8693).',
      );
    } catch (err) {
      const unavailable = err instanceof WardenError && err.code === ErrorCode.UNAVAILABLE;
      const refused = err instanceof OAuthError ? err.error : unavailable ? 'temporarily_unavailable' : 'server_error';
      tokenRequestsRefused.inc({ grant_type: grantType, error: refused });
      if (err instanceof OAuthError)
        return sendOAuthError(res, err, err.status === 401 ? { 'www-authenticate': 'Bearer realm="warden"' } : {});
      if (unavailable) {
        return sendOAuthError(res, new OAuthError('temporarily_unavailable', (err as WardenError).message, 503), {
          'retry-after': '1',
        });
      }
      console.error('oauth: token endpoint failed:', err);
      return sendOAuthError(res, new OAuthError('server_error', 'Unexpected error.', 500));
    }
  };
}
