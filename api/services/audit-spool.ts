/**
 * The API's audit spool. A record about a token or a grant is appended to a local file before the request
 * it describes answers — a write the kernel holds survives the process being killed — and shipped to the
 * audit trail's writer in batches, off the request path. Records carry stable ids, so a batch shipped
 * twice (the process died before it noted the shipment) is written once.
 *
 * Each API process spools to its own file (`<pid>-<random>.jsonl`, with `.shipped` holding the byte
 * offset shipped so far). A spool whose process is gone is adopted by the next API process that starts on
 * the same data folder: it ships what was left and removes the files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AuditItem } from '../../workflows/audit-trail.js';

export interface AuditSpoolOptions {
  /**
   * How long a record may wait before its batch leaves (default 250 ms). Each shipment costs a signal, a
   * workflow task and a local activity whatever its size: at a thousand tokens a second, 100 ms and 200
   * records made that per-batch work a fifth of the machine.
   */
  flushMs?: number;
  /** A batch leaves at once when this many wait (default 500). */
  batchMax?: number;
  /** Wait after a failed shipment before the next try (default 1 s). */
  retryMs?: number;
  log?: (line: string) => void;
}

type Ship = (items: AuditItem[]) => Promise<void>;

const SPOOL_FILE = /^(\d+)-[0-9a-f]{8}\.jsonl$/;
/** Spools open in this process (several API servers may share one process, e.g. in tests). */
const openHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOffset(file: string): number {
  try {
    const n = Number(fs.readFileSync(`${file}.shipped`, 'utf8'));
    return Number.isSafeInteger(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

/** Complete lines after `offset` (a line cut short by a crash mid-write is not a record). */
function unshipped(file: string, offset: number): AuditItem[] {
  const text = fs.readFileSync(file);
  if (offset >= text.length) return [];
  const items: AuditItem[] = [];
  for (const line of text.subarray(offset).toString('utf8').split('\n')) {
    if (!line) continue;
    try {
      items.push(JSON.parse(line) as AuditItem);
    } catch {
      /* the torn last line of a killed process */
    }
  }
  return items;
}

export class AuditSpool {
  private readonly file: string;
  private readonly fd: number;
  private written = 0;
  /** Records appended and not yet shipped, with the file offset just after each. */
  private queue: { item: AuditItem; end: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private shipping: Promise<void> | null = null;
  private closed = false;
  private readonly flushMs: number;
  private readonly batchMax: number;
  private readonly retryMs: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly dir: string,
    private readonly ship: Ship,
    options: AuditSpoolOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 250;
    this.batchMax = options.batchMax ?? 500;
    this.retryMs = options.retryMs ?? 1_000;
    this.log = options.log ?? ((line) => console.warn(line));
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = path.join(dir, `${process.pid}-${randomBytes(4).toString('hex')}.jsonl`);
    this.fd = fs.openSync(this.file, 'a', 0o600);
    openHere.add(this.file);
    fs.writeFileSync(`${this.file}.shipped`, '0');
  }

  /** Records on disk here and not yet shipped. */
  get pending(): number {
    return this.queue.length;
  }

  /** Appends a record; it is on disk when this returns, and shipped shortly after. */
  append(item: AuditItem): void {
    if (this.closed) throw new Error('audit spool is closed');
    const line = Buffer.from(`${JSON.stringify(item)}\n`, 'utf8');
    fs.writeSync(this.fd, line);
    this.written += line.length;
    this.queue.push({ item, end: this.written });
    if (this.queue.length >= this.batchMax) this.kick(0);
    else this.kick(this.flushMs);
  }

  private kick(delayMs: number) {
    if (this.shipping) return; // the shipment in flight schedules the next one
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.shipNext();
    }, delayMs);
    this.timer.unref();
  }

  private shipNext(): Promise<void> {
    if (this.shipping || this.queue.length === 0) return this.shipping ?? Promise.resolve();
    const batch = this.queue.slice(0, this.batchMax);
    this.shipping = (async () => {
      let retry = false;
      try {
        await this.ship(batch.map((b) => b.item));
        this.queue.splice(0, batch.length);
        this.noteShipped(batch.at(-1)!.end);
      } catch (err) {
        retry = true;
        this.log(`audit spool: shipping ${batch.length} record(s) failed, retrying: ${(err as Error).message}`);
      } finally {
        this.shipping = null;
      }
      if (this.closed) return;
      if (retry) this.kick(this.retryMs);
      else if (this.queue.length) this.kick(this.queue.length >= this.batchMax ? 0 : this.flushMs);
    })();
    return this.shipping;
  }

  private noteShipped(offset: number) {
    if (this.queue.length === 0 && offset === this.written) {
      // All shipped: start the file over, so a long-running process keeps a small spool.
      fs.ftruncateSync(this.fd, 0);
      this.written = 0;
      fs.writeFileSync(`${this.file}.shipped`, '0');
      return;
    }
    fs.writeFileSync(`${this.file}.shipped`, String(offset));
  }

  /** Ships everything appended so far (tries until `timeoutMs`); true when nothing is left. */
  async flush(timeoutMs = 5_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length > 0 && Date.now() < deadline) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      const before = this.queue.length;
      await this.shipNext();
      if (this.queue.length >= before)
        await new Promise((r) => setTimeout(r, Math.min(this.retryMs, Math.max(0, deadline - Date.now()))));
    }
    return this.queue.length === 0;
  }

  /** Ships what it can, then stops; what could not be shipped stays in the file for the next process. */
  async close(timeoutMs = 5_000): Promise<void> {
    await this.flush(timeoutMs);
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.shipping;
    fs.closeSync(this.fd);
    openHere.delete(this.file);
    if (this.queue.length === 0) {
      fs.rmSync(this.file, { force: true });
      fs.rmSync(`${this.file}.shipped`, { force: true });
    }
  }

  /**
   * Ships and removes the spools of API processes that are gone (killed, or stopped with records left).
   * Returns how many records were shipped.
   */
  static async adoptOrphans(
    dir: string,
    ship: Ship,
    options: { batchMax?: number; log?: (line: string) => void } = {},
  ): Promise<number> {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return 0;
    }
    let shipped = 0;
    for (const name of names) {
      const match = SPOOL_FILE.exec(name);
      const file = path.join(dir, name);
      // A file named with this process's pid but not open here is a former process's (pids are reused).
      if (!match || openHere.has(file) || (Number(match[1]) !== process.pid && alive(Number(match[1])))) continue;
      const items = unshipped(file, readOffset(file));
      for (let i = 0; i < items.length; i += options.batchMax ?? 200) {
        await ship(items.slice(i, i + (options.batchMax ?? 200)));
      }
      shipped += items.length;
      fs.rmSync(file, { force: true });
      fs.rmSync(`${file}.shipped`, { force: true });
      if (items.length) options.log?.(`audit spool: shipped ${items.length} record(s) left by process ${match[1]}`);
    }
    return shipped;
  }
}
