/**
 * The one writer of an audit chain: chains events after the current head and writes them to a sink,
 * one batch at a time. A failed batch is kept and sent again (same ids, same hashes) before anything
 * newer, so a sink that already took it (a file) skips it while one that did not (a webhook) gets it;
 * the same events appended again (an activity retry, recognised by CloudEvents id among the last few
 * thousand) are not chained twice — so give events deterministic ids where a retry can rebuild them.
 */
import { chainAll, linkOf, type ChainLink } from './chain.js';
import type { AuditEventUnchained, ChainedAuditEvent } from './events.js';
import { AuditChainConflictError, type AuditSink } from './sink.js';

const RECENT_IDS = 4096;

export interface AuditTrailOptions {
  /** Where the chain ends now, e.g. `() => fileSink.lastLink()`; asked once, and again after a chain
   *  conflict (another writer moved the head). Default: a new chain. */
  head?: () => Promise<ChainLink | null>;
}

export class AuditTrail {
  private readonly sink: AuditSink;
  private readonly loadHead: () => Promise<ChainLink | null>;
  private link: ChainLink | null | undefined;
  private pending: ChainedAuditEvent[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  /** Recently written events by id: appending one again (a retry after a lost answer) returns it as written. */
  private readonly recentIds = new Map<string, ChainedAuditEvent>();

  constructor(sink: AuditSink, options: AuditTrailOptions = {}) {
    this.sink = sink;
    this.loadHead = options.head ?? (async () => null);
  }

  /** The head after the last successful write (undefined before the first append). */
  get head(): ChainLink | null | undefined {
    return this.link;
  }

  /** Chains and writes `events`; resolves with them as written. */
  append(events: readonly AuditEventUnchained[]): Promise<ChainedAuditEvent[]> {
    const run = this.queue.then(() => this.appendNow(events));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async appendNow(events: readonly AuditEventUnchained[]): Promise<ChainedAuditEvent[]> {
    if (this.link === undefined) this.link = await this.loadHead();
    const written = new Map<string, ChainedAuditEvent>();
    if (this.pending.length > 0) {
      await this.send(this.pending);
      for (const e of this.pending) written.set(e.id, e);
      this.pending = [];
    }
    for (const e of events) {
      const done = this.recentIds.get(e.id);
      if (done && !written.has(e.id)) written.set(e.id, done);
    }
    const fresh = events.filter((e) => !written.has(e.id));
    if (fresh.length > 0) {
      this.pending = chainAll(this.link, fresh);
      await this.send(this.pending);
      for (const e of this.pending) written.set(e.id, e);
      this.pending = [];
    }
    return events.map((e) => written.get(e.id)).filter((e): e is ChainedAuditEvent => e !== undefined);
  }

  /** Writes a chained batch; after a chain conflict re-reads the head and chains the batch again once. */
  private async send(batch: ChainedAuditEvent[]): Promise<void> {
    try {
      await this.sink.write(batch);
    } catch (err) {
      if (!isConflict(err)) throw err;
      this.link = await this.loadHead();
      const rechained = chainAll(this.link, batch);
      batch.splice(0, batch.length, ...rechained);
      await this.sink.write(batch);
    }
    this.link = linkOf(batch[batch.length - 1]!);
    for (const e of batch) {
      this.recentIds.set(e.id, e);
      if (this.recentIds.size > RECENT_IDS) this.recentIds.delete(this.recentIds.keys().next().value!);
    }
  }
}

function isConflict(err: unknown): boolean {
  if (err instanceof AuditChainConflictError) return true;
  return err instanceof AggregateError && err.errors.some((e) => e instanceof AuditChainConflictError);
}
