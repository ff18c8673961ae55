/**
 * The ninth detector trace family (bench/detector/families/ninth.ts): deterministic for a seed, in time order,
 * registered, valid labels and incident ids from day 10 on, every judged kind planted (at least 16 odd
 * sequences on MEDIUM and 16 on HIGH operations), bulk requests 30–300× the usual, odd sequences that are new
 * transitions of known operations, never-seen tools and contexts, drifts ending in a jump at ~80× the original level.
 */
import { describe, expect, it } from 'vitest';
import { generateNinthFamily } from '../bench/detector/families/ninth.js';
import { dayOf, median } from './helpers/trace-family.js';
import { itKeepsTheFamilyPromises, perDay, type FamilyPromises } from './helpers/trace-family-incidents.js';

// What this family promises where the families differ (test/helpers/trace-family-incidents.ts).
const PROMISES: FamilyPromises = {
  family: 'ninth',
  generate: generateNinthFamily,
  tunedOn: true,
  archetypes: ['wealth_advisory', 'construction_pm', 'game_live_ops', 'municipal_permits'],
  planted: { exactly16: true, burstLines: [150, 600], burstMinutes: [2, 15] },
  bulkMinUses: 0,
  oncePerAgent: true,
  novelty: { sameContext: true, perVariant: 4, newToFamily: true },
  driftPerDay: 0,
};

describe('ninth trace family', () => {
  const lines = generateNinthFamily({ seed: 1, agentsPerArchetype: 4, days: 42 });
  const normal = lines.filter((l) => l.label === 'normal');
  const of = (agent: string) => normal.filter((l) => l.agent === agent);

  itKeepsTheFamilyPromises(lines, PROMISES);

  it('has bots acting for nobody, quiet and busy seats, peaks and slow legitimate change', () => {
    for (const bot of ['wealth-2', 'site-2', 'liveops-1', 'permits-1'])
      expect(of(bot).some((l) => 'onBehalfOf' in l.context)).toBe(false);
    expect(median([...perDay(of('permits-4')).values()])).toBeLessThan(30);
    expect(median([...perDay(of('liveops-1')).values()])).toBeGreaterThan(200);
    const support = perDay(of('liveops-2'));
    expect(support.get(22)!).toBeGreaterThan(1.8 * median([...support.values()]));
    expect(new Set(of('liveops-2').map((l) => l.time.slice(11, 13))).size).toBe(24);
    const firstDay = (agent: string, tool: string) =>
      Math.min(
        ...of(agent)
          .filter((l) => l.tool === tool)
          .map(dayOf),
      );
    expect(firstDay('wealth-3', 'risk-profiler')).toBeGreaterThanOrEqual(12);
    expect(firstDay('site-4', 'bim-viewer')).toBeGreaterThanOrEqual(15);
    expect(new Set(of('wealth-4').map((l) => l.context.userAgent)).size).toBe(2);
    const nets = (agent: string, from: number, to: number) =>
      new Set(
        of(agent)
          .filter((l) => dayOf(l) >= from && dayOf(l) < to)
          .map((l) => l.context.sourceNetwork),
      );
    expect(nets('site-3', 0, 22)).toEqual(new Set(['172.20.10.0/24']));
    expect(nets('site-3', 22, 42)).toEqual(new Set(['172.21.10.0/24']));
    const people = (from: number, to: number) =>
      new Set(
        of('liveops-2')
          .filter((l) => dayOf(l) >= from && dayOf(l) < to)
          .map((l) => l.context.onBehalfOf),
      );
    expect([...people(25, 42)].filter((p) => !people(0, 18).has(p))).toHaveLength(2);
  });
});
