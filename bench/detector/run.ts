/**
 * npm run bench:detector [-- --family first|second|…|seventh] [--traces FILE] [--out decisions.jsonl]
 *                           [--seed N] [--agents N] [--days N] [--peers] [--policy override.json] [--results FILE]
 *                           [--sweep]
 *
 * Replays a trace set (a seeded synthetic family, or a JSON-lines file) through the same
 * assess/decide/learn code as the live path and writes bench/results/detector-<family>.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_POLICY, policyFor, type PolicyOverride } from '../../risk/policy.js';
import { FAMILIES } from './families/index.js';
import type { TraceLine } from './generate-traces.js';
import { evaluate, replay, TARGETS } from './replay.js';
import { sweep, sweepTable } from './sweep.js';

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

const familyName = arg('--family') ?? 'first';
const family = FAMILIES[familyName];
if (!tracesFile && !family) {
  console.error(`unknown family "${familyName}": one of ${Object.keys(FAMILIES).join(', ')}`);
  process.exit(2);
}
const lines = tracesFile ? readTraces(tracesFile) : family!.generate({ seed, agentsPerArchetype: agents, days });
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

const sweepRows = argv.includes('--sweep') ? sweep(lines, policy) : undefined;
const resultsFile =
  arg('--results') ?? resolve(root, `bench/results/detector-${tracesFile ? 'traces' : familyName}.json`);
mkdirSync(dirname(resultsFile), { recursive: true });
const document = {
  benchmark: 'detector',
  source: tracesFile
    ? { file: tracesFile }
    : {
        family: familyName,
        generator: family!.generator,
        heldOut: !family!.tunedOn,
        seed,
        agentsPerArchetype: agents,
        days,
      },
  peers: argv.includes('--peers'),
  ...report,
  replay: {
    elapsedMs: Math.round(elapsedMs),
    microsecondsPerRequest: Math.round((1000 * elapsedMs) / Math.max(1, lines.length)),
  },
  policy,
  ...(sweepRows ? { sweep: sweepRows } : {}),
};
writeFileSync(resultsFile, JSON.stringify(document, null, 2) + '\n');

// ---- summary
const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const verdict = (met: boolean) => (met ? 'MET' : 'MISSED');
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
  tracesFile
    ? `family: traces from ${tracesFile}`
    : `family: ${familyName} (${family!.tunedOn ? 'the default policy was tuned on it' : 'held out: the default policy was not tuned on it'})`,
);
console.log(
  `detector: ${report.traces.lines} requests, ${report.traces.agents} agents, ${report.traces.agentDays} agent-days, ${report.traces.incidents} incidents (${Math.round(elapsedMs)} ms, ${document.replay.microsecondsPerRequest} µs/request)`,
);
print(rows[0]!);
for (const r of rows.slice(1)) print(r);
console.log(
  `recall ${pct(report.recall)} · precision ${pct(report.precision)} · false holds ${report.falseHolds} (after warm-up ${report.falseHoldsPerAgentDayAfterWarmup.toFixed(3)}/agent-day) · held during an incident on the same agent ${report.falseHoldsDuringIncidents} · post-drift attacks caught ${report.postDriftAttacks.detected}/${report.postDriftAttacks.incidents}`,
);
for (const [kind, k] of Object.entries(report.perKind))
  if (k.missed.length) console.log(`missed ${kind}: ${k.missed.join(', ')}`);
console.log('targets:');
for (const [kind, j] of Object.entries(report.judged))
  console.log(
    `  ${kind.padEnd(20)} recall ${pct(j.recall).padStart(6)} (${j.detected}/${j.incidents}, target ≥ ${pct(TARGETS.recallPerKind)})  ${verdict(j.met)}`,
  );
console.log(
  `  ${'false holds'.padEnd(20)} ${report.falseHoldsPerAgentDay.toFixed(3)}/agent-day (${report.falseHolds}, target ≤ ${TARGETS.falseHoldsPerAgentDay})  ${verdict(report.falseHoldsPerAgentDay <= TARGETS.falseHoldsPerAgentDay)}`,
);
console.log(
  `  ${'false containments'.padEnd(20)} ${report.falseContainments} (target ${TARGETS.falseContainments})  ${verdict(report.falseContainments <= TARGETS.falseContainments)}`,
);
if (sweepRows)
  console.log(
    `\nreview-threshold sweep (one sensitivity at a time, the rest as the policy):\n${sweepTable(sweepRows)}`,
  );
console.log(`targets ${report.targets.met ? 'MET' : 'MISSED'} · wrote ${resultsFile}${out ? ` and ${out}` : ''}`);
process.exitCode = report.targets.met ? 0 : 1;
