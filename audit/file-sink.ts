/**
 * The audit trail's file: JSON lines, one chained event per line, fsynced per batch. It is durable,
 * queryable (filters, pages), continues its chain after a restart, and verifies against the chain head.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { linkOf, verifyChainFrom, type ChainLink, type ChainVerification } from './chain.js';
import { auditActionId, type ChainedAuditEvent } from './events.js';
import {
  AuditChainConflictError,
  AuditLogCorruptError,
  MAX_AUDIT_PAGE,
  type AuditFilter,
  type AuditPage,
  type AuditQuery,
  type AuditSink,
} from './sink.js';

function parseEvent(line: string): ChainedAuditEvent | undefined {
  try {
    const v: unknown = JSON.parse(line);
    if (
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      Number.isSafeInteger((v as ChainedAuditEvent).wardenseq)
    ) {
      return v as ChainedAuditEvent;
    }
  } catch {
    // fall through
  }
  return undefined;
}

function toMs(t: Date | string | undefined, name: string): number | undefined {
  if (t === undefined) return undefined;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  if (Number.isNaN(ms)) throw new RangeError(`audit query: ${name} is not a valid time`);
  return ms;
}

function matcher(filter: AuditFilter | undefined): (e: ChainedAuditEvent) => boolean {
  if (!filter) return () => true;
  const types =
    filter.type === undefined ? undefined : new Set(typeof filter.type === 'string' ? [filter.type] : filter.type);
  const since = toMs(filter.since, 'since');
  const until = toMs(filter.until, 'until');
  return (e) => {
    if (filter.agentId !== undefined && e.subject !== filter.agentId) return false;
    if (types && !types.has(e.type)) return false;
    if (filter.actionId !== undefined && auditActionId(e) !== filter.actionId) return false;
    if (since !== undefined || until !== undefined) {
      const t = Date.parse(e.time);
      if (since !== undefined && !(t >= since)) return false;
      if (until !== undefined && !(t < until)) return false;
    }
    return true;
  };
}

const TAIL_CHUNK = 64 * 1024;
const RECENT_LINKS = 1024;

interface Tail {
  /** The last complete record, if any. */
  last: ChainedAuditEvent | null;
  /** Bytes after the last newline: '' normally; a record missing its newline; or a torn write. */
  partial: string;
  /** Where `partial` starts. */
  partialStart: number;
  size: number;
}

/**
 * Audit events as JSON lines, one CloudEvent per line, appended and fsynced before `write` resolves.
 * One writer per file: the sink refuses a batch that does not continue the chain it finds on disk
 * (AuditChainConflictError), re-reading the tail whenever the file changed behind its back. A batch it
 * already wrote (same seq and hash, e.g. a retry after a partial failure elsewhere) is skipped.
 * A torn last line — a crash during an append, never acknowledged — is cut off before the next append.
 */
export class JsonLinesFileSink implements AuditSink {
  readonly file: string;
  private head: ChainLink | null | undefined;
  private knownSize = -1;
  private readonly recent = new Map<number, string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.file = path.resolve(file);
  }

  write(events: readonly ChainedAuditEvent[]): Promise<void> {
    const run = this.queue.then(() => this.append(events));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async append(events: readonly ChainedAuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const size = await fileSize(this.file);
    let prefix = '';
    if (this.head === undefined || size !== this.knownSize) {
      const tail = await this.readTail();
      if (tail.partial) {
        if (parseEvent(tail.partial))
          prefix = '\n'; // a complete record that lost its newline
        else await fs.truncate(this.file, tail.partialStart); // a torn, unacknowledged append
      }
      const last = tail.partial && parseEvent(tail.partial) ? parseEvent(tail.partial)! : tail.last;
      this.head = last ? linkOf(last) : null;
      this.recent.clear();
      if (last) this.recent.set(last.wardenseq, last.wardenhash);
    }

    // Skip what this file already holds (a retried batch); everything else must continue the chain.
    const head = this.head;
    const old = events.filter((e) => head && e.wardenseq <= head.seq);
    if (old.some((e) => !this.recent.has(e.wardenseq))) await this.remember(new Set(old.map((e) => e.wardenseq)));
    for (const e of old) {
      if (this.recent.get(e.wardenseq) !== e.wardenhash) {
        throw new AuditChainConflictError(
          `audit event ${e.wardenseq} is already written with another hash (head ${head!.seq})`,
          head!,
        );
      }
    }
    const fresh = events.filter((e) => !head || e.wardenseq > head.seq);
    if (fresh.length === 0) return;
    // The writer hands over events it has just chained; what matters here is that they continue this file.
    const check = verifyChainFrom(head, fresh, { linksOnly: true });
    if (!check.ok) {
      throw new AuditChainConflictError(
        `audit batch does not continue the chain at ${head ? head.seq : 0} (${check.problem} at event ${fresh[check.index]?.wardenseq ?? check.index})`,
        head,
      );
    }

    const text = prefix + fresh.map((e) => `${JSON.stringify(e)}\n`).join('');
    const created = size === 0 && !(await exists(this.file));
    const fh = await fs.open(this.file, 'a');
    try {
      await fh.appendFile(text, 'utf8');
      await fh.sync();
      this.knownSize = (await fh.stat()).size;
    } finally {
      await fh.close();
    }
    if (created) await syncDir(path.dirname(this.file));
    for (const e of fresh) {
      this.recent.set(e.wardenseq, e.wardenhash);
      if (this.recent.size > RECENT_LINKS) this.recent.delete(this.recent.keys().next().value!);
    }
    this.head = linkOf(fresh[fresh.length - 1]!);
  }

  /** Looks up stored hashes of the given sequence numbers (rare: a retry after a failed write). */
  private async remember(seqs: Set<number>): Promise<void> {
    const stream = createReadStream(this.file, { encoding: 'utf8' });
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        const e = line.trim() === '' ? undefined : parseEvent(line);
        if (e && seqs.has(e.wardenseq)) this.recent.set(e.wardenseq, e.wardenhash);
      }
    } finally {
      lines.close();
      stream.destroy();
    }
  }

  /** The last {seq, hash} on disk (null for an empty log): where a restarted writer continues. */
  async lastLink(): Promise<ChainLink | null> {
    await this.queue;
    const tail = await this.readTail();
    const complete = tail.partial ? parseEvent(tail.partial) : undefined;
    const last = complete ?? tail.last;
    return last ? linkOf(last) : null;
  }

  /** Every event, oldest first, exactly as stored (verify with verifyChain). */
  async readAll(): Promise<ChainedAuditEvent[]> {
    const all: ChainedAuditEvent[] = [];
    for await (const e of this.scan()) all.push(e);
    return all;
  }

  /** Streams every stored event, oldest first, one line in memory at a time. */
  async *scan(): AsyncGenerator<ChainedAuditEvent> {
    await this.queue;
    if (!(await exists(this.file))) return;
    const stream = createReadStream(this.file, { encoding: 'utf8' });
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let n = 0;
    try {
      for await (const line of lines) {
        n++;
        if (line.trim() === '') continue;
        const e = parseEvent(line);
        if (!e) throw new AuditLogCorruptError(this.file, n);
        yield e;
      }
    } finally {
      lines.close();
      stream.destroy();
    }
  }

  /**
   * Verifies the whole file against its chain (and an externally kept anchor, if given), streaming in
   * slices of `slice` events so memory stays bounded. Reordering is recognised within a slice; across
   * a slice boundary it shows as `missing`.
   */
  async verify(options: { anchor?: ChainLink; slice?: number } = {}): Promise<ChainVerification> {
    const size = options.slice ?? 1000;
    let prev: ChainLink | null = null;
    let offset = 0;
    let buf: ChainedAuditEvent[] = [];
    const flush = (): ChainVerification => {
      const r = verifyChainFrom(prev, buf);
      if (!r.ok) return { ...r, index: offset + r.index };
      if (buf.length > 0) prev = linkOf(buf[buf.length - 1]!);
      offset += buf.length;
      buf = [];
      return r;
    };
    for await (const e of this.scan()) {
      buf.push(e);
      if (buf.length >= size) {
        const r = flush();
        if (!r.ok) return r;
      }
    }
    const r = flush();
    if (!r.ok) return r;
    const anchor = options.anchor;
    if (!anchor) return r;
    if (!prev || anchor.seq > (prev as ChainLink).seq) return { ok: false, index: offset, problem: 'missing' };
    for await (const e of this.scan()) {
      if (e.wardenseq === anchor.seq)
        return e.wardenhash === anchor.hash ? r : { ok: false, index: anchor.seq - 1, problem: 'edited' };
    }
    return { ok: false, index: offset, problem: 'missing' };
  }

  /**
   * A page of events matching `filter`, in chain order, after the cursor. Reads the file as a stream and
   * stops as soon as the page (plus one, for hasNextPage) is full; memory stays bounded by the page.
   */
  async query(q: AuditQuery = {}): Promise<AuditPage> {
    const first = q.first ?? 50;
    if (!Number.isSafeInteger(first) || first < 1 || first > MAX_AUDIT_PAGE) {
      throw new RangeError(`audit query: first must be an integer from 1 to ${MAX_AUDIT_PAGE}`);
    }
    const after = q.after ?? 0;
    if (!Number.isSafeInteger(after) || after < 0)
      throw new RangeError('audit query: after must be a sequence number (an integer ≥ 0)');
    const match = matcher(q.filter);
    const events: ChainedAuditEvent[] = [];
    let hasNextPage = false;
    for await (const e of this.scan()) {
      if (e.wardenseq <= after || !match(e)) continue;
      if (events.length === first) {
        hasNextPage = true;
        break;
      }
      events.push(e);
    }
    const lastEvent = events[events.length - 1];
    return { events, hasNextPage, endCursor: lastEvent ? lastEvent.wardenseq : null };
  }

  /** Reads backwards from the end until the last complete, non-empty line is found. */
  private async readTail(): Promise<Tail> {
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return { last: null, partial: '', partialStart: 0, size: 0 };
      throw err;
    }
    try {
      const size = (await fh.stat()).size;
      let pos = size;
      let buf = Buffer.alloc(0);
      for (;;) {
        const len = Math.min(TAIL_CHUNK, pos);
        pos -= len;
        const chunk = Buffer.alloc(len);
        if (len > 0) await fh.read(chunk, 0, len, pos);
        buf = Buffer.concat([chunk, buf]);
        const nl = buf.lastIndexOf(0x0a);
        const partialBytes = nl === -1 ? (pos === 0 ? buf : null) : buf.subarray(nl + 1);
        if (partialBytes === null) continue; // no newline yet: the partial tail may start further back
        const partial = partialBytes.toString('utf8');
        const partialStart = size - partialBytes.length;
        const lines = nl === -1 ? [] : buf.subarray(0, nl).toString('utf8').split('\n');
        if (pos > 0) lines.shift(); // may start mid-line
        let lineNo = -1;
        for (let i = lines.length - 1; i >= 0; i--) {
          if (lines[i]!.trim() !== '') {
            lineNo = i;
            break;
          }
        }
        if (lineNo === -1 && pos > 0) continue;
        if (lineNo === -1) return { last: null, partial, partialStart, size };
        const last = parseEvent(lines[lineNo]!);
        if (!last) throw new AuditLogCorruptError(this.file, 'last');
        return { last, partial, partialStart, size };
      }
    } finally {
      await fh.close();
    }
  }
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Makes a new file's directory entry durable (best effort; not possible on every platform). */
async function syncDir(dir: string): Promise<void> {
  try {
    const d = await fs.open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // e.g. Windows cannot open a directory
  }
}
