/**
 * The fourth family's injected incidents (see fourth.ts), planned per agent from its own stream on days the agent
 * works, from day 10 on, each on a different day and at a busy hour unless it is about the hour:
 *
 * - bulk_volume: one request of a routine operation at 30–300× its usual volume or amount;
 * - new_tool: part of an ordinary session, then 1–2 HIGH/CRITICAL calls to a tool the archetype never uses;
 * - odd_sequence (one with a MEDIUM, one with a HIGH operation X): a session runs up to a step A, then X — an
 *   operation the agent uses routinely but never right after A, nor twice in a row, in any of its traffic
 *   (checked on the generated traffic, per person and, unless the agent interleaves people, per agent) — 2–3
 *   times within two minutes; only the X lines are labelled;
 * - burst: 150–600 requests of a routine LOW/MEDIUM operation within 3–15 minutes, normal volumes and context;
 * - odd_context: a routine session from a public network, or with `curl`/`python-requests`, or (desks that name
 *   people and keep office hours) for a never-seen person at an hour the agent is never active;
 * - drift (odd-numbered agents): every request of one operation compounding 8–15 % a day for 2–3 weeks from day
 *   10–13, labelled once past 3×, then one `post_drift_bulk` request at ~80× the original median.
 */
import { Stream } from './fourth-rand.js';
import { ODD_CLIENTS, OUTSIDE_NETS } from './fourth-roles.js';
import {
  DAY,
  MIN,
  SEC,
  drawReq,
  level,
  localDay,
  localHour,
  localMidnight,
  runSession,
  usual,
  type Agent,
  type Req,
  type Session,
} from './fourth-engine.js';

export type Counter = (kind: string) => string;

interface Facts {
  /** Normal sessions by local day, within the trace. */
  byDay: Map<number, Session[]>;
  /** counts[op][d]: uses of op on local days before d. */
  counts: Map<string, number[]>;
  seenPerson: Set<string>;
  seenAgent: Set<string>;
  /** Each session's successor request in the person's and the agent's thread (first request after it ends). */
  threads: { person: Map<string, number[]>; agent: number[] };
  activeHours: Set<number>;
}

function facts(agent: Agent, sessions: Session[], days: number): Facts {
  const byDay = new Map<number, Session[]>();
  const counts = new Map<string, number[]>();
  for (const op of Object.keys(agent.def.ops)) counts.set(op, new Array<number>(days + 2).fill(0));
  const reqs: { r: Req; who: string }[] = [];
  const activeHours = new Set<number>();
  for (const s of sessions) {
    const d = localDay(agent, s.start);
    if (!s.batch && d >= 0 && d < days) byDay.set(d, [...(byDay.get(d) ?? []), s]);
    for (const r of s.reqs) {
      reqs.push({ r, who: s.person?.email ?? '' });
      const rd = localDay(agent, r.t);
      if (rd >= 0 && rd < days) counts.get(r.op)![rd + 1]! += 1;
      activeHours.add(Math.floor(localHour(agent, r.t)));
    }
  }
  for (const c of counts.values()) for (let d = 1; d < c.length; d++) c[d]! += c[d - 1]!;
  reqs.sort((a, b) => a.r.t - b.r.t);
  const seenPerson = new Set<string>();
  const seenAgent = new Set<string>();
  const last = new Map<string, string>();
  const person = new Map<string, number[]>();
  const agentTimes: number[] = [];
  let prev: string | null = null;
  for (const { r, who } of reqs) {
    const p = last.get(who);
    if (p) seenPerson.add(`${p}>${r.op}`);
    if (prev) seenAgent.add(`${prev}>${r.op}`);
    last.set(who, r.op);
    prev = r.op;
    person.set(who, [...(person.get(who) ?? []), r.t]);
    agentTimes.push(r.t);
  }
  return { byDay, counts, seenPerson, seenAgent, threads: { person, agent: agentTimes }, activeHours };
}

/** The first request time strictly after t in a sorted list. */
function after(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return times[lo] ?? Infinity;
}

const isClean = (s: Session) => s.reqs.every((r) => r.label === 'normal');

/** Sessions of a day, those started at the busiest hours first (shuffled within). */
function busy(agent: Agent, f: Facts, r: Stream, day: number): Session[] {
  const list = (f.byDay.get(day) ?? []).filter(isClean);
  const score = (s: Session) => level(agent.def, localHour(agent, s.start) - agent.shift);
  const top = Math.max(0, ...list.map(score));
  const hot = r.shuffle(list.filter((s) => score(s) >= 0.6 * top));
  return [...hot, ...r.shuffle(list.filter((s) => score(s) < 0.6 * top))];
}

const mark = (reqs: Req[], label: Req['label'], id: string) =>
  reqs.forEach((q) => ((q.label = label), (q.incident = id)));

export function plantIncidents(
  agent: Agent,
  sessions: Session[],
  seed: number,
  days: number,
  next: Counter,
): Session[] {
  const r = new Stream(seed, agent.id, 'incidents');
  const f = facts(agent, sessions, days);
  const def = agent.def;
  const extra: Session[] = [];
  const field = (op: string) => (def.ops[op]!.amt ? 'amount' : 'volume');
  const usedBefore = (op: string, day: number) => f.counts.get(op)![Math.max(0, Math.min(day, days))]!;

  // Drift first: it decides the operation other incidents keep away from and the day of its post-drift jump.
  let driftOp: string | null = null;
  let postDay = -1;
  if (agent.n % 2 === 1 && days >= 24) {
    driftOp = [...def.driftOps].sort((a, b) => usedBefore(b, days) - usedBefore(a, days))[0]!;
    const start = r.int(10, 13);
    let rate = r.between(0.08, 0.15);
    let span = Math.min(21, Math.max(14, Math.ceil(Math.log(r.between(4.5, 7)) / Math.log(1 + rate))));
    span = Math.min(span, days - 3 - start);
    rate = Math.max(rate, 4.5 ** (1 / span) - 1);
    const t0 = localMidnight(agent, start);
    const t1 = localMidnight(agent, start + span);
    const fld = field(driftOp);
    const base = usual(agent, driftOp, fld, start);
    const id = next('drift');
    for (const s of sessions)
      for (const q of s.reqs) {
        if (q.op !== driftOp || q.t < t0 || q.t >= t1) continue;
        const k = (1 + rate) ** ((q.t - t0) / DAY);
        if (fld === 'amount') q.amount = Math.round(q.amount * k * 100) / 100;
        else q.volume = Math.round(q.volume * k);
        if (k > 3) mark([q], 'drift', id);
      }
    const later = sessions.filter((s) => s.start >= t1 && !s.batch).sort((a, b) => a.start - b.start);
    const host = later.find((s) => s.start < t1 + 3 * DAY && s.reqs.some((q) => q.op === driftOp)) ?? later[0]!;
    let q = host.reqs.find((x) => x.op === driftOp);
    if (!q) {
      q = drawReq(agent, r, driftOp, host.reqs[host.reqs.length - 1]!.t + r.between(10, 40) * SEC, new Map());
      host.reqs.push(q);
    }
    const jump = base * 80 * r.between(0.9, 1.15);
    if (fld === 'amount') q.amount = Math.round(jump * 100) / 100;
    else q.volume = Math.round(jump);
    mark([q], 'bulk_volume', next('post_drift_bulk'));
    postDay = localDay(agent, q.t);
  }

  // From day 10 on in UTC too: a desk east of UTC starts its local day 10 the evening before.
  const first = agent.desk.tz > 0 ? 11 : 10;
  const pool = r.shuffle([...f.byDay.keys()].filter((d) => d >= first && d !== postDay).sort((a, b) => a - b));
  const taken = new Set<number>();
  /** Tries days (in random order, each incident its own) until the planter succeeds with the day's busy sessions. */
  const onSomeDay = (what: string, plant: (day: number, list: Session[]) => boolean) => {
    for (const d of pool) if (!taken.has(d) && plant(d, busy(agent, f, r, d))) return void taken.add(d);
    // A short trace has fewer working days than incidents: share a day.
    for (const d of pool) if (plant(d, busy(agent, f, r, d))) return;
    throw new Error(`fourth family: could not plant ${what} on ${agent.id}`);
  };

  // odd_sequence, X HIGH and X MEDIUM, where X is known (8 uses or more before the day).
  // On a quiet desk a sensitive operation may be rarer: then 4 uses make it known.
  for (const sens of ['HIGH', 'MEDIUM'] as const) {
    const plant = (known: number) => (day: number, list: Session[]) => {
      for (const s of list) {
        const who = s.person?.email ?? '';
        const xs = Object.keys(def.ops).filter(
          (x) =>
            def.ops[x]!.sens === sens &&
            !def.ops[x]!.retry &&
            x !== driftOp &&
            usedBefore(x, day) >= known &&
            !f.seenPerson.has(`${x}>${x}`) &&
            (agent.desk.mode === 'interleave' || !f.seenAgent.has(`${x}>${x}`)),
        );
        for (let k = 0; k < s.reqs.length; k++) {
          const a = s.reqs[k]!;
          if (a.off) continue;
          const ok = xs.filter(
            (x) =>
              x !== a.op &&
              !f.seenPerson.has(`${a.op}>${x}`) &&
              (agent.desk.mode === 'interleave' || !f.seenAgent.has(`${a.op}>${x}`)),
          );
          if (ok.length === 0) continue;
          const x = r.pick(ok);
          const times: number[] = [];
          let t = a.t + r.between(8, 40) * SEC;
          for (let i = r.int(2, 3); i > 0; i--, t += r.between(10, 45) * SEC) times.push(Math.round(t));
          const end = s.reqs[s.reqs.length - 1]!.t;
          const gapOk =
            after(f.threads.person.get(who) ?? [], end) > times[times.length - 1]! + 5 * SEC &&
            (agent.desk.mode === 'interleave' || after(f.threads.agent, end) > times[times.length - 1]! + 5 * SEC);
          if (!gapOk) continue;
          const odd = times.map((tt) => drawReq(agent, r, x, tt, new Map()));
          mark(odd, 'odd_sequence', next('odd_sequence'));
          s.reqs = [...s.reqs.slice(0, k + 1), ...odd];
          return true;
        }
      }
      return false;
    };
    try {
      onSomeDay(`odd_sequence ${sens}`, plant(8));
    } catch {
      onSomeDay(`odd_sequence ${sens}`, plant(4));
    }
  }

  // bulk_volume: one request of a routine operation at 30–300× its usual volume or amount.
  onSomeDay('bulk_volume', (day, list) => {
    for (const s of list) {
      const q = s.reqs.find((x) => def.bulkOps.includes(x.op) && x.op !== driftOp && !x.off);
      if (!q) continue;
      const fld = field(q.op);
      const v = usual(agent, q.op, fld, day) * r.logBetween(30, 300);
      if (fld === 'amount') q.amount = Math.round(v * 100) / 100;
      else q.volume = Math.round(v);
      mark([q], 'bulk_volume', next('bulk_volume'));
      return true;
    }
    return false;
  });

  // new_tool: part of a session, then 1–2 calls to a sensitive tool the archetype never uses.
  onSomeDay('new_tool', (_day, list) => {
    const s = list.find((x) => x.reqs.length >= 2);
    if (!s) return false;
    const keep = r.int(1, Math.min(4, s.reqs.length - 1));
    const foreign = def.foreign[(agent.n - 1 + r.int(0, 1) * 2) % def.foreign.length]!;
    let t = s.reqs[keep - 1]!.t + r.between(15, 90) * SEC;
    const calls: Req[] = [];
    for (let i = r.int(1, 2); i > 0; i--, t += r.between(10, 60) * SEC)
      calls.push({
        t: Math.round(t),
        op: foreign.operation,
        volume: Math.max(1, Math.round(foreign.vol * r.between(0.8, 1.3))),
        amount: foreign.amt ? Math.round(foreign.amt * r.between(0.7, 1.4) * 100) / 100 : 0,
        label: 'normal',
        incident: null,
        foreign,
      });
    mark(calls, 'new_tool', next('new_tool'));
    s.reqs = [...s.reqs.slice(0, keep), ...calls];
    return true;
  });

  // burst: hundreds of one routine operation in minutes, as the person of a busy session, from its context.
  onSomeDay('burst', (day, list) => {
    const ops = def.burstOps.filter((x) => x !== driftOp && usedBefore(x, day) >= 20);
    const s = list[0];
    if (!s || ops.length === 0) return false;
    const op = r.pick(ops);
    const t0 = s.start + r.between(0, 10) * MIN;
    const span = r.between(3, 15) * MIN;
    const times = Array.from({ length: r.int(150, 600) }, () => Math.round(t0 + r.next() * span)).sort((a, b) => a - b);
    const reqs = times.map((t) => drawReq(agent, r, op, t, new Map()));
    mark(reqs, 'burst', next('burst'));
    extra.push({ ...s, start: t0, reqs, proc: 'burst', batch: false });
    return true;
  });

  // odd_context: an outside network, an unknown client, or a stranger at an hour the agent never works.
  const quiet = [3, 2, 4, 1, 5, 0, 23, 22].filter((h) => !f.activeHours.has(h));
  const variants =
    agent.people.length > 0 && !def.shifts && quiet.length > 0 ? ['person', 'net', 'client'] : ['net', 'client'];
  const variant = variants[(agent.n - 1 + (def.prefix.length % 2)) % variants.length]!;
  onSomeDay('odd_context', (day, list) => {
    if (variant === 'person') {
      const roles = [...new Set(agent.people.map((p) => p.role))];
      const names = new Set(agent.people.map((p) => p.email));
      const draw = () =>
        `${r.pick(['kai', 'noor', 'sasha', 'remy', 'lior'])}.${r.pick(['vance', 'osei', 'lund'])}@${def.domain}`;
      let email = draw();
      while (names.has(email)) email = draw();
      const stranger = { email, role: r.pick(roles), weight: 1, joins: 0, rotation: -1 };
      const procs = def.procedures.filter((p) => p.weight > 0 && p.roles?.includes(stranger.role));
      const start = localMidnight(agent, day) + (quiet[0]! * 60 + r.between(5, 40)) * MIN;
      const s = runSession(agent, r, r.pick(procs).name, stranger, Math.round(start));
      s.reqs = s.reqs.slice(0, 6);
      mark(s.reqs, 'odd_context', next('odd_context'));
      extra.push(s);
      return true;
    }
    const s = list.find((x) => x.reqs.length >= 3);
    if (!s) return false;
    s.reqs = s.reqs.slice(0, r.int(3, 6));
    if (variant === 'net') s.net = r.pick(OUTSIDE_NETS);
    else s.ua = r.pick(ODD_CLIENTS);
    mark(s.reqs, 'odd_context', next('odd_context'));
    return true;
  });
  return extra;
}
