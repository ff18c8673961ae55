/**
 * Incidents of the sixth trace family (bench/detector/families/sixth.ts), planted per agent from its own stream
 * on UTC days 10 and later, each kind on a different day where the agent has enough days, checked against the
 * agent's ledger of normal traffic (sixth-ledger.ts):
 *
 * - drift (seats that name a drift operation): every request of that operation grows 8–15 % a day, compounding,
 *   for 2–3 weeks from day 10–13, labelled once past 3×; the next request of it is one `post_drift_bulk` jump at
 *   ~80× the operation's level before day 10 (labelled bulk_volume); after it the operation is back to normal;
 * - odd_sequence, once on a MEDIUM and once on a HIGH operation X that the agent uses routinely and never twice in
 *   a row: after a normal step A that X never follows (per person, and preferably in the agent's whole stream), X
 *   2–3 times within two minutes, normal items and money, the same context; only the X lines are labelled;
 * - odd_context: a routine session relabelled with a public network or a scripting client (curl, python-requests),
 *   or, for seats that name people and keep hours, a new session for a never-seen person in two UTC hours in
 *   which the agent is never active;
 * - new_tool: after an ordinary session, 1–2 HIGH/CRITICAL calls to a tool of the organisation the agent never uses;
 * - burst: 150–600 requests of a routine LOW/MEDIUM operation within 3–15 minutes, normal items and context;
 * - bulk_volume (twice): one routine request at 30–300× the operation's usual items or money.
 */
import type { TraceLine } from '../generate-traces.js';
import { baseline, buildLedger, claim, isFree, median, type Ledger, type Row } from './sixth-ledger.js';
import { play, type Sensitivity } from './sixth-model.js';
import { DAY, HOUR, MIN, SEC, START, Rng, iso, utcDay } from './sixth-rng.js';
import { adoptionOf, personName, render, type Agent, type Session } from './sixth-traffic.js';

const PUBLIC_NETWORKS = [
  '185.220.101.0/24',
  '45.155.204.0/24',
  '91.242.217.0/24',
  '194.26.192.0/24',
  '103.251.167.0/24',
];
const SCRIPT_CLIENTS = ['curl/8.5.0', 'python-requests/2.31.0', 'curl/7.88.1', 'python-requests/2.32.3'];

interface Planter {
  end: number;
  ids: Map<string, number>;
  extra: TraceLine[];
}

interface Plot {
  p: Planter;
  ledger: Ledger;
  rng: Rng;
  /** The operation drifting for this agent, kept out of every other incident, and when it is touched. */
  drifting?: string;
  window?: [number, number];
}

function nextId(p: Planter, kind: string): string {
  const n = (p.ids.get(kind) ?? 0) + 1;
  p.ids.set(kind, n);
  return `${kind}-${n}`;
}

const cents = (x: number) => Math.round(x * 100) / 100;

function lineOf(agent: Agent, op: string, ms: number, context: Record<string, string>, volume: number, amount: number) {
  const spec = agent.office.ops[op]!;
  return {
    time: iso(Math.round(ms)),
    agent: agent.id,
    archetype: agent.office.archetype,
    platform: agent.seat.platform,
    tool: spec.tool,
    toolResource: agent.office.tools[spec.tool]!,
    operation: op,
    sensitivity: spec.sens,
    volume,
    amount,
    context: { ...context },
  };
}

function normalRows({ ledger, p, drifting }: Plot, day: number): Row[] {
  return ledger.rows.filter(
    (r) => utcDay(r.ms) === day && r.ms < p.end && r.line.label === 'normal' && r.line.operation !== drifting,
  );
}

const routine = (ledger: Ledger, op: string, min: number) =>
  (ledger.count.get(op) ?? 0) >= min && (ledger.activeDays.get(op)?.size ?? 0) >= 4;

const samplesOf = (ledger: Ledger, op: string) =>
  ledger.rows.filter((r) => r.line.operation === op && r.line.label === 'normal').map((r) => r.line);

function plantDrift(plot: Plot, days: number): string | undefined {
  const { ledger, rng, p } = plot;
  const op = ledger.agent.seat.drift;
  if (!op || days < 26 || !ledger.count.get(op)) return undefined;
  const original = baseline(ledger, op);
  const first = rng.int(10, 13);
  let rate = rng.between(0.08, 0.15);
  // At least four days past 3×, within 2–3 weeks (shorter, and so steeper, when the traces are short).
  const tripled = Math.log(3) / Math.log(1 + rate);
  const length = Math.min(Math.max(rng.int(14, 21), Math.ceil(tripled) + 4 + rng.int(0, 2)), 21, days - 3 - first);
  if (length < tripled + 4) rate = Math.pow(3, 1 / (length - 4)) - 1;
  const t0 = START + first * DAY + rng.int(0, 23) * HOUR;
  const t1 = t0 + length * DAY;
  const factor = (ms: number) => Math.pow(1 + rate, (ms - t0) / DAY);
  const rows = ledger.rows.filter((r) => r.line.operation === op);
  const ramp = rows.filter((r) => r.ms >= t0 && r.ms < t1);
  const jump = rows.find((r) => r.ms >= t1 && r.ms < p.end);
  if (original < 3 || !jump || !ramp.some((r) => factor(r.ms) >= 3)) return undefined;
  const id = nextId(p, 'drift');
  for (const { line, ms } of ramp) {
    line.volume = Math.max(1, Math.round(line.volume * factor(ms)));
    if (factor(ms) >= 3) Object.assign(line, { label: 'drift', incident: id });
  }
  jump.line.volume = Math.round(original * 80 * rng.between(0.92, 1.08));
  Object.assign(jump.line, { label: 'bulk_volume', incident: nextId(p, 'post_drift_bulk') });
  claim(ledger, jump.ms, jump.ms);
  plot.window = [t0, jump.ms];
  return op;
}

function oddSequence(plot: Plot, day: number, sens: Sensitivity): boolean {
  const { ledger, rng, p, drifting } = plot;
  const agent = ledger.agent;
  const xs = [...ledger.count.keys()].filter(
    (op) =>
      agent.office.ops[op]!.sens === sens &&
      op !== drifting &&
      routine(ledger, op, 8) &&
      !ledger.threadPairs.has(`${op}>${op}`),
  );
  if (xs.length === 0) return false;
  const rows = rng.shuffled(normalRows(plot, day));
  for (const strict of [true, false])
    for (const a of rows)
      for (const x of rng.shuffled(xs)) {
        const pair = `${a.line.operation}>${x}`;
        if (x === a.line.operation || ledger.threadPairs.has(pair) || (strict && ledger.agentPairs.has(pair))) continue;
        const times = [a.ms + rng.between(12, 40) * SEC];
        for (const n = rng.int(2, 3); times.length < n;)
          times.push(times[times.length - 1]! + rng.between(8, 45) * SEC);
        const last = times[times.length - 1]!;
        const clear = last + 30 * SEC;
        if (clear >= p.end || (ledger.nextInThread.get(a.line) ?? Infinity) <= clear) continue;
        if (strict && (ledger.nextInAgent.get(a.line) ?? Infinity) <= clear) continue;
        if (!claim(ledger, a.ms, last)) continue;
        const samples = samplesOf(ledger, x);
        const id = nextId(p, 'odd_sequence');
        for (const t of times) {
          const s = rng.pick(samples);
          p.extra.push({
            ...lineOf(agent, x, t, a.line.context, s.volume, s.amount),
            label: 'odd_sequence',
            incident: id,
          });
        }
        return true;
      }
  return false;
}

/** UTC hours h where neither h nor h + 1 ever sees the agent. */
function quietHours(ledger: Ledger): number[] {
  return Array.from({ length: 23 }, (_, h) => h).filter((h) => !ledger.hours.has(h) && !ledger.hours.has(h + 1));
}

function oddContext(plot: Plot, day: number): boolean {
  const { ledger, rng, p, drifting, window } = plot;
  const agent = ledger.agent;
  const quiet = quietHours(ledger);
  const touched = (l: TraceLine) =>
    l.operation === drifting && !!window && l.time >= iso(window[0]) && l.time <= iso(window[1]);
  let variant = (['network', 'client', 'person'] as const)[agent.order % 3]!;
  if (variant === 'person' && (agent.seat.people.mode === 'none' || quiet.length === 0))
    variant = agent.order % 2 ? 'client' : 'network';
  const sessions = rng
    .shuffled(ledger.byDay.get(day) ?? [])
    .filter((s) => s.lines.length >= 2 && s.lines.every((l) => l.label === 'normal' && !touched(l)));
  if (variant === 'person') {
    const h = rng.pick(quiet);
    const start = START + day * DAY + h * HOUR + rng.between(3, 12) * MIN;
    const limit = START + day * DAY + (h + 2) * HOUR - SEC;
    const template = sessions[0]?.lines[0];
    if (!template || limit >= p.end || !isFree(ledger, start, limit)) return false;
    const playbook = rng.weighted(Object.entries(agent.seat.mix));
    const ops = play(agent.office.playbooks[playbook]!, rng, adoptionOf(agent, day)).filter((op) => op !== drifting);
    const known = new Set([...ledger.people, ...agent.people, ...(agent.joiner ? [agent.joiner.person] : [])]);
    const context = {
      sourceNetwork: template.context.sourceNetwork!,
      onBehalfOf: personName(rng, agent.office.domain, known),
      userAgent: template.context.userAgent!,
    };
    const lines = render(agent, day, start, ops, context, rng).filter((l) => Date.parse(l.time) <= limit);
    if (lines.length < 2 || !claim(ledger, start, Date.parse(lines[lines.length - 1]!.time))) return false;
    const id = nextId(p, 'odd_context');
    for (const l of lines) Object.assign(l, { label: 'odd_context', incident: id });
    p.extra.push(...lines);
    return true;
  }
  for (const s of sessions) {
    if (!claim(ledger, Date.parse(s.lines[0]!.time), Date.parse(s.lines[s.lines.length - 1]!.time))) continue;
    const id = nextId(p, 'odd_context');
    const network = rng.pick(PUBLIC_NETWORKS);
    const client = rng.pick(SCRIPT_CLIENTS);
    for (const l of s.lines) {
      Object.assign(l, { label: 'odd_context', incident: id });
      if (variant === 'network') l.context.sourceNetwork = network;
      else l.context.userAgent = client;
    }
    return true;
  }
  return false;
}

function newTool(plot: Plot, day: number): boolean {
  const { ledger, rng, p } = plot;
  const foreign = ledger.agent.office.foreign.filter((f) => !ledger.tools.has(f.tool));
  if (foreign.length === 0) return false;
  const sessions = rng.shuffled(ledger.byDay.get(day) ?? []).filter((s: Session) => s.lines.length >= 2);
  for (const s of sessions) {
    const last = s.lines[s.lines.length - 1]!;
    const times = [Date.parse(last.time) + rng.between(20, 90) * SEC];
    if (rng.chance(0.5)) times.push(times[0]! + rng.between(10, 60) * SEC);
    const end = times[times.length - 1]!;
    if (end >= p.end || !claim(ledger, Date.parse(s.lines[0]!.time), end)) continue;
    const f = rng.pick(foreign);
    const id = nextId(p, 'new_tool');
    for (const t of times)
      p.extra.push({
        ...lineOf(
          ledger.agent,
          last.operation,
          t,
          last.context,
          f.items,
          f.money ? cents(rng.logNormal(f.money, 0.3)) : 0,
        ),
        tool: f.tool,
        toolResource: f.resource,
        operation: f.op,
        sensitivity: f.sens,
        label: 'new_tool',
        incident: id,
      });
    return true;
  }
  return false;
}

function burst(plot: Plot, day: number): boolean {
  const { ledger, rng, p } = plot;
  const ops = ledger.agent.office.ops;
  // A routine LOW/MEDIUM operation the agent uses several times on a day it uses it at all.
  const ok = (op: string) =>
    (ops[op]!.sens === 'LOW' || ops[op]!.sens === 'MEDIUM') &&
    routine(ledger, op, 20) &&
    ledger.count.get(op)! >= 3 * ledger.activeDays.get(op)!.size;
  for (const a of rng.shuffled(normalRows(plot, day).filter((r) => ok(r.line.operation)))) {
    const n = rng.int(150, 600);
    const start = a.ms + rng.between(5, 30) * SEC;
    const end = start + rng.between(3, 15) * MIN;
    if (end >= p.end || !claim(ledger, a.ms, end)) continue;
    const samples = samplesOf(ledger, a.line.operation);
    const times = Array.from({ length: n }, () => rng.between(start, end)).sort((x, y) => x - y);
    const id = nextId(p, 'burst');
    for (const t of times) {
      const s = rng.pick(samples);
      const line = lineOf(ledger.agent, a.line.operation, t, a.line.context, s.volume, s.amount);
      p.extra.push({ ...line, label: 'burst', incident: id });
    }
    return true;
  }
  return false;
}

function bulk(plot: Plot, day: number, used: Set<string>): boolean {
  const { ledger, rng, p } = plot;
  const rows = normalRows(plot, day).filter((r) => routine(ledger, r.line.operation, 10));
  const ops = [...new Set(rows.map((r) => r.line.operation))];
  const fresh = ops.filter((op) => !used.has(op));
  for (const op of [...rng.shuffled(fresh), ...rng.shuffled(ops.filter((o) => used.has(o)))])
    for (const r of rng.shuffled(rows.filter((x) => x.line.operation === op))) {
      if (!claim(ledger, r.ms, r.ms)) continue;
      const factor = Math.exp(rng.between(Math.log(30), Math.log(300)));
      const money = median(ledger.money.get(op) ?? []);
      const items = median(ledger.items.get(op) ?? []);
      if (money > 0 && (items <= 1 || rng.chance(0.5))) r.line.amount = cents(money * factor);
      else r.line.volume = Math.max(30, Math.round(items * factor));
      Object.assign(r.line, { label: 'bulk_volume', incident: nextId(p, 'bulk_volume') });
      used.add(op);
      return true;
    }
  return false;
}

/**
 * Plants every agent's incidents into its normal sessions (relabelling lines in place) and returns the lines it
 * adds. Agents are planted in order, so incident numbers are stable for a seed.
 */
export function plantIncidents(seed: number, days: number, agents: readonly Agent[], sessions: readonly Session[]) {
  const p: Planter = { end: START + days * DAY, ids: new Map(), extra: [] };
  const byAgent = new Map<Agent, Session[]>();
  for (const s of sessions) byAgent.set(s.agent, [...(byAgent.get(s.agent) ?? []), s]);
  for (const agent of agents) {
    const ledger = buildLedger(agent, byAgent.get(agent) ?? []);
    const rng = new Rng(seed, 'incidents', agent.id);
    const pool = rng.shuffled(
      [...ledger.byDay].filter(([d, ss]) => d >= 10 && d < days && ss.some((s) => s.lines.length >= 3)).map(([d]) => d),
    );
    if (pool.length === 0) continue;
    const plot: Plot = { p, ledger, rng };
    const drifting = plantDrift(plot, days);
    if (drifting) plot.drifting = drifting;
    let k = 0;
    const attempt = (plant: (day: number) => boolean) => {
      const first = pool[k++ % pool.length]!;
      for (const day of [first, ...pool.filter((d) => d !== first)]) if (plant(day)) return;
    };
    attempt((d) => oddSequence(plot, d, 'MEDIUM'));
    attempt((d) => oddSequence(plot, d, 'HIGH'));
    attempt((d) => oddContext(plot, d));
    attempt((d) => newTool(plot, d));
    attempt((d) => burst(plot, d));
    const used = new Set<string>();
    attempt((d) => bulk(plot, d, used));
    attempt((d) => bulk(plot, d, used));
  }
  return p.extra;
}
