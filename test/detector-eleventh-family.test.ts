/**
 * The eleventh detector trace family (bench/detector/families/eleventh.ts): deterministic for a seed, in time order,
 * registered, valid labels and incident ids from day 10 on, every judged kind planted (at least 16 odd
 * sequences on MEDIUM and 16 on HIGH operations), bulk requests 30–300× the usual, odd sequences that are new
 * transitions of known operations, never-seen tools and contexts, drifts ending in a jump at ~80× the original level,
 * and the rhythms of its four businesses (time zones, peaks, a night shift, slow legitimate change).
 */
import { describe, expect, it } from 'vitest';
import { generateEleventhFamily } from '../bench/detector/families/eleventh.js';
import { dayOf, median } from './helpers/trace-family.js';
import { itKeepsTheFamilyPromises, perDay, type FamilyPromises } from './helpers/trace-family-incidents.js';

// What this family promises where the families differ (test/helpers/trace-family-incidents.ts).
const PROMISES: FamilyPromises = {
  family: 'eleventh',
  generate: generateEleventhFamily,
  tunedOn: true,
  archetypes: ['energy_trading', 'university_admissions', 'media_licensing', 'fleet_maintenance'],
  planted: { exactly16: true, burstLines: [150, 600], burstMinutes: [3, 15] },
  bulkMinUses: 12,
  oncePerAgent: false,
  novelty: { sameContext: true, perVariant: 4, newToFamily: true },
  driftPerDay: 3,
};

describe('eleventh trace family', () => {
  const lines = generateEleventhFamily({ seed: 1, agentsPerArchetype: 4, days: 42 });
  const normal = lines.filter((l) => l.label === 'normal');
  const of = (agent: string) => normal.filter((l) => l.agent === agent);

  itKeepsTheFamilyPromises(lines, PROMISES);

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
