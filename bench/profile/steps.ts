/**
 * Shared by the profile tools: a bench stack for the duration of one profile, and step-by-step timing —
 * each step sampled in interleaved batches (so drift on a shared machine hits every step alike), then run
 * alone to see how much CPU each process spends on it.
 */
import fs from 'node:fs';
import { cpuMeter, startBenchStack, type BenchStack } from '../lib/stack.js';
import { ms, summarize } from '../lib/stats.js';

/** Starts a bench stack, runs `profile` on it, and stops it (its data folder is kept with BENCH_KEEP=1). */
export async function withProfileStack(profile: (stack: BenchStack) => Promise<void>): Promise<void> {
  const stack = await startBenchStack((l) => console.log(`profile: ${l}`));
  try {
    await profile(stack);
  } finally {
    await stack.stop();
    if (process.env.BENCH_KEEP !== '1') fs.rmSync(stack.dataDir, { recursive: true, force: true });
  }
}

/**
 * A step: one operation, given a running counter. It may return its own duration in ms (when part of
 * what it does is set-up that another step already measures); otherwise the whole call is timed.
 */
export type Step = (i: number) => Promise<unknown>;

/**
 * Prints each step's latency (p50/p95/p99/mean over `samples`, interleaved in batches of 10, after 20
 * warm-up calls each), then the CPU ms per call of each process with each step run alone. `beforeEach`
 * runs outside the timing (e.g. renewing a token).
 *
 * BENCH_PROFILE_PAUSE_MS (default 0) waits that long after each sample, outside the timing: long enough,
 * and every call meets a machine at rest — its own cost, without the background work the previous call
 * left (learning, audit, closing its workflow) competing for the same cores. 0 measures calls back to
 * back, as `npm run bench` does.
 */
export async function profileSteps(
  stack: BenchStack,
  steps: Record<string, Step>,
  samples: number,
  beforeEach: (i: number) => Promise<unknown> = async () => {},
): Promise<void> {
  const latencies: Record<string, number[]> = Object.fromEntries(Object.keys(steps).map((k) => [k, []]));
  const pauseMs = Number(process.env.BENCH_PROFILE_PAUSE_MS ?? 0);
  let i = 0;
  for (const op of Object.values(steps)) for (let w = 0; w < 20; w++) await op(i++);
  for (let r = 0; r < samples / 10; r++) {
    for (const [name, op] of Object.entries(steps)) {
      for (let b = 0; b < 10; b++) {
        await beforeEach(i);
        const t = process.hrtime.bigint();
        const own = await op(i++);
        latencies[name]!.push(typeof own === 'number' ? own : ms(t));
        if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    }
  }
  console.log(
    pauseMs > 0
      ? `latency (ms), interleaved, ${pauseMs} ms pause after each call:`
      : 'latency (ms), interleaved, back to back:',
  );
  console.table(
    Object.fromEntries(
      Object.entries(latencies).map(([k, v]) => {
        const s = summarize(v);
        return [k, { p50: s.p50, p95: s.p95, p99: s.p99, mean: s.mean }];
      }),
    ),
  );
  // CPU per operation, by process: each step alone, sequentially, after a pause for background work to drain.
  const cpu: Record<string, Record<string, number>> = {};
  for (const [name, op] of Object.entries(steps)) {
    await new Promise((r) => setTimeout(r, 2_000));
    const meter = cpuMeter(stack);
    const n = Math.max(40, samples / 2);
    for (let k = 0; k < n; k++) await op(i++);
    await new Promise((r) => setTimeout(r, 1_500)); // background work (audit, learning) belongs to the op
    cpu[name] = meter.since(n);
  }
  console.log('CPU ms per operation, by process (background work after the answer included; 1.5 s idle included):');
  console.table(cpu);
}
