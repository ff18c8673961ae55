/**
 * The eleventh trace family's procedure model. A seat (one agent) works in a local time zone with daylight saving,
 * runs sessions — each one procedure: ordered steps with optional parts, weighted branches and loops, a person's
 * think time between steps — plus scheduled jobs for the bots. Sessions of one person (or of a bot) never overlap;
 * a seat shared by a team interleaves its people's sessions. Slow legitimate change comes from the seat spec: tools
 * adopted gradually, client versions rolled out over days, people joining, networks added or moved.
 */
import type { Sensitivity } from '../../../risk/types.js';
import type { TraceLine } from '../generate-traces.js';
import { Stream, streamSeed } from './eleventh-rng.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const ROLES = ['bot', 'assistant', 'team', 'quiet'] as const;
export type Role = (typeof ROLES)[number];
export type Zone = 'us-central' | 'us-mountain' | 'us-eastern' | 'us-pacific' | 'uk';

/** One operation of an archetype: its tool, sensitivity and usual items / money per request. */
export interface OpSpec {
  tool: string;
  sens: Sensitivity;
  vol: number;
  spread?: number;
  amount?: number;
}

export type Step =
  string | { maybe: Step[]; p: number } | { any: Array<[number, Step[]]> } | { repeat: Step[]; n: [number, number] };

export interface Procedure {
  steps: Step[];
  /** Median seconds between steps. */
  gap: number;
}

export interface Person {
  email: string;
  /** First and last local day at work (default: all). */
  from?: number;
  to?: number;
  /** Local hours this person works (default: the seat's). */
  hours?: number[];
  weight?: number;
}

export interface Job {
  proc: string;
  /** Every so many minutes between `from` and `to` (local hours), or at the listed local hours. */
  every?: number;
  from?: number;
  to?: number;
  at?: number[];
  on?: 'weekdays' | 'weekends' | 'all';
  /** Only on these local days. */
  days?: number[];
  p?: number;
}

export interface Network {
  cidr: string;
  from?: number;
  to?: number;
  /** Used for weekend and off-hours sessions (VPN, home) when the seat has one. */
  remote?: boolean;
}

export interface Seat {
  agent: string;
  archetype: string;
  platform: string;
  role: Role;
  zone: Zone;
  /** Weights of the 24 local hours for ad-hoc sessions. */
  hours: number[];
  /** Mean ad-hoc sessions on a weekday (weekend days × `weekend`), times `busy(day)`. */
  sessions: number;
  weekend: number;
  busy?: (day: number) => number;
  /** Procedure weights at a local day and hour. */
  mix: (day: number, hour: number) => Array<[string, number]>;
  people: Person[];
  networks: Network[];
  clients: Array<{ ua: string; from?: number; ramp?: number }>;
  adopt?: Record<string, { from: number; ramp: number }>;
  jobs?: Job[];
  /** Items scale of this seat, and a legitimate day factor per operation (peaks). */
  scale?: number;
  money?: number;
  volumeOn?: (day: number, op: string) => number;
}

/** A tool the archetype's agents never use, and what a misused agent would do with it. */
export interface ForeignTool {
  tool: string;
  op: string;
  sens: Sensitivity;
  vol: number;
  amount?: number;
}

/** The operations incidents are planted on, in this business's terms. */
export interface Flavour {
  /** Operations whose items or money a misused agent would inflate. */
  bulk: string[];
  /** Cheap reads a scraping agent would hammer. */
  burst: string[];
  /** [step, operation]: an operation right after a step it never follows (a skipped control). */
  oddPairs: Array<[string, string]>;
  foreignTools: ForeignTool[];
  /** Frequent operations whose items could creep up. */
  drift: string[];
  /** What an agent does from an odd network, client or for an unknown person. */
  context: string[];
}

export interface Archetype {
  name: string;
  prefix: string;
  domain: string;
  catalog: Record<string, OpSpec>;
  procedures: Record<string, Procedure>;
  seat(role: Role, index: number, agent: string, rng: Stream): Seat;
  incidents: Flavour;
}

/** A generated request with its time in ms (for ordering). */
export interface Row {
  ms: number;
  line: TraceLine;
}

// ------------------------------------------------------------------------------------------------ time zones

const STANDARD: Record<Zone, number> = {
  'us-central': -6,
  'us-mountain': -7,
  'us-eastern': -5,
  'us-pacific': -8,
  uk: 0,
};

/** Day of month of the n-th (1-based; 0 = last) Sunday of a month. */
function sunday(year: number, month: number, n: number): number {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
    return 1 + ((7 - first) % 7) + 7 * (n - 1);
  }
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return lastDay.getUTCDate() - lastDay.getUTCDay();
}

/** UTC offset in hours at an instant: US rules (2nd Sunday March – 1st Sunday November), EU rules for the UK. */
export function utcOffset(zone: Zone, ms: number): number {
  const std = STANDARD[zone];
  const year = new Date(ms).getUTCFullYear();
  let start: number;
  let end: number;
  if (zone === 'uk') {
    start = Date.UTC(year, 2, sunday(year, 2, 0), 1);
    end = Date.UTC(year, 9, sunday(year, 9, 0), 1);
  } else {
    start = Date.UTC(year, 2, sunday(year, 2, 2), 2 - std);
    end = Date.UTC(year, 10, sunday(year, 10, 1), 2 - std - 1);
  }
  return ms >= start && ms < end ? std + 1 : std;
}

/** The UTC instant of a local wall-clock time: `seconds` past local midnight of local day `day` (0: t0's date). */
export function localToUtc(zone: Zone, t0: number, day: number, seconds: number): number {
  const wall = t0 + day * DAY + seconds * 1000;
  const guess = wall - utcOffset(zone, wall) * HOUR;
  return wall - utcOffset(zone, guess) * HOUR;
}

export const isWeekend = (day: number) => ((day % 7) + 7) % 7 >= 5;

/** 24 hour weights from [from, to) local-hour spans with weights. */
export function hoursOf(...spans: Array<[number, number, number]>): number[] {
  const w = Array.from({ length: 24 }, () => 0);
  for (const [from, to, weight] of spans) for (let h = from; h < to; h++) w[((h % 24) + 24) % 24]! += weight;
  return w;
}

// ------------------------------------------------------------------------------------------------ sessions

export function expand(steps: Step[], rng: Stream, out: string[] = []): string[] {
  for (const step of steps) {
    if (typeof step === 'string') out.push(step);
    else if ('maybe' in step) {
      if (rng.chance(step.p)) expand(step.maybe, rng, out);
    } else if ('any' in step) expand(rng.weighted(step.any.map(([w, s]) => [s, w] as const)), rng, out);
    else for (let i = rng.int(step.n[0], step.n[1]); i > 0; i--) expand(step.repeat, rng, out);
  }
  return out;
}

interface Session {
  start: number;
  proc: string;
  person: string | null;
  local: number;
  hour: number;
}

const active = (x: { from?: number; to?: number }, day: number) => day >= (x.from ?? -1e9) && day <= (x.to ?? 1e9);

function personAt(seat: Seat, day: number, hour: number, rng: Stream): string | null | undefined {
  if (!seat.people.length) return null;
  const here = seat.people
    .filter((p) => active(p, day))
    .map((p) => [p.email, (p.weight ?? 1) * (p.hours ?? seat.hours)[hour]!] as const);
  return here.some(([, w]) => w > 0) ? rng.weighted(here) : undefined;
}

function plannedSessions(seat: Seat, day: number, rng: Stream): Session[] {
  const sessions: Session[] = [];
  const weekend = isWeekend(day);
  const mean = seat.sessions * (weekend ? seat.weekend : 1) * (seat.busy?.(day) ?? 1);
  for (let n = rng.poisson(mean); n > 0; n--) {
    const hour = rng.weighted(seat.hours.map((w, h) => [h, w] as const));
    const person = personAt(seat, day, hour, rng);
    if (person === undefined) continue;
    const local = hour * 3600 + rng.uniform(0, 3600);
    const proc = rng.weighted(seat.mix(day, hour));
    sessions.push({ start: 0, proc, person, local, hour });
  }
  for (const job of seat.jobs ?? []) {
    if (job.days && !job.days.includes(day)) continue;
    if ((job.on === 'weekdays' && weekend) || (job.on === 'weekends' && !weekend)) continue;
    const times: number[] = [];
    if (job.every) for (let m = (job.from ?? 0) * 60; m < (job.to ?? 24) * 60; m += job.every) times.push(m * 60);
    for (const h of job.at ?? []) times.push(h * 3600);
    for (const t of times) {
      if (!rng.chance(job.p ?? 1)) continue;
      const local = Math.max(0, t + rng.uniform(0, Math.min(90, (job.every ?? 5) * 6)));
      const hour = Math.floor(local / 3600) % 24;
      const person = seat.people.length ? (seat.people.find((p) => active(p, day))?.email ?? null) : null;
      sessions.push({ start: 0, proc: job.proc, person, local, hour });
    }
  }
  return sessions;
}

function pickClient(seat: Seat, day: number, rng: Stream): string {
  for (let i = seat.clients.length - 1; i > 0; i--) {
    const c = seat.clients[i]!;
    const from = c.from ?? 0;
    if (day >= from && rng.chance(Math.min(1, (day - from + 1) / (c.ramp ?? 1)))) return c.ua;
  }
  return seat.clients[0]!.ua;
}

function pickNetwork(seat: Seat, day: number, remote: boolean, rng: Stream): string {
  const here = seat.networks.filter((n) => active(n, day));
  const wanted = here.filter((n) => !!n.remote === remote);
  return rng.pick(wanted.length ? wanted : here).cidr;
}

/** A seat's ordinary traffic over `days` days from t0, in time order. */
export function simulateSeat(arch: Archetype, seat: Seat, seed: number, t0: number, days: number): Row[] {
  const rng = new Stream(streamSeed(seed, 'eleventh', seat.agent, 'traffic'));
  const end = t0 + days * DAY;
  const rows: Row[] = [];
  const busyUntil = new Map<string, number>();
  for (let day = -1; day <= days; day++) {
    const sessions = plannedSessions(seat, day, rng);
    for (const s of sessions) s.start = localToUtc(seat.zone, t0, day, s.local);
    sessions.sort((a, b) => a.start - b.start);
    for (const s of sessions) {
      const thread = s.person ?? '';
      const free = busyUntil.get(thread) ?? -Infinity;
      let t = s.start < free ? free + rng.uniform(20_000, 240_000) : s.start;
      const procedure = arch.procedures[s.proc];
      if (!procedure) throw new Error(`unknown procedure ${s.proc}`);
      const remote = isWeekend(day) || s.hour < 7 || s.hour >= 19;
      const context: Record<string, string> = { sourceNetwork: pickNetwork(seat, day, remote, rng) };
      if (s.person) context.onBehalfOf = s.person;
      context.userAgent = pickClient(seat, day, rng);
      let first = true;
      for (const op of expand(procedure.steps, rng)) {
        const spec = arch.catalog[op];
        if (!spec) throw new Error(`unknown operation ${op}`);
        const adoption = seat.adopt?.[spec.tool];
        if (adoption && !rng.chance(Math.min(1, (day - adoption.from) / adoption.ramp))) continue;
        if (!first) t += Math.min(1_800_000, Math.max(2_000, rng.logNormal(procedure.gap * 1000, 0.7)));
        first = false;
        const scale = (seat.scale ?? 1) * (seat.volumeOn?.(day, op) ?? 1);
        const volume = Math.max(1, Math.round(rng.logNormal(spec.vol * scale, spec.spread ?? 0.45)));
        const amount = spec.amount ? Math.round(rng.logNormal(spec.amount * (seat.money ?? 1), 0.5) * 100) / 100 : 0;
        const ms = Math.round(t);
        if (ms < t0 || ms >= end) continue;
        rows.push({ ms, line: lineOf(arch, seat, ms, op, volume, amount, { ...context }) });
      }
      busyUntil.set(thread, t);
    }
  }
  return rows.sort((a, b) => a.ms - b.ms);
}

export function resourceOf(arch: Archetype, tool: string): string {
  return `https://${tool}.${arch.domain}/`;
}

export function lineOf(
  arch: Archetype,
  seat: Seat,
  ms: number,
  op: string,
  volume: number,
  amount: number,
  context: Record<string, string>,
): TraceLine {
  const spec = arch.catalog[op]!;
  return {
    time: new Date(ms).toISOString(),
    agent: seat.agent,
    archetype: seat.archetype,
    platform: seat.platform,
    tool: spec.tool,
    toolResource: resourceOf(arch, spec.tool),
    operation: op,
    sensitivity: spec.sens,
    volume,
    amount,
    context,
    label: 'normal',
    incident: null,
  };
}
