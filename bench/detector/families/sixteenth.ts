/**
 * The sixteenth trace family, written independently of the other fifteen (its own archetypes, session model,
 * randomness and incident planting; nothing of the scorer read, never replayed while written) as a held-out test.
 * Same trace format; described in bench/detector/README.md.
 *
 * A Phoenix pharmacy benefit manager (sixteenth-pbm.ts), a Toronto transit agency (sixteenth-transit.ts), an
 * Auckland dental group (sixteenth-dental.ts) and a Helsinki satellite-imagery company (sixteenth-imagery.ts). Each
 * has a bot acting for nobody, an assistant serving one person, a seat a team shares (interleaved) and a quiet seat;
 * sessions run procedures in local time (sixteenth-model.ts, randomness from sixteenth-rng.ts, xoshiro128**) with
 * weekly and daily rhythms, batches, satellite passes, a snowstorm, a subway closure, a flood activation, a formulary
 * change, an insurance-year rush, quarter-end, three clock changes (one of them autumn's, in the south) and one zone
 * without any, and slow legitimate change. Incidents from day 10 on: sixteenth-incidents.ts.
 *
 *   tsx bench/detector/families/sixteenth.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { toJsonLines, type TraceLine } from '../generate-traces.js';
import { dentalSeat } from './sixteenth-dental.js';
import { imagerySeat } from './sixteenth-imagery.js';
import { plantIncidents } from './sixteenth-incidents.js';
import { simulate, type Kind, type Seat } from './sixteenth-model.js';
import { pbmSeat } from './sixteenth-pbm.js';
import { Rng } from './sixteenth-rng.js';
import { transitSeat } from './sixteenth-transit.js';

export interface SixteenthOptions {
  seed?: number;
  agentsPerArchetype?: number;
  days?: number;
}

const KINDS: Kind[] = ['bot', 'assistant', 'team', 'quiet'];
const BUSINESSES: Array<[prefix: string, build: (kind: Kind, agent: string, v: number) => Seat]> = [
  ['pbm', pbmSeat],
  ['transit', transitSeat],
  ['dental', dentalSeat],
  ['imagery', imagerySeat],
];

/** The seats: per business, agents `<prefix>-1` … cycling bot, assistant, team seat, quiet seat. */
export function sixteenthSeats(agentsPerArchetype: number): Seat[] {
  const seats: Seat[] = [];
  for (const [prefix, build] of BUSINESSES)
    for (let i = 0; i < agentsPerArchetype; i++)
      seats.push(build(KINDS[i % 4]!, `${prefix}-${i + 1}`, Math.floor(i / 4)));
  return seats;
}

export function generateSixteenthFamily(options: SixteenthOptions = {}): TraceLine[] {
  const seed = options.seed ?? 1;
  const days = options.days ?? 42;
  const seats = sixteenthSeats(options.agentsPerArchetype ?? 4);
  const root = new Rng(seed, 'sixteenth');
  const normal: TraceLine[] = [];
  for (const seat of seats) for (const l of simulate(seat, days, root.fork(`seat ${seat.agent}`))) normal.push(l);
  normal.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return plantIncidents(normal, seats, days, root.fork('incidents'));
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const lines = generateSixteenthFamily({
    seed: Number(arg(argv, '--seed') ?? 1),
    agentsPerArchetype: Number(arg(argv, '--agents') ?? 4),
    days: Number(arg(argv, '--days') ?? 42),
  });
  const out = arg(argv, '--out');
  if (out) writeFileSync(out, toJsonLines(lines));
  else process.stdout.write(toJsonLines(lines));
}
