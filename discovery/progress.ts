/**
 * Shared scan plumbing: progress counters, checkpoints (onProgress), file-list cursors and the
 * line-by-line file loop every log source uses.
 */
import fs from 'node:fs';
import type { DiscoveryConfig } from './config.js';
import { FindingGroup } from './findings.js';
import { readLines, type LineEvent } from './lines.js';
import type { ProgressCallback, ScanResult, SourceProgress } from './types.js';
import type { Finding } from '../domain/discovery.js';

export class ScanState {
  readonly progress: SourceProgress;
  readonly group = new FindingGroup();
  #sinceReport = 0;

  constructor(
    resumeFrom: SourceProgress | undefined,
    private readonly config: DiscoveryConfig,
    private readonly onProgress: ProgressCallback | undefined,
  ) {
    this.progress = resumeFrom
      ? {
          cursor: resumeFrom.cursor,
          read: resumeFrom.read,
          malformed: resumeFrom.malformed,
          skipped: resumeFrom.skipped,
          errors: [...resumeFrom.errors],
        }
      : { cursor: '', read: 0, malformed: 0, skipped: 0, errors: [] };
    if (resumeFrom?.done) this.progress.done = true;
  }

  error(message: string): void {
    const max = this.config.limits.maxErrors;
    if (this.progress.errors.length < max) this.progress.errors.push(message);
    else if (this.progress.errors.length === max) this.progress.errors.push('(further errors not listed)');
  }

  add(finding: Finding): void {
    this.group.add(finding);
  }

  /** Records that `cursor` is now the resume point; reports every `progressEvery` records (or when forced). */
  async checkpoint(cursor: string, force = false): Promise<void> {
    this.progress.cursor = cursor;
    this.#sinceReport++;
    if (force || this.#sinceReport >= this.config.limits.progressEvery) await this.report();
  }

  async report(): Promise<void> {
    this.#sinceReport = 0;
    await this.onProgress?.(this.snapshot(), this.group.list());
  }

  snapshot(): SourceProgress {
    return { ...this.progress, errors: [...this.progress.errors] };
  }

  async finish(cursor: string): Promise<ScanResult> {
    this.progress.cursor = cursor;
    this.progress.done = true;
    await this.report();
    return { findings: this.group.list(), progress: this.snapshot() };
  }
}

/** Cursor over a list of files: the index of the current file and a byte offset in it. */
export interface FileCursor {
  file: number;
  offset: number;
}

export function encodeFileCursor(c: FileCursor): string {
  return JSON.stringify({ f: c.file, o: c.offset });
}

export function decodeFileCursor(cursor: string | undefined, state: ScanState): FileCursor {
  if (!cursor) return { file: 0, offset: 0 };
  try {
    const v = JSON.parse(cursor) as { f?: unknown; o?: unknown };
    if (Number.isSafeInteger(v.f) && Number.isSafeInteger(v.o) && (v.f as number) >= 0 && (v.o as number) >= 0) {
      return { file: v.f as number, offset: v.o as number };
    }
  } catch {
    // fall through
  }
  state.error(`unreadable resume cursor ${JSON.stringify(cursor.slice(0, 80))}; starting from the beginning`);
  return { file: 0, offset: 0 };
}

export type LineOutcome = 'ok' | 'malformed' | 'skipped';

/**
 * Reads every file line by line from the cursor on; `handle` classifies each line (and adds findings).
 * Over-long and invalid-UTF-8 lines are malformed; blank lines and a partial first line are skipped.
 */
export async function scanLineFiles(
  files: readonly string[],
  state: ScanState,
  config: DiscoveryConfig,
  handle: (text: string, fileIndex: number, event: Extract<LineEvent, { kind: 'line' }>) => LineOutcome,
): Promise<ScanResult> {
  if (state.progress.done) return { findings: [], progress: state.snapshot() };
  const start = decodeFileCursor(state.progress.cursor, state);
  for (let i = start.file; i < files.length; i++) {
    await scanLineFile(files[i]!, i, i === start.file ? start.offset : 0, state, config, (text, event) =>
      handle(text, i, event),
    );
    if (i + 1 < files.length) await state.checkpoint(encodeFileCursor({ file: i + 1, offset: 0 }), true);
  }
  return state.finish(encodeFileCursor({ file: files.length, offset: 0 }));
}

/** One file of a file list (index `fileIndex`), from byte `offset`; errors are recorded, never thrown. */
export async function scanLineFile(
  path: string,
  fileIndex: number,
  offset: number,
  state: ScanState,
  config: DiscoveryConfig,
  handle: (text: string, event: Extract<LineEvent, { kind: 'line' }>) => LineOutcome,
): Promise<void> {
  try {
    const size = (await fs.promises.stat(path)).size;
    if (offset > size) {
      state.error(`${path}: shorter than the resume offset (${offset} > ${size}); rescanning it from the start`);
      offset = 0;
    }
    for await (const event of readLines(path, { start: offset, maxBytes: config.limits.maxLineBytes })) {
      if (event.kind === 'partial') state.progress.skipped++;
      else if (event.kind === 'malformed') {
        state.progress.read++;
        state.progress.malformed++;
      } else if (event.text.trim() === '') state.progress.skipped++;
      else {
        state.progress.read++;
        const outcome = handle(event.text, event);
        if (outcome === 'malformed') state.progress.malformed++;
        else if (outcome === 'skipped') state.progress.skipped++;
      }
      await state.checkpoint(encodeFileCursor({ file: fileIndex, offset: event.end }));
    }
  } catch (err) {
    state.error(`${path}: ${errorMessage(err)}`);
  }
}

export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown; name?: unknown };
    const msg = typeof e.message === 'string' ? e.message : String(err);
    return typeof e.code === 'string' && !msg.includes(e.code) ? `${e.code}: ${msg}` : msg;
  }
  return String(err);
}

/** ISO time from epoch seconds (number or numeric string) or an ISO-8601 string; undefined when invalid. */
export function parseTime(value: unknown): string | undefined {
  const ms = parseTimeMs(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** Like parseTime, as epoch milliseconds (no string built: most log lines never become a finding). */
export function parseTimeMs(value: unknown): number | undefined {
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value * 1000;
  else if (typeof value === 'string' && /^\d{9,11}(\.\d+)?$/.test(value.trim())) ms = Number(value) * 1000;
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) ms = Date.parse(value);
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  // Plausible range: 2000-01-01 .. 2100-01-01.
  if (ms < 946_684_800_000 || ms > 4_102_444_800_000) return undefined;
  return ms;
}

/** A plain JSON object, or undefined. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}
