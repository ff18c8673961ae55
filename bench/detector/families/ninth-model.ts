/**
 * The ninth family's model and ordinary traffic: archetypes declare tools, operations, procedures (steps with
 * optional parts, weighted branches and loops) and seats (agents); the engine turns seats into days of sessions.
 * Each person an agent serves runs one session at a time; a team's people overlap, so the agent interleaves them.
 */
import type { TraceLine } from '../generate-traces.js';
import type { Rng } from './ninth-rng.js';

export type Sensitivity = TraceLine['sensitivity'];
export const DAY_MS = 86_400_000;
export const START_MS = Date.UTC(2025, 2, 3);

export interface OpDef {
  tool: string;
  sensitivity: Sensitivity;
  /** Items touched: [median, log-spread]. */
  volume: [number, number];
  /** Money moved: [median, log-spread]; absent when none. */
  amount?: [number, number];
}

export type Step =
  | { op: string; p?: number; times?: [number, number]; gap?: [number, number] }
  | { branch: { w: number; steps: Step[] }[]; p?: number };

export interface Person {
  /** Absent for a bot acting for nobody. */
  email?: string;
  /** Active hours in local time: [from, to), `to` may pass 24 for a night shift. */
  hours: [number, number];
  /** First day this person works with the agent (a new colleague). */
  from: number;
  weight: number;
}

export interface Seat {
  agent: string;
  archetype: string;
  platform: string;
  /** UTC offset (hours) before and after the local clock change on `dstDay`. */
  utc: [number, number];
  dstDay: number;
  /** Mean sessions per person on a weekday. */
  sessions: number;
  /** Multiplier on Saturdays and Sundays. */
  weekend: number;
  people: Person[];
  procs: Record<string, number>;
  /** Networks from a day on; a session picks one of the current list. */
  networks: { from: number; nets: string[] }[];
  /** Client versions from a day on; during `mix` days after a switch both versions appear. */
  clients: { from: number; ua: string; mix?: number }[];
  /** A procedure adopted gradually: weight ramps from 0 on `from` to `weight` on `full`. */
  adopt?: { proc: string; from: number; full: number; weight: number };
}

export interface DayMood {
  factor: number;
  boost: Record<string, number>;
}

export interface ArchetypeSpec {
  archetype: string;
  tools: Record<string, string>;
  ops: Record<string, OpDef>;
  procs: Record<string, Step[]>;
  seats(count: number, rng: Rng): Seat[];
  /** Archetype-wide peaks of a day (patch days, quarter-end, rain, spring surge). */
  mood(day: number, rng: Rng): DayMood;
  /** Sensitive operations on tools no seat ever uses (for never-seen-tool incidents). */
  rare: { tool: string; resource: string; op: string; sensitivity: Sensitivity; volume: number; amount: number }[];
  /** Frequent operations with volume worth drifting, and routine cheap ones to burst. */
  driftOps: string[];
  burstOps: string[];
}

export interface Line extends TraceLine {
  ms: number;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function drawVolume(op: OpDef, rng: Rng): number {
  return Math.max(1, Math.round(rng.around(op.volume[0], op.volume[1])));
}

export function drawAmount(op: OpDef, rng: Rng): number {
  return op.amount ? Math.round(rng.around(op.amount[0], op.amount[1]) * 100) / 100 : 0;
}

export function makeLine(
  spec: ArchetypeSpec,
  seat: Seat,
  opName: string,
  ms: number,
  context: Record<string, string>,
  rng: Rng,
): Line {
  const op = spec.ops[opName]!;
  return {
    ms,
    time: iso(ms),
    agent: seat.agent,
    archetype: seat.archetype,
    platform: seat.platform,
    tool: op.tool,
    toolResource: spec.tools[op.tool]!,
    operation: opName,
    sensitivity: op.sensitivity,
    volume: drawVolume(op, rng),
    amount: drawAmount(op, rng),
    context: { ...context },
    label: 'normal',
    incident: null,
  };
}

function networkOn(seat: Seat, day: number, rng: Rng): string {
  let nets = seat.networks[0]!.nets;
  for (const n of seat.networks) if (n.from <= day) nets = n.nets;
  return rng.pick(nets);
}

function clientOn(seat: Seat, day: number, rng: Rng): string {
  let current = seat.clients[0]!;
  let previous = current;
  for (const c of seat.clients)
    if (c.from <= day) {
      previous = current;
      current = c;
    }
  const mixing = current.mix && day < current.from + current.mix;
  return mixing && rng.chance(1 - (day - current.from + 1) / (current.mix! + 1)) ? previous.ua : current.ua;
}

export function contextFor(seat: Seat, person: Person, day: number, rng: Rng): Record<string, string> {
  const context: Record<string, string> = { sourceNetwork: networkOn(seat, day, rng) };
  if (person.email) context.onBehalfOf = person.email;
  context.userAgent = clientOn(seat, day, rng);
  return context;
}

/** Walks a procedure from `ms`; returns the lines and the time the session ends. */
export function runSteps(
  spec: ArchetypeSpec,
  seat: Seat,
  steps: Step[],
  start: number,
  context: Record<string, string>,
  rng: Rng,
  out: Line[],
): number {
  let ms = start;
  for (const step of steps) {
    if (step.p !== undefined && !rng.chance(step.p)) continue;
    if ('branch' in step) {
      const weights: Record<string, number> = {};
      step.branch.forEach((b, i) => (weights[String(i)] = b.w));
      ms = runSteps(spec, seat, step.branch[Number(rng.weighted(weights))]!.steps, ms, context, rng, out);
      continue;
    }
    const times = step.times ? rng.int(step.times[0], step.times[1]) : 1;
    for (let k = 0; k < times; k++) {
      const [lo, hi] = step.gap ?? [12, 150];
      ms += Math.round(rng.uniform(lo, hi) * 1000);
      out.push(makeLine(spec, seat, step.op, ms, context, rng));
    }
  }
  return ms;
}

function procWeights(spec: ArchetypeSpec, seat: Seat, day: number, mood: DayMood): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const [proc, w] of Object.entries(seat.procs)) weights[proc] = w * (mood.boost[proc] ?? 1);
  const a = seat.adopt;
  if (a && day >= a.from) {
    const ramp = Math.min(1, (day - a.from + 1) / Math.max(1, a.full - a.from + 1));
    weights[a.proc] = a.weight * ramp * (mood.boost[a.proc] ?? 1);
  }
  for (const proc of Object.keys(weights)) if (!spec.procs[proc]) throw new Error(`unknown procedure ${proc}`);
  return weights;
}

/** Ordinary traffic of one seat over `days` days. */
export function seatTraffic(spec: ArchetypeSpec, seat: Seat, days: number, rng: Rng, moodRng: Rng): Line[] {
  const out: Line[] = [];
  const end = START_MS + days * DAY_MS;
  for (let day = 0; day < days; day++) {
    const mood = spec.mood(day, moodRng.fork(`mood-${day}`));
    const weekend = day % 7 >= 5 ? seat.weekend : 1;
    const offset = day >= seat.dstDay ? seat.utc[1] : seat.utc[0];
    const weights = procWeights(spec, seat, day, mood);
    for (const person of seat.people) {
      if (person.from > day) continue;
      const n = rng.poisson(seat.sessions * person.weight * weekend * mood.factor);
      const starts: number[] = [];
      for (let i = 0; i < n; i++) {
        const local = rng.uniform(person.hours[0], person.hours[1] - 0.4);
        starts.push(START_MS + day * DAY_MS + Math.round((local - offset) * 3_600_000));
      }
      starts.sort((a, b) => a - b);
      let cursor = -Infinity;
      for (const s of starts) {
        const begin = Math.max(s, cursor + Math.round(rng.uniform(20, 240) * 1000));
        const proc = rng.weighted(weights);
        const context = contextFor(seat, person, day, rng);
        cursor = runSteps(spec, seat, spec.procs[proc]!, begin, context, rng, out);
      }
    }
  }
  return out.filter((l) => l.ms >= START_MS && l.ms < end);
}

const FIRST = ['ana', 'bo', 'chidi', 'dana', 'elif', 'femi', 'greta', 'hiro', 'ines', 'jonas', 'kavya', 'lucas'];
const LAST = ['okafor', 'lindqvist', 'moreau', 'tanaka', 'reyes', 'novak', 'haddad', 'kowalski', 'osei', 'brandt'];

export function personName(rng: Rng, domain: string, tag: string): string {
  return `${rng.pick(FIRST)}.${rng.pick(LAST)}${tag}@${domain}`;
}
