/**
 * Agents authenticate to Warden's token endpoint with `private_key_jwt` (RFC 7523 §2.2, §3): a JWT the
 * agent signs with one of its registered credential keys, `iss` = `sub` = its client id, `aud` naming
 * Warden, short-lived, with a `jti`.
 *
 * Replay: this module is pure and cannot remember assertions. The caller MUST record each accepted `jti`
 * in durable state (the agent's workflow) until `expiresAt` plus clock tolerance, and refuse a `jti` seen
 * before — atomically with accepting it, so two concurrent requests cannot both use one assertion. Key
 * the record on `jti`, never on the assertion's bytes: ECDSA signatures are malleable, so the same
 * assertion can be re-encoded with a different, equally valid signature.
 */
import { decodeJwt, errors as joseErrors, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { TokenError } from './errors.js';
import {
  DEFAULT_CLOCK_TOLERANCE_S,
  inspectCompactJwt,
  joseToTokenError,
  localKeySet,
  normalizeTyp,
  requireNonEmptyString,
} from './verify.js';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const CLIENT_ASSERTION_ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'] as const;
export const CLIENT_ASSERTION_DEFAULT_MAX_LIFETIME_S = 300;
/** Warden's own token types: one of these offered as an assertion is a replay of a Warden token. */
const REFUSED_TYPES = new Set(['at+jwt', 'secevent+jwt']);
const WHAT = 'client assertion';

export interface VerifyClientAssertionOptions {
  /** The client id the request claims (the `client_id` form parameter), when it sent one. */
  expectedClientId?: string;
  /** The agent's registered public keys: the current one and any overlapping during rotation. */
  publicKeys: JWK[];
  /** Identifiers that name Warden: its token endpoint URL and its issuer. */
  audiences: string[];
  maxLifetimeSeconds?: number;
  clockToleranceSeconds?: number;
  now?: Date;
}

export interface VerifiedClientAssertion {
  clientId: string;
  jti: string;
  /** Keep the `jti` at least this long (plus clock tolerance) to refuse replays. */
  expiresAt: Date;
  /** The credential key that verified it, when the header or the key names one. */
  kid?: string;
}

export async function verifyClientAssertion(
  assertion: string,
  options: VerifyClientAssertionOptions,
): Promise<VerifiedClientAssertion> {
  if (options.audiences.length === 0) throw new TypeError('audiences must name at least one identifier of Warden.');
  const maxLifetime = options.maxLifetimeSeconds ?? CLIENT_ASSERTION_DEFAULT_MAX_LIFETIME_S;
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_S;
  const now = options.now ?? new Date();

  const header = inspectCompactJwt(assertion, WHAT);
  if (!(CLIENT_ASSERTION_ALGORITHMS as readonly unknown[]).includes(header.alg)) {
    throw new TokenError(
      'token_algorithm',
      `The client assertion's algorithm is not accepted (accepted: ${CLIENT_ASSERTION_ALGORITHMS.join(', ')}).`,
    );
  }
  if (header.typ !== undefined && (typeof header.typ !== 'string' || REFUSED_TYPES.has(normalizeTyp(header.typ)))) {
    throw new TokenError('token_type', 'A token Warden issued cannot be used as a client assertion.');
  }
  if (header.kid !== undefined && typeof header.kid !== 'string')
    throw new TokenError('token_malformed', "The client assertion's kid header is not a string.");

  // With a kid, only that key; without one (RFC 7523 does not require it), each registered key in turn.
  const candidates =
    header.kid === undefined ? options.publicKeys : options.publicKeys.filter((k) => k.kid === header.kid);
  let verified: { payload: JWTPayload; key: JWK } | undefined;
  for (const key of candidates) {
    try {
      const { payload } = await jwtVerify(assertion, localKeySet({ keys: [key] }), {
        algorithms: [...CLIENT_ASSERTION_ALGORITHMS],
        audience: options.audiences,
        requiredClaims: ['iss', 'sub', 'exp', 'jti'],
        clockTolerance: tolerance,
        currentDate: now,
      });
      verified = { payload, key };
      break;
    } catch (err) {
      // This key is of another type than the algorithm, or did not sign it: try the next one. Anything
      // else was found after the signature verified, and is the answer.
      if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWSSignatureVerificationFailed)
        continue;
      throw joseToTokenError(err, WHAT);
    }
  }
  if (!verified)
    throw new TokenError(
      'token_signature',
      'The client assertion was not signed by any key registered for this client.',
    );

  const { payload } = verified;
  const iss = requireNonEmptyString(payload, 'iss', WHAT);
  if (requireNonEmptyString(payload, 'sub', WHAT) !== iss)
    throw new TokenError('token_claims', "The client assertion's iss and sub must both be the client id.");
  if (options.expectedClientId !== undefined && iss !== options.expectedClientId) {
    throw new TokenError(
      'token_issuer',
      'The client assertion was made by another client than the one authenticating.',
    );
  }
  const jti = requireNonEmptyString(payload, 'jti', WHAT);
  const nowS = now.getTime() / 1000;
  if (payload.iat !== undefined && payload.iat > nowS + tolerance) {
    throw new TokenError(
      'token_claims',
      "The client assertion was issued in the future (iat); check the client's clock.",
    );
  }
  // A long-lived assertion is a reusable credential in disguise; measured from iat, or from now without one.
  if (payload.exp! - (payload.iat ?? nowS) > maxLifetime) {
    throw new TokenError(
      'token_lifetime',
      `The client assertion is valid for longer than ${maxLifetime} seconds; make a fresh, short-lived one per request.`,
    );
  }
  const kid = header.kid ?? verified.key.kid;
  return { clientId: iss, jti, expiresAt: new Date(payload.exp! * 1000), ...(kid !== undefined ? { kid } : {}) };
}

/**
 * The client id an assertion claims (`iss`, else `sub`), unverified: only to find the agent whose keys
 * then verify it. Never trust it for anything else.
 */
export function peekClientId(assertion: string): string {
  inspectCompactJwt(assertion, WHAT);
  let payload: JWTPayload;
  try {
    payload = decodeJwt(assertion);
  } catch {
    throw new TokenError('token_malformed', "The client assertion's claims cannot be decoded.");
  }
  const id = payload.iss ?? payload.sub;
  if (typeof id !== 'string' || id === '')
    throw new TokenError('token_malformed', 'The client assertion names no client (iss).');
  return id;
}
