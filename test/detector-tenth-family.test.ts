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
import { dayOf, expectReproducible, expectWellFormed, incidentsOf, median } from './helpers/trace-family.js';
import {
  expectBulkRatios,
  expectDriftJumps,
  expectNeverSeen,
  expectOddSequencesAreNew,
  expectPlanted,
  perDay,
  type NoveltySpec,
  type PlantedSpec,
} from './helpers/trace-family-incidents.js';

// What this family promises where the families differ (test/helpers/trace-family-incidents.ts).
const PLANTED: PlantedSpec = { exactly16: false, burstLines: [150, 400], burstMinutes: [3, 14] };
const BULK_MIN_USES = 12;
const ONCE_PER_AGENT = true;
const NOVELTY: NoveltySpec = { sameContext: true, perVariant: 4, newToFamily: true };
const DRIFT_PER_DAY = 3;

describe('tenth trace family', () => {
  const lines = generateTenthFamily({ seed: 1, agentsPerArchetype: 4, days: 42 });
  const normal = lines.filter((l) => l.label === 'normal');
  const incidents = incidentsOf(lines);
  const of = (agent: string) => normal.filter((l) => l.agent === agent);

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

  it('plants every judged kind: ≥ 24 bulk, ≥ 16 odd sequences on MEDIUM and on HIGH, 16 of each other, 8 drifts', () => {
    expectPlanted(incidents, PLANTED);
    // A burst is far above the agent's pace: more in those minutes than on its median day.
    for (const ls of incidents.values())
      if (ls[0]!.label === 'burst') expect(ls.length).toBeGreaterThan(median([...perDay(of(ls[0]!.agent)).values()]));
  });

  it('bulk requests are 30–300× the usual items or money of their operation for the agent', () => {
    expectBulkRatios(incidents, normal, { minUses: BULK_MIN_USES });
  });

  it('an odd sequence is a routine operation right after a step it never follows, in the same context', () => {
    expectOddSequencesAreNew(lines, incidents, { oncePerAgent: ONCE_PER_AGENT });
  });

  it('new tools, networks, clients, people and hours are never seen in the agent’s ordinary traffic', () => {
    expectNeverSeen(normal, incidents, NOVELTY);
  });

  it('a drift rises for days and ends in one request at ~80× the original level, then returns to normal', () => {
    expectDriftJumps(normal, incidents, { perDayAtLeast: DRIFT_PER_DAY });
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
