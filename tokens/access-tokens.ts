/**
 * Warden API access tokens for agents (RFC 9068 JWT profile): `typ: at+jwt`, the agent is both `sub` and
 * `client_id`, `aud` is the Warden API's resource URI. Short-lived (5 minutes by default, never more
 * than 15), so there is nothing to revoke: a suspended agent simply gets no new ones.
 *
 * Grants share `typ` and keys with these; what keeps the two apart is the audience — a grant names a
 * tool, never the Warden API — so tool resource URIs must never equal the API's.
 */
import type { JWK } from 'jose';
import { TokenError } from './errors.js';
import { formatScope, parseScope } from './scope.js';
import { issueTimes, nonEmpty, signWardenJwt } from './sign.js';
import type { SigningKey } from './signing-keys.js';
import { requireNonEmptyString, verifyWardenJwt } from './verify.js';

export const ACCESS_TOKEN_TYP = 'at+jwt';
export const ACCESS_TOKEN_DEFAULT_TTL_S = 300;
export const ACCESS_TOKEN_MAX_LIFETIME_S = 900;
const WHAT = 'access token';

export interface MintAccessTokenInput {
  key: SigningKey;
  issuer: string;
  /** The Warden API's resource URI. */
  audience: string;
  agentId: string;
  ttlSeconds?: number;
  scope?: string[];
  now?: Date;
}

export interface MintedToken {
  token: string;
  jti: string;
  issuedAt: Date;
  expiresAt: Date;
}

export async function mintAccessToken(input: MintAccessTokenInput): Promise<MintedToken> {
  const agentId = nonEmpty(input.agentId, 'agentId');
  const { iat, exp } = issueTimes(
    input.now ?? new Date(),
    input.ttlSeconds ?? ACCESS_TOKEN_DEFAULT_TTL_S,
    ACCESS_TOKEN_MAX_LIFETIME_S,
  );
  const jti = crypto.randomUUID();
  const scope = input.scope && input.scope.length > 0 ? formatScope(input.scope) : undefined;
  const token = await signWardenJwt(input.key, ACCESS_TOKEN_TYP, {
    iss: nonEmpty(input.issuer, 'issuer'),
    sub: agentId,
    aud: nonEmpty(input.audience, 'audience'),
    client_id: agentId,
    iat,
    exp,
    jti,
    ...(scope ? { scope } : {}),
  });
  return { token, jti, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000) };
}

export interface VerifyAccessTokenOptions {
  jwks: { keys: JWK[] };
  issuer: string;
  audience: string;
  now?: Date;
  clockToleranceSeconds?: number;
}

export interface VerifiedAccessToken {
  agentId: string;
  clientId: string;
  jti: string;
  issuedAt: Date;
  expiresAt: Date;
  scope: string[];
}

export async function verifyAccessToken(
  token: string,
  options: VerifyAccessTokenOptions,
): Promise<VerifiedAccessToken> {
  const payload = await verifyWardenJwt(token, {
    ...options,
    typ: ACCESS_TOKEN_TYP,
    maxLifetimeSeconds: ACCESS_TOKEN_MAX_LIFETIME_S,
    tokenName: WHAT,
  });
  const clientId = requireNonEmptyString(payload, 'client_id', WHAT);
  if (clientId !== payload.sub)
    throw new TokenError(
      'token_claims',
      'The access token was issued to one agent for another (client_id is not sub).',
    );
  // Warden never delegates API access tokens; a delegated token here would act for someone unseen.
  if ('act' in payload)
    throw new TokenError(
      'token_claims',
      'The access token carries an actor (act); Warden API access tokens are never delegated.',
    );
  return {
    agentId: payload.sub,
    clientId,
    jti: payload.jti,
    issuedAt: new Date(payload.iat * 1000),
    expiresAt: new Date(payload.exp * 1000),
    scope: payload.scope === undefined ? [] : parseScope(payload.scope, WHAT),
  };
}
