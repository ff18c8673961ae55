/**
 * The eleventh detector trace family (bench/detector/families/eleventh.ts): deterministic for a seed, in time order,
 * registered, valid labels and incident ids from day 10 on, every judged kind planted (at least 16 odd
 * sequences on MEDIUM and 16 on HIGH operations), bulk requests 30–300× the usual, odd sequences that are new
 * transitions of known operations, never-seen tools and contexts, drifts ending in a jump at ~80× the original level,
 * and the rhythms of its four businesses (time zones, peaks, a night shift, slow legitimate change).
 */
import { describe, expect, it } from 'vitest';
import { generateEleventhFamily } from '../bench/detector/families/eleventh.js';
import { FAMILIES } from '../bench/detector/families/index.js';
import type { TraceLine } from '../bench/detector/generate-traces.js';
import { JUDGED_KINDS } from '../bench/detector/replay.js';
import { dayOf, expectReproducible, expectWellFormed, incidentsOf, median } from './helpers/trace-family.js';
const PRIVATE = /^(10|172\.(1[6-9]|2\d|3[01])|192\.168)\./;

describe('eleventh trace family', () => {
  const lines = generateEleventhFamily({ seed: 1, agentsPerArchetype: 4, days: 42 });
  const normal = lines.filter((l) => l.label === 'normal');
  const incidents = incidentsOf(lines);
  const of = (agent: string) => normal.filter((l) => l.agent === agent);

  it('is deterministic for a seed, differs across seeds, is in time order and registered as tuned on since its held-out run', () => {
    const small = { seed: 3, agentsPerArchetype: 1, days: 30 };
    expectReproducible(generateEleventhFamily, small, lines);
    expect(FAMILIES.eleventh).toMatchObject({ generator: 'bench/detector/families/eleventh.ts', tunedOn: true });
    expect(new Set(lines.map((l) => l.archetype))).toEqual(
      new Set(['energy_trading', 'university_admissions', 'media_licensing', 'fleet_maintenance']),
    );
    expect(new Set(lines.map((l) => l.agent)).size).toBe(16);
  });

  it('uses valid labels and ids, one label and one agent per incident, all from day 10 on', () => {
    expectWellFormed(lines, incidents, /^post_drift-\d+$/);
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
      const label = ls[0]!.label;
      if (label === 'burst') {
        expect(ls.length).toBeGreaterThanOrEqual(150);
        expect(ls.length).toBeLessThanOrEqual(600);
        expect(span).toBeGreaterThanOrEqual(3 * 60_000);
        expect(span).toBeLessThanOrEqual(15 * 60_000);
        expect(new Set(ls.map((l) => l.operation)).size).toBe(1);
        expect(['LOW', 'MEDIUM']).toContain(ls[0]!.sensitivity);
      }
      if (label === 'bulk_volume') expect(ls).toHaveLength(1);
      if (label === 'new_tool') expect(ls.length).toBeLessThanOrEqual(3);
      if (label === 'odd_sequence') {
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
    const variants = new Map<string, number>();
    for (const ls of incidents.values()) {
      const [l, agent] = [ls[0]!, ls[0]!.agent];
      if (l.label === 'new_tool')
        for (const x of ls) {
          expect(['HIGH', 'CRITICAL']).toContain(x.sensitivity);
          expect(tools.get(agent)!.has(x.tool)).toBe(false);
        }
      if (l.label === 'odd_context') {
        expect(ls.length).toBeGreaterThanOrEqual(2);
        expect(ls.every((x) => JSON.stringify(x.context) === JSON.stringify(l.context))).toBe(true);
        const network = !networks.get(agent)!.has(l.context.sourceNetwork);
        const client = !clients.get(agent)!.has(l.context.userAgent);
        const person =
          !people.get(agent)!.has(l.context.onBehalfOf) &&
          ls.every((x) => !hours.get(agent)!.has(x.time.slice(11, 13)));
        expect([network, client, person].filter(Boolean)).toHaveLength(1);
        if (network) expect(l.context.sourceNetwork).not.toMatch(PRIVATE);
        if (client) expect(l.context.userAgent).toMatch(/^(curl|python-requests)\//);
        const variant = network ? 'network' : client ? 'client' : 'person';
        variants.set(variant, (variants.get(variant) ?? 0) + 1);
      }
    }
    expect([...variants.keys()].sort()).toEqual(['client', 'network', 'person']);
    for (const n of variants.values()) expect(n).toBeGreaterThanOrEqual(4);
  });

  it('a drift rises for days and ends in one request at ~80× the original level, then returns to normal', () => {
    for (const [id, [jump]] of incidents) {
      if (!id.startsWith('post_drift')) continue;
      const drift = incidents.get(id.replace('post_drift', 'drift'))!;
      expect(drift[0]!.label).toBe('drift');
      expect(drift.every((l) => l.operation === jump!.operation && l.agent === jump!.agent)).toBe(true);
      expect(drift[drift.length - 1]!.time < jump!.time).toBe(true);
      expect(dayOf(drift[drift.length - 1]!) - dayOf(drift[0]!)).toBeGreaterThanOrEqual(3);
      const same = normal.filter((l) => l.agent === jump!.agent && l.operation === jump!.operation);
      expect(same.length / 42).toBeGreaterThanOrEqual(3);
      const usual = median(same.filter((l) => dayOf(l) < 10).map((l) => l.volume));
      expect(jump!.volume / usual).toBeGreaterThan(70);
      expect(jump!.volume / usual).toBeLessThan(90);
      expect(median(drift.map((l) => l.volume)) / usual).toBeGreaterThan(3);
      const after = same.filter((l) => l.time > jump!.time);
      expect(median(after.map((l) => l.volume)) / usual).toBeLessThan(1.5);
    }
  });

  it('has bots and a service seat acting for nobody, one-person assistants, team seats and quiet seats', () => {
    const people = (agent: string) => new Set(of(agent).map((l) => l.context.onBehalfOf));
    for (const bot of ['trading-1', 'admissions-1', 'rights-1', 'fleet-1', 'fleet-4'])
      expect(of(bot).some((l) => 'onBehalfOf' in l.context)).toBe(false);
    for (const assistant of ['trading-2', 'admissions-2', 'rights-2', 'fleet-2'])
      expect(people(assistant).size).toBe(1);
    for (const team of ['trading-3', 'admissions-3', 'rights-3', 'fleet-3']) {
      expect(people(team).size).toBeGreaterThanOrEqual(4);
      const ls = of(team);
      const switches = ls.filter((l, i) => i > 0 && l.context.onBehalfOf !== ls[i - 1]!.context.onBehalfOf).length;
      expect(switches / ls.length).toBeGreaterThan(0.1);
    }
    const perDay = (ls: TraceLine[]) => {
      const days = new Map<number, number>();
      for (const l of ls) days.set(dayOf(l), (days.get(dayOf(l)) ?? 0) + 1);
      return days;
    };
    for (const quiet of ['trading-4', 'admissions-4', 'rights-4', 'fleet-4'])
      expect(median([...perDay(of(quiet)).values()])).toBeLessThan(30);
    expect(median([...perDay(of('admissions-3')).values()])).toBeGreaterThan(200);
    const peak = (agent: string, days: number[]) => {
      const counts = perDay(of(agent));
      const at = days.map((d) => counts.get(d) ?? 0).reduce((a, b) => a + b, 0) / days.length;
      return at / median([...counts.values()]);
    };
    expect(peak('admissions-3', [24])).toBeGreaterThan(1.8); // decision release day
    expect(peak('trading-3', [30, 31, 32])).toBeGreaterThan(1.5); // heat wave (weekdays)
    expect(peak('fleet-3', [14, 15, 16, 17, 18])).toBeGreaterThan(1.5); // after the cold snap
    expect(peak('rights-4', [28, 29, 30, 31])).toBeGreaterThan(1.8); // quarter-end royalty run
    expect(new Set(of('fleet-3').map((l) => l.time.slice(11, 13))).size).toBe(24); // night shift
  });

  it('keeps local time with daylight saving and changes slowly and legitimately', () => {
    const hours = (agent: string, from: number, to: number) =>
      new Set(
        of(agent)
          .filter((l) => dayOf(l) >= from && dayOf(l) < to)
          .map((l) => l.time.slice(11, 13)),
      );
    // The bot polls 06:00–20:00 Houston time: 12:00Z in CST, 11:00Z from 9 March (CDT).
    expect(hours('trading-1', 0, 6).has('11')).toBe(false);
    expect(hours('trading-1', 7, 42).has('11')).toBe(true);
    const firstDay = (agent: string, tool: string) =>
      Math.min(
        ...of(agent)
          .filter((l) => l.tool === tool)
          .map(dayOf),
      );
    expect(firstDay('trading-2', 'weather-feed')).toBeGreaterThanOrEqual(12);
    expect(firstDay('admissions-2', 'interview-scheduler')).toBeGreaterThanOrEqual(14);
    expect(firstDay('rights-2', 'cue-sheets')).toBeGreaterThanOrEqual(16);
    expect(firstDay('fleet-2', 'tread-scanner')).toBeGreaterThanOrEqual(18);
    const clients = (agent: string, from: number, to: number) =>
      new Set(
        of(agent)
          .filter((l) => dayOf(l) >= from && dayOf(l) < to)
          .map((l) => l.context.userAgent),
      );
    expect(clients('trading-2', 0, 20)).toEqual(new Set(['trade-assist/3.1.4']));
    expect(clients('trading-2', 20, 42).size).toBe(2);
    const nets = (agent: string, from: number, to: number) =>
      new Set(
        of(agent)
          .filter((l) => dayOf(l) >= from && dayOf(l) < to)
          .map((l) => l.context.sourceNetwork),
      );
    // The market bot moves data centres on (Houston) day 26; UTC day 26 still holds its last evening in the old one.
    expect(nets('trading-1', 0, 26)).toEqual(new Set(['10.40.8.0/24']));
    expect(nets('trading-1', 27, 42)).toEqual(new Set(['10.41.8.0/24']));
    expect(nets('fleet-3', 0, 22).has('10.81.20.0/24')).toBe(false);
    expect(nets('fleet-3', 22, 42).has('10.81.20.0/24')).toBe(true);
    const people = (agent: string, from: number, to: number) =>
      new Set(
        of(agent)
          .filter((l) => dayOf(l) >= from && dayOf(l) < to)
          .map((l) => l.context.onBehalfOf),
      );
    expect([...people('admissions-3', 16, 42)].filter((p) => !people('admissions-3', 0, 8).has(p))).toHaveLength(2);
    expect([...people('fleet-3', 25, 42)].filter((p) => !people('fleet-3', 0, 24).has(p))).toHaveLength(1);
  });
});
