/**
 * Why a Warden token (or an agent's client assertion) was refused: a stable code for logs, metrics and
 * tests, and a message that is safe to show — it says what is wrong, never echoes the token or a key.
 */
export const TOKEN_ERROR_CODES = [
  'token_malformed',
  'token_too_large',
  'token_header_forbidden',
  'token_algorithm',
  'token_signature',
  'token_type',
  'token_issuer',
  'token_audience',
  'token_expired',
  'token_not_yet_valid',
  'token_claims',
  'token_lifetime',
  'token_scope',
  // Checked against the agent's durable state, not the token alone:
  'token_revoked',
  'token_inactive',
] as const;
export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number];

export class TokenError extends Error {
  override readonly name = 'TokenError';
  constructor(
    readonly code: TokenErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isTokenError(value: unknown): value is TokenError {
  return value instanceof TokenError;
}
