/**
 * The fifteenth family's session model. An agent is a seat: a bot acting for nobody, an assistant serving one
 * person, a seat a team shares, or a quiet seat. Sessions start at random in local (wall-clock) hours at a rate the
 * business sets per local day and hour, plus scheduled batches; each runs one procedure (a list of steps, some
 * optional, some repeated). A person runs one session at a time; bots run sessions side by side. Every request of a
 * session carries the session's context. Times are converted from the business's IANA time zone, so clock changes
 * move the UTC hours the way they would.
 */
import type { TraceLine } from '../generate-traces.js';
import type { Pcg32 } from './fifteenth-rng.js';

export type Sensitivity = TraceLine['sensitivity'];
export type SeatKind = 'bot' | 'assistant' | 'team' | 'quiet';

/** A local calendar day of the trace (index 0 is Monday 2025-03-03 in the business's zone). */
export interface Day {
  index: number;
  /** 0 Monday … 6 Sunday. */
  dow: number;
  month: number;
  dom: number;
}

export interface Op {
  tool: string;
  sensitivity: Sensitivity;
  /** Records or items touched. */
  volume: (r: Pcg32, day: Day) => number;
  /** Money moved; none when absent. */
  amount?: (r: Pcg32, day: Day) => number;
}

/**
 * `op`, `op?0.3` (done with probability 0.3), `op*2-9` (done 2–9 times in a row), or a group of steps done a number
 * of times that may depend on the day (0: skipped).
 */
export type StepSpec = string | { steps: StepSpec[]; times: (r: Pcg32, day: Day) => number };

export interface Procedure {
  name: string;
  weight: (day: Day, hour: number) => number;
  steps: StepSpec[];
}

export interface Batch {
  /** Local hour, fractional (2.5 is 02:30). */
  at: number;
  procedure: string;
}

export interface Seat {
  agent: string;
  archetype: string;
  platform: string;
  tz: string;
  kind: SeatKind;
  ops: Record<string, Op>;
  procedures: Procedure[];
  /** Sessions expected to start in a local hour of a local day. */
  rate: (day: Day, hour: number) => number;
  batches?: (day: Day, r: Pcg32) => Batch[];
  /** Who may start a session then (assistant: one person; team: those on shift). None for bots. */
  people?: (day: Day, hour: number) => string[];
  /** The session's network and client (and anything else), drawn per session. */
  context: (day: Day, hour: number, r: Pcg32, person: string | undefined) => Record<string, string>;
  /** Seconds between two steps of a session. */
  gap: (r: Pcg32) => number;
  resource: (tool: string) => string;
  plan: SeatPlan;
}

const T0 = Date.parse('2025-03-03T00:00:00Z');
const DAY = 86_400_000;

const offsetCache = new Map<string, number>();
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes the zone is ahead of UTC at an instant. */
export function zoneOffset(tz: string, utcMs: number): number {
  const bucket = Math.floor(utcMs / 900_000);
  const key = `${tz}|${bucket}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(bucket * 900_000)).map((x) => [x.type, x.value]));
  const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  const offset = Math.round((local - bucket * 900_000) / 60_000);
  offsetCache.set(key, offset);
  return offset;
}

/** UTC instant of a local wall-clock time: local day index (from 2025-03-03) and fractional hour. */
export function localToUtc(tz: string, dayIndex: number, hour: number): number {
  const wall = T0 + dayIndex * DAY + hour * 3_600_000;
  const guess = wall - zoneOffset(tz, wall) * 60_000;
  return wall - zoneOffset(tz, guess) * 60_000;
}

/** The local day and hour of a UTC instant. */
export function utcToLocal(tz: string, utcMs: number): { day: number; hour: number } {
  const wall = utcMs + zoneOffset(tz, utcMs) * 60_000;
  const day = Math.floor((wall - T0) / DAY);
  return { day, hour: (wall - T0 - day * DAY) / 3_600_000 };
}

export function dayInfo(index: number): Day {
  const d = new Date(T0 + index * DAY);
  return { index, dow: (d.getUTCDay() + 6) % 7, month: d.getUTCMonth() + 1, dom: d.getUTCDate() };
}

interface ParsedStep {
  op: string;
  p: number;
  min: number;
  max: number;
}

function parseStep(s: string): ParsedStep {
  const m = /^([a-z0-9_]+)(?:\?([0-9.]+))?(?:\*(\d+)-(\d+))?$/.exec(s);
  if (!m) throw new Error(`bad step ${s}`);
  return { op: m[1]!, p: m[2] ? Number(m[2]) : 1, min: m[3] ? Number(m[3]) : 1, max: m[4] ? Number(m[4]) : 1 };
}

/** A request before labelling. */
export interface Request {
  ms: number;
  seat: Seat;
  op: string;
  volume: number;
  amount: number;
  context: Record<string, string>;
}

export const money = (x: number) => Math.round(x * 100) / 100;

/** One session's requests from `start` on. */
export function runProcedure(
  seat: Seat,
  proc: Procedure,
  day: Day,
  start: number,
  context: Record<string, string>,
  r: Pcg32,
): Request[] {
  const out: Request[] = [];
  let t = start;
  const run = (specs: StepSpec[]) => {
    for (const spec of specs) {
      if (typeof spec !== 'string') {
        const times = spec.times(r, day);
        for (let i = 0; i < times; i++) run(spec.steps);
        continue;
      }
      const step = parseStep(spec);
      if (!r.chance(step.p)) continue;
      const n = r.int(step.min, step.max);
      for (let i = 0; i < n; i++) {
        const op = seat.ops[step.op];
        if (!op) throw new Error(`${seat.agent}: no op ${step.op}`);
        if (out.length) t += Math.max(0.2, seat.gap(r)) * 1000;
        out.push({
          ms: Math.round(t),
          seat,
          op: step.op,
          volume: Math.max(1, Math.round(op.volume(r, day))),
          amount: op.amount ? money(Math.max(0, op.amount(r, day))) : 0,
          context,
        });
      }
    }
  };
  run(proc.steps);
  return out;
}

function pickProcedure(seat: Seat, day: Day, hour: number, r: Pcg32): Procedure | undefined {
  const live = seat.procedures.filter((p) => p.weight(day, hour) > 0);
  return live.length ? r.weighted(live, (p) => p.weight(day, hour)) : undefined;
}

/** Every request of a seat whose time falls in [T0, T0 + days). */
export function simulateSeat(seat: Seat, days: number, r: Pcg32): Request[] {
  const end = T0 + days * DAY;
  const starts: { ms: number; day: Day; hour: number; proc?: Procedure }[] = [];
  for (let d = -1; d <= days; d++) {
    const day = dayInfo(d);
    for (let h = 0; h < 24; h++) {
      const n = r.poisson(seat.rate(day, h));
      for (let i = 0; i < n; i++) {
        const hour = h + r.next();
        starts.push({ ms: localToUtc(seat.tz, d, hour), day, hour });
      }
    }
    for (const b of seat.batches?.(day, r) ?? []) {
      const proc = seat.procedures.find((p) => p.name === b.procedure);
      if (!proc) throw new Error(`${seat.agent}: no procedure ${b.procedure}`);
      starts.push({ ms: localToUtc(seat.tz, d, b.at), day, hour: b.at, proc });
    }
  }
  starts.sort((a, b) => a.ms - b.ms);
  const busyUntil = new Map<string, number>();
  const out: Request[] = [];
  for (const s of starts) {
    const proc = s.proc ?? pickProcedure(seat, s.day, Math.floor(s.hour), r);
    if (!proc) continue;
    let start = s.ms;
    let person: string | undefined;
    const people = seat.people?.(s.day, Math.floor(s.hour)) ?? [];
    if (seat.kind !== 'bot') {
      if (!people.length) continue;
      const free = people.filter((p) => (busyUntil.get(p) ?? 0) < start);
      if (free.length) person = r.pick(free);
      else {
        // Everyone on shift is busy: the earliest free picks it up, unless that is more than 20 minutes away.
        person = [...people].sort((a, b) => busyUntil.get(a)! - busyUntil.get(b)!)[0]!;
        start = busyUntil.get(person)! + r.uniform(5, 90) * 1000;
        if (start - s.ms > 20 * 60_000) continue;
      }
    }
    const context = seat.context(s.day, Math.floor(s.hour), r, person);
    const reqs = runProcedure(seat, proc, s.day, start, context, r);
    if (!reqs.length) continue;
    if (person) busyUntil.set(person, reqs[reqs.length - 1]!.ms + r.uniform(20, 240) * 1000);
    for (const q of reqs) if (q.ms >= T0 && q.ms < end) out.push(q);
  }
  return out;
}

export function toLine(q: Request, label: TraceLine['label'] = 'normal', incident: string | null = null): TraceLine {
  const op = q.seat.ops[q.op]!;
  return {
    time: new Date(q.ms).toISOString(),
    agent: q.seat.agent,
    archetype: q.seat.archetype,
    platform: q.seat.platform,
    tool: op.tool,
    toolResource: q.seat.resource(op.tool),
    operation: q.op,
    sensitivity: op.sensitivity,
    volume: q.volume,
    amount: q.amount,
    context: q.context,
    label,
    incident,
  };
}

/** What gets planted on a seat from day 10 on (fifteenth-incidents.ts). */
export interface SeatPlan {
  /** A tool the seat was never given, called 1–3 times. */
  newTool: {
    tool: string;
    op: string;
    sensitivity: 'HIGH' | 'CRITICAL';
    calls: number;
    volume: number;
    amount: number;
  };
  /** Operations pushed 30–300× their usual records or money, one incident each. */
  bulk: string[];
  /** A LOW or MEDIUM operation run in a tight loop. */
  burst: string;
  /** An operation whose records creep up for days before one request at ~80×. */
  drift?: string;
  /** The one thing never seen: a public network, a scripted client, or a person at an hour the seat never works. */
  oddContext: { variant: 'network' | 'client' | 'person'; value: string };
  /** How many odd sequences (alternating MEDIUM and HIGH operations). */
  oddSequences: number;
}

/** A weight per local hour from [from, to, weight] spans (later spans override). */
export function hourly(spans: [number, number, number][]): number[] {
  const w = new Array<number>(24).fill(0);
  for (const [from, to, x] of spans) for (let h = from; h < to; h++) w[h] = x;
  return w;
}

/** 0 before `from`, 1 from `to`, linear between (local day index). */
export function ramp(day: Day, from: number, to: number): number {
  return Math.min(1, Math.max(0, (day.index - from) / Math.max(1, to - from)));
}
