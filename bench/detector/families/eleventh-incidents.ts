/**
 * Incidents of the eleventh trace family, planted into the seats' ordinary traffic from day 10 on, one agent and one
 * label per incident, never two incidents of one agent within the same hours. What each looks like in these
 * businesses: a slow creep in a frequent pull ending in one request at ~80× the original size (`drift`, then the
 * jump as `post_drift-<n>`), a scraping burst of one cheap read (`burst`), a sensitive step right after one it never
 * follows — a skipped control, repeated back to back (`odd_sequence`), a tool the seat never had (`new_tool`), an
 * unknown network, a scripted client or an unknown person at an hour the seat never works (`odd_context`), one
 * request inflating items or money 40–200× (`bulk_volume`). All at the agent's ordinary hours unless the kind says
 * otherwise, in the context of the request just before.
 */
import type { TraceLine } from '../generate-traces.js';
import { DAY, HOUR, resourceOf, type Archetype, type Row, type Seat } from './eleventh-model.js';
import { Stream, streamSeed } from './eleventh-rng.js';

export interface AgentTrace {
  arch: Archetype;
  seat: Seat;
  /** The agent's requests in time order (planting keeps them so). */
  rows: Row[];
}

export interface PlantOptions {
  seed: number;
  t0: number;
  days: number;
}

/** Upper median, as the family's test takes it. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const FIRST_DAY = 10;
const SCRIPTED = ['curl/8.5.0', 'curl/7.88.1', 'python-requests/2.31.0', 'python-requests/2.32.3'];
const PUBLIC = ['185.220.101', '45.137.21', '103.75.201', '196.251.80', '91.219.236', '5.181.86', '194.26.29'];
const STRANGERS = ['j.marsh', 'k.volkov', 'ops.temp', 'd.ncube', 'contractor.r.silva', 'l.ferrante', 'helpdesk.ext'];

/** Transitions a seat has made, agent-wide and within one person's thread (`person|from>to`). */
function transitions(rows: Row[]): { agent: Set<string>; thread: Set<string> } {
  const agent = new Set<string>();
  const thread = new Set<string>();
  const last = new Map<string, string>();
  let prev: string | undefined;
  for (const { line } of rows) {
    const who = line.context.onBehalfOf ?? '';
    if (prev !== undefined) agent.add(`${prev}>${line.operation}`);
    const before = last.get(who);
    if (before !== undefined) thread.add(`${who}|${before}>${line.operation}`);
    prev = line.operation;
    last.set(who, line.operation);
  }
  return { agent, thread };
}

export class Planter {
  private readonly counters = new Map<string, number>();
  private readonly busy = new Map<string, Array<[number, number]>>();
  private readonly seen = new Map<string, { agent: Set<string>; thread: Set<string> }>();
  readonly end: number;

  constructor(
    readonly traces: AgentTrace[],
    readonly options: PlantOptions,
  ) {
    this.end = options.t0 + options.days * DAY;
    for (const t of traces) this.seen.set(t.seat.agent, transitions(t.rows));
  }

  rng(...parts: Array<string | number>): Stream {
    return new Stream(streamSeed(this.options.seed, 'eleventh', 'incident', ...parts));
  }

  nextId(kind: string): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${kind}-${n}`;
  }

  count(kind: string): number {
    return this.counters.get(kind) ?? 0;
  }

  free(t: AgentTrace, from: number, to: number): boolean {
    return (this.busy.get(t.seat.agent) ?? []).every(([a, b]) => to < a || from > b);
  }

  reserve(t: AgentTrace, from: number, to: number): void {
    this.busy.set(t.seat.agent, [...(this.busy.get(t.seat.agent) ?? []), [from - 2 * HOUR, to + 2 * HOUR]]);
  }

  normal(t: AgentTrace, op?: string): Row[] {
    return t.rows.filter((r) => r.line.label === 'normal' && (op === undefined || r.line.operation === op));
  }

  uses(t: AgentTrace): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.normal(t)) m.set(r.line.operation, (m.get(r.line.operation) ?? 0) + 1);
    return m;
  }

  /** Ordinary rows from day 10 on, with room for an incident after them before the end. */
  anchors(t: AgentTrace, keep: (r: Row, i: number) => boolean = () => true): Row[] {
    const from = this.options.t0 + FIRST_DAY * DAY;
    return t.rows.filter((r, i) => r.line.label === 'normal' && r.ms >= from && r.ms < this.end - HOUR && keep(r, i));
  }

  insert(t: AgentTrace, rows: Row[]): void {
    t.rows.push(...rows);
    t.rows.sort((a, b) => a.ms - b.ms);
  }

  line(ms: number, base: TraceLine, patch: Partial<TraceLine>): Row {
    return { ms, line: { ...base, context: { ...base.context }, time: new Date(ms).toISOString(), ...patch } };
  }

  /** An ordinary volume and amount (copied from one of the agent's requests of the operation). */
  ordinary(same: Row[], rng: Stream): { volume: number; amount: number } {
    const r = rng.pick(same);
    return { volume: r.line.volume, amount: r.line.amount };
  }

  // ---------------------------------------------------------------------------------------------- drift

  drift(t: AgentTrace, rng: Stream): boolean {
    const { t0, days } = this.options;
    if (days < FIRST_DAY + 12) return false;
    const uses = this.uses(t);
    const activeDays = new Set(this.normal(t).map((r) => Math.floor((r.ms - t0) / DAY))).size || 1;
    const ops = t.arch.incidents.drift.filter((op) => (uses.get(op) ?? 0) / activeDays >= 3);
    for (const op of rng.shuffle(ops)) {
      const rows = this.normal(t, op);
      const usual = median(rows.filter((r) => r.ms < t0 + FIRST_DAY * DAY).map((r) => r.line.volume));
      if (usual < 3) continue;
      for (let attempt = 0; attempt < 6; attempt++) {
        const from = t0 + rng.int(FIRST_DAY, days - 12) * DAY + rng.uniform(6, 14) * HOUR;
        const first = rows.find((r) => r.ms >= from);
        if (!first) continue;
        const to = first.ms + rng.int(5, 8) * DAY;
        const ramp = rows.filter((r) => r.ms >= first.ms && r.ms <= to);
        const jump = rows.find((r) => r.ms > to);
        const after = jump ? rows.filter((r) => r.ms > jump.ms) : [];
        if (!jump || ramp.length < 12 || after.length < 20 || ramp.at(-1)!.ms - first.ms < 4 * DAY) continue;
        if (median(after.map((r) => r.line.volume)) / usual > 1.3) continue;
        if (!this.free(t, first.ms, jump.ms)) continue;
        const id = this.nextId('drift');
        const top = rng.uniform(26, 36);
        for (const r of ramp) {
          const frac = (r.ms - first.ms) / (to - first.ms);
          const factor = 2 * (top / 2) ** frac * rng.logNormal(1, 0.1);
          r.line.volume = Math.max(1, Math.round(r.line.volume * factor));
          r.line.label = 'drift';
          r.line.incident = id;
        }
        jump.line.volume = Math.round(usual * 80 * rng.uniform(0.96, 1.04));
        jump.line.label = 'bulk_volume';
        jump.line.incident = id.replace('drift', 'post_drift');
        this.reserve(t, first.ms, jump.ms);
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------- burst

  burst(t: AgentTrace, rng: Stream): boolean {
    const uses = this.uses(t);
    const ops = t.arch.incidents.burst.filter(
      (op) => (uses.get(op) ?? 0) >= 8 && ['LOW', 'MEDIUM'].includes(t.arch.catalog[op]!.sens),
    );
    if (!ops.length) return false;
    const op = rng.pick(ops);
    const same = this.normal(t, op);
    const anchors = this.anchors(t);
    for (let attempt = 0; attempt < 30 && anchors.length; attempt++) {
      const anchor = rng.pick(anchors);
      const start = anchor.ms + rng.uniform(20_000, 90_000);
      const span = rng.uniform(4, 12) * 60_000;
      if (start + span >= this.end || !this.free(t, start, start + span)) continue;
      const n = rng.int(180, 480);
      const offsets = Array.from({ length: n }, () => rng.uniform(0, span)).sort((a, b) => a - b);
      offsets[0] = 0;
      const id = this.nextId('burst');
      const rows = offsets.map((o) =>
        this.line(Math.round(start + o), same[0]!.line, {
          ...this.ordinary(same, rng),
          context: { ...anchor.line.context },
          label: 'burst',
          incident: id,
        }),
      );
      this.insert(t, rows);
      this.reserve(t, start, start + span);
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------- odd sequence

  oddSequence(t: AgentTrace, sens: 'MEDIUM' | 'HIGH', rng: Stream): boolean {
    const seen = this.seen.get(t.seat.agent)!;
    const selfSeen = (op: string) =>
      seen.agent.has(`${op}>${op}`) || [...seen.thread].some((k) => k.endsWith(`|${op}>${op}`));
    const uses = this.uses(t);
    const targets = [...uses]
      .filter(([op, n]) => n >= 10 && t.arch.catalog[op]!.sens === sens && !selfSeen(op))
      .map(([op]) => op);
    if (!targets.length) return false;
    const curated = rng.shuffle(t.arch.incidents.oddPairs.filter(([p, o]) => targets.includes(o) && uses.has(p)));
    const generic = rng.shuffle(
      [...uses.keys()].flatMap((p) => targets.filter((o) => o !== p).map((o) => [p, o] as [string, string])),
    );
    // A shared seat interleaves its people: new for the whole seat first, else new for the person only.
    const passes = t.seat.people.length > 1 ? [true, false] : [true];
    const tries = passes.flatMap((agentWide) => [...curated, ...generic].map((pair) => [...pair, agentWide] as const));
    for (const [prev, op, agentWide] of tries) {
      if (agentWide && seen.agent.has(`${prev}>${op}`)) continue;
      const anchors = this.anchors(t, (r, i) => {
        const next = t.rows[i + 1];
        const who = r.line.context.onBehalfOf ?? '';
        return (
          r.line.operation === prev &&
          !seen.thread.has(`${who}|${prev}>${op}`) &&
          (!next || next.ms - r.ms > 150_000) &&
          this.free(t, r.ms, r.ms + 120_000)
        );
      });
      if (!anchors.length) continue;
      const anchor = rng.pick(anchors);
      const same = this.normal(t, op);
      const id = this.nextId('odd_sequence');
      let ms = anchor.ms + rng.uniform(6_000, 30_000);
      const rows: Row[] = [];
      for (let n = rng.int(2, 3); n > 0; n--) {
        rows.push(
          this.line(Math.round(ms), same[0]!.line, {
            ...this.ordinary(same, rng),
            context: { ...anchor.line.context },
            label: 'odd_sequence',
            incident: id,
          }),
        );
        ms += rng.uniform(8_000, 40_000);
      }
      this.insert(t, rows);
      this.reserve(t, anchor.ms, ms);
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------- new tool

  newTool(t: AgentTrace, which: number, rng: Stream): boolean {
    const tools = new Set(t.rows.map((r) => r.line.tool));
    const foreign = t.arch.incidents.foreignTools.filter((f) => !tools.has(f.tool));
    if (!foreign.length) return false;
    const f = foreign[which % foreign.length]!;
    const anchors = this.anchors(t);
    for (let attempt = 0; attempt < 30 && anchors.length; attempt++) {
      const anchor = rng.pick(anchors);
      let ms = anchor.ms + rng.uniform(30_000, 120_000);
      if (!this.free(t, anchor.ms, ms + 5 * 60_000)) continue;
      const id = this.nextId('new_tool');
      const rows: Row[] = [];
      for (let n = rng.int(1, 3); n > 0; n--) {
        rows.push(
          this.line(Math.round(ms), anchor.line, {
            tool: f.tool,
            toolResource: resourceOf(t.arch, f.tool),
            operation: f.op,
            sensitivity: f.sens,
            volume: Math.max(1, Math.round(rng.logNormal(f.vol, 0.2))),
            amount: f.amount ? Math.round(rng.logNormal(f.amount, 0.3) * 100) / 100 : 0,
            label: 'new_tool',
            incident: id,
          }),
        );
        ms += rng.uniform(20_000, 90_000);
      }
      this.insert(t, rows);
      this.reserve(t, anchor.ms, ms);
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------- odd context

  /** Hours (UTC) the agent has never worked, and the people it has acted for. */
  private habits(t: AgentTrace): { hours: Set<string>; people: Set<string | undefined> } {
    const normal = this.normal(t);
    return {
      hours: new Set(normal.map((r) => r.line.time.slice(11, 13))),
      people: new Set(normal.map((r) => r.line.context.onBehalfOf)),
    };
  }

  oddContext(t: AgentTrace, variant: 'network' | 'client' | 'person', rng: Stream): boolean {
    const uses = this.uses(t);
    let ops = t.arch.incidents.context.filter((op) => (uses.get(op) ?? 0) >= 5);
    if (!ops.length) ops = [...uses].sort((a, b) => b[1] - a[1]).map(([op]) => op);
    const n = rng.int(2, 5);
    let start: number;
    let context: Record<string, string>;
    if (variant === 'person') {
      const { hours, people } = this.habits(t);
      const odd = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')).filter((h) => !hours.has(h));
      if (!odd.length) return false;
      const { t0, days } = this.options;
      start = t0 + rng.int(FIRST_DAY, days - 1) * DAY + Number(rng.pick(odd)) * HOUR + rng.uniform(0, 40) * 60_000;
      const before = t.rows.filter((r) => r.ms < start && r.line.label === 'normal').at(-1);
      if (!before || !this.free(t, start, start + 10 * 60_000)) return false;
      let person = `${rng.pick(STRANGERS)}@${t.arch.domain}`;
      if (people.has(person)) person = `${rng.pick(STRANGERS)}.${rng.int(2, 99)}@mail.example.net`;
      const { sourceNetwork, userAgent } = before.line.context;
      context = { sourceNetwork: sourceNetwork!, onBehalfOf: person, userAgent: userAgent! };
    } else {
      const anchors = this.anchors(t);
      if (!anchors.length) return false;
      const anchor = rng.pick(anchors);
      start = anchor.ms + rng.uniform(60_000, 300_000);
      if (!this.free(t, anchor.ms, start + 10 * 60_000)) return false;
      context = { ...anchor.line.context };
      if (variant === 'network') context.sourceNetwork = `${rng.pick(PUBLIC)}.0/24`;
      else context.userAgent = rng.pick(SCRIPTED);
    }
    const id = this.nextId('odd_context');
    const rows: Row[] = [];
    let ms = start;
    for (let i = 0; i < n; i++) {
      const same = this.normal(t, rng.pick(ops));
      rows.push(
        this.line(Math.round(ms), same[0]!.line, {
          ...this.ordinary(same, rng),
          context,
          label: 'odd_context',
          incident: id,
        }),
      );
      ms += rng.uniform(20_000, 90_000);
    }
    for (const r of rows) r.line.context = { ...context };
    this.insert(t, rows);
    this.reserve(t, start, ms);
    return true;
  }

  // ---------------------------------------------------------------------------------------------- bulk

  bulk(t: AgentTrace, rng: Stream): boolean {
    const uses = this.uses(t);
    let ops = t.arch.incidents.bulk.filter((op) => (uses.get(op) ?? 0) >= 8);
    if (!ops.length) ops = [...uses].filter(([op, n]) => n >= 8 && t.arch.catalog[op]!.sens !== 'LOW').map(([o]) => o);
    if (!ops.length) return false;
    const op = rng.pick(ops);
    const same = this.normal(t, op);
    const usualVolume = Math.max(1, median(same.map((r) => r.line.volume)));
    const usualAmount = median(same.map((r) => r.line.amount));
    const anchors = this.anchors(t, (r) => r.line.operation === op);
    for (let attempt = 0; attempt < 30 && anchors.length; attempt++) {
      const anchor = rng.pick(anchors);
      const ms = Math.round(anchor.ms + rng.uniform(20_000, 240_000));
      if (ms >= this.end || !this.free(t, anchor.ms, ms)) continue;
      const factor = rng.uniform(40, 200);
      let { volume, amount } = this.ordinary(same, rng);
      if (usualAmount > 0 && rng.chance(0.6)) amount = Math.round(usualAmount * factor * 100) / 100;
      else volume = Math.round(usualVolume * factor);
      const ratio = Math.max(volume / usualVolume, amount > 0 ? amount / usualAmount : 0);
      if (ratio < 35 || ratio > 250) continue;
      const incident = this.nextId('bulk_volume');
      this.insert(t, [this.line(ms, anchor.line, { volume, amount, label: 'bulk_volume', incident })]);
      this.reserve(t, anchor.ms, ms);
      return true;
    }
    return false;
  }
}
