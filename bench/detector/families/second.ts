/**
 * The second trace family, written independently of `generate-traces.ts` (which it must not share code or
 * archetypes with) so the detector can be measured on traffic it was not tuned on. Same trace format.
 *
 * Agents run fixed business procedures (not Markov chains), one at a time (sessions never overlap), in their
 * own time zone, on a smooth diurnal curve times a weekday profile. IT-ops and research agents carry no
 * delegating person (no thread key). Slow legitimate change: volumes grow ~0.3–0.8 % a day, a new procedure
 * is adopted gradually, the client software is upgraded once. Incidents start on day 10 or later.
 *
 *   tsx bench/detector/families/second.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Label, TraceLine } from '../generate-traces.js';
import { ROLES, SECOND_ARCHETYPES, type Op } from './second-roles.js';

/** sfc32 seeded through a string hash: one independent stream per (seed, agent, purpose). */
class Dice {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(...parts: Array<string | number>) {
    let h = 0x811c9dc5;
    for (const ch of parts.join('|')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    this.a = h;
    this.b = h ^ 0xdeadbeef;
    this.c = Math.imul(h, 0x85ebca6b) >>> 0;
    this.d = 1;
    for (let i = 0; i < 12; i++) this.roll();
  }
  roll(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.roll();
  }
  whole(lo: number, hi: number): number {
    return lo + Math.floor(this.roll() * (hi - lo + 1));
  }
  odds(p: number): boolean {
    return this.roll() < p;
  }
  one<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.roll() * xs.length) % xs.length]!;
  }
  /** Log-normal around `median` (Box–Muller). */
  around(median: number, spread: number): number {
    const z = Math.sqrt(-2 * Math.log(1 - this.roll())) * Math.cos(2 * Math.PI * this.roll());
    return median * Math.exp(spread * z);
  }
  /** Poisson by counting exponential arrivals (rates here are small). */
  arrivals(rate: number): number {
    let n = 0;
    for (let s = -Math.log(1 - this.roll()); s < rate; s -= Math.log(1 - this.roll())) n++;
    return n;
  }
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TIME_ZONES = [-300, 0, 60, 330]; // minutes east of UTC
const OUTSIDE_NETWORKS = ['185.220.101.0/24', '45.155.205.0/24', '3.120.0.0/14', '104.244.72.0/24'];

export interface SecondOptions {
  seed?: number;
  agentsPerArchetype?: number;
  days?: number;
  /** First day (UTC midnight). Default Tuesday 2025-09-02. */
  start?: string;
}

interface Draft {
  at: number;
  key: string;
  op: Op;
  volume: number;
  amount: number;
  context: Record<string, string>;
  label: Label;
  incident: string | null;
}

function agentLife(role: string, index: number, o: Required<SecondOptions>, nextId: (k: string) => string): Draft[] {
  const R = ROLES[role]!;
  const dice = new Dice(o.seed, role, index);
  const start = Date.parse(o.start);
  const tz = TIME_ZONES[(index + role.length) % TIME_ZONES.length]! * MIN;
  const network = `10.${40 + index}.${SECOND_ARCHETYPES.indexOf(role) * 8 + 1}.0/24`;
  const upgradeDay = dice.whole(5, o.days - 5);
  const growth = dice.between(0.003, 0.008);
  const people = Array.from({ length: 6 }, (_, i) => `${role}.${index}.${i}@corp.example`);
  const drifting = index % 2 === 0 && o.days >= 30;
  const driftFrom = 11 + dice.whole(0, 3);
  const driftTo = Math.min(o.days - 4, driftFrom + 26);
  const driftId = drifting ? nextId('drift') : '';
  const postDriftId = drifting ? nextId('post_drift_bulk') : '';
  const out: Draft[] = [];

  const localHour = (t: number) => Math.floor(((t + tz) % DAY) / HOUR);
  const dayOf = (t: number) => Math.floor((t - start) / DAY);
  const contextAt = (t: number): Record<string, string> => {
    const c: Record<string, string> = {
      sourceNetwork: network,
      userAgent: dayOf(t) < upgradeDay ? `${role}-agent/1.4` : `${role}-agent/1.5`,
    };
    // New colleagues start delegating over time: person i from day 6·i.
    if (R.threadKey) c.onBehalfOf = dice.one(people.slice(0, 2 + Math.min(4, Math.floor(dayOf(t) / 6))));
    return c;
  };
  const step = (
    t: number,
    key: string,
    context: Record<string, string>,
    label: Label = 'normal',
    id = null as string | null,
  ): Draft => {
    const op = R.ops[key]!;
    const grow = Math.pow(1 + growth, dayOf(t));
    const spike = dice.odds(0.004) ? dice.between(2, 4) : 1;
    return {
      at: Math.round(t),
      key,
      op,
      volume: Math.max(1, Math.round(dice.around(op.volume * grow, op.volume > 1 ? 0.5 : 0.05) * spike)),
      amount: op.money ? Math.round(dice.around(op.money, 0.35) * spike * 100) / 100 : 0,
      context: { ...context },
      label,
      incident: id,
    };
  };
  const pickProcedure = (day: number) => {
    const choices = R.procedures.map((p) => {
      const w =
        p.adoptedFrom === undefined ? p.weight : p.weight * Math.min(1, Math.max(0, (day - p.adoptedFrom) / 20));
      return [p, w] as const;
    });
    let r = dice.roll() * choices.reduce((s, [, w]) => s + w, 0);
    for (const [p, w] of choices) if ((r -= w) <= 0) return p;
    return R.procedures[0]!;
  };
  const lowOps = Object.keys(R.ops).filter((k) => R.ops[k]!.sensitivity === 'LOW');
  /** Runs one procedure from `t`; returns the drafts (gaps of ~20 s to a few minutes). */
  const session = (t: number, context: Record<string, string>, label: Label = 'normal', id: string | null = null) => {
    const p = pickProcedure(dayOf(t));
    const lines: Draft[] = [];
    for (const s of p.steps) {
      if (s.endsWith('?') && dice.odds(1 / 3)) continue;
      // Now and then a LOW step off the procedure (a look-up).
      if (dice.odds(0.01)) {
        lines.push(step(t, dice.one(lowOps), context, label, id));
        t += dice.around(40_000, 0.6);
      }
      lines.push(step(t, s.replace('?', ''), context, label, id));
      t += dice.around(45_000, 0.8);
    }
    return { lines, end: t };
  };

  // Incident slots: distinct days ≥ 10, at a busy local hour.
  const used = new Set<number>();
  const busyTime = () => {
    let d = dice.whole(10, o.days - 2);
    // A short trace has fewer working days than incidents: after enough tries a day is shared.
    for (let tries = 0; tries < 200; tries++) {
      if (!used.has(d) && (R.weekly[(new Date(start + d * DAY).getUTCDay() + 6) % 7] ?? 0) >= 0.5) break;
      d = dice.whole(10, o.days - 2);
    }
    used.add(d);
    const peakLocal = [10, 11, 14, 15][dice.whole(0, 3)]!;
    return start + d * DAY + ((peakLocal * HOUR - tz + DAY) % DAY) + dice.between(0, 40) * MIN;
  };
  const incidents: Array<[number, (t: number) => Draft[]]> = [];
  const at = (make: (t: number) => Draft[]) => incidents.push([busyTime(), make]);

  at((t) => {
    const id = nextId('bulk_volume');
    return [
      {
        ...step(t, R.bulkOp, contextAt(t), 'bulk_volume', id),
        volume: Math.round(R.ops[R.bulkOp]!.volume * dice.between(150, 4000)),
      },
    ];
  });
  at((t) => {
    const id = nextId('new_tool');
    const ctx = contextAt(t);
    const first = session(t, ctx).lines.slice(0, 1);
    const strange = (k: number): Draft => ({
      at: Math.round(t + (k + 1) * dice.between(20_000, 80_000)),
      key: R.stranger.key,
      op: R.stranger.op,
      volume: R.stranger.op.volume,
      amount: R.stranger.op.money ? Math.round(dice.around(R.stranger.op.money, 0.3) * 100) / 100 : 0,
      context: { ...ctx },
      label: 'new_tool',
      incident: id,
    });
    return [...first, ...Array.from({ length: dice.whole(1, 2) }, (_, k) => strange(k))];
  });
  for (const level of ['MEDIUM', 'HIGH'] as const) {
    at((t) => {
      const id = nextId(`odd_sequence_${level.toLowerCase()}`);
      const [a, x] = R.oddSteps[level];
      const ctx = contextAt(t);
      // The normal procedure that ends in A, then the never-seen X after it, twice in a row.
      const p = R.procedures.find((q) => q.steps.includes(a))!;
      const lines: Draft[] = [];
      for (const s of p.steps.slice(0, p.steps.indexOf(a) + 1)) {
        if (s.endsWith('?')) continue;
        lines.push(step(t, s, ctx));
        t += dice.around(45_000, 0.5);
      }
      lines.push(step(t, x, ctx, 'odd_sequence', id));
      lines.push(step(t + dice.between(10_000, 60_000), x, ctx, 'odd_sequence', id));
      return lines;
    });
  }
  at((t) => {
    const id = nextId('burst');
    const n = dice.whole(200, 500);
    const span = dice.between(4, 12) * MIN;
    const ctx = contextAt(t);
    return Array.from({ length: n }, (_, k) => step(t + (span * k) / n, R.burstOp, ctx, 'burst', id));
  });
  at((t) => {
    const id = nextId('odd_context');
    const ctx = contextAt(t);
    const variant = (index + SECOND_ARCHETYPES.indexOf(role)) % 3;
    if (variant !== 2 || !R.threadKey) ctx.sourceNetwork = dice.one(OUTSIDE_NETWORKS);
    if (variant === 1) ctx.userAgent = 'curl/8.5.0';
    if (variant === 2 && R.threadKey) {
      // An outsider, at 03:00 local time.
      ctx.onBehalfOf = `temp-${dice.whole(100, 999)}@freemail.example`;
      t = t - (((t + tz) % DAY) - 3 * HOUR);
    }
    return session(t, ctx, 'odd_context', id).lines;
  });
  if (drifting)
    incidents.push([
      start + (driftTo + 1) * DAY + ((11 * HOUR - tz + DAY) % DAY),
      (t) => [
        R.ops[R.driftOp]!.money
          ? { ...step(t, R.driftOp, contextAt(t), 'bulk_volume', postDriftId), amount: R.ops[R.driftOp]!.money! * 80 }
          : {
              ...step(t, R.driftOp, contextAt(t), 'bulk_volume', postDriftId),
              volume: Math.round(R.ops[R.driftOp]!.volume * Math.pow(1 + growth, dayOf(t)) * 80),
            },
      ],
    ]);
  incidents.sort((x, y) => x[0] - y[0]);

  // Routine sessions, one at a time; an incident takes the place of the session due at its time.
  let free = start;
  for (let hour = 0; hour < o.days * 24; hour++) {
    const t0 = start + hour * HOUR;
    const weekday = (new Date(t0 + tz).getUTCDay() + 6) % 7;
    const n = dice.arrivals(R.sessionsPerHour * R.hourly(localHour(t0)) * R.weekly[weekday]!);
    const starts = Array.from({ length: n }, () => t0 + dice.between(0, HOUR)).sort((a, b) => a - b);
    for (let s of starts) {
      s = Math.max(s, free + dice.between(20_000, 120_000));
      const due = incidents[0];
      const lines =
        due && due[0] <= s ? (incidents.shift(), due[1](Math.max(s, due[0]))) : session(s, contextAt(s)).lines;
      out.push(...lines);
      const last = lines.reduce((m, l) => (l.label === 'burst' ? m : Math.max(m, l.at)), s);
      free = Math.max(free, last);
    }
  }
  for (const [t, make] of incidents) out.push(...make(t)); // quiet tails (e.g. an odd hour with no session due)

  // Slow drift: the operation's volume creeps ~9 % a day, labelled as one incident.
  if (drifting)
    for (const l of out) {
      const d = (l.at - start) / DAY;
      if (l.label !== 'normal' || l.key !== R.driftOp || d < driftFrom || d >= driftTo) continue;
      const creep = Math.pow(1.09, d - driftFrom);
      if (l.op.money) l.amount = Math.round(l.amount * creep * 100) / 100;
      else l.volume = Math.max(1, Math.round(l.volume * creep));
      l.label = 'drift';
      l.incident = driftId;
    }
  return out;
}

export function generateSecondFamily(options: SecondOptions = {}): TraceLine[] {
  const o: Required<SecondOptions> = {
    seed: options.seed ?? 1,
    agentsPerArchetype: options.agentsPerArchetype ?? 4,
    days: options.days ?? 42,
    start: options.start ?? '2025-09-02T00:00:00.000Z',
  };
  let counter = 0;
  const nextId = (kind: string) => `${kind}-${++counter}`;
  const rows: Array<Draft & { agent: string; role: string; order: number }> = [];
  for (const role of SECOND_ARCHETYPES)
    for (let i = 1; i <= o.agentsPerArchetype; i++)
      for (const d of agentLife(role, i, o, nextId))
        rows.push({ ...d, agent: `${role.replace('_', '-')}-${i}`, role, order: rows.length });
  rows.sort((a, b) => a.at - b.at || a.order - b.order);
  return rows.map((r) => {
    const [tool, operation] = r.key.split(':') as [string, string];
    return {
      time: new Date(r.at).toISOString(),
      agent: r.agent,
      archetype: r.role,
      platform: ROLES[r.role]!.platform,
      tool,
      toolResource: `https://${tool}.corp.example/`,
      operation,
      sensitivity: r.op.sensitivity,
      volume: r.volume,
      amount: r.amount,
      context: r.context,
      label: r.label,
      incident: r.incident,
    };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const lines = generateSecondFamily({
    seed: Number(arg('--seed') ?? 1),
    agentsPerArchetype: Number(arg('--agents') ?? 4),
    days: Number(arg('--days') ?? 42),
  });
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const out = arg('--out');
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}
