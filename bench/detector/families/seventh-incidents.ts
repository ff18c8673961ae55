/**
 * Anomalies of the seventh trace family (bench/detector/families/seventh.ts), planted from UTC day 10 on into each
 * agent's finished ordinary traffic, from the agent's own stream, each on a day of its own. What the agent has done
 * is read first (operations and how often, which step follows which — over the whole agent and per person — tools,
 * networks, clients, people, hours), so "never seen" holds by construction; planting only adds lines or relabels
 * ordinary ones. Drift is planned here and applied while the traffic is generated.
 */
import type { Sens } from './seventh-model.js';
import { DAY, HOUR, MIN, SEC, START, Stream } from './seventh-rng.js';
import type { Agent, DriftPlan, RawLine, SessionRunner } from './seventh-traffic.js';

export const FIRST_INCIDENT_DAY = 10;

const PUBLIC_NETS = ['185.220.101.0/24', '45.146.164.0/24', '102.68.17.0/24', '91.219.236.0/24', '5.188.62.0/24'];
const CLIENTS = ['curl/8.5.0', 'python-requests/2.31.0', 'curl/7.88.1', 'python-requests/2.32.3'];
const STRANGERS = ['r.kowalczyk', 'temp.staff07', 'j.mendes.contractor', 'ops.shared', 'a.vance'];

/** A slow sustained rise for seats chosen for drift: 8–15 %/day for 2–3 weeks from day 10–13, past 3× ≥ 4 days. */
export function planDrift(agent: Agent, seed: number, days: number): DriftPlan | null {
  if (!agent.seat.drift) return null;
  const rng = new Stream(seed, agent.id, 'drift');
  const startDay = rng.int(10, 13);
  let rate = rng.between(0.08, 0.15);
  const length = Math.min(rng.int(15, 21), days - startDay - 2);
  const toThree = (r: number) => Math.ceil(Math.log(3) / Math.log(1 + r));
  while (toThree(rate) + 4 > length && rate < 0.15) rate = Math.min(0.15, rate + 0.005);
  if (toThree(rate) + 4 > length) return null;
  return { op: agent.seat.drift, startDay, rate, days: length };
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : 0);
const dayOf = (t: number) => Math.floor((t - START) / DAY);

export class Ids {
  private counts = new Map<string, number>();
  next(kind: string): string {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    return `${kind}-${n}`;
  }
}

type Variant = 'network' | 'client' | 'person';

export interface AgentRun {
  agent: Agent;
  lines: RawLine[];
  runner: SessionRunner;
}

/** Plants every kind into one agent's lines (mutates `run.lines`). `variant` picks the odd-context kind. */
export function plantIncidents(run: AgentRun, seed: number, days: number, ids: Ids, variant: Variant): void {
  const { agent } = run;
  const rng = new Stream(seed, agent.id, 'incidents');
  const all = run.lines;
  const end = START + days * DAY;
  const thread = (l: RawLine) => l.ctx.onBehalfOf ?? '';

  // What the agent does, read before planting.
  const normal = all.filter((l) => l.label === 'normal');
  const uses = new Map<string, RawLine[]>();
  for (const l of normal) uses.set(l.op, [...(uses.get(l.op) ?? []), l]);
  const seenPairs = new Set<string>();
  const lastOf = new Map<string, RawLine>();
  all.forEach((l, i) => {
    if (i > 0) seenPairs.add(`*|${all[i - 1]!.op}>${l.op}`);
    const prev = lastOf.get(thread(l));
    if (prev) seenPairs.add(`${thread(l)}|${prev.op}>${l.op}`);
    lastOf.set(thread(l), l);
  });
  const tools = new Set(all.map((l) => l.tool));
  const hours = new Set(all.map((l) => new Date(l.t).getUTCHours()));
  const people = new Set(all.map((l) => l.ctx.onBehalfOf).filter(Boolean));
  const activeDays = new Set(normal.map((l) => dayOf(l.t))).size || 1;
  const driftOp = agent.drift?.op;
  const position = new Map(all.map((l, i) => [l, i] as const));
  const nextInThread = new Map<RawLine, RawLine>();
  const threadLast = new Map<string, RawLine>();
  for (const l of all) {
    const prev = threadLast.get(thread(l));
    if (prev) nextInThread.set(prev, l);
    threadLast.set(thread(l), l);
  }
  const sessions = new Map<number, RawLine[]>();
  for (const l of all) sessions.set(l.sid, [...(sessions.get(l.sid) ?? []), l]);
  const used = new Set<number>();
  const added: RawLine[] = [];
  const sample = (op: string) => rng.pick(uses.get(op)!);
  const line = (base: RawLine, t: number, patch: Partial<RawLine>): RawLine => ({
    ...base,
    t: Math.round(t),
    ...patch,
  });
  const fresh = (l: RawLine) => l.label === 'normal' && l.sid >= 0 && !used.has(l.sid) && l.t < end - 30 * MIN;
  const onDay = (day: number) => normal.filter((l) => dayOf(l.t) === day && fresh(l));

  // Drift: one incident for the labelled part of the rise, then the jump on the next request after it.
  if (agent.drift) {
    const drifted = all.filter((l) => l.drifted);
    const stop = START + (agent.drift.startDay + agent.drift.days) * DAY;
    const jump = all.find((l) => l.op === agent.drift!.op && l.t >= stop && l.label === 'normal');
    if (drifted.length && jump) {
      const id = ids.next('drift');
      for (const l of drifted) l.incident = id;
      const usual = median(
        normal.filter((l) => l.op === jump.op && dayOf(l.t) < FIRST_INCIDENT_DAY).map((l) => l.volume),
      );
      jump.volume = Math.round(usual * rng.between(76, 84));
      jump.label = 'bulk_volume';
      jump.incident = ids.next('post_drift_bulk');
      used.add(jump.sid);
    } else for (const l of drifted) [l.label, l.drifted] = ['normal', false];
  }

  // Strict: A→X and X→X never seen in the agent's whole stream nor the person's; loose (seats interleaving
  // several people's work, where almost every pair meets somewhere): never seen in the person's own work.
  const oddSequence = (sens: Sens, day: number, strict: boolean): boolean => {
    const xs = rng.shuffle(
      [...uses.keys()].filter((op) => op !== driftOp && uses.get(op)!.length >= 8 && uses.get(op)![0]!.sens === sens),
    );
    const lines = onDay(day);
    const never = (a: string, b: string, who: string) =>
      !seenPairs.has(`${who}|${a}>${b}`) && (!strict || !seenPairs.has(`*|${a}>${b}`));
    for (const x of xs) {
      const anchors = lines.filter((a) => {
        if (a.op === x || !never(a.op, x, thread(a)) || !never(x, x, thread(a))) return false;
        const next = strict ? all[position.get(a)! + 1] : nextInThread.get(a);
        return !next || next.t - a.t >= 150 * SEC;
      });
      if (!anchors.length) continue;
      const a = rng.pick(anchors);
      const id = ids.next('odd_sequence');
      let t = a.t + rng.between(15, 45) * SEC;
      for (let i = rng.int(2, 3); i > 0; i--) {
        const like = sample(x);
        added.push(line(like, t, { ctx: a.ctx, label: 'odd_sequence', incident: id, sid: -1 }));
        t += rng.between(10, 38) * SEC;
      }
      used.add(a.sid);
      return true;
    }
    return false;
  };

  const bulk = (day: number): boolean => {
    const pool = onDay(day).filter((l) => l.op !== driftOp && uses.get(l.op)!.length >= 10);
    if (!pool.length) return false;
    const l = rng.pick(pool);
    const same = uses.get(l.op)!;
    const factor = rng.between(35, 220);
    const money = median(same.map((x) => x.amount));
    if (money > 0 && (rng.chance(0.6) || median(same.map((x) => x.volume)) <= 1))
      l.amount = Math.round(money * factor * 100) / 100;
    else l.volume = Math.round(Math.max(1, median(same.map((x) => x.volume))) * factor);
    [l.label, l.incident] = ['bulk_volume', ids.next('bulk_volume')];
    used.add(l.sid);
    return true;
  };

  const newTool = (day: number): boolean => {
    const foreign = agent.desk.foreign.filter((f) => !tools.has(f.tool));
    const ends = onDay(day).filter((l) => sessions.get(l.sid)!.at(-1) === l);
    if (!foreign.length || !ends.length) return false;
    const last = rng.pick(ends);
    const id = ids.next('new_tool');
    let t = last.t + rng.between(30, 90) * SEC;
    for (let i = rng.int(1, 2); i > 0; i--) {
      const f = rng.pick(foreign);
      const volume = Math.max(1, Math.round(rng.around(f.vol, 0.3)));
      const amount = f.amt ? Math.round(rng.around(f.amt, 0.4) * 100) / 100 : 0;
      const patch = { op: f.op, tool: f.tool, uri: f.uri, sens: f.sens, volume, amount };
      added.push(line(last, t, { ...patch, label: 'new_tool', incident: id, sid: -1 }));
      t += rng.between(20, 60) * SEC;
    }
    used.add(last.sid);
    return true;
  };

  const burst = (day: number): boolean => {
    const ops = [...uses.keys()].filter((op) => {
      const s = uses.get(op)!;
      return op !== driftOp && (s[0]!.sens === 'LOW' || s[0]!.sens === 'MEDIUM') && s.length / activeDays >= 3;
    });
    const anchors = onDay(day);
    if (!ops.length || !anchors.length) return false;
    const op = rng.pick(ops);
    const anchor = rng.pick(anchors);
    const id = ids.next('burst');
    const n = rng.int(150, 600);
    const span = rng.between(3, 15) * MIN;
    const start = anchor.t + rng.between(20, 120) * SEC;
    const offsets = Array.from({ length: n }, () => rng.next() * span).sort((a, b) => a - b);
    for (const o of offsets)
      added.push(line(sample(op), start + o, { ctx: anchor.ctx, label: 'burst', incident: id, sid: -1 }));
    used.add(anchor.sid);
    return true;
  };

  const oddContext = (day: number): boolean => {
    const quiet = [...Array(23).keys()].filter((h) => !hours.has(h) && !hours.has(h + 1));
    const domain = [...people][0]?.split('@')[1];
    const strangers = variant === 'person' ? rng.shuffle([...STRANGERS]) : [];
    const who = strangers.map((s) => `${s}@${domain}`).find((p) => !people.has(p));
    if (quiet.length && domain && who) {
      const h = rng.pick(quiet);
      const ctx = { ...run.runner.context(day, null, rng), onBehalfOf: who };
      const start = START + day * DAY + h * HOUR + rng.between(2, 15) * MIN;
      const limit = START + day * DAY + (h + 2) * HOUR;
      const ls = run.runner.run(rng.weighted(agent.seat.procs), start, day, ctx, rng).filter((l) => l.t < limit);
      if (ls.length < 2) return false;
      const id = ids.next('odd_context');
      const early = normal.filter((l) => l.op === driftOp && dayOf(l.t) < FIRST_INCIDENT_DAY);
      for (const l of ls) {
        const volume = l.op === driftOp && early.length ? rng.pick(early).volume : l.volume;
        added.push({ ...l, volume, drifted: false, label: 'odd_context', incident: id, sid: -1 });
      }
      return true;
    }
    const sids = [...new Set(onDay(day).map((l) => l.sid))].filter((sid) => {
      const ls = sessions.get(sid)!;
      return ls.length >= 3 && ls.every((l) => l.label === 'normal');
    });
    if (!sids.length) return false;
    const sid = rng.pick(sids);
    const id = ids.next('odd_context');
    const ctx = { ...sessions.get(sid)![0]!.ctx };
    if (variant === 'client') ctx.userAgent = rng.pick(CLIENTS);
    else ctx.sourceNetwork = rng.pick(PUBLIC_NETS);
    for (const l of sessions.get(sid)!) [l.ctx, l.label, l.incident] = [ctx, 'odd_context', id];
    used.add(sid);
    return true;
  };

  const plan: [string, (day: number, strict: boolean) => boolean][] = [
    ['odd_sequence MEDIUM', (d, strict) => oddSequence('MEDIUM', d, strict)],
    ['odd_sequence HIGH', (d, strict) => oddSequence('HIGH', d, strict)],
    ['bulk_volume', bulk],
    ['bulk_volume', bulk],
    ['new_tool', newTool],
    ['burst', burst],
    ['odd_context', oddContext],
  ];
  const candidates = rng.shuffle(
    [...new Set(normal.map((l) => dayOf(l.t)))].filter((d) => d >= FIRST_INCIDENT_DAY && d < days),
  );
  const taken = new Set<number>();
  for (const [, plant] of plan) {
    const tryDays = (strict: boolean) => {
      for (const day of candidates)
        if (!taken.has(day) && plant(day, strict)) {
          taken.add(day);
          return true;
        }
      return false;
    };
    if (!tryDays(true)) tryDays(false);
  }
  run.lines = [...all, ...added].sort((a, b) => a.t - b.t);
}
