/**
 * An agent authenticating as an OAuth client with `private_key_jwt` (RFC 7523 §2.2), wherever Warden
 * takes client authentication: the token endpoint and the revocation endpoint (RFC 7009). The assertion
 * is verified against the agent's current (or overlapping successor) key, its `jti` is accepted once —
 * in this process, or across the deployment with WARDEN_ASSERTION_REPLAY=deployment, and always durably
 * for a successor key's first use — and the agent must be ACTIVE.
 */
import type { CredentialSettings } from '../../config/config.js';
import { isValidAgentId } from '../../domain/agents.js';
import { ErrorCode, WardenError } from '../../domain/errors.js';
import { CLIENT_ASSERTION_TYPE, peekClientId, verifyClientAssertion } from '../../tokens/client-assertions.js';
import { TokenError } from '../../tokens/errors.js';
import type { AgentAccess } from '../services/agent-access.js';
import type { AgentCommands } from '../services/agent-commands.js';
import type { AuditLog } from '../services/audit-log.js';
import type { AssertionReplayCache } from './assertion-replay.js';
import { OAuthError } from './http.js';

const JTI_RETENTION_MARGIN_MS = 60_000;

export interface ClientAuthenticationDeps {
  agentAccess: AgentAccess;
  agentCommands: AgentCommands;
  audit: AuditLog;
  settings: CredentialSettings;
  replay: AssertionReplayCache;
}

/** Whether a form carries client authentication by assertion. */
export function hasClientAssertion(form: Map<string, string>): boolean {
  return form.has('client_assertion') || form.has('client_assertion_type');
}

export function createClientAuthentication(deps: ClientAuthenticationDeps) {
  const s = deps.settings;
  /** The authenticated agent's id, or an `invalid_client` OAuthError (401). */
  return async (form: Map<string, string>): Promise<string> => {
    if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE || !form.get('client_assertion')) {
      throw new OAuthError(
        'invalid_client',
        `Authenticate with private_key_jwt: client_assertion_type=${CLIENT_ASSERTION_TYPE} and a client_assertion.`,
        401,
      );
    }
    const assertion = form.get('client_assertion')!;
    let agentId: string;
    try {
      agentId = peekClientId(assertion);
    } catch {
      throw new OAuthError('invalid_client', 'The client assertion is not a JWT naming its client.', 401);
    }
    const claimed = form.get('client_id');
    if (!isValidAgentId(agentId) || (claimed !== undefined && claimed !== agentId))
      throw new OAuthError('invalid_client', 'Unknown client.', 401);
    const now = Date.now();
    // The agent's keys and status as this process saw them at most WARDEN_REVOCATION_CACHE ago; a key
    // the view does not know yet (a successor just issued) or a status that refuses is read afresh.
    const verifyWith = async (fresh: boolean) => {
      const { signIn, cached } = await deps.agentAccess.signIn(agentId, fresh);
      if (!signIn || signIn.keys.length === 0)
        return { signIn, cached, verified: null, error: new OAuthError('invalid_client', 'Unknown client.', 401) };
      const keys = signIn.keys
        .filter((k) => Date.parse(k.expiresAt) > now)
        .map((k) => ({ ...k.publicJwk, kid: k.kid }));
      try {
        const verified = await verifyClientAssertion(assertion, {
          expectedClientId: agentId,
          publicKeys: keys as never,
          audiences: [s.tokenEndpoint, s.issuer, `${s.issuer}/oauth/revoke`],
        });
        return { signIn, cached, verified, error: null };
      } catch (err) {
        if (err instanceof TokenError)
          return { signIn, cached, verified: null, error: new OAuthError('invalid_client', err.message, 401) };
        throw err;
      }
    };
    let attempt = await verifyWith(false);
    if (attempt.cached && (attempt.error || attempt.signIn?.status !== 'ACTIVE')) attempt = await verifyWith(true);
    const { signIn, verified } = attempt;
    if (!verified || !signIn) throw attempt.error!;
    const refuse = async (message: string): Promise<never> => {
      await deps.audit.record({
        kind: 'token.refused',
        agentId,
        actor: { kind: 'agent', id: agentId },
        message: `Token refused: ${message}`,
      });
      throw new OAuthError('invalid_client', message, 401);
    };
    if (signIn.status !== 'ACTIVE') await refuse(`Agent ${agentId} is ${signIn.status}: it cannot obtain tokens.`);
    // Remembered past the assertion's expiry by more than any clock tolerance, so a late replay still fails.
    const rememberUntilMs = verified.expiresAt.getTime() + JTI_RETENTION_MARGIN_MS;
    const claim = deps.replay.claim(agentId, verified.jti, rememberUntilMs);
    if (claim === 'replayed') await refuse('This client assertion was already used (jti replayed).');
    if (claim === 'full')
      throw new OAuthError(
        'temporarily_unavailable',
        'Too many client assertions are being remembered right now; retry shortly.',
        503,
      );
    // Durable where it must be: the first use of a successor key (it completes the rotation), and every
    // assertion when replays must be refused across API processes.
    if (s.assertionReplay === 'deployment' || verified.kid === signIn.successorNotTakenUp) {
      try {
        await deps.agentCommands.authenticate(agentId, {
          kid: verified.kid ?? '',
          jti: verified.jti,
          expiresAtMs: rememberUntilMs,
        });
      } catch (err) {
        if (err instanceof WardenError && err.code !== ErrorCode.UNAVAILABLE) await refuse(err.message);
        throw err;
      }
      if (verified.kid === signIn.successorNotTakenUp) deps.agentAccess.forget(agentId);
    }
    return agentId;
  };
}
