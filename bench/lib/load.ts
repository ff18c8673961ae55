/**
 * Load shapes: sequential latency sampling, and a closed loop of N concurrent callers for a fixed time
 * (counting what completes inside the window) for throughput.
 */
import { ms, summarize, type LatencySummary } from './stats.js';

/** Runs `op(0)` … `op(n - 1)`, `concurrency` at a time; resolves with the result of the last one started. */
export async function inLanes<T>(
  n: number,
  concurrency: number,
  op: (i: number) => Promise<T>,
): Promise<T | undefined> {
  let next = 0;
  let last: T | undefined;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const result = await op(i);
        if (i === n - 1) last = result;
      }
    }),
  );
  return last;
}

export interface LoopResult {
  concurrency: number;
  seconds: number;
  completed: number;
  failed: number;
  perSecond: number;
  latency: LatencySummary;
  firstError?: string;
}

/** A loop's result with its raw latencies, for merging runs (not written to results). */
export type RawLoopResult = LoopResult & {
  latencies: number[];
  /** Every op that finished, warm-up included. */ allFinished: number;
};

/** Several runs of the same kind and concurrency as one: totals, rate and latency over all of them. */
export function mergeRuns(runs: RawLoopResult[]): LoopResult & { runs: number } {
  const completed = runs.reduce((a, r) => a + r.completed, 0);
  const seconds = runs.reduce((a, r) => a + r.seconds, 0);
  const failed = runs.reduce((a, r) => a + r.failed, 0);
  const firstError = runs.find((r) => r.firstError)?.firstError;
  return {
    concurrency: runs[0]!.concurrency,
    runs: runs.length,
    seconds,
    completed,
    failed,
    perSecond: Math.round((completed / seconds) * 10) / 10,
    latency: summarize(runs.flatMap((r) => r.latencies)),
    ...(firstError ? { firstError } : {}),
  };
}

/**
 * `op(i, caller)` returns true for a success of the kind being measured. Runs `warmupMs` first (not
 * counted), then counts completions inside `durationMs`. Callers are numbered 0..concurrency-1.
 */
export async function closedLoop(
  concurrency: number,
  durationMs: number,
  warmupMs: number,
  op: (i: number, caller: number) => Promise<boolean>,
  counter = { i: 0 },
): Promise<RawLoopResult> {
  const latencies: number[] = [];
  let completed = 0;
  let failed = 0;
  let allFinished = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, caller) => {
      while (performance.now() < end) {
        const t = process.hrtime.bigint();
        let ok = false;
        try {
          ok = await op(counter.i++, caller);
        } catch (err) {
          firstError ??= String((err as Error)?.message ?? err).slice(0, 300);
        }
        const done = performance.now();
        allFinished++;
        // Everything that completes inside the window counts (a steady state has as many in flight at both ends).
        if (done >= measureFrom && done <= end) {
          if (ok) {
            completed++;
            latencies.push(ms(t));
          } else failed++;
        }
      }
    }),
  );
  const seconds = durationMs / 1000;
  return {
    concurrency,
    seconds,
    completed,
    failed,
    perSecond: Math.round((completed / seconds) * 10) / 10,
    latency: summarize(latencies),
    latencies,
    allFinished,
    ...(firstError ? { firstError } : {}),
  };
}

/** Times `op` once; the latency in ms, or null when the op reports a failure. */
export async function timed(op: () => Promise<boolean>): Promise<number | null> {
  const t = process.hrtime.bigint();
  const ok = await op();
  const elapsed = ms(t);
  return ok ? elapsed : null;
}

/** The promise's value, or a rejection after `ms` (the call itself is left to finish or fail alone). */
export function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}
