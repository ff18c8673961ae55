/**
 * Signing for every token Warden mints: the current ring key, ES256, `kid` and an explicit `typ` in the
 * protected header (RFC 8725 §3.11), and never a token the verifiers would refuse for its size.
 */
import { p256 } from '@noble/curves/nist.js';
import { SignJWT, type JWTPayload } from 'jose';
import { importPrivate, privateScalar, SIGNING_ALG, type SigningKey } from './signing-keys.js';
import { MAX_TOKEN_BYTES } from './verify.js';

export async function signWardenJwt(key: SigningKey, typ: string, claims: JWTPayload): Promise<string> {
  return sized(
    await new SignJWT(claims)
      .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ })
      .sign(await importPrivate(key)),
  );
}

/**
 * The same token, byte for byte, every time it is signed with the same key over the same claims, on any
 * process: ECDSA with the nonce derived from the key and the message (RFC 6979) instead of drawn at random.
 * For a token Temporal records only the claims of, so every answer that hands it out hands out one token.
 * Several times the CPU of `signWardenJwt` (a JavaScript curve, not the native one): use it only there.
 */
export async function signWardenJwtDeterministically(
  key: SigningKey,
  typ: string,
  claims: JWTPayload,
): Promise<string> {
  const scalar = await privateScalar(key);
  const signingInput = `${base64url(JSON.stringify({ alg: SIGNING_ALG, kid: key.kid, typ }))}.${base64url(JSON.stringify(claims))}`;
  return sized(
    `${signingInput}.${Buffer.from(es256Deterministic(new TextEncoder().encode(signingInput), scalar)).toString('base64url')}`,
  );
}

/**
 * ECDSA P-256 over SHA-256 with the RFC 6979 nonce, as the RFC's own test vectors have it (no low-S
 * normalization, which JWS does not ask for), in JWS form: the raw r‖s pair (RFC 7518 §3.4).
 */
export function es256Deterministic(message: Uint8Array, scalar: Uint8Array): Uint8Array {
  return p256.sign(message, scalar, { prehash: true, format: 'compact', extraEntropy: false, lowS: false });
}

function sized(token: string): string {
  if (token.length > MAX_TOKEN_BYTES)
    throw new RangeError(`The token would be larger than ${MAX_TOKEN_BYTES} bytes; put less in it.`);
  return token;
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** `iat`/`exp` in whole seconds. A lifetime the verifier would refuse is a programming error. */
export function issueTimes(now: Date, ttlSeconds: number, maxLifetimeSeconds: number): { iat: number; exp: number } {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > maxLifetimeSeconds) {
    throw new RangeError(`ttlSeconds must be a whole number from 1 to ${maxLifetimeSeconds}.`);
  }
  const iat = Math.floor(now.getTime() / 1000);
  return { iat, exp: iat + ttlSeconds };
}

export function nonEmpty(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string.`);
  return value;
}
