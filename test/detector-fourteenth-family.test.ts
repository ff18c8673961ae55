/**
 * The fourteenth detector trace family (bench/detector/families/fourteenth.ts): deterministic for a seed, in time
 * order, registered (tuned on since its held-out run), valid labels and incident ids from day 10 on, every judged kind
 * planted (at least 24 bulk requests, 16 odd sequences on MEDIUM and 16 on HIGH operations, exactly 8 drifts), bulk
 * requests 30–300× the usual, odd sequences that are new transitions of known operations, never-seen tools and
 * contexts, drifts ending in a jump at ~80× the original level, and the rhythms of its four businesses (clocks
 * moving forward in Toronto, Laredo and Rotterdam and back in Auckland, none in Monterrey; vessel windows, a storm
 * backlog, Monday and March Break booking peaks, tariff news, month-end, render deliveries; nightly batches; slow
 * legitimate change).
 */
import { describe, expect, it } from 'vitest';
import { generateFourteenthFamily } from '../bench/detector/families/fourteenth.js';
import type { TraceLine } from '../bench/detector/generate-traces.js';
import { dayOf, median, normalLines, setOf } from './helpers/trace-family.js';
import { itKeepsTheFamilyPromises, perDay, type FamilyPromises } from './helpers/trace-family-incidents.js';

// What this family promises where the families differ (test/helpers/trace-family-incidents.ts).
const PROMISES: FamilyPromises = {
  family: 'fourteenth',
  generate: generateFourteenthFamily,
  tunedOn: true,
  archetypes: ['port_terminal', 'veterinary_chain', 'customs_brokerage', 'film_post_production'],
  planted: { exactly16: true, burstLines: [150, 450], burstMinutes: [4, 12] },
  bulkMinUses: 12,
  oncePerAgent: true,
  novelty: { sameContext: true, perVariant: 5, newToFamily: true },
  driftPerDay: 3,
};

describe('fourteenth trace family', () => {
  const lines = generateFourteenthFamily({ seed: 1, agentsPerArchetype: 4, days: 42 });
  const { of, during } = normalLines(lines);
  const hour = (l: TraceLine) => l.time.slice(11, 13);

  itKeepsTheFamilyPromises(lines, PROMISES);

  it('has bots acting for nobody, one-person assistants, interleaved team seats and quiet seats', () => {
    const people = (agent: string) => setOf(of(agent), (l) => l.context.onBehalfOf);
    for (const bot of ['port-1', 'vet-1', 'customs-1', 'post-1'])
      expect(of(bot).some((l) => 'onBehalfOf' in l.context)).toBe(false);
    for (const assistant of ['port-2', 'vet-2', 'customs-2', 'post-2']) expect(people(assistant).size).toBe(1);
    for (const team of ['port-3', 'vet-3', 'customs-3', 'post-3']) {
      expect(people(team).size).toBeGreaterThanOrEqual(8);
      const ls = of(team);
      const switches = ls.filter((l, i) => i > 0 && l.context.onBehalfOf !== ls[i - 1]!.context.onBehalfOf).length;
      expect(switches / ls.length).toBeGreaterThan(0.1);
      expect(median([...perDay(of(team)).values()])).toBeGreaterThan(130);
    }
    for (const quiet of ['port-4', 'vet-4', 'customs-4', 'post-4'])
      expect(median([...perDay(of(quiet)).values()])).toBeLessThan(30);
  });

  it('peaks on vessel days, after the storm, on Mondays, on tariff news, at month-end and before deliveries', () => {
    // Everyday traffic, including what a drift relabelled (its requests happen anyway, only touching more).
    const everyday = (agent: string) => lines.filter((l) => l.agent === agent && ['normal', 'drift'].includes(l.label));
    const peak = (agent: string, days: number[]) => {
      const counts = perDay(everyday(agent));
      const at = days.map((d) => counts.get(d) ?? 0).reduce((a, b) => a + b, 0) / days.length;
      return at / median([...counts.values()]);
    };
    expect(peak('port-3', [17, 18])).toBeGreaterThan(1.5); // the backlog after the storm closure
    expect(peak('vet-3', [7, 14, 21, 28, 35])).toBeGreaterThan(1.15); // Mondays at the booking centre
    expect(peak('customs-2', [30, 31])).toBeGreaterThan(1.3); // the April tariff announcement
    expect(peak('customs-3', [24, 25, 28])).toBeGreaterThan(1.2); // March month-end
    expect(peak('post-1', [23, 24, 25])).toBeGreaterThan(1.25); // the episode delivery
    expect(peak('customs-1', [6, 13, 20, 27, 34])).toBeLessThan(0.5); // Sundays at the bridge
    // Discharge lists go to customs when the big ships are in: Tuesdays and Fridays.
    const discharge = of('port-1').filter((l) => l.operation === 'submit_discharge_list');
    const onVesselDays = discharge.filter((l) => [1, 4].includes(dayOf(l) % 7)).length;
    expect(onVesselDays / discharge.length).toBeGreaterThan(0.6);
    // The reefer rounds run every hour of every day.
    const reefer = of('port-1').filter((l) => l.operation === 'read_reefer_temps');
    expect(setOf(reefer, hour).size).toBe(24);
    expect(reefer.length).toBeGreaterThanOrEqual(24 * 41);
    // Reminders go out at 18:30 Toronto time, Monday to Saturday: 23Z in EST, 22Z from 9 March (EDT).
    const reminders = of('vet-1').filter((l) => l.operation === 'send_reminder');
    expect(
      setOf(
        reminders.filter((l) => dayOf(l) < 6),
        hour,
      ),
    ).toEqual(new Set(['23']));
    expect(
      setOf(
        reminders.filter((l) => dayOf(l) >= 7),
        hour,
      ),
    ).toEqual(new Set(['22']));
    expect(reminders.some((l) => new Date(l.time).getUTCDay() === 0)).toBe(false);
    // The monthly duty statement is paid once, on day 18.
    expect(
      of('customs-1')
        .filter((l) => l.operation === 'pay_periodic_statement')
        .map(dayOf),
    ).toEqual([18]);
    // Before the clock change, compositors work past 22:00 Auckland time (09–11Z) only before the delivery.
    const late = of('post-3').filter((l) => dayOf(l) < 33 && ['09', '10'].includes(hour(l)));
    expect(late.length).toBeGreaterThan(30);
    for (const l of late) expect([21, 22, 23, 24, 25]).toContain(dayOf(l));
  });

  it('keeps local time (clocks go forward in Toronto, Laredo and Rotterdam, back in Auckland, not in Monterrey)', () => {
    const hours = (agent: string, from: number, to: number) => setOf(during(agent, from, to), hour);
    // The Toronto vet starts at 08:00: 13Z in EST, 12Z from 9 March (EDT).
    expect(hours('vet-2', 0, 6).has('12')).toBe(false);
    expect(hours('vet-2', 7, 42).has('12')).toBe(true);
    // The Laredo broker starts at 08:00 too (CST, then CDT); the Monterrey team's clock never moves: 14Z.
    expect(hours('customs-2', 0, 6).has('13')).toBe(false);
    expect(hours('customs-2', 7, 42).has('13')).toBe(true);
    expect(hours('customs-3', 0, 42).has('13')).toBe(false);
    expect(hours('customs-3', 0, 42).has('14')).toBe(true);
    // The Rotterdam planner starts at 07:00: 06Z in CET, 05Z from 30 March (CEST).
    expect(hours('port-2', 0, 27).has('05')).toBe(false);
    expect(hours('port-2', 28, 42).has('05')).toBe(true);
    // The Auckland producer starts at 08:00: 19Z in NZDT, 20Z from 6 April (NZST).
    expect(hours('post-2', 0, 32).has('19')).toBe(true);
    expect(hours('post-2', 35, 42).has('19')).toBe(false);
  });

  it('changes slowly: tools adopted, clients upgraded, networks added or moved, people joining, volumes growing', () => {
    const firstDay = (agent: string, tool: string) =>
      Math.min(
        ...of(agent)
          .filter((l) => l.tool === tool)
          .map(dayOf),
      );
    expect(firstDay('port-2', 'berth-planner')).toBeGreaterThanOrEqual(15);
    expect(firstDay('vet-3', 'telehealth')).toBeGreaterThanOrEqual(16);
    expect(firstDay('customs-3', 'tariff-ai')).toBeGreaterThanOrEqual(18);
    const clients = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.userAgent);
    expect(clients('port-1', 0, 19)).toEqual(new Set(['yard-orchestrator/4.2.0']));
    expect(clients('port-1', 20, 42)).toEqual(new Set(['yard-orchestrator/4.3.0']));
    expect(clients('port-3', 0, 26)).toEqual(new Set(['gatedesk-web/7.4.2']));
    expect(clients('port-3', 26, 31).size).toBe(2);
    expect(clients('port-3', 31, 42)).toEqual(new Set(['gatedesk-web/7.5.0']));
    expect(clients('vet-2', 0, 22)).toEqual(new Set(['vetassist-desktop/2.7.1']));
    expect(clients('vet-2', 22, 26).size).toBe(2);
    expect(clients('vet-2', 27, 42)).toEqual(new Set(['vetassist-desktop/2.8.0']));
    expect(clients('customs-1', 0, 27)).toEqual(new Set(['brokerbot/5.0.3']));
    expect(clients('customs-1', 28, 42)).toEqual(new Set(['brokerbot/5.1.0']));
    expect(clients('post-2', 0, 18)).toEqual(new Set(['prod-assist/0.9.4']));
    expect(clients('post-2', 23, 42)).toEqual(new Set(['prod-assist/1.0.0']));
    const nets = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.sourceNetwork);
    expect(nets('port-2', 0, 12).has('10.30.200.0/24')).toBe(false);
    expect(nets('port-2', 12, 42).has('10.30.200.0/24')).toBe(true);
    expect(nets('customs-2', 0, 29)).toEqual(new Set(['10.60.10.0/24']));
    expect(nets('customs-2', 29, 42)).toEqual(new Set(['10.61.10.0/24']));
    expect(nets('post-1', 0, 21)).toEqual(new Set(['10.90.1.0/24']));
    expect(nets('post-1', 22, 42)).toEqual(new Set(['10.90.1.0/24', '10.91.16.0/20']));
    // The vet works at another clinic on Thursdays.
    const thursdays = of('vet-2').filter((l) => dayOf(l) % 7 === 3 && Number(hour(l)) >= 12);
    expect(setOf(thursdays, (l) => l.context.sourceNetwork)).toEqual(new Set(['10.80.44.0/24']));
    const people = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.onBehalfOf);
    const joined = (agent: string, before: number, after: number) =>
      [...people(agent, after, 42)].filter((p) => !people(agent, 0, before).has(p));
    expect(joined('port-3', 23, 24)).toHaveLength(2);
    expect(joined('vet-3', 19, 20)).toHaveLength(2);
    expect(joined('customs-3', 20, 21)).toHaveLength(2);
    expect(joined('post-3', 17, 23)).toHaveLength(3);
    // Heartworm and tick season: the evening reminder batches grow through April.
    const reminderVolume = (from: number, to: number) =>
      median(
        during('vet-1', from, to)
          .filter((l) => l.operation === 'send_reminder')
          .map((l) => l.volume),
      );
    expect(reminderVolume(32, 42) / reminderVolume(0, 14)).toBeGreaterThan(1.3);
  });
});
