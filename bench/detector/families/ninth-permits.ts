/**
 * Ninth family, archetype `municipal_permits`: a Portland-area city's permit centre. Permit applications and intake,
 * fee assessment, waivers and refunds, inspection scheduling and results, certificates of occupancy; the spring
 * building season brings a slow, steady surge, Mondays are heavy, and parcel lookups in a new GIS tool spread.
 */
import { personName, type ArchetypeSpec, type DayMood, type Person, type Seat } from './ninth-model.js';

const DOMAIN = 'cityofcedarbend.example';
const API = 'https://permits.cityofcedarbend.example/api';

export const PERMITS: ArchetypeSpec = {
  archetype: 'municipal_permits',
  tools: {
    'permit-portal': `${API}/applications/`,
    inspections: `${API}/inspections/`,
    'fee-ledger': 'https://finance.cityofcedarbend.example/permit-fees/',
    certificates: `${API}/certificates/`,
    'gis-parcels': 'https://gis.cityofcedarbend.example/parcels/',
  },
  ops: {
    read_application: { tool: 'permit-portal', sensitivity: 'LOW', volume: [1, 0.2] },
    search_applications: { tool: 'permit-portal', sensitivity: 'LOW', volume: [22, 0.5] },
    intake_application: { tool: 'permit-portal', sensitivity: 'MEDIUM', volume: [1, 0.1] },
    request_corrections: { tool: 'permit-portal', sensitivity: 'LOW', volume: [2, 0.4] },
    approve_permit: { tool: 'permit-portal', sensitivity: 'HIGH', volume: [1, 0.1] },
    schedule_inspection: { tool: 'inspections', sensitivity: 'LOW', volume: [1, 0.1] },
    reschedule_inspection: { tool: 'inspections', sensitivity: 'LOW', volume: [1, 0.1] },
    record_inspection_result: { tool: 'inspections', sensitivity: 'MEDIUM', volume: [6, 0.4] },
    assess_fee: { tool: 'fee-ledger', sensitivity: 'MEDIUM', volume: [1, 0.1], amount: [640, 0.9] },
    waive_fee: { tool: 'fee-ledger', sensitivity: 'HIGH', volume: [1, 0.1], amount: [180, 0.8] },
    refund_fee: { tool: 'fee-ledger', sensitivity: 'HIGH', volume: [1, 0.1], amount: [260, 0.8] },
    issue_certificate: { tool: 'certificates', sensitivity: 'HIGH', volume: [1, 0.1] },
    read_certificate: { tool: 'certificates', sensitivity: 'LOW', volume: [1, 0.1] },
    lookup_parcel: { tool: 'gis-parcels', sensitivity: 'LOW', volume: [3, 0.5] },
  },
  procs: {
    intake: [
      { op: 'read_application' },
      { op: 'intake_application', gap: [60, 400] },
      { op: 'assess_fee' },
      { op: 'request_corrections', p: 0.3, gap: [60, 300] },
    ],
    intake_gis: [
      { op: 'read_application' },
      { op: 'lookup_parcel', times: [1, 2] },
      { op: 'intake_application', gap: [60, 400] },
      { op: 'assess_fee' },
      { op: 'request_corrections', p: 0.3, gap: [60, 300] },
    ],
    inspection: [
      { op: 'schedule_inspection' },
      { op: 'reschedule_inspection', p: 0.2, times: [1, 2] },
      { op: 'record_inspection_result', gap: [300, 1800] },
      { op: 'issue_certificate', p: 0.3 },
    ],
    fee_relief: [
      { op: 'read_application' },
      {
        branch: [
          { w: 3, steps: [{ op: 'assess_fee' }, { op: 'waive_fee', p: 0.8, gap: [60, 300] }] },
          { w: 1, steps: [{ op: 'refund_fee', gap: [60, 300] }] },
        ],
      },
    ],
    approval: [
      { op: 'search_applications' },
      { op: 'read_application', times: [1, 3] },
      { op: 'approve_permit', gap: [120, 600] },
      { op: 'issue_certificate', p: 0.4 },
    ],
    front_counter: [{ op: 'search_applications' }, { op: 'read_application' }, { op: 'read_certificate', p: 0.5 }],
  },
  seats(count, rng) {
    const seats: Seat[] = [];
    for (let i = 0; i < count; i++) {
      const r = rng.fork(`permits-seat-${i}`);
      const who = (hours: [number, number], from = 0, weight = 1): Person => ({
        email: personName(r, DOMAIN, `.p${i + 1}`),
        hours,
        from,
        weight,
      });
      const base = {
        agent: `permits-${i + 1}`,
        archetype: 'municipal_permits',
        platform: 'copilot-studio',
        utc: [-8, -7] as [number, number],
        dstDay: 7,
        weekend: 0,
        networks: [{ from: 0, nets: [`10.12.${20 + i}.0/24`] }],
        clients: [{ from: 0, ua: 'cedarbend-permit-assistant/2.0' }],
      };
      const kind = i % 4;
      if (kind === 0)
        seats.push({
          ...base,
          sessions: 30,
          people: [{ hours: [7, 18], from: 0, weight: 1 }],
          clients: [{ from: 0, ua: 'permit-intake-bot/4.1' }],
          procs: { intake: 6, front_counter: 2, fee_relief: 0.8 },
          adopt: { proc: 'intake_gis', from: 10, full: 28, weight: 6 },
        });
      else if (kind === 1)
        seats.push({
          ...base,
          sessions: 5,
          people: [who([8, 17]), who([8, 16]), who([9, 17], 19, 0.8)],
          procs: { front_counter: 3, intake: 2, fee_relief: 1, approval: 1 },
        });
      else if (kind === 2)
        seats.push({
          ...base,
          sessions: 8,
          people: [who([6, 15])],
          procs: { inspection: 5, approval: 1, front_counter: 1 },
          networks: [{ from: 0, nets: [`10.12.${20 + i}.0/24`, `10.13.${i}.0/24`] }],
        });
      else
        seats.push({
          ...base,
          sessions: 3,
          people: [who([9, 16])],
          procs: { fee_relief: 3, approval: 1, front_counter: 1 },
          clients: [
            { from: 0, ua: 'cedarbend-permit-assistant/2.0' },
            { from: 24, ua: 'cedarbend-permit-assistant/2.1', mix: 3 },
          ],
        });
    }
    return seats;
  },
  mood(day): DayMood {
    // The spring season builds steadily; Monday mornings clear the weekend's online submissions.
    const season = 1 + 0.015 * day;
    return { factor: season * (day % 7 === 0 ? 1.3 : 1), boost: {} };
  },
  rare: [
    {
      tool: 'records-admin',
      resource: 'https://records.cityofcedarbend.example/',
      op: 'purge_case_records',
      sensitivity: 'CRITICAL',
      volume: 1,
      amount: 0,
    },
    {
      tool: 'code-enforcement',
      resource: `${API}/violations/`,
      op: 'close_violation',
      sensitivity: 'HIGH',
      volume: 1,
      amount: 0,
    },
    {
      tool: 'treasury-gl',
      resource: 'https://finance.cityofcedarbend.example/gl/',
      op: 'post_journal_entry',
      sensitivity: 'CRITICAL',
      volume: 1,
      amount: 12_500,
    },
  ],
  driftOps: ['search_applications', 'lookup_parcel'],
  burstOps: ['read_application', 'search_applications', 'schedule_inspection'],
};
