/**
 * The figures in bench/README.md, written from the result files and nowhere else: the machine and date of
 * the run, its table, its targets met and missed, the separate scale run and the runs on a cluster.
 * `npm run bench` rewrites them after a full run; `npm run bench:readme` rewrites them from the files in
 * bench/results; test/bench-readme checks they match. Nothing in the README's prose repeats a figure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
export const BENCH_README = path.join(BENCH, 'README.md');
const RESULTS = path.join(BENCH, 'results');
const START = '<!-- results: written by bench/readme.ts from bench/results/*.json; do not edit by hand -->';
const END = '<!-- results: end -->';

interface Summary {
  machine: {
    cpuModel: string;
    cpuCount: number;
    memoryGb: number;
    node: string;
    commit?: string;
    date: string;
    loadAverageAtStart: number[];
  };
  quick: boolean;
  totalSeconds: number;
  table: string;
  targets: { benchmark: string; name: string; target: string; value: number; met: boolean }[];
}

const read = <T>(file: string): T | null =>
  fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : null;

function machineLine(m: Summary['machine'], seconds: number): string {
  return (
    `${m.date.slice(0, 16).replace('T', ' ')} UTC${m.commit ? ` at \`${m.commit}\`` : ''}, ${seconds} s: ` +
    `${m.cpuCount} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, load average at start ` +
    `${m.loadAverageAtStart.map((l) => l.toFixed(2)).join(' / ')}.`
  );
}

/** The README's generated section, from the result files. */
export function resultsSection(results = RESULTS): string {
  const summary = read<Summary>(path.join(results, 'summary.json'));
  if (!summary) return `${START}\n\nNo results yet: run \`npm run bench\`.\n\n${END}`;
  const lines = [START, '', `### The latest run`, '', machineLine(summary.machine, summary.totalSeconds), ''];
  lines.push(summary.table.trim(), '');
  const met = summary.targets.filter((t) => t.met).length;
  lines.push(`Targets: ${met} of ${summary.targets.length} met.`, '');
  for (const t of summary.targets)
    lines.push(`- ${t.met ? 'met' : '**missed**'} — ${t.benchmark}: ${t.name} ${t.target} (${t.value})`);
  const scale = read<Summary>(path.join(results, 'scale-10000', 'summary.json'));
  if (scale) {
    lines.push('', '### The scale run (`npm run bench:scale`)', '', machineLine(scale.machine, scale.totalSeconds));
    lines.push('', scale.table.trim());
  }
  for (const shape of ['1x1', '2x2']) {
    const run = read<Summary & { temporal?: string }>(path.join(results, 'cluster', shape, 'summary.json'));
    if (!run) continue;
    lines.push(
      '',
      `### On a Temporal cluster, ${run.temporal?.replace(/^cluster: /, '') ?? shape} (\`npm run bench:cluster\`)`,
    );
    lines.push('', machineLine(run.machine, run.totalSeconds), '', run.table.trim());
  }
  lines.push('', END);
  return lines.join('\n');
}

/** The README with its generated section replaced by what the result files say now. */
export function renderReadme(readme: string, results = RESULTS): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`bench/README.md has no generated section (${START} … ${END})`);
  return readme.slice(0, start) + resultsSection(results) + readme.slice(end + END.length);
}

export function writeReadme(results = RESULTS): void {
  fs.writeFileSync(BENCH_README, renderReadme(fs.readFileSync(BENCH_README, 'utf8'), results));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeReadme();
  console.log('bench/README.md: figures rewritten from bench/results');
}
