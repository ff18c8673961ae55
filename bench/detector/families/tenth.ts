/**
 * The tenth trace family, written independently of the other nine (its own archetypes, procedures, randomness and
 * incident planting; nothing of the scorer read, nothing replayed while writing it); held out once (6f3ff7c's policy),
 * tuned on since. Same trace format (bench/detector/README.md, "Trace format"); 42 days from Monday 2025-03-03 by
 * default.
 *
 * A Seattle retailer's cloud cost desk (`cloud_finops`), a Boston sponsor's clinical-trial operations
 * (`clinical_trials`), a Chicago food distributor's payroll (`payroll_ops`) and a London ticketing operator
 * (`event_ticketing`), each with a bot acting for nobody, an assistant serving one person, a seat shared by a team and
 * a quiet seat, in their own time zones (US and UK clocks change on different Sundays). Sessions run procedures with
 * optional steps, weighted branches, loops and retries; one person's sessions follow one another, colleagues'
 * interleave. Legitimate peaks: the month-end close and invoice day, an enrollment drive and Friday data locks, pay
 * runs with the timesheet rush before them and tax deposits after, on-sale days (a stadium tour among them) with the
 * fraud queue the day after, a postponed match's refunds, payout days. Slow legitimate change: tools adopted gradually,
 * client upgrades rolled out over a few days, colleagues joining, office and VPN networks. Incidents are planted by
 * `tenth-incidents.ts`.
 *
 *   tsx bench/detector/families/tenth.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { TraceLine } from '../generate-traces.js';
import { FINOPS } from './tenth-finops.js';
import { plantIncidents, type Seat } from './tenth-incidents.js';
import { runAgent } from './tenth-model.js';
import { PAYROLL } from './tenth-payroll.js';
import { Rand } from './tenth-rng.js';
import { TICKETS } from './tenth-tickets.js';
import { TRIALS } from './tenth-trials.js';

export interface TenthFamilyOptions {
  seed?: number;
  agentsPerArchetype?: number;
  days?: number;
}

export const TENTH_ARCHETYPES = [FINOPS, TRIALS, PAYROLL, TICKETS];
/** The planter's own stream, apart from every seat's. */
const PLANTING_STREAM = 10_000;

export function generateTenthFamily(options: TenthFamilyOptions = {}): TraceLine[] {
  const seed = options.seed ?? 1;
  const agentsPerArchetype = options.agentsPerArchetype ?? 4;
  const days = options.days ?? 42;
  const seats: Seat[] = [];
  TENTH_ARCHETYPES.forEach((def, a) => {
    def.agents(agentsPerArchetype).forEach((plan, slot) => {
      seats.push({ def, plan, slot, lines: runAgent(def, plan, days, new Rand(seed, a * 100 + slot)) });
    });
  });
  const added = plantIncidents(seats, days, new Rand(seed, PLANTING_STREAM));
  const lines = [...seats.flatMap((s) => s.lines), ...added];
  // Array.prototype.sort is stable: ties keep seat order, then planted lines after ordinary ones.
  return lines.sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : 0));
}

function summary(lines: TraceLine[]): string {
  const incidents = new Map<string, TraceLine>();
  const linesByLabel = new Map<string, number>();
  for (const l of lines) {
    linesByLabel.set(l.label, (linesByLabel.get(l.label) ?? 0) + 1);
    if (l.incident && !incidents.has(l.incident)) incidents.set(l.incident, l);
  }
  const byKind = new Map<string, number>();
  for (const [id, l] of incidents) {
    const kind = id.startsWith('post_drift')
      ? 'post_drift'
      : l.label === 'odd_sequence'
        ? `odd_sequence ${l.sensitivity}`
        : l.label;
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  return [
    `${lines.length} lines`,
    `lines by label: ${[...linesByLabel].map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `incidents: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}`,
  ].join('\n');
}

function main(argv: string[]): void {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const number = (name: string, fallback: number) => {
    const v = arg(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} needs a whole number, got ${v}`);
    return n;
  };
  const lines = generateTenthFamily({
    seed: number('--seed', 1),
    agentsPerArchetype: number('--agents', 4),
    days: number('--days', 42),
  });
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const out = arg('--out');
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  process.stderr.write(`${summary(lines)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
