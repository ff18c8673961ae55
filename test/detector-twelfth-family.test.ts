/**
 * The twelfth detector trace family (bench/detector/families/twelfth.ts): deterministic for a seed, in time order,
 * registered, valid labels and incident ids from day 10 on, every judged kind planted (at least 24 bulk
 * requests, 16 odd sequences on MEDIUM and 16 on HIGH operations, exactly 8 drifts), bulk requests 30–300× the usual,
 * odd sequences that are new transitions of known operations, never-seen tools and contexts, drifts ending in a jump
 * at ~80× the original level, and the rhythms of its four businesses (time zones with and without daylight saving,
 * main-break, production-day, holiday and deadline peaks, a night batch, slow legitimate change).
 */
import { describe, expect, it } from 'vitest';
import { generateTwelfthFamily } from '../bench/detector/families/twelfth.js';
import { dayOf, median, normalLines, setOf } from './helpers/trace-family.js';
import { itKeepsTheFamilyPromises, perDay, type FamilyPromises } from './helpers/trace-family-incidents.js';

// What this family promises where the families differ (test/helpers/trace-family-incidents.ts).
const PROMISES: FamilyPromises = {
  family: 'twelfth',
  generate: generateTwelfthFamily,
  tunedOn: true,
  archetypes: ['water_utility', 'legal_ediscovery', 'grocery_replenishment', 'research_grants'],
  planted: { exactly16: true, burstLines: [150, 600], burstMinutes: [3, 15] },
  bulkMinUses: 12,
  oncePerAgent: true,
  novelty: { sameContext: true, perVariant: 4, newToFamily: true },
  driftPerDay: 3,
};

describe('twelfth trace family', () => {
  const lines = generateTwelfthFamily({ seed: 1, agentsPerArchetype: 4, days: 42 });
  const { of, during } = normalLines(lines);

  itKeepsTheFamilyPromises(lines, PROMISES);

  it('has bots acting for nobody, one-person assistants, interleaved team seats and quiet seats', () => {
    const people = (agent: string) => setOf(of(agent), (l) => l.context.onBehalfOf);
    for (const bot of ['water-1', 'ediscovery-1', 'grocery-1', 'grants-1'])
      expect(of(bot).some((l) => 'onBehalfOf' in l.context)).toBe(false);
    for (const assistant of ['water-2', 'ediscovery-2', 'grocery-2', 'grants-2'])
      expect(people(assistant).size).toBe(1);
    for (const team of ['water-3', 'ediscovery-3', 'grocery-3', 'grants-3']) {
      expect(people(team).size).toBeGreaterThanOrEqual(4);
      const ls = of(team);
      const switches = ls.filter((l, i) => i > 0 && l.context.onBehalfOf !== ls[i - 1]!.context.onBehalfOf).length;
      expect(switches / ls.length).toBeGreaterThan(0.1);
    }
    for (const quiet of ['water-4', 'ediscovery-4', 'grocery-4', 'grants-4'])
      expect(median([...perDay(of(quiet)).values()])).toBeLessThan(30);
    expect(median([...perDay(of('ediscovery-3')).values()])).toBeGreaterThan(150);
    const peak = (agent: string, days: number[]) => {
      const counts = perDay(of(agent));
      const at = days.map((d) => counts.get(d) ?? 0).reduce((a, b) => a + b, 0) / days.length;
      return at / median([...counts.values()]);
    };
    expect(peak('water-2', [30])).toBeGreaterThan(2); // the second main break
    expect(peak('water-3', [14, 15])).toBeGreaterThan(1.3); // calls during the boil-water notice
    expect(peak('ediscovery-2', [11, 25, 39])).toBeGreaterThan(1.5); // production days
    expect(peak('grocery-3', [23, 24, 25])).toBeGreaterThan(1.4); // the run-up to Mothering Sunday
    expect(peak('grants-3', [9, 22, 36])).toBeGreaterThan(2); // sponsor deadlines
    // The grocery engine's night batch (00:30–04:30 London time).
    const night = of('grocery-1').filter((l) => ['01', '02', '03'].includes(l.time.slice(11, 13)));
    expect(new Set(night.map((l) => l.operation))).toEqual(
      new Set(['run_forecast', 'create_store_order', 'release_order', 'send_po']),
    );
    // Production volumes are big on production days.
    const sends = of('ediscovery-2').filter((l) => l.operation === 'send_to_opposing_counsel');
    const onDay = sends.filter((l) => [11, 25, 39].includes(dayOf(l))).map((l) => l.volume);
    const offDay = sends.filter((l) => ![11, 25, 39].includes(dayOf(l))).map((l) => l.volume);
    expect(median(onDay) / median(offDay)).toBeGreaterThan(2);
  });

  it('keeps local time (daylight saving in Chicago and London, none in Arizona) and changes slowly', () => {
    const hours = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.time.slice(11, 13));
    // The billing reps work 07:00–19:00 Chicago time: from 13:00Z in CST, from 12:00Z after 9 March (CDT).
    expect(hours('water-3', 0, 6).has('12')).toBe(false);
    expect(hours('water-3', 7, 42).has('12')).toBe(true);
    // The grocery engine's night batch moves an hour earlier in UTC with British Summer Time (30 March).
    expect(hours('grocery-1', 0, 27).has('23')).toBe(false);
    expect(hours('grocery-1', 28, 42).has('23')).toBe(true);
    expect(hours('grocery-1', 28, 42).has('04')).toBe(false);
    // Arizona keeps Mountain Standard Time: the grants bot never works 04:00–05:00 local (11Z).
    expect(hours('grants-1', 0, 42).has('11')).toBe(false);
    const firstDay = (agent: string, tool: string) =>
      Math.min(
        ...of(agent)
          .filter((l) => l.tool === tool)
          .map(dayOf),
      );
    expect(firstDay('water-2', 'gis-viewer')).toBeGreaterThanOrEqual(13);
    expect(firstDay('water-3', 'gis-viewer')).toBeGreaterThanOrEqual(20);
    expect(firstDay('ediscovery-3', 'ai-review-assist')).toBeGreaterThanOrEqual(18);
    expect(firstDay('grocery-2', 'weather-demand')).toBeGreaterThanOrEqual(16);
    expect(firstDay('grocery-3', 'weather-demand')).toBeGreaterThanOrEqual(24);
    expect(firstDay('grants-2', 'research-dashboard')).toBeGreaterThanOrEqual(15);
    expect(firstDay('grants-3', 'research-dashboard')).toBeGreaterThanOrEqual(17);
    const clients = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.userAgent);
    expect(clients('water-3', 0, 19)).toEqual(new Set(['cs-copilot/4.2.0']));
    expect(clients('water-3', 19, 25).size).toBe(2);
    expect(clients('water-3', 26, 42)).toEqual(new Set(['cs-copilot/4.3.1']));
    expect(clients('grocery-1', 22, 42)).toEqual(new Set(['replen-engine/5.1.0']));
    const nets = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.sourceNetwork);
    // The processing bot moves data centres on (New York) day 28, the grants bot on (Arizona) day 26.
    expect(nets('ediscovery-1', 0, 28)).toEqual(new Set(['10.52.1.0/24']));
    expect(nets('ediscovery-1', 29, 42)).toEqual(new Set(['10.53.1.0/24']));
    expect(nets('grants-1', 0, 26)).toEqual(new Set(['10.77.1.0/24']));
    expect(nets('grants-1', 27, 42)).toEqual(new Set(['10.78.1.0/24']));
    expect(nets('water-2', 0, 12).has('10.31.3.0/24')).toBe(false);
    expect(nets('water-2', 12, 42).has('10.31.3.0/24')).toBe(true);
    const people = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.onBehalfOf);
    const joined = (agent: string, before: number, after: number) =>
      [...people(agent, after, 42)].filter((p) => !people(agent, 0, before).has(p));
    expect(joined('water-3', 17, 24)).toHaveLength(2);
    expect(joined('ediscovery-3', 16, 16)).toHaveLength(2);
    expect(joined('grocery-3', 15, 29)).toHaveLength(2);
    expect(joined('grants-3', 21, 21)).toHaveLength(1);
    // The review seat is shared by New York and Manila: both firms' people.
    expect(new Set([...people('ediscovery-3', 0, 42)].map((p) => p!.split('@')[1]))).toEqual(
      new Set(['hale-ostrander.example.com', 'manila-review.example.com']),
    );
  });
});
