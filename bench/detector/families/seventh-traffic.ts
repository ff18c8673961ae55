/**
 * Ordinary traffic of the seventh trace family (bench/detector/families/seventh.ts): seats become agents (copies
 * beyond the fourth get re-addressed networks, their own people and a ±25 % workload), each day draws its ad hoc
 * sessions (Poisson around the seat's rate, ±15 % day noise, weekend factor, growth, peaks) on the seat's daily
 * curve, adds its scheduled jobs, and runs every session's step program on a lane: one lane per person on seats
 * that interleave people's work, one lane otherwise, so a session waits for the one before it. Drift (planned by
 * the incident module) raises one operation's items per request; lines past 3× are marked.
 */
import type { Label } from '../generate-traces.js';
import type { Curve, Desk, Person, Seat, Sens, Step } from './seventh-model.js';
import { DAY, MIN, SEC, START, Stream, localToUtc, utcOffset } from './seventh-rng.js';

export interface DriftPlan {
  op: string;
  startDay: number;
  /** Daily growth, e.g. 0.11. */
  rate: number;
  days: number;
}

export interface Agent {
  id: string;
  seat: Seat;
  desk: Desk;
  people: Person[];
  networks: Seat['networks'];
  clients: Seat['clients'];
  rateScale: number;
  drift: DriftPlan | null;
}

export interface RawLine {
  t: number;
  agent: Agent;
  op: string;
  tool: string;
  uri: string;
  sens: Sens;
  volume: number;
  amount: number;
  ctx: Record<string, string>;
  label: Label;
  incident: string | null;
  /** Session number within the agent (-1 for planted lines outside sessions). */
  sid: number;
  /** A drift line past 3× its start level. */
  drifted?: boolean;
}

function readdress(cidr: string, copy: number): string {
  if (copy === 0) return cidr;
  const [ip, bits] = cidr.split('/');
  const o = ip!.split('.').map(Number);
  o[2] = (o[2]! + 64 * copy) % 256;
  return `${o.join('.')}/${bits}`;
}

export function makeAgent(desk: Desk, index: number, seed: number): Agent {
  const seat = desk.seats[index % desk.seats.length]!;
  const copy = Math.floor(index / desk.seats.length);
  const id = `${seat.name.split('-')[0]}-${index + 1}`;
  const rng = new Stream(seed, id, 'staffing');
  return {
    id,
    seat,
    desk,
    people: (seat.people ?? []).map((p) => ({ ...p, email: copy ? p.email.replace('@', `${copy + 1}@`) : p.email })),
    networks: seat.networks.map((n) => ({ ...n, cidr: readdress(n.cidr, copy) })),
    clients: seat.clients,
    rateScale: copy ? rng.between(0.75, 1.25) : 1,
    drift: null,
  };
}

const CURVES: Record<Curve, (h: number) => number> = {
  office: (h) => (h < 9 ? 0.6 : h < 12 ? 1.3 : h < 13 ? 0.7 : h < 16 ? 1 : 0.6),
  flat: () => 1,
  night_thin: (h) => (h < 6 ? 0.3 : 1),
  evening: (h) => (h < 7 ? 0.15 : h < 17 ? 0.7 : h < 23 ? 1.6 : 0.5),
};

function hoursOf([from, to]: [number, number]): number[] {
  const out: number[] = [];
  for (let h = from; h !== to && out.length < 24; h = (h + 1) % 24) out.push(h);
  return out;
}

function inShift(hour: number, [from, to]: [number, number]): boolean {
  return from < to ? hour >= from && hour < to : hour >= from || hour < to;
}

/** The value in force on a day, with a change rolling out over its first two days. */
function rolling<T extends { from: number }>(items: T[], day: number, rng: Stream): T {
  let current = items[0]!;
  let previous = current;
  for (const item of items) if (item.from <= day) [previous, current] = [current, item];
  if (current.from > 0 && day - current.from < 2 && rng.chance(0.5)) return previous;
  return current;
}

interface Session {
  start: number;
  proc: string;
  person: Person | null;
}

/** The person a session at a local hour acts for (new colleagues take a growing share over a week). */
export function personFor(agent: Agent, day: number, localHour: number, rng: Stream): Person | null {
  if (!agent.people.length) return null;
  const hour = Math.floor(localHour + 0.15) % 24;
  const fit = agent.people.filter((p) => !p.shift || inShift(hour, p.shift));
  const pool = (fit.length ? fit : agent.people)
    .map((p) => [p.from === undefined ? 1 : Math.min(1, (day - p.from + 1) / 7), p] as const)
    .filter(([w]) => w > 0);
  return rng.weighted(pool);
}

export class SessionRunner {
  private sid = 0;

  constructor(readonly agent: Agent) {}

  context(day: number, person: Person | null, rng: Stream): Record<string, string> {
    const ctx: Record<string, string> = {
      sourceNetwork: rolling(this.agent.networks, day, rng).cidr,
      userAgent: rolling(this.agent.clients, day, rng).ua,
    };
    if (person) ctx.onBehalfOf = person.email;
    return ctx;
  }

  /** Runs one session of a procedure from `start`; returns its lines. */
  run(proc: string, start: number, day: number, ctx: Record<string, string>, rng: Stream): RawLine[] {
    const { seat, desk } = this.agent;
    const adopt = seat.adopt;
    const adopted = !!adopt && day >= adopt.from && rng.chance(Math.min(1, (day - adopt.from + 1) / adopt.over));
    const out: RawLine[] = [];
    const sid = this.sid++;
    let t = start;
    const emit = (op: string) => {
      const def = desk.ops[op];
      if (!def) throw new Error(`seventh: unknown operation ${op}`);
      let volume = def.vol ? Math.max(1, rng.around(def.vol, def.volSpread ?? 0.45)) : 0;
      let drifted = false;
      const drift = this.agent.drift;
      if (drift && drift.op === op) {
        const from = START + drift.startDay * DAY;
        if (t >= from && t < from + drift.days * DAY) {
          const level = Math.pow(1 + drift.rate, (t - from) / DAY);
          volume *= level;
          drifted = level >= 3;
        }
      }
      const amount = def.amtSet ? rng.pick(def.amtSet) : def.amt ? Math.round(rng.around(def.amt, 0.5) * 100) / 100 : 0;
      out.push({
        t: Math.round(t),
        agent: this.agent,
        op,
        tool: def.tool,
        uri: desk.tools[def.tool]!,
        sens: def.sens,
        volume: Math.round(volume),
        amount,
        ctx,
        label: drifted ? 'drift' : 'normal',
        incident: null,
        sid,
        drifted,
      });
      t += Math.max(1, rng.around(seat.pace, 0.5)) * SEC;
    };
    const walk = (steps: Step[]) => {
      for (const step of steps) {
        if (typeof step === 'string') emit(step);
        else if ('opt' in step) {
          if (rng.chance(step.opt)) walk(step.then);
        } else if ('pick' in step) walk(rng.weighted(step.pick));
        else if ('loop' in step) {
          const n = rng.int(step.loop[0], step.loop[1]);
          for (let i = 0; i < n; i++) walk(step.body);
        } else if ('retry' in step) {
          emit(step.retry);
          for (let i = 0; i < 2 && rng.chance(step.p); i++) {
            t = out[out.length - 1]!.t + rng.between(3, 15) * SEC;
            emit(step.retry);
          }
        } else if (adopted) walk(step.adopted);
      }
    };
    const steps = desk.procs[proc];
    if (!steps) throw new Error(`seventh: unknown procedure ${proc}`);
    walk(steps);
    return out;
  }
}

function localHourSample(seat: Seat, window: [number, number], rng: Stream): number {
  const hours = hoursOf(window);
  const h = rng.weighted(hours.map((x) => [CURVES[seat.curve](x), x] as const));
  return h + rng.next();
}

function sessionsOfDay(agent: Agent, day: number, rng: Stream): Session[] {
  const { seat } = agent;
  const weekend = day % 7 >= 5;
  const peaks = (seat.peaks ?? []).filter((p) => p.days.includes(day));
  let mean = seat.rate * agent.rateScale * (weekend ? seat.weekend : 1);
  mean *= Math.exp(0.15 * rng.gauss()) * Math.pow(1 + (seat.growth ?? 0), day);
  const out: Session[] = [];
  const add = (localHour: number, proc: string) =>
    out.push({
      start: localToUtc(seat.zone, day, localHour),
      proc,
      person: personFor(agent, day, localHour, rng),
    });
  for (const peak of peaks) {
    const extra = peak.extra ?? mean * ((peak.factor ?? 1) - 1);
    const n = rng.poisson(extra);
    for (let i = 0; i < n; i++)
      add(localHourSample(seat, peak.window ?? seat.hours, rng), rng.weighted(peak.procs ?? seat.procs));
  }
  const n = rng.poisson(mean);
  for (let i = 0; i < n; i++) add(localHourSample(seat, seat.hours, rng), rng.weighted(seat.procs));
  for (const cron of seat.cron ?? []) {
    if (cron.dow && !cron.dow.includes(day % 7)) continue;
    if (cron.every) {
      for (let m = 0; m < 24 * 60; m += cron.every) {
        const start = START + day * DAY + m * MIN + rng.between(0, 25) * SEC;
        const local = (m / 60 + utcOffset(seat.zone, day) + 24) % 24;
        out.push({ start, proc: cron.proc, person: personFor(agent, day, local, rng) });
      }
    }
    for (const at of cron.at ?? []) {
      const [hh, mm] = at.split(':').map(Number);
      add(hh! + mm! / 60 + rng.between(0, 90) / 3600, cron.proc);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The agent's ordinary traffic over `days` days, in time order, with its runner for planting sessions later. */
export function generateAgentTraffic(
  agent: Agent,
  seed: number,
  days: number,
): { lines: RawLine[]; runner: SessionRunner } {
  const runner = new SessionRunner(agent);
  const laneFree = new Map<string, number>();
  const lines: RawLine[] = [];
  for (let day = 0; day < days; day++) {
    const rng = new Stream(seed, agent.id, 'day', day);
    for (const s of sessionsOfDay(agent, day, rng)) {
      const lane = agent.seat.interleave ? (s.person?.email ?? '-') : '-';
      const start = Math.max(s.start, (laneFree.get(lane) ?? 0) + rng.between(5, 40) * SEC);
      const ctx = runner.context(day, s.person, rng);
      const ls = runner.run(s.proc, start, day, ctx, rng);
      if (ls.length) laneFree.set(lane, ls[ls.length - 1]!.t);
      lines.push(...ls);
    }
  }
  const end = START + days * DAY;
  return { lines: lines.filter((l) => l.t >= START && l.t < end).sort((a, b) => a.t - b.t), runner };
}
