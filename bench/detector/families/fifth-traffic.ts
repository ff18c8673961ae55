/**
 * Normal traffic of the fifth trace family (bench/detector/families/fifth.ts): agents staffed from the desk
 * profiles, and day by day their sessions — sampled on the desk's local working curve (lunch dip, weekends,
 * daylight-saving switches), plus weekly batches, scheduler runs, an outage and the next morning's catch-up —
 * placed on lanes (one at a time, one per person, or free-running cases) and turned into trace lines.
 */
import type { TraceLine } from '../generate-traces.js';
import { LOGISTICS, TREASURY } from './fifth-desks-a.js';
import { DEVREL, PHARMACY } from './fifth-desks-b.js';
import { rampOf, walk, type Desk, type OpSpec, type Profile, type Walked } from './fifth-model.js';
import { Dice, iso, localToUtc } from './fifth-random.js';

export const DESKS: readonly Desk[] = [LOGISTICS, TREASURY, DEVREL, PHARMACY];

export interface Person {
  email: string;
  /** First day the person works with the agent. */
  from: number;
}

export interface Agent {
  id: string;
  archetype: string;
  platform: string;
  desk: Desk;
  profile: Profile;
  people: Person[];
  networks: string[];
  /** The office network the agent moves to, if it moves. */
  moveTo?: string;
}

export interface Session {
  agent: Agent;
  /** Local working day. */
  day: number;
  who: string | null;
  procedure: string;
  lines: TraceLine[];
  /** Taken by an incident. */
  used: boolean;
}

const GIVEN = ['amara', 'bjorn', 'chen', 'dalia', 'emeka', 'farah', 'goran', 'hana', 'ines', 'jonas', 'kavya'];
const MORE_GIVEN = ['lucas', 'mei', 'nadia', 'oscar', 'priya', 'quinn', 'rosa', 'sanjay', 'tomas', 'uma', 'vera'];
const FAMILY = ['adeyemi', 'brennan', 'castillo', 'dubois', 'eriksen', 'fujita', 'gallo', 'haddad', 'iyer'];
const MORE_FAMILY = ['jansen', 'kowalski', 'lindqvist', 'mbeki', 'novak', 'ortega', 'petrov', 'rahman', 'silva'];

/** Shift the third octet of a /24 for agents beyond the fourth of a desk (several offices alike). */
function shifted(network: string, cycle: number): string {
  if (cycle === 0) return network;
  const [a, b, c, rest] = network.split('.');
  return `${a}.${b}.${(Number(c) + 16 * cycle) % 256}.${rest}`;
}

export function buildAgents(seed: number, perArchetype: number): Agent[] {
  const agents: Agent[] = [];
  for (const desk of DESKS) {
    for (let i = 1; i <= perArchetype; i++) {
      const profile = desk.profiles[(i - 1) % 4]!;
      const cycle = Math.floor((i - 1) / 4);
      const dice = new Dice(seed, `people/${desk.prefix}-${i}`);
      const emails = new Set<string>();
      const wanted = profile.people + (profile.joiner === undefined || profile.people === 0 ? 0 : 1);
      while (emails.size < wanted) {
        const given = dice.pick(dice.chance(0.5) ? GIVEN : MORE_GIVEN);
        const family = dice.pick(dice.chance(0.5) ? FAMILY : MORE_FAMILY);
        emails.add(`${given}.${family}@${desk.domain}`);
      }
      const people = [...emails].map((email, k) => ({ email, from: k < profile.people ? 0 : profile.joiner! }));
      agents.push({
        id: `${desk.prefix}-${i}`,
        archetype: desk.archetype,
        platform: profile.platform,
        desk,
        profile,
        people,
        networks: profile.networks.map((n) => shifted(n, cycle)),
        ...(profile.move ? { moveTo: shifted(profile.move.to, cycle) } : {}),
      });
    }
  }
  return agents;
}

export function volumeOf(spec: { volume: number; volumeSpread?: number }, dice: Dice, scale = 1): number {
  const median = spec.volume * (spec.volume >= 50 ? scale : 1);
  return Math.max(1, Math.round(spec.volumeSpread ? dice.around(median, spec.volumeSpread) : median));
}

export function amountOf(spec: { amount?: number; amountSpread?: number }, dice: Dice, scale = 1): number {
  if (!spec.amount) return 0;
  return Math.round(dice.around(spec.amount * scale, spec.amountSpread ?? 0.45) * 100) / 100;
}

export function makeLine(
  agent: Agent,
  operation: string,
  ms: number,
  context: Record<string, string>,
  dice: Dice,
  scale: { amount: number; volume: number } = { amount: 1, volume: 1 },
): TraceLine {
  const spec: OpSpec | undefined = agent.desk.ops[operation];
  if (!spec) throw new Error(`${agent.desk.archetype}: unknown operation ${operation}`);
  return {
    time: iso(ms),
    agent: agent.id,
    archetype: agent.archetype,
    platform: agent.platform,
    tool: spec.tool,
    toolResource: agent.desk.tools[spec.tool]!,
    operation,
    sensitivity: spec.sensitivity,
    volume: volumeOf(spec, dice, scale.volume),
    amount: amountOf(spec, dice, scale.amount),
    context: { ...context },
    label: 'normal',
    incident: null,
  };
}

/** Relative activity at a local hour: a bell over the working window with a lunch dip, or a day curve. */
function intensity(hour: number, [from, to]: [number, number]): number {
  if (to - from >= 24) return 0.3 + 0.7 * Math.exp(-(((hour - 13) / 4.5) ** 2));
  const x = (hour - from) / (to - from);
  if (x <= 0 || x >= 1) return 0;
  return Math.sin(Math.PI * x) ** 0.6 * (hour >= 12 && hour < 13.5 ? 0.65 : 1);
}

function sampleHour(from: number, to: number, hours: [number, number], dice: Dice): number {
  for (let i = 0; i < 400; i++) {
    const h = dice.between(from, to);
    if (dice.next() < intensity(h, hours)) return h;
  }
  return (from + to) / 2;
}

interface Planned {
  at: number;
  procedure: string;
  walked: Walked;
  scale: { amount: number; volume: number };
  fixed: boolean;
}

/** A weighted procedure of the agent's mix, walked. */
export function routineWalk(agent: Agent, day: number, dice: Dice): { procedure: string; walked: Walked } {
  const p = agent.profile;
  const procedure = dice.weighted(Object.entries(p.mix).map(([name, w]) => [w, name] as const));
  const adoptP = rampOf(p.adoption, day) * (p.adoption?.to ?? 0);
  return { procedure, walked: walk(agent.desk.procedures[procedure]!, dice, adoptP) };
}

function planDay(agent: Agent, day: number, dice: Dice): Planned[] {
  const p = agent.profile;
  const factor = p.week[day % 7]!;
  const out: Planned[] = [];
  if (factor === 0) return out;
  const outage = day === agent.desk.outageDay;
  const [from, to] = p.hours;
  // On the outage day work stops 75 minutes in; the next morning the backlog doubles the usual rate.
  const cutoff = outage ? from + 1.25 : to;
  const fill = (target: number, lo: number, hi: number) => {
    for (let n = 0; n < target;) {
      const { procedure, walked } = routineWalk(agent, day, dice);
      n += walked.ops.length;
      const at = localToUtc(p.zone, day, sampleHour(lo, hi, p.hours, dice));
      out.push({ at, procedure, walked, scale: { amount: 1, volume: 1 }, fixed: false });
    }
  };
  const usual = p.perDay * factor * (1 + (p.growth ?? 0)) ** day * dice.between(0.85, 1.15);
  if (outage) fill(usual * 0.08, from, cutoff);
  else fill(usual, from, to);
  if (day === agent.desk.outageDay + 1) fill(usual * 0.5, from, from + (to - from) / 2);
  const weekly = p.weekly;
  if (weekly && day % 7 === weekly.weekday && !outage) {
    const n = dice.int(weekly.sessions[0], weekly.sessions[1]);
    for (let i = 0; i < n; i++) {
      const walked = walk(agent.desk.procedures[weekly.procedure]!, dice, 0);
      const at = localToUtc(p.zone, day, dice.between(weekly.hours[0], weekly.hours[1]));
      const scale = { amount: dice.between(...weekly.amountScale), volume: dice.between(...weekly.volumeScale) };
      out.push({ at, procedure: weekly.procedure, walked, scale, fixed: false });
    }
  }
  for (const run of p.scheduled ?? []) {
    if (outage && run.hour >= cutoff) continue;
    const walked = walk(agent.desk.procedures[run.procedure]!, dice, 0);
    const at = localToUtc(p.zone, day, run.hour) + dice.between(0, 40_000);
    out.push({ at, procedure: run.procedure, walked, scale: { amount: 1, volume: 1 }, fixed: true });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Every normal session of one agent over the trace, in start order. */
export function normalSessions(agent: Agent, days: number, seed: number): Session[] {
  const p = agent.profile;
  const sessions: Session[] = [];
  const personFree = new Map<string, number>();
  let laneFree = -Infinity;
  let lastWho: string | null = null;
  for (let day = 0; day < days; day++) {
    const dice = new Dice(seed, `traffic/${agent.id}/${day}`);
    const present = agent.people.filter((q) => q.from <= day).map((q) => q.email);
    const latest = localToUtc(p.zone, day, p.hours[1] + 1.5);
    for (const plan of planDay(agent, day, dice)) {
      let start = plan.at;
      let who: string | null = null;
      if (p.lanes === 'one') {
        start = Math.max(start, laneFree + dice.between(20, 240) * 1000);
        if (present.length > 0)
          who = lastWho && present.includes(lastWho) && dice.chance(0.6) ? lastWho : dice.pick(present);
      } else if (p.lanes === 'people' && present.length > 0) {
        const idle = present.filter((q) => (personFree.get(q) ?? -Infinity) + 20_000 <= start);
        if (idle.length > 0) who = dice.pick(idle);
        else {
          who = present.reduce((a, b) => (personFree.get(a)! <= personFree.get(b)! ? a : b));
          start = personFree.get(who)! + dice.between(20, 180) * 1000;
        }
      }
      if (!plan.fixed && p.hours[1] - p.hours[0] < 24 && start > latest) continue;
      const network = agent.moveTo && dice.chance(rampOf(p.move, day)) ? agent.moveTo : dice.pick(agent.networks);
      const client = p.upgrade && dice.chance(rampOf(p.upgrade, day)) ? p.upgrade.to : p.client;
      const context: Record<string, string> = { sourceNetwork: network };
      if (who) context.onBehalfOf = who;
      context.userAgent = client;
      const lines: TraceLine[] = [];
      let t = start;
      plan.walked.ops.forEach((op, i) => {
        if (i > 0) t += Math.max(600, dice.around(p.pace, 0.55) * 1000 * (plan.walked.quick[i] ? 0.35 : 1));
        lines.push(makeLine(agent, op, t, context, dice, plan.scale));
      });
      if (p.lanes === 'one') laneFree = t;
      if (who && p.lanes === 'people') personFree.set(who, t);
      lastWho = who;
      sessions.push({ agent, day, who, procedure: plan.procedure, lines, used: false });
    }
  }
  return sessions;
}
