/** What every audit sink does: write chained batches, and (the file) answer queries and verify the chain. */
import type { ChainLink } from './chain.js';
import type { ChainedAuditEvent } from './events.js';

export interface AuditSink {
  /** Resolves once the events are durably accepted; throws otherwise (the caller retries the batch). */
  write(events: readonly ChainedAuditEvent[]): Promise<void>;
}

export interface AuditFilter {
  /** The agent (CloudEvents `subject`). */
  agentId?: string;
  /** CloudEvents type(s), e.g. `io.warden.action.decided`. */
  type?: string | readonly string[];
  /** Events at or after this time. */
  since?: Date | string;
  /** Events before this time. */
  until?: Date | string;
  actionId?: string;
}

export interface AuditQuery {
  filter?: AuditFilter;
  /** Page size, 1…MAX_AUDIT_PAGE (default 50). */
  first?: number;
  /** Cursor: the `wardenseq` of the last event of the previous page. */
  after?: number | null;
}

export interface AuditPage {
  events: ChainedAuditEvent[];
  hasNextPage: boolean;
  /** `wardenseq` of the last event returned (the next page's `after`), null when empty. */
  endCursor: number | null;
}

export const MAX_AUDIT_PAGE = 1000;

/** The audit log cannot be read as a sequence of audit events (a line is not JSON, or not an event). */
export class AuditLogCorruptError extends Error {
  constructor(
    readonly file: string,
    /** 1-based line number, or 'last' for the last complete line found when reading the tail. */
    readonly line: number | 'last',
  ) {
    super(`audit log ${file}: ${line === 'last' ? 'the last line' : `line ${line}`} is not an audit event`);
    this.name = 'AuditLogCorruptError';
  }
}

/** A batch does not continue the sink's chain (a second writer, or a bug): nothing was written. */
export class AuditChainConflictError extends Error {
  constructor(
    message: string,
    readonly head: ChainLink | null,
  ) {
    super(message);
    this.name = 'AuditChainConflictError';
  }
}
