/**
 * Turns what Temporal says into Warden's stable errors. A workflow refuses a change with an
 * ApplicationFailure whose `type` is an ErrorCode; that code and message reach the caller unchanged.
 * Anything else is an internal error whose details stay in the server log.
 */
import {
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ErrorCode, isErrorCode, WardenError } from '../../domain/errors.js';

export function fromTemporal(err: unknown, notFoundMessage: string): unknown {
  if (err instanceof WardenError) return err;
  if (err instanceof WorkflowNotFoundError) return new WardenError(ErrorCode.NOT_FOUND, notFoundMessage);
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && isErrorCode(cause.type))
      return new WardenError(cause.type, cause.message);
  }
  if (err instanceof ServiceError) {
    // The caller gets a stable code; the operator gets what Temporal said (a gRPC status, never a payload).
    console.warn(`api: Temporal call failed: ${describeServiceError(err)}`);
    return new WardenError(
      ErrorCode.UNAVAILABLE,
      'Temporal is not answering right now; nothing was changed by this request. Retry shortly.',
    );
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new WardenError(
      ErrorCode.UNAVAILABLE,
      'Temporal did not answer in time; the change may still apply. Retry to see its outcome.',
    );
  }
  return err;
}

function describeServiceError(err: ServiceError): string {
  const cause = err.cause as { code?: number; details?: string } | undefined;
  return [err.message, cause?.code !== undefined ? `gRPC status ${cause.code}` : '', cause?.details ?? '']
    .filter(Boolean)
    .join(' — ');
}

/** Runs a Temporal call, translating its failures. */
export async function viaTemporal<T>(call: () => Promise<T>, notFoundMessage: string): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw fromTemporal(err, notFoundMessage);
  }
}
