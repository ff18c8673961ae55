/** Small statistics for the benchmarks: percentiles (linear interpolation), summaries and ratios. */

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export function summarize(samples: number[]): LatencySummary {
  const s = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    n: s.length,
    p50: round(percentile(s, 50)),
    p95: round(percentile(s, 95)),
    p99: round(percentile(s, 99)),
    mean: round(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
    min: round(s[0] ?? NaN),
    max: round(s.at(-1) ?? NaN),
  };
}

export function ratio(a: number, b: number): number {
  return Math.round((a / b) * 100) / 100;
}

export const ms = (startNs: bigint) => Number(process.hrtime.bigint() - startNs) / 1e6;
