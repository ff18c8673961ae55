/** The third family's engine (see third.ts): its random streams, procedure walks, agents and sessions. */
import type { Label, TraceLine } from '../generate-traces.js';
import {
  CLINIC_UPGRADED_UA,
  FIRST_NAMES,
  LAST_NAMES,
  ZONES,
  type ArchetypeSpec,
  type OpSpec,
  type Procedure,
  type Step,
} from './third-roles.js';

export const MIN = 60_000;
export const DAY = 1440 * MIN;
export const START = Date.UTC(2025, 2, 3);

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/** xoshiro128**, seeded with splitmix32 from a hash of its name: one stream per (seed, agent, purpose). */
export class Stream {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  constructor(...name: Array<string | number>) {
    const text = name.join('/');
    let h = 0x2545f491 ^ text.length;
    for (let i = 0; i < text.length; i++) h = rotl(Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995), 13);
    const mix = () => {
      h = (h + 0x9e3779b9) | 0;
      let z = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return z ^ (z >>> 16);
    };
    [this.a, this.b, this.c, this.d] = [mix(), mix(), mix(), mix() | 1];
  }
  u(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r / 4294967296;
  }
  range = (lo: number, hi: number) => lo + (hi - lo) * this.u();
  int = (lo: number, hi: number) => lo + Math.floor((hi - lo + 1) * this.u());
  chance = (p: number) => this.u() < p;
  pick = <T>(xs: readonly T[]): T => xs[Math.floor(this.u() * xs.length)]!;
  weighted<T>(xs: readonly T[], weight: (x: T) => number): T {
    let r = this.u() * xs.reduce((sum, x) => sum + weight(x), 0);
    for (const x of xs) if ((r -= weight(x)) < 0) return x;
    return xs[xs.length - 1]!;
  }
  logn = (median: number, sigma: number) =>
    median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - this.u())) * Math.cos(2 * Math.PI * this.u()));
  poisson(mean: number): number {
    let k = 0;
    for (let p = this.u(), limit = Math.exp(-mean); p > limit; p *= this.u()) k++;
    return k;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.u() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}

// ------------------------------------------------------------------------ procedures: which orders can happen

interface Shape {
  first: Set<string>;
  last: Set<string>;
  nullable: boolean;
}
const link = (pairs: Set<string>, from: Iterable<string>, to: Iterable<string>) => {
  for (const x of from) for (const y of to) pairs.add(`${x}>${y}`);
};

/** First and last operations a sequence of steps can have, adding every order it allows to `pairs`. */
function shapeOf(steps: Step[], pairs: Set<string>): Shape {
  const first = new Set<string>();
  let last = new Set<string>();
  let nullable = true;
  for (const step of steps) {
    const op = [step.op];
    link(pairs, last, op);
    if (step.retry || (step.loop && step.loop[1] > 1)) link(pairs, op, op);
    if (nullable) first.add(step.op);
    const skippable = step.opt !== undefined || !!step.adopt || step.loop?.[0] === 0;
    last = skippable ? new Set([...last, step.op]) : new Set(op);
    nullable &&= skippable;
  }
  return { first, last, nullable };
}

/** Every `a>b` an archetype's normal traffic can contain (per thread: within and between sessions). */
export function possibleTransitions(spec: ArchetypeSpec): Set<string> {
  const pairs = new Set<string>();
  const shapes = [...spec.procedures, ...(spec.batch ? [spec.batch] : [])].map((p) => shapeOf(p.steps, pairs));
  for (const x of shapes) for (const y of shapes) link(pairs, x.last, y.first);
  link(pairs, Object.keys(spec.ops), spec.offProcedure);
  link(pairs, spec.offProcedure, Object.keys(spec.ops));
  return pairs;
}

export const mandatory = (p: Procedure) =>
  p.steps.filter((s) => s.opt === undefined && !s.adopt && (s.loop?.[0] ?? 1) >= 1).map((s) => s.op);

export interface Walked {
  op: string;
  /** Milliseconds after the previous step (default: the archetype's think time; retries come quickly). */
  gap?: number;
  quick?: boolean;
  tag?: { label: Label; incident: string };
  /** Volume or amount at `factor` × the operation's current median (no noise). */
  scale?: { field: 'volume' | 'amount'; factor: number };
}

export function walk(steps: Step[], rng: Stream, adoption: number, out: Walked[] = []): Walked[] {
  for (const step of steps) {
    if (step.adopt ? !rng.chance(adoption) : step.opt !== undefined && !rng.chance(step.opt)) continue;
    const n = step.loop ? rng.int(step.loop[0], step.loop[1]) : 1;
    for (let i = 0; i < n; i++) {
      out.push({ op: step.op });
      if (step.retry && rng.chance(step.retry)) out.push({ op: step.op, quick: true });
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ agents

export interface Person {
  email: string;
  join: number;
  weight: number;
  shift: number;
}
export interface Agent {
  id: string;
  spec: ArchetypeSpec;
  index: number;
  platform: string;
  zone: string;
  threadless: boolean;
  people: Person[];
  office: string;
  secondary: string;
  movedOffice: string | null;
  runner: string;
  growth: number;
  adoptFrom: number;
  adoptUses: number;
  upgradeDay: number | null;
  foreign: Record<string, OpSpec>;
  drift?: { op: string; field: 'volume' | 'amount'; start: number; end: number; rate: number; id: string };
}
export interface Row {
  ms: number;
  seq: number;
  line: Omit<TraceLine, 'time'>;
}
export interface Gen {
  seed: number;
  days: number;
  seq: number;
  counters: Record<string, number>;
}

const SECONDARY_SHARE: Record<string, number> = { legal: 0.12, sales_ops: 0.2, data_eng: 0.1, clinic_scheduling: 0.3 };
export const offset = (zone: string, day: number) => {
  const z = ZONES[zone]!;
  return day >= z.switchDay ? z.after : z.before;
};
export const utc = (a: Agent, day: number, minute: number) => START + day * DAY + (minute - offset(a.zone, day)) * MIN;
export const weekday = (day: number) => ((day % 7) + 7) % 7;
export const adoption = (a: Agent, day: number) => Math.min(1, Math.max(0, (day - a.adoptFrom) / 7)) * 0.55;
export const keyOf = (a: Agent, person?: Person) => (a.spec.tasking === 'single' ? 'agent' : (person?.email ?? 'none'));

/** Sales: the last three days of a month bring 2.5× the sessions (3× at a quarter's end) at twice the pace. */
export function surge(a: Agent, day: number): number {
  if (a.spec.name !== 'sales_ops') return 1;
  const date = new Date(START + day * DAY);
  const daysInMonth = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  if (date.getUTCDate() <= daysInMonth - 3) return 1;
  return date.getUTCMonth() % 3 === 2 ? 3 : 2.5;
}

export function makeAgent(spec: ArchetypeSpec, index: number, seed: number): Agent {
  const rng = new Stream(seed, spec.prefix, index, 'agent');
  const names = rng.shuffle(FIRST_NAMES.flatMap((f) => LAST_NAMES.map((l) => `${f}.${l}@${spec.domain}`)));
  const threadless = spec.name === 'data_eng' && index % 2 === 0;
  const count = rng.int(...spec.people);
  const people = threadless
    ? []
    : names.slice(0, count + 1).map((email, i) => {
        // The last one is a new colleague who starts delegating work between days 12 and 25.
        return { email, join: i < count ? -10 : rng.int(12, 25), weight: 1 / (1 + 0.4 * i), shift: i % 2 };
      });
  const platform = spec.platforms[index % spec.platforms.length]!;
  const octet = () => rng.int(1, 254);
  return {
    id: `${spec.prefix}-${index + 1}`,
    spec,
    index,
    platform,
    zone: spec.zones[index % spec.zones.length]!,
    threadless,
    people,
    office: `10.${rng.int(16, 87)}.${octet()}.0/24`,
    secondary:
      spec.name === 'clinic_scheduling' ? `10.${octet()}.${octet()}.0/24` : `172.${16 + index}.${octet()}.0/22`,
    movedOffice: index === 1 ? `10.88.${octet()}.0/24` : null,
    runner: `10.250.${octet()}.0/26`,
    growth: rng.range(0.002, 0.006),
    adoptFrom: rng.int(12, 14),
    adoptUses: 0,
    upgradeDay: spec.name === 'clinic_scheduling' ? 16 + index : null,
    foreign: Object.fromEntries(spec.foreign.map((o) => [o.operation, o])),
  };
}

export function context(a: Agent, day: number, rng: Stream, person?: Person): Record<string, string> {
  const moved = a.movedOffice && (day > 21 || (day === 21 && rng.chance(0.5)));
  let net = moved ? a.movedOffice! : a.office;
  if (rng.chance(SECONDARY_SHARE[a.spec.name] ?? 0)) net = a.secondary;
  const userAgent = a.upgradeDay !== null && day >= a.upgradeDay ? CLINIC_UPGRADED_UA : a.spec.userAgent(a.platform);
  return person ? { sourceNetwork: net, onBehalfOf: person.email, userAgent } : { sourceNetwork: net, userAgent };
}

/** One session's lines from `start`: think times between steps, volumes growing, a drift where one is planted. */
export function session(g: Gen, a: Agent, steps: Walked[], start: number, ctx: Record<string, string>, rng: Stream) {
  const rows: Row[] = [];
  const pace = surge(a, Math.floor((start - START) / DAY)) > 1 ? 0.5 : 1;
  let ms = start;
  steps.forEach((w, i) => {
    const batch = a.spec.batch?.steps.some((s) => s.op === w.op);
    const think = !batch ? a.spec.gap * pace : w.op === 'merge_staging' ? 90 : 7; // seconds
    if (i > 0) ms += w.gap ?? (w.quick ? rng.range(3000, 12_000) : Math.max(2000, rng.logn(think * 1000, 0.6)));
    const spec = a.spec.ops[w.op] ?? a.foreign[w.op]!;
    const grow = (1 + a.growth) ** ((ms - START) / DAY);
    let volume = rng.logn(spec.volume[0], spec.volume[1]) * grow;
    let amount = spec.amount ? rng.logn(spec.amount[0], spec.amount[1]) * grow : 0;
    if (rng.chance(0.004)) {
      const k = rng.range(2, 4); // a benign spike
      if (amount && rng.chance(0.5)) amount *= k;
      else volume *= k;
    }
    if (w.op === 'suggest_clause' && a.adoptUses++ < 5) volume = 1;
    let tag = w.tag;
    const d = a.drift;
    if (w.scale) {
      const median = (w.scale.field === 'volume' ? spec.volume[0] : (spec.amount?.[0] ?? 0)) * grow;
      if (w.scale.field === 'volume') volume = median * w.scale.factor;
      else amount = median * w.scale.factor;
    } else if (!tag && d && d.op === w.op && ms >= d.start && ms < d.end) {
      const f = (1 + d.rate) ** ((ms - d.start) / DAY);
      if (d.field === 'volume') volume *= f;
      else amount *= f;
      if (f >= 3) tag = { label: 'drift', incident: d.id };
    }
    const resource = a.spec.resources[spec.tool] ?? `https://${spec.tool.replace(/_/g, '-')}.${a.spec.domain}/api/`;
    rows.push({
      ms: Math.round(ms),
      seq: g.seq++,
      line: {
        agent: a.id,
        archetype: a.spec.name,
        platform: a.platform,
        tool: spec.tool,
        toolResource: resource,
        operation: spec.operation,
        sensitivity: spec.sensitivity,
        volume: Math.max(1, Math.round(volume)),
        amount: Math.round(amount * 100) / 100,
        context: { ...ctx },
        label: tag?.label ?? 'normal',
        incident: tag?.incident ?? null,
      },
    });
  });
  return rows;
}

export interface Request {
  arrival: number;
  key: string;
  build: (start: number) => Row[];
}

export function choosePerson(a: Agent, day: number, hour: number, rng: Stream): Person | undefined {
  const shift = a.spec.name === 'clinic_scheduling' ? (hour < 13 ? 0 : 1) : -1;
  const here = a.people.filter((p) => p.join <= day && (shift < 0 || p.shift === shift));
  if (!here.length) return undefined;
  return rng.weighted(here, (p) => p.weight * Math.min(1, (day - p.join + 1) / 5));
}
