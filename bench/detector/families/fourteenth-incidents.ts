/**
 * Incidents of the fourteenth trace family, planted into each seat's normal traffic from day 10 on, each on a day
 * of its own for that agent. What they stand for:
 * - drift: a scheduled query or a habit whose scope creeps for five to eight days (each request touching more),
 *   ending in one request at ~80× the operation's early level (its post-drift jump, labelled bulk), then back;
 * - odd_sequence: a routine MEDIUM or HIGH operation fired right after a step it never follows for that person or
 *   bot, two or three times within two minutes, in the same session context (a hijacked session, a bad retry);
 * - bulk_volume: one request touching or moving 40–250× what the operation usually does (an export, a payout);
 * - new_tool: one to three HIGH or CRITICAL calls to a tool nobody in the business uses;
 * - burst: a runaway loop or a scraper hammering one LOW or MEDIUM operation 150–450 times in 4–12 minutes;
 * - odd_context: a short ordinary session from a public network never seen, from a `curl`/`python-requests` client
 *   never seen, or for a person never seen at hours the seat never works.
 */
import {
  contextOf,
  DAY,
  HOUR,
  MINUTE,
  round2,
  SECOND,
  T0,
  resourceOf,
  type Req,
  type SeatKind,
  type SeatSpec,
  type Sensitivity,
} from './fourteenth-model.js';
import { pcgFor, type Pcg32 } from './fourteenth-rng.js';

export interface SeatTrace {
  spec: SeatSpec;
  /** Normal requests in time order. */
  reqs: Req[];
}

export type PlantedKind = 'new_tool' | 'burst' | 'odd_context' | 'bulk_volume' | 'drift' | 'odd_sequence';

export interface Planted {
  kind: PlantedKind;
  /** A drift and its post-drift jump share a pair key. */
  pair?: string;
  post?: boolean;
  reqs: Req[];
}

const QUOTA: Record<SeatKind, { bulk: number; drift: boolean; odd: Array<'MEDIUM' | 'HIGH' | 'ANY'> }> = {
  bot: { bulk: 2, drift: true, odd: ['MEDIUM', 'HIGH', 'ANY'] },
  assistant: { bulk: 2, drift: false, odd: ['MEDIUM', 'HIGH'] },
  team: { bulk: 2, drift: true, odd: ['HIGH', 'MEDIUM', 'ANY'] },
  quiet: { bulk: 1, drift: false, odd: ['MEDIUM', 'HIGH'] },
};
const MIN_USES = 12;

const utcDay = (t: number) => Math.floor((t - T0) / DAY);
const threadOf = (q: Req) => q.line.context.onBehalfOf ?? '';
/** The upper median, as the family's test computes it. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function relabel(q: Req, kind: PlantedKind, patch: Partial<Req['line']> = {}): Req {
  return { t: q.t, line: { ...q.line, ...patch, label: kind, incident: 'pending' } };
}

function made(spec: SeatSpec, t: number, op: string, tool: string, sens: Sensitivity, ctx: Record<string, string>) {
  return {
    t,
    line: {
      time: new Date(t).toISOString(),
      agent: spec.agent,
      archetype: spec.archetype,
      platform: spec.platform,
      tool,
      toolResource: resourceOf(spec, tool),
      operation: op,
      sensitivity: sens,
      volume: 1,
      amount: 0,
      context: ctx,
      label: 'normal' as const,
      incident: null,
    },
  } satisfies Req;
}

/** Statistics of a seat's normal traffic that the planting needs. */
class Stats {
  readonly byOp = new Map<string, Req[]>();
  readonly byDay = new Map<number, Req[]>();
  /** Next request in the same thread (agent and delegating person). */
  readonly next = new Map<Req, Req>();
  readonly seen = new Set<string>();
  readonly hours = new Set<number>();

  /** `reqs`: the seat's requests in time order; `taken`: those relabelled (a drift), which break transitions. */
  constructor(reqs: Req[], taken: Set<Req>) {
    const last = new Map<string, Req>();
    for (const q of reqs) {
      const th = threadOf(q);
      const prev = last.get(th);
      last.set(th, q);
      if (prev) this.next.set(prev, q);
      if (taken.has(q)) continue;
      if (prev && !taken.has(prev)) this.seen.add(`${th}|${prev.line.operation}>${q.line.operation}`);
      this.byOp.set(q.line.operation, [...(this.byOp.get(q.line.operation) ?? []), q]);
      this.byDay.set(utcDay(q.t), [...(this.byDay.get(utcDay(q.t)) ?? []), q]);
      this.hours.add(new Date(q.t).getUTCHours());
    }
  }

  uses(op: string): number {
    return this.byOp.get(op)?.length ?? 0;
  }

  sample(op: string, r: Pcg32): { volume: number; amount: number } {
    const q = r.pick(this.byOp.get(op)!);
    return { volume: q.line.volume, amount: q.line.amount };
  }
}

/** Plants one seat's incidents; returns its remaining normal requests and the incidents. */
export function plantSeat(seat: SeatTrace, seed: number, days: number): { normal: Req[]; planted: Planted[] } {
  const { spec } = seat;
  const r = pcgFor(seed, spec.agent, 'incidents');
  const quota = QUOTA[spec.kind];
  const planted: Planted[] = [];
  const used = new Set<number>();
  let normal = seat.reqs;

  const drift = quota.drift && spec.hints.driftOp ? plantDrift(spec, normal, r, days, used) : undefined;
  if (drift) {
    planted.push(...drift.planted);
    normal = normal.filter((q) => !drift.taken.has(q));
  }
  const stats = new Stats(seat.reqs, drift?.taken ?? new Set());
  const freeDays = () => r.shuffle([...stats.byDay.keys()].filter((d) => d >= 10 && d <= days - 2 && !used.has(d)));
  const take = () => {
    const d = freeDays()[0];
    if (d !== undefined) used.add(d);
    return d;
  };
  const anchorOn = (d: number) => r.pick(stats.byDay.get(d)!);
  const usable = (op: string) => stats.uses(op) >= MIN_USES && op !== spec.hints.driftOp;

  const pairs = new Set<string>();
  for (const want of quota.odd) {
    // An extra one ('ANY') goes to a MEDIUM operation at a bot, a HIGH one at a team seat, else to the other.
    const [first, second]: Array<'MEDIUM' | 'HIGH'> = spec.kind === 'bot' ? ['MEDIUM', 'HIGH'] : ['HIGH', 'MEDIUM'];
    const odd =
      want === 'ANY'
        ? (plantOddSequence(spec, stats, r, freeDays(), first!, pairs) ??
          plantOddSequence(spec, stats, r, freeDays(), second!, pairs))
        : plantOddSequence(spec, stats, r, freeDays(), want, pairs);
    if (odd) {
      used.add(utcDay(odd.reqs[0]!.t));
      planted.push(odd);
    }
  }

  const bulkOps = spec.hints.bulk.filter((b) => usable(b.op));
  for (let k = 0; k < quota.bulk && bulkOps.length > 0; k++) {
    const day = take();
    if (day === undefined) break;
    const b = bulkOps[(k + r.int(0, bulkOps.length - 1)) % bulkOps.length]!;
    planted.push({ kind: 'bulk_volume', reqs: [bulkRequest(spec, stats, r, anchorOn(day), b)] });
  }

  const newToolDay = take();
  if (newToolDay !== undefined) {
    const a = anchorOn(newToolDay);
    const { tool, ops } = spec.hints.newTool;
    const n = r.int(1, 3);
    let t = a.t + Math.round(r.uniform(30, 600) * SECOND);
    const reqs: Req[] = [];
    for (let i = 0; i < n; i++) {
      const [op, sens] = ops[i % ops.length]!;
      const q = made(spec, t, op, tool, sens, a.line.context);
      reqs.push(relabel(q, 'new_tool', { volume: r.int(1, 40) }));
      t += Math.round(r.uniform(10, 90) * SECOND);
    }
    planted.push({ kind: 'new_tool', reqs });
  }

  const burstOps = spec.hints.burstOps.filter(usable);
  const burstDay = burstOps.length > 0 ? take() : undefined;
  if (burstDay !== undefined) {
    const a = anchorOn(burstDay);
    const op = r.pick(burstOps);
    const n = r.int(150, 450);
    const start = a.t + Math.round(r.uniform(10, 120) * SECOND);
    const span = Math.round(r.uniform(4, 12) * MINUTE);
    const times = [start, start + span, ...Array.from({ length: n - 2 }, () => start + Math.round(r.float() * span))];
    times.sort((x, y) => x - y);
    const proto = stats.byOp.get(op)![0]!;
    planted.push({
      kind: 'burst',
      reqs: times.map((t) =>
        relabel(
          { t, line: { ...proto.line, time: new Date(t).toISOString(), context: a.line.context } },
          'burst',
          stats.sample(op, r),
        ),
      ),
    });
  }

  const contextDay = take();
  if (contextDay !== undefined) planted.push(plantOddContext(spec, stats, r, contextDay));

  return { normal, planted };
}

function plantDrift(spec: SeatSpec, reqs: Req[], r: Pcg32, days: number, used: Set<number>) {
  const op = spec.hints.driftOp!;
  if (days < 28) return undefined;
  const start = r.int(11, days - 16);
  const length = r.int(5, 8);
  const ofOp = reqs.filter((q) => q.line.operation === op);
  const inWindow = ofOp.filter((q) => utcDay(q.t) >= start && utcDay(q.t) < start + length);
  const after = ofOp.find((q) => utcDay(q.t) >= start + length);
  const usual = median(ofOp.filter((q) => utcDay(q.t) < 10).map((q) => q.line.volume));
  if (inWindow.length < 4 || !after || usual <= 0) return undefined;
  for (let d = start - 1; d <= start + length + 1; d++) used.add(d);
  const last = inWindow[inWindow.length - 1]!.t;
  // The scope creeps request by request: from ~1.5× to ~18× what the operation touched before.
  const driftReqs = inWindow.map((q, i) => {
    const creep = 1.5 * Math.pow(18 / 1.5, i / (inWindow.length - 1)) * r.uniform(0.85, 1.15);
    return relabel(q, 'drift', { volume: Math.max(1, Math.round(q.line.volume * creep)) });
  });
  const tJump = last + Math.round((after.t - last) * r.uniform(0.3, 0.8));
  const jump = relabel(
    {
      t: tJump,
      line: {
        ...after.line,
        time: new Date(tJump).toISOString(),
        context: inWindow[inWindow.length - 1]!.line.context,
      },
    },
    'bulk_volume',
    { volume: Math.round(usual * r.uniform(76, 84)) },
  );
  const pair = `${spec.agent}|${op}`;
  return {
    taken: new Set(inWindow),
    planted: [
      { kind: 'drift', pair, reqs: driftReqs },
      { kind: 'bulk_volume', pair, post: true, reqs: [jump] },
    ] satisfies Planted[],
  };
}

function plantOddSequence(
  spec: SeatSpec,
  stats: Stats,
  r: Pcg32,
  days: number[],
  want: 'MEDIUM' | 'HIGH',
  pairs: Set<string>,
): Planted | undefined {
  const ops = [...stats.byOp.keys()].filter(
    (op) => spec.ops[op]!.sens === want && stats.uses(op) >= MIN_USES && op !== spec.hints.driftOp,
  );
  for (const day of days) {
    const prevs = r.shuffle(
      stats.byDay.get(day)!.filter((q) => {
        const n = stats.next.get(q);
        return !n || n.t - q.t > 150 * SECOND;
      }),
    );
    for (const p of prevs.slice(0, 200)) {
      const th = threadOf(p);
      const candidates = ops.filter(
        (op) =>
          op !== p.line.operation &&
          !stats.seen.has(`${th}|${p.line.operation}>${op}`) &&
          !stats.seen.has(`${th}|${op}>${op}`) &&
          !pairs.has(`${p.line.operation}>${op}`),
      );
      if (candidates.length === 0) continue;
      const op = r.pick(candidates);
      pairs.add(`${p.line.operation}>${op}`);
      const def = spec.ops[op]!;
      const n = r.int(2, 3);
      let t = p.t + Math.round(r.uniform(4, 30) * SECOND);
      const reqs: Req[] = [];
      for (let i = 0; i < n; i++) {
        reqs.push(relabel(made(spec, t, op, def.tool, def.sens, p.line.context), 'odd_sequence', stats.sample(op, r)));
        t += Math.round(r.uniform(15, 45) * SECOND);
      }
      return { kind: 'odd_sequence', reqs };
    }
  }
  return undefined;
}

function bulkRequest(spec: SeatSpec, stats: Stats, r: Pcg32, a: Req, b: { op: string; by: 'volume' | 'amount' }): Req {
  const same = stats.byOp.get(b.op)!;
  const medVolume = Math.max(1, median(same.map((q) => q.line.volume)));
  const medAmount = median(same.map((q) => q.line.amount));
  const factor = Math.exp(r.uniform(Math.log(40), Math.log(250)));
  const byAmount = b.by === 'amount' && medAmount > 0;
  const def = spec.ops[b.op]!;
  const t = a.t + Math.round(r.uniform(5, 90) * SECOND);
  return relabel(made(spec, t, b.op, def.tool, def.sens, a.line.context), 'bulk_volume', {
    volume: byAmount ? Math.max(1, Math.round(medVolume * r.uniform(0.5, 2))) : Math.round(medVolume * factor),
    amount: medAmount > 0 ? round2(medAmount * (byAmount ? factor : r.uniform(0.6, 1.6))) : 0,
  });
}

function plantOddContext(spec: SeatSpec, stats: Stats, r: Pcg32, day: number): Planted {
  const variant = spec.hints.oddContext;
  const a = r.pick(stats.byDay.get(day)!);
  // The session replayed: the anchor's operation and what followed it in its thread.
  const ops = [a.line.operation];
  for (let q = stats.next.get(a); q && ops.length < 5; q = stats.next.get(q)) ops.push(q.line.operation);
  const n = Math.min(ops.length, r.int(2, 5));
  while (ops.length < 2) ops.push(ops[0]!);
  const { sourceNetwork, userAgent } = a.line.context;
  let ctx: Record<string, string>;
  let start: number;
  if (variant === 'person') {
    const quiet = Array.from({ length: 24 }, (_, h) => h).filter((h) => !stats.hours.has(h));
    if (quiet.length === 0) throw new Error(`${spec.agent}: no idle hour for an odd person`);
    start = T0 + day * DAY + r.pick(quiet) * HOUR + Math.round(r.uniform(0, 40) * MINUTE);
    ctx = contextOf(sourceNetwork!, spec.hints.strayPerson, userAgent!);
  } else {
    start = a.t + Math.round(r.uniform(20, 90) * MINUTE);
    ctx =
      variant === 'network'
        ? { ...a.line.context, sourceNetwork: spec.hints.foreignNetwork }
        : { ...a.line.context, userAgent: spec.hints.scriptClient };
  }
  const reqs: Req[] = [];
  let t = start;
  for (let i = 0; i < Math.max(2, n); i++) {
    const op = ops[i]!;
    const def = spec.ops[op]!;
    reqs.push(relabel(made(spec, t, op, def.tool, def.sens, ctx), 'odd_context', stats.sample(op, r)));
    t += Math.round(r.uniform(30, 120) * SECOND);
  }
  return { kind: 'odd_context', reqs };
}
