/**
 * POST /oauth/introspect (RFC 7662). Callers authenticate: a tool with its client secret (HTTP Basic,
 * client_id = tool name) may introspect grants for itself; an admin or security person (bearer) may
 * introspect anything. Inactive is the answer for every token that fails any check — revoked by
 * universal logout included — with no reason given to the caller (RFC 7662 §2.2).
 */
import type http from 'node:http';
import type { CredentialSettings } from '../../config/config.js';
import { verifyAccessToken } from '../../tokens/access-tokens.js';
import { verifyGrant } from '../../tokens/grants.js';
import type { AgentTokens } from '../auth/agent-tokens.js';
import type { HumanPrincipal } from '../auth/principal.js';
import type { SigningKeys } from '../../services/signing-keys.js';
import { secretMatches, type ToolRegistry } from '../services/tool-registry.js';
import { basicCredentials, bearerToken, OAuthError, readForm, sendJson, sendOAuthError } from './http.js';

export interface IntrospectionDeps {
  agentTokens: AgentTokens;
  verifyHuman: (token: string) => Promise<HumanPrincipal>;
  tools: ToolRegistry;
  keys: SigningKeys;
  settings: CredentialSettings;
}

export function createIntrospectionEndpoint(deps: IntrospectionDeps) {
  /** Who asks: a tool (limited to its own grants) or a privileged person. */
  async function caller(req: http.IncomingMessage): Promise<{ tool: string | null }> {
    const basic = basicCredentials(req);
    if (basic) {
      const tool = await deps.tools.find(basic.id);
      if (tool?.clientSecretDigest && secretMatches(basic.secret, tool.clientSecretDigest))
        return { tool: tool.resource };
      throw new OAuthError('invalid_client', 'Unknown tool or wrong client secret.', 401);
    }
    const bearer = bearerToken(req);
    if (bearer) {
      try {
        const person = await deps.verifyHuman(bearer);
        if (person.roles.includes('admin') || person.roles.includes('security')) return { tool: null };
      } catch {
        /* fall through */
      }
    }
    throw new OAuthError(
      'invalid_client',
      'Introspection needs a tool client secret (HTTP Basic) or an admin token.',
      401,
    );
  }

  async function inspect(token: string, forResource: string | null): Promise<Record<string, unknown>> {
    const jwks = await deps.keys.jwks();
    const { issuer, apiAudience } = deps.settings;
    // An access token for the Warden API (not for a tool asking about its own grants).
    if (forResource === null) {
      try {
        const at = await verifyAccessToken(token, { jwks, issuer, audience: apiAudience });
        await deps.agentTokens.checkLive(at.agentId, at.issuedAt, at.jti);
        return {
          active: true,
          token_type: 'access_token',
          sub: at.agentId,
          client_id: at.clientId,
          aud: apiAudience,
          iss: issuer,
          jti: at.jti,
          iat: at.issuedAt.getTime() / 1000,
          exp: at.expiresAt.getTime() / 1000,
          ...(at.scope.length ? { scope: at.scope.join(' ') } : {}),
        };
      } catch {
        /* maybe a grant */
      }
    }
    const resources = forResource ? [forResource] : (await deps.tools.list()).map((t) => t.resource);
    for (const resource of resources) {
      try {
        const g = await verifyGrant(token, { jwks, issuer, resource });
        await deps.agentTokens.checkLive(g.agentId, g.issuedAt, g.jti);
        return {
          active: true,
          token_type: 'access_token',
          sub: g.subject,
          client_id: g.agentId,
          aud: resource,
          iss: issuer,
          jti: g.jti,
          scope: g.operations.join(' '),
          iat: g.issuedAt.getTime() / 1000,
          exp: g.expiresAt.getTime() / 1000,
          ...(g.actor ? { act: { sub: g.actor } } : {}),
        };
      } catch {
        /* next */
      }
    }
    return { active: false };
  }

  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      const who = await caller(req);
      const form = await readForm(req);
      const token = form.get('token');
      if (!token) throw new OAuthError('invalid_request', 'token is required.');
      sendJson(res, 200, await inspect(token, who.tool));
    } catch (err) {
      if (err instanceof OAuthError)
        return sendOAuthError(res, err, err.status === 401 ? { 'www-authenticate': 'Basic realm="warden"' } : {});
      console.error('oauth: introspection failed:', err);
      sendOAuthError(res, new OAuthError('server_error', 'Unexpected error.', 500));
    }
  };
}
