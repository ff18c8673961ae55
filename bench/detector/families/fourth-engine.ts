/**
 * The fourth family's engine (see fourth.ts): agents built from desks, their people and networks, the daily
 * rhythm, session arrivals (plus storms and nightly jobs), work-flow walks and the requests they make.
 */
import type { Label } from '../generate-traces.js';
import { Stream } from './fourth-rand.js';
import { FAMILY, GIVEN, type ArchetypeDef, type Desk, type Flow, type Foreign } from './fourth-roles.js';

export const SEC = 1000;
export const MIN = 60 * SEC;
export const DAY = 1440 * MIN;
/** Monday 2025-03-03, 00:00 UTC. */
export const START = Date.UTC(2025, 2, 3);

export interface Person {
  email: string;
  role: string;
  weight: number;
  /** Day the person starts delegating work (0 for the original team). */
  joins: number;
  /** Position in the on-call rotation (shift desks). */
  rotation: number;
}

export interface Agent {
  id: string;
  def: ArchetypeDef;
  desk: Desk;
  n: number;
  people: Person[];
  home: string;
  vpn: string;
  moved: string | null;
  moveDay: number;
  vpnShare: number;
  uaBefore: string;
  uaAfter: string;
  upgradeAt: number;
  adoptDay: number;
  volScale: number;
  amtScale: number;
  volGrowth: number;
  sessionGrowth: number;
  /** Hours the rhythm is shifted by for this agent. */
  shift: number;
  storms: { start: number; end: number; factor: number }[];
}

export interface Req {
  t: number;
  op: string;
  volume: number;
  amount: number;
  label: Label;
  incident: string | null;
  /** An off-procedure look-up. */
  off?: boolean;
  /** A tool the archetype never uses (new_tool incidents). */
  foreign?: Foreign;
}

export interface Session {
  agent: Agent;
  person: Person | null;
  start: number;
  reqs: Req[];
  net: string;
  ua: string;
  proc: string;
  batch: boolean;
}

const subnet = (r: Stream, first: number) =>
  `${first}.${r.int(first === 172 ? 16 : 1, first === 172 ? 31 : 250)}.${r.int(0, 254)}.0/24`;

export function makeAgent(def: ArchetypeDef, desk: Desk, n: number, seed: number, days: number): Agent {
  const r = new Stream(seed, def.prefix, n, 'agent');
  const id = `${def.prefix}-${n}`;
  const used = new Set<string>();
  const person = (role: string, joins: number, rotation: number): Person => {
    const draw = () => `${r.pick(GIVEN)}.${r.pick(FAMILY)}@${def.domain}`.toLowerCase();
    let email = draw();
    while (used.has(email)) email = draw();
    used.add(email);
    return { email, role, weight: r.logNormal(1, 0.5), joins, rotation };
  };
  const people: Person[] = [];
  for (const [role, count] of Object.entries(desk.people))
    for (let i = 0; i < count; i++) people.push(person(role, 0, i));
  // A new colleague starts delegating work to most desks that name people.
  if (people.length > 0 && r.chance(0.8)) {
    const role = def.shifts ? def.shifts.day : r.pick(people).role;
    people.push(person(role, r.int(12, 26), -1));
  }
  const [major, minor] = [r.int(1, 6), r.int(0, 9)];
  const platform = desk.platform;
  const storms: Agent['storms'] = [];
  if (def.storms) {
    const s = def.storms;
    for (let i = r.int(s.count[0], s.count[1]); i > 0; i--) {
      const start = START + r.between(0, days) * DAY;
      storms.push({ start, end: start + r.between(s.minutes[0], s.minutes[1]) * MIN, factor: r.between(...s.factor) });
    }
  }
  return {
    id,
    def,
    desk,
    n,
    people,
    home: subnet(r, 10),
    vpn: subnet(r, 172),
    moved: desk.moves ? subnet(r, 10) : null,
    moveDay: r.int(18, 24),
    vpnShare: r.between(0.05, 0.25),
    uaBefore: `${desk.client}/${major}.${minor}.${r.int(0, 12)} (${platform})`,
    uaAfter: `${desk.client}/${major}.${minor + 1}.0 (${platform})`,
    upgradeAt: START + r.between(14, 30) * DAY,
    adoptDay: r.int(def.adoption.from[0], def.adoption.from[1]),
    volScale: r.between(0.7, 1.4),
    amtScale: r.between(0.6, 1.6),
    volGrowth: r.between(0.001, 0.004),
    sessionGrowth: r.between(0, 0.004),
    shift: r.between(-0.5, 0.5),
    storms,
  };
}

/** The rhythm's level at a local hour (linear between control points, wrapping at midnight). */
export function level(def: ArchetypeDef, hour: number): number {
  const pts = def.profile;
  const h = ((hour % 24) + 24) % 24;
  const ext: [number, number][] = [[pts[pts.length - 1]![0] - 24, pts[pts.length - 1]![1]], ...pts];
  ext.push([pts[0]![0] + 24, pts[0]![1]]);
  for (let i = 1; i < ext.length; i++) {
    const [h0, l0] = ext[i - 1]!;
    const [h1, l1] = ext[i]!;
    if (h >= h0 && h <= h1) return h1 === h0 ? l1 : l0 + ((l1 - l0) * (h - h0)) / (h1 - h0);
  }
  return 0;
}

export const localMidnight = (agent: Agent, day: number) => START + day * DAY - agent.desk.tz * MIN;
export const localDay = (agent: Agent, t: number) => Math.floor((t + agent.desk.tz * MIN - START) / DAY);
export const localHour = (agent: Agent, t: number) =>
  ((((t + agent.desk.tz * MIN - START) % DAY) + DAY) / (60 * MIN)) % 24;

/** The agent's usual median volume (or amount) of an operation on a day. */
export function usual(agent: Agent, op: string, field: 'volume' | 'amount', day: number): number {
  const d = agent.def.ops[op]!;
  if (field === 'amount') return (d.amt?.[0] ?? 0) * agent.amtScale;
  return d.vol[1] === 0 ? d.vol[0] : d.vol[0] * agent.volScale * (1 + agent.volGrowth) ** day;
}

export function drawReq(agent: Agent, r: Stream, op: string, t: number, memo: Map<string, number>): Req {
  const d = agent.def.ops[op]!;
  const day = localDay(agent, t);
  let volume = Math.max(1, Math.round(r.logNormal(usual(agent, op, 'volume', day), d.vol[1])));
  let amount = 0;
  if (d.amt) {
    const key = d.amtKey;
    amount =
      key && memo.has(key) ? memo.get(key)! : Math.round(r.logNormal(d.amt[0] * agent.amtScale, d.amt[1]) * 100) / 100;
    if (key) memo.set(key, amount);
  }
  // Now and then a benign bigger request (a large claim file, a long search).
  if (r.chance(0.004)) {
    const k = r.between(2, 4);
    if (d.amt) amount = Math.round(amount * k * 100) / 100;
    else if (d.vol[1] > 0) volume = Math.round(volume * k);
  }
  return { t, op, volume, amount, label: 'normal', incident: null };
}

function walk(agent: Agent, r: Stream, flow: Flow, day: number, out: string[]): void {
  if (typeof flow === 'string') out.push(flow);
  else if ('seq' in flow) for (const f of flow.seq) walk(agent, r, f, day, out);
  else if ('opt' in flow) {
    if (r.chance(flow.opt)) walk(agent, r, flow.flow, day, out);
  } else if ('rep' in flow) {
    for (let i = r.int(flow.rep[0], flow.rep[1]); i > 0; i--) walk(agent, r, flow.flow, day, out);
  } else if ('alt' in flow) walk(agent, r, flow.alt[r.weighted(flow.alt.map((c) => c[0]))]![1], day, out);
  else {
    const a = agent.def.adoption;
    const p = a.p * Math.min(1, Math.max(0, (day - agent.adoptDay) / a.ramp));
    if (r.chance(p)) out.push(flow.adopt);
  }
}

export function contextAt(agent: Agent, r: Stream, t: number, person: Person | null): { net: string; ua: string } {
  const day = localDay(agent, t);
  let net = agent.home;
  if (agent.moved && (day > agent.moveDay || (day === agent.moveDay && r.chance(0.5)))) net = agent.moved;
  const onCall = person !== null && agent.def.shifts?.onCall === person.role;
  if (r.chance(onCall ? 0.7 : agent.vpnShare)) net = agent.vpn;
  return { net, ua: t >= agent.upgradeAt ? agent.uaAfter : agent.uaBefore };
}

/** One session: the procedure's walk, with think time between steps, retries and off-procedure look-ups. */
export function runSession(agent: Agent, r: Stream, proc: string, person: Person | null, start: number): Session {
  const def = agent.def;
  const p = def.procedures.find((x) => x.name === proc)!;
  const steps: string[] = [];
  walk(agent, r, p.flow, localDay(agent, start), steps);
  const memo = new Map<string, number>();
  const reqs: Req[] = [];
  let t = start;
  for (const [i, step] of steps.entries()) {
    if (i > 0) t += Math.max(SEC, r.logNormal(def.ops[step]!.gap * agent.desk.pace, 0.55) * SEC);
    const req = drawReq(agent, r, step, Math.round(t), memo);
    reqs.push(req);
    if (r.chance(def.ops[step]!.retry ?? 0)) {
      t += r.between(2, 9) * SEC;
      reqs.push({ ...req, t: Math.round(t) });
    }
    if (r.chance(0.012)) {
      const look = r.pick(def.lookups.filter((l) => l !== step));
      t += r.logNormal(6 * agent.desk.pace, 0.4) * SEC;
      reqs.push({ ...drawReq(agent, r, look, Math.round(t), memo), off: true });
    }
  }
  const { net, ua } = contextAt(agent, r, start, person);
  return { agent, person, start, reqs, net, ua, proc, batch: false };
}

/** Whether a person can ask for work at a moment (joined; on shift for shift desks). */
function available(agent: Agent, p: Person, t: number): boolean {
  const day = localDay(agent, t);
  if (day < p.joins) return false;
  const s = agent.def.shifts;
  if (!s) return true;
  const h = localHour(agent, t);
  const weekday = ((day % 7) + 7) % 7 < 5;
  if (weekday && h >= 7 && h < 19) return p.role === s.day;
  const onCall = agent.people.filter((x) => x.role === s.onCall).length;
  return p.role === s.onCall && p.rotation === Math.floor(day / 7) % onCall;
}

const personWeight = (p: Person, day: number) => p.weight * Math.min(1, Math.max(0.2, (day - p.joins) / 5));

/** Every normal session of an agent over the trace (plus a day either side for time-zone spill). */
export function generateSessions(agent: Agent, seed: number, days: number): Session[] {
  const { def, desk } = agent;
  const r = new Stream(seed, agent.id, 'arrivals');
  const w = new Stream(seed, agent.id, 'work');
  const bins = 144;
  let sum = 0;
  for (let b = 0; b < bins; b++) sum += level(def, (b + 0.5) / 6 - agent.shift);
  const arrivals: { t: number; proc?: string; cal: Record<string, number> }[] = [];
  for (let day = -1; day <= days; day++) {
    const weekday = ((day % 7) + 7) % 7;
    const cal = def.calendar?.(desk, day, weekday) ?? { rate: 1 };
    const base =
      desk.perDay * def.weekdays[weekday]! * cal.rate * r.logNormal(1, 0.12) * (1 + agent.sessionGrowth) ** day;
    const midnight = localMidnight(agent, day);
    for (let b = 0; b < bins; b++) {
      const lambda = (base * level(def, (b + 0.5) / 6 - agent.shift)) / sum;
      const from = midnight + b * 10 * MIN;
      for (let k = r.poisson(lambda); k > 0; k--)
        arrivals.push({ t: from + r.next() * 10 * MIN, cal: cal.procs ?? {} });
      for (const s of agent.storms) {
        const overlap = Math.min(s.end, from + 10 * MIN) - Math.max(s.start, from);
        if (overlap <= 0) continue;
        const extra = r.poisson(((s.factor - 1) * lambda * overlap) / (10 * MIN));
        for (let k = 0; k < extra; k++)
          arrivals.push({ t: Math.max(s.start, from) + r.next() * overlap, proc: def.storms!.proc, cal: {} });
      }
    }
    if (desk.batch)
      arrivals.push({ t: midnight + desk.batch.hour * 60 * MIN + r.gauss() * 8 * MIN, proc: desk.batch.proc, cal: {} });
  }
  arrivals.sort((a, b) => a.t - b.t);

  const sessions: Session[] = [];
  const freeAt = new Map<Person, number>();
  let agentFree = -Infinity;
  for (const a of arrivals) {
    const day = localDay(agent, a.t);
    let person: Person | null = null;
    let start = Math.round(a.t);
    if (desk.mode !== 'none') {
      const here = agent.people.filter((p) => available(agent, p, a.t));
      if (here.length === 0) continue;
      if (desk.mode === 'interleave') {
        const free = here.filter((p) => (freeAt.get(p) ?? -Infinity) <= a.t);
        person = free.length
          ? free[w.weighted(free.map((p) => personWeight(p, day)))]!
          : here.reduce((x, y) => ((freeAt.get(x) ?? 0) <= (freeAt.get(y) ?? 0) ? x : y));
        start = Math.max(start, freeAt.get(person) ?? -Infinity);
      } else {
        person = here[w.weighted(here.map((p) => personWeight(p, day)))]!;
        start = Math.max(start, agentFree);
      }
    } else start = Math.max(start, agentFree);
    let proc = a.proc;
    if (!proc) {
      const options = def.procedures.filter(
        (p) =>
          p.weight > 0 &&
          (!desk.procs || desk.procs.includes(p.name)) &&
          (person === null || !p.roles || p.roles.includes(person.role)),
      );
      if (options.length === 0) continue;
      const weight = (p: (typeof options)[number]) => p.weight * (desk.weights?.[p.name] ?? 1) * (a.cal[p.name] ?? 1);
      proc = options[w.weighted(options.map(weight))]!.name;
    }
    const session = runSession(agent, w, proc, person, start);
    session.batch = proc === desk.batch?.proc;
    const end = session.reqs[session.reqs.length - 1]!.t + w.between(5, 30) * SEC;
    if (person) freeAt.set(person, end);
    if (desk.mode !== 'interleave') agentFree = end;
    sessions.push(session);
  }
  return sessions;
}
