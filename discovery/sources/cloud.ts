/**
 * Paging through a cloud list API with the rules every cloud source shares:
 * - the page token is the resume cursor (with the target being listed and the pages read so far);
 * - each request has a timeout; 5xx, 429, timeouts and network errors are retried with bounded
 *   exponential backoff; other errors stop that target; every failure is listed on progress.errors;
 * - a server that keeps returning a next page token is stopped after `cloud.maxPages` pages (per
 *   target, counted across resumes), as is one that returns the token it was just given;
 * - a server that says when to come back (Retry-After) is not asked again sooner; one that asks for longer
 *   than `cloud.retryMaxDelayMs` is given up on for this sweep (the activity must not sleep for hours).
 */
import type { DiscoveryConfig } from '../config.js';
import { errorMessage, type ScanState } from '../progress.js';
import { redactText } from '../redact.js';
import type { ScanResult } from '../types.js';

/** One page of a list API: raw items (validated by `onItem`) and the next page token, if any. */
export interface Page {
  items: unknown[];
  nextToken?: string;
}

/**
 * An error a fetchPage throws; `retryable` decides whether another attempt is made, not before
 * `retryAfterMs` (the server's Retry-After) when given.
 */
export class CloudRequestError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

interface CloudCursor {
  target: number;
  token?: string;
  pages: number;
}

function encode(c: CloudCursor): string {
  return JSON.stringify({ t: c.target, p: c.token ?? null, n: c.pages });
}

function decode(cursor: string, state: ScanState): CloudCursor {
  if (!cursor) return { target: 0, pages: 0 };
  try {
    const v = JSON.parse(cursor) as { t?: unknown; p?: unknown; n?: unknown };
    if (
      Number.isSafeInteger(v.t) &&
      (v.t as number) >= 0 &&
      Number.isSafeInteger(v.n) &&
      (v.n as number) >= 0 &&
      (v.p === null || typeof v.p === 'string')
    ) {
      const c: CloudCursor = { target: v.t as number, pages: v.n as number };
      if (typeof v.p === 'string') c.token = v.p;
      return c;
    }
  } catch {
    // fall through
  }
  state.error(`unreadable resume cursor ${JSON.stringify(cursor.slice(0, 80))}; starting from the beginning`);
  return { target: 0, pages: 0 };
}

export interface PagingOptions {
  /** Human-readable label of each target (for errors), e.g. `vertex projects/p/locations/us-central1`. */
  targets: string[];
  fetchPage: (target: number, token: string | undefined, signal: AbortSignal) => Promise<Page>;
  /** Adds the finding(s) for one item; returns false when the item is malformed. */
  onItem: (target: number, item: unknown) => boolean;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function backoffDelay(config: DiscoveryConfig, attempt: number): number {
  const { retryBaseDelayMs, retryMaxDelayMs } = config.cloud;
  const exp = Math.min(retryMaxDelayMs, retryBaseDelayMs * 2 ** attempt);
  return Math.round(exp / 2 + Math.random() * (exp / 2)); // "equal jitter"
}

export async function pageThrough(state: ScanState, config: DiscoveryConfig, o: PagingOptions): Promise<ScanResult> {
  if (state.progress.done) return { findings: [], progress: state.snapshot() };
  const sleep = o.sleep ?? defaultSleep;
  let cur = decode(state.progress.cursor, state);
  while (cur.target < o.targets.length) {
    const label = o.targets[cur.target]!;
    let page: Page | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        page = await o.fetchPage(cur.target, cur.token, AbortSignal.timeout(config.cloud.requestTimeoutMs));
        break;
      } catch (err) {
        const retryable = err instanceof CloudRequestError ? err.retryable : isTransient(err);
        const askedMs = err instanceof CloudRequestError ? err.retryAfterMs : undefined;
        const what = describe(err, config);
        if (retryable && askedMs !== undefined && askedMs > config.cloud.retryMaxDelayMs) {
          state.error(
            `${label}: ${what}; the server asks to retry after ${askedMs} ms, longer than the ${config.cloud.retryMaxDelayMs} ms limit (attempt ${attempt + 1}; giving up on this target)`,
          );
          break;
        }
        if (retryable && attempt < config.cloud.maxRetries) {
          state.error(`${label}: ${what} (attempt ${attempt + 1} of ${config.cloud.maxRetries + 1}; retrying)`);
          await sleep(Math.max(backoffDelay(config, attempt), askedMs ?? 0));
          continue;
        }
        state.error(`${label}: ${what} (attempt ${attempt + 1}; giving up on this target)`);
        break;
      }
    }
    if (!page) {
      cur = { target: cur.target + 1, pages: 0 };
      await state.checkpoint(encode(cur), true);
      continue;
    }
    for (const item of page.items) {
      state.progress.read++;
      if (!o.onItem(cur.target, item)) state.progress.malformed++;
    }
    const pages = cur.pages + 1;
    const next = page.nextToken || undefined;
    if (next !== undefined && next === cur.token) {
      state.error(`${label}: the API returned the page token it was given; stopped after ${pages} pages`);
      cur = { target: cur.target + 1, pages: 0 };
    } else if (next !== undefined && pages >= config.cloud.maxPages) {
      state.error(
        `${label}: page limit reached (${config.cloud.maxPages} pages) and the API still returns a next page token; stopped`,
      );
      cur = { target: cur.target + 1, pages: 0 };
    } else if (next !== undefined) cur = { target: cur.target, token: next, pages };
    else cur = { target: cur.target + 1, pages: 0 };
    await state.checkpoint(encode(cur), true);
  }
  return state.finish(encode(cur));
}

/**
 * The wait a response asks for, in ms: Azure's `retry-after-ms` / `x-ms-retry-after-ms`, else the standard
 * `Retry-After` (delay-seconds or an HTTP-date); undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = headers.get(name)?.trim();
    if (v && /^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v));
  }
  const v = headers.get('retry-after')?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function isTransient(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown; cause?: { code?: unknown } } | undefined;
  const name = typeof e?.name === 'string' ? e.name : '';
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : '';
  return (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    [
      'ECONNRESET',
      'ECONNREFUSED',
      'ETIMEDOUT',
      'EPIPE',
      'EAI_AGAIN',
      'UND_ERR_SOCKET',
      'UND_ERR_CONNECT_TIMEOUT',
      'UND_ERR_HEADERS_TIMEOUT',
    ].includes(code) ||
    (err instanceof TypeError && /fetch failed/i.test(err.message))
  );
}

function describe(err: unknown, config: DiscoveryConfig): string {
  const name = (err as { name?: unknown })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `timed out after ${config.cloud.requestTimeoutMs} ms`;
  const cause = (err as { cause?: unknown })?.cause;
  const msg = errorMessage(err) + (cause ? ` (${errorMessage(cause)})` : '');
  return redactText(msg).slice(0, 300);
}
