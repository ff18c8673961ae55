/**
 * The one verification core for every token Warden issues (RFC 8725 practice). Cheap structural checks
 * run before any key is touched: size cap, compact shape, no key-carrying headers (`jku`, `x5u`, `x5c`,
 * `jwk` — keys come only from the JWKS we are given, nothing is ever fetched), no `crit`, the one
 * algorithm Warden signs with, explicit `typ`. Then jose verifies the signature and the registered
 * claims, and the rules jose leaves open are checked here: exactly one audience, `iat` not in the
 * future, `jti` present, bounded lifetime. Any jose error becomes a TokenError with a stable code.
 */
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
  type JWTVerifyGetKey,
  type ProtectedHeaderParameters,
} from 'jose';
import { TokenError } from './errors.js';

export const MAX_TOKEN_BYTES = 8192;
export const WARDEN_ALGORITHMS = ['ES256'] as const;
export const DEFAULT_CLOCK_TOLERANCE_S = 5;
const FORBIDDEN_HEADERS = ['jku', 'x5u', 'x5c', 'jwk'] as const;
// Header and payload must be present; the signature may be empty so that `alg: none` is reported as an
// algorithm refusal rather than as a malformed token.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export interface WardenJwtOptions {
  jwks: { keys: JWK[] };
  issuer: string;
  audience: string;
  /** Expected `typ`, e.g. `at+jwt`; compared case-insensitively, `application/` prefix allowed. */
  typ: string;
  /** Longest acceptable `exp − iat`. */
  maxLifetimeSeconds: number;
  clockToleranceSeconds?: number;
  now?: Date;
  /** How messages name the token ("access token", "grant"); default "token". */
  tokenName?: string;
}

/** A payload that passed `verifyWardenJwt`: the registered claims it guarantees are typed as present. */
export type WardenJwtPayload = JWTPayload & {
  iss: string;
  sub: string;
  aud: string | string[];
  iat: number;
  exp: number;
  jti: string;
};

export interface WardenEventJwtOptions {
  jwks: { keys: JWK[] };
  issuer: string;
  audience: string;
  typ: string;
  clockToleranceSeconds?: number;
  now?: Date;
  tokenName?: string;
}

export type WardenEventJwtPayload = JWTPayload & { iss: string; aud: string | string[]; iat: number; jti: string };

/** Verifies a Warden-issued JWT that expires: `exp`, `iat`, `jti` and `sub` required, lifetime bounded. */
export async function verifyWardenJwt(token: string, options: WardenJwtOptions): Promise<WardenJwtPayload> {
  if (!(options.maxLifetimeSeconds > 0)) throw new TypeError('maxLifetimeSeconds must be a positive number');
  const what = options.tokenName ?? 'token';
  const payload = await verifyCore(token, { ...options, what, requiredClaims: ['exp', 'iat', 'jti', 'sub'] });
  requireNonEmptyString(payload, 'sub', what);
  if (payload.exp! - payload.iat! > options.maxLifetimeSeconds) {
    throw new TokenError(
      'token_lifetime',
      `The ${what} is valid for longer than ${options.maxLifetimeSeconds} seconds, which Warden never issues.`,
    );
  }
  return payload as WardenJwtPayload;
}

/**
 * Verifies a Warden-issued JWT that must NOT expire — a Security Event Token (RFC 8417 §2.2, SSF 1.0
 * §4.1.3: a SET carries no `exp`, so it cannot be passed off as an access token or ID token). Same
 * header, signature, issuer, audience, `iat` and `jti` rules as `verifyWardenJwt`.
 */
export async function verifyWardenEventJwt(
  token: string,
  options: WardenEventJwtOptions,
): Promise<WardenEventJwtPayload> {
  const what = options.tokenName ?? 'token';
  const payload = await verifyCore(token, { ...options, what, requiredClaims: ['iat', 'jti'] });
  if ('exp' in payload)
    throw new TokenError(
      'token_claims',
      `The ${what} carries an "exp" claim; security event tokens never expire that way.`,
    );
  return payload as WardenEventJwtPayload;
}

interface CoreOptions {
  jwks: { keys: JWK[] };
  issuer: string;
  audience: string;
  typ: string;
  clockToleranceSeconds?: number;
  now?: Date;
  what: string;
  requiredClaims: string[];
}

async function verifyCore(token: string, options: CoreOptions): Promise<JWTPayload> {
  const { what } = options;
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_S;
  const now = options.now ?? new Date();
  const header = inspectCompactJwt(token, what);
  if (header.alg !== 'ES256') {
    throw new TokenError('token_algorithm', `The ${what} is not signed with ES256, the only algorithm Warden uses.`);
  }
  if (!typMatches(header.typ, options.typ)) {
    throw new TokenError(
      'token_type',
      header.typ === undefined
        ? `The ${what} has no "typ" header; expected "${options.typ}".`
        : `The ${what} is not of type "${options.typ}" (typ header).`,
    );
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw new TokenError('token_signature', `The ${what} does not name its signing key (kid).`);
  }

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, localKeySet(options.jwks), {
      algorithms: [...WARDEN_ALGORITHMS],
      typ: options.typ,
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: options.requiredClaims,
      clockTolerance: tolerance,
      currentDate: now,
    }));
  } catch (err) {
    throw joseToTokenError(err, what);
  }

  // jose accepts any audience list that contains ours; a token for us and for someone else is refused,
  // since whoever else holds it could replay it here.
  if (Array.isArray(payload.aud) ? payload.aud.length !== 1 : typeof payload.aud !== 'string') {
    throw new TokenError('token_audience', `The ${what} must name exactly one audience.`);
  }
  if (payload.iat! > now.getTime() / 1000 + tolerance) {
    throw new TokenError('token_claims', `The ${what} was issued in the future (iat); check the issuer's clock.`);
  }
  requireNonEmptyString(payload, 'jti', what);
  return payload;
}

/**
 * Structural checks that need no key: size, compact shape, a decodable header, no key-carrying or
 * `crit` headers. Returns the (unverified) header.
 */
export function inspectCompactJwt(token: unknown, what: string): ProtectedHeaderParameters & JWTHeaderParameters {
  if (typeof token !== 'string') throw new TokenError('token_malformed', `The ${what} is not a string.`);
  // Every legal character is ASCII, so characters count bytes here.
  if (token.length > MAX_TOKEN_BYTES)
    throw new TokenError('token_too_large', `The ${what} is larger than ${MAX_TOKEN_BYTES} bytes.`);
  if (!COMPACT_JWS.test(token))
    throw new TokenError('token_malformed', `The ${what} is not a signed JWT (three base64url parts).`);
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new TokenError('token_malformed', `The ${what}'s header cannot be decoded.`);
  }
  for (const name of FORBIDDEN_HEADERS) {
    if (name in header)
      throw new TokenError(
        'token_header_forbidden',
        `The ${what} carries a "${name}" header; Warden never takes keys from a token.`,
      );
  }
  // No extension Warden relies on is critical; an unknown one must not be half-understood.
  if ('crit' in header)
    throw new TokenError(
      'token_header_forbidden',
      `The ${what} carries a "crit" header, which Warden does not accept.`,
    );
  return header as ProtectedHeaderParameters & JWTHeaderParameters;
}

/** RFC 8725 §3.11 media type comparison: case-insensitive, `application/` prefix optional. */
export function normalizeTyp(value: string): string {
  const lower = value.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

export function typMatches(actual: unknown, expected: string): boolean {
  return typeof actual === 'string' && normalizeTyp(actual) === normalizeTyp(expected);
}

export function requireNonEmptyString(payload: JWTPayload, claim: string, what: string): string {
  const value = payload[claim];
  if (typeof value !== 'string' || value === '')
    throw new TokenError('token_claims', `The ${what} has no "${claim}" claim (a non-empty string is required).`);
  return value;
}

/**
 * Maps a jose verification error to a TokenError. Errors about the key set itself (a private or broken
 * key in the JWKS) are configuration bugs, not bad tokens, and are rethrown as they are.
 */
export function joseToTokenError(err: unknown, what: string): Error {
  if (err instanceof TokenError) return err;
  if (
    err instanceof joseErrors.JWKSInvalid ||
    err instanceof joseErrors.JWKInvalid ||
    !(err instanceof joseErrors.JOSEError)
  ) {
    return err instanceof Error ? err : new Error(String(err));
  }
  if (err instanceof joseErrors.JWTExpired) return new TokenError('token_expired', `The ${what} has expired.`);
  if (err instanceof joseErrors.JWTClaimValidationFailed) return claimError(err, what);
  if (err instanceof joseErrors.JOSEAlgNotAllowed)
    return new TokenError('token_algorithm', `The ${what}'s algorithm is not accepted.`);
  if (err instanceof joseErrors.JWKSNoMatchingKey)
    return new TokenError('token_signature', `The ${what} was signed by a key that is not trusted here.`);
  if (err instanceof joseErrors.JWKSMultipleMatchingKeys)
    return new TokenError('token_signature', `The ${what} does not say which of several keys signed it (kid).`);
  if (err instanceof joseErrors.JWSSignatureVerificationFailed)
    return new TokenError('token_signature', `The ${what}'s signature does not verify.`);
  return new TokenError('token_malformed', `The ${what} is malformed.`);
}

function claimError(err: InstanceType<typeof joseErrors.JWTClaimValidationFailed>, what: string): TokenError {
  const missing = err.reason === 'missing';
  switch (err.claim) {
    case 'iss':
      return new TokenError(
        'token_issuer',
        missing
          ? `The ${what} has no issuer (iss).`
          : `The ${what} was issued by someone Warden does not accept here (iss).`,
      );
    case 'aud':
      return new TokenError(
        'token_audience',
        missing ? `The ${what} has no audience (aud).` : `The ${what} is meant for another audience (aud).`,
      );
    case 'nbf':
      return new TokenError('token_not_yet_valid', `The ${what} is not valid yet (nbf).`);
    case 'typ':
      return new TokenError('token_type', `The ${what} has the wrong type (typ header).`);
    default:
      // Claim names here come from our own options or jose's fixed list, never from the token.
      return new TokenError(
        'token_claims',
        missing ? `The ${what} has no "${err.claim}" claim.` : `The ${what}'s "${err.claim}" claim is not acceptable.`,
      );
  }
}

// One per agent that signs in (its own public keys) plus the issuers': large enough that a deployment's
// agents do not evict each other, so a key is imported once rather than on every request.
const MAX_CACHED_KEY_SETS = 20_000;
const keySets = new Map<string, JWTVerifyGetKey>();

/**
 * A jose key set per distinct JWKS content, so imported keys are reused across requests. Keyed by
 * content rather than object identity: a rotated ring is a different key set, never a stale one.
 */
export function localKeySet(jwks: { keys: JWK[] }): JWTVerifyGetKey {
  for (const key of jwks.keys) {
    if ('d' in key || 'k' in key) throw new TypeError('A verification key set must hold public keys only.');
  }
  const id = JSON.stringify(jwks.keys);
  const set = keySets.get(id) ?? createLocalJWKSet(jwks);
  // Least recently used goes first: re-inserting moves this one to the end.
  keySets.delete(id);
  keySets.set(id, set);
  if (keySets.size > MAX_CACHED_KEY_SETS) keySets.delete(keySets.keys().next().value!);
  return set;
}
