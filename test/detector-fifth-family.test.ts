/**
 * The fifth detector trace family (bench/detector/families/fifth.ts): deterministic for a seed, in time order,
 * valid labels and incident ids from day 10 on, every judged kind planted (16 odd sequences on MEDIUM and 16 on
 * HIGH operations, each an order the agent never takes), and the rhythms it promises: a busy orchestrator naming
 * nobody, quiet desks, interleaved people, a Friday payment run, an outage and the next morning's catch-up.
 */
import { describe, expect, it } from 'vitest';
import { generateFifthFamily } from '../bench/detector/families/fifth.js';
import { FAMILIES } from '../bench/detector/families/index.js';
import type { TraceLine } from '../bench/detector/generate-traces.js';
import { JUDGED_KINDS } from '../bench/detector/replay.js';
import {
  dayOf,
  expectReproducible,
  expectWellFormed,
  incidentsOf,
  judgedCounts,
  median,
} from './helpers/trace-family.js';

const full = { seed: 1, agentsPerArchetype: 4, days: 42 };
const small = { seed: 5, agentsPerArchetype: 1, days: 30 };

describe('fifth trace family', () => {
  const lines = generateFifthFamily(full);
  const incidents = incidentsOf(lines);
  const byAgent = (agent: string) => lines.filter((l) => l.agent === agent);

  it('is deterministic, seeded, in time order and registered as held out', () => {
    expectReproducible(generateFifthFamily, small, lines);
    expect(FAMILIES.fifth).toMatchObject({ generator: 'bench/detector/families/fifth.ts', tunedOn: true });
    expect(new Set(lines.map((l) => l.archetype))).toEqual(
      new Set(['logistics_dispatch', 'treasury_ops', 'devrel_community', 'pharmacy_inventory']),
    );
    expect(new Set(lines.map((l) => l.agent)).size).toBe(16);
  });

  it('labels lines with known kinds and groups each incident under one label, from day 10 on', () => {
    expectWellFormed(lines, incidents, /^post_drift_bulk-\d+$/);
  });

  it('plants every judged kind, with 16 odd sequences on MEDIUM and 16 on HIGH operations', () => {
    const count = judgedCounts(incidents);
    for (const kind of JUDGED_KINDS) expect(count.get(kind) ?? 0).toBeGreaterThan(0);
    expect(count.get('odd_sequence MEDIUM')).toBeGreaterThanOrEqual(16);
    expect(count.get('odd_sequence HIGH')).toBeGreaterThanOrEqual(16);
    expect(count.get('bulk_volume')).toBeGreaterThanOrEqual(24 + 8);
    expect(count.get('drift')).toBe(8);
    expect([...incidents.keys()].filter((id) => id.startsWith('post_drift_bulk'))).toHaveLength(8);
    for (const kind of ['new_tool', 'burst', 'odd_context']) expect(count.get(kind)).toBe(16);
    for (const ls of incidents.values())
      if (ls[0]!.label === 'burst') {
        expect(ls.length).toBeGreaterThanOrEqual(150);
        expect(ls.length).toBeLessThanOrEqual(600);
        expect(Date.parse(ls[ls.length - 1]!.time) - Date.parse(ls[0]!.time)).toBeLessThanOrEqual(15 * 60_000);
      }
  });

  it('an odd sequence is a known operation after a step it never follows, repeated back to back', () => {
    const thread = (l: TraceLine) => `${l.agent}|${l.context.onBehalfOf ?? ''}`;
    const seen = new Set<string>();
    const last = new Map<string, TraceLine>();
    for (const l of lines) {
      const prev = last.get(thread(l));
      if (prev && prev.label === 'normal' && l.label === 'normal')
        seen.add(`${l.agent}|${prev.operation}>${l.operation}`);
      last.set(thread(l), l);
    }
    const known = new Set(lines.filter((l) => l.label === 'normal').map((l) => `${l.agent}|${l.operation}`));
    last.clear();
    let checked = 0;
    for (const l of lines) {
      const prev = last.get(thread(l));
      if (l.label === 'odd_sequence' && prev?.label === 'normal') {
        expect(prev.operation).not.toBe(l.operation);
        expect(seen.has(`${l.agent}|${prev.operation}>${l.operation}`)).toBe(false);
        expect(seen.has(`${l.agent}|${l.operation}>${l.operation}`)).toBe(false);
        expect(known.has(`${l.agent}|${l.operation}`)).toBe(true);
        checked++;
      }
      last.set(thread(l), l);
    }
    expect(checked).toBe(32);
    for (const ls of incidents.values()) {
      if (ls[0]!.label !== 'odd_sequence') continue;
      expect(ls.length).toBeGreaterThanOrEqual(2);
      expect(ls.length).toBeLessThanOrEqual(3);
      expect(new Set(ls.map((l) => l.operation)).size).toBe(1);
      expect(['MEDIUM', 'HIGH']).toContain(ls[0]!.sensitivity);
      expect(Date.parse(ls[ls.length - 1]!.time) - Date.parse(ls[0]!.time)).toBeLessThanOrEqual(120_000);
    }
  });

  it('a new tool is a sensitive tool the agent never used; odd contexts are never seen; drifts end in a jump', () => {
    const normal = lines.filter((l) => l.label === 'normal');
    const seenBy = (f: (l: TraceLine) => string | undefined) => {
      const m = new Map<string, Set<string | undefined>>();
      for (const l of normal) m.set(l.agent, (m.get(l.agent) ?? new Set()).add(f(l)));
      return m;
    };
    const tools = seenBy((l) => l.tool);
    const networks = seenBy((l) => l.context.sourceNetwork);
    const clients = seenBy((l) => l.context.userAgent);
    const people = seenBy((l) => l.context.onBehalfOf);
    const hours = seenBy((l) => l.time.slice(11, 13));
    for (const ls of incidents.values()) {
      const [l, agent] = [ls[0]!, ls[0]!.agent];
      if (l.label === 'new_tool')
        for (const x of ls) {
          expect(['HIGH', 'CRITICAL']).toContain(x.sensitivity);
          expect(tools.get(agent)!.has(x.tool)).toBe(false);
        }
      if (l.label === 'odd_context') {
        const network = !networks.get(agent)!.has(l.context.sourceNetwork);
        const client = !clients.get(agent)!.has(l.context.userAgent);
        const personHour =
          !people.get(agent)!.has(l.context.onBehalfOf) &&
          ls.every((x) => !hours.get(agent)!.has(x.time.slice(11, 13)));
        expect(network || client || personHour).toBe(true);
        if (network) expect(l.context.sourceNetwork).not.toMatch(/^(10|172\.(1[6-9]|2\d|3[01])|192\.168)\./);
        if (client) expect(l.context.userAgent).toMatch(/^(curl|python-requests)\//);
      }
    }
    for (const [id, ls] of incidents) {
      if (!id.startsWith('post_drift')) continue;
      const jump = ls[0]!;
      const drift = [...incidents.values()].find((d) => d[0]!.label === 'drift' && d[0]!.agent === jump.agent)!;
      expect(drift[0]!.operation).toBe(jump.operation);
      expect(drift[drift.length - 1]!.time < jump.time).toBe(true);
      const before = normal.filter((l) => l.agent === jump.agent && l.operation === jump.operation && dayOf(l) < 10);
      const usual = before.map((l) => l.volume).sort((a, b) => a - b)[Math.floor(before.length / 2)]!;
      expect(jump.volume / usual).toBeGreaterThan(50);
      expect(jump.volume / usual).toBeLessThan(130);
    }
  });

  it('has a busy orchestrator naming nobody, quiet desks, and desks that interleave several people', () => {
    const perDay = (agent: string) => {
      const days = new Map<number, number>();
      for (const l of byAgent(agent)) days.set(dayOf(l), (days.get(dayOf(l)) ?? 0) + 1);
      return days;
    };
    const busy = byAgent('dispatch-1');
    expect(busy.some((l) => 'onBehalfOf' in l.context)).toBe(false);
    for (const [day, n] of perDay('dispatch-1')) if (day > 0 && day !== 16) expect(n).toBeGreaterThanOrEqual(1_000);
    for (const quiet of ['treasury-4', 'pharmacy-4']) {
      const weekdays = [...perDay(quiet)].filter(([d]) => d % 7 < 5 && d !== 18 && d !== 19).map(([, n]) => n);
      const usual = median(weekdays);
      expect(usual).toBeGreaterThanOrEqual(10);
      expect(usual).toBeLessThanOrEqual(40);
    }
    const overlapping = byAgent('dispatch-2').some((l, i, ls) => {
      const [b, c] = [ls[i + 1], ls[i + 2]];
      const who = (x?: TraceLine) => x?.context.onBehalfOf;
      return !!c && who(l) === who(c) && who(b) !== who(l) && Date.parse(c.time) - Date.parse(l.time) < 5 * 60_000;
    });
    expect(overlapping).toBe(true);
  });

  it('runs a Friday payment batch and catches up the morning after an outage', () => {
    const releases = byAgent('treasury-1').filter((l) => l.operation === 'release_payment_batch' && !l.incident);
    const friday = releases.filter((l) => dayOf(l) % 7 === 4);
    const other = releases.filter((l) => dayOf(l) % 7 !== 4);
    expect(friday.length).toBeGreaterThan(other.length);
    const mean = (ls: TraceLine[]) => ls.reduce((s, l) => s + l.amount, 0) / ls.length;
    expect(mean(friday)).toBeGreaterThan(2 * mean(other));
    // The TMS is down on day 16 (Wednesday): the Chicago desk makes up for it on Thursday morning.
    const morning = (day: number) =>
      byAgent('dispatch-2').filter(
        (l) => dayOf(l) === day && l.time.slice(11, 13) >= '11' && l.time.slice(11, 13) < '17' && !l.incident,
      ).length;
    expect(morning(16)).toBeLessThan(morning(9) / 4);
    expect(morning(17)).toBeGreaterThan(1.5 * morning(10));
  });
});
