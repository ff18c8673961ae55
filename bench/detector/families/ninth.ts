/**
 * The ninth trace family, written independently of the other eight (its own archetypes, procedures, randomness and
 * incident planting; nothing of the scorer read) as a held-out test nobody tunes on. Same trace format; described in
 * bench/detector/README.md.
 *
 * A New York wealth manager's advisory desk, a Denver contractor's project management, an online game's live
 * operations and a city permit centre, each with a bot acting for nobody, an assistant serving one person, one
 * interleaving a team (the game's support team in shifts around the clock) and a quiet seat. Sessions run procedures
 * with optional steps, weighted branches, loops and retries. Legitimate peaks: quarter-end, storm days, patch days,
 * the spring building season. Slow legitimate change: tools adopted gradually, client upgrades, a new site office,
 * colleagues joining, the clocks changing.
 *
 *   tsx bench/detector/families/ninth.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { toJsonLines, type TraceLine } from '../generate-traces.js';
import { CONSTRUCTION } from './ninth-construction.js';
import { GAMES } from './ninth-games.js';
import { plantIncidents, type Plant } from './ninth-incidents.js';
import { seatTraffic, type ArchetypeSpec, type Line, type Seat } from './ninth-model.js';
import { PERMITS } from './ninth-permits.js';
import { Rng } from './ninth-rng.js';
import { plantOddSequences } from './ninth-sequences.js';
import { WEALTH } from './ninth-wealth.js';

export const NINTH_ARCHETYPES: ArchetypeSpec[] = [WEALTH, CONSTRUCTION, GAMES, PERMITS];

export interface NinthOptions {
  seed: number;
  agentsPerArchetype: number;
  days: number;
}

export function generateNinthFamily({ seed, agentsPerArchetype, days }: NinthOptions): TraceLine[] {
  const root = new Rng(seed * 7919 + 9);
  const seats: Seat[] = [];
  const specOf = new Map<string, ArchetypeSpec>();
  const lines: Line[] = [];
  for (const spec of NINTH_ARCHETYPES) {
    const moods = root.fork(`moods-${spec.archetype}`);
    for (const seat of spec.seats(agentsPerArchetype, root.fork(`seats-${spec.archetype}`))) {
      seats.push(seat);
      specOf.set(seat.agent, spec);
      lines.push(...seatTraffic(spec, seat, days, root.fork(`traffic-${seat.agent}`), moods));
    }
  }
  lines.sort((a, b) => a.ms - b.ms);
  const plant: Plant = {
    lines,
    seats,
    specOf,
    days,
    rng: root.fork('incidents'),
    driftOp: new Map(),
    counters: new Map(),
  };
  if (days > 14) {
    plantIncidents(plant);
    const missing = plantOddSequences(plant);
    if (missing.length && days >= 30)
      throw new Error(`ninth family: no room for odd sequences of ${missing.join(', ')}`);
  }
  return plant.lines
    .map((l, order) => ({ l, order }))
    .sort((a, b) => a.l.ms - b.l.ms || a.order - b.order)
    .map(({ l }) => {
      const { ms: _ms, ...line } = l;
      return line;
    });
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const lines = generateNinthFamily({
    seed: Number(arg(argv, '--seed') ?? 1),
    agentsPerArchetype: Number(arg(argv, '--agents') ?? 4),
    days: Number(arg(argv, '--days') ?? 42),
  });
  const out = arg(argv, '--out');
  if (out) {
    writeFileSync(out, toJsonLines(lines));
    console.error(`wrote ${lines.length} lines to ${out}`);
  } else process.stdout.write(toJsonLines(lines));
}
