/**
 * The fifteenth detector trace family (bench/detector/families/fifteenth.ts): deterministic for a seed, in time
 * order, registered (tuned on since its held-out run), valid labels and incident ids from day 10 on, every judged kind
 * planted (at least 24 bulk requests, 16 odd sequences on MEDIUM and 16 on HIGH operations, exactly 8 drifts), bulk
 * requests 30–300× the usual, odd sequences that are new transitions of known operations, never-seen tools and
 * contexts, drifts ending in a jump at ~80× the original level, and the rhythms of its four businesses (clocks
 * moving forward in Chicago and Zurich and back in Adelaide by an hour of a half-hour zone, none in Singapore; rent
 * days, powder days, a washout, a trade fair, month-end, public holidays; batches; slow legitimate change).
 */
import { describe, expect, it } from 'vitest';
import { generateFifteenthFamily } from '../bench/detector/families/fifteenth.js';
import type { TraceLine } from '../bench/detector/generate-traces.js';
import { dayOf, median, normalLines, setOf } from './helpers/trace-family.js';
import { itKeepsTheFamilyPromises, perDay, type FamilyPromises } from './helpers/trace-family-incidents.js';

// What this family promises where the families differ (test/helpers/trace-family-incidents.ts).
const PROMISES: FamilyPromises = {
  family: 'fifteenth',
  generate: generateFifteenthFamily,
  tunedOn: true,
  archetypes: ['property_management', 'ski_resort', 'freight_railway', 'wine_import'],
  planted: { exactly16: true, burstLines: [150, 450], burstMinutes: [3, 10] },
  bulkMinUses: 12,
  oncePerAgent: true,
  novelty: { sameContext: true, perVariant: 5, newToFamily: true },
  driftPerDay: 3,
};

describe('fifteenth trace family', () => {
  const lines = generateFifteenthFamily({ seed: 1, agentsPerArchetype: 4, days: 42 });
  const { of, during } = normalLines(lines);
  const hour = (l: TraceLine) => l.time.slice(11, 13);

  itKeepsTheFamilyPromises(lines, PROMISES);

  it('has bots acting for nobody, one-person assistants, interleaved team seats and quiet seats', () => {
    const people = (agent: string) => setOf(of(agent), (l) => l.context.onBehalfOf);
    for (const bot of ['propmgmt-1', 'skiresort-1', 'rail-1', 'wine-1'])
      expect(of(bot).some((l) => 'onBehalfOf' in l.context)).toBe(false);
    for (const assistant of ['propmgmt-2', 'skiresort-2', 'rail-2', 'wine-2']) expect(people(assistant).size).toBe(1);
    for (const team of ['propmgmt-3', 'skiresort-3', 'rail-3', 'wine-3']) {
      expect(people(team).size).toBeGreaterThanOrEqual(5);
      const ls = of(team);
      const switches = ls.filter((l, i) => i > 0 && l.context.onBehalfOf !== ls[i - 1]!.context.onBehalfOf).length;
      expect(switches / ls.length).toBeGreaterThan(0.2);
      expect(median([...perDay(ls).values()])).toBeGreaterThan(150);
    }
    for (const quiet of ['propmgmt-4', 'skiresort-4', 'rail-4', 'wine-4'])
      expect(median([...perDay(of(quiet)).values()])).toBeLessThan(30);
    // A person runs one session at a time: an assistant's requests never come from two sessions at once.
    for (const assistant of ['propmgmt-2', 'skiresort-2', 'rail-2', 'wine-2']) {
      const ls = of(assistant);
      expect(ls.every((l, i) => i === 0 || l.time > ls[i - 1]!.time)).toBe(true);
    }
  });

  it('peaks on rent days, in the storm, at weekends, on powder days, in the washout, at month-end and after ProWein', () => {
    const peak = (agent: string, days: number[]) => {
      const counts = perDay(of(agent));
      const at = days.map((d) => counts.get(d) ?? 0).reduce((a, b) => a + b, 0) / days.length;
      return at / median([...counts.values()]);
    };
    const daysOf = (agent: string, operation: string) =>
      [
        ...setOf(
          of(agent).filter((l) => l.operation === operation),
          (l) => String(dayOf(l)),
        ),
      ].map(Number);
    expect(peak('propmgmt-1', [0, 1, 2, 29, 30, 31, 32])).toBeGreaterThan(3); // rent due on the 1st
    expect(daysOf('propmgmt-1', 'post_late_fee').sort((a, b) => a - b)).toEqual([3, 34]); // late after the 5th
    expect(daysOf('propmgmt-1', 'disburse_owner_funds').sort((a, b) => a - b)).toEqual([7, 8, 38, 39]);
    expect(peak('propmgmt-3', [17])).toBeGreaterThan(1.8); // the storm floods basements
    expect(peak('propmgmt-3', [18])).toBeGreaterThan(1.3);
    expect(peak('skiresort-3', [5, 6, 12, 13, 19, 20])).toBeGreaterThan(1.5); // weekends
    expect(peak('skiresort-2', [9, 23])).toBeGreaterThan(1.6); // powder mornings
    expect(daysOf('skiresort-2', 'request_avalanche_control').sort((a, b) => a - b)).toEqual([9, 23]);
    // The season thins out in April: the desk's weekdays then against early March's.
    expect(peak('skiresort-3', [35, 36, 37, 38, 39]) / peak('skiresort-3', [7, 8, 9, 10, 11])).toBeLessThan(0.8);
    // The early-bird season pass: its prices are set in the days before the sale opens on 7 April.
    const prices = of('skiresort-4').filter((l) => l.operation === 'adjust_pass_price');
    expect(prices.filter((l) => dayOf(l) >= 32 && dayOf(l) <= 35).length / prices.length).toBeGreaterThan(0.4);
    // The washout (local 18–21 March, UTC days 14–18 for Adelaide's mornings): re-pathing, restrictions, crews.
    expect(peak('rail-2', [14, 15, 16, 17])).toBeGreaterThan(1.8);
    expect(peak('rail-3', [14, 15, 16, 17])).toBeGreaterThan(1.3);
    for (const d of daysOf('rail-1', 'cancel_track_path')) expect(d >= 14 && d <= 18).toBe(true);
    // March closes in Adelaide over its last days: more invoices then.
    const invoices = of('rail-4').filter((l) => l.operation === 'issue_freight_invoice');
    const closing = invoices.filter((l) => dayOf(l) >= 24 && dayOf(l) <= 29).length / 6;
    expect(closing / (invoices.length / 42)).toBeGreaterThan(1.5);
    // Singapore: dispatch waves at 11:30 and 16:00 (03 and 08Z), none on Sundays or on Hari Raya Puasa (day 28).
    const dispatch = of('wine-1').filter((l) => l.operation === 'confirm_dispatch');
    expect(setOf(dispatch, hour)).toEqual(new Set(['03', '08']));
    expect(dispatch.some((l) => [6, 13, 20, 27, 28, 34, 41].includes(dayOf(l)))).toBe(false);
    expect(perDay(of('wine-3')).get(28)).toBeUndefined();
    // Back from ProWein, the purchasing director orders.
    const orders = (from: number, to: number) =>
      during('wine-2', from, to).filter((l) => l.operation === 'place_purchase_order').length / (to - from);
    expect(orders(17, 23) / orders(0, 12)).toBeGreaterThan(1.5);
    // The rent bot's nightly posting runs at 01:30 Chicago time (07Z in CST, 06Z in CDT).
    const nightly = (from: number, to: number) =>
      setOf(
        during('propmgmt-1', from, to).filter((l) => l.operation === 'match_payment' && ['06', '07'].includes(hour(l))),
        hour,
      );
    expect(nightly(0, 6)).toEqual(new Set(['07']));
    expect(nightly(7, 42)).toEqual(new Set(['06']));
  });

  it('keeps local time (clocks go forward in Chicago and Zurich, back in Adelaide, not in Singapore)', () => {
    const hours = (agent: string, from: number, to: number) => setOf(during(agent, from, to), hour);
    // The portfolio manager starts at 08:00 Chicago time: 14Z in CST, 13Z from 9 March (CDT).
    expect(hours('propmgmt-2', 0, 6).has('13')).toBe(false);
    expect(hours('propmgmt-2', 7, 42).has('13')).toBe(true);
    // The head of mountain operations starts at 06:30 Zurich time: 04Z only from 30 March (CEST).
    expect(hours('skiresort-2', 0, 27).has('04')).toBe(false);
    expect(hours('skiresort-2', 28, 42).has('04')).toBe(true);
    // The guest services desk opens at 08:00: 07Z in CET, 06Z in CEST.
    expect(hours('skiresort-3', 0, 27).has('06')).toBe(false);
    expect(hours('skiresort-3', 28, 42).has('06')).toBe(true);
    // The network control manager works 07:00–16:00 Adelaide time: 20:30–05:30Z in ACDT, 21:30–06:30Z from 6 April.
    expect(hours('rail-2', 0, 33).has('20')).toBe(true);
    expect(hours('rail-2', 0, 33).has('06')).toBe(false);
    expect(hours('rail-2', 35, 42).has('20')).toBe(false);
    expect(hours('rail-2', 35, 42).has('06')).toBe(true);
    // Adelaide is half an hour off: the controller's day starts at :30 past a UTC hour.
    const firsts = [...perDay(of('rail-2')).keys()].map((d) => during('rail-2', d, d + 1).find((l) => hour(l) >= '20'));
    expect(firsts.filter((l) => l && Number(l.time.slice(14, 16)) >= 30).length).toBeGreaterThan(10);
    // Singapore keeps its clock: the sales desk works 09:00–19:00 (01–11Z) all six weeks.
    expect(hours('wine-3', 0, 21)).toEqual(hours('wine-3', 21, 42));
    for (const h of hours('wine-3', 0, 42)) expect(Number(h) >= 1 && Number(h) <= 11).toBe(true);
    // At ProWein the purchasing director works European hours (07–17Z) over the road-warrior VPN.
    const fair = during('wine-2', 13, 16);
    expect(setOf(fair, (l) => l.context.sourceNetwork)).toEqual(new Set(['10.88.250.0/24']));
    expect(fair.some((l) => ['14', '15', '16'].includes(hour(l)))).toBe(true);
    expect(during('wine-2', 21, 42).some((l) => ['14', '15', '16'].includes(hour(l)))).toBe(false);
  });

  it('changes slowly: tools adopted, clients upgraded, networks added or moved, people joining, volumes growing', () => {
    const firstDay = (agent: string, tool: string) =>
      Math.min(
        ...of(agent)
          .filter((l) => l.tool === tool)
          .map(dayOf),
      );
    expect(firstDay('propmgmt-3', 'smart-lock-hub')).toBeGreaterThanOrEqual(16);
    expect(firstDay('skiresort-3', 'click-and-ski-app')).toBeGreaterThanOrEqual(14);
    expect(firstDay('rail-3', 'fatigue-risk-model')).toBeGreaterThanOrEqual(18);
    expect(firstDay('wine-3', 'orders-portal-v2')).toBeGreaterThanOrEqual(21);
    // Gradually: the new tools are used more in the last week than in their first.
    const share = (agent: string, tool: string, from: number, to: number) => {
      const ls = during(agent, from, to);
      return ls.filter((l) => l.tool === tool).length / ls.length;
    };
    expect(share('propmgmt-3', 'smart-lock-hub', 35, 42)).toBeGreaterThan(
      2 * share('propmgmt-3', 'smart-lock-hub', 16, 23),
    );
    expect(share('wine-3', 'orders-portal-v2', 35, 42)).toBeGreaterThan(
      2 * share('wine-3', 'orders-portal-v2', 21, 28),
    );
    const clients = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.userAgent);
    expect(clients('propmgmt-1', 0, 20)).toEqual(new Set(['lakeshore-rentbot/4.2.0']));
    expect(clients('propmgmt-1', 21, 42)).toEqual(new Set(['lakeshore-rentbot/4.3.0']));
    expect(clients('propmgmt-2', 23, 26).size).toBe(2);
    expect(clients('propmgmt-2', 26, 42)).toEqual(new Set(['pm-copilot/3.2.0']));
    expect([...clients('skiresort-2', 0, 21)].every((c) => c?.startsWith('patrol-copilot/2.3.1'))).toBe(true);
    expect([...clients('skiresort-2', 25, 42)].every((c) => c?.startsWith('patrol-copilot/2.4.0'))).toBe(true);
    expect(clients('rail-1', 30, 42)).toEqual(new Set(['scr-ops-bot/2.9.1']));
    expect(clients('wine-1', 31, 42)).toEqual(new Set(['cellarbot/2.0.0']));
    const nets = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.sourceNetwork);
    // The pricing bot moves to the new cloud subnet on day 18.
    expect(nets('skiresort-1', 0, 18)).toEqual(new Set(['10.44.10.0/24']));
    expect(nets('skiresort-1', 18, 42)).toEqual(new Set(['10.44.60.0/24']));
    // The portfolio manager works from home over the VPN on Fridays and late afternoons, from day 12.
    expect(nets('propmgmt-2', 0, 12).has('10.20.200.0/24')).toBe(false);
    expect(nets('propmgmt-2', 12, 42).has('10.20.200.0/24')).toBe(true);
    // The head of mountain operations works from his phone on the mountain (a carrier's shared address space).
    expect(nets('skiresort-2', 0, 42)).toEqual(new Set(['10.44.2.0/24', '100.72.16.0/20']));
    // The network control manager moves to the Port Augusta control centre during the washout only.
    expect(nets('rail-2', 15, 18)).toContain('10.71.3.0/24');
    expect(nets('rail-2', 0, 14).has('10.71.3.0/24')).toBe(false);
    expect(nets('rail-2', 20, 42).has('10.71.3.0/24')).toBe(false);
    const people = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.onBehalfOf);
    const joined = (agent: string, before: number, after: number) =>
      [...people(agent, after, 42)].filter((p) => !people(agent, 0, before).has(p));
    expect(joined('propmgmt-3', 22, 30)).toHaveLength(2);
    expect(joined('skiresort-3', 30, 35)).toHaveLength(2);
    expect(joined('rail-3', 14, 16)).toHaveLength(1);
    expect(joined('wine-3', 20, 22)).toHaveLength(1);
    // Volumes grow: the acquired building's tenants pay rent too, the hotel group orders, the steel trains run.
    const volume = (agent: string, operation: string, from: number, to: number) =>
      during(agent, from, to)
        .filter((l) => l.operation === operation)
        .reduce((a, l) => a + l.volume, 0) /
      (to - from);
    expect(
      volume('propmgmt-1', 'sync_unit_availability', 28, 42) / volume('propmgmt-1', 'sync_unit_availability', 0, 14),
    ).toBeGreaterThan(1.1);
    expect(perDay(during('wine-1', 35, 41)).size).toBe(6);
    expect(volume('wine-1', 'confirm_dispatch', 35, 41) / volume('wine-1', 'confirm_dispatch', 7, 13)).toBeGreaterThan(
      1.1,
    );
    expect(volume('rail-1', 'build_consist', 28, 42) / volume('rail-1', 'build_consist', 0, 14)).toBeGreaterThan(1.05);
  });
});
