/**
 * Incidents of the thirteenth family, planted into each seat's ordinary traffic from day 10 on, in the terms of its
 * business (the seat's hints): a slow drift of one frequent operation's volume ending in a jump to ~80× (`drift-<n>`,
 * the jump `post_drift-<n>`, labelled bulk_volume), bulk requests at 30–300× the operation's usual items or money, a
 * known sensitive operation right after a step it never follows, repeated back to back (once on a MEDIUM, once on a
 * HIGH operation), a burst of one routine lookup far above the seat's pace, a tool nobody uses, and an ordinary
 * procedure from a never-seen network, client or person (the person at an hour the seat never works). Each incident
 * has one agent and one label, sits at an ordinary moment of the seat's day (an anchor request), and stays clear of
 * the seat's other incidents.
 */
import type { Sensitivity } from '../../../risk/types.js';
import type { Label, TraceLine } from '../generate-traces.js';
import { DAY, HOUR, type Line, resourceOf, round2, type SeatSpec, T0 } from './thirteenth-model.js';
import { type Stream, streamOf } from './thirteenth-rng.js';

export interface AgentTrace {
  spec: SeatSpec;
  /** Position of the seat within its archetype (0-based). */
  index: number;
  /** Its requests in time order (labels changed in place by drifts). */
  lines: Line[];
}

const FIRST_DAY = 10;
const MINUTE = 60_000;
const CLEAR = 30 * MINUTE;
const dayOf = (ms: number) => Math.floor((ms - T0) / DAY);
const threadOf = (l: Line) => l.trace.context.onBehalfOf ?? '';
const normal = (l: Line) => l.trace.label === 'normal';
/** The median as the family tests take it (the upper one). */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** What a seat's ordinary traffic shows: transitions, uses and hours, plus the room its incidents take. */
class Seat {
  readonly seen = new Set<string>();
  readonly uses = new Map<string, Line[]>();
  readonly next = new Map<Line, Line>();
  readonly hours = new Set<number>();
  readonly busy: Array<[number, number]> = [];
  readonly usedDays = new Set<number>();
  readonly planted = new Set<string>();

  constructor(readonly a: AgentTrace) {
    const last = new Map<string, Line>();
    for (const l of a.lines) {
      const prev = last.get(threadOf(l));
      if (prev) {
        this.next.set(prev, l);
        if (normal(prev) && normal(l)) this.seen.add(`${threadOf(l)}|${prev.trace.operation}>${l.trace.operation}`);
      }
      last.set(threadOf(l), l);
      if (!normal(l)) continue;
      this.uses.set(l.trace.operation, [...(this.uses.get(l.trace.operation) ?? []), l]);
      this.hours.add(new Date(l.ms).getUTCHours());
    }
  }

  count(op: string): number {
    return this.uses.get(op)?.length ?? 0;
  }

  sensitivity(op: string): Sensitivity | undefined {
    return this.uses.get(op)?.[0]?.trace.sensitivity;
  }

  free(from: number, to: number): boolean {
    return this.busy.every(([a, b]) => to + CLEAR < a || from - CLEAR > b);
  }

  reserve(from: number, to: number): void {
    this.busy.push([from, to]);
    this.usedDays.add(dayOf(from));
  }

  /** An ordinary request from day 10 on that passes `ok`, on a day with no other incident if possible. */
  anchor(rng: Stream, days: number, span: number, ok: (l: Line) => boolean): Line | null {
    const fits = this.a.lines.filter(
      (l) =>
        normal(l) && dayOf(l.ms) >= FIRST_DAY && dayOf(l.ms + span) < days && ok(l) && this.free(l.ms, l.ms + span),
    );
    const fresh = fits.filter((l) => !this.usedDays.has(dayOf(l.ms)));
    const pool = fresh.length ? fresh : fits;
    return pool.length ? rng.pick(pool) : null;
  }
}

class Planter {
  private readonly counters = new Map<string, number>();
  readonly added: Line[] = [];
  /** Ordinary steps an odd sequence cut short (the rest of the procedure it skipped). */
  readonly skipped = new Set<Line>();

  constructor(
    readonly seed: number,
    readonly days: number,
  ) {}

  id(kind: string): number {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return n;
  }

  add(base: TraceLine, ms: number, label: Label, incident: string, change: Partial<TraceLine> = {}): Line {
    const line = {
      ms,
      trace: { ...base, context: { ...base.context }, ...change, time: new Date(ms).toISOString(), label, incident },
    };
    this.added.push(line);
    return line;
  }
}

function plantDrift(p: Planter, a: AgentTrace, rng: Stream): Array<[number, number]> {
  const op = a.spec.hints.drift;
  if (!op) return [];
  const same = a.lines.filter((l) => normal(l) && l.trace.operation === op);
  const early = same.filter((l) => dayOf(l.ms) < FIRST_DAY).map((l) => l.trace.volume);
  const length = rng.int(6, 8);
  const lastStart = p.days - length - 5;
  if (!early.length || lastStart < FIRST_DAY + 1) return [];
  const from = rng.int(FIRST_DAY + 1, lastStart);
  const window = same.filter((l) => dayOf(l.ms) >= from && dayOf(l.ms) < from + length);
  const jump = same.find((l) => dayOf(l.ms) >= from + length);
  if (window.length < 6 || !jump || same.length - window.length - 1 < 3.2 * p.days) return [];
  const usual = median(early);
  const n = p.id('drift');
  const [t0, t1] = [window[0]!.ms, window[window.length - 1]!.ms];
  for (const l of window) {
    const frac = (l.ms - t0) / (t1 - t0);
    const level = Math.exp(Math.log(1.6) + (Math.log(40) - Math.log(1.6)) * frac) * rng.around(1, 0.12);
    Object.assign(l.trace, { volume: Math.max(1, Math.round(usual * level)), label: 'drift', incident: `drift-${n}` });
  }
  Object.assign(jump.trace, {
    volume: Math.round(usual * rng.uniform(77, 83)),
    label: 'bulk_volume',
    incident: `post_drift-${n}`,
  });
  return [[t0, jump.ms]];
}

function plantBulk(p: Planter, s: Seat, rng: Stream, which: number): void {
  const { hints } = s.a.spec;
  const hinted = hints.bulk.filter((op) => s.count(op) >= 10);
  const ops = hinted.length ? hinted : [...s.uses.keys()].filter((op) => s.count(op) >= 10);
  const op = ops[which % ops.length]!;
  const anchor = s.anchor(rng, p.days, MINUTE, (l) => l.trace.operation === op);
  if (!anchor) return;
  const same = s.uses.get(op)!;
  const factor = rng.logUniform(40, 200);
  const usualAmount = median(same.map((l) => l.trace.amount));
  const change =
    usualAmount > 0
      ? { amount: round2(usualAmount * factor), volume: anchor.trace.volume }
      : { volume: Math.round(Math.max(1, median(same.map((l) => l.trace.volume))) * factor), amount: 0 };
  const ms = anchor.ms + rng.int(5_000, 40_000);
  p.add(anchor.trace, ms, 'bulk_volume', `bulk_volume-${p.id('bulk_volume')}`, change);
  s.reserve(anchor.ms, ms);
}

function plantOddSequence(p: Planter, s: Seat, rng: Stream, level: Sensitivity): void {
  const known = (op: string) => s.sensitivity(op) === level && s.count(op) >= 8;
  const pairs = s.a.spec.hints.odd.filter(([from, to]) => known(to) && s.count(from) > 0);
  const ops = [...s.uses.keys()];
  const rank: Record<Sensitivity, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };
  const generic = ops
    .flatMap((from) => ops.filter((to) => to !== from && known(to)).map((to): [string, string] => [from, to]))
    .sort((x, y) => rank[s.sensitivity(x[0])!] - rank[s.sensitivity(y[0])!]);
  for (const [from, to] of [...pairs, ...generic]) {
    if (s.planted.has(`${from}>${to}`)) continue;
    const unseen = (l: Line) =>
      !s.seen.has(`${threadOf(l)}|${from}>${to}`) && !s.seen.has(`${threadOf(l)}|${to}>${to}`);
    // The steps that would have followed in the same procedure are skipped: the odd step comes right after `from`.
    const rest = (l: Line) => {
      const out: Line[] = [];
      for (let x = s.next.get(l), prev = l; x && x.ms - prev.ms < 5 * MINUTE; prev = x, x = s.next.get(x)) out.push(x);
      return out;
    };
    const anchor = s.anchor(
      rng,
      p.days,
      3 * MINUTE,
      (l) => l.trace.operation === from && unseen(l) && rest(l).every(normal),
    );
    if (!anchor) continue;
    const like = s.uses.get(to)!;
    const id = `odd_sequence-${p.id('odd_sequence')}`;
    let ms = anchor.ms + rng.int(15_000, 45_000);
    for (let i = rng.int(2, 3); i > 0; i--) {
      const model = rng.pick(like).trace;
      p.add(anchor.trace, ms, 'odd_sequence', id, {
        tool: model.tool,
        toolResource: model.toolResource,
        operation: to,
        sensitivity: level,
        volume: model.volume,
        amount: model.amount,
      });
      ms += rng.int(10_000, 30_000);
    }
    for (const l of rest(anchor)) p.skipped.add(l);
    s.planted.add(`${from}>${to}`);
    s.reserve(anchor.ms, ms);
    return;
  }
}

function plantBurst(p: Planter, s: Seat, rng: Stream): void {
  const ok = (op: string) => s.count(op) >= 8 && ['LOW', 'MEDIUM'].includes(s.sensitivity(op)!);
  const op = s.a.spec.hints.burst.find(ok) ?? [...s.uses.keys()].find(ok);
  if (!op) return;
  const count = rng.int(180, 450);
  const span = rng.uniform(4, 11) * MINUTE;
  const anchor = s.anchor(rng, p.days, span + MINUTE, (l) => l.trace.operation === op);
  if (!anchor) return;
  const id = `burst-${p.id('burst')}`;
  const start = anchor.ms + rng.int(10_000, 30_000);
  const step = span / count;
  const like = s.uses.get(op)!;
  for (let i = 0; i < count; i++) {
    const ms = Math.round(start + i * step + rng.uniform(0, 0.8 * step));
    p.add(anchor.trace, ms, 'burst', id, { volume: rng.pick(like).trace.volume });
  }
  s.reserve(anchor.ms, start + span);
}

function plantNewTool(p: Planter, s: Seat, rng: Stream): void {
  const { spec, index } = s.a;
  const tool = spec.hints.newTools[index % spec.hints.newTools.length]!;
  const anchor = s.anchor(rng, p.days, 5 * MINUTE, () => true);
  if (!anchor) return;
  const id = `new_tool-${p.id('new_tool')}`;
  let ms = anchor.ms + rng.int(20_000, 90_000);
  for (let i = rng.int(1, 3); i > 0; i--) {
    p.add(anchor.trace, ms, 'new_tool', id, {
      tool: tool.tool,
      toolResource: resourceOf(spec, tool.tool),
      operation: tool.op,
      sensitivity: tool.s,
      volume: rng.int(1, 3),
      amount: 0,
    });
    ms += rng.int(10_000, 60_000);
  }
  s.reserve(anchor.ms, ms);
}

/** An ordinary procedure (the anchor and what follows it in its thread) from a new network, client or person. */
function plantOddContext(p: Planter, s: Seat, rng: Stream): void {
  const { hints } = s.a.spec;
  const session = (l: Line) => {
    const out = [l];
    let x = s.next.get(l);
    while (x && normal(x) && x.ms - out[out.length - 1]!.ms < 10 * MINUTE && out.length < 5) {
      out.push(x);
      x = s.next.get(x);
    }
    return out;
  };
  const long = (l: Line) => session(l).length >= 2;
  const risky = (l: Line) => long(l) && session(l).some((x) => ['HIGH', 'CRITICAL'].includes(x.trace.sensitivity));
  const anchor = s.anchor(rng, p.days - 1, 2 * HOUR, risky) ?? s.anchor(rng, p.days - 1, 2 * HOUR, long);
  if (!anchor) return;
  const lines = session(anchor);
  const { sourceNetwork, onBehalfOf, userAgent } = anchor.trace.context;
  const midnight = T0 + dayOf(anchor.ms) * DAY;
  // A stranger works at an hour the seat never works, clear of its other incidents.
  const odd = Array.from({ length: 24 }, (_, h) => h).filter(
    (h) => !s.hours.has(h) && s.free(midnight + h * HOUR, midnight + (h + 1) * HOUR),
  );
  const variant = hints.context === 'person' && !odd.length ? 'network' : hints.context;
  let ms = anchor.ms + rng.int(25 * MINUTE, 55 * MINUTE);
  const context: Record<string, string> = { sourceNetwork: sourceNetwork! };
  if (onBehalfOf !== undefined) context.onBehalfOf = onBehalfOf;
  context.userAgent = userAgent!;
  if (variant === 'network') context.sourceNetwork = hints.publicNetwork;
  if (variant === 'client') context.userAgent = hints.script;
  if (variant === 'person') {
    Object.assign(context, { sourceNetwork, onBehalfOf: hints.stranger, userAgent });
    ms = midnight + rng.pick(odd) * HOUR + rng.int(60_000, 45 * MINUTE);
  }
  const id = `odd_context-${p.id('odd_context')}`;
  const first = ms;
  lines.forEach((l, i) => {
    if (i > 0) ms += Math.min(l.ms - lines[i - 1]!.ms, 90_000) + rng.int(0, 999);
    p.add(l.trace, ms, 'odd_context', id, { context: { ...context } });
  });
  s.reserve(Math.min(anchor.ms, first), Math.max(ms, anchor.ms + 2 * HOUR));
}

/**
 * Plants every seat's incidents; returns the added lines. Drift lines and jumps are relabelled in place, and the steps
 * an odd sequence skipped are dropped from the seat's lines.
 */
export function plantIncidents(agents: AgentTrace[], seed: number, days: number): Line[] {
  const p = new Planter(seed, days);
  if (days <= FIRST_DAY + 1) return [];
  const drifts = agents.map((a) => plantDrift(p, a, streamOf(seed, 'drift', a.spec.agent)));
  agents.forEach((a, i) => {
    const s = new Seat(a);
    for (const [from, to] of drifts[i]!) {
      s.busy.push([from, to]);
      for (let d = dayOf(from); d <= dayOf(to); d++) s.usedDays.add(d);
    }
    const rng = streamOf(seed, 'incidents', a.spec.agent);
    const extra = a.spec.role === 'team' ? 1 : 0;
    for (let k = 0; k <= extra; k++) {
      plantOddSequence(p, s, rng, 'MEDIUM');
      plantOddSequence(p, s, rng, 'HIGH');
    }
    plantBulk(p, s, rng, 0);
    plantBulk(p, s, rng, 1);
    plantBurst(p, s, rng);
    plantNewTool(p, s, rng);
    plantOddContext(p, s, rng);
  });
  for (const a of agents) a.lines = a.lines.filter((l) => !p.skipped.has(l));
  return p.added;
}
