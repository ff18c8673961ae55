/**
 * Checks tokens Warden issued to agents: the signature and claims (tokens/), then the agent's durable
 * state — it must be ACTIVE, the token must postdate its revocation point (universal logout) and must not
 * have been revoked by itself (RFC 7009). The same checks serve the API, the gateway and introspection.
 */
import type { JWK } from 'jose';
import type { CredentialSettings } from '../../config/config.js';
import { verifyAccessToken, type VerifiedAccessToken } from '../../tokens/access-tokens.js';
import { TokenError } from '../../tokens/errors.js';
import { tokensRefused } from '../../observability/metrics.js';
import { verifyGrant, type VerifiedGrant } from '../../tokens/grants.js';
import { inspectCompactJwt } from '../../tokens/verify.js';
import type { AgentAccess } from '../services/agent-access.js';
import type { SigningKeys } from '../../services/signing-keys.js';

/** A refused token is counted by kind and the reason's stable code (warden_tokens_refused_total). */
async function counted<T>(kind: 'access' | 'grant', verify: () => Promise<T>): Promise<T> {
  try {
    return await verify();
  } catch (err) {
    if (err instanceof TokenError) tokensRefused.inc({ kind, code: err.code });
    throw err;
  }
}

export class AgentTokens {
  constructor(
    private readonly keys: SigningKeys,
    private readonly access: AgentAccess,
    private readonly settings: CredentialSettings,
  ) {}

  private async jwks(token: string): Promise<{ keys: JWK[] }> {
    let kid: string | undefined;
    try {
      kid = inspectCompactJwt(token, 'token').kid;
    } catch {
      kid = undefined;
    }
    return this.keys.jwks(typeof kid === 'string' ? kid : undefined);
  }

  /** Throws unless the agent may still use a token issued at `issuedAt` with id `jti`. */
  async checkLive(agentId: string, issuedAt: Date, jti: string): Promise<void> {
    const session = await this.access.session(agentId);
    if (!session) throw new TokenError('token_inactive', 'The token belongs to an agent Warden does not know.');
    if (session.status !== 'ACTIVE')
      throw new TokenError('token_inactive', `The agent is ${session.status}; its tokens are not accepted.`);
    if (session.revokedBefore && issuedAt.getTime() <= Date.parse(session.revokedBefore)) {
      throw new TokenError('token_revoked', 'The token was revoked (universal logout of its agent).');
    }
    if (session.revokedTokens.includes(jti)) throw new TokenError('token_revoked', 'The token was revoked.');
  }

  /** An access token for `audience`: Warden's API by default, or an MCP endpoint (RFC 8707). */
  async verifyAccess(token: string, audience = this.settings.apiAudience): Promise<VerifiedAccessToken> {
    return counted('access', async () => {
      const verified = await verifyAccessToken(token, {
        jwks: await this.jwks(token),
        issuer: this.settings.issuer,
        audience,
      });
      await this.checkLive(verified.agentId, verified.issuedAt, verified.jti);
      return verified;
    });
  }

  async verifyGrant(token: string, resource: string, operation?: string): Promise<VerifiedGrant> {
    return counted('grant', async () => {
      const verified = await verifyGrant(token, {
        jwks: await this.jwks(token),
        issuer: this.settings.issuer,
        resource,
        ...(operation ? { requiredOperation: operation } : {}),
      });
      await this.checkLive(verified.agentId, verified.issuedAt, verified.jti);
      return verified;
    });
  }

  /** Whether a compact JWT claims to be from Warden itself (unverified; only for routing). */
  isWardenIssued(token: string): boolean {
    try {
      const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
        iss?: unknown;
      };
      return payload.iss === this.settings.issuer;
    } catch {
      return false;
    }
  }
}
