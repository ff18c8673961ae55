/**
 * The twelfth family's city water utility (Riverton Water, US Central time, daylight saving from 9 March): a SCADA and
 * meter-data bot acting for nobody (polls around the clock, a night meter-read batch, automatic dosing changes), an
 * assistant serving the operations superintendent (work orders, crews, customer notices), a customer-service seat
 * shared by the billing reps (interleaved: lookups, meter reads, bill adjustments and refunds with amounts, leak
 * reports) and a quiet seat for the water-quality analyst. Peaks: a main break on Saturday 15 March with a
 * boil-water notice through Tuesday (calls, work orders, notices, boil-water credits) and a second break on 2 April.
 * Slow change: the GIS viewer adopted over days, a client upgrade, a field VPN added, new reps joining.
 */
import {
  type Catalogue,
  type Crew,
  type Day,
  officeHours,
  type OpDef,
  type Person,
  type Proc,
  type Seat,
  weekly,
  ZONES,
} from './twelfth-model.js';

export const WATER_OPS: Record<string, OpDef> = {
  read_tag: { tool: 'scada-historian', sens: 'LOW', vol: [40, 0.3] },
  read_trend: { tool: 'scada-historian', sens: 'LOW', vol: [6, 0.5] },
  read_alarms: { tool: 'scada-historian', sens: 'LOW', vol: [3, 0.7] },
  ack_alarm: { tool: 'scada-control', sens: 'MEDIUM', vol: [1, 0.4] },
  change_dosing: { tool: 'scada-control', sens: 'HIGH' },
  read_meter: { tool: 'ami-meters', sens: 'LOW' },
  read_interval_data: { tool: 'ami-meters', sens: 'LOW', vol: [96, 0.3] },
  flag_leak: { tool: 'ami-meters', sens: 'MEDIUM' },
  lookup_account: { tool: 'cis-billing', sens: 'LOW' },
  adjust_bill: { tool: 'cis-billing', sens: 'HIGH', amt: [38, 0.7] },
  issue_refund: { tool: 'cis-billing', sens: 'HIGH', amt: [64, 0.6] },
  apply_boil_credit: { tool: 'cis-billing', sens: 'MEDIUM', amt: [12, 0.25] },
  create_work_order: { tool: 'work-orders', sens: 'MEDIUM' },
  update_work_order: { tool: 'work-orders', sens: 'LOW' },
  dispatch_crew: { tool: 'work-orders', sens: 'MEDIUM', vol: [3, 0.35] },
  close_work_order: { tool: 'work-orders', sens: 'MEDIUM' },
  read_sample: { tool: 'lims', sens: 'LOW', vol: [4, 0.5] },
  record_sample: { tool: 'lims', sens: 'MEDIUM', vol: [3, 0.4] },
  compliance_report: { tool: 'lims', sens: 'MEDIUM', vol: [30, 0.3] },
  send_customer_notice: { tool: 'notify', sens: 'HIGH', vol: [1800, 0.6] },
  view_main: { tool: 'gis-viewer', sens: 'LOW', vol: [2, 0.5] },
};

/** What a compromised or misused agent would do here (twelfth-incidents.ts). */
export const WATER_INCIDENTS: Catalogue = {
  skips: [
    ['lookup_account', 'issue_refund'],
    ['read_meter', 'issue_refund'],
    ['lookup_account', 'adjust_bill'],
    ['read_tag', 'change_dosing'],
    ['read_alarms', 'change_dosing'],
    ['read_alarms', 'send_customer_notice'],
    ['read_sample', 'send_customer_notice'],
    ['create_work_order', 'close_work_order'],
    ['read_tag', 'ack_alarm'],
    ['read_meter', 'flag_leak'],
    ['read_sample', 'compliance_report'],
    ['update_work_order', 'dispatch_crew'],
  ],
  bulk: ['issue_refund', 'adjust_bill', 'read_interval_data', 'send_customer_notice', 'apply_boil_credit', 'read_tag'],
  burst: ['lookup_account', 'read_meter', 'read_tag', 'read_interval_data', 'read_sample'],
  drift: ['read_interval_data', 'read_tag', 'read_trend', 'read_meter'],
  tools: [
    { tool: 'plc-engineering', op: 'write_setpoint', sens: 'CRITICAL', vol: 1 },
    { tool: 'customer-export', op: 'export_accounts', sens: 'HIGH', vol: 40 },
    { tool: 'payments-gateway', op: 'change_payout_account', sens: 'CRITICAL', vol: 1 },
    { tool: 'scada-admin', op: 'disable_alarm', sens: 'HIGH', vol: 2 },
  ],
  outsiders: [
    'g.halvorsen@riverton-water.example.com',
    'ops.contractor@fieldtech.example.net',
    'w.brandt@riverton-water.example.com',
  ],
};

/** Saturday 15 March (day 12) and Wednesday 2 April (day 30): main breaks. */
export const MAIN_BREAKS = [12, 30];
/** The boil-water notice after the first break. */
export const BOIL_NOTICE = [12, 13, 14, 15];
const breakBoost = (c: Day, at: number, after: number) =>
  MAIN_BREAKS.includes(c.day) ? at : MAIN_BREAKS.some((b) => c.day === b + 1) ? after : 1;
const boil = (c: Day) => BOIL_NOTICE.includes(c.day);

const zone = ZONES.chicago;
const FIRST = ['dana', 'marcus', 'leticia', 'owen', 'priya', 'janelle', 'tomas', 'ruth', 'kwame', 'bea'];
const LAST = ['whitfield', 'ortega', 'haines', 'mbeki', 'castillo', 'novak', 'reyes', 'lindqvist', 'adeyemi', 'cho'];
const person = (k: number, copy: number) =>
  `${FIRST[k % FIRST.length]}.${LAST[(k * 3 + copy) % LAST.length]}${copy ? copy + 1 : ''}@riverton-water.example.com`;

function bot(): Crew[] {
  const poll: Proc[] = [
    { w: 0.78, steps: ['read_tag', { op: 'read_alarms', p: 0.45 }] },
    { w: 0.1, steps: ['read_tag', 'read_trend', { op: 'read_trend', p: 0.4 }] },
    { w: 0.07, steps: ['read_tag', 'read_trend', 'change_dosing', 'read_tag'] },
    { w: (c) => 0.05 * breakBoost(c, 4, 2), steps: ['read_alarms', 'ack_alarm', { op: 'read_trend', p: 0.6 }] },
  ];
  const batch: Proc[] = [
    {
      w: 1,
      steps: [
        { op: 'read_interval_data', vol: [5200, 0.25] },
        { op: 'flag_leak', p: 0.2 },
      ],
    },
  ];
  return [
    { zone, people: null, every: { minutes: 10, from: 0, to: 24 }, gap: [3, 0.5], procs: poll },
    { zone, people: null, every: { minutes: 12, from: 1, to: 4 }, gap: [20, 0.4], procs: batch },
  ];
}

function assistant(copy: number): Crew[] {
  const procs: Proc[] = [
    { w: 3, steps: ['read_alarms', 'read_trend', { op: 'read_trend', p: 0.5 }, { op: 'view_main', p: 0.4 }] },
    {
      w: (c) => 2.5 * breakBoost(c, 3, 2),
      steps: [
        { op: 'view_main', p: 0.6 },
        'create_work_order',
        'dispatch_crew',
        { op: 'update_work_order', n: [1, 2] },
      ],
    },
    { w: 2, steps: [{ op: 'update_work_order', n: [1, 3] }, 'close_work_order'] },
    { w: (c) => (boil(c) ? 2 : 0.25), steps: ['read_trend', 'read_alarms', 'send_customer_notice'] },
    { w: 0.8, steps: ['read_sample', 'read_trend', { op: 'change_dosing', p: 0.3 }] },
  ];
  const rate = (c: Day) => weekly(c, [1, 1, 1, 1, 0.9, 0.25, 0.15]) * breakBoost(c, 3, 2.2);
  return [
    {
      zone,
      people: [{ email: person(0, copy) }],
      sessions: 22,
      hours: officeHours(6, 18, 0.02),
      rate,
      gap: [40, 0.8],
      procs,
    },
  ];
}

function team(copy: number): Crew[] {
  const procs: Proc[] = [
    { w: 5, steps: ['lookup_account', { op: 'read_meter', p: 0.7 }, { op: 'update_work_order', p: 0.1 }] },
    {
      w: 2,
      steps: ['lookup_account', 'read_meter', { op: 'read_interval_data', p: 0.5 }, 'adjust_bill'],
    },
    {
      w: 0.8,
      steps: [
        'lookup_account',
        {
          one: [
            [0.6, ['read_meter']],
            [0.4, ['read_interval_data']],
          ],
        },
        'adjust_bill',
        'issue_refund',
      ],
    },
    { w: 1, steps: ['lookup_account', 'read_interval_data', 'flag_leak', { op: 'create_work_order', p: 0.6 }] },
    { w: (c) => (boil(c) ? 6 : c.day > 15 && c.day < 22 ? 0.8 : 0), steps: ['lookup_account', 'apply_boil_credit'] },
    { w: (c) => (breakBoost(c, 1, 1) > 1 ? 3 : 0.2), steps: ['lookup_account', 'view_main', 'create_work_order'] },
  ];
  const people: Person[] = [0, 1, 2, 3, 4, 5].map((k) => ({ email: person(k + 2, copy) }));
  people.push({ email: person(8, copy), from: 17 }, { email: person(9, copy), from: 24 });
  const pattern = (c: Day) => weekly(c, [1.15, 1, 1, 1, 0.95, 0.3, 0]);
  return [
    {
      zone,
      people: people.map((p, k) => ({ ...p, w: k >= 6 ? 0.6 : 1 })),
      sessions: 85,
      hours: officeHours(7, 19, 0.0, 13),
      rate: (c) => pattern(c) * breakBoost(c, 2.6, 2) * (boil(c) && c.weekday < 5 ? 1.7 : 1),
      gap: [30, 0.7],
      procs,
    },
  ];
}

function quiet(copy: number): Crew[] {
  const procs: Proc[] = [
    { w: 3, steps: ['read_sample', 'record_sample', { op: 'read_trend', p: 0.5 }] },
    { w: 1.2, steps: ['read_sample', 'read_trend', 'change_dosing'] },
    { w: 0.3, steps: ['read_sample', 'compliance_report'] },
  ];
  return [
    {
      zone,
      people: [{ email: person(1, copy) }],
      sessions: 5,
      hours: officeHours(7, 16, 0.01),
      rate: (c) => weekly(c, [1, 1, 1, 1, 1, 0.1, 0]) * (boil(c) ? 2 : 1),
      gap: [90, 0.6],
      procs,
    },
  ];
}

export function waterSeat(i: number): Seat {
  const role = (['bot', 'assistant', 'team', 'quiet'] as const)[i % 4]!;
  const copy = Math.floor(i / 4);
  const net = (k: number) => `10.31.${k + copy * 40}.0/24`;
  const base = { agent: `water-${i + 1}`, archetype: 'water_utility', ops: WATER_OPS, role };
  if (role === 'bot')
    return {
      ...base,
      platform: 'self-hosted',
      crews: bot(),
      networks: [{ cidr: net(1) }],
      clients: [{ ua: 'scada-bridge/7.2.1', since: 0, over: 0 }],
    };
  if (role === 'assistant')
    return {
      ...base,
      platform: 'azure-openai',
      crews: assistant(copy),
      networks: [
        { cidr: net(2), w: 3 },
        { cidr: net(3), from: 12, w: 1 },
      ],
      clients: [
        { ua: 'ops-assist/2.3.0', since: 0, over: 0 },
        { ua: 'ops-assist/2.4.1', since: 26, over: 5 },
      ],
      adopt: [{ tool: 'gis-viewer', from: 13, over: 8 }],
    };
  if (role === 'team')
    return {
      ...base,
      platform: 'azure-openai',
      crews: team(copy),
      networks: [
        { cidr: net(4), w: 4 },
        { cidr: net(5), w: 1 },
      ],
      clients: [
        { ua: 'cs-copilot/4.2.0', since: 0, over: 0 },
        { ua: 'cs-copilot/4.3.1', since: 19, over: 6 },
      ],
      adopt: [{ tool: 'gis-viewer', from: 20, over: 10 }],
    };
  return {
    ...base,
    platform: 'vertex-ai',
    crews: quiet(copy),
    networks: [{ cidr: net(6) }],
    clients: [{ ua: 'lab-helper/1.0.4', since: 0, over: 0 }],
  };
}
