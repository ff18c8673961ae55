/**
 * The twelfth family's incidents, planted into the ordinary traffic of its seats from day 10 on, one label and one
 * agent per incident, each at ordinary hours and volumes unless its kind says otherwise, none overlapping another on
 * the same agent: slow drifts of volume ending in a jump at ~80× (the jump labelled bulk_volume as `post_drift-<n>`),
 * bursts of one cheap read far above the agent's pace, single requests at 30–300× the usual items or money, odd
 * sequences (a known MEDIUM or HIGH operation right after a step it never follows, repeated back to back, as when a
 * step of the business procedure is skipped), never-seen tools, and never-seen networks, clients or people (a new
 * person at hours the seat never works). What each business's misuse looks like is in its archetype's Catalogue.
 */
import type { Label } from '../generate-traces.js';
import { type Catalogue, DAY_MS, resourceOf, type Row, type Seat, T0 } from './twelfth-model.js';
import { type Rand, streamOf } from './twelfth-rng.js';

export interface AgentTrace {
  seat: Seat;
  catalogue: Catalogue;
  /** The ordinary lines, sorted by time (drifts relabel some). */
  rows: Row[];
  /** Planted lines. */
  extra: Row[];
  windows: [number, number][];
  /** Out-of-order transitions already planted on this agent (each planted once). */
  used: Set<string>;
  cache?: Derived;
}
interface Derived {
  /** Transitions ever seen, by thread (`thread|a>b`) and by agent (`a>b`). */
  threadSeen: Set<string>;
  agentSeen: Set<string>;
  nextInThread: Map<Row, number>;
  nextInAgent: Map<Row, number>;
}

const MARGIN = 15 * 60_000;
const PUBLIC_NETS = ['185.220.101.0/24', '45.134.26.0/24', '91.240.118.0/24', '103.75.190.0/24', '5.188.206.0/24'];
const SCRIPTED = ['curl/8.5.0', 'python-requests/2.31.0', 'curl/7.81.0', 'python-requests/2.28.1'];
const RANK = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 } as const;

const dayOf = (t: number) => Math.floor((t - T0) / DAY_MS);
/** Upper median, as the family's test measures. */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const round2 = (x: number) => Math.round(x * 100) / 100;

export class Planter {
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly seed: number,
    private readonly days: number,
    private readonly counter: { seq: number },
  ) {}

  rng(kind: string, k: number): Rand {
    return streamOf(this.seed, 'twelfth-incident', kind, k);
  }

  private id(kind: string): string {
    const n = (this.ids.get(kind) ?? 0) + 1;
    this.ids.set(kind, n);
    return `${kind}-${n}`;
  }

  private free(a: AgentTrace, from: number, to: number): boolean {
    if (dayOf(from) < 10 || to >= T0 + this.days * DAY_MS) return false;
    return a.windows.every(([x, y]) => to + MARGIN < x || from - MARGIN > y);
  }

  private normal(a: AgentTrace, op?: string): Row[] {
    return a.rows.filter((r) => r.label === 'normal' && (op === undefined || r.operation === op));
  }

  /** Ordinary rows from day 10 on that leave room for a planted stretch after them. */
  private anchors(a: AgentTrace, op?: string, room = 30 * 60_000): Row[] {
    return this.normal(a, op).filter((r) => dayOf(r.t) >= 10 && r.t + room < T0 + this.days * DAY_MS);
  }

  private add(a: AgentTrace, base: Row, t: number, label: Label, incident: string, patch: Partial<Row>): Row {
    const row: Row = {
      ...base,
      context: { ...base.context },
      ...patch,
      time: new Date(t).toISOString(),
      t,
      label,
      incident,
      seq: this.counter.seq++,
    };
    row.toolResource = resourceOf(row.tool);
    a.extra.push(row);
    return row;
  }

  /** Ops of the agent, preferred ones (shuffled) first, then the rest (shuffled). */
  private ordered(a: AgentTrace, preferred: readonly string[], ok: (op: string) => boolean, rng: Rand): string[] {
    const ops = [...new Set(this.normal(a).map((r) => r.operation))].filter(ok);
    const first = rng.shuffle(ops.filter((op) => preferred.includes(op)));
    return [...first, ...rng.shuffle(ops.filter((op) => !preferred.includes(op)))];
  }

  drift(a: AgentTrace, rng: Rand): boolean {
    if (this.days < 26) return false;
    const rich = (op: string) => {
      const same = this.normal(a, op);
      return same.length / this.days >= 5 && new Set(same.map((r) => r.volume)).size >= 4;
    };
    for (const op of this.ordered(a, a.catalogue.drift, rich, rng).slice(0, 3)) {
      const start = rng.int(11, this.days - 14);
      const span = rng.int(5, 8);
      const rows = this.normal(a, op).filter((r) => dayOf(r.t) >= start && dayOf(r.t) < start + span);
      if (rows.length < 12) continue;
      const last = rows[rows.length - 1]!;
      const jumpAt = last.t + rng.int(30, 120) * 1000;
      if (dayOf(last.t) - dayOf(rows[0]!.t) < 3 || !this.free(a, rows[0]!.t, jumpAt)) continue;
      const before = this.normal(a, op).filter((r) => dayOf(r.t) < 10);
      const usual = median(before.map((r) => r.volume));
      const usualAmount = median(before.map((r) => r.amount));
      const id = this.id('drift');
      rows.forEach((r, i) => {
        const factor = Math.exp(Math.log(1.6) + (i / (rows.length - 1)) * Math.log(32 / 1.6));
        r.volume = Math.max(1, Math.round(r.volume * factor));
        if (r.amount > 0) r.amount = round2(r.amount * factor);
        r.label = 'drift';
        r.incident = id;
      });
      const jump = rng.uniform(77, 83);
      this.add(a, last, jumpAt, 'bulk_volume', id.replace('drift', 'post_drift'), {
        volume: Math.round(usual * jump),
        amount: usualAmount > 0 ? round2(usualAmount * jump) : 0,
      });
      a.windows.push([rows[0]!.t, jumpAt]);
      return true;
    }
    return false;
  }

  burst(a: AgentTrace, rng: Rand): boolean {
    const cheap = (op: string) => {
      const same = this.normal(a, op);
      return same.length >= 20 && RANK[same[0]!.sensitivity] <= 1;
    };
    for (const op of this.ordered(a, a.catalogue.burst, cheap, rng).slice(0, 3)) {
      const anchor = rng.pick(this.anchors(a, op));
      if (!anchor) continue;
      const span = rng.uniform(4, 12) * 60_000;
      const start = anchor.t + rng.int(5, 40) * 1000;
      if (!this.free(a, anchor.t, start + span)) continue;
      const pool = this.normal(a, op);
      const n = rng.int(160, 480);
      const times = Array.from({ length: n }, () => start + Math.round(rng.next() * span)).sort((x, y) => x - y);
      times[0] = start;
      times[n - 1] = Math.round(start + span);
      const id = this.id('burst');
      for (const t of times) {
        const like = rng.pick(pool);
        this.add(a, anchor, t, 'burst', id, { volume: like.volume, amount: like.amount });
      }
      a.windows.push([anchor.t, start + span]);
      return true;
    }
    return false;
  }

  bulk(a: AgentTrace, rng: Rand): boolean {
    const used = (op: string) => this.normal(a, op).length >= 10;
    for (const op of this.ordered(a, a.catalogue.bulk, used, rng).slice(0, 3)) {
      const same = this.normal(a, op);
      const vol = median(same.map((r) => r.volume));
      const amt = median(same.map((r) => r.amount));
      const anchor = rng.pick(this.anchors(a, op));
      if (!anchor) continue;
      const t = anchor.t + rng.int(15, 90) * 1000;
      if (!this.free(a, anchor.t, t)) continue;
      const f = rng.uniform(40, 220);
      const byMoney = amt > 0 && vol <= 2;
      this.add(a, anchor, t, 'bulk_volume', this.id('bulk_volume'), {
        volume: byMoney ? Math.max(1, vol) : Math.round(Math.max(1, vol) * f),
        amount: amt > 0 ? round2(amt * f) : 0,
      });
      a.windows.push([anchor.t, t]);
      return true;
    }
    return false;
  }

  private derived(a: AgentTrace): Derived {
    if (a.cache) return a.cache;
    const d: Derived = { threadSeen: new Set(), agentSeen: new Set(), nextInThread: new Map(), nextInAgent: new Map() };
    const lastOf = new Map<string, Row>();
    let prev: Row | undefined;
    for (const r of a.rows) {
      const p = lastOf.get(r.thread);
      if (p) {
        d.threadSeen.add(`${r.thread}|${p.operation}>${r.operation}`);
        d.nextInThread.set(p, r.t);
      }
      if (prev) {
        d.agentSeen.add(`${prev.operation}>${r.operation}`);
        d.nextInAgent.set(prev, r.t);
      }
      lastOf.set(r.thread, r);
      prev = r;
    }
    return (a.cache = d);
  }

  oddSequence(a: AgentTrace, sens: 'MEDIUM' | 'HIGH', rng: Rand): boolean {
    const d = this.derived(a);
    const uses = new Map<string, number>();
    const sensOf = new Map<string, string>();
    const anchorsOf = new Map<string, Row[]>();
    for (const r of this.normal(a)) {
      uses.set(r.operation, (uses.get(r.operation) ?? 0) + 1);
      sensOf.set(r.operation, r.sensitivity);
    }
    for (const r of this.anchors(a)) {
      const list = anchorsOf.get(r.operation);
      if (list) list.push(r);
      else anchorsOf.set(r.operation, [r]);
    }
    const targets = [...uses.keys()].filter((op) => sensOf.get(op) === sens && uses.get(op)! >= 10);
    const befores = rng
      .shuffle([...uses.keys()])
      .sort((x, y) => RANK[sensOf.get(y) as 'LOW'] - RANK[sensOf.get(x) as 'LOW']);
    const skips = rng.shuffle(a.catalogue.skips.filter(([x, y]) => uses.has(x) && targets.includes(y)));
    const rest = rng.shuffle(targets).flatMap((y) => befores.filter((x) => x !== y).map((x) => [x, y] as const));
    const passes = [
      [true, skips],
      [false, skips],
      [true, rest.slice(0, 60)],
      [false, rest.slice(0, 60)],
    ] as const;
    for (const [strict, pairs] of passes) {
      for (const [x, y] of pairs) {
        if (a.used.has(`${x}>${y}`)) continue;
        if (strict && (d.agentSeen.has(`${x}>${y}`) || d.agentSeen.has(`${y}>${y}`))) continue;
        const n = rng.int(2, 3);
        const gaps = Array.from({ length: n }, () => rng.int(8, 40) * 1000);
        const span = gaps.reduce((s, g) => s + g, 0);
        const fits = (anchorsOf.get(x) ?? []).filter(
          (p) =>
            !d.threadSeen.has(`${p.thread}|${x}>${y}`) &&
            !d.threadSeen.has(`${p.thread}|${y}>${y}`) &&
            (d.nextInThread.get(p) ?? Infinity) > p.t + span + 20_000 &&
            (!strict || (d.nextInAgent.get(p) ?? Infinity) > p.t + span + 20_000) &&
            this.free(a, p.t, p.t + span),
        );
        if (!fits.length) continue;
        const p = rng.pick(fits);
        const like = this.normal(a, y);
        const id = this.id('odd_sequence');
        let t = p.t;
        for (const g of gaps) {
          t += g;
          const l = rng.pick(like);
          this.add(a, p, t, 'odd_sequence', id, {
            tool: l.tool,
            operation: y,
            sensitivity: l.sensitivity,
            volume: l.volume,
            amount: l.amount,
          });
        }
        a.windows.push([p.t, t]);
        a.used.add(`${x}>${y}`);
        return true;
      }
    }
    return false;
  }

  newTool(a: AgentTrace, k: number, rng: Rand): boolean {
    const mine = new Set([...a.rows, ...a.extra].map((r) => r.tool));
    const tools = a.catalogue.tools.filter((x) => !mine.has(x.tool));
    if (!tools.length) return false;
    const tool = tools[k % tools.length]!;
    const anchor = rng.pick(this.anchors(a));
    if (!anchor) return false;
    const n = rng.int(1, 3);
    let t = anchor.t + rng.int(20, 90) * 1000;
    const times = [t];
    for (let i = 1; i < n; i++) times.push((t += rng.int(10, 60) * 1000));
    if (!this.free(a, anchor.t, t)) return false;
    const id = this.id('new_tool');
    for (const at of times)
      this.add(a, anchor, at, 'new_tool', id, {
        tool: tool.tool,
        operation: tool.op,
        sensitivity: tool.sens,
        volume: tool.vol,
        amount: tool.amt ? round2(rng.logNormal(tool.amt, 0.3)) : 0,
      });
    a.windows.push([anchor.t, t]);
    return true;
  }

  oddContext(a: AgentTrace, variant: 'network' | 'client' | 'person', rng: Rand): boolean {
    const normal = this.normal(a);
    const hours = new Set(normal.map((r) => r.time.slice(11, 13)));
    const people = new Set(normal.map((r) => r.context.onBehalfOf));
    const unseenHours = Array.from({ length: 24 }, (_, h) => h).filter((h) => !hours.has(String(h).padStart(2, '0')));
    if (variant === 'person' && !unseenHours.length) return false;
    const sensitive = this.anchors(a).filter((r) => RANK[r.sensitivity] >= 1);
    const byThread = new Map<string, Row[]>();
    for (const r of a.rows) {
      const list = byThread.get(r.thread);
      if (list) list.push(r);
      else byThread.set(r.thread, [r]);
    }
    for (let attempt = 0; attempt < 20; attempt++) {
      const anchor = rng.pick(sensitive);
      if (!anchor) return false;
      const thread = byThread.get(anchor.thread)!;
      const i = thread.indexOf(anchor);
      const run = [anchor];
      for (let j = i + 1; j < thread.length && run.length < 5; j++) {
        const next = thread[j]!;
        if (next.label !== 'normal' || next.t - run[run.length - 1]!.t > 600_000) break;
        run.push(next);
      }
      if (run.length < 2) continue;
      const context = { ...anchor.context };
      let start = anchor.t + rng.int(3, 30) * 60_000;
      if (variant === 'network') context.sourceNetwork = rng.pick(PUBLIC_NETS);
      if (variant === 'client') context.userAgent = rng.pick(SCRIPTED);
      if (variant === 'person') {
        const outsider = a.catalogue.outsiders.find((p) => !people.has(p));
        if (!outsider) return false;
        context.onBehalfOf = outsider;
        start = T0 + dayOf(anchor.t) * DAY_MS + rng.pick(unseenHours) * 3_600_000 + rng.int(0, 40) * 60_000;
      }
      const times = [start];
      for (let j = 1; j < run.length; j++) times.push(times[j - 1]! + rng.int(10, 60) * 1000);
      const end = times[times.length - 1]!;
      if (!this.free(a, Math.min(anchor.t, start), end)) continue;
      const id = this.id('odd_context');
      run.forEach((r, j) => this.add(a, r, times[j]!, 'odd_context', id, { context: { ...context } }));
      a.windows.push([Math.min(anchor.t, start), end]);
      return true;
    }
    return false;
  }
}

/** Plants `target` incidents of one kind, going round the agents (the next one when one has no room or fit). */
function round(
  p: Planter,
  kind: string,
  target: number,
  order: AgentTrace[],
  plant: (a: AgentTrace, done: number, rng: Rand) => boolean,
): number {
  let done = 0;
  if (!order.length) return 0;
  for (let k = 0; done < target && k < 10 * target + order.length; k++)
    if (plant(order[k % order.length]!, done, p.rng(kind, k))) done++;
  return done;
}

const VARIANTS = ['network', 'client', 'person'] as const;

/** Plants every kind into the agents' traces (agents in archetype order); returns the planted counts by kind. */
export function plantIncidents(traces: AgentTrace[], seed: number, days: number, counter: { seq: number }) {
  const p = new Planter(seed, days, counter);
  const n = traces.length;
  const perArchetype = Math.max(1, Math.floor(n / 4));
  const rotate = (k: number) => traces.slice(k % n).concat(traces.slice(0, k % n));
  // Interleave the archetypes so that each kind lands on every business.
  const spread = (k: number) => {
    const r = rotate(k);
    return [0, 1, 2, 3].flatMap((role) => r.filter((a) => ['bot', 'assistant', 'team', 'quiet'][role] === a.seat.role));
  };
  return {
    // Drifts first: they relabel ordinary lines, so every later incident sees the final ordinary traffic.
    drift: round(
      p,
      'drift',
      2 * perArchetype,
      spread(0).filter((a) => a.seat.role !== 'quiet'),
      (a, _, r) => p.drift(a, r),
    ),
    burst: round(p, 'burst', n, rotate(1), (a, _, r) => p.burst(a, r)),
    bulk: round(p, 'bulk_volume', 7 * perArchetype, rotate(2), (a, _, r) => p.bulk(a, r)),
    oddMedium: round(p, 'odd_sequence MEDIUM', n + perArchetype, rotate(3), (a, _, r) => p.oddSequence(a, 'MEDIUM', r)),
    oddHigh: round(p, 'odd_sequence HIGH', n + perArchetype, rotate(5).reverse(), (a, _, r) =>
      p.oddSequence(a, 'HIGH', r),
    ),
    newTool: round(p, 'new_tool', n, rotate(6), (a, done, r) => p.newTool(a, done, r)),
    oddContext: round(p, 'odd_context', n, rotate(7), (a, done, r) =>
      p.oddContext(a, VARIANTS[done % VARIANTS.length]!, r),
    ),
  };
}
