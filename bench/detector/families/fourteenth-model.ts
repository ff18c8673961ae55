/**
 * The session model of the fourteenth trace family. A seat (one agent) has a local clock, people it may act for,
 * a catalogue of operations, and procedures: short runs of operations that a person (or, for a bot, an event)
 * sets off. Each local day draws a number of sessions from the seat's weekly rhythm, places each at an hour drawn
 * from its daily rhythm, picks who it is for (shifts, days off, joining dates) and which procedure runs, and emits
 * the steps a few seconds or minutes apart. Scheduled batches (nightly jobs, polling loops) come on top.
 */
import type { TraceLine } from '../generate-traces.js';
import { pcgFor, type Pcg32 } from './fourteenth-rng.js';

export const T0 = Date.parse('2025-03-03T00:00:00Z');
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type Sensitivity = TraceLine['sensitivity'];
export type SeatKind = 'bot' | 'assistant' | 'team' | 'quiet';

/** A local clock: hours ahead of UTC before and after its one change in the window (`changeAt`, UTC ms). */
export interface Clock {
  before: number;
  after: number;
  changeAt: number;
}

export const fixedClock = (offset: number): Clock => ({ before: offset, after: offset, changeAt: Infinity });
export const changingClock = (before: number, after: number, changeAtIso: string): Clock => ({
  before,
  after,
  changeAt: Date.parse(changeAtIso),
});

/** UTC ms of a local wall time: `day` days after 2025-03-03 (local), `minute` minutes after local midnight. */
export function wallToUtc(clock: Clock, day: number, minute: number): number {
  const wall = T0 + day * DAY + minute * MINUTE;
  const early = wall - clock.before * HOUR;
  return early >= clock.changeAt ? wall - clock.after * HOUR : early;
}

export interface OpDef {
  tool: string;
  sens: Sensitivity;
  /** Records or items touched by one request. */
  volume: (r: Pcg32) => number;
  /** Money moved by one request (none when absent). */
  amount?: (r: Pcg32) => number;
}

/** A step: an operation, optionally skipped (`p`: chance it runs) or repeated (`rep`: how often, inclusive). */
export type StepSpec = string | { op: string; p?: number; rep?: [number, number] };

export interface Procedure {
  name: string;
  /** Relative weight on a local day (0: not available, e.g. a tool not yet adopted). */
  weight: (day: number, dow: number) => number;
  steps: StepSpec[];
  /** Median seconds between steps. */
  gap: number;
}

export interface Person {
  email: string;
  /** Local day they start (inclusive) and stop (exclusive) using the seat. */
  from?: number;
  until?: number;
  /** Local hours they work, [start, end). */
  shift?: [number, number];
  /** Days of the week they work (0 = Monday). */
  days?: number[];
}

export interface Batch {
  name: string;
  on: (day: number, dow: number) => boolean;
  /** Local minute of day it starts, and up to how many minutes late. */
  at: number;
  jitter: number;
  steps: StepSpec[];
  gap: number;
}

/** What the incident planter may use for a seat (fourteenth-incidents.ts). */
export interface IncidentHints {
  /** Tools nobody in the family uses, with operations an intruder or a mis-scoped agent would call. */
  newTool: { tool: string; ops: Array<[string, Sensitivity]> };
  oddContext: 'network' | 'client' | 'person';
  foreignNetwork: string;
  scriptClient: string;
  strayPerson: string;
  /** LOW or MEDIUM operations a runaway loop or a scraper would hammer. */
  burstOps: string[];
  /** Operations whose volume or amount a bulk request blows up. */
  bulk: Array<{ op: string; by: 'volume' | 'amount' }>;
  /** A frequent operation whose volume creeps up for days (bots and team seats). */
  driftOp?: string;
}

export interface SeatSpec {
  agent: string;
  archetype: string;
  platform: string;
  domain: string;
  kind: SeatKind;
  clock: Clock;
  people: Person[];
  ops: Record<string, OpDef>;
  procedures: Procedure[];
  /** Expected sessions on a local day. */
  sessions: (day: number, dow: number) => number;
  /** Relative weight of each local hour (24 entries) on a local day. */
  hours: (day: number, dow: number) => number[];
  batches?: Batch[];
  /** Multiplier on an operation's volume on a local day (growth, peaks). */
  scale?: (op: string, day: number) => number;
  network: (day: number, person: Person | undefined, r: Pcg32) => string;
  client: (day: number, person: Person | undefined, r: Pcg32) => string;
  hints: IncidentHints;
}

/** One generated request with its instant, before it becomes a trace line. */
export interface Req {
  t: number;
  line: TraceLine;
}

export const round2 = (x: number) => Math.round(x * 100) / 100;
export const dowOf = (day: number) => ((day % 7) + 7) % 7;

/** Hour weights from [from, to, weight] ranges of local hours (others 0). */
export function hourly(ranges: Array<[number, number, number]>): number[] {
  const w = new Array<number>(24).fill(0);
  for (const [from, to, weight] of ranges) for (let h = from; h < to; h++) w[h % 24] = weight;
  return w;
}

export function resourceOf(spec: SeatSpec, tool: string): string {
  return `https://${tool}.${spec.domain}/`;
}

export function contextOf(network: string, person: string | undefined, client: string): Record<string, string> {
  return person === undefined
    ? { sourceNetwork: network, userAgent: client }
    : { sourceNetwork: network, onBehalfOf: person, userAgent: client };
}

/** A request of `op` at `t` with fresh volume and amount. */
export function request(
  spec: SeatSpec,
  op: string,
  t: number,
  context: Record<string, string>,
  r: Pcg32,
  day: number,
): Req {
  const def = spec.ops[op];
  if (!def) throw new Error(`${spec.agent}: unknown operation ${op}`);
  const scale = spec.scale ? spec.scale(op, day) : 1;
  return {
    t,
    line: {
      time: new Date(t).toISOString(),
      agent: spec.agent,
      archetype: spec.archetype,
      platform: spec.platform,
      tool: def.tool,
      toolResource: resourceOf(spec, def.tool),
      operation: op,
      sensitivity: def.sens,
      volume: Math.max(1, Math.round(def.volume(r) * scale)),
      amount: def.amount ? round2(def.amount(r)) : 0,
      context,
      label: 'normal',
      incident: null,
    },
  };
}

function runSteps(
  spec: SeatSpec,
  steps: StepSpec[],
  gap: number,
  start: number,
  context: Record<string, string>,
  r: Pcg32,
  day: number,
): Req[] {
  const out: Req[] = [];
  let t = start;
  for (const step of steps) {
    const s = typeof step === 'string' ? { op: step } : step;
    if (s.p !== undefined && !r.chance(s.p)) continue;
    const times = s.rep ? r.int(s.rep[0], s.rep[1]) : 1;
    for (let i = 0; i < times; i++) {
      out.push(request(spec, s.op, t, context, r, day));
      t += Math.max(SECOND, Math.round(r.logNormal(gap, 0.55) * SECOND));
    }
  }
  return out;
}

function available(p: Person, day: number, dow: number, hour: number): boolean {
  if (p.from !== undefined && day < p.from) return false;
  if (p.until !== undefined && day >= p.until) return false;
  if (p.days && !p.days.includes(dow)) return false;
  if (!p.shift) return true;
  const [a, b] = p.shift;
  return a <= b ? hour >= a && hour < b : hour >= a || hour < b;
}

/** Every normal request of a seat over `days` UTC days from 2025-03-03, in time order. */
export function runSeat(spec: SeatSpec, seed: number, days: number): Req[] {
  const out: Req[] = [];
  const end = T0 + days * DAY;
  const busyUntil = new Map<string, number>();
  for (let day = -1; day <= days; day++) {
    const dow = dowOf(day);
    const r = pcgFor(seed, spec.agent, 'day', day);
    const hours = spec.hours(day, dow);
    const procs = spec.procedures.map((p) => Math.max(0, p.weight(day, dow)));
    const n = procs.some((w) => w > 0) ? r.poisson(spec.sessions(day, dow)) : 0;
    const planned: Array<{ start: number; person: Person | undefined; proc: Procedure }> = [];
    for (let i = 0; i < n; i++) {
      const hour = r.weighted(hours);
      const minute = hour * 60 + r.uniform(0, 60);
      let person: Person | undefined;
      if (spec.people.length > 0) {
        const here = spec.people.filter((p) => available(p, day, dow, hour));
        if (here.length === 0) continue;
        person = r.pick(here);
      }
      const proc = spec.procedures[r.weighted(procs)]!;
      planned.push({ start: wallToUtc(spec.clock, day, minute), person, proc });
    }
    // A person works through one procedure at a time; a bot handles events concurrently.
    planned.sort((a, b) => a.start - b.start);
    for (const { start, person, proc } of planned) {
      const ctx = contextOf(spec.network(day, person, r), person?.email, spec.client(day, person, r));
      const free = person ? (busyUntil.get(person.email) ?? 0) : 0;
      const at = Math.max(start, free > start ? free + Math.round(r.logNormal(45, 0.6) * SECOND) : start);
      const reqs = runSteps(spec, proc.steps, proc.gap, at, ctx, r, day);
      if (person && reqs.length > 0) busyUntil.set(person.email, reqs[reqs.length - 1]!.t);
      out.push(...reqs);
    }
    for (const b of spec.batches ?? []) {
      if (!b.on(day, dow)) continue;
      const start = wallToUtc(spec.clock, day, b.at + r.uniform(0, b.jitter));
      const ctx = contextOf(spec.network(day, undefined, r), undefined, spec.client(day, undefined, r));
      out.push(...runSteps(spec, b.steps, b.gap, start, ctx, r, day));
    }
  }
  return out.filter((q) => q.t >= T0 && q.t < end).sort((a, b) => a.t - b.t);
}

export const proc = (name: string, weight: Procedure['weight'], steps: StepSpec[], gap: number): Procedure => ({
  name,
  weight,
  steps,
  gap,
});

export type HintInput = Partial<IncidentHints> &
  Pick<IncidentHints, 'newTool' | 'oddContext' | 'burstOps' | 'bulk' | 'foreignNetwork' | 'scriptClient'>;

export const hintsOf = (h: HintInput): IncidentHints => ({ strayPerson: 'nobody@example.invalid', ...h });

export const SEAT_KINDS: SeatKind[] = ['bot', 'assistant', 'team', 'quiet'];
