/**
 * One measurement in a fresh process, so its peak memory belongs to it alone (run.ts forks one per
 * measurement; the generator and other runs never share its heap):
 *
 *   node --import tsx --expose-gc bench/discovery/scan-once.ts scan|readline|parse|lines <ssl.log>
 *
 *   scan      scanZeek with the default discovery config (what a sweep runs)
 *   readline  baseline: node:readline over the same file, counting lines
 *   parse     baseline: readline + JSON.parse of every line (the least a JSON-lines scanner must do)
 *   lines     baseline: discovery's own bounded line reader (discovery/lines.ts, what the scan reads with)
 *
 * Sends one `Measurement` over IPC when forked, else prints it as JSON.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { discoveryConfig, scanZeek } from '../../discovery/index.js';
import { readLines } from '../../discovery/lines.js';
import type { Finding } from '../../domain/discovery.js';

export type Mode = 'scan' | 'readline' | 'parse' | 'lines';

export interface Measurement {
  mode: Mode;
  /** Lines the reader went through (for the scan: `progress.read`). */
  lines: number;
  malformed: number;
  skipped: number;
  errors: string[];
  elapsedMs: number;
  linesPerSecond: number;
  /** Peak resident set size of this process, and how it was read. */
  peakRssMiB: number;
  peakRssSource: 'VmHWM' | 'maxRSS';
  /** Resident set size after start-up (Node, tsx, modules), before reading. */
  startRssMiB: number;
  /** Largest `heapUsed` sampled (every 1,000 lines and at the end): live data plus garbage not yet collected. */
  peakHeapUsedMiB: number;
  /** `heapUsed` after a full GC once the work is done (results still held): what the work left behind. */
  retainedHeapMiB: number;
  findings?: Finding[];
}

const MiB = 1024 * 1024;

/**
 * Peak RSS in KiB. On Linux `resourceUsage().maxRSS` is not per process: the kernel carries the forking
 * parent's peak across exec into the child, so a child forked from a 300 MiB parent reports ≥ 300 MiB.
 * VmHWM is the high-water mark of this process's own address space.
 */
function peakRssKiB(): { kib: number; source: Measurement['peakRssSource'] } {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return { kib: Number(m[1]), source: 'VmHWM' };
  } catch {
    // not Linux
  }
  return { kib: process.resourceUsage().maxRSS, source: 'maxRSS' };
}

let peakHeap = 0;
function sampleHeap(): void {
  const used = process.memoryUsage().heapUsed;
  if (used > peakHeap) peakHeap = used;
}

async function countLines(file: string, parse: boolean): Promise<{ lines: number; malformed: number }> {
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lines = 0;
  let malformed = 0;
  for await (const line of rl) {
    lines++;
    if (parse) {
      try {
        JSON.parse(line);
      } catch {
        malformed++;
      }
    }
    if (lines % 1000 === 0) sampleHeap();
  }
  return { lines, malformed };
}

export async function measure(mode: Mode, file: string): Promise<Measurement> {
  const startRss = process.memoryUsage().rss;
  sampleHeap();
  const started = performance.now();
  let result: Pick<Measurement, 'lines' | 'malformed' | 'skipped' | 'errors' | 'findings'>;
  if (mode === 'scan') {
    // ssl.log in the name tells the scanner the log type; onProgress runs every 1,000 records.
    const r = await scanZeek({ files: [{ path: file, log: 'ssl' }] }, discoveryConfig(), undefined, () => sampleHeap());
    result = {
      lines: r.progress.read,
      malformed: r.progress.malformed,
      skipped: r.progress.skipped,
      errors: r.progress.errors,
      findings: r.findings,
    };
  } else if (mode === 'lines') {
    let lines = 0;
    let malformed = 0;
    for await (const event of readLines(file, { maxBytes: discoveryConfig().limits.maxLineBytes })) {
      if (event.kind === 'partial') continue;
      lines++;
      if (event.kind === 'malformed') malformed++;
      if (lines % 1000 === 0) sampleHeap();
    }
    result = { lines, malformed, skipped: 0, errors: [] };
  } else {
    const c = await countLines(file, mode === 'parse');
    result = { ...c, skipped: 0, errors: [] };
  }
  const elapsedMs = performance.now() - started;
  sampleHeap();
  const peak = peakRssKiB();
  // Needs --expose-gc (run.ts passes it); after timing, so it costs the measurement nothing.
  (globalThis as { gc?: () => void }).gc?.();
  const retained = process.memoryUsage().heapUsed;
  return {
    mode,
    ...result,
    elapsedMs: Math.round(elapsedMs),
    linesPerSecond: Math.round((1000 * result.lines) / elapsedMs),
    peakRssMiB: round1(peak.kib / 1024),
    peakRssSource: peak.source,
    startRssMiB: round1(startRss / MiB),
    peakHeapUsedMiB: round1(peakHeap / MiB),
    retainedHeapMiB: round1(retained / MiB),
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [mode, file] = process.argv.slice(2);
  if ((mode !== 'scan' && mode !== 'readline' && mode !== 'parse' && mode !== 'lines') || !file) {
    process.stderr.write('usage: node --import tsx bench/discovery/scan-once.ts scan|readline|parse|lines FILE\n');
    process.exit(2);
  }
  const m = await measure(mode, file);
  if (process.send) process.send(m, () => process.disconnect());
  else console.log(JSON.stringify(m, null, 2));
}
