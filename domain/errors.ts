/**
 * Stable error codes. Every API answers bad input with one of these (as GraphQL `extensions.code`),
 * and workflows reject updates with an ApplicationFailure whose `type` is one of these, so a code
 * survives the trip from a workflow through Temporal to the caller unchanged.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const knownCodes = new Set<string>(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && knownCodes.has(value);
}

/** An error whose message is safe to show to the caller, with a stable code. */
export class WardenError extends Error {
  override readonly name = 'WardenError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const unauthenticated = (message: string) => new WardenError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message: string) => new WardenError(ErrorCode.FORBIDDEN, message);
export const notFound = (message: string) => new WardenError(ErrorCode.NOT_FOUND, message);
export const badInput = (message: string) => new WardenError(ErrorCode.BAD_USER_INPUT, message);
export const conflict = (message: string) => new WardenError(ErrorCode.CONFLICT, message);
