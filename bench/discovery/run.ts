/**
 * npm run bench:discovery [-- --sizes 100000,1000000] [--seed 1] [--repeat 3] [--results FILE] [--keep]
 *
 * For each size: streams a seeded Zeek ssl.log to a temporary directory, then measures, each in a fresh
 * process (scan-once.ts) and interleaved `--repeat` times, the discovery scan and two baselines over the
 * same file: readline counting lines, and readline + JSON.parse. Checks that every scan found exactly the
 * planted hosts (exit 1 otherwise: a bench over a broken scanner measures nothing), reports medians as
 * ratios against the baselines, and the growth of peak memory from the smallest size to the largest
 * (exit 1 when it grows more than `--max-growth`, default 1.2). Writes bench/results/discovery.json.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../domain/discovery.js';
import { generateTraffic, type GeneratedTraffic } from './generate-traffic.js';
import type { Measurement, Mode } from './scan-once.js';
import { toTsv } from './to-tsv.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const sizes = (arg('--sizes') ?? '100000,1000000').split(',').map(Number);
const seed = Number(arg('--seed') ?? 1);
const repeat = Math.max(1, Number(arg('--repeat') ?? 3));
const maxGrowth = Number(arg('--max-growth') ?? 1.2);
const resultsFile = arg('--results') ?? resolve(root, 'bench/results/discovery.json');
const MODES: Mode[] = ['readline', 'parse', 'scan'];

/** Runs one measurement in a fresh Node process (tsx loader, as `npm run` has it). */
function measureInChild(mode: Mode, file: string): Promise<Measurement> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(here, 'scan-once.ts'), [mode, file], {
      cwd: root,
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: Measurement | undefined;
    child.on('message', (m) => (result = m as Measurement));
    child.on('error', reject);
    child.on('exit', (code) =>
      result && code === 0 ? resolvePromise(result) : reject(new Error(`scan-once ${mode} exited with ${code}`)),
    );
  });
}

/** Differences between a scan's findings and the generator's expectation (empty when exact). */
function mismatches(g: GeneratedTraffic, m: Measurement): string[] {
  const problems: string[] = [];
  if (m.lines !== g.lines) problems.push(`read ${m.lines} lines, expected ${g.lines}`);
  if (m.malformed !== g.malformed) problems.push(`${m.malformed} malformed, expected ${g.malformed}`);
  if (m.errors.length) problems.push(`errors: ${m.errors.join('; ')}`);
  const found = new Map((m.findings ?? []).map((f) => [f.fingerprint, f]));
  for (const e of g.expected) {
    const f: Finding | undefined = found.get(e.fingerprint);
    found.delete(e.fingerprint);
    if (!f) {
      problems.push(`missing ${e.fingerprint}`);
      continue;
    }
    const got = {
      fingerprint: f.fingerprint,
      kind: f.kind,
      platform: f.platform,
      count: f.count,
      firstSeen: f.firstSeen,
      lastSeen: f.lastSeen,
      endpoints: (f.evidence.endpoints ?? '').split(', '),
      providers: (f.evidence.providers ?? '').split(', '),
    };
    if (JSON.stringify(got) !== JSON.stringify(e))
      problems.push(`${e.fingerprint}: got ${JSON.stringify(got)}, expected ${JSON.stringify(e)}`);
  }
  for (const fp of found.keys()) problems.push(`unexpected ${fp}`);
  return problems;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Medians over the repeats of one mode (rates and memory alike; the process is fresh each time). */
function summarize(runs: Measurement[]) {
  return {
    runs: runs.length,
    linesPerSecond: Math.round(median(runs.map((r) => r.linesPerSecond))),
    elapsedMs: Math.round(median(runs.map((r) => r.elapsedMs))),
    peakRssMiB: r1(median(runs.map((r) => r.peakRssMiB))),
    startRssMiB: r1(median(runs.map((r) => r.startRssMiB))),
    peakHeapUsedMiB: r1(median(runs.map((r) => r.peakHeapUsedMiB))),
    retainedHeapMiB: r1(median(runs.map((r) => r.retainedHeapMiB))),
    peakRssSource: runs[0]!.peakRssSource,
    allLinesPerSecond: runs.map((r) => r.linesPerSecond),
    allPeakRssMiB: runs.map((r) => r.peakRssMiB),
  };
}

/** The TSV target: the Zeek TSV scan runs at least this fraction of a bare line reader's lines/s. */
const TSV_TARGET = 0.5;

/**
 * The same connections in Zeek's default ASCII (TSV) format: the scan against two bare line readers
 * (node:readline, and discovery's own bounded reader the scan is built on), interleaved in fresh processes.
 */
async function measureTsv(g: GeneratedTraffic, dir: string) {
  const started = performance.now();
  const conv = await toTsv(g.file, join(dir, 'ssl.tsv.log'));
  const convertMs = performance.now() - started;
  const modes: Mode[] = ['readline', 'lines', 'scan'];
  const runs: Record<Mode, Measurement[]> = { readline: [], parse: [], scan: [], lines: [] };
  for (let i = 0; i < repeat; i++) for (const mode of modes) runs[mode].push(await measureInChild(mode, conv.file));
  const problems = runs.scan.map((m) => mismatches({ ...g, lines: conv.lines }, m)).find((p) => p.length) ?? [];
  const scan = summarize(runs.scan);
  const readline = summarize(runs.readline);
  const reader = summarize(runs.lines);
  const scanVsReadline = r2(scan.linesPerSecond / readline.linesPerSecond);
  return {
    problems,
    result: {
      lines: conv.lines,
      bytes: conv.bytes,
      convertMs: Math.round(convertMs),
      scan: { ...scan, findings: runs.scan[0]!.findings!.length, malformed: runs.scan[0]!.malformed },
      baseline: { readline, lines: reader },
      ratios: {
        scanVsReadline,
        scanVsLineReader: r2(scan.linesPerSecond / reader.linesPerSecond),
        scanRssOverReadlineMiB: r1(scan.peakRssMiB - readline.peakRssMiB),
      },
      target: { scanVsReadline: TSV_TARGET, met: scanVsReadline >= TSV_TARGET },
    },
  };
}

const perSize = [];
let failed = false;
for (const lines of sizes) {
  const dir = mkdtempSync(join(os.tmpdir(), 'warden-bench-discovery-'));
  try {
    const started = performance.now();
    const g = await generateTraffic({ file: join(dir, 'ssl.log'), lines, seed });
    const generateMs = performance.now() - started;
    console.log(
      `discovery: ${lines} lines, ${(g.bytes / 1024 / 1024).toFixed(0)} MiB generated in ${(generateMs / 1000).toFixed(1)} s; measuring ${repeat}× ${MODES.join(', ')}…`,
    );
    const runs: Record<Mode, Measurement[]> = { readline: [], parse: [], scan: [], lines: [] };
    for (let i = 0; i < repeat; i++) {
      // Interleaved, so drift in machine load hits scan and baselines alike.
      for (const mode of MODES) runs[mode].push(await measureInChild(mode, g.file));
    }
    for (const m of runs.scan) {
      const problems = mismatches(g, m);
      if (problems.length) {
        failed = true;
        console.error(
          `MISMATCH at ${lines} lines: the scan did not find exactly the planted hosts:\n  ${problems.slice(0, 20).join('\n  ')}`,
        );
        break;
      }
    }
    const scan = summarize(runs.scan);
    const readline = summarize(runs.readline);
    const parse = summarize(runs.parse);
    const tsv = await measureTsv(g, dir);
    if (tsv.problems.length) {
      failed = true;
      console.error(`MISMATCH at ${lines} lines (TSV): ${tsv.problems.slice(0, 20).join('\n  ')}`);
    }
    perSize.push({
      lines,
      bytes: g.bytes,
      generated: {
        llmLines: g.llmLines,
        decoyLines: g.decoyLines,
        malformed: g.malformed,
        clientHosts: g.clientHosts,
        plantedHostsSeen: g.expected.length,
        generateMs: Math.round(generateMs),
      },
      scan: {
        ...scan,
        findings: runs.scan[0]!.findings!.length,
        malformed: runs.scan[0]!.malformed,
        mibPerSecond: r1(g.bytes / 1024 / 1024 / (scan.elapsedMs / 1000)),
      },
      baseline: { readline, parse },
      ratios: {
        /** Scan throughput as a fraction of bare line reading, and of reading + JSON.parse. */
        scanVsReadline: r2(scan.linesPerSecond / readline.linesPerSecond),
        scanVsParse: r2(scan.linesPerSecond / parse.linesPerSecond),
        /** Peak RSS the scan needs beyond a process that only reads the lines. */
        scanRssOverReadlineMiB: r1(scan.peakRssMiB - readline.peakRssMiB),
        scanRssOverStartMiB: r1(scan.peakRssMiB - scan.startRssMiB),
      },
      tsv: tsv.result,
    });
  } finally {
    if (!argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

const small = perSize[0]!;
const large = perSize[perSize.length - 1]!;
const memoryGrowth = {
  from: small.lines,
  to: large.lines,
  linesRatio: large.lines / small.lines,
  scanPeakRss: r2(large.scan.peakRssMiB / small.scan.peakRssMiB),
  /** Sampled heapUsed includes garbage V8 has not collected yet; it grows with allocation rate, not with input. */
  scanPeakHeapUsed: r2(large.scan.peakHeapUsedMiB / small.scan.peakHeapUsedMiB),
  scanRetainedHeap: r2(large.scan.retainedHeapMiB / small.scan.retainedHeapMiB),
  readlinePeakRss: r2(large.baseline.readline.peakRssMiB / small.baseline.readline.peakRssMiB),
  scanRssOverReadlineMiB: [small.ratios.scanRssOverReadlineMiB, large.ratios.scanRssOverReadlineMiB],
  tsvScanPeakRss: r2(large.tsv.scan.peakRssMiB / small.tsv.scan.peakRssMiB),
  tsvScanRetainedHeap: r2(large.tsv.scan.retainedHeapMiB / small.tsv.scan.retainedHeapMiB),
  maxAllowed: maxGrowth,
  flat:
    large.scan.peakRssMiB / small.scan.peakRssMiB <= maxGrowth &&
    large.tsv.scan.peakRssMiB / small.tsv.scan.peakRssMiB <= maxGrowth,
};

const cpus = os.cpus();
const document = {
  benchmark: 'discovery',
  source: {
    generator: 'bench/discovery/generate-traffic.ts',
    format: 'zeek ssl.log, JSON lines; the same records in the default ASCII (TSV) format (bench/discovery/to-tsv.ts)',
    seed,
  },
  date: new Date().toISOString(),
  machine: {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    totalMemoryMiB: Math.round(os.totalmem() / 1024 / 1024),
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    node: process.version,
  },
  repeat,
  sizes: perSize,
  memoryGrowth,
  verified: !failed,
};
mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, JSON.stringify(document, null, 2) + '\n');

// ---- summary
const k = (n: number) => `${Math.round(n / 1000)}k`;
const rows: string[][] = [
  [
    'lines',
    'scan lines/s',
    'readline lines/s',
    'parse lines/s',
    'scan÷readline',
    'scan÷parse',
    'scan peak RSS',
    'readline peak RSS',
    'scan − readline',
    'scan peak heap',
    'retained heap',
  ],
];
for (const s of perSize) {
  rows.push([
    k(s.lines),
    k(s.scan.linesPerSecond),
    k(s.baseline.readline.linesPerSecond),
    k(s.baseline.parse.linesPerSecond),
    s.ratios.scanVsReadline.toFixed(2),
    s.ratios.scanVsParse.toFixed(2),
    `${s.scan.peakRssMiB} MiB`,
    `${s.baseline.readline.peakRssMiB} MiB`,
    `${s.ratios.scanRssOverReadlineMiB} MiB`,
    `${s.scan.peakHeapUsedMiB} MiB`,
    `${s.scan.retainedHeapMiB} MiB`,
  ]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows)
  console.log(r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  '));
for (const s of perSize) {
  const t = s.tsv;
  console.log(
    `TSV ${k(s.lines)}: scan ${k(t.scan.linesPerSecond)} lines/s · readline ${k(t.baseline.readline.linesPerSecond)} · discovery line reader ${k(t.baseline.lines.linesPerSecond)} · ` +
      `scan÷readline ${t.ratios.scanVsReadline.toFixed(2)} (target ≥ ${TSV_TARGET}: ${t.target.met ? 'met' : 'NOT met'}) · scan÷line reader ${t.ratios.scanVsLineReader.toFixed(2)} · ` +
      `scan peak RSS ${t.scan.peakRssMiB} MiB (readline ${t.baseline.readline.peakRssMiB} MiB) · retained heap ${t.scan.retainedHeapMiB} MiB`,
  );
}
console.log(
  `memory ${k(small.lines)} → ${k(large.lines)} lines (${memoryGrowth.linesRatio}×): scan peak RSS ×${memoryGrowth.scanPeakRss} (TSV ×${memoryGrowth.tsvScanPeakRss}), peak heap ×${memoryGrowth.scanPeakHeapUsed}, retained heap ×${memoryGrowth.scanRetainedHeap} ` +
    `(${memoryGrowth.flat ? 'flat' : `NOT flat: more than ×${maxGrowth}`}) · findings ${failed ? 'MISMATCH' : 'exactly the planted hosts'} · medians of ${repeat} fresh processes each · wrote ${resultsFile}`,
);
process.exitCode = failed || !memoryGrowth.flat ? 1 : 0;
