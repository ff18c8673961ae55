/**
 * The fourteenth trace family, written independently of the other thirteen (its own archetypes, session model,
 * randomness and incident planting; nothing of the scorer read, never replayed while written) as a held-out test.
 * Same trace format; described in bench/detector/README.md.
 *
 * A Rotterdam container terminal (fourteenth-port.ts), a Toronto veterinary chain (fourteenth-vet.ts), a Laredo
 * customs broker with its Monterrey pedimento team (fourteenth-customs.ts) and an Auckland VFX post-production
 * house (fourteenth-post.ts). Each has a bot acting for nobody, an assistant serving one person, a seat shared by a
 * team (interleaved) and a quiet seat; sessions run procedures in local time (fourteenth-model.ts, randomness from
 * fourteenth-rng.ts) with weekly and daily rhythms, vessel windows, a storm closure, March Break, tariff news,
 * month-end, render deliveries, batches, four clock changes and one zone without any, and slow legitimate change.
 * Incidents from day 10 on: fourteenth-incidents.ts.
 *
 *   tsx bench/detector/families/fourteenth.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { toJsonLines, type TraceLine } from '../generate-traces.js';
import { customsSeat } from './fourteenth-customs.js';
import { plantSeat, type Planted } from './fourteenth-incidents.js';
import { runSeat, type Req, type SeatSpec } from './fourteenth-model.js';
import { portSeat } from './fourteenth-port.js';
import { postSeat } from './fourteenth-post.js';
import { vetSeat } from './fourteenth-vet.js';

export interface FourteenthOptions {
  seed?: number;
  agentsPerArchetype?: number;
  days?: number;
}

export const FOURTEENTH_ARCHETYPES: Array<[string, (i: number) => SeatSpec]> = [
  ['port_terminal', portSeat],
  ['veterinary_chain', vetSeat],
  ['customs_brokerage', customsSeat],
  ['film_post_production', postSeat],
];

/** Incident ids in order of first request: `<label>-<n>`, and `post_drift-<n>` for the jump ending drift n. */
function nameIncidents(planted: Planted[]): void {
  const counters = new Map<string, number>();
  const driftIds = new Map<string, number>();
  const ordered = [...planted].sort((a, b) => a.reqs[0]!.t - b.reqs[0]!.t);
  for (const p of ordered) {
    let id: string;
    if (p.post) id = `post_drift-${driftIds.get(p.pair!)}`;
    else {
      const n = (counters.get(p.kind) ?? 0) + 1;
      counters.set(p.kind, n);
      if (p.kind === 'drift') driftIds.set(p.pair!, n);
      id = `${p.kind}-${n}`;
    }
    for (const q of p.reqs) q.line.incident = id;
  }
}

export function generateFourteenthFamily(options: FourteenthOptions = {}): TraceLine[] {
  const seed = options.seed ?? 1;
  const perArchetype = options.agentsPerArchetype ?? 4;
  const days = options.days ?? 42;
  const all: Req[] = [];
  const planted: Planted[] = [];
  for (const [, seatOf] of FOURTEENTH_ARCHETYPES) {
    for (let i = 1; i <= perArchetype; i++) {
      const spec = seatOf(i);
      const { normal, planted: mine } = plantSeat({ spec, reqs: runSeat(spec, seed, days) }, seed, days);
      all.push(...normal);
      planted.push(...mine);
      for (const p of mine) all.push(...p.reqs);
    }
  }
  nameIncidents(planted);
  return all.sort((a, b) => a.t - b.t).map((q) => q.line);
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const lines = generateFourteenthFamily({
    seed: Number(arg(argv, 'seed') ?? 1),
    agentsPerArchetype: Number(arg(argv, 'agents') ?? 4),
    days: Number(arg(argv, 'days') ?? 42),
  });
  const out = arg(argv, 'out');
  if (out) writeFileSync(out, toJsonLines(lines));
  else process.stdout.write(toJsonLines(lines));
}
