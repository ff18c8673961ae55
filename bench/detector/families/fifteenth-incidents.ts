/**
 * The fifteenth family's incidents, planted from day 10 on into a trace of normal traffic, each on a day of its own
 * for its agent, next to a request the agent really made then (same session context unless the novelty is the
 * context). What each seat gets is its `plan` (fifteenth-model.ts):
 *
 * - drift: one operation's records creep up over 4–6 days (a widening scrape), then one request at ~80× the
 *   operation's level before day 10 (`post_drift-N`, a bulk request), then the operation is back to normal;
 * - bulk_volume: one request at 30–300× the operation's usual records (and money, where it moves money);
 * - new_tool: 1–3 calls of a HIGH or CRITICAL tool no seat of the family has ever used;
 * - burst: one LOW or MEDIUM operation in a loop, 150–450 requests within 3–10 minutes;
 * - odd_context: a short ordinary procedure from a public network never seen, from a scripted client, or on behalf
 *   of someone the seat never served at an hour it never works;
 * - odd_sequence: a routine MEDIUM or HIGH operation right after a step it never follows, 2–3 times within two
 *   minutes, in the same session.
 */
import type { TraceLine } from '../generate-traces.js';
import { dayInfo, money, runProcedure, utcToLocal, type Seat } from './fifteenth-model.js';
import type { Pcg32 } from './fifteenth-rng.js';

const T0 = Date.parse('2025-03-03T00:00:00Z');
const DAY = 86_400_000;
const FIRST_DAY = 10;

const ms = (l: TraceLine) => Date.parse(l.time);
const utcDay = (t: number) => Math.floor((t - T0) / DAY);
const iso = (t: number) => new Date(Math.round(t)).toISOString();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const thread = (l: TraceLine) => `${l.agent}|${l.context.onBehalfOf ?? ''}`;

function sortByTime(lines: TraceLine[]): TraceLine[] {
  return lines
    .map((l, i) => ({ l, i }))
    .sort((a, b) => (a.l.time < b.l.time ? -1 : a.l.time > b.l.time ? 1 : a.i - b.i))
    .map((x) => x.l);
}

class Ids {
  private readonly n = new Map<string, number>();
  next(kind: string): string {
    const k = (this.n.get(kind) ?? 0) + 1;
    this.n.set(kind, k);
    return `${kind}-${k}`;
  }
}

interface Planter {
  seat: Seat;
  r: Pcg32;
  /** Days still free for an incident of this agent, in the order to use them. */
  free: number[];
  /** The agent's requests by UTC day (normal ones, and only those early enough to finish before the end). */
  byDay: Map<number, TraceLine[]>;
}

function line(
  seat: Seat,
  t: number,
  op: string,
  context: Record<string, string>,
  kind: TraceLine['label'],
  id: string,
) {
  const spec = seat.ops[op]!;
  return {
    time: iso(t),
    agent: seat.agent,
    archetype: seat.archetype,
    platform: seat.platform,
    tool: spec.tool,
    toolResource: seat.resource(spec.tool),
    operation: op,
    sensitivity: spec.sensitivity,
    volume: 1,
    amount: 0,
    context,
    label: kind,
    incident: id,
  } satisfies TraceLine;
}

/** A request of the same kind the seat would make then: the operation's own volume and amount draws. */
function routine(
  p: Planter,
  t: number,
  op: string,
  context: Record<string, string>,
  kind: TraceLine['label'],
  id: string,
) {
  const l = line(p.seat, t, op, context, kind, id);
  const day = dayInfo(utcToLocal(p.seat.tz, t).day);
  const spec = p.seat.ops[op]!;
  l.volume = Math.max(1, Math.round(spec.volume(p.r, day)));
  l.amount = spec.amount ? money(spec.amount(p.r, day)) : 0;
  return l;
}

export function plantIncidents(normal: TraceLine[], seats: Seat[], days: number, root: Pcg32): TraceLine[] {
  if (days <= FIRST_DAY) return normal;
  const ids = new Ids();
  const lines = [...normal];
  const planters = seats.map((seat) => {
    const r = root.fork(`incidents ${seat.agent}`);
    const free = r.shuffle(Array.from({ length: days - FIRST_DAY }, (_, i) => FIRST_DAY + i));
    return { seat, r, free, byDay: new Map() } satisfies Planter;
  });
  for (const p of planters) plantDrift(p, lines, days, ids);
  const end = T0 + days * DAY - 20 * 60_000;
  const planterOf = new Map(planters.map((p) => [p.seat.agent, p]));
  for (const l of lines) {
    const p = planterOf.get(l.agent);
    if (!p || l.label !== 'normal' || ms(l) >= end) continue;
    const d = utcDay(ms(l));
    p.byDay.set(d, [...(p.byDay.get(d) ?? []), l]);
  }
  const added: TraceLine[] = [];
  const usual = new Map<string, { volume: number; amount: number; n: number }>();
  const byAgent = new Map<string, TraceLine[]>();
  for (const l of lines) if (l.label === 'normal') byAgent.set(l.agent, [...(byAgent.get(l.agent) ?? []), l]);
  for (const [agent, ls] of byAgent) {
    const byOp = new Map<string, TraceLine[]>();
    for (const l of ls) byOp.set(l.operation, [...(byOp.get(l.operation) ?? []), l]);
    for (const [op, xs] of byOp)
      usual.set(`${agent}|${op}`, {
        volume: median(xs.map((x) => x.volume)),
        amount: median(xs.map((x) => x.amount)),
        n: xs.length,
      });
  }
  for (const p of planters) {
    for (const op of p.seat.plan.bulk) added.push(...plantBulk(p, op, usual, ids));
    added.push(...plantNewTool(p, ids));
    added.push(...plantBurst(p, ids));
    added.push(...plantOddContext(p, byAgent.get(p.seat.agent) ?? [], ids));
  }
  const sorted = sortByTime([...lines, ...added]);
  return sortByTime([...sorted, ...plantOddSequences(planters, sorted, ids)]);
}

/** Takes a free day on which `ok` finds an anchor; the anchor, or undefined when no day has one. */
function takeDay(p: Planter, ok: (l: TraceLine) => boolean): TraceLine | undefined {
  for (let i = 0; i < p.free.length; i++) {
    const day = p.free[i]!;
    const candidates = (p.byDay.get(day) ?? []).filter(ok);
    if (!candidates.length) continue;
    p.free.splice(i, 1);
    return p.r.pick(candidates);
  }
  return undefined;
}

function plantDrift(p: Planter, lines: TraceLine[], days: number, ids: Ids): void {
  const op = p.seat.plan.drift;
  if (!op || days < FIRST_DAY + 10) return;
  const same = lines.filter((l) => l.agent === p.seat.agent && l.operation === op);
  const level = median(same.filter((l) => utcDay(ms(l)) < FIRST_DAY).map((l) => l.volume));
  const start = p.r.int(FIRST_DAY, Math.min(days - 10, 30));
  const length = p.r.int(4, 6);
  const window = same.filter((l) => utcDay(ms(l)) >= start && utcDay(ms(l)) < start + length);
  const after = same.filter((l) => utcDay(ms(l)) >= start + length);
  if (window.length < 3 || after.length < 2) return;
  const id = ids.next('drift');
  window.forEach((l, i) => {
    // Two and a half to twelve times the records, rising geometrically request by request.
    const factor = 2.5 * Math.pow(4.8, i / Math.max(1, window.length - 1)) * p.r.uniform(0.9, 1.1);
    l.volume = Math.max(1, Math.round(Math.max(l.volume, level) * factor));
    l.label = 'drift';
    l.incident = id;
  });
  const jump = after[0]!;
  jump.volume = Math.round(level * p.r.uniform(74, 86));
  jump.label = 'bulk_volume';
  jump.incident = `post_drift-${id.slice('drift-'.length)}`;
  const last = utcDay(ms(jump));
  p.free = p.free.filter((d) => d < start - 1 || d > last + 1);
}

function plantBulk(
  p: Planter,
  op: string,
  usual: Map<string, { volume: number; amount: number; n: number }>,
  ids: Ids,
): TraceLine[] {
  const u = usual.get(`${p.seat.agent}|${op}`);
  if (!u || u.n < 12) return [];
  const anchor = takeDay(p, (l) => l.operation === op) ?? takeDay(p, () => true);
  if (!anchor) return [];
  const id = ids.next('bulk_volume');
  const l = routine(p, ms(anchor) + p.r.uniform(2, 40) * 1000, op, anchor.context, 'bulk_volume', id);
  // Heavy-tailed too: mostly 40–120×, sometimes up to ~250×.
  const factor = Math.min(250, p.r.pareto(40, 1.6));
  if (u.amount > 0 && u.volume <= 1) {
    // One payment, refund or approval for far more money than ever.
    l.volume = 1;
    l.amount = money(u.amount * factor);
  } else if (u.amount > 0) {
    // Far more items, and the money that goes with them.
    l.volume = Math.max(1, Math.round(u.volume * factor * p.r.uniform(0.6, 1)));
    l.amount = money(u.amount * factor);
  } else {
    l.volume = Math.round(Math.max(1, u.volume) * factor);
    l.amount = 0;
  }
  return [l];
}

function plantNewTool(p: Planter, ids: Ids): TraceLine[] {
  const anchor = takeDay(p, () => true);
  if (!anchor) return [];
  const nt = p.seat.plan.newTool;
  const id = ids.next('new_tool');
  const out: TraceLine[] = [];
  let t = ms(anchor) + p.r.uniform(3, 50) * 1000;
  for (let i = 0; i < nt.calls; i++) {
    out.push({
      ...line(p.seat, t, Object.keys(p.seat.ops)[0]!, anchor.context, 'new_tool', id),
      tool: nt.tool,
      toolResource: p.seat.resource(nt.tool),
      operation: nt.op,
      sensitivity: nt.sensitivity,
      volume: nt.volume,
      amount: nt.amount,
    });
    t += p.r.uniform(4, 40) * 1000;
  }
  return out;
}

function plantBurst(p: Planter, ids: Ids): TraceLine[] {
  const anchor = takeDay(p, () => true);
  if (!anchor) return [];
  const id = ids.next('burst');
  const n = p.r.int(150, 450);
  const span = p.r.uniform(3, 10) * 60_000;
  const start = ms(anchor) + p.r.uniform(1, 20) * 1000;
  const times = Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i === n - 1 ? span : p.r.next() * span)).sort(
    (a, b) => a - b,
  );
  return times.map((dt) => routine(p, start + dt, p.seat.plan.burst, anchor.context, 'burst', id));
}

function plantOddContext(p: Planter, mine: TraceLine[], ids: Ids): TraceLine[] {
  const { variant, value } = p.seat.plan.oddContext;
  const seenHours = new Set(mine.map((l) => l.time.slice(11, 13)));
  const anchor = takeDay(p, () => true);
  if (!anchor) return [];
  let start = ms(anchor) + p.r.uniform(60, 900) * 1000;
  let context: Record<string, string>;
  if (variant === 'network') context = { ...anchor.context, sourceNetwork: value };
  else if (variant === 'client') context = { ...anchor.context, userAgent: value };
  else {
    context = { ...anchor.context, onBehalfOf: value };
    const day = utcDay(ms(anchor));
    const hours = Array.from({ length: 24 }, (_, h) => h).filter((h) => !seenHours.has(String(h).padStart(2, '0')));
    if (!hours.length) return [];
    start = T0 + day * DAY + p.r.pick(hours) * 3_600_000 + p.r.uniform(2, 30) * 60_000;
  }
  const day = dayInfo(utcToLocal(p.seat.tz, start).day);
  const procs = p.seat.procedures.filter((x) => x.weight(day, 12) > 0);
  for (let attempt = 0; attempt < 50; attempt++) {
    const proc = p.r.pick(procs);
    const reqs = runProcedure(p.seat, proc, day, start, context, p.r);
    const inHour = reqs.filter(
      (q) => variant !== 'person' || Math.floor(q.ms / 3_600_000) === Math.floor(start / 3_600_000),
    );
    if (inHour.length < 2) continue;
    const id = ids.next('odd_context');
    return inHour.map((q) => ({
      ...routine(p, q.ms, q.op, context, 'odd_context', id),
      volume: q.volume,
      amount: q.amount,
    }));
  }
  return [];
}

const SENSITIVITIES = ['MEDIUM', 'HIGH'] as const;

function plantOddSequences(planters: Planter[], lines: TraceLine[], ids: Ids): TraceLine[] {
  const seen = new Set<string>();
  const uses = new Map<string, number>();
  const last = new Map<string, TraceLine>();
  const next = new Map<TraceLine, TraceLine>();
  for (const l of lines) {
    const prev = last.get(thread(l));
    if (prev) next.set(prev, l);
    if (prev && prev.label === 'normal' && l.label === 'normal')
      seen.add(`${thread(l)}|${prev.operation}>${l.operation}`);
    last.set(thread(l), l);
    if (l.label === 'normal') uses.set(`${l.agent}|${l.operation}`, (uses.get(`${l.agent}|${l.operation}`) ?? 0) + 1);
  }
  const out: TraceLine[] = [];
  let k = 0;
  for (const p of planters) {
    const planted = new Set<string>();
    for (let i = 0; i < p.seat.plan.oddSequences; i++) {
      const fits = (l: TraceLine, op: string) =>
        l.operation !== op &&
        !seen.has(`${thread(l)}|${l.operation}>${op}`) &&
        !seen.has(`${thread(l)}|${op}>${op}`) &&
        !planted.has(`${l.operation}>${op}`);
      // Room for the whole sequence before the thread's next request (a stuck loop, seconds apart).
      const room = (l: TraceLine) => {
        const n = next.get(l);
        return !n || ms(n) - ms(l) > 12_000;
      };
      // Alternate MEDIUM and HIGH over the family; a seat with no routine operation of one takes the other.
      const wanted = SENSITIVITIES[k % 2]!;
      let anchor: TraceLine | undefined;
      let ops: string[] = [];
      for (const sensitivity of [wanted, SENSITIVITIES[(k + 1) % 2]!]) {
        ops = Object.entries(p.seat.ops)
          .filter(([op, spec]) => spec.sensitivity === sensitivity && (uses.get(`${p.seat.agent}|${op}`) ?? 0) >= 10)
          .map(([op]) => op);
        anchor = takeDay(p, (l) => room(l) && ops.some((op) => fits(l, op)));
        if (anchor) {
          if (sensitivity === wanted) k++;
          break;
        }
      }
      if (!anchor) continue;
      const op = p.r.pick(ops.filter((o) => fits(anchor, o)));
      planted.add(`${anchor.operation}>${op}`);
      const id = ids.next('odd_sequence');
      const n = next.get(anchor);
      const window = Math.min(110_000, n ? ms(n) - ms(anchor) - 500 : 110_000);
      const count = p.r.int(2, 3);
      const times = Array.from({ length: count }, () => ms(anchor) + p.r.uniform(1000, window)).sort((a, b) => a - b);
      for (const t of times) out.push(routine(p, t, op, anchor.context, 'odd_sequence', id));
    }
  }
  return out;
}
