/**
 * Normal traffic of the sixth trace family (bench/detector/families/sixth.ts): agents staffed from the offices'
 * seats, then day by day their sessions — ad hoc arrivals on the seat's local curve (weekends, peaks), scheduled
 * jobs — queued on lanes (one session at a time, or one lane per person when the seat interleaves people) and
 * rendered as trace lines with the seat's network, client (upgraded on a day) and, when it has one, the person.
 */
import type { TraceLine } from '../generate-traces.js';
import { density, play, type Office, type Seat } from './sixth-model.js';
import { BENEFITS } from './sixth-benefits.js';
import { GRID } from './sixth-grid.js';
import { MORTGAGE } from './sixth-mortgage.js';
import { RETAIL } from './sixth-retail.js';
import { DAY, SEC, START, Rng, iso, localHour, localToUtc, weekday } from './sixth-rng.js';

export const OFFICES: readonly Office[] = [MORTGAGE, GRID, RETAIL, BENEFITS];

const FIRST = (
  'amara bastian chioma dmitri elif farid greta hiro ines jonah kalani lucia mateo nadia oren priya quinn rosa ' +
  'sven tamsin uma viktor wanjiru xavier yara zeke bea caspian delphine emeka'
).split(' ');
const LAST = (
  'achebe bergstrom castellano dubois eriksen fontaine goldberg haddad ivanova jansen kowalczyk lindqvist moreau ' +
  'nakamura okafor petrov quintero rasmussen sato thorne ueda vasquez whitfield yilmaz zielinski abernathy brennan ' +
  'coelho dasgupta esposito'
).split(' ');

export interface Agent {
  id: string;
  office: Office;
  seat: Seat;
  /** Position in the whole family (0-based), for spreading incident variants. */
  order: number;
  /** Team members (for shifts: perShift members of shift 0, then 1, then 2). */
  people: string[];
  joiner?: { person: string; day: number };
  /** Network CIDRs, re-addressed for seats staffed a second time. */
  networks: Seat['networks'];
  scale: number;
}

export interface Session {
  agent: Agent;
  playbook: string;
  person?: string;
  lines: TraceLine[];
}

export function personName(rng: Rng, domain: string, taken: Set<string>): string {
  for (;;) {
    const name = `${rng.pick(FIRST)}.${rng.pick(LAST)}@${domain}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

export function staff(seed: number, agentsPerOffice: number): Agent[] {
  const agents: Agent[] = [];
  for (const office of OFFICES) {
    const taken = new Set<string>();
    for (let i = 0; i < agentsPerOffice; i++) {
      const seat = office.seats[i % office.seats.length]!;
      const round = Math.floor(i / office.seats.length);
      const id = `${office.prefix}-${i + 1}`;
      const rng = new Rng(seed, 'staff', id);
      const p = seat.people;
      const size = p.mode === 'none' ? 0 : p.mode === 'shifts' ? 3 * p.perShift : p.team;
      const people = Array.from({ length: size }, () => personName(rng, office.domain, taken));
      const joinDay = p.mode === 'serial' || p.mode === 'parallel' ? p.joiner : undefined;
      const networks = seat.networks.map((n) => {
        const [a, b, c, rest] = n.cidr.split('.');
        return round === 0 ? n : { ...n, cidr: `${a}.${b}.${(Number(c) + 16 * round) % 256}.${rest}` };
      });
      agents.push({
        id,
        office,
        seat,
        order: agents.length,
        people,
        ...(joinDay === undefined ? {} : { joiner: { person: personName(rng, office.domain, taken), day: joinDay } }),
        networks,
        scale: round === 0 ? 1 : rng.between(0.75, 1.3),
      });
    }
  }
  return agents;
}

/** The chance that `agent` uses a tool its office is adopting, on `day`. */
export function adoptionOf(agent: Agent, day: number) {
  return (tool: string) => {
    const a = agent.office.adoptions[tool];
    if (!a) return 1;
    return Math.min(1, Math.max(0, (day - a.from - (agent.seat.lag ?? 0)) / a.over));
  };
}

/** Renders one session's operations as lines, the first at `start`, then one step every `pace` seconds or so. */
export function render(
  agent: Agent,
  day: number,
  start: number,
  ops: string[],
  context: Record<string, string>,
  rng: Rng,
) {
  const { office, seat } = agent;
  const lines: TraceLine[] = [];
  let t = start;
  ops.forEach((name, i) => {
    if (i > 0) t += Math.max(0.8, rng.logNormal(seat.pace, 0.5)) * SEC + rng.int(0, 999);
    const op = office.ops[name];
    if (!op) throw new Error(`${office.archetype}: unknown operation ${name}`);
    const growth = Math.pow(1 + (op.growth ?? 0), day);
    lines.push({
      time: iso(Math.round(t)),
      agent: agent.id,
      archetype: office.archetype,
      platform: seat.platform,
      tool: op.tool,
      toolResource: office.tools[op.tool]!,
      operation: name,
      sensitivity: op.sens,
      volume: Math.max(1, Math.round(rng.logNormal(op.items[0], op.items[1]) * growth)),
      amount: op.money ? Math.round(rng.logNormal(op.money[0], op.money[1]) * 100) / 100 : 0,
      context: { ...context },
      label: 'normal',
      incident: null,
    });
  });
  return lines;
}

interface Arrival {
  at: number;
  playbook: string;
  job: boolean;
}

function arrivals(agent: Agent, day: number, rng: Rng): Arrival[] {
  const { seat } = agent;
  const peaks = (seat.peaks ?? []).filter((p) => p.days.includes(day));
  const factor = peaks.reduce((f, p) => f * p.factor, 1);
  const mix = peaks.find((p) => p.mix)?.mix ?? seat.mix;
  const swap = (pb: string) => peaks.find((p) => p.swap?.[pb])?.swap?.[pb] ?? pb;
  const weekend = weekday(day) >= 5;
  const mean = seat.sessions * agent.scale * factor * (weekend ? seat.weekend : 1) * Math.exp(0.18 * rng.gauss());
  const out: Arrival[] = [];
  const [from, to] = seat.hours;
  for (let n = rng.poisson(mean); n > 0; n--) {
    let hour: number;
    do hour = rng.between(from, to);
    while (rng.next() * 1.2 > density(seat.shape, hour));
    const at = localToUtc(seat.zone, day, hour * 60);
    out.push({ at, playbook: rng.weighted(Object.entries(mix)), job: false });
  }
  for (const job of seat.jobs ?? []) {
    if (job.days ? !job.days.includes(day) : job.weekdaysOnly && weekend) continue;
    const times = job.at ?? Array.from({ length: Math.ceil(1440 / (job.every ?? 1440)) }, (_, k) => k * job.every!);
    for (const m of times)
      out.push({ at: localToUtc(seat.zone, day, m) + rng.int(0, 40_000), playbook: swap(job.playbook), job: true });
  }
  return out.sort((a, b) => a.at - b.at);
}

function personFor(agent: Agent, day: number, at: number, rng: Rng): string | undefined {
  const p = agent.seat.people;
  if (p.mode === 'none') return undefined;
  if (p.mode === 'shifts') {
    const h = localHour(agent.seat.zone, at);
    const shift = h >= 6 && h < 14 ? 0 : h >= 14 && h < 22 ? 1 : 2;
    return rng.pick(agent.people.slice(shift * p.perShift, (shift + 1) * p.perShift));
  }
  // The first colleague is the busiest; a joiner ramps up over a week.
  const options: [string, number][] = agent.people.map((name, k) => [name, 1 / Math.sqrt(k + 1)]);
  if (agent.joiner && day >= agent.joiner.day)
    options.push([agent.joiner.person, Math.min(1, (day - agent.joiner.day + 1) / 7)]);
  return rng.weighted(options);
}

function networkFor(agent: Agent, day: number, rng: Rng): string {
  const live = agent.networks.filter((n) => (n.from ?? -Infinity) <= day && (n.until ?? Infinity) >= day);
  return rng.weighted(live.map((n) => [n.cidr, n.weight] as const));
}

function clientFor(seat: Seat, day: number, rng: Rng): string {
  const up = seat.upgrade;
  if (!up || day < up.day) return seat.client;
  if (day > up.day + 1) return up.client;
  return rng.chance(day === up.day ? 0.35 : 0.8) ? up.client : seat.client;
}

/** Every agent's sessions over `days` local days, lines kept only inside [day 0, day `days`) UTC. */
export function generateTraffic(seed: number, agents: Agent[], days: number): Session[] {
  const [first, last] = [iso(START), iso(START + days * DAY)];
  const sessions: Session[] = [];
  for (const agent of agents) {
    const lanes = new Map<string, number>();
    const interleaves = agent.seat.people.mode === 'parallel' || agent.seat.people.mode === 'shifts';
    const bot = agent.seat.pace < 10;
    for (let day = -1; day <= days; day++) {
      const rng = new Rng(seed, agent.id, 'day', day);
      for (const a of arrivals(agent, day, rng)) {
        const person = a.job ? undefined : personFor(agent, day, a.at, rng);
        const lane = interleaves ? (person ?? 'jobs') : 'one';
        const gap = (bot ? rng.between(1, 15) : rng.between(15, 120)) * SEC;
        const start = Math.max(a.at, (lanes.get(lane) ?? -Infinity) + gap);
        const ops = play(agent.office.playbooks[a.playbook]!, rng, adoptionOf(agent, day));
        const context: Record<string, string> = { sourceNetwork: networkFor(agent, day, rng) };
        if (person) context.onBehalfOf = person;
        context.userAgent = clientFor(agent.seat, day, rng);
        const all = render(agent, day, start, ops, context, rng);
        lanes.set(lane, Date.parse(all[all.length - 1]!.time));
        const lines = all.filter((l) => l.time >= first && l.time < last);
        if (lines.length) sessions.push({ agent, playbook: a.playbook, ...(person ? { person } : {}), lines });
      }
    }
  }
  return sessions;
}
