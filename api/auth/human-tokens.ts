/**
 * Verifies human bearer tokens (RFC 8725 practice): size-capped, algorithms pinned, issuer and audience
 * pinned, expiry required, key-carrying headers (`jku`, `x5u`, `x5c`, `jwk`) refused and never fetched,
 * keys only from the configured JWKS. Anything unexpected is a refusal.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import type { HumanIssuerSettings } from '../../config/config.js';
import { isRole, isValidEmail, normalizeEmail, type Role } from '../../domain/people.js';
import { loadDevIssuerKey } from './dev-issuer.js';
import { TokenError } from '../../tokens/errors.js';
import type { VerifiedHumanToken } from './principal.js';

export const MAX_TOKEN_BYTES = 8192;
const FORBIDDEN_HEADERS = ['jku', 'x5u', 'x5c', 'jwk'] as const;
/** `typ` values a human access token may carry; absent is allowed (many IdPs omit it). */
const HUMAN_TOKEN_TYPES = new Set(['jwt', 'at+jwt', 'application/at+jwt']);
const CLOCK_TOLERANCE_S = 30;

export type HumanTokenVerifier = (token: string) => Promise<VerifiedHumanToken>;

export async function createHumanTokenVerifier(
  settings: HumanIssuerSettings,
  dataDir: string,
): Promise<HumanTokenVerifier> {
  const keys = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 })
    : createLocalJWKSet({ keys: [(await loadDevIssuerKey(dataDir)).publicJwk] });
  const algorithms = settings.algorithms;

  return async (token: string) => {
    if (token.length > MAX_TOKEN_BYTES)
      throw new TokenError('token_too_large', `The bearer token is larger than ${MAX_TOKEN_BYTES} bytes.`);
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
      throw new TokenError('token_malformed', 'The bearer token is not a signed JWT (three base64url parts).');
    }
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new TokenError('token_malformed', 'The bearer token header cannot be decoded.');
    }
    for (const name of FORBIDDEN_HEADERS) {
      if (name in header)
        throw new TokenError(
          'token_header_forbidden',
          `The bearer token carries a "${name}" header; Warden never takes keys from a token.`,
        );
    }
    if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) {
      throw new TokenError(
        'token_algorithm',
        `The bearer token's algorithm is not accepted (accepted: ${algorithms.join(', ')}).`,
      );
    }
    if (header.typ !== undefined && !HUMAN_TOKEN_TYPES.has(String(header.typ).toLowerCase())) {
      throw new TokenError(
        'token_type',
        `A token of type "${String(header.typ).slice(0, 40)}" is not a user access token.`,
      );
    }

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms,
        requiredClaims: ['exp', 'iat', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_S,
      }));
    } catch (err) {
      throw mapJoseError(err);
    }
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_S) {
      throw new TokenError('token_claims', 'The bearer token was issued in the future.');
    }
    if (Array.isArray(payload.aud) && payload.aud.length !== 1) {
      throw new TokenError('token_claims', 'The bearer token must have exactly one audience.');
    }
    const rawEmail = payload[settings.emailClaim] ?? payload.sub;
    const email = typeof rawEmail === 'string' ? normalizeEmail(rawEmail) : '';
    if (!isValidEmail(email))
      throw new TokenError('token_claims', `The bearer token has no valid "${settings.emailClaim}" claim.`);
    const claim = payload[settings.rolesClaim];
    return {
      subject: payload.sub!,
      email,
      tokenRoles: claim === undefined ? null : rolesFrom(claim),
      ...(typeof payload.jti === 'string' ? { tokenId: payload.jti } : {}),
      expiresAt: new Date((payload.exp as number) * 1000),
    };
  };
}

/**
 * Roles as an array or a space/comma-separated string; unknown roles are ignored, never guessed (they only narrow the
 * directory's).
 */
function rolesFrom(claim: unknown): Role[] {
  const values = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/[\s,]+/) : [];
  return [...new Set(values.filter((v): v is Role => typeof v === 'string' && isRole(v)))].sort();
}

function mapJoseError(err: unknown): TokenError {
  if (err instanceof TokenError) return err;
  if (err instanceof joseErrors.JWTExpired) return new TokenError('token_expired', 'The bearer token has expired.');
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    return new TokenError('token_claims', `The bearer token's "${err.claim}" claim is not acceptable (${err.reason}).`);
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed)
    return new TokenError('token_algorithm', "The bearer token's algorithm is not accepted.");
  if (err instanceof joseErrors.JWKSNoMatchingKey)
    return new TokenError('token_signature', 'The bearer token was signed by an unknown key.');
  if (err instanceof joseErrors.JWKSMultipleMatchingKeys)
    return new TokenError('token_signature', 'The bearer token names an ambiguous key.');
  if (err instanceof joseErrors.JWSSignatureVerificationFailed)
    return new TokenError('token_signature', "The bearer token's signature does not verify.");
  if (err instanceof joseErrors.JWKSTimeout)
    return new TokenError('token_signature', 'The identity provider keys could not be fetched in time.');
  return new TokenError('token_malformed', 'The bearer token is malformed.');
}
