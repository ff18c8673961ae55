/**
 * The fifteenth trace family, written independently of the other fourteen (its own archetypes, session model,
 * randomness and incident planting; nothing of the scorer read, never replayed while written) as a held-out test.
 * Same trace format; described in bench/detector/README.md.
 *
 * A Chicago property manager (fifteenth-property.ts), a Swiss ski resort (fifteenth-ski.ts), an Adelaide freight
 * railway (fifteenth-rail.ts) and a Singapore wine importer (fifteenth-wine.ts). Each has a bot acting for nobody, an
 * assistant serving one person, a seat a team shares (interleaved) and a quiet seat; sessions run procedures in
 * local time (fifteenth-model.ts, randomness from fifteenth-rng.ts, PCG32) with weekly and daily rhythms, rent days,
 * powder days, a washout, a trade fair, month-end, public holidays, batches, three clock changes (one of them by half
 * an hour's zone) and one zone without any, and slow legitimate change. Incidents from day 10 on:
 * fifteenth-incidents.ts.
 *
 *   tsx bench/detector/families/fifteenth.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { toJsonLines, type TraceLine } from '../generate-traces.js';
import { plantIncidents } from './fifteenth-incidents.js';
import { simulateSeat, toLine, type Seat } from './fifteenth-model.js';
import { PROPERTY } from './fifteenth-property.js';
import { RAIL } from './fifteenth-rail.js';
import { Pcg32 } from './fifteenth-rng.js';
import { SKI } from './fifteenth-ski.js';
import { WINE } from './fifteenth-wine.js';

export interface FifteenthOptions {
  seed?: number;
  agentsPerArchetype?: number;
  days?: number;
}

const BUSINESSES = [PROPERTY, SKI, RAIL, WINE];

/** The seats: per business, `agentsPerArchetype` of them, cycling bot, assistant, team, quiet. */
export function fifteenthSeats(agentsPerArchetype = 4): Seat[] {
  return BUSINESSES.flatMap((b) =>
    Array.from({ length: agentsPerArchetype }, (_, i) => b.seat(i % 4, `${b.prefix}-${i + 1}`, Math.floor(i / 4))),
  );
}

export function generateFifteenthFamily(options: FifteenthOptions = {}): TraceLine[] {
  const seed = options.seed ?? 1;
  const days = options.days ?? 42;
  const root = new Pcg32(seed, 15);
  const seats = fifteenthSeats(options.agentsPerArchetype ?? 4);
  const normal = seats.flatMap((seat) => simulateSeat(seat, days, root.fork(seat.agent)).map((q) => toLine(q)));
  const sorted = normal
    .map((l, i) => ({ l, i }))
    .sort((a, b) => (a.l.time < b.l.time ? -1 : a.l.time > b.l.time ? 1 : a.i - b.i))
    .map((x) => x.l);
  return plantIncidents(sorted, seats, days, root.fork('incidents'));
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const lines = generateFifteenthFamily({
    seed: Number(arg(argv, '--seed') ?? 1),
    agentsPerArchetype: Number(arg(argv, '--agents') ?? 4),
    days: Number(arg(argv, '--days') ?? 42),
  });
  const out = arg(argv, '--out');
  if (out) writeFileSync(out, toJsonLines(lines));
  else process.stdout.write(toJsonLines(lines));
}
