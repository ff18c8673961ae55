/**
 * The twelfth family's procedure model. A seat (one agent) is worked by crews: a bot's periodic jobs, an assistant's
 * one person, a team's people in one or more time zones. Each crew opens sessions on its local days (Poisson counts
 * spread over local-hour weights, and/or periodic jobs), and each session runs one procedure: steps with optional
 * parts, repeats and weighted branches, separated by think times. Local time follows each zone's 2025 daylight-saving
 * change. Slow legitimate change: tools adopted gradually (a ramp of days), clients upgraded over a rollout, networks
 * added or moved on a day, people joining on a day.
 */
import type { Sensitivity } from '../../../risk/types.js';
import type { TraceLine } from '../generate-traces.js';
import type { Rand } from './twelfth-rng.js';

export const DAY_MS = 86_400_000;
/** Monday 2025-03-03 00:00 UTC, day 0. */
export const T0 = Date.parse('2025-03-03T00:00:00Z');

/** A zone's standard and daylight offsets (minutes east of UTC) and when daylight time starts (UTC ms). */
export interface Zone {
  std: number;
  dst: number;
  dstFrom: number;
}
export const ZONES = {
  chicago: { std: -360, dst: -300, dstFrom: Date.UTC(2025, 2, 9, 8) },
  newYork: { std: -300, dst: -240, dstFrom: Date.UTC(2025, 2, 9, 7) },
  london: { std: 0, dst: 60, dstFrom: Date.UTC(2025, 2, 30, 1) },
  phoenix: { std: -420, dst: -420, dstFrom: 0 },
  manila: { std: 480, dst: 480, dstFrom: 0 },
} satisfies Record<string, Zone>;

/** UTC ms of a local day (0 = Monday 3 March) and minute of that day. */
export function localToUtc(zone: Zone, day: number, minute: number): number {
  const local = T0 + day * DAY_MS + minute * 60_000;
  const standard = local - zone.std * 60_000;
  return standard >= zone.dstFrom ? local - zone.dst * 60_000 : standard;
}

/** A fixed number, or a log-normal [median, spread]. */
export type Dist = number | readonly [number, number];
export interface OpDef {
  tool: string;
  sens: Sensitivity;
  /** Items touched (default 1). */
  vol?: Dist;
  /** Money moved (default none). */
  amt?: Dist;
}
export interface Day {
  /** Local day index (0 = Monday 3 March). */
  day: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
}
export type Step =
  | string
  | { op: string; p?: number; n?: readonly [number, number]; vol?: Dist; amt?: Dist }
  | { one: readonly (readonly [number, readonly Step[]])[]; p?: number }
  | { loop: readonly Step[]; n: readonly [number, number]; p?: number };
export interface Proc {
  steps: readonly Step[];
  w: number | ((c: Day) => number);
}
export interface Person {
  email: string;
  /** First local day worked (default 0). */
  from?: number;
  w?: number;
}
export interface Net {
  cidr: string;
  from?: number;
  to?: number;
  w?: number;
}
/** Client versions in order; each new one rolls out over `over` days from `since`. */
export interface Client {
  ua: string;
  since: number;
  over: number;
}
export interface Crew {
  zone: Zone;
  /** null: the crew acts for nobody (no onBehalfOf). */
  people: readonly Person[] | null;
  /** Poisson sessions per ordinary day, before `rate`, spread by `hours` (24 local-hour weights). */
  sessions?: number;
  hours?: readonly number[];
  /** Periodic jobs every `minutes` from local hour `from` up to `to` (to may pass midnight: from 22 to 26). */
  every?: { minutes: number; from: number; to: number; on?: (c: Day) => boolean };
  /** Multiplier of the Poisson sessions: the weekly pattern and the peaks. */
  rate?: (c: Day) => number;
  /** Think time between steps, seconds: [median, spread]. */
  gap: readonly [number, number];
  procs: readonly Proc[];
  /** Volume multiplier on some days (e.g. production days). */
  scale?: (c: Day, op: string) => number;
  networks?: readonly Net[];
}
export interface Seat {
  agent: string;
  archetype: string;
  platform: string;
  role: 'bot' | 'assistant' | 'team' | 'quiet';
  ops: Readonly<Record<string, OpDef>>;
  crews: readonly Crew[];
  networks: readonly Net[];
  clients: readonly Client[];
  adopt?: readonly { tool: string; from: number; over: number }[];
}

/** A line with what the planting needs: UTC ms, creation order, the thread (agent and person). */
export interface Row extends TraceLine {
  t: number;
  seq: number;
  thread: string;
}

export const weekdayOf = (day: number) => ((day % 7) + 7) % 7;
export const resourceOf = (tool: string) => `https://${tool}.example.com/`;

export function draw(rng: Rand, d: Dist, scale = 1): number {
  if (typeof d === 'number') return d;
  return rng.logNormal(d[0] * scale, d[1]);
}

/** Office-hours weights: `from`–`to` local with a lunch dip, `tail` before and after. */
export function officeHours(from: number, to: number, tail = 0.05, lunch = 12): number[] {
  return Array.from({ length: 24 }, (_, h) => {
    if (h < from || h >= to) return h === from - 1 || h === to ? tail * 2 : tail;
    return h === lunch ? 0.55 : h === from || h === to - 1 ? 0.7 : 1;
  });
}

const activeNets = (nets: readonly Net[], day: number) =>
  nets.filter((n) => (n.from ?? -99) <= day && day < (n.to ?? 999));

function clientOf(clients: readonly Client[], day: number, rng: Rand): string {
  let ua = clients[0]!.ua;
  for (let i = 1; i < clients.length; i++) {
    const c = clients[i]!;
    if (day < c.since) break;
    const p = c.over > 0 ? (day - c.since + 1) / c.over : 1;
    if (rng.chance(Math.min(1, p))) ua = c.ua;
  }
  return ua;
}

function adopted(seat: Seat, tool: string, day: number, rng: Rand): boolean {
  const a = seat.adopt?.find((x) => x.tool === tool);
  if (!a || day >= a.from + a.over) return true;
  return day >= a.from && rng.chance((day - a.from + 1) / (a.over + 1));
}

type Emit = { op: string; vol?: Dist; amt?: Dist };
function expand(steps: readonly Step[], rng: Rand, out: Emit[]): void {
  for (const s of steps) {
    if (typeof s === 'string') out.push({ op: s });
    else if ('op' in s) {
      if (s.p !== undefined && !rng.chance(s.p)) continue;
      const n = s.n ? rng.int(s.n[0], s.n[1]) : 1;
      for (let i = 0; i < n; i++)
        out.push({ op: s.op, ...(s.vol ? { vol: s.vol } : {}), ...(s.amt ? { amt: s.amt } : {}) });
    } else if ('one' in s) {
      if (s.p !== undefined && !rng.chance(s.p)) continue;
      expand(rng.weighted(s.one.map(([w, branch]) => [w, branch] as const)), rng, out);
    } else {
      if (s.p !== undefined && !rng.chance(s.p)) continue;
      const n = rng.int(s.n[0], s.n[1]);
      for (let i = 0; i < n; i++) expand(s.loop, rng, out);
    }
  }
}

/** Session start minutes of one crew on one local day. */
function startsOf(crew: Crew, c: Day, rng: Rand): number[] {
  const starts: number[] = [];
  if (crew.every && (crew.every.on?.(c) ?? true)) {
    const { minutes, from, to } = crew.every;
    for (let m = from * 60; m < to * 60; m += minutes) starts.push(m + rng.uniform(0, Math.min(3, minutes / 4)));
  }
  if (crew.sessions) {
    const n = rng.poisson(crew.sessions * (crew.rate?.(c) ?? 1));
    const hours = (crew.hours ?? officeHours(8, 17)).map((w, h) => [w, h] as const);
    for (let i = 0; i < n; i++) starts.push(rng.weighted(hours) * 60 + rng.uniform(0, 60));
  }
  return starts.sort((a, b) => a - b);
}

/** Every ordinary line of one seat over `days` UTC days, in creation order (not yet sorted). */
export function runSeat(seat: Seat, rng: Rand, days: number, counter: { seq: number }): Row[] {
  const rows: Row[] = [];
  const end = T0 + days * DAY_MS;
  for (const crew of seat.crews) {
    for (let day = -1; day <= days; day++) {
      const c: Day = { day, weekday: weekdayOf(day) };
      const people = crew.people?.filter((p) => (p.from ?? 0) <= day) ?? null;
      if (people && !people.length) continue;
      for (const start of startsOf(crew, c, rng)) {
        const procs = crew.procs.map((p) => [typeof p.w === 'number' ? p.w : p.w(c), p] as const);
        const proc = rng.weighted(procs);
        const person = people ? rng.weighted(people.map((p) => [p.w ?? 1, p.email] as const)) : null;
        const nets = activeNets(crew.networks ?? seat.networks, day);
        const network = rng.weighted(nets.map((n) => [n.w ?? 1, n.cidr] as const));
        const context: Record<string, string> = { sourceNetwork: network };
        if (person) context.onBehalfOf = person;
        context.userAgent = clientOf(seat.clients, day, rng);
        const steps: Emit[] = [];
        expand(proc.steps, rng, steps);
        let t = localToUtc(crew.zone, day, start);
        let first = true;
        for (const s of steps) {
          const def = seat.ops[s.op];
          if (!def) throw new Error(`${seat.agent}: unknown operation ${s.op}`);
          if (!adopted(seat, def.tool, day, rng)) continue;
          if (!first) t += Math.max(1, rng.logNormal(crew.gap[0], crew.gap[1])) * 1000;
          first = false;
          const scale = crew.scale?.(c, s.op) ?? 1;
          const volume = Math.max(1, Math.round(draw(rng, s.vol ?? def.vol ?? 1, scale)));
          const amtDist = s.amt ?? def.amt;
          const amount = amtDist === undefined ? 0 : Math.round(draw(rng, amtDist, scale) * 100) / 100;
          t = Math.round(t);
          if (t < T0 || t >= end) continue;
          rows.push({
            time: new Date(t).toISOString(),
            agent: seat.agent,
            archetype: seat.archetype,
            platform: seat.platform,
            tool: def.tool,
            toolResource: resourceOf(def.tool),
            operation: s.op,
            sensitivity: def.sens,
            volume,
            amount,
            context: { ...context },
            label: 'normal',
            incident: null,
            t,
            seq: counter.seq++,
            thread: `${seat.agent}|${person ?? ''}`,
          });
        }
      }
    }
  }
  return rows;
}

/** Weekly pattern: weights Monday … Sunday. */
export const weekly = (c: Day, w: readonly number[]) => w[c.weekday]!;

/** What a compromised or misused agent would do in one business: the planting's menu for its archetype. */
export interface Catalogue {
  /** Out-of-order steps: [after, then], the second skipping what normally comes between. */
  skips: readonly (readonly [string, string])[];
  /** Operations whose volume or money a misused agent would blow up. */
  bulk: readonly string[];
  /** Operations a scraping agent would hammer. */
  burst: readonly string[];
  /** Operations whose volume could creep up. */
  drift: readonly string[];
  /** Tools the business has but none of these seats uses. */
  tools: readonly { tool: string; op: string; sens: 'HIGH' | 'CRITICAL'; vol: number; amt?: number }[];
  /** People none of these seats acts for. */
  outsiders: readonly string[];
}
