/**
 * `payroll_ops`: a Chicago food distributor's payroll. Timesheet reads and approvals, biweekly pay runs (Thursdays 6
 * and 20 March, 3 April) and the salaried month-end run (31 March) with amounts, journals and payslips, off-cycle
 * payments, withholding and bank-detail changes, tax deposits after each run. The day before a run is a timesheet
 * rush (the team works a Sunday morning before the month-end run). Slow change: two payroll specialists join the
 * team on day 24; the quiet seat moves to a new office network on day 17 (both networks seen for a week while the
 * move settles).
 */
import { usOffset, weekday, type AgentPlan, type ArchetypeDef, type Step } from './tenth-model.js';

const DOMAIN = 'harbor-foods.example.com';
const offset = usOffset(-6);
const RUN_DAYS = new Set([3, 17, 28, 31]);
const RUSH_DAYS = new Set([2, 16, 27, 30]);
const TAX_DAYS = new Set([4, 18, 29, 32]);

const timesheets: Step[] = [
  { retry: 0.05, op: 'get_timesheets' },
  {
    loop: [1, 6],
    body: [
      {
        branch: [
          [0.8, ['approve_timesheet']],
          [0.2, ['flag_timesheet']],
        ],
      },
    ],
  },
];

const payRun: Step[] = [
  'get_timesheets',
  { retry: 0.35, op: 'preview_pay_run' },
  'submit_pay_run',
  'post_payroll_journal',
  'generate_payslips',
  { maybe: 0.9, then: ['send_payslips'] },
];

const offCycle: Step[] = ['get_employee', { maybe: 0.3, then: ['update_withholding'] }, 'off_cycle_payment'];
const bankChange: Step[] = ['get_employee', 'update_bank_details', { maybe: 0.4, then: ['get_employee'] }];
const withholding: Step[] = ['get_employee', 'update_withholding'];
const tax: Step[] = [{ retry: 0.3, op: 'calc_tax_liability' }, 'file_tax_deposit'];

function mix(d: number, normal: [number, Step[]][]): [number, Step[]][] {
  if (RUN_DAYS.has(d)) return [[1.2, payRun], ...normal];
  if (RUSH_DAYS.has(d)) return [[2.5, timesheets], ...normal];
  if (TAX_DAYS.has(d)) return [[0.6, tax], ...normal];
  return normal;
}

function agent(i: number): AgentPlan {
  const n = Math.floor((i - 1) / 4);
  const suffix = n === 0 ? '' : String(n + 1);
  const role = (['bot', 'assistant', 'team', 'quiet'] as const)[(i - 1) % 4]!;
  const busy = (d: number) => (RUN_DAYS.has(d) || RUSH_DAYS.has(d) ? 1.6 : 1);
  const base = {
    id: `payroll-${i}`,
    role,
    utcOffset: offset,
    gap: [10, 80] as [number, number],
    volumeScale: 1 + 0.2 * ((i * 5) % 3),
  };
  if (role === 'bot')
    return {
      ...base,
      platform: 'bedrock',
      windows: (d) => (weekday(d) ? [[4, 20, 1]] : d % 7 === 5 ? [[6, 12, 1]] : []),
      sessions: (d) => (weekday(d) ? 40 : 8) * busy(d),
      people: () => null,
      network: () => `10.120.${40 + n}.0/24`,
      client: () => 'payroll-sync/6.0.2',
      procedure: (d, r) =>
        r.weighted(
          mix(d, [
            [0.72, timesheets],
            [0.14, offCycle],
            [0.14, withholding],
          ]).map(([w, s]) => [RUN_DAYS.has(d) && s === payRun ? 0.08 : w, s] as [number, Step[]]),
        ),
      gap: [2, 15],
      driftOp: 'get_timesheets',
    };
  if (role === 'assistant')
    return {
      ...base,
      platform: 'openai-assistants',
      windows: (d) => (weekday(d) ? [[7, 18, 1]] : []),
      sessions: (d) => 14 * busy(d),
      people: () => [`renee.castillo${suffix}@${DOMAIN}`],
      network: () => '10.31.5.0/24',
      client: () => 'payroll-assistant/3.3.1',
      procedure: (d, r) =>
        r.weighted(
          mix(d, [
            [0.35, timesheets],
            [0.2, offCycle],
            [0.15, bankChange],
            [0.15, withholding],
            [0.15, tax],
          ]),
        ),
      driftOp: 'get_timesheets',
    };
  if (role === 'team') {
    const specialists = ['omar.siddiqui', 'beth.kowalski', 'luis.ferreira'].map((p) => `${p}${suffix}@${DOMAIN}`);
    const joiners = ['ada.mensah', 'kyle.brennan'].map((p) => `${p}${suffix}@${DOMAIN}`);
    return {
      ...base,
      platform: 'azure-openai',
      windows: (d) => (weekday(d) ? [[6.5, 18.5, 1]] : RUN_DAYS.has(d + 1) ? [[9, 13, 1]] : []),
      // The Sunday before the month-end run is a short half-shift, not a full day.
      sessions: (d) => (d >= 24 ? 34 : 26) * busy(d) * (weekday(d) ? 1 : 0.3),
      people: (d) => (d >= 24 ? [...specialists, ...joiners] : specialists),
      network: (_d, r) => (r.chance(0.8) ? '10.31.5.0/24' : '10.31.6.0/24'),
      client: () => 'payroll-workbench/8.12.0',
      procedure: (d, r) =>
        r.weighted(
          mix(d, [
            [0.4, timesheets],
            [0.2, offCycle],
            [0.15, bankChange],
            [0.15, withholding],
            [0.1, tax],
          ]),
        ),
    };
  }
  return {
    ...base,
    platform: 'self-hosted',
    windows: (d) => (weekday(d) ? [[8, 16, 1]] : []),
    sessions: (d) => (TAX_DAYS.has(d) ? 5 : 3),
    people: () => [`walt.jankowski${suffix}@${DOMAIN}`],
    network: (d, r) => (d < 17 || (d < 24 && r.chance(0.3)) ? '10.31.9.0/24' : '10.33.2.0/24'),
    client: () => 'payroll-workbench/8.12.0',
    procedure: (d, r) =>
      r.weighted(
        mix(d, [
          [0.4, bankChange],
          [0.3, tax],
          [0.3, withholding],
        ]).filter(([, s]) => s !== payRun),
      ),
    gap: [15, 140],
  };
}

export const PAYROLL: ArchetypeDef = {
  archetype: 'payroll_ops',
  tools: {
    timekeeping: 'https://timekeeping.harbor-foods.example.com/',
    'payroll-engine': 'https://payroll-engine.example.com/',
    hris: 'https://hris.harbor-foods.example.com/',
    'tax-filing': 'https://tax-filing.payroll.example.com/',
    'gl-bridge': 'https://gl-bridge.harbor-foods.example.com/',
    payslips: 'https://payslips.payroll.example.com/',
  },
  ops: {
    get_timesheets: { tool: 'timekeeping', sensitivity: 'LOW', volume: [20, 600] },
    approve_timesheet: { tool: 'timekeeping', sensitivity: 'MEDIUM', volume: [1, 25] },
    flag_timesheet: { tool: 'timekeeping', sensitivity: 'LOW', volume: [1, 3] },
    preview_pay_run: { tool: 'payroll-engine', sensitivity: 'LOW', volume: [150, 1400] },
    submit_pay_run: {
      tool: 'payroll-engine',
      sensitivity: 'HIGH',
      volume: [150, 1400],
      amount: [180000, 950000],
    },
    off_cycle_payment: { tool: 'payroll-engine', sensitivity: 'HIGH', volume: [1, 1], amount: [250, 6500] },
    get_employee: { tool: 'hris', sensitivity: 'LOW', volume: [1, 3] },
    update_bank_details: { tool: 'hris', sensitivity: 'HIGH', volume: [1, 1] },
    update_withholding: { tool: 'hris', sensitivity: 'MEDIUM', volume: [1, 1] },
    calc_tax_liability: { tool: 'tax-filing', sensitivity: 'LOW', volume: [1, 40] },
    file_tax_deposit: { tool: 'tax-filing', sensitivity: 'HIGH', volume: [1, 3], amount: [20000, 260000] },
    post_payroll_journal: { tool: 'gl-bridge', sensitivity: 'MEDIUM', volume: [10, 80], amount: [180000, 950000] },
    generate_payslips: { tool: 'payslips', sensitivity: 'MEDIUM', volume: [150, 1400] },
    send_payslips: { tool: 'payslips', sensitivity: 'LOW', volume: [150, 1400] },
  },
  foreign: [
    {
      tool: 'treasury-wires',
      resource: 'https://wires.treasury.example.com/',
      operation: 'release_wire',
      sensitivity: 'CRITICAL',
      volume: [1, 1],
      amount: [40000, 400000],
    },
    {
      tool: 'hris-admin',
      resource: 'https://admin.hris.harbor-foods.example.com/',
      operation: 'grant_payroll_admin',
      sensitivity: 'CRITICAL',
      volume: [1, 1],
    },
    {
      tool: 'vendor-master',
      resource: 'https://vendors.erp.example.com/',
      operation: 'change_vendor_bank_account',
      sensitivity: 'CRITICAL',
      volume: [1, 1],
    },
    {
      tool: 'benefits-carrier',
      resource: 'https://benefits-carrier.example.com/',
      operation: 'terminate_coverage',
      sensitivity: 'HIGH',
      volume: [1, 12],
    },
  ],
  strangers: [`payroll.audit.ext@${DOMAIN}`, `m.doyle.temp@${DOMAIN}`, `it.helpdesk2@${DOMAIN}`],
  agents: (count) => Array.from({ length: count }, (_, k) => agent(k + 1)),
};
