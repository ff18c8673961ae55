/**
 * The thirteenth detector trace family (bench/detector/families/thirteenth.ts): deterministic for a seed, in time
 * order, registered (tuned on since its held-out run), valid labels and incident ids from day 10 on, every judged
 * kind planted (at least 24 bulk requests, 16 odd sequences on MEDIUM and 16 on HIGH operations, exactly 8 drifts),
 * bulk requests 30–300× the usual, odd sequences that are new transitions of known operations, never-seen tools and
 * contexts, drifts ending in a jump at ~80× the original level, and the rhythms of its four businesses (time zones
 * with daylight saving starting in Denver and London and ending in Sydney, none in Honolulu or Chennai; bank, storm,
 * month-end, renewal, launch and outage peaks; a nightly claim batch; slow legitimate change).
 */
import { describe, expect, it } from 'vitest';
import { generateThirteenthFamily } from '../bench/detector/families/thirteenth.js';
import { dayOf, median, normalLines, setOf } from './helpers/trace-family.js';
import { itKeepsTheFamilyPromises, perDay, type FamilyPromises } from './helpers/trace-family-incidents.js';

// What this family promises where the families differ (test/helpers/trace-family-incidents.ts).
const PROMISES: FamilyPromises = {
  family: 'thirteenth',
  generate: generateThirteenthFamily,
  tunedOn: true,
  archetypes: ['airport_ground_ops', 'insurance_underwriting', 'hospital_revenue_cycle', 'telecom_noc_provisioning'],
  planted: { exactly16: true, burstLines: [150, 600], burstMinutes: [3, 15] },
  bulkMinUses: 12,
  oncePerAgent: true,
  novelty: { sameContext: true, perVariant: 4, newToFamily: true },
  driftPerDay: 3,
};

describe('thirteenth trace family', () => {
  const lines = generateThirteenthFamily({ seed: 1, agentsPerArchetype: 4, days: 42 });
  const { of, during } = normalLines(lines);

  itKeepsTheFamilyPromises(lines, PROMISES);

  it('has bots acting for nobody, one-person assistants, interleaved team seats and quiet seats', () => {
    const people = (agent: string) => setOf(of(agent), (l) => l.context.onBehalfOf);
    for (const bot of ['ground-ops-1', 'underwriting-1', 'rev-cycle-1', 'telco-prov-1'])
      expect(of(bot).some((l) => 'onBehalfOf' in l.context)).toBe(false);
    for (const assistant of ['ground-ops-2', 'underwriting-2', 'rev-cycle-2', 'telco-prov-2'])
      expect(people(assistant).size).toBe(1);
    for (const team of ['ground-ops-3', 'underwriting-3', 'rev-cycle-3', 'telco-prov-3']) {
      expect(people(team).size).toBeGreaterThanOrEqual(4);
      const ls = of(team);
      const switches = ls.filter((l, i) => i > 0 && l.context.onBehalfOf !== ls[i - 1]!.context.onBehalfOf).length;
      expect(switches / ls.length).toBeGreaterThan(0.1);
      expect(median([...perDay(of(team)).values()])).toBeGreaterThan(150);
    }
    for (const quiet of ['ground-ops-4', 'underwriting-4', 'rev-cycle-4', 'telco-prov-4'])
      expect(median([...perDay(of(quiet)).values()])).toBeLessThan(30);
  });

  it('peaks at the banks, on storm days, at month-end, in the renewal season, at the launch and after the outage', () => {
    const peak = (agent: string, days: number[]) => {
      const counts = perDay(of(agent));
      const at = days.map((d) => counts.get(d) ?? 0).reduce((a, b) => a + b, 0) / days.length;
      return at / median([...counts.values()]);
    };
    expect(peak('ground-ops-3', [12, 31])).toBeGreaterThan(1.3); // snowstorms
    expect(peak('ground-ops-2', [12, 31])).toBeGreaterThan(1.3);
    expect(peak('underwriting-3', [24, 25, 28])).toBeGreaterThan(1.5); // March month- and quarter-end
    expect(peak('underwriting-3', [21, 22, 23])).toBeGreaterThan(1.3); // the run-up to 1 April renewals
    expect(peak('rev-cycle-2', [24, 25, 28])).toBeGreaterThan(1.1); // month-end close
    expect(peak('telco-prov-3', [17])).toBeGreaterThan(2); // the launch
    expect(peak('telco-prov-2', [24, 25])).toBeGreaterThan(1.3); // after the outage
    // De-icing surges on storm days; glycol orders with them.
    const deicing = of('ground-ops-3').filter((l) => l.operation === 'request_deicing');
    const stormy = deicing.filter((l) => [12, 31].includes(dayOf(l))).length / 2;
    expect(stormy / (deicing.length / 42)).toBeGreaterThan(4);
    // The morning and evening banks at Denver (06–09 and 16–19 local) outweigh midday at the bot.
    const byHour = (h: string) => of('ground-ops-1').filter((l) => dayOf(l) >= 7 && l.time.slice(11, 13) === h).length;
    expect(byHour('13')).toBeGreaterThan(1.3 * byHour('18')); // 07:00 MDT vs 12:00 MDT
    // The nightly claim batch (00:00–04:00 Honolulu, 10–14Z) scrubs and submits, bigger on Mondays.
    const night = of('rev-cycle-1').filter((l) => ['11', '12'].includes(l.time.slice(11, 13)));
    expect(new Set(night.map((l) => l.operation))).toEqual(new Set(['scrub_claims', 'submit_claims']));
    const submits = (days: number[]) =>
      median(
        of('rev-cycle-1')
          .filter((l) => l.operation === 'submit_claims' && days.includes(dayOf(l)))
          .map((l) => l.volume),
      );
    expect(submits([7, 14, 21, 28, 35]) / submits([8, 15, 22, 29, 36])).toBeGreaterThan(1.2);
    // Ramp control works a night shift.
    expect(during('ground-ops-3', 7, 42).some((l) => ['09', '10', '11'].includes(l.time.slice(11, 13)))).toBe(true);
  });

  it('keeps local time (clocks change in Denver, London and Sydney, not in Honolulu or Chennai)', () => {
    const hours = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.time.slice(11, 13));
    // The duty manager starts at 05:00 Denver time: 12Z in MST, 11Z from 9 March (MDT).
    expect(hours('ground-ops-2', 0, 6).has('11')).toBe(false);
    expect(hours('ground-ops-2', 7, 42).has('11')).toBe(true);
    // The senior underwriter starts at 08:00 London time: 07Z only from 30 March (BST).
    expect(hours('underwriting-2', 0, 27).has('07')).toBe(false);
    expect(hours('underwriting-2', 28, 42).has('07')).toBe(true);
    expect(hours('underwriting-2', 28, 42).has('19')).toBe(false);
    // The provisioning lead starts at 08:00 Sydney time: 21Z until 6 April (AEDT), 22Z after.
    expect(hours('telco-prov-2', 0, 32).has('21')).toBe(true);
    expect(hours('telco-prov-2', 35, 42).has('21')).toBe(false);
    // Honolulu keeps its clock: the office never works 03–16Z; Chennai's coders work its night (03:30–13:30Z).
    for (const h of hours('rev-cycle-2', 0, 42)) expect(Number(h) <= 3 || Number(h) >= 17).toBe(true);
    const chennai = of('rev-cycle-3').filter((l) => l.context.sourceNetwork === '10.64.8.0/24');
    expect(new Set(chennai.map((l) => l.operation))).toEqual(
      new Set(['read_chart_summary', 'suggest_codes', 'assign_codes', 'capture_charges', 'lookup_charges']),
    );
    for (const l of chennai) expect(Number(l.time.slice(11, 13))).toBeLessThan(14);
  });

  it('changes slowly: tools adopted, clients upgraded, networks moved, people joining', () => {
    const firstDay = (agent: string, tool: string) =>
      Math.min(
        ...of(agent)
          .filter((l) => l.tool === tool)
          .map(dayOf),
      );
    expect(firstDay('ground-ops-2', 'ramp-vision')).toBeGreaterThanOrEqual(14);
    expect(firstDay('ground-ops-3', 'ramp-vision')).toBeGreaterThanOrEqual(20);
    expect(firstDay('underwriting-1', 'cat-model')).toBeGreaterThanOrEqual(16);
    expect(firstDay('underwriting-3', 'cat-model')).toBeGreaterThanOrEqual(18);
    expect(firstDay('rev-cycle-3', 'ai-coding-assist')).toBeGreaterThanOrEqual(18);
    expect(firstDay('telco-prov-3', 'intent-orchestrator')).toBeGreaterThanOrEqual(19);
    const clients = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.userAgent);
    expect(clients('ground-ops-1', 0, 20)).toEqual(new Set(['ground-ops-engine/3.4.1']));
    expect(clients('ground-ops-1', 21, 42)).toEqual(new Set(['ground-ops-engine/3.5.0']));
    expect(clients('ground-ops-2', 0, 23)).toEqual(new Set(['ops-copilot/1.8.2']));
    expect(clients('ground-ops-2', 23, 27).size).toBe(2);
    expect(clients('ground-ops-2', 28, 42)).toEqual(new Set(['ops-copilot/1.9.0']));
    expect(clients('underwriting-2', 32, 42)).toEqual(new Set(['uw-copilot/2.1.0']));
    expect(clients('telco-prov-3', 28, 42)).toEqual(new Set(['prov-desk/12.5.0']));
    const nets = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.sourceNetwork);
    // The ground-ops bot moves data centres on (Denver) day 24.
    expect(nets('ground-ops-1', 0, 24)).toEqual(new Set(['10.40.1.0/24']));
    expect(nets('ground-ops-1', 25, 42)).toEqual(new Set(['10.41.1.0/24']));
    // Assistants start working from home over a VPN.
    expect(nets('ground-ops-2', 0, 12).has('10.40.200.0/24')).toBe(false);
    expect(nets('ground-ops-2', 13, 42).has('10.40.200.0/24')).toBe(true);
    expect(nets('underwriting-2', 0, 8).has('10.50.90.0/24')).toBe(false);
    expect(nets('underwriting-2', 9, 42).has('10.50.90.0/24')).toBe(true);
    expect(nets('telco-prov-2', 0, 18).has('10.70.150.0/24')).toBe(false);
    expect(nets('telco-prov-2', 20, 42).has('10.70.150.0/24')).toBe(true);
    const people = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.onBehalfOf);
    const joined = (agent: string, before: number, after: number) =>
      [...people(agent, after, 42)].filter((p) => !people(agent, 0, before).has(p));
    expect(joined('ground-ops-3', 19, 31)).toHaveLength(2);
    expect(joined('underwriting-3', 21, 22)).toHaveLength(1);
    expect(joined('rev-cycle-3', 14, 27)).toHaveLength(2);
    expect(joined('telco-prov-3', 14, 16)).toHaveLength(2);
  });
});
