/**
 * Incidents of the sixteenth trace family, planted into the ordinary traffic from day 10 on, each on a UTC day of its
 * own for its agent and next to a request the agent really made then (its context, its session):
 *
 * - `drift`: an operation of a bot or team seat whose records per request creep up over 4–6 days (the last of which
 *   labelled lines), then one request at ~80× the operation's early level (`post_drift-N`, labelled bulk_volume);
 * - `bulk_volume`: one request of a routine operation touching 35–250× its usual records, or moving 35–250× its
 *   usual money;
 * - `new_tool`: one to three requests to a HIGH or CRITICAL tool nobody in the family was ever granted;
 * - `burst`: 80–400 requests of one LOW or MEDIUM read in 3–12 minutes (a runaway loop, an enumeration);
 * - `odd_context`: a replay of 2–4 of the agent's own steps from a public network or with curl/python-requests, or
 *   for a person never seen at an hour (UTC) the agent never works;
 * - `odd_sequence`: a routine MEDIUM or HIGH operation 2–3 times within two minutes right after a step it never
 *   follows in that thread (agent and person), in the same context.
 */
import type { TraceLine } from '../generate-traces.js';
import { DAY_MS, HOUR_MS, T0, resourceOf, type Seat, type Sensitivity } from './sixteenth-model.js';
import type { Rng } from './sixteenth-rng.js';

const dayOf = (l: TraceLine) => Math.floor((Date.parse(l.time) - T0) / DAY_MS);
const at = (ms: number) => new Date(Math.round(ms)).toISOString();
const thread = (l: TraceLine) => `${l.agent}|${l.context.onBehalfOf ?? ''}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const byTime = (a: TraceLine, b: TraceLine) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0);

const PUBLIC_NETWORKS = [
  '185.220.101.0/24',
  '45.141.87.0/24',
  '194.26.29.0/24',
  '91.241.19.0/24',
  '103.75.190.0/24',
  '156.146.59.0/24',
  '23.129.64.0/24',
  '5.188.206.0/24',
];
const SCRIPT_CLIENTS = ['curl/8.5.0', 'python-requests/2.31.0', 'curl/7.81.0', 'python-requests/2.32.3'];
const STRANGERS = ['temp.admin', 'k.brandt.contractor', 'ext.support', 'm.farrow', 'svc.migration'];

type Variant = 'network' | 'client' | 'person';
function variantOf(seat: Seat, archetypeIndex: number): Variant {
  if (seat.kind === 'bot') return archetypeIndex % 2 === 0 ? 'network' : 'client';
  if (seat.kind === 'team') return archetypeIndex % 2 === 0 ? 'client' : 'network';
  if (seat.kind === 'assistant') return 'person';
  return (['person', 'network', 'network', 'client'] as const)[archetypeIndex % 4]!;
}

interface AgentState {
  seat: Seat;
  lines: TraceLine[];
  byDay: Map<number, TraceLine[]>;
  used: Set<number>;
}

const on = (a: AgentState, day: number) => a.byDay.get(day) ?? [];

class Planter {
  readonly planted: TraceLine[] = [];
  private readonly counters = new Map<string, number>();
  constructor(
    private readonly r: Rng,
    private readonly days: number,
  ) {}

  id(label: string): string {
    const n = (this.counters.get(label) ?? 0) + 1;
    this.counters.set(label, n);
    return `${label}-${n}`;
  }

  /** A free day from 10 on whose normal lines pass `ok`; marks it used. */
  takeDay(a: AgentState, ok: (ls: TraceLine[]) => boolean, from = 10): number | undefined {
    const candidates: number[] = [];
    for (let d = from; d < this.days; d++) if (!a.used.has(d) && ok(on(a, d))) candidates.push(d);
    if (!candidates.length) return undefined;
    const d = this.r.pick(candidates);
    a.used.add(d);
    return d;
  }

  line(from: TraceLine, time: number, patch: Partial<TraceLine>, label: TraceLine['label'], incident: string) {
    const l: TraceLine = { ...from, time: at(time), ...patch, label, incident };
    this.planted.push(l);
    return l;
  }
}

/** Drift: 4–6 days of growing volume on one operation, then the jump; all lines of that op in the window. */
function plantDrift(p: Planter, a: AgentState, r: Rng, days: number): void {
  const opName = a.seat.hints.drift;
  if (!opName || days < 26) return;
  const ofOp = a.lines.filter((l) => l.operation === opName && l.label === 'normal');
  const early = ofOp.filter((l) => dayOf(l) < 10).map((l) => l.volume);
  if (!early.length) return;
  const has = (d: number) => ofOp.some((l) => dayOf(l) === d);
  for (let tries = 0; tries < 50; tries++) {
    const start = r.int(12, days - 12);
    const len = r.int(4, 6);
    const last = start + len - 1;
    let jumpDay = last + 1;
    while (jumpDay < days - 4 && !has(jumpDay)) jumpDay++;
    if (!has(start) || !has(last) || !has(jumpDay) || jumpDay >= days - 4) continue;
    if ([...Array(jumpDay - start + 1).keys()].some((k) => a.used.has(start + k))) continue;
    const n = Number(p.id('drift').split('-')[1]);
    const window = ofOp.filter((l) => dayOf(l) >= start && dayOf(l) <= last);
    const t0 = Date.parse(window[0]!.time);
    const t1 = Date.parse(window[window.length - 1]!.time);
    for (const l of window) {
      const x = (Date.parse(l.time) - t0) / Math.max(1, t1 - t0);
      const m = 2.5 * Math.pow(12 / 2.5, x) * Math.exp(0.15 * r.normal());
      l.volume = Math.max(1, Math.round(l.volume * m));
      l.label = 'drift';
      l.incident = `drift-${n}`;
    }
    const anchor = r.pick(ofOp.filter((l) => dayOf(l) === jumpDay));
    const usual = median(early);
    p.line(
      anchor,
      Date.parse(anchor.time) + r.uniform(5_000, 40_000),
      { volume: Math.round(usual * r.uniform(75, 85)) },
      'bulk_volume',
      `post_drift-${n}`,
    );
    for (let d = start; d <= jumpDay; d++) a.used.add(d);
    return;
  }
}

interface OpStats {
  uses: number;
  vol: number;
  amt: number;
  sens: Sensitivity;
  lines: TraceLine[];
}

function statsOf(a: AgentState): Map<string, OpStats> {
  const by = new Map<string, TraceLine[]>();
  for (const l of a.lines) {
    if (l.label !== 'normal') continue;
    const ls = by.get(l.operation);
    if (ls) ls.push(l);
    else by.set(l.operation, [l]);
  }
  const out = new Map<string, OpStats>();
  for (const [op, ls] of by) {
    out.set(op, {
      uses: ls.length,
      vol: median(ls.map((l) => l.volume)),
      amt: median(ls.map((l) => l.amount)),
      sens: ls[0]!.sensitivity,
      lines: ls,
    });
  }
  return out;
}

function plantBulk(p: Planter, a: AgentState, stats: Map<string, OpStats>, r: Rng, count: number): void {
  const options = r
    .shuffle(a.seat.hints.bulk)
    .filter((b) => b.op !== a.seat.hints.drift)
    .filter((b) => (stats.get(b.op)?.uses ?? 0) >= 20 && (b.by === 'volume' || (stats.get(b.op)?.amt ?? 0) > 0));
  for (const b of options.slice(0, count)) {
    const st = stats.get(b.op)!;
    const day = p.takeDay(a, (ls) => ls.some((l) => l.operation === b.op && l.label === 'normal'));
    if (day === undefined) continue;
    const anchor = r.pick(st.lines.filter((l) => dayOf(l) === day));
    const f = Math.exp(r.uniform(Math.log(35), Math.log(250)));
    const patch =
      b.by === 'volume'
        ? { volume: Math.max(1, Math.round(Math.max(1, st.vol) * f)), amount: st.amt }
        : { volume: Math.max(1, st.vol), amount: Math.round(st.amt * f * 100) / 100 };
    p.line(anchor, Date.parse(anchor.time) + r.uniform(2_000, 30_000), patch, 'bulk_volume', p.id('bulk_volume'));
  }
}

function plantNewTool(p: Planter, a: AgentState, r: Rng): void {
  const day = p.takeDay(a, (ls) => ls.some((l) => l.label === 'normal'));
  if (day === undefined) return;
  const anchor = r.pick(on(a, day).filter((l) => l.label === 'normal'));
  const { tool, op, sens } = a.seat.hints.newTool;
  const id = p.id('new_tool');
  let t = Date.parse(anchor.time);
  for (let i = r.int(1, 3); i > 0; i--) {
    t += r.uniform(20_000, 120_000);
    const patch = {
      tool,
      toolResource: resourceOf(a.seat, tool),
      operation: op,
      sensitivity: sens,
      volume: Math.max(1, Math.round(r.lognormal(40, 1.2))),
      amount: 0,
    };
    p.line(anchor, t, patch, 'new_tool', id);
  }
}

function plantBurst(p: Planter, a: AgentState, stats: Map<string, OpStats>, r: Rng): void {
  const opName = a.seat.hints.burst;
  const st = stats.get(opName);
  if (!st) return;
  const day = p.takeDay(a, (ls) => ls.some((l) => l.operation === opName && l.label === 'normal'));
  if (day === undefined) return;
  const anchor = r.pick(st.lines.filter((l) => dayOf(l) === day));
  const n = r.int(80, 400);
  const span = r.uniform(3, 12) * 60_000;
  const start = Date.parse(anchor.time) + r.uniform(5_000, 60_000);
  const offsets = [0, 1, ...Array.from({ length: n - 2 }, () => r.next())].sort((x, y) => x - y);
  const id = p.id('burst');
  for (const u of offsets) {
    const like = r.pick(st.lines);
    p.line(anchor, start + u * span, { volume: like.volume, amount: like.amount }, 'burst', id);
  }
}

function plantOddContext(p: Planter, a: AgentState, variant: Variant, r: Rng): void {
  const normal = a.lines.filter((l) => l.label === 'normal');
  const day = p.takeDay(a, (ls) => ls.filter((l) => l.label === 'normal').length >= 4);
  if (day === undefined) return;
  const today = on(a, day).filter((l) => l.label === 'normal');
  const anchor = r.pick(today);
  const run = today.filter((l) => thread(l) === thread(anchor) && l.time >= anchor.time).slice(0, r.int(2, 4));
  while (run.length < 2) run.push(anchor);
  const context = { ...anchor.context };
  let start = Date.parse(anchor.time) + r.uniform(15, 90) * 60_000;
  if (variant === 'network') context.sourceNetwork = r.pick(PUBLIC_NETWORKS);
  if (variant === 'client') context.userAgent = r.pick(SCRIPT_CLIENTS);
  if (variant === 'person') {
    const seen = new Set(normal.map((l) => l.time.slice(11, 13)));
    const free = [...Array(24).keys()].filter((h) => !seen.has(String(h).padStart(2, '0')));
    if (!free.length) return;
    context.onBehalfOf = `${r.pick(STRANGERS)}@${a.seat.domain}`;
    start = T0 + day * DAY_MS + r.pick(free) * HOUR_MS + r.uniform(0, 50) * 60_000;
  }
  const id = p.id('odd_context');
  let t = start;
  for (const l of run) {
    p.line(l, t, { context }, 'odd_context', id);
    t += r.uniform(15_000, 60_000);
  }
}

/** Odd sequences, planted last, against the transitions of the whole trace so far. */
function plantOddSequences(
  p: Planter,
  all: TraceLine[],
  agents: AgentState[],
  reserved: Map<string, Array<{ day: number; sens: Sensitivity }>>,
  r: Rng,
): void {
  const seen = new Set<string>();
  const next = new Map<TraceLine, TraceLine>();
  const last = new Map<string, TraceLine>();
  for (const l of all) {
    const prev = last.get(thread(l));
    if (prev) {
      next.set(prev, l);
      if (prev.label === 'normal' && l.label === 'normal') seen.add(`${thread(l)}|${prev.operation}>${l.operation}`);
    }
    last.set(thread(l), l);
  }
  for (const a of agents) {
    const stats = statsOf(a);
    const planted = new Set<string>();
    const windows: number[] = [];
    const plantOne = (day: number, sens: Sensitivity): boolean => {
      const ops = [...stats.entries()].filter(
        ([op, st]) => st.sens === sens && st.uses >= 12 && op !== a.seat.hints.drift,
      );
      for (const prev of r.shuffle(on(a, day).filter((l) => l.label === 'normal'))) {
        const t = Date.parse(prev.time);
        const after = next.get(prev);
        if (after && Date.parse(after.time) <= t + 150_000) continue;
        if (windows.some((w) => Math.abs(w - t) < 600_000)) continue;
        const th = thread(prev);
        const fits = ops.filter(
          ([op]) =>
            op !== prev.operation &&
            !seen.has(`${th}|${prev.operation}>${op}`) &&
            !seen.has(`${th}|${op}>${op}`) &&
            !planted.has(`${prev.operation}>${op}`),
        );
        if (!fits.length) continue;
        const [op, st] = r.pick(fits);
        planted.add(`${prev.operation}>${op}`);
        windows.push(t);
        const id = p.id('odd_sequence');
        let time = t + r.uniform(3_000, 25_000);
        for (let i = r.int(2, 3); i > 0; i--) {
          const like = r.pick(st.lines);
          p.line(like, time, { context: prev.context, volume: like.volume, amount: like.amount }, 'odd_sequence', id);
          time += r.uniform(10_000, 45_000);
        }
        return true;
      }
      return false;
    };
    for (const { day: reservedDay, sens } of reserved.get(a.seat.agent) ?? []) {
      // The reserved day first; should no step there allow it, any other free day.
      const spare = r.shuffle([...a.byDay.keys()].filter((d) => d >= 10 && !a.used.has(d)));
      for (const day of [reservedDay, ...spare]) {
        if (plantOne(day, sens)) {
          a.used.add(day);
          break;
        }
      }
    }
  }
}

/** Plants every incident into `normal` (in time order); returns the whole trace in time order. */
export function plantIncidents(normal: TraceLine[], seats: Seat[], days: number, r: Rng): TraceLine[] {
  const p = new Planter(r, days);
  const agents: AgentState[] = seats.map((seat) => ({
    seat,
    lines: [],
    byDay: new Map(),
    used: new Set<number>(),
  }));
  const index = new Map(agents.map((a) => [a.seat.agent, a]));
  for (const l of normal) {
    const a = index.get(l.agent)!;
    a.lines.push(l);
    const ls = a.byDay.get(dayOf(l));
    if (ls) ls.push(l);
    else a.byDay.set(dayOf(l), [l]);
  }
  const archetypes = [...new Set(seats.map((s) => s.archetype))];
  for (const a of agents) plantDrift(p, a, r.fork(`drift ${a.seat.agent}`), days);
  const reserved = new Map<string, Array<{ day: number; sens: Sensitivity }>>();
  for (const a of agents) {
    const ar = r.fork(`plant ${a.seat.agent}`);
    const stats = statsOf(a);
    plantBulk(p, a, stats, ar, 2);
    plantNewTool(p, a, ar);
    plantBurst(p, a, stats, ar);
    plantOddContext(p, a, variantOf(a.seat, archetypes.indexOf(a.seat.archetype)), ar);
    const mine: Array<{ day: number; sens: Sensitivity }> = [];
    for (const sens of ['MEDIUM', 'HIGH'] as const) {
      const day = p.takeDay(a, (ls) => ls.filter((l) => l.label === 'normal').length >= 3);
      if (day !== undefined) mine.push({ day, sens });
    }
    reserved.set(a.seat.agent, mine);
  }
  const first = [...normal, ...p.planted].sort(byTime);
  plantOddSequences(p, first, agents, reserved, r.fork('odd sequences'));
  return [...normal, ...p.planted].sort(byTime);
}
