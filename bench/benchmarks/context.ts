/** What every benchmark gets from bench/run.ts. */
import type { Floor } from '../lib/floor.js';
import type { SummaryRow } from '../lib/report.js';
import type { BenchStack } from '../lib/stack.js';
import type { BenchAgent, Warden } from '../lib/warden.js';

export interface Sizes {
  /** Decision latency: measurement rounds × samples of each kind per round (kinds interleaved). */
  latencyRounds: number;
  latencyBatch: number;
  latencyWarmup: number;
  /** Throughput: window and warm-up per run, and repetitions (floor and Warden alternate). */
  throughputMs: number;
  throughputWarmupMs: number;
  throughputReps: number;
  containmentSamples: number;
  tokenMs: number;
  tokenWarmupMs: number;
  tokenReps: number;
  inProcessMs: number;
  scaleAgents: number[];
  /** agents(filter) samples at each size (fewer if they take more than scaleListSeconds). */
  scaleListSamples: number;
  scaleListSeconds: number;
}

export const FULL: Sizes = {
  latencyRounds: 8,
  latencyBatch: 25,
  latencyWarmup: 20,
  // Warm-up and window each span an agent's audit hand-over interval (AUDIT_FLUSH_MS), so every run
  // carries its share of that deferred work.
  throughputMs: 5_000,
  throughputWarmupMs: 5_000,
  throughputReps: 1,
  containmentSamples: 40,
  tokenMs: 2_500,
  tokenWarmupMs: 750,
  tokenReps: 2,
  inProcessMs: 1_200,
  scaleAgents: [1_000, 10_000],
  scaleListSamples: 30,
  scaleListSeconds: 15,
};

export const QUICK: Sizes = {
  latencyRounds: 4,
  latencyBatch: 10,
  latencyWarmup: 10,
  throughputMs: 1_500,
  throughputWarmupMs: 500,
  throughputReps: 1,
  containmentSamples: 6,
  tokenMs: 1_000,
  tokenWarmupMs: 300,
  tokenReps: 1,
  inProcessMs: 400,
  scaleAgents: Number(process.env.BENCH_SCALE_QUICK ?? 0) ? [Number(process.env.BENCH_SCALE_QUICK)] : [200, 500],
  scaleListSamples: 10,
  scaleListSeconds: 10,
};

export interface BenchContext {
  stack: BenchStack;
  warden: Warden;
  floor: Floor;
  sizes: Sizes;
  quick: boolean;
  machine: Record<string, unknown>;
  /** Agents with a warm baseline (past the policy's warm-up), shared by the benchmarks that need one. */
  warmAgents: BenchAgent[];
  /** More agents (up to 32), for concurrency and the token endpoint. */
  agents: BenchAgent[];
  log(line: string): void;
  summary: SummaryRow[];
  /** performance.now() by which the whole run should be done (scale registers fewer agents rather than overrun). */
  deadline: number;
}
