/**
 * What each agent of the sixth family (bench/detector/families/sixth.ts) did in its normal traffic, read before
 * any incident is planted: the order of operations per person (thread) and per agent, its tools, networks,
 * clients, people and active UTC hours, the usual items and money per operation, and its sessions per UTC day.
 * Planting only adds lines or relabels normal ones (never deletes or moves one), so what the ledger says was never
 * seen stays unseen in the final traces.
 */
import type { TraceLine } from '../generate-traces.js';
import { DAY, MIN, START, utcDay } from './sixth-rng.js';
import type { Agent, Session } from './sixth-traffic.js';

export interface Row {
  ms: number;
  line: TraceLine;
  session: Session;
}

export interface Ledger {
  agent: Agent;
  rows: Row[];
  /** Time of the next line of the same thread (person) / of the agent, by line. */
  nextInThread: Map<TraceLine, number>;
  nextInAgent: Map<TraceLine, number>;
  /** `a>b`: b directly followed a, within one thread / in the agent's whole stream. */
  threadPairs: Set<string>;
  agentPairs: Set<string>;
  count: Map<string, number>;
  activeDays: Map<string, Set<number>>;
  items: Map<string, number[]>;
  money: Map<string, number[]>;
  tools: Set<string>;
  networks: Set<string>;
  clients: Set<string>;
  people: Set<string>;
  hours: Set<number>;
  /** Sessions by the UTC day of their first line. */
  byDay: Map<number, Session[]>;
  /** Time spans already used by planted incidents. */
  reserved: [number, number][];
}

export const threadOf = (l: TraceLine) => l.context.onBehalfOf ?? '';

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
};

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function buildLedger(agent: Agent, sessions: readonly Session[]): Ledger {
  const rows: Row[] = [];
  const byDay = new Map<number, Session[]>();
  for (const session of sessions) {
    for (const line of session.lines) rows.push({ ms: Date.parse(line.time), line, session });
    push(byDay, utcDay(Date.parse(session.lines[0]!.time)), session);
  }
  rows.sort((a, b) => a.ms - b.ms);
  const ledger: Ledger = {
    agent,
    rows,
    nextInThread: new Map(),
    nextInAgent: new Map(),
    threadPairs: new Set(),
    agentPairs: new Set(),
    count: new Map(),
    activeDays: new Map(),
    items: new Map(),
    money: new Map(),
    tools: new Set(),
    networks: new Set(),
    clients: new Set(),
    people: new Set(),
    hours: new Set(),
    byDay,
    reserved: [],
  };
  const lastInThread = new Map<string, Row>();
  let previous: Row | undefined;
  for (const row of rows) {
    const { line, ms } = row;
    const op = line.operation;
    const thread = threadOf(line);
    const before = lastInThread.get(thread);
    if (before) {
      ledger.threadPairs.add(`${before.line.operation}>${op}`);
      ledger.nextInThread.set(before.line, ms);
    }
    if (previous) {
      ledger.agentPairs.add(`${previous.line.operation}>${op}`);
      ledger.nextInAgent.set(previous.line, ms);
    }
    lastInThread.set(thread, row);
    previous = row;
    ledger.count.set(op, (ledger.count.get(op) ?? 0) + 1);
    const days = ledger.activeDays.get(op) ?? new Set<number>();
    ledger.activeDays.set(op, days.add(utcDay(ms)));
    push(ledger.items, op, line.volume);
    if (line.amount > 0) push(ledger.money, op, line.amount);
    ledger.tools.add(line.tool);
    ledger.networks.add(line.context.sourceNetwork ?? '');
    ledger.clients.add(line.context.userAgent ?? '');
    if (line.context.onBehalfOf) ledger.people.add(line.context.onBehalfOf);
    ledger.hours.add(new Date(ms).getUTCHours());
  }
  return ledger;
}

/** Whether [from, to] keeps ten minutes clear of every planted incident, and reserves it if so. */
export function claim(ledger: Ledger, from: number, to: number): boolean {
  const margin = 10 * MIN;
  if (ledger.reserved.some(([a, b]) => from - margin < b && to + margin > a)) return false;
  ledger.reserved.push([from, to]);
  return true;
}

export const isFree = (ledger: Ledger, from: number, to: number) =>
  !ledger.reserved.some(([a, b]) => from - 10 * MIN < b && to + 10 * MIN > a);

/** The usual items (or money) of an operation before day 10, for the drift's original level. */
export function baseline(ledger: Ledger, op: string): number {
  return median(
    ledger.rows.filter((r) => r.line.operation === op && r.ms < START + 10 * DAY).map((r) => r.line.volume),
  );
}
