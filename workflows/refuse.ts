import { ApplicationFailure } from '@temporalio/workflow';
import type { ErrorCode } from '../domain/errors.js';

/** Refuses a message or a start with a stable code; non-retryable (asking again changes nothing). */
export function refuse(type: ErrorCode, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}
