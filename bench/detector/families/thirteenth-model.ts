/**
 * The thirteenth family's procedure model. A seat is one agent: a bot working for nobody, an assistant serving one
 * person, a seat shared by a team (each member's sessions interleave with the others') or a quiet seat. Each actor of
 * a seat works sessions in local time — sessions per day from a weekly rhythm and the business's peaks, start hours
 * from a diurnal profile, one actor's sessions never overlapping — and each session runs one business procedure: a
 * list of steps (tool, operation, sensitivity, items and money around a median), some optional, some repeated.
 * Procedures can be adopted gradually; networks and clients change on given days (with overlap while a client
 * upgrade rolls out); people join teams. Local time follows each zone's clock change.
 */
import type { Sensitivity } from '../../../risk/types.js';
import type { TraceLine } from '../generate-traces.js';
import { type Stream, streamOf } from './thirteenth-rng.js';

export const T0 = Date.parse('2025-03-03T00:00:00Z');
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** A clock: UTC offset in minutes before and after one switch (daylight saving starting or ending). */
export interface Zone {
  before: number;
  after: number;
  /** UTC instant of the switch (Infinity: none in these six weeks). */
  switchAt: number;
}

export const zone = (before: number, after = before, switchAt = Infinity): Zone => ({ before, after, switchAt });

/** UTC ms of a local wall-clock time (given as if it were UTC). */
export function localToUtc(z: Zone, wall: number): number {
  const early = wall - z.before * 60_000;
  return early >= z.switchAt ? wall - z.after * 60_000 : early;
}

/** 24 hourly weights from ranges [from, to) (wrapping past midnight when from > to). */
export function hours(ranges: Array<[number, number, number]>): number[] {
  const w = new Array<number>(24).fill(0);
  for (const [from, to, weight] of ranges)
    for (let h = from; h !== to; h = (h + 1) % 24) w[h] = Math.max(w[h]!, weight);
  return w;
}

export interface Step {
  tool: string;
  op: string;
  s: Sensitivity;
  /** Median items touched (default 1). */
  vol?: number;
  /** Log-normal spread of the items (default 0.35 when vol > 1, else 0). */
  spread?: number;
  /** Median money moved (default none). */
  amt?: number;
  amtSpread?: number;
  /** Probability that the step happens (default 1). */
  p?: number;
  /** How many times in a row (default once). */
  times?: [number, number];
}

export interface Procedure {
  name: string;
  weight: number;
  steps: Step[];
  /** Seconds between steps (default the seat's). */
  gap?: [number, number];
  /** First local day it is used; its weight then ramps up over `ramp` days (slow adoption). */
  from?: number;
  ramp?: number;
  /** Weight multiplier by local day and hour (peaks, night batches). */
  when?: (day: number, hour: number) => number;
  /** Items (and money) multiplier by local day. */
  scale?: (day: number) => number;
}

export interface Actor {
  /** The delegating person (none for a bot). */
  person?: string;
  joinDay?: number;
  weight: number;
  zone?: Zone;
  hours?: number[];
  networks?: Network[];
  /** Names of the procedures this actor runs (default all). */
  procedures?: string[];
}

export interface Network {
  cidr: string;
  from?: number;
  to?: number;
  weight?: number;
}

export interface Client {
  ua: string;
  from?: number;
  to?: number;
}

/** What the incident planter may use for this seat, in this business's terms. */
export interface Hints {
  /** Out-of-order transitions [after, operation], most telling first. */
  odd: Array<[string, string]>;
  bulk: string[];
  burst: string[];
  newTools: Array<{ tool: string; op: string; s: Sensitivity }>;
  drift?: string;
  context: 'network' | 'client' | 'person';
  stranger: string;
  publicNetwork: string;
  script: string;
}

export interface SeatSpec {
  agent: string;
  archetype: string;
  platform: string;
  role: 'bot' | 'assistant' | 'team' | 'quiet';
  zone: Zone;
  hours: number[];
  /** Weights Monday … Sunday. */
  week: number[];
  /** Sessions per day for an actor of weight 1 on a weekday of weight 1. */
  perDay: number;
  dayFactor?: (day: number) => number;
  gap: [number, number];
  procedures: Procedure[];
  actors: Actor[];
  networks: Network[];
  clients: Client[];
  domain: string;
  hints: Hints;
}

/** One generated request with its instant. */
export interface Line {
  ms: number;
  trace: TraceLine;
}

const active = (x: { from?: number; to?: number }, day: number) => (x.from ?? -1) <= day && day < (x.to ?? Infinity);

export const resourceOf = (spec: SeatSpec, tool: string) => `https://${tool}.${spec.domain}/`;

export const round2 = (x: number) => Math.round(x * 100) / 100;

function chooseProcedure(spec: SeatSpec, actor: Actor, day: number, hour: number, rng: Stream): Procedure | null {
  const procs = spec.procedures.filter((p) => !actor.procedures || actor.procedures.includes(p.name));
  const weights = procs.map((p) => {
    if (p.from !== undefined && day < p.from) return 0;
    const adoption = p.from === undefined ? 1 : Math.min(1, (day - p.from + 1) / (p.ramp ?? 1));
    return p.weight * adoption * (p.when ? p.when(day, hour) : 1);
  });
  if (weights.every((w) => w <= 0)) return null;
  return procs[rng.weighted(weights)]!;
}

function pickNetwork(list: Network[], day: number, rng: Stream): string {
  const open = list.filter((n) => active(n, day));
  return open[rng.weighted(open.map((n) => n.weight ?? 1))]!.cidr;
}

/** A session's requests, from `start` (UTC ms); returns the lines and the end. */
function runProcedure(
  spec: SeatSpec,
  proc: Procedure,
  day: number,
  start: number,
  context: Record<string, string>,
  rng: Stream,
): { lines: Line[]; end: number } {
  const lines: Line[] = [];
  const [g0, g1] = proc.gap ?? spec.gap;
  const scale = proc.scale ? proc.scale(day) : 1;
  let t = start;
  for (const step of proc.steps) {
    if (step.p !== undefined && !rng.chance(step.p)) continue;
    const n = step.times ? rng.int(step.times[0], step.times[1]) : 1;
    for (let i = 0; i < n; i++) {
      const vol = step.vol ?? 1;
      const spread = step.spread ?? (vol > 1 ? 0.35 : 0);
      const volume = Math.max(1, Math.round(spread > 0 ? rng.around(vol * scale, spread) : vol));
      const amount = step.amt ? round2(rng.around(step.amt * scale, step.amtSpread ?? 0.5)) : 0;
      lines.push({
        ms: t,
        trace: {
          time: new Date(t).toISOString(),
          agent: spec.agent,
          archetype: spec.archetype,
          platform: spec.platform,
          tool: step.tool,
          toolResource: resourceOf(spec, step.tool),
          operation: step.op,
          sensitivity: step.s,
          volume,
          amount,
          context: { ...context },
          label: 'normal',
          incident: null,
        },
      });
      t += Math.round(rng.uniform(g0, g1) * 1000) + rng.int(0, 999);
    }
  }
  return { lines, end: t };
}

/** All of a seat's ordinary requests over `days` days, in time order, within [T0, T0 + days). */
export function runSeat(spec: SeatSpec, seed: number, days: number): Line[] {
  const out: Line[] = [];
  spec.actors.forEach((actor, ai) => {
    const rng = streamOf(seed, 'seat', spec.agent, ai);
    const z = actor.zone ?? spec.zone;
    const profile = actor.hours ?? spec.hours;
    let cursor = -Infinity;
    for (let day = -1; day <= days; day++) {
      if (day < (actor.joinDay ?? -1)) continue;
      const dow = (((day % 7) + 7) % 7) as number;
      const mean = spec.perDay * actor.weight * spec.week[dow]! * (spec.dayFactor ? spec.dayFactor(day) : 1);
      const starts: Array<{ wall: number; hour: number }> = [];
      for (let k = rng.poisson(mean); k > 0; k--) {
        const hour = rng.weighted(profile);
        starts.push({ wall: T0 + day * DAY + hour * HOUR + Math.floor(rng.next() * HOUR), hour });
      }
      starts.sort((a, b) => a.wall - b.wall);
      for (const { wall, hour } of starts) {
        const proc = chooseProcedure(spec, actor, day, hour, rng);
        if (!proc) continue;
        const context: Record<string, string> = {
          sourceNetwork: pickNetwork(actor.networks ?? spec.networks, day, rng),
        };
        if (actor.person) context.onBehalfOf = actor.person;
        const clients = spec.clients.filter((c) => active(c, day));
        context.userAgent = rng.pick(clients).ua;
        const begin = Math.max(localToUtc(z, wall), cursor);
        const { lines, end } = runProcedure(spec, proc, day, begin, context, rng);
        out.push(...lines);
        cursor = end + Math.round(rng.uniform(20, 240) * 1000);
      }
    }
  });
  return out.filter((l) => l.ms >= T0 && l.ms < T0 + days * DAY).sort((a, b) => a.ms - b.ms);
}

/** Steps by operation name from a business's table of operations (a typo throws). */
export function stepsOf(table: Record<string, Omit<Step, 'op'>>): (op: string, extra?: Partial<Step>) => Step {
  return (op, extra = {}) => {
    const base = table[op];
    if (!base) throw new Error(`unknown operation ${op}`);
    return { ...base, op, ...extra };
  };
}
