/**
 * The eighth trace family, written independently of the other seven (its own archetypes, procedures, randomness
 * and incident planting; nothing of the scorer read) as a held-out test. Same trace format; described in
 * bench/detector/README.md.
 *
 * A Melbourne hotel group's revenue desk, a Chicago fibre operator's network operations centre, a Cambridge biotech
 * assay lab and a London charity's fundraising team, each with a bot naming nobody and assistants serving one
 * person or interleaving a team (one team in shifts around the clock). Sessions run procedures with optional steps,
 * weighted branches, loops, polls and retries. Legitimate peaks: event weekends, outage nights, batch days, the
 * financial and tax year-end. Slow legitimate change: tools adopted gradually, client upgrades, office moves,
 * colleagues joining.
 *
 *   tsx bench/detector/families/eighth.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { TraceLine } from '../generate-traces.js';
import { Seat } from './eighth-engine.js';
import { FUNDRAISING } from './eighth-fundraising.js';
import { HOTEL } from './eighth-hotel.js';
import { Ids, Planter } from './eighth-incidents.js';
import { LAB } from './eighth-lab.js';
import type { Draft, Sens } from './eighth-model.js';
import { NOC } from './eighth-noc.js';
import { Rng, START_MS } from './eighth-rng.js';

export interface EighthOptions {
  seed?: number;
  agentsPerArchetype?: number;
  days?: number;
}

export const EIGHTH_DESKS = [HOTEL, NOC, LAB, FUNDRAISING] as const;
const VARIANTS = ['network', 'client', 'person'] as const;

export function generateEighthFamily(options: EighthOptions = {}): TraceLine[] {
  const seed = options.seed ?? 1;
  const perDesk = options.agentsPerArchetype ?? 4;
  const days = options.days ?? 42;
  const root = new Rng(seed, 'root');
  const ids = new Ids();
  const planters: Planter[] = [];
  for (const desk of EIGHTH_DESKS)
    for (let i = 0; i < perDesk; i++) {
      const plan = desk.seats[i % desk.seats.length]!;
      const seat = new Seat(desk, plan, i, root.fork(`${desk.prefix}-${i}`));
      planters.push(new Planter(seat, seat.generate(days), root.fork(`plant-${desk.prefix}-${i}`), ids));
    }

  const missing: Sens[] = [];
  planters.forEach((p, n) => {
    p.drift(days);
    for (const sens of ['MEDIUM', 'HIGH'] as const) if (!p.oddSequence(sens)) missing.push(sens);
    p.newTool();
    p.burst();
    const variants = [VARIANTS[n % 3]!, ...VARIANTS.filter((v) => v !== VARIANTS[n % 3])];
    variants.some((v) => p.oddContext(v));
    p.bulk(true);
    p.bulk(false);
  });
  // Seats without a fitting operation leave their odd sequence to the others, round the desks.
  let turn = 0;
  for (const sens of missing)
    for (let tries = 0; tries < planters.length; tries++)
      if (planters[turn++ % planters.length]!.oddSequence(sens)) break;

  const all: Draft[] = planters.flatMap((p) => [...p.drafts, ...p.extra]);
  const end = START_MS + days * 86_400_000;
  return all
    .map((d, order) => ({ d, order }))
    .filter(({ d }) => d.ms >= START_MS && d.ms < end)
    .sort((a, b) => a.d.ms - b.d.ms || a.order - b.order)
    .map(({ d }) => d.line);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const lines = generateEighthFamily({
    seed: Number(arg('--seed') ?? 1),
    agentsPerArchetype: Number(arg('--agents') ?? 4),
    days: Number(arg('--days') ?? 42),
  });
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const out = arg('--out');
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}
