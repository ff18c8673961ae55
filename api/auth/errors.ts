/** Why a bearer token was refused: a stable code for logs and tests, a message safe to show. */
export type TokenErrorCode =
  | 'token_missing'
  | 'token_malformed'
  | 'token_too_large'
  | 'token_header_forbidden'
  | 'token_algorithm'
  | 'token_signature'
  | 'token_claims'
  | 'token_expired'
  | 'token_type';

export class TokenError extends Error {
  override readonly name = 'TokenError';
  constructor(
    readonly code: TokenErrorCode,
    message: string,
  ) {
    super(message);
  }
}
