/**
 * npm run bench:detector [-- --traces FILE] [--out decisions.jsonl] [--seed N] [--agents N] [--days N]
 *                           [--peers] [--policy override.json] [--results FILE]
 *
 * Replays a trace set (the default seeded synthetic set, or a JSON-lines file) through the same
 * assess/decide/learn code as the live path and writes bench/results/detector.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_POLICY, policyFor, type PolicyOverride } from '../../risk/types.js';
import { generateTraces, type TraceLine } from './generate-traces.js';
import { evaluate, replay } from './replay.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

function readTraces(file: string): TraceLine[] {
  const out: TraceLine[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (!text.trim()) return;
      let l: Partial<TraceLine>;
      try {
        l = JSON.parse(text) as Partial<TraceLine>;
      } catch {
        throw new Error(`${file}:${i + 1}: not JSON`);
      }
      for (const f of ['time', 'agent', 'tool', 'operation', 'sensitivity'] as const) {
        if (typeof l[f] !== 'string') throw new Error(`${file}:${i + 1}: "${f}" must be a string`);
      }
      if (Number.isNaN(Date.parse(l.time!))) throw new Error(`${file}:${i + 1}: "time" is not a date`);
      out.push({
        ...(l as TraceLine),
        archetype: l.archetype ?? 'unknown',
        platform: l.platform ?? 'unknown',
        context: l.context ?? {},
        label: l.label ?? 'normal',
        incident: l.incident ?? null,
        volume: Number(l.volume ?? 0),
        amount: Number(l.amount ?? 0),
      });
    });
  return out;
}

const seed = Number(arg('--seed') ?? 1);
const agents = Number(arg('--agents') ?? 4);
const days = Number(arg('--days') ?? 42);
const tracesFile = arg('--traces');
const policyFile = arg('--policy');
const override = policyFile ? (JSON.parse(readFileSync(policyFile, 'utf8')) as PolicyOverride) : undefined;
const policy = policyFor(DEFAULT_POLICY, override);

const lines = tracesFile ? readTraces(tracesFile) : generateTraces({ seed, agentsPerArchetype: agents, days });
const started = performance.now();
const results = replay(lines, policy, { peers: argv.includes('--peers') });
const elapsedMs = performance.now() - started;
const report = evaluate(lines, results);

const out = arg('--out');
if (out) {
  writeFileSync(
    out,
    results
      .map((r) =>
        JSON.stringify({
          line: r.line,
          score: r.score,
          decision: r.decision,
          contain: r.contain,
          reasons: r.reasons,
          ruleHits: r.ruleHits,
        }),
      )
      .join('\n') + '\n',
  );
}

const resultsFile = arg('--results') ?? resolve(root, 'bench/results/detector.json');
mkdirSync(dirname(resultsFile), { recursive: true });
const document = {
  benchmark: 'detector',
  source: tracesFile
    ? { file: tracesFile }
    : { generator: 'bench/detector/generate-traces.ts', seed, agentsPerArchetype: agents, days },
  peers: argv.includes('--peers'),
  ...report,
  replay: {
    elapsedMs: Math.round(elapsedMs),
    microsecondsPerRequest: Math.round((1000 * elapsedMs) / Math.max(1, lines.length)),
  },
  policy,
};
writeFileSync(resultsFile, JSON.stringify(document, null, 2) + '\n');

// ---- summary
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const rows: string[][] = [
  [
    'kind',
    'incidents',
    'detected',
    'recall',
    'contained',
    'lines to detect (median/max)',
    'minutes to detect (median/max)',
  ],
];
for (const [kind, k] of Object.entries(report.perKind)) {
  rows.push([
    kind,
    String(k.incidents),
    String(k.detected),
    pct(k.recall),
    String(k.contained),
    `${k.linesToDetect.median ?? '-'} / ${k.linesToDetect.max ?? '-'}`,
    `${k.minutesToDetect.median ?? '-'} / ${k.minutesToDetect.max ?? '-'}`,
  ]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
const print = (r: string[]) =>
  console.log(r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  '));
console.log(
  `detector: ${report.traces.lines} requests, ${report.traces.agents} agents, ${report.traces.agentDays} agent-days, ${report.traces.incidents} incidents (${Math.round(elapsedMs)} ms, ${document.replay.microsecondsPerRequest} µs/request)`,
);
print(rows[0]!);
for (const r of rows.slice(1)) print(r);
console.log(
  `recall ${pct(report.recall)} (target ≥ 95%) · precision ${pct(report.precision)} · false holds ${report.falseHolds} = ${report.falseHoldsPerAgentDay.toFixed(3)}/agent-day (target ≤ 0.1; after warm-up ${report.falseHoldsPerAgentDayAfterWarmup.toFixed(3)}) · false containments ${report.falseContainments} · held during an incident on the same agent ${report.falseHoldsDuringIncidents} · post-drift attacks caught ${report.postDriftAttacks.detected}/${report.postDriftAttacks.incidents}`,
);
for (const [kind, k] of Object.entries(report.perKind))
  if (k.missed.length) console.log(`missed ${kind}: ${k.missed.join(', ')}`);
console.log(`targets ${report.targets.met ? 'MET' : 'NOT MET'} · wrote ${resultsFile}${out ? ` and ${out}` : ''}`);
process.exitCode = report.targets.met ? 0 : 1;
