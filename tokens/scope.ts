/**
 * OAuth `scope` strings (RFC 6749 §3.3): space-separated tokens of printable ASCII without `"` or `\`.
 * Warden uses them for an access token's scope and for the operations a grant allows.
 */
import { TokenError } from './errors.js';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function isScopeToken(value: unknown): value is string {
  return typeof value === 'string' && SCOPE_TOKEN.test(value);
}

/** Joins scope tokens for minting; a bad token is a programming error, not a token error. */
export function formatScope(tokens: readonly string[]): string {
  for (const token of tokens) {
    if (!isScopeToken(token)) throw new TypeError(`Not a valid scope token: ${JSON.stringify(token).slice(0, 60)}`);
  }
  return [...new Set(tokens)].join(' ');
}

/** Splits a verified token's `scope` claim; anything but a well-formed string is refused. */
export function parseScope(claim: unknown, what: string): string[] {
  if (typeof claim !== 'string') throw new TokenError('token_claims', `The ${what}'s "scope" claim is not a string.`);
  const tokens = claim.split(' ');
  if (!tokens.every(isScopeToken))
    throw new TokenError('token_claims', `The ${what}'s "scope" claim is not a space-separated list of scope tokens.`);
  return tokens;
}
