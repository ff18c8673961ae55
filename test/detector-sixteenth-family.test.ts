/**
 * The sixteenth detector trace family (bench/detector/families/sixteenth.ts): deterministic for a seed, in time
 * order, registered as held out (not tuned on), valid labels and incident ids from day 10 on, every judged kind
 * planted (at least 24 bulk requests, 16 odd sequences on MEDIUM and 16 on HIGH operations, exactly 8 drifts), bulk
 * requests 30–300× the usual, odd sequences that are new transitions of known operations, never-seen tools and
 * contexts, drifts ending in a jump at ~80× the original level, and the rhythms of its four businesses (no clock
 * change in Phoenix; spring forward in Toronto and Helsinki, autumn back in Auckland; a formulary change, a snowstorm,
 * a subway closure, an insurance-year rush, a flood activation; orbit-paced passes, nightly and weekly batches; slow
 * legitimate change).
 */
import { describe, expect, it } from 'vitest';
import { generateSixteenthFamily } from '../bench/detector/families/sixteenth.js';
import type { TraceLine } from '../bench/detector/generate-traces.js';
import { T0, dayOf, median, normalLines, setOf } from './helpers/trace-family.js';
import { itKeepsTheFamilyPromises, perDay, type FamilyPromises } from './helpers/trace-family-incidents.js';

// What this family promises where the families differ (test/helpers/trace-family-incidents.ts).
const PROMISES: FamilyPromises = {
  family: 'sixteenth',
  generate: generateSixteenthFamily,
  tunedOn: false,
  archetypes: ['pharmacy_benefits', 'transit_agency', 'dental_group', 'satellite_imagery'],
  planted: { exactly16: true, burstLines: [80, 400], burstMinutes: [3, 12] },
  bulkMinUses: 20,
  oncePerAgent: true,
  novelty: { sameContext: true, perVariant: 5, newToFamily: true },
  driftPerDay: 3,
};

describe('sixteenth trace family', () => {
  const lines = generateSixteenthFamily({ seed: 1, agentsPerArchetype: 4, days: 42 });
  const { of, during } = normalLines(lines);
  const hours = (agent: string, from: number, to: number) =>
    setOf(during(agent, from, to), (l) => l.time.slice(11, 13));
  /** Requests per local day, for a zone `offset` hours from UTC. */
  const perLocalDay = (ls: TraceLine[], offset: number) => {
    const days = new Map<number, number>();
    for (const l of ls) {
      const d = Math.floor((Date.parse(l.time) + offset * 3_600_000 - T0) / 86_400_000);
      days.set(d, (days.get(d) ?? 0) + 1);
    }
    return days;
  };
  /** Mean requests on `days` over the median day, per UTC day or per local day. */
  const peak = (agent: string, days: number[], offset = 0) => {
    const counts = offset ? perLocalDay(of(agent), offset) : perDay(of(agent));
    const at = days.map((d) => counts.get(d) ?? 0).reduce((a, b) => a + b, 0) / days.length;
    return at / median([...counts.values()]);
  };

  itKeepsTheFamilyPromises(lines, PROMISES);

  it('has bots acting for nobody, one-person assistants, interleaved team seats and quiet seats', () => {
    const people = (agent: string) => setOf(of(agent), (l) => l.context.onBehalfOf);
    for (const bot of ['pbm-1', 'transit-1', 'dental-1', 'imagery-1'])
      expect(of(bot).some((l) => 'onBehalfOf' in l.context)).toBe(false);
    for (const assistant of ['pbm-2', 'transit-2', 'dental-2', 'imagery-2']) expect(people(assistant).size).toBe(1);
    for (const team of ['pbm-3', 'transit-3', 'dental-3', 'imagery-3']) {
      expect(people(team).size).toBeGreaterThanOrEqual(8);
      const ls = of(team);
      const switches = ls.filter((l, i) => i > 0 && l.context.onBehalfOf !== ls[i - 1]!.context.onBehalfOf).length;
      expect(switches / ls.length).toBeGreaterThan(0.2);
      expect(median([...perDay(ls).values()])).toBeGreaterThan(300);
    }
    for (const quiet of ['pbm-4', 'transit-4', 'dental-4', 'imagery-4'])
      expect(median([...perDay(of(quiet)).values()])).toBeLessThan(20);
    // One person works one session at a time: a thread never has two sessions' steps interleaved, so an assistant's
    // prior-authorisation decision is always followed by its letter or by the next case, never by another decision.
    const pa = of('pbm-2');
    const decisions = new Set(['approve_prior_auth', 'deny_prior_auth']);
    expect(pa.some((l, i) => i > 0 && decisions.has(l.operation) && decisions.has(pa[i - 1]!.operation))).toBe(false);
  });

  it('peaks with the new formulary, the snowstorm, the subway closure, the insurance-year rush and the flood', () => {
    // 1 April: the new formulary takes effect and pharmacies call about rejects (Phoenix days are UTC days here).
    expect(peak('pbm-3', [29, 30, 31])).toBeGreaterThan(1.5);
    expect(peak('pbm-1', [29, 30, 31])).toBeGreaterThan(1.4);
    // The Toronto snowstorm of 19 March: refunds, complaints and service alerts.
    expect(peak('transit-3', [16])).toBeGreaterThan(1.5);
    const daily = (agent: string, op: string) => perDay(of(agent).filter((l) => l.operation === op));
    const refunds = daily('transit-3', 'issue_refund');
    expect(refunds.get(16)! / median([...refunds.values()])).toBeGreaterThan(2);
    const alerts = daily('transit-1', 'create_service_alert');
    const usualAlerts = median([...alerts.values()]);
    expect(alerts.get(16)! / usualAlerts).toBeGreaterThan(2.5);
    for (const closed of [26, 27]) expect(alerts.get(closed)! / usualAlerts).toBeGreaterThan(1.6);
    // Auckland patients use their insurance before it resets on 1 April (local days; NZDT is UTC+13).
    expect(peak('dental-3', [21, 22, 23, 24, 25], 13)).toBeGreaterThan(1.2);
    expect(peak('dental-3', [28], 13)).toBeGreaterThan(1.5);
    // The flood activation, 26–28 March.
    expect(peak('imagery-3', [23, 24, 25])).toBeGreaterThan(1.8);
  });

  it('keeps weekly rhythms and batches: orbits know no weekend, pharmacies and offices do', () => {
    const weekendOverWeekday = (agent: string) => {
      const counts = [...perDay(of(agent))];
      return (
        median(counts.filter(([d]) => d % 7 >= 5).map(([, n]) => n)) /
        median(counts.filter(([d]) => d % 7 < 5).map(([, n]) => n))
      );
    };
    expect(weekendOverWeekday('imagery-1')).toBeGreaterThan(0.9);
    expect(weekendOverWeekday('imagery-1')).toBeLessThan(1.1);
    expect(weekendOverWeekday('pbm-1')).toBeLessThan(0.7);
    expect(weekendOverWeekday('pbm-3')).toBeLessThan(0.45);
    // Passes round the clock: the pipeline bot works every UTC hour.
    expect(hours('imagery-1', 0, 42).size).toBe(24);
    // A sixth satellite from 22 March: about a fifth more downlinks a day.
    const downlinks = perDay(of('imagery-1').filter((l) => l.operation === 'ingest_downlink'));
    const mean = (from: number, to: number) => {
      let sum = 0;
      for (let d = from; d < to; d++) sum += downlinks.get(d) ?? 0;
      return sum / (to - from);
    };
    expect(mean(20, 42) / mean(0, 18)).toBeGreaterThan(1.1);
    // The eligibility file loads at 01:30 Phoenix time (08:30Z) every night; the remittance goes on Thursdays.
    const loads = of('pbm-1').filter((l) => l.operation === 'load_eligibility_file');
    expect(loads).toHaveLength(42);
    expect(setOf(loads, (l) => l.time.slice(11, 13))).toEqual(new Set(['08']));
    const remittances = of('pbm-1').filter((l) => l.operation === 'send_remittance');
    expect(remittances).toHaveLength(6);
    expect(remittances.every((l) => dayOf(l) % 7 === 3)).toBe(true);
    // On an Auckland Sunday the practice bot only runs its nightly recall batch.
    const sunday = of('dental-1').filter(
      (l) => Math.floor((Date.parse(l.time) + 13 * 3_600_000 - T0) / 86_400_000) % 7 === 6,
    );
    expect(setOf(sunday, (l) => l.operation)).toEqual(
      new Set(['build_recall_list', 'send_recall_reminders', 'sync_imaging_index']),
    );
  });

  it('keeps local time (clocks change in Toronto, Helsinki and Auckland, not in Phoenix)', () => {
    // Phoenix keeps MST: the pharmacist's day is 14–23Z before and after everyone else's change.
    for (const [from, to] of [
      [0, 6],
      [28, 42],
    ])
      for (const h of hours('pbm-2', from!, to!)) expect(Number(h)).toBeGreaterThanOrEqual(14);
    expect(hours('pbm-2', 28, 42).has('14')).toBe(true);
    // The Toronto planner starts at 08:00: 13Z in EST, 12Z from 9 March (EDT).
    expect(hours('transit-2', 0, 6).has('12')).toBe(false);
    expect(hours('transit-2', 7, 42).has('12')).toBe(true);
    // The Helsinki sales engineer starts at 08:00: 06Z in EET, 05Z from 30 March (EEST).
    expect(hours('imagery-2', 0, 27).has('05')).toBe(false);
    expect(hours('imagery-2', 28, 42).has('05')).toBe(true);
    // The Auckland clinical director starts at 07:00: 18Z in NZDT, 19Z from 6 April (NZST); she ends at 18:00,
    // 05Z only then.
    expect(hours('dental-2', 0, 33).has('18')).toBe(true);
    expect(hours('dental-2', 34, 42).has('18')).toBe(false);
    expect(hours('dental-2', 34, 42).has('05')).toBe(true);
  });

  it('changes slowly: tools adopted, clients upgraded, networks moved, people joining', () => {
    const firstDay = (agent: string, tool: string) =>
      Math.min(
        ...of(agent)
          .filter((l) => l.tool === tool)
          .map(dayOf),
      );
    expect(firstDay('pbm-2', 'ai-pa-summarizer')).toBeGreaterThanOrEqual(14);
    expect(firstDay('transit-2', 'apc-analytics')).toBeGreaterThanOrEqual(17);
    expect(firstDay('dental-1', 'online-booking-sync')).toBeGreaterThanOrEqual(19);
    expect(firstDay('imagery-3', 'vessel-detector')).toBeGreaterThanOrEqual(11);
    // Adoption is gradual: the summariser is in most of the pharmacist's cases by the last week.
    const cases = during('pbm-2', 35, 42).filter((l) => l.operation === 'read_pa_request').length;
    const summaries = during('pbm-2', 35, 42).filter((l) => l.operation === 'summarize_pa_case').length;
    expect(summaries / cases).toBeGreaterThan(0.6);
    const clients = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.userAgent);
    expect(clients('pbm-1', 0, 17)).toEqual(new Set(['rx-triage-bot/5.3.2']));
    expect(clients('pbm-1', 18, 42)).toEqual(new Set(['rx-triage-bot/5.4.0']));
    // The help desk's client is rolled out person by person over five days.
    expect(clients('pbm-3', 0, 17)).toEqual(new Set(['rxdesk/4.2.1']));
    expect(clients('pbm-3', 17, 22).size).toBe(2);
    expect(clients('pbm-3', 22, 42)).toEqual(new Set(['rxdesk/4.3.0']));
    expect(clients('transit-1', 0, 20)).toEqual(new Set(['transit-rt-bridge/2.7.3']));
    expect(clients('transit-1', 21, 42)).toEqual(new Set(['transit-rt-bridge/2.8.0']));
    expect(clients('dental-2', 25, 42)).toEqual(new Set(['clinical-copilot/1.5.0']));
    expect(clients('dental-3', 30, 42)).toEqual(new Set(['practice-hub/5.2.0']));
    expect(clients('imagery-2', 24, 42)).toEqual(new Set(['eo-sales-console/2.4.0']));
    const nets = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.sourceNetwork);
    // The transit bot moves to the cloud region on Sunday 30 March.
    expect(nets('transit-1', 0, 27)).toEqual(new Set(['10.30.2.0/24']));
    expect(nets('transit-1', 28, 42)).toEqual(new Set(['10.31.8.0/24']));
    // Home VPNs, a new practice's network, a new ground station, a conference trip.
    expect(nets('pbm-2', 0, 15).has('10.60.220.0/24')).toBe(false);
    expect(nets('pbm-2', 15, 42).has('10.60.220.0/24')).toBe(true);
    expect(nets('transit-2', 0, 11).has('10.30.200.0/24')).toBe(false);
    expect(nets('transit-2', 11, 42).has('10.30.200.0/24')).toBe(true);
    expect(nets('dental-3', 0, 16).has('10.88.17.0/24')).toBe(false);
    expect(nets('dental-3', 16, 42).has('10.88.17.0/24')).toBe(true);
    expect(nets('imagery-1', 0, 18).has('10.90.7.0/24')).toBe(false);
    expect(nets('imagery-1', 19, 42).has('10.90.7.0/24')).toBe(true);
    expect(nets('imagery-2', 15, 18)).toEqual(new Set(['10.90.230.0/24']));
    expect(nets('imagery-2', 18, 42)).toEqual(new Set(['10.90.20.0/24']));
    const people = (agent: string, from: number, to: number) =>
      setOf(during(agent, from, to), (l) => l.context.onBehalfOf);
    const joined = (agent: string, before: number, after: number) =>
      [...people(agent, after, 42)].filter((p) => !people(agent, 0, before).has(p));
    expect(joined('pbm-3', 22, 22)).toHaveLength(2);
    expect(joined('transit-3', 14, 14)).toHaveLength(2);
    expect(joined('dental-3', 16, 17)).toHaveLength(2);
    expect(joined('imagery-3', 24, 24)).toHaveLength(1);
  });
});
