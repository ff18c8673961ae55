/**
 * The tenth detector trace family (bench/detector/families/tenth.ts): deterministic for a seed, in time order,
 * registered, valid labels and incident ids from day 10 on, every judged kind planted (at least 16 odd
 * sequences on MEDIUM and 16 on HIGH operations), bulk requests 30–300× the usual, odd sequences that are new
 * transitions of known operations, never-seen tools and contexts, drifts ending in a jump at ~80× the original level,
 * and the desks' rhythms: bots acting for nobody, quiet and busy seats, peaks and slow legitimate change.
 */
import { describe, expect, it } from 'vitest';
import { generateTenthFamily } from '../bench/detector/families/tenth.js';
import { dayOf, median } from './helpers/trace-family.js';
import { itKeepsTheFamilyPromises, perDay, type FamilyPromises } from './helpers/trace-family-incidents.js';

// What this family promises where the families differ (test/helpers/trace-family-incidents.ts).
const PROMISES: FamilyPromises = {
  family: 'tenth',
  generate: generateTenthFamily,
  tunedOn: true,
  archetypes: ['cloud_finops', 'clinical_trials', 'payroll_ops', 'event_ticketing'],
  planted: { exactly16: false, burstLines: [150, 400], burstMinutes: [3, 14] },
  bulkMinUses: 12,
  oncePerAgent: true,
  novelty: { sameContext: true, perVariant: 4, newToFamily: true },
  driftPerDay: 3,
};

describe('tenth trace family', () => {
  const lines = generateTenthFamily({ seed: 1, agentsPerArchetype: 4, days: 42 });
  const normal = lines.filter((l) => l.label === 'normal');
  const of = (agent: string) => normal.filter((l) => l.agent === agent);

  itKeepsTheFamilyPromises(lines, PROMISES);

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
