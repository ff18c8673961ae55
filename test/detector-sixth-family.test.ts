/**
 * The sixth detector trace family (bench/detector/families/sixth.ts): deterministic for a seed, in time order,
 * registered as held out, valid labels and incident ids from day 10 on, every judged kind planted (16 odd
 * sequences on MEDIUM and 16 on HIGH operations, each after a step the operation never follows), never-seen tools,
 * networks, clients, people and hours where promised, drifts ending in a jump; and the rhythms it promises: bots
 * naming nobody, interleaved teams, quiet seats, a storm, a flash sale, a month-start cycle, gradual change.
 */
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../bench/detector/families/index.js';
import { generateSixthFamily } from '../bench/detector/families/sixth.js';
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
const small = { seed: 3, agentsPerArchetype: 1, days: 30 };
const RFC1918 = /^(10|172\.(1[6-9]|2\d|3[01])|192\.168)\./;

describe('sixth trace family', () => {
  const lines = generateSixthFamily(full);
  const normal = lines.filter((l) => l.label === 'normal');
  const incidents = incidentsOf(lines);
  const of = (agent: string) => lines.filter((l) => l.agent === agent);
  const perDay = (ls: TraceLine[]) => {
    const days = new Map<number, number>();
    for (const l of ls) days.set(dayOf(l), (days.get(dayOf(l)) ?? 0) + 1);
    return days;
  };

  it('is deterministic, seeded, in time order and registered as held out', () => {
    expectReproducible(generateSixthFamily, small, lines);
    expect(FAMILIES.sixth).toMatchObject({ generator: 'bench/detector/families/sixth.ts', tunedOn: true });
    expect(new Set(lines.map((l) => l.archetype))).toEqual(
      new Set(['mortgage_underwriting', 'energy_grid_ops', 'retail_ecommerce', 'gov_benefits']),
    );
    expect(new Set(lines.map((l) => l.agent)).size).toBe(16);
  });

  it('labels lines with known kinds and groups each incident under one label, from day 10 on', () => {
    expectWellFormed(lines, incidents, /^post_drift_bulk-\d+$/);
  });

  it('plants every judged kind, with at least 16 odd sequences on MEDIUM and 16 on HIGH operations', () => {
    const count = judgedCounts(incidents);
    for (const kind of JUDGED_KINDS) expect(count.get(kind) ?? 0).toBeGreaterThan(0);
    expect(count.get('odd_sequence MEDIUM')).toBeGreaterThanOrEqual(16);
    expect(count.get('odd_sequence HIGH')).toBeGreaterThanOrEqual(16);
    expect(count.get('bulk_volume')).toBeGreaterThanOrEqual(24 + 8);
    expect(count.get('drift')).toBe(8);
    expect([...incidents.keys()].filter((id) => id.startsWith('post_drift_bulk'))).toHaveLength(8);
    for (const kind of ['new_tool', 'burst', 'odd_context']) expect(count.get(kind)).toBe(16);
    for (const ls of incidents.values()) {
      const kind = ls[0]!.label;
      const span = Date.parse(ls[ls.length - 1]!.time) - Date.parse(ls[0]!.time);
      if (kind === 'burst') {
        expect(ls.length).toBeGreaterThanOrEqual(150);
        expect(ls.length).toBeLessThanOrEqual(600);
        expect(span).toBeLessThanOrEqual(15 * 60_000);
        expect(new Set(ls.map((l) => l.operation)).size).toBe(1);
        expect(['LOW', 'MEDIUM']).toContain(ls[0]!.sensitivity);
      }
      if (kind === 'bulk_volume') expect(ls).toHaveLength(1);
      if (kind === 'new_tool') expect(ls.length).toBeLessThanOrEqual(2);
    }
  });

  it('bulk requests are 30–300× the usual items or money of their operation', () => {
    for (const [id, [l]] of incidents) {
      if (l!.label !== 'bulk_volume' || id.startsWith('post_drift')) continue;
      const same = normal.filter((x) => x.agent === l!.agent && x.operation === l!.operation);
      const ratio = Math.max(
        l!.volume / median(same.map((x) => x.volume)),
        l!.amount > 0 ? l!.amount / median(same.map((x) => x.amount)) : 0,
      );
      expect(ratio).toBeGreaterThanOrEqual(25);
      expect(ratio).toBeLessThanOrEqual(330);
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
    const uses = new Map<string, number>();
    for (const l of normal) uses.set(`${l.agent}|${l.operation}`, (uses.get(`${l.agent}|${l.operation}`) ?? 0) + 1);
    last.clear();
    let checked = 0;
    for (const l of lines) {
      const prev = last.get(thread(l));
      if (l.label === 'odd_sequence' && prev?.label === 'normal') {
        expect(prev.operation).not.toBe(l.operation);
        expect(seen.has(`${l.agent}|${prev.operation}>${l.operation}`)).toBe(false);
        expect(seen.has(`${l.agent}|${l.operation}>${l.operation}`)).toBe(false);
        expect(uses.get(`${l.agent}|${l.operation}`) ?? 0).toBeGreaterThanOrEqual(8);
        expect(l.context).toEqual(prev.context);
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
    const variants = new Set<string>();
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
        expect([network, client, personHour].filter(Boolean)).toHaveLength(1);
        if (network) expect(l.context.sourceNetwork).not.toMatch(RFC1918);
        if (client) expect(l.context.userAgent).toMatch(/^(curl|python-requests)\//);
        variants.add(network ? 'network' : client ? 'client' : 'person');
      }
    }
    expect(variants).toEqual(new Set(['network', 'client', 'person']));
    for (const [id, ls] of incidents) {
      if (!id.startsWith('post_drift')) continue;
      const jump = ls[0]!;
      const drift = [...incidents.values()].find((d) => d[0]!.label === 'drift' && d[0]!.agent === jump.agent)!;
      expect(drift.every((l) => l.operation === jump.operation)).toBe(true);
      expect(drift[drift.length - 1]!.time < jump.time).toBe(true);
      // The labelled part of the rise spans several days.
      expect(dayOf(drift[drift.length - 1]!) - dayOf(drift[0]!)).toBeGreaterThanOrEqual(3);
      const before = normal.filter((l) => l.agent === jump.agent && l.operation === jump.operation && dayOf(l) < 10);
      const usual = median(before.map((l) => l.volume));
      expect(jump.volume / usual).toBeGreaterThan(60);
      expect(jump.volume / usual).toBeLessThan(100);
      expect(median(drift.map((l) => l.volume)) / usual).toBeGreaterThan(2.5);
      // After the jump the operation is back to its usual level.
      const after = normal.filter(
        (l) => l.agent === jump.agent && l.operation === jump.operation && l.time > jump.time,
      );
      if (after.length >= 5) expect(median(after.map((l) => l.volume)) / usual).toBeLessThan(1.6);
    }
  });

  it('has bots naming nobody, teams interleaved, quiet seats and busy ones', () => {
    for (const bot of ['mortgage-2', 'grid-1', 'shop-1', 'shop-4', 'benefits-2'])
      expect(of(bot).some((l) => 'onBehalfOf' in l.context)).toBe(false);
    for (const seat of ['mortgage-1', 'grid-2', 'shop-2', 'benefits-1']) {
      const ls = of(seat).filter((l) => l.context.onBehalfOf);
      const interleaved = ls.some((l, i) => {
        const [b, c] = [ls[i + 1], ls[i + 2]];
        const who = (x?: TraceLine) => x?.context.onBehalfOf;
        return !!c && who(l) === who(c) && who(b) !== who(l) && Date.parse(c.time) - Date.parse(l.time) < 5 * 60_000;
      });
      expect(interleaved).toBe(true);
    }
    const weekdayMedian = (agent: string) =>
      median([...perDay(of(agent).filter((l) => !l.incident))].filter(([d]) => d % 7 < 5).map(([, n]) => n));
    for (const quiet of ['mortgage-3', 'grid-4', 'shop-3', 'benefits-4']) expect(weekdayMedian(quiet)).toBeLessThan(60);
    expect(weekdayMedian('shop-1')).toBeGreaterThan(500);
    expect(weekdayMedian('grid-1')).toBeGreaterThan(150);
  });

  it('has a storm, a flash sale and a month-start payment cycle', () => {
    const daily = (agent: string, pred: (l: TraceLine) => boolean = () => true) =>
      perDay(of(agent).filter((l) => !l.incident && pred(l)));
    const grid2 = daily('grid-2', (l) => l.operation === 'create_outage_ticket');
    expect(grid2.get(23)!).toBeGreaterThan(3 * median([...grid2.values()]));
    const shop1 = daily('shop-1');
    expect(shop1.get(25)!).toBeGreaterThan(2.5 * median([...shop1.values()]));
    const cycle = of('benefits-2').filter((l) => l.operation === 'release_cycle_batch');
    expect(new Set(cycle.map(dayOf))).toEqual(new Set([0, 1, 2, 29, 30, 31]));
    expect(median(cycle.map((l) => l.amount))).toBeGreaterThan(10_000_000);
  });

  it('changes slowly and legitimately: tools adopted gradually, client upgrades, office moves, new colleagues', () => {
    const income = normal.filter((l) => l.tool === 'incomeverify');
    expect(Math.min(...income.map(dayOf))).toBeGreaterThanOrEqual(15);
    const intakes = (from: number, to: number) =>
      normal.filter((l) => l.operation === 'run_aus' && dayOf(l) >= from && dayOf(l) < to).length;
    const verified = (from: number, to: number) => income.filter((l) => dayOf(l) >= from && dayOf(l) < to).length;
    expect(verified(17, 22) / intakes(17, 22)).toBeLessThan(verified(32, 42) / intakes(32, 42));
    const clients = new Set(of('mortgage-1').map((l) => l.context.userAgent));
    expect(clients).toEqual(new Set(['keystone-uw-assistant/3.8.2', 'keystone-uw-assistant/3.9.0']));
    const nets = (agent: string, from: number, to: number) =>
      new Set(
        normal
          .filter((l) => l.agent === agent && dayOf(l) >= from && dayOf(l) < to)
          .map((l) => l.context.sourceNetwork),
      );
    expect(nets('benefits-3', 0, 18)).toEqual(new Set(['10.60.14.0/24']));
    expect(nets('benefits-3', 23, 42)).toEqual(new Set(['10.88.2.0/23']));
    const people = (from: number, to: number) =>
      new Set(
        normal
          .filter((l) => l.agent === 'shop-2' && dayOf(l) >= from && dayOf(l) < to)
          .map((l) => l.context.onBehalfOf),
      );
    const later = [...people(20, 42)].filter((p) => p && !people(0, 20).has(p));
    expect(later.length).toBeGreaterThanOrEqual(1);
  });
});
