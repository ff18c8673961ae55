/**
 * The tenth family's incident planting, from day 10 on, each incident on a day of its own for its seat (ids
 * `<kind>-<n>`; the jump that ends a drift is `post_drift-<n>`, labelled `bulk_volume`):
 *
 * - `drift` (seats with a drift operation, two per desk): from a day between 10 and 14 one operation's per-request
 *   volume compounds 10–14 % a day; its requests are labelled once past 3× their usual size, and when the drift ends
 *   the next request of that operation carries ~80× the original (pre-day-10) median, after which it is back to usual.
 * - `bulk_volume` (2 a seat): one ordinary request of a routine operation (≥ 12 uses) carrying 40–220× the seat's
 *   median money (operations that move money, mostly) or items.
 * - `odd_sequence` (1 MEDIUM + 1 HIGH a seat; a seat without a fitting operation passes its quota on): a routine
 *   operation (≥ 10 uses, never repeated back to back) sent 2–3 times within a minute right after a step it never
 *   follows anywhere in the seat's work (or at least never for that person), same context, ordinary volumes.
 * - `new_tool` (1 a seat): 1–3 HIGH/CRITICAL requests on a tool no seat of the desk uses, inside one of its sessions.
 * - `burst` (1 a seat): 150–400 requests of one of the seat's three most used LOW/MEDIUM operations in 4–13 minutes.
 * - `odd_context` (1 a seat): a routine session from a public network never seen, from `curl`/`python-requests`, or
 *   for a stranger at a UTC hour the seat never works — one novelty each, rotating across seats.
 */
import type { Sensitivity } from '../../../risk/types.js';
import type { TraceLine } from '../generate-traces.js';
import {
  DAY_MS,
  T0,
  contextFor,
  expand,
  makeLine,
  runSession,
  sessionStart,
  type AgentPlan,
  type ArchetypeDef,
} from './tenth-model.js';
import type { Rand } from './tenth-rng.js';

export interface Seat {
  def: ArchetypeDef;
  plan: AgentPlan;
  /** The seat's place within its desk, from 0. */
  slot: number;
  /** Its ordinary requests, in time order; planting relabels some and changes their volume or money. */
  lines: TraceLine[];
}

const FIRST_DAY = 10;
const PUBLIC_NETWORKS = ['203.0.113.0/24', '198.51.100.0/24', '185.220.101.0/24', '45.155.205.0/24', '91.92.240.0/24'];
const SCRIPT_CLIENTS = ['python-requests/2.31.0', 'curl/8.5.0', 'python-requests/2.32.3', 'curl/7.88.1'];

const msOf = (l: TraceLine) => Date.parse(l.time);
const dayOfMs = (ms: number) => Math.floor((ms - T0) / DAY_MS);
const threadOf = (l: TraceLine) => l.context.onBehalfOf ?? '';
const round2 = (x: number) => Math.round(x * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

interface Span {
  thread: string;
  from: number;
  to: number;
}

/** What planting knows of one seat: the days still free for an incident, and the spans already planted. */
class SeatState {
  readonly order: number[];
  readonly used = new Set<number>();
  readonly spans: Span[] = [];
  readonly added: TraceLine[] = [];

  constructor(
    readonly seat: Seat,
    days: number,
    r: Rand,
  ) {
    const active = new Set(seat.lines.map((l) => dayOfMs(msOf(l))));
    this.order = r
      .shuffle(Array.from({ length: Math.max(0, days - 1 - FIRST_DAY) }, (_, k) => FIRST_DAY + k))
      .filter((d) => active.has(d));
  }

  normalOn(day: number): TraceLine[] {
    return this.seat.lines.filter((l) => l.label === 'normal' && dayOfMs(msOf(l)) === day);
  }

  /** The first free day (in this seat's shuffled order) where `find` finds something; the day is then taken. */
  claim<T>(find: (day: number) => T | null): T | null {
    for (const day of this.order) {
      if (this.used.has(day)) continue;
      const found = find(day);
      if (found !== null) {
        this.used.add(day);
        return found;
      }
    }
    return null;
  }

  /** Whether lines for `thread` between `from` and `to` would cross another planted incident of this seat. */
  clear(thread: string, from: number, to: number): boolean {
    return !this.spans.some((s) => s.thread === thread && s.from <= to + 60_000 && from <= s.to + 60_000);
  }

  /** The time of the next request of the same thread after `anchor`, or Infinity. */
  nextInThread(anchor: TraceLine): number {
    const lines = this.seat.lines;
    const thread = threadOf(anchor);
    for (let i = lines.indexOf(anchor) + 1; i < lines.length; i++)
      if (threadOf(lines[i]!) === thread) return msOf(lines[i]!);
    return Infinity;
  }

  add(lines: TraceLine[]): void {
    if (lines.length === 0) return;
    this.spans.push({ thread: threadOf(lines[0]!), from: msOf(lines[0]!) - 1, to: msOf(lines[lines.length - 1]!) });
    this.added.push(...lines);
  }

  normalUses(): Map<string, number> {
    const uses = new Map<string, number>();
    for (const l of this.seat.lines) if (l.label === 'normal') uses.set(l.operation, (uses.get(l.operation) ?? 0) + 1);
    return uses;
  }
}

/** Incident ids `<kind>-<n>`, numbered per kind from 1. */
class Ids {
  private readonly counts = new Map<string, number>();
  next = (kind: string) => `${kind}-${this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1).get(kind)!}`;
}

function label(l: TraceLine, kind: TraceLine['label'], incident: string): void {
  l.label = kind;
  l.incident = incident;
}

function plantDrift(s: SeatState, days: number, ids: Ids, r: Rand): void {
  const op = s.seat.plan.driftOp;
  if (!op) return;
  const same = s.seat.lines.filter((l) => l.operation === op && l.label === 'normal');
  const usual = median(same.filter((l) => dayOfMs(msOf(l)) < FIRST_DAY).map((l) => l.volume));
  const rate = r.between(0.1, 0.14);
  const toThree = Math.log(3) / Math.log(1 + rate);
  const startDay = r.int(FIRST_DAY, FIRST_DAY + 4);
  const length = Math.min(Math.ceil(toThree) + r.int(5, 9), days - 4 - startDay);
  if (usual <= 0 || length < toThree + 3) return;
  const from = T0 + startDay * DAY_MS;
  const to = from + length * DAY_MS;
  const jump = same.find((l) => msOf(l) >= to);
  if (!jump) return;
  const id = ids.next('drift');
  for (const l of same) {
    const t = msOf(l);
    if (t < from || t >= to) continue;
    const factor = (1 + rate) ** ((t - from) / DAY_MS);
    l.volume = Math.max(1, Math.round(l.volume * factor));
    if (factor >= 3) label(l, 'drift', id);
  }
  jump.volume = Math.round(usual * r.between(78, 82));
  label(jump, 'bulk_volume', `post_drift-${id.slice('drift-'.length)}`);
  s.used.add(dayOfMs(msOf(jump)));
}

function plantBulk(s: SeatState, ids: Ids, r: Rand): boolean {
  const { def, plan } = s.seat;
  const uses = s.normalUses();
  const routine = new Set([...uses].filter(([op, n]) => n >= 12 && op !== plan.driftOp).map(([op]) => op));
  const line = s.claim((day) => {
    const candidates = s.normalOn(day).filter((l) => routine.has(l.operation));
    return candidates.length > 0 ? r.pick(candidates) : null;
  });
  if (!line) return false;
  const spec = def.ops[line.operation]!;
  const same = s.seat.lines.filter((l) => l.label === 'normal' && l.operation === line.operation && l !== line);
  const factor = r.between(40, 220);
  if (spec.amount && (spec.volume[1] <= 1 || r.chance(0.65)))
    line.amount = round2(median(same.map((l) => l.amount)) * factor);
  else line.volume = Math.round(Math.max(1, median(same.map((l) => l.volume))) * factor);
  label(line, 'bulk_volume', ids.next('bulk_volume'));
  return true;
}

/** Transitions between consecutive requests of one thread, over every request of the seat (whatever its label). */
function transitions(lines: TraceLine[]): { anywhere: Set<string>; byThread: Set<string> } {
  const anywhere = new Set<string>();
  const byThread = new Set<string>();
  const last = new Map<string, string>();
  for (const l of lines) {
    const thread = threadOf(l);
    const prev = last.get(thread);
    if (prev !== undefined) {
      anywhere.add(`${prev}>${l.operation}`);
      byThread.add(`${thread}|${prev}>${l.operation}`);
    }
    last.set(thread, l.operation);
  }
  return { anywhere, byThread };
}

function plantOddSequence(s: SeatState, sensitivity: Sensitivity, taken: Set<string>, ids: Ids, r: Rand): boolean {
  const { def, plan } = s.seat;
  const { anywhere, byThread } = transitions(s.seat.lines);
  const uses = s.normalUses();
  const ops = Object.keys(def.ops).filter(
    (op) =>
      def.ops[op]!.sensitivity === sensitivity &&
      (uses.get(op) ?? 0) >= 10 &&
      !anywhere.has(`${op}>${op}`) &&
      op !== plan.driftOp,
  );
  // Operations not yet used for an odd sequence of this seat first.
  const ordered = [...r.shuffle(ops.filter((op) => !taken.has(op))), ...r.shuffle(ops.filter((op) => taken.has(op)))];
  if (ordered.length === 0) return false;
  for (const strict of [true, false]) {
    const found = s.claim((day) => {
      const anchors = r.shuffle(s.normalOn(day));
      for (const anchor of anchors) {
        const thread = threadOf(anchor);
        const start = msOf(anchor);
        if (s.nextInThread(anchor) - start < 150_000 || !s.clear(thread, start, start + 90_000)) continue;
        const op = ordered.find(
          (o) =>
            o !== anchor.operation &&
            !byThread.has(`${thread}|${anchor.operation}>${o}`) &&
            (!strict || !anywhere.has(`${anchor.operation}>${o}`)),
        );
        if (op) return { anchor, op };
      }
      return null;
    });
    if (!found) continue;
    const { anchor, op } = found;
    const id = ids.next('odd_sequence');
    const lines: TraceLine[] = [];
    let t = msOf(anchor) + r.between(4, 20) * 1000;
    for (let k = r.int(2, 3); k > 0; k--) {
      const l = makeLine(def, plan, op, Math.round(t), anchor.context, r);
      label(l, 'odd_sequence', id);
      lines.push(l);
      t += r.between(3, 25) * 1000;
    }
    s.add(lines);
    taken.add(op);
    return true;
  }
  return false;
}

function plantNewTool(s: SeatState, ids: Ids, r: Rand): boolean {
  const { def, plan } = s.seat;
  const foreign = def.foreign[s.seat.slot % def.foreign.length]!;
  const anchor = s.claim((day) => {
    for (const l of r.shuffle(s.normalOn(day))) {
      const t = msOf(l);
      if (s.nextInThread(l) - t >= 120_000 && s.clear(threadOf(l), t, t + 100_000)) return l;
    }
    return null;
  });
  if (!anchor) return false;
  const id = ids.next('new_tool');
  // The foreign operation, drawn as if it were one of the desk's own.
  const tools = { ...def.tools, [foreign.tool]: foreign.resource };
  const asOwn: ArchetypeDef = { ...def, tools, ops: { [foreign.operation]: foreign } };
  const lines: TraceLine[] = [];
  let t = msOf(anchor) + r.between(5, 30) * 1000;
  for (let k = r.int(1, 3); k > 0; k--) {
    const l = makeLine(asOwn, plan, foreign.operation, Math.round(t), anchor.context, r);
    label(l, 'new_tool', id);
    lines.push(l);
    t += r.between(4, 25) * 1000;
  }
  s.add(lines);
  return true;
}

function plantBurst(s: SeatState, ids: Ids, r: Rand): boolean {
  const { def, plan } = s.seat;
  const top = [...s.normalUses()]
    .filter(([op]) => op !== plan.driftOp && ['LOW', 'MEDIUM'].includes(def.ops[op]!.sensitivity))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3)
    .map(([op]) => op);
  if (top.length === 0) return false;
  const op = r.pick(top);
  const n = r.int(150, 400);
  const span = r.between(4, 13) * 60_000;
  const anchor = s.claim((day) => {
    for (const l of r.shuffle(s.normalOn(day))) {
      const t = msOf(l);
      if (s.clear(threadOf(l), t, t + span + 60_000)) return l;
    }
    return null;
  });
  if (!anchor) return false;
  const id = ids.next('burst');
  const start = msOf(anchor) + r.between(10, 60) * 1000;
  const lines: TraceLine[] = [];
  for (let i = 0; i < n; i++) {
    const l = makeLine(def, plan, op, Math.round(start + (span * (i + 0.8 * r.next())) / n), anchor.context, r);
    label(l, 'burst', id);
    lines.push(l);
  }
  s.add(lines);
  return true;
}

type Variant = 'network' | 'client' | 'person';

/** UTC hours in which the seat never sends a request. */
function idleHours(s: SeatState): number[] {
  const seen = new Set(s.seat.lines.map((l) => new Date(msOf(l)).getUTCHours()));
  return Array.from({ length: 24 }, (_, h) => h).filter((h) => !seen.has(h));
}

function routineSteps(plan: AgentPlan, day: number, r: Rand, max: number): string[] {
  let steps: string[] = [];
  for (let k = 0; k < 8 && steps.length < 2; k++) steps = expand(plan.procedure(day, r), r);
  if (steps.length < 2) steps = [...steps, ...steps];
  return steps.slice(0, max);
}

function plantOddContext(s: SeatState, variant: Variant, days: number, ids: Ids, r: Rand): boolean {
  const { def, plan } = s.seat;
  const end = T0 + days * DAY_MS;
  const networks = new Set(s.seat.lines.map((l) => l.context.sourceNetwork));
  const clients = new Set(s.seat.lines.map((l) => l.context.userAgent));
  const idle = idleHours(s);
  const lines = s.claim((day) => {
    for (let attempt = 0; attempt < 6; attempt++) {
      let start: number | null;
      let context: Record<string, string>;
      let steps: string[];
      if (variant === 'person') {
        const hour = r.pick(idle);
        start = T0 + day * DAY_MS + hour * 3_600_000 + r.between(2, 12) * 60_000;
        const sourceNetwork = plan.network(day, r);
        const userAgent = plan.client(day, r);
        context = { sourceNetwork, onBehalfOf: r.pick(def.strangers), userAgent };
        steps = routineSteps(plan, day, r, 5);
      } else {
        start = sessionStart(plan, day, r);
        context = contextFor(plan, day, r);
        if (variant === 'network') context.sourceNetwork = r.pick(PUBLIC_NETWORKS.filter((x) => !networks.has(x)));
        else context.userAgent = r.pick(SCRIPT_CLIENTS.filter((x) => !clients.has(x)));
        steps = routineSteps(plan, day, r, 8);
      }
      if (start === null || dayOfMs(start) < FIRST_DAY) continue;
      const session = runSession(def, plan, steps, Math.round(start), context, r, true);
      const first = msOf(session[0]!);
      const last = msOf(session[session.length - 1]!);
      if (last >= end || !s.clear(threadOf(session[0]!), first, last)) continue;
      if (variant === 'person') {
        const hour = new Date(first).getUTCHours();
        if (!session.every((l) => new Date(msOf(l)).getUTCHours() === hour)) continue;
      }
      return session;
    }
    return null;
  });
  if (!lines) return false;
  const id = ids.next('odd_context');
  for (const l of lines) label(l, 'odd_context', id);
  s.add(lines);
  return true;
}

/**
 * Plants every incident into the seats' ordinary traffic (relabelling some of their requests in place) and returns
 * the requests it adds.
 */
export function plantIncidents(seats: Seat[], days: number, r: Rand): TraceLine[] {
  const ids = new Ids();
  const states = seats.map((seat) => new SeatState(seat, days, r));

  for (const s of states) plantDrift(s, days, ids, r);

  const taken = new Map<SeatState, Set<string>>(states.map((s) => [s, new Set<string>()]));
  for (const sensitivity of ['MEDIUM', 'HIGH'] as const) {
    // One each a seat; a seat that cannot take its share passes it to the next, then round again for what is left.
    let owed = 0;
    for (const s of states) {
      let want = 1 + owed;
      while (want > 0 && plantOddSequence(s, sensitivity, taken.get(s)!, ids, r)) want--;
      owed = want;
    }
    for (let round = 0; owed > 0 && round < 3; round++)
      for (const s of states) if (owed > 0 && plantOddSequence(s, sensitivity, taken.get(s)!, ids, r)) owed--;
  }

  for (const s of states) for (let k = 0; k < 2; k++) plantBulk(s, ids, r);
  for (const s of states) plantNewTool(s, ids, r);
  for (const s of states) plantBurst(s, ids, r);

  const variants: Variant[] = ['network', 'client', 'person'];
  let next = 0;
  let fallback = 0;
  for (const s of states) {
    let variant = variants[next % 3]!;
    const canPerson = s.seat.plan.people(FIRST_DAY) !== null && idleHours(s).length > 0;
    if (variant === 'person' && !canPerson) variant = variants[fallback++ % 2]!;
    else next++;
    plantOddContext(s, variant, days, ids, r);
  }

  return states.flatMap((s) => s.added);
}
