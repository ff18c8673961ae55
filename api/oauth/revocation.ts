/**
 * POST /oauth/revoke (RFC 7009): an agent revokes one of its own tokens (an access token or a grant),
 * authenticating as a client with `private_key_jwt` (what the metadata advertises, RFC 7523) — or, as a
 * convenience, with its access token as bearer. Per the RFC, an unknown or invalid token still gets 200;
 * a token of another agent is not touched.
 */
import type http from 'node:http';
import type { CredentialSettings } from '../../config/config.js';
import { TokenError } from '../../tokens/errors.js';
import { inspectCompactJwt } from '../../tokens/verify.js';
import type { AgentTokens } from '../auth/agent-tokens.js';
import type { AgentCommands } from '../services/agent-commands.js';
import type { SigningKeys } from '../../services/signing-keys.js';
import { bearerToken, OAuthError, readForm, sendJson, sendOAuthError } from './http.js';
import { hasClientAssertion } from './client-authentication.js';
import { jwtVerify, createLocalJWKSet } from 'jose';

export function createRevocationEndpoint(deps: {
  agentTokens: AgentTokens;
  agentCommands: AgentCommands;
  keys: SigningKeys;
  settings: CredentialSettings;
  /** Client authentication by assertion, shared with the token endpoint (one replay cache for both). */
  authenticateClient: (form: Map<string, string>) => Promise<string>;
}) {
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      const form = await readForm(req);
      const bearer = bearerToken(req);
      let agentId: string;
      if (hasClientAssertion(form)) {
        if (bearer)
          throw new OAuthError(
            'invalid_request',
            'Authenticate one way: a client assertion or a bearer token, not both.',
          );
        agentId = await deps.authenticateClient(form);
      } else {
        if (!bearer)
          throw new OAuthError(
            'invalid_client',
            'Authenticate with private_key_jwt (client_assertion), or with your access token as bearer.',
            401,
          );
        try {
          agentId = (await deps.agentTokens.verifyAccess(bearer)).agentId;
        } catch (err) {
          if (err instanceof TokenError) throw new OAuthError('invalid_client', err.message, 401);
          throw err;
        }
      }
      const token = form.get('token');
      if (!token) throw new OAuthError('invalid_request', 'token is required.');
      let payload: { client_id?: unknown; jti?: unknown; exp?: unknown } | null = null;
      try {
        inspectCompactJwt(token, 'token');
        // Signature and issuer only: an expired or foreign-audience token of ours can still be revoked.
        ({ payload } = await jwtVerify(token, createLocalJWKSet(await deps.keys.jwks()), {
          issuer: deps.settings.issuer,
          algorithms: ['ES256'],
        }));
      } catch {
        payload = null; // RFC 7009 §2.2: an invalid token is not an error
      }
      if (
        payload &&
        payload.client_id === agentId &&
        typeof payload.jti === 'string' &&
        typeof payload.exp === 'number' &&
        payload.exp * 1000 > Date.now()
      ) {
        // Not caught: if the revocation cannot be stored, the caller must not be told it was.
        await deps.agentCommands.revokeToken(agentId, payload.jti, new Date(payload.exp * 1000));
      }
      sendJson(res, 200, {});
    } catch (err) {
      if (err instanceof OAuthError)
        return sendOAuthError(res, err, err.status === 401 ? { 'www-authenticate': 'Bearer realm="warden"' } : {});
      console.error('oauth: revocation failed:', err);
      sendOAuthError(
        res,
        new OAuthError('temporarily_unavailable', 'The revocation could not be recorded; try again.', 503),
      );
    }
  };
}
