/**
 * Signing for every token Warden mints: the current ring key, ES256, `kid` and an explicit `typ` in the
 * protected header (RFC 8725 §3.11), and never a token the verifiers would refuse for its size.
 */
import { SignJWT, type JWTPayload } from 'jose';
import { importPrivate, SIGNING_ALG, type SigningKey } from './signing-keys.js';
import { MAX_TOKEN_BYTES } from './verify.js';

export async function signWardenJwt(key: SigningKey, typ: string, claims: JWTPayload): Promise<string> {
  const token = await new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ }).sign(await importPrivate(key));
  if (token.length > MAX_TOKEN_BYTES) throw new RangeError(`The token would be larger than ${MAX_TOKEN_BYTES} bytes; put less in it.`);
  return token;
}

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
