/**
 * The eleventh trace family, written independently of the other ten (its own archetypes, procedure model, randomness
 * and incident planting; nothing of the scorer read) as a held-out test nobody tunes on. Same trace format; described
 * in bench/detector/README.md.
 *
 * A Texas utility's power trading desk, a US university's admissions office, a film and music rights office in Los
 * Angeles (with a head of international licensing in London) and a Denver bus and truck fleet's maintenance shop.
 * Each has a bot acting for nobody, an assistant serving one person, a seat shared by a team (interleaved; the
 * shop's in day, swing and night shifts) and a quiet seat. Sessions run procedures with optional steps, weighted
 * branches and loops in local time with daylight saving. Legitimate peaks: the day-ahead gate, auction deadlines and
 * a heat wave; application deadlines and decision release day; festival season and the quarter-end royalty run; the
 * days after a cold snap. Slow legitimate change: tools adopted gradually, client upgrades, people joining, networks
 * added or moved. Incidents: eleventh-incidents.ts.
 *
 *   tsx bench/detector/families/eleventh.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { toJsonLines, type TraceLine } from '../generate-traces.js';
import { ADMISSIONS } from './eleventh-admissions.js';
import { ENERGY } from './eleventh-energy.js';
import { FLEET } from './eleventh-fleet.js';
import { Planter, type AgentTrace } from './eleventh-incidents.js';
import { MEDIA } from './eleventh-media.js';
import { ROLES, simulateSeat, type Archetype } from './eleventh-model.js';
import { Stream, streamSeed } from './eleventh-rng.js';

export const ELEVENTH_ARCHETYPES: Archetype[] = [ENERGY, ADMISSIONS, MEDIA, FLEET];
const T0 = Date.parse('2025-03-03T00:00:00Z');
const VARIANTS = ['network', 'client', 'person'] as const;

export interface EleventhOptions {
  seed?: number;
  agentsPerArchetype?: number;
  days?: number;
}

/** Plants `target` incidents of one kind, going round the agents (the next one when one has no room or fit). */
function round(
  p: Planter,
  kind: string,
  target: number,
  order: AgentTrace[],
  plant: (t: AgentTrace, done: number, rng: Stream) => boolean,
): void {
  let done = 0;
  for (let k = 0; done < target && k < 8 * target + order.length; k++) {
    if (plant(order[k % order.length]!, done, p.rng(kind, k))) done++;
  }
}

function plantIncidents(p: Planter, order: AgentTrace[]): void {
  const a = order.length;
  // Drifts first: they relabel ordinary requests, so every later incident sees the final ordinary traffic.
  round(p, 'drift', Math.floor(a / 2), order, (t, _, rng) => p.drift(t, rng));
  round(p, 'burst', a, order.slice(1).concat(order.slice(0, 1)), (t, _, rng) => p.burst(t, rng));
  const odd = a + Math.floor(a / 4);
  round(p, 'odd_sequence MEDIUM', odd, order, (t, _, rng) => p.oddSequence(t, 'MEDIUM', rng));
  round(p, 'odd_sequence HIGH', odd, [...order].reverse(), (t, _, rng) => p.oddSequence(t, 'HIGH', rng));
  round(p, 'new_tool', a, order.slice(2).concat(order.slice(0, 2)), (t, done, rng) => p.newTool(t, done, rng));
  round(p, 'odd_context', a, order, (t, done, rng) => p.oddContext(t, VARIANTS[done % VARIANTS.length]!, rng));
  round(p, 'bulk_volume', 2 * a, order, (t, _, rng) => p.bulk(t, rng));
}

export function generateEleventhFamily(options: EleventhOptions = {}): TraceLine[] {
  const seed = options.seed ?? 1;
  const perArchetype = options.agentsPerArchetype ?? 4;
  const days = options.days ?? 42;
  const traces: AgentTrace[] = [];
  for (const arch of ELEVENTH_ARCHETYPES)
    for (let i = 0; i < perArchetype; i++) {
      const agent = `${arch.prefix}-${i + 1}`;
      const rng = new Stream(streamSeed(seed, 'eleventh', agent, 'seat'));
      const seat = arch.seat(ROLES[i % ROLES.length]!, Math.floor(i / ROLES.length), agent, rng);
      traces.push({ arch, seat, rows: simulateSeat(arch, seat, seed, T0, days) });
    }
  // Going round the businesses in turn: each seat of each business before the next seat of any.
  const order = [...traces].sort(
    (x, y) =>
      Number(x.seat.agent.split('-').at(-1)) - Number(y.seat.agent.split('-').at(-1)) ||
      ELEVENTH_ARCHETYPES.indexOf(x.arch) - ELEVENTH_ARCHETYPES.indexOf(y.arch),
  );
  plantIncidents(new Planter(traces, { seed, t0: T0, days }), order);
  return traces
    .flatMap((t) => t.rows)
    .sort((x, y) => x.ms - y.ms)
    .map((r) => r.line);
}

// ------------------------------------------------------------------------------------------------ CLI

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const lines = generateEleventhFamily({
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
