/** Machine info, result files (bench/results/<name>.json) and the summary table. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/config.js';

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    availableParallelism: os.availableParallelism(),
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    commit: gitCommit(),
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

function gitCommit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync(
      'git',
      [
        'status',
        '--porcelain',
        '--',
        'api',
        'workflows',
        'activities',
        'risk',
        'tokens',
        'bench/benchmarks',
        'bench/lib',
      ],
      { cwd: PROJECT_ROOT, encoding: 'utf8' },
    ).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return null;
  }
}

export interface Target {
  name: string;
  target: string;
  value: number;
  limit: number;
  /** 'max': value must be ≤ limit; 'min': value must be ≥ limit. */
  kind: 'max' | 'min';
  met: boolean;
  note?: string;
}

export function target(
  name: string,
  targetText: string,
  value: number,
  limit: number,
  kind: 'max' | 'min',
  note?: string,
): Target {
  const met = Number.isFinite(value) && (kind === 'max' ? value <= limit : value >= limit);
  return { name, target: targetText, value, limit, kind, met, ...(note ? { note } : {}) };
}

/** Where result files go: bench/results, or BENCH_RESULTS_DIR (e.g. for a one-off run with another budget). */
export const RESULTS_DIR = process.env.BENCH_RESULTS_DIR
  ? path.resolve(process.env.BENCH_RESULTS_DIR)
  : process.env.BENCH_CLUSTER
    ? path.join(PROJECT_ROOT, 'bench', 'results', 'cluster', process.env.BENCH_CLUSTER)
    : path.join(PROJECT_ROOT, 'bench', 'results');

export function writeResult(name: string, document: Record<string, unknown>): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(document, null, 2) + '\n');
  return file;
}

/** One row of the printed summary: a figure, its baseline and the ratio. */
export interface SummaryRow {
  benchmark: string;
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target?: string;
}

export function printTable(rows: SummaryRow[]): string {
  const headers = ['benchmark', 'figure', 'value', 'baseline (same run)', 'ratio', 'target'];
  const cells = rows.map((r) => [r.benchmark, r.figure, r.value, r.baseline, r.ratio, r.target ?? '']);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
  console.log(out);
  return out;
}

export const fmtMs = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
export const fmtX = (x: number) => `${x.toFixed(2)}×`;
