/**
 * Bounded-memory readers over a file stream that start at a byte offset (the resume cursor).
 *
 * `node:readline` is not used on purpose: it buffers an arbitrarily long line whole (unbounded memory
 * on a line with no newline) and it cannot report byte offsets once invalid UTF-8 was replaced. These
 * readers split on bytes, keep at most `maxBytes` of one record, and report each record's byte range.
 */
import { isAscii } from 'node:buffer';
import fs from 'node:fs';

export type LineEvent =
  | { kind: 'line'; text: string; start: number; end: number; terminated: boolean }
  | { kind: 'malformed'; reason: 'too-long' | 'invalid-utf8'; start: number; end: number }
  /** The rest of a line that began before the start offset (resuming at an offset that is not a line start). */
  | { kind: 'partial'; start: number; end: number };

const NL = 0x0a;

export interface ReadOptions {
  start?: number;
  maxBytes: number;
  highWaterMark?: number;
}

/** Lines of a file from byte offset `start`. Each event's `end` is a valid resume offset. */
export async function* readLines(path: string, options: ReadOptions): AsyncGenerator<LineEvent> {
  for await (const batch of readLineBatches(path, options)) yield* batch;
}

/** `readLines`, a read chunk's lines at a time: a scanner's loop over them need not await each line. */
export function readLineBatches(path: string, options: ReadOptions): AsyncGenerator<LineEvent[]> {
  const start = Math.max(0, options.start ?? 0);
  // Read one byte early to learn whether `start` is a line start.
  const stream = fs.createReadStream(path, {
    start: start > 0 ? start - 1 : 0,
    highWaterMark: options.highWaterMark ?? 64 * 1024,
  });
  return splitLineBatches(stream, options);
}

/**
 * Lines of a byte stream that begins at offset `start - 1` (at 0 when `start` is 0), as `readLines` reads a
 * file; for streams that cannot seek, such as a decompressed gzip file skipped forward to the resume point.
 */
export async function* splitLines(stream: AsyncIterable<Buffer>, options: ReadOptions): AsyncGenerator<LineEvent> {
  for await (const batch of splitLineBatches(stream, options)) yield* batch;
}

/** `splitLines`, the lines each chunk of the stream completes at a time (bounded by the chunk's size). */
export async function* splitLineBatches(
  stream: AsyncIterable<Buffer>,
  options: ReadOptions,
): AsyncGenerator<LineEvent[]> {
  const start = Math.max(0, options.start ?? 0);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pos = start > 0 ? start - 1 : 0; // absolute offset of the next byte to look at
  let lineStart = start;
  let parts: Buffer[] = [];
  let length = 0;
  let overLong = false;
  let partial = false;
  let first = start > 0; // still looking at the byte before `start`

  const finish = (end: number, terminated: boolean): LineEvent | undefined => {
    const s = lineStart;
    lineStart = end;
    if (partial) {
      partial = false;
      parts = [];
      length = 0;
      return { kind: 'partial', start: s, end };
    }
    if (overLong) {
      overLong = false;
      return { kind: 'malformed', reason: 'too-long', start: s, end };
    }
    let buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
    parts = [];
    length = 0;
    if (buf.length > 0 && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    if (s === 0 && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    let text: string;
    try {
      text = decoder.decode(buf);
    } catch {
      return { kind: 'malformed', reason: 'invalid-utf8', start: s, end };
    }
    return { kind: 'line', text, start: s, end, terminated };
  };

  for await (const raw of stream) {
    const batch: LineEvent[] = [];
    let chunk = raw as Buffer;
    if (first) {
      first = false;
      if (chunk[0] !== NL) partial = true;
      chunk = chunk.subarray(1);
      pos += 1;
    }
    let offset = 0;
    // All-ASCII chunks (most logs): a line inside the chunk is valid UTF-8 as it is, so it is cut out of the
    // bytes directly (latin1 = ASCII here) instead of going through the validating decoder one line at a time.
    const ascii = isAscii(chunk);
    while (offset < chunk.length) {
      const nl = chunk.indexOf(NL, offset);
      if (ascii && nl !== -1 && length === 0 && !partial && !overLong && nl - offset <= options.maxBytes) {
        const s = lineStart;
        const textEnd = nl > offset && chunk[nl - 1] === 0x0d ? nl - 1 : nl;
        const text = chunk.toString('latin1', offset, textEnd);
        pos += nl - offset + 1;
        offset = nl + 1;
        lineStart = pos;
        batch.push({ kind: 'line', text, start: s, end: pos, terminated: true });
        continue;
      }
      const segEnd = nl === -1 ? chunk.length : nl;
      if (!partial && !overLong) {
        const seg = segEnd - offset;
        if (length + seg > options.maxBytes) {
          overLong = true;
          parts = [];
          length = 0;
        } else if (seg > 0) {
          // A line that ends in this chunk is decoded before the next chunk is read: no copy needed.
          parts.push(nl === -1 ? Buffer.from(chunk.subarray(offset, segEnd)) : chunk.subarray(offset, segEnd));
          length += seg;
        }
      }
      if (nl === -1) {
        pos += chunk.length - offset;
        break;
      }
      pos += nl - offset + 1;
      offset = nl + 1;
      const event = finish(pos, true);
      if (event) batch.push(event);
    }
    if (batch.length) yield batch;
  }
  if (pos > lineStart) {
    const event = finish(pos, false);
    if (event) yield [event];
  }
}

export type ElementEvent =
  | { kind: 'element'; text: string; start: number; end: number }
  | { kind: 'malformed'; reason: 'too-long' | 'invalid-utf8' | 'truncated' | 'syntax'; start: number; end: number }
  | { kind: 'end'; end: number };

/**
 * Top-level elements of a JSON array file (`[ {...}, {...} ]`, one per line or pretty-printed), streamed.
 * `start` is 0 (the file start) or the `end` of a previous element event (a resume point inside the array).
 * Elements are returned as text, not parsed; a string/bracket-aware scanner finds their boundaries.
 */
export async function* readJsonArrayElements(path: string, options: ReadOptions): AsyncGenerator<ElementEvent> {
  const start = Math.max(0, options.start ?? 0);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = fs.createReadStream(path, { start, highWaterMark: options.highWaterMark ?? 64 * 1024 });
  // depth 0: before '[' (only at file start); 1: inside the array between elements; >1 or inElement: in an element.
  let depth = start === 0 ? 0 : 1;
  let inString = false;
  let escaped = false;
  let inElement = false;
  let elementStart = 0;
  let parts: Buffer[] = [];
  let length = 0;
  let overLong = false;
  let pos = start;
  let bomChecked = start !== 0;

  const endElement = (end: number): ElementEvent => {
    inElement = false;
    if (overLong) {
      overLong = false;
      return { kind: 'malformed', reason: 'too-long', start: elementStart, end };
    }
    const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
    parts = [];
    length = 0;
    try {
      return { kind: 'element', text: decoder.decode(buf).trim(), start: elementStart, end };
    } catch {
      return { kind: 'malformed', reason: 'invalid-utf8', start: elementStart, end };
    }
  };

  for await (const raw of stream) {
    let chunk = raw as Buffer;
    if (!bomChecked) {
      bomChecked = true;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3);
        pos += 3;
      }
    }
    let segStart = inElement ? 0 : -1; // start (in chunk) of element bytes to copy at the end of this chunk
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (inElement) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) inString = false;
          continue;
        }
        if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          if (depth === 1) {
            // ']' closing the array right after a scalar element
            if (segStart >= 0) append(chunk.subarray(segStart, i));
            yield endElement(pos + i);
            yield { kind: 'end', end: pos + i + 1 };
            return;
          }
          depth--;
        } else if (c === 0x2c && depth === 1) {
          if (segStart >= 0) append(chunk.subarray(segStart, i));
          segStart = -1;
          yield endElement(pos + i + 1);
        }
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (depth === 0) {
        if (c !== 0x5b) {
          yield { kind: 'malformed', reason: 'syntax', start: pos + i, end: pos + i };
          return;
        }
        depth = 1;
        continue;
      }
      if (c === 0x2c) continue; // stray separator
      if (c === 0x5d) {
        yield { kind: 'end', end: pos + i + 1 };
        return;
      }
      inElement = true;
      elementStart = pos + i;
      segStart = i;
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
    }
    if (inElement && segStart >= 0) append(chunk.subarray(segStart));
    pos += chunk.length;
  }
  if (inElement) yield { kind: 'malformed', reason: 'truncated', start: elementStart, end: pos };
  else if (depth === 0 && pos === start) yield { kind: 'end', end: pos };
  else yield { kind: 'malformed', reason: 'truncated', start: pos, end: pos };

  function append(bytes: Buffer): void {
    if (overLong) return;
    if (length + bytes.length > options.maxBytes) {
      overLong = true;
      parts = [];
      length = 0;
      return;
    }
    if (bytes.length > 0) {
      parts.push(Buffer.from(bytes));
      length += bytes.length;
    }
  }
}
