/**
 * The seventh detector trace family (bench/detector/families/seventh.ts): deterministic for a seed, in time order,
 * registered, valid labels and incident ids from day 10 on, every judged kind planted (16 odd sequences
 * on MEDIUM and 16 on HIGH operations), bulk requests 30–300× the usual, never-seen tools and contexts where
 * promised, drifts ending in a jump at ~80× the original level; and some of the rhythms it promises.
 */
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../bench/detector/families/index.js';
import { generateSeventhFamily } from '../bench/detector/families/seventh.js';
import type { TraceLine } from '../bench/detector/generate-traces.js';
import { JUDGED_KINDS } from '../bench/detector/replay.js';
import { dayOf, expectReproducible, expectWellFormed, incidentsOf, median } from './helpers/trace-family.js';
const PRIVATE = /^(10|172\.(1[6-9]|2\d|3[01])|192\.168)\./;

describe('seventh trace family', () => {
  const lines = generateSeventhFamily({ seed: 1, agentsPerArchetype: 4, days: 42 });
  const normal = lines.filter((l) => l.label === 'normal');
  const incidents = incidentsOf(lines);
  const of = (agent: string) => lines.filter((l) => l.agent === agent);

  it('is deterministic for a seed, differs across seeds, is in time order and registered as tuned on since its held-out run', () => {
    const small = { seed: 5, agentsPerArchetype: 1, days: 30 };
    expectReproducible(generateSeventhFamily, small, lines);
    expect(FAMILIES.seventh).toMatchObject({ generator: 'bench/detector/families/seventh.ts', tunedOn: true });
    expect(new Set(lines.map((l) => l.archetype))).toEqual(
      new Set(['airline_ops', 'media_newsroom', 'manufacturing_mes', 'real_estate_leasing']),
    );
    expect(new Set(lines.map((l) => l.agent)).size).toBe(16);
  });

  it('uses valid labels and ids, one label and one agent per incident, all from day 10 on', () => {
    expectWellFormed(lines, incidents, /^post_drift_bulk-\d+$/);
  });

  it('plants every judged kind, with at least 16 odd sequences on MEDIUM and 16 on HIGH operations', () => {
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
    for (const kind of JUDGED_KINDS) expect(count.get(kind) ?? 0).toBeGreaterThan(0);
    expect(count.get('odd_sequence MEDIUM')).toBeGreaterThanOrEqual(16);
    expect(count.get('odd_sequence HIGH')).toBeGreaterThanOrEqual(16);
    expect(count.get('bulk_volume')).toBeGreaterThanOrEqual(24);
    expect(count.get('drift')).toBe(8);
    expect(count.get('post_drift')).toBe(8);
    for (const kind of ['new_tool', 'burst', 'odd_context']) expect(count.get(kind)).toBe(16);
    for (const ls of incidents.values()) {
      const span = Date.parse(ls[ls.length - 1]!.time) - Date.parse(ls[0]!.time);
      if (ls[0]!.label === 'burst') {
        expect(ls.length).toBeGreaterThanOrEqual(150);
        expect(ls.length).toBeLessThanOrEqual(600);
        expect(span).toBeLessThanOrEqual(15 * 60_000);
        expect(new Set(ls.map((l) => l.operation)).size).toBe(1);
        expect(['LOW', 'MEDIUM']).toContain(ls[0]!.sensitivity);
      }
      if (ls[0]!.label === 'bulk_volume') expect(ls).toHaveLength(1);
      if (ls[0]!.label === 'odd_sequence') {
        expect(ls.length).toBeGreaterThanOrEqual(2);
        expect(ls.length).toBeLessThanOrEqual(3);
        expect(new Set(ls.map((l) => l.operation)).size).toBe(1);
        expect(span).toBeLessThanOrEqual(120_000);
      }
    }
  });

  it('bulk requests are 30–300× the usual items or money of their operation for the agent', () => {
    for (const [id, [l]] of incidents) {
      if (l!.label !== 'bulk_volume' || id.startsWith('post_drift')) continue;
      const same = normal.filter((x) => x.agent === l!.agent && x.operation === l!.operation);
      const ratio = Math.max(
        l!.volume / Math.max(1, median(same.map((x) => x.volume))),
        l!.amount > 0 ? l!.amount / median(same.map((x) => x.amount)) : 0,
      );
      expect(ratio).toBeGreaterThanOrEqual(30);
      expect(ratio).toBeLessThanOrEqual(300);
    }
  });

  it('an odd sequence is a routine operation after a step it never follows for that person, in that context', () => {
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
      const drift = [...incidents.values()].find((d) => d[0]!.label === 'drift' && d[0]!.agent === jump!.agent)!;
      expect(drift.every((l) => l.operation === jump!.operation)).toBe(true);
      expect(drift[drift.length - 1]!.time < jump!.time).toBe(true);
      expect(dayOf(drift[drift.length - 1]!) - dayOf(drift[0]!)).toBeGreaterThanOrEqual(3);
      const same = normal.filter((l) => l.agent === jump!.agent && l.operation === jump!.operation);
      const usual = median(same.filter((l) => dayOf(l) < 10).map((l) => l.volume));
      expect(jump!.volume / usual).toBeGreaterThan(70);
      expect(jump!.volume / usual).toBeLessThan(90);
      expect(median(drift.map((l) => l.volume)) / usual).toBeGreaterThan(3);
      const after = same.filter((l) => l.time > jump!.time);
      expect(median(after.map((l) => l.volume)) / usual).toBeLessThan(1.5);
    }
  });

  it('has bots naming nobody, interleaved teams, quiet seats, peaks and slow legitimate change', () => {
    for (const bot of ['air-2', 'news-1', 'news-4', 'mes-1', 'lease-1', 'lease-4'])
      expect(of(bot).some((l) => 'onBehalfOf' in l.context)).toBe(false);
    const perDay = (ls: TraceLine[]) => {
      const days = new Map<number, number>();
      for (const l of ls) days.set(dayOf(l), (days.get(dayOf(l)) ?? 0) + 1);
      return days;
    };
    const weekdays = (agent: string) =>
      median([...perDay(of(agent).filter((l) => !l.incident))].filter(([d]) => d % 7 < 5).map(([, n]) => n));
    for (const quiet of ['air-3', 'news-3', 'mes-3', 'lease-3']) expect(weekdays(quiet)).toBeLessThan(60);
    expect(weekdays('news-1')).toBeGreaterThan(400);
    const rebooks = perDay(of('air-2').filter((l) => !l.incident && l.operation === 'rebook_pnr'));
    expect(rebooks.get(17)!).toBeGreaterThan(2.5 * median([...rebooks.values()]));
    const refunds = perDay(of('lease-3').filter((l) => !l.incident && l.operation === 'refund_deposit'));
    expect((refunds.get(25) ?? 0) + (refunds.get(26) ?? 0)).toBeGreaterThan(4 * median([...refunds.values()]));
    expect(Math.min(...normal.filter((l) => l.tool === 'incomecheck').map(dayOf))).toBeGreaterThanOrEqual(12);
    expect(
      new Set(
        of('news-4')
          .filter((l) => !l.incident)
          .map((l) => l.context.userAgent),
      ).size,
    ).toBe(2);
    const nets = (from: number, to: number) =>
      new Set(
        of('mes-3')
          .filter((l) => !l.incident && dayOf(l) >= from && dayOf(l) < to)
          .map((l) => l.context.sourceNetwork),
      );
    expect(nets(0, 21)).toEqual(new Set(['10.81.6.0/24']));
    expect(nets(23, 42)).toEqual(new Set(['10.82.14.0/24']));
    const editors = (from: number, to: number) =>
      new Set(
        of('news-2')
          .filter((l) => dayOf(l) >= from && dayOf(l) < to)
          .map((l) => l.context.onBehalfOf),
      );
    expect([...editors(19, 42)].filter((p) => !editors(0, 19).has(p)).length).toBeGreaterThanOrEqual(1);
  });
});
