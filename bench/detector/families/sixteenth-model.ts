/**
 * The session model of the sixteenth trace family. A seat (one agent) has a local time zone, the people it works
 * for (none for a bot), an hourly rate of sessions per local day and hour, weighted procedures (ordered steps, some
 * optional, some repeated) and scheduled batches. Each local hour draws a Poisson number of sessions; a session
 * picks a person on shift, a procedure and a context (network, client) and runs its steps with log-normal think
 * times. Everything is labelled `normal`; incidents are planted afterwards (sixteenth-incidents.ts).
 */
import type { TraceLine } from '../generate-traces.js';
import type { Rng } from './sixteenth-rng.js';

export type Sensitivity = TraceLine['sensitivity'];
export type Kind = 'bot' | 'assistant' | 'team' | 'quiet';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** Monday 2025-03-03 00:00 UTC. */
export const T0 = Date.UTC(2025, 2, 3);

// ------------------------------------------------------------------------------------------------ time zones

/** A zone as its UTC offsets (minutes) from given instants on; the first applies before the rest. */
export interface Zone {
  name: string;
  offsets: Array<[fromUtcMs: number, minutes: number]>;
}

export function zone(name: string, standard: number, change?: { at: string; to: number }): Zone {
  const offsets: Zone['offsets'] = [[-Infinity, standard]];
  if (change) offsets.push([Date.parse(change.at), change.to]);
  return { name, offsets };
}

export function offsetAt(z: Zone, utc: number): number {
  let minutes = z.offsets[0]![1];
  for (const [from, m] of z.offsets) if (utc >= from) minutes = m;
  return minutes;
}

/** Local wall-clock milliseconds (as if UTC) to the UTC instant. */
export function localToUtc(z: Zone, local: number): number {
  const guess = local - offsetAt(z, local - z.offsets[0]![1] * 60_000) * 60_000;
  return local - offsetAt(z, guess) * 60_000;
}

export const localMs = (z: Zone, utc: number) => utc + offsetAt(z, utc) * 60_000;
/** Local day index (0 = local Monday 3 March) of a UTC instant. */
export const localDay = (z: Zone, utc: number) => Math.floor((localMs(z, utc) - T0) / DAY_MS);
export const localHour = (z: Zone, utc: number) => new Date(localMs(z, utc)).getUTCHours();

// ------------------------------------------------------------------------------------------------ seats

export type Dist = (r: Rng, day: number, hour: number) => number;

export interface Op {
  tool: string;
  op: string;
  sens: Sensitivity;
  vol: Dist;
  /** Money moved; omitted when the operation moves none. */
  amt?: Dist;
}

export interface Step {
  op: Op;
  /** Probability (or per local day) the step is taken. */
  p?: number | ((day: number) => number);
  /** Repetitions, [least, most]. */
  n?: [number, number];
  /** Median think time before this step, seconds. */
  gap?: number;
}

export interface Procedure {
  name: string;
  /** Weight by local day and hour. */
  w: number | ((day: number, hour: number) => number);
  steps: Step[];
}

export interface Person {
  id: string;
  /** Local hours [start, end). */
  shift: [number, number];
  /** Weekdays worked, 0 = Monday. */
  days: number[];
  /** Local days from (included) / to (excluded). */
  from?: number;
  to?: number;
  w?: number;
}

export interface Batch {
  name: string;
  /** Local time [hour, minute]. */
  at: [number, number];
  on: (day: number, weekday: number) => boolean;
  steps: Step[];
  gap: number;
}

export interface SeatHints {
  /** A tool and operation the agent was never granted (planted as `new_tool`). */
  newTool: { tool: string; op: string; sens: Sensitivity };
  /** Operations whose volume (or money) an abuse would inflate. */
  bulk: Array<{ op: string; by: 'volume' | 'amount' }>;
  /** A LOW or MEDIUM read a runaway loop or an enumeration would hammer. */
  burst: string;
  /** The operation that creeps up (bots and team seats). */
  drift?: string;
}

export interface Seat {
  agent: string;
  archetype: string;
  platform: string;
  domain: string;
  zone: Zone;
  kind: Kind;
  people: Person[];
  /** Expected session starts in a local hour. */
  rate: (day: number, weekday: number, hour: number) => number;
  procedures: Procedure[];
  batches: Batch[];
  context: (r: Rng, day: number, person: string | undefined) => { sourceNetwork: string; userAgent: string };
  hints: SeatHints;
}

// ------------------------------------------------------------------------------------------------ helpers

export const WEEKDAYS = [0, 1, 2, 3, 4];
export const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];

/** A team's member maker for copy `v` of a seat: `name2@domain` for the second copy, and so on. */
export function member(domain: string, v: number) {
  return (name: string, shift: [number, number], days = WEEKDAYS, from?: number): Person => ({
    id: `${name}${v ? v + 1 : ''}@${domain}`,
    shift,
    days,
    ...(from === undefined ? {} : { from }),
  });
}

/** Integer log-normal volume with a median growing by `grow` a week. */
export function logn(median: number, sigma: number, grow = 0, min = 1): Dist {
  return (r, day) => Math.max(min, Math.round(r.lognormal(median * Math.pow(1 + grow, day / 7), sigma)));
}

/** Money, log-normal, two decimals. */
export function money(median: number, sigma: number, grow = 0): Dist {
  return (r, day) => Math.round(r.lognormal(median * Math.pow(1 + grow, day / 7), sigma) * 100) / 100;
}

/** Integer Pareto volume (heavy tail), capped. */
export function heavy(xm: number, alpha: number, cap: number): Dist {
  return (r) => Math.min(cap, Math.round(r.pareto(xm, alpha)));
}

export const one: Dist = () => 1;

/** 24 hourly values from [from, to, value] runs (to excluded); unspecified hours are 0. */
export function hours(runs: Array<[number, number, number]>): number[] {
  const h = new Array<number>(24).fill(0);
  for (const [from, to, v] of runs) for (let i = from; i < to; i++) h[i] = v;
  return h;
}

/** Linear from `a` at day `d0` to `b` at day `d1`, flat outside. */
export function ramp(d0: number, d1: number, a: number, b: number): (day: number) => number {
  return (day) => (day <= d0 ? a : day >= d1 ? b : a + ((b - a) * (day - d0)) / (d1 - d0));
}

export function resourceOf(seat: Seat, tool: string): string {
  return `https://${tool}.${seat.domain}/`;
}

// ------------------------------------------------------------------------------------------------ simulation

function pickPerson(seat: Seat, day: number, weekday: number, hour: number, r: Rng): string | undefined {
  const on = seat.people.filter(
    (p) =>
      (p.from ?? -1e9) <= day &&
      day < (p.to ?? 1e9) &&
      p.days.includes(weekday) &&
      hour >= p.shift[0] &&
      hour < p.shift[1],
  );
  return r.weighted(
    on.map((p) => p.id),
    on.map((p) => p.w ?? 1),
  );
}

function emit(
  seat: Seat,
  steps: Step[],
  start: number,
  person: string | undefined,
  day: number,
  gap: number,
  r: Rng,
  out: TraceLine[],
): number {
  const { sourceNetwork, userAgent } = seat.context(r, day, person);
  const context: Record<string, string> =
    person === undefined ? { sourceNetwork, userAgent } : { sourceNetwork, onBehalfOf: person, userAgent };
  let t = start;
  let first = true;
  for (const step of steps) {
    const p = typeof step.p === 'function' ? step.p(day) : (step.p ?? 1);
    if (p < 1 && !r.chance(p)) continue;
    const reps = step.n ? r.int(step.n[0], step.n[1]) : 1;
    for (let i = 0; i < reps; i++) {
      if (!first) t += Math.max(400, r.lognormal((step.gap ?? gap) * 1000, 0.7));
      first = false;
      const hour = localHour(seat.zone, t);
      out.push({
        time: new Date(Math.round(t)).toISOString(),
        agent: seat.agent,
        archetype: seat.archetype,
        platform: seat.platform,
        tool: step.op.tool,
        toolResource: resourceOf(seat, step.op.tool),
        operation: step.op.op,
        sensitivity: step.op.sens,
        volume: step.op.vol(r, day, hour),
        amount: step.op.amt ? step.op.amt(r, day, hour) : 0,
        context,
        label: 'normal',
        incident: null,
      });
    }
  }
  return t;
}

/** The ordinary traffic of one seat over `days` UTC days from T0, in time order. */
export function simulate(seat: Seat, days: number, r: Rng): TraceLine[] {
  const out: TraceLine[] = [];
  const busy = new Map<string, number>();
  for (let day = -1; day <= days; day++) {
    const weekday = ((day % 7) + 7) % 7;
    for (let hour = 0; hour < 24; hour++) {
      const n = r.poisson(seat.rate(day, weekday, hour));
      const starts = Array.from({ length: n }, () => r.next() * HOUR_MS).sort((a, b) => a - b);
      for (const offset of starts) {
        const local = T0 + day * DAY_MS + hour * HOUR_MS + offset;
        const person = seat.kind === 'bot' ? undefined : pickPerson(seat, day, weekday, hour, r);
        if (seat.kind !== 'bot' && person === undefined) continue;
        const ws = seat.procedures.map((p) => (typeof p.w === 'function' ? p.w(day, hour) : p.w));
        const proc = r.weighted(seat.procedures, ws);
        if (!proc) continue;
        // One person (or the bot's one worker) runs one session at a time: a session waits for the last to end,
        // and is dropped (left for later) after half an hour's wait.
        const wanted = localToUtc(seat.zone, local);
        const start = Math.max(wanted, (busy.get(person ?? '') ?? 0) + r.uniform(5_000, 40_000));
        if (start - wanted > 30 * 60_000) continue;
        busy.set(person ?? '', emit(seat, proc.steps, start, person, day, 25, r, out));
      }
    }
    for (const batch of seat.batches) {
      if (!batch.on(day, weekday)) continue;
      const local = T0 + day * DAY_MS + batch.at[0] * HOUR_MS + batch.at[1] * 60_000 + r.next() * 180_000;
      emit(seat, batch.steps, localToUtc(seat.zone, local), undefined, day, batch.gap, r, out);
    }
  }
  const end = T0 + days * DAY_MS;
  return out
    .filter((l) => {
      const t = Date.parse(l.time);
      return t >= T0 && t < end;
    })
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}
