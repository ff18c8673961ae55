/**
 * The twelfth trace family, written independently of the other eleven (its own archetypes, procedure model,
 * randomness and incident planting; nothing of the scorer read, never replayed while written) as a held-out test
 * nobody tunes on. Same trace format; described in bench/detector/README.md.
 *
 * A city water utility in US Central time (twelfth-water.ts), a New York litigation-support team with a review vendor
 * in Manila (twelfth-legal.ts), a UK grocery chain's replenishment (twelfth-grocery.ts) and an Arizona university's
 * grants office (twelfth-grants.ts). Each has a bot acting for nobody, an assistant serving one person, a seat shared
 * by a team (interleaved) and a quiet seat; sessions run business procedures in local time (twelfth-model.ts) with
 * weekly and daily rhythms, main-break, production-day, holiday, delivery-day, deadline and month-end peaks, and slow
 * legitimate change. Incidents from day 10 on: twelfth-incidents.ts.
 *
 *   tsx bench/detector/families/twelfth.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { toJsonLines, type TraceLine } from '../generate-traces.js';
import { GROCERY_INCIDENTS, grocerySeat } from './twelfth-grocery.js';
import { GRANTS_INCIDENTS, grantsSeat } from './twelfth-grants.js';
import { type AgentTrace, plantIncidents } from './twelfth-incidents.js';
import { LEGAL_INCIDENTS, legalSeat } from './twelfth-legal.js';
import { runSeat } from './twelfth-model.js';
import { streamOf } from './twelfth-rng.js';
import { WATER_INCIDENTS, waterSeat } from './twelfth-water.js';

export interface TwelfthOptions {
  seed?: number;
  agentsPerArchetype?: number;
  days?: number;
}

const ARCHETYPES = [
  { seat: waterSeat, catalogue: WATER_INCIDENTS },
  { seat: legalSeat, catalogue: LEGAL_INCIDENTS },
  { seat: grocerySeat, catalogue: GROCERY_INCIDENTS },
  { seat: grantsSeat, catalogue: GRANTS_INCIDENTS },
];

export function generateTwelfthFamily(options: TwelfthOptions = {}): TraceLine[] {
  const seed = options.seed ?? 1;
  const per = options.agentsPerArchetype ?? 4;
  const days = options.days ?? 42;
  const counter = { seq: 0 };
  const traces: AgentTrace[] = [];
  for (const archetype of ARCHETYPES) {
    for (let i = 0; i < per; i++) {
      const seat = archetype.seat(i);
      const rows = runSeat(seat, streamOf(seed, 'twelfth', seat.agent), days, counter);
      rows.sort((a, b) => a.t - b.t || a.seq - b.seq);
      traces.push({ seat, catalogue: archetype.catalogue, rows, extra: [], windows: [], used: new Set() });
    }
  }
  plantIncidents(traces, seed, days, counter);
  const all = traces.flatMap((a) => [...a.rows, ...a.extra]);
  all.sort((a, b) => a.t - b.t || a.seq - b.seq);
  return all.map((r) => ({
    time: r.time,
    agent: r.agent,
    archetype: r.archetype,
    platform: r.platform,
    tool: r.tool,
    toolResource: r.toolResource!,
    operation: r.operation,
    sensitivity: r.sensitivity,
    volume: r.volume,
    amount: r.amount,
    context: r.context,
    label: r.label,
    incident: r.incident,
  }));
}

// ------------------------------------------------------------------------------------------------ CLI

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const lines = generateTwelfthFamily({
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
