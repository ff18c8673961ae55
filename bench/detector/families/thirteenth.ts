/**
 * The thirteenth trace family, written independently of the other twelve (its own archetypes, procedure model,
 * randomness and incident planting; nothing of the scorer read, never replayed while written) as a held-out test
 * nobody tunes on. Same trace format; described in bench/detector/README.md.
 *
 * A Denver hub's ground operations (thirteenth-airport.ts), a London/Kraków commercial underwriting team
 * (thirteenth-underwriting.ts), a Honolulu hospital's billing office with coders in Chennai (thirteenth-hospital.ts)
 * and a Sydney telecom's provisioning desk (thirteenth-telecom.ts). Each has a bot acting for nobody, an assistant
 * serving one person, a seat shared by a team (interleaved) and a quiet seat; sessions run business procedures in
 * local time (thirteenth-model.ts) with weekly and daily rhythms, bank, storm, month-end, renewal, launch and outage
 * peaks, night shifts and batches, three clock changes, and slow legitimate change (tools adopted gradually, client
 * upgrades, new people and networks). Incidents from day 10 on: thirteenth-incidents.ts.
 *
 *   tsx bench/detector/families/thirteenth.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { toJsonLines, type TraceLine } from '../generate-traces.js';
import { airportSeat } from './thirteenth-airport.js';
import { hospitalSeat } from './thirteenth-hospital.js';
import { type AgentTrace, plantIncidents } from './thirteenth-incidents.js';
import { type Line, runSeat, type SeatSpec } from './thirteenth-model.js';
import { telecomSeat } from './thirteenth-telecom.js';
import { underwritingSeat } from './thirteenth-underwriting.js';

export interface ThirteenthOptions {
  seed?: number;
  agentsPerArchetype?: number;
  days?: number;
}

export const THIRTEENTH_ARCHETYPES: Array<[string, (i: number) => SeatSpec]> = [
  ['airport_ground_ops', airportSeat],
  ['insurance_underwriting', underwritingSeat],
  ['hospital_revenue_cycle', hospitalSeat],
  ['telecom_noc_provisioning', telecomSeat],
];

export function generateThirteenthFamily(options: ThirteenthOptions = {}): TraceLine[] {
  const seed = options.seed ?? 1;
  const perArchetype = options.agentsPerArchetype ?? 4;
  const days = options.days ?? 42;
  const agents: AgentTrace[] = [];
  for (const [, seat] of THIRTEENTH_ARCHETYPES)
    for (let i = 0; i < perArchetype; i++) {
      const spec = seat(i);
      agents.push({ spec, index: i, lines: runSeat(spec, seed, days) });
    }
  const added = plantIncidents(agents, seed, days);
  const all: Line[] = [...agents.flatMap((a) => a.lines), ...added];
  // Stable: ties keep agent order, then planting order.
  return all.sort((a, b) => a.ms - b.ms).map((l) => l.trace);
}

// ------------------------------------------------------------------------------------------------ CLI

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const lines = generateThirteenthFamily({
    seed: Number(arg(argv, '--seed') ?? 1),
    agentsPerArchetype: Number(arg(argv, '--agents') ?? 4),
    days: Number(arg(argv, '--days') ?? 42),
  });
  const out = arg(argv, '--out');
  if (out) {
    writeFileSync(out, toJsonLines(lines));
    process.stderr.write(`wrote ${lines.length} lines to ${out}\n`);
  } else process.stdout.write(toJsonLines(lines));
}
