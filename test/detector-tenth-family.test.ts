/**
 * The tenth detector trace family (bench/detector/families/tenth.ts): deterministic for a seed, in time order,
 * registered, valid labels and incident ids from day 10 on, every judged kind planted (at least 16 odd
 * sequences on MEDIUM and 16 on HIGH operations), bulk requests 30–300× the usual, odd sequences that are new
 * transitions of known operations, never-seen tools and contexts, drifts ending in a jump at ~80× the original level,
 * and the desks' rhythms: bots acting for nobody, quiet and busy seats, peaks and slow legitimate change.
 */
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../bench/detector/families/index.js';
import { generateTenthFamily } from '../bench/detector/families/tenth.js';
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
const PRIVATE = /^(10|172\.(1[6-9]|2\d|3[01])|192\.168)\./;

describe('tenth trace family', () => {
  const lines = generateTenthFamily({ seed: 1, agentsPerArchetype: 4, days: 42 });
  const normal = lines.filter((l) => l.label === 'normal');
  const incidents = incidentsOf(lines);
  const of = (agent: string) => normal.filter((l) => l.agent === agent);
  const perDay = (ls: TraceLine[]) => {
    const days = new Map<number, number>();
    for (const l of ls) days.set(dayOf(l), (days.get(dayOf(l)) ?? 0) + 1);
    return days;
  };

  it('is deterministic for a seed, differs across seeds, is in time order and registered as tuned on since its held-out run', () => {
    const small = { seed: 3, agentsPerArchetype: 1, days: 30 };
    expectReproducible(generateTenthFamily, small, lines);
    expect(FAMILIES.tenth).toMatchObject({ generator: 'bench/detector/families/tenth.ts', tunedOn: true });
    expect(FAMILIES.tenth!.generate({ seed: 1, agentsPerArchetype: 4, days: 42 })).toEqual(lines);
    expect(new Set(lines.map((l) => l.archetype))).toEqual(
      new Set(['cloud_finops', 'clinical_trials', 'payroll_ops', 'event_ticketing']),
    );
    expect(new Set(lines.map((l) => l.agent)).size).toBe(16);
  });

  it('uses valid labels and ids, one label and one agent per incident, all from day 10 on', () => {
    expectWellFormed(lines, incidents, /^post_drift-\d+$/);
  });

  it('plants every judged kind, with at least 16 odd sequences on MEDIUM and 16 on HIGH operations', () => {
    const judged = judgedCounts(incidents);
    for (const kind of JUDGED_KINDS) expect(judged.get(kind) ?? 0).toBeGreaterThan(0);
    const count = new Map<string, number>();
    for (const [id, ls] of incidents) {
      const l = ls[0]!;
      const kind = id.startsWith('post_drift')
        ? 'post_drift'
        : l.label === 'odd_sequence'
          ? `odd_sequence ${l.sensitivity}`
          : l.label;
      count.set(kind, (count.get(kind) ?? 0) + 1);
    }
    expect(count.get('odd_sequence MEDIUM')).toBeGreaterThanOrEqual(16);
    expect(count.get('odd_sequence HIGH')).toBeGreaterThanOrEqual(16);
    expect(count.get('bulk_volume')).toBeGreaterThanOrEqual(24);
    expect(count.get('drift')).toBe(8);
    expect(count.get('post_drift')).toBe(8);
    for (const kind of ['new_tool', 'burst', 'odd_context']) expect(count.get(kind)).toBeGreaterThanOrEqual(16);
    for (const ls of incidents.values()) {
      const span = Date.parse(ls[ls.length - 1]!.time) - Date.parse(ls[0]!.time);
      const label = ls[0]!.label;
      if (label === 'burst') {
        expect(ls.length).toBeGreaterThanOrEqual(150);
        expect(ls.length).toBeLessThanOrEqual(400);
        expect(span).toBeGreaterThanOrEqual(3 * 60_000);
        expect(span).toBeLessThanOrEqual(14 * 60_000);
        expect(new Set(ls.map((l) => l.operation)).size).toBe(1);
        expect(['LOW', 'MEDIUM']).toContain(ls[0]!.sensitivity);
        // Far above the agent's pace: more in those minutes than on its median day.
        expect(ls.length).toBeGreaterThan(median([...perDay(of(ls[0]!.agent)).values()]));
      }
      if (label === 'bulk_volume') expect(ls).toHaveLength(1);
      if (label === 'odd_sequence') {
        expect(ls.length).toBeGreaterThanOrEqual(2);
        expect(ls.length).toBeLessThanOrEqual(3);
        expect(new Set(ls.map((l) => l.operation)).size).toBe(1);
        expect(span).toBeLessThanOrEqual(120_000);
      }
    }
  });

  it('bulk requests are 30–300× the usual items or money of their operation for the agent', () => {
    let checked = 0;
    for (const [id, [l]] of incidents) {
      if (l!.label !== 'bulk_volume' || id.startsWith('post_drift')) continue;
      const same = normal.filter((x) => x.agent === l!.agent && x.operation === l!.operation);
      expect(same.length).toBeGreaterThanOrEqual(12);
      const ratio = Math.max(
        l!.volume / Math.max(1, median(same.map((x) => x.volume))),
        l!.amount > 0 ? l!.amount / median(same.map((x) => x.amount)) : 0,
      );
      expect(ratio).toBeGreaterThanOrEqual(30);
      expect(ratio).toBeLessThanOrEqual(300);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(24);
  });

  it('an odd sequence is a routine operation right after a step it never follows, in the same context', () => {
    const thread = (l: TraceLine) => `${l.agent}|${l.context.onBehalfOf ?? ''}`;
    const seen = new Set<string>();
    const last = new Map<string, TraceLine>();
    for (const l of lines) {
      const prev = last.get(thread(l));
      if (prev && prev.label === 'normal' && l.label === 'normal')
        seen.add(`${thread(l)}|${prev.operation}>${l.operation}`);
      last.set(thread(l), l);
    }
    const uses = new Map<string, number>();
    for (const l of normal) uses.set(`${l.agent}|${l.operation}`, (uses.get(`${l.agent}|${l.operation}`) ?? 0) + 1);
    last.clear();
    let checked = 0;
    for (const l of lines) {
      const prev = last.get(thread(l));
      if (l.label === 'odd_sequence' && prev?.label === 'normal') {
        expect(prev.operation).not.toBe(l.operation);
        expect(seen.has(`${thread(l)}|${prev.operation}>${l.operation}`)).toBe(false);
        expect(seen.has(`${thread(l)}|${l.operation}>${l.operation}`)).toBe(false);
        expect(uses.get(`${l.agent}|${l.operation}`) ?? 0).toBeGreaterThanOrEqual(8);
        expect(['MEDIUM', 'HIGH']).toContain(l.sensitivity);
        expect(l.context).toEqual(prev.context);
        checked++;
      }
      last.set(thread(l), l);
    }
    expect(checked).toBe([...incidents.values()].filter((ls) => ls[0]!.label === 'odd_sequence').length);
  });

  it('new tools, networks, clients, people and hours are never seen in the agent’s ordinary traffic', () => {
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
    const everyTool = new Set(normal.map((l) => `${l.archetype}|${l.tool}`));
    const variants = new Set<string>();
    for (const ls of incidents.values()) {
      const [l, agent] = [ls[0]!, ls[0]!.agent];
      if (l.label === 'new_tool') {
        expect(ls.length).toBeLessThanOrEqual(3);
        for (const x of ls) {
          expect(['HIGH', 'CRITICAL']).toContain(x.sensitivity);
          expect(tools.get(agent)!.has(x.tool)).toBe(false);
          expect(everyTool.has(`${x.archetype}|${x.tool}`)).toBe(false);
        }
      }
      if (l.label === 'odd_context') {
        expect(ls.length).toBeGreaterThanOrEqual(2);
        const network = !networks.get(agent)!.has(l.context.sourceNetwork);
        const client = !clients.get(agent)!.has(l.context.userAgent);
        const person =
          !people.get(agent)!.has(l.context.onBehalfOf) &&
          ls.every((x) => !hours.get(agent)!.has(x.time.slice(11, 13)));
        expect([network, client, person].filter(Boolean)).toHaveLength(1);
        if (network) expect(l.context.sourceNetwork).not.toMatch(PRIVATE);
        if (client) expect(l.context.userAgent).toMatch(/^(curl|python-requests)\//);
        variants.add(network ? 'network' : client ? 'client' : 'person');
      }
    }
    expect(variants).toEqual(new Set(['network', 'client', 'person']));
  });

  it('a drift rises for days and ends in one request at ~80× the original level, then returns to normal', () => {
    for (const [id, [jump]] of incidents) {
      if (!id.startsWith('post_drift')) continue;
      const drift = incidents.get(id.replace('post_drift', 'drift'))!;
      expect(drift[0]!.agent).toBe(jump!.agent);
      expect(drift.every((l) => l.operation === jump!.operation)).toBe(true);
      expect(drift[drift.length - 1]!.time < jump!.time).toBe(true);
      expect(dayOf(drift[drift.length - 1]!) - dayOf(drift[0]!)).toBeGreaterThanOrEqual(3);
      const same = normal.filter((l) => l.agent === jump!.agent && l.operation === jump!.operation);
      const usual = median(same.filter((l) => dayOf(l) < 10).map((l) => l.volume));
      expect(jump!.volume / usual).toBeGreaterThan(70);
      expect(jump!.volume / usual).toBeLessThan(90);
      expect(median(drift.map((l) => l.volume)) / usual).toBeGreaterThan(3);
      const after = same.filter((l) => l.time > jump!.time);
      expect(after.length).toBeGreaterThan(0);
      expect(median(after.map((l) => l.volume)) / usual).toBeLessThan(1.5);
    }
  });

  it('has bots acting for nobody, quiet and busy seats, peaks and slow legitimate change', () => {
    for (const bot of ['finops-1', 'trials-1', 'payroll-1', 'tickets-1'])
      expect(of(bot).some((l) => 'onBehalfOf' in l.context)).toBe(false);
    for (const seat of ['finops-2', 'trials-3', 'payroll-3', 'tickets-3'])
      expect(of(seat).every((l) => 'onBehalfOf' in l.context)).toBe(true);
    const usualDay = (agent: string) => median([...perDay(of(agent)).values()]);
    for (const quiet of ['finops-4', 'trials-4', 'payroll-4', 'tickets-4']) expect(usualDay(quiet)).toBeLessThan(30);
    expect(usualDay('tickets-3')).toBeGreaterThan(100);
    // On-sale mornings: the ticketing bot's day triples; pay-run and rush days lift the payroll team.
    const bot = perDay(of('tickets-1'));
    for (const day of [4, 11, 18, 25, 32, 39]) expect(bot.get(day)!).toBeGreaterThan(2.5 * usualDay('tickets-1'));
    const payroll = perDay(of('payroll-3'));
    expect(payroll.get(17)! + payroll.get(16)!).toBeGreaterThan(2.5 * usualDay('payroll-3'));
    // Tools adopted gradually, client upgrades, networks, new colleagues.
    const firstDay = (agent: string, tool: string) =>
      Math.min(
        ...of(agent)
          .filter((l) => l.tool === tool)
          .map(dayOf),
      );
    expect(firstDay('finops-3', 'savings-planner')).toBeGreaterThanOrEqual(12);
    expect(firstDay('tickets-3', 'resale-guard')).toBeGreaterThanOrEqual(13);
    for (const agent of ['finops-2', 'tickets-1', 'tickets-4'])
      expect(new Set(of(agent).map((l) => l.context.userAgent)).size).toBe(2);
    const nets = (agent: string, from: number, to: number) =>
      new Set(
        of(agent)
          .filter((l) => dayOf(l) >= from && dayOf(l) < to)
          .map((l) => l.context.sourceNetwork),
      );
    expect(nets('payroll-4', 0, 17)).toEqual(new Set(['10.31.9.0/24']));
    expect(nets('payroll-4', 24, 42)).toEqual(new Set(['10.33.2.0/24']));
    expect(nets('trials-3', 0, 19).has('10.46.3.0/24')).toBe(false);
    expect(nets('trials-3', 20, 42)).toEqual(new Set(['10.46.3.0/24']));
    const people = (agent: string, from: number, to: number) =>
      new Set(
        of(agent)
          .filter((l) => dayOf(l) >= from && dayOf(l) < to)
          .map((l) => l.context.onBehalfOf),
      );
    expect([...people('tickets-3', 21, 42)].filter((p) => !people('tickets-3', 0, 21).has(p))).toHaveLength(2);
    expect([...people('payroll-3', 24, 42)].filter((p) => !people('payroll-3', 0, 24).has(p))).toHaveLength(2);
    // The US desks start an hour earlier in UTC after 9 March, the London desk after 30 March.
    const earliest = (agent: string, from: number, to: number) =>
      Math.min(
        ...of(agent)
          .filter((l) => dayOf(l) >= from && dayOf(l) < to)
          .map((l) => Number(l.time.slice(11, 13))),
      );
    expect(earliest('trials-3', 7, 42)).toBe(earliest('trials-3', 0, 6) - 1);
    expect(earliest('tickets-2', 28, 42)).toBe(earliest('tickets-2', 0, 26) - 1);
  });
});
