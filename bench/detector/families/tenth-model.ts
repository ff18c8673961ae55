/**
 * The tenth family's model of a desk: an operation catalogue per archetype, procedures written as steps (optional
 * steps, weighted branches, loops, retries), and per-agent plans (hours, session rates, people, networks, clients).
 * `runAgent` turns a plan into the agent's ordinary requests, session by session.
 */
import type { Sensitivity } from '../../../risk/types.js';
import type { TraceLine } from '../generate-traces.js';
import type { Rand } from './tenth-rng.js';

export const DAY_MS = 86_400_000;
export const T0 = Date.parse('2025-03-03T00:00:00Z');

export interface OpSpec {
  tool: string;
  sensitivity: Sensitivity;
  /** Usual items touched per request, [low, high] (log-uniform). */
  volume: [number, number];
  /** Usual money moved per request, [low, high]; absent when the operation moves none. */
  amount?: [number, number];
}

export type Step =
  | string
  | { maybe: number; then: Step[] }
  | { loop: [number, number]; body: Step[] }
  | { branch: [number, Step[]][] }
  | { retry: number; op: string };

export interface ForeignOp {
  tool: string;
  resource: string;
  operation: string;
  sensitivity: Sensitivity;
  volume: [number, number];
  amount?: [number, number];
}

/** Local working windows: [from hour, to hour (may pass 24), weight]. */
export type Window = [number, number, number];

export interface AgentPlan {
  id: string;
  role: 'bot' | 'assistant' | 'team' | 'quiet';
  platform: string;
  /** Hours to add to UTC to get the agent's local time on a day. */
  utcOffset(day: number): number;
  windows(day: number): Window[];
  /** Mean sessions on a day. */
  sessions(day: number): number;
  /** People the agent acts for on a day; null: acts for nobody. */
  people(day: number): string[] | null;
  network(day: number, r: Rand): string;
  client(day: number, r: Rand): string;
  procedure(day: number, r: Rand): Step[];
  /** Seconds between steps, [low, high]. */
  gap: [number, number];
  volumeScale: number;
  /** The operation that drifts, when this agent drifts. */
  driftOp?: string;
}

export interface ArchetypeDef {
  archetype: string;
  /** Tool name → resource URI. */
  tools: Record<string, string>;
  ops: Record<string, OpSpec>;
  /** Sensitive operations on tools none of this archetype's agents use (for new_tool). */
  foreign: ForeignOp[];
  /** Names never seen acting through these agents (for odd_context). */
  strangers: string[];
  agents(count: number): AgentPlan[];
}

export const weekday = (day: number) => ((day % 7) + 7) % 7 < 5; // day 0 is a Monday
/** US clocks go forward on Sunday 2025-03-09 (day 6); UK clocks on Sunday 2025-03-30 (day 27). */
export const usOffset = (standard: number) => (day: number) => (day >= 6 ? standard + 1 : standard);
export const ukOffset = (day: number) => (day >= 27 ? 1 : 0);
export const ramp = (day: number, from: number, to: number, top: number) =>
  day < from ? 0 : day >= to ? top : (top * (day - from)) / (to - from);

export function expand(steps: Step[], r: Rand, out: string[] = []): string[] {
  for (const s of steps) {
    if (typeof s === 'string') out.push(s);
    else if ('maybe' in s) {
      if (r.chance(s.maybe)) expand(s.then, r, out);
    } else if ('loop' in s) {
      const n = r.int(s.loop[0], s.loop[1]);
      for (let i = 0; i < n; i++) expand(s.body, r, out);
    } else if ('branch' in s) expand(r.weighted(s.branch), r, out);
    else {
      out.push(s.op);
      for (let i = 0; i < 2 && r.chance(s.retry); i++) out.push(`${s.op}#retry`);
    }
  }
  return out;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function makeLine(
  def: ArchetypeDef,
  plan: AgentPlan,
  op: string,
  ms: number,
  context: Record<string, string>,
  r: Rand,
): TraceLine {
  const spec = def.ops[op];
  if (!spec) throw new Error(`tenth: unknown operation ${op}`);
  const volume = Math.max(1, Math.round(r.spread(spec.volume[0], spec.volume[1]) * plan.volumeScale));
  const amount = spec.amount ? round2(r.spread(spec.amount[0], spec.amount[1])) : 0;
  return {
    time: new Date(ms).toISOString(),
    agent: plan.id,
    archetype: def.archetype,
    platform: plan.platform,
    tool: spec.tool,
    toolResource: def.tools[spec.tool]!,
    operation: op,
    sensitivity: spec.sensitivity,
    volume,
    amount,
    context: { ...context },
    label: 'normal',
    incident: null,
  };
}

/** One session: the expanded steps from `startMs`, a few seconds to a minute or two apart (sometimes a pause). */
export function runSession(
  def: ArchetypeDef,
  plan: AgentPlan,
  steps: string[],
  startMs: number,
  context: Record<string, string>,
  r: Rand,
  calm = false,
): TraceLine[] {
  const lines: TraceLine[] = [];
  let t = startMs;
  for (const step of steps) {
    const retry = step.endsWith('#retry');
    const op = retry ? step.slice(0, -6) : step;
    if (lines.length > 0) {
      t += retry ? r.between(2, 9) * 1000 : r.spread(plan.gap[0], plan.gap[1]) * 1000;
      if (!retry && !calm && r.chance(0.06)) t += r.between(120, 480) * 1000;
    }
    lines.push(makeLine(def, plan, op, Math.round(t), context, r));
  }
  return lines;
}

export function contextFor(plan: AgentPlan, day: number, r: Rand): Record<string, string> {
  const people = plan.people(day);
  const context: Record<string, string> = { sourceNetwork: plan.network(day, r) };
  if (people) context.onBehalfOf = r.pick(people);
  context.userAgent = plan.client(day, r);
  return context;
}

/** A session start on a day, in UTC ms, drawn from the plan's local windows. */
export function sessionStart(plan: AgentPlan, day: number, r: Rand): number | null {
  const windows = plan.windows(day);
  if (windows.length === 0) return null;
  const [from, to] = r.weighted(windows.map((w) => [w[2], w] as const));
  const localHour = r.between(from, to);
  return T0 + day * DAY_MS + (localHour - plan.utcOffset(day)) * 3_600_000;
}

/**
 * Every ordinary request of one agent over the days, inside [T0, T0 + days). A person has one task with the agent at
 * a time (and a bot runs one job at a time): a session that would start while the same person's previous one is still
 * running waits until it has ended, plus a short pause. Colleagues' sessions interleave freely.
 */
export function runAgent(def: ArchetypeDef, plan: AgentPlan, days: number, r: Rand): TraceLine[] {
  const lines: TraceLine[] = [];
  const end = T0 + days * DAY_MS;
  const busyUntil = new Map<string, number>();
  for (let day = 0; day < days; day++) {
    const n = r.count(plan.sessions(day));
    const planned: { start: number; context: Record<string, string>; steps: string[] }[] = [];
    for (let s = 0; s < n; s++) {
      const start = sessionStart(plan, day, r);
      if (start === null) break;
      planned.push({ start, context: contextFor(plan, day, r), steps: expand(plan.procedure(day, r), r) });
    }
    planned.sort((a, b) => a.start - b.start);
    for (const { start, context, steps } of planned) {
      const who = context.onBehalfOf ?? '';
      const free = busyUntil.get(who) ?? -Infinity;
      const begin = start > free ? start : free + r.between(20, 240) * 1000;
      // A bot does not stop to think mid-job: only people's sessions get the occasional pause of a few minutes.
      const session = runSession(def, plan, steps, Math.round(begin), context, r, plan.role === 'bot');
      if (session.length > 0) busyUntil.set(who, Date.parse(session[session.length - 1]!.time));
      for (const l of session) {
        const ms = Date.parse(l.time);
        if (ms >= T0 && ms < end) lines.push(l);
      }
    }
  }
  return lines.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}
