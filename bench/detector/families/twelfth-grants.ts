/**
 * The twelfth family's university grants office (Office of Sponsored Projects, Arizona: Mountain time without
 * daylight saving): a ledger and sponsor-portal bot acting for nobody (status checks, ledger syncs, indirect-cost
 * postings, a Thursday subaward payment run), an assistant serving a grants officer (award setups, modifications,
 * subawards, invoice approval and payment), a pre-award seat shared by the proposal specialists (interleaved budgets,
 * routing and submissions) and a quiet seat for the effort-reporting coordinator. Peaks: sponsor deadlines on
 * 12 March, 25 March and 8 April (with late evenings before them) and month-end (payments, cost transfers, effort
 * reminders at the turn of the month). Slow change: a research dashboard adopted over days, a client upgrade, the bot
 * moving to a new network, a specialist joining.
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

export const GRANTS_OPS: Record<string, OpDef> = {
  create_proposal: { tool: 'proposals', sens: 'MEDIUM' },
  read_proposal: { tool: 'proposals', sens: 'LOW' },
  route_for_approval: { tool: 'proposals', sens: 'MEDIUM' },
  submit_to_sponsor: { tool: 'proposals', sens: 'HIGH', amt: [480_000, 0.6] },
  read_budget: { tool: 'budgets', sens: 'LOW' },
  build_budget: { tool: 'budgets', sens: 'MEDIUM', vol: [24, 0.4], amt: [420_000, 0.6] },
  revise_budget: { tool: 'budgets', sens: 'MEDIUM', vol: [6, 0.5], amt: [35_000, 0.8] },
  read_award: { tool: 'awards', sens: 'LOW' },
  setup_award: { tool: 'awards', sens: 'HIGH', amt: [350_000, 0.7] },
  modify_award: { tool: 'awards', sens: 'MEDIUM', amt: [45_000, 0.8] },
  issue_subaward: { tool: 'subawards', sens: 'HIGH', amt: [120_000, 0.6] },
  read_invoice: { tool: 'subawards', sens: 'LOW' },
  approve_invoice: { tool: 'subawards', sens: 'MEDIUM' },
  pay_subaward: { tool: 'subawards', sens: 'HIGH', amt: [14_000, 0.7] },
  read_ledger: { tool: 'ledger', sens: 'LOW', vol: [60, 0.6] },
  post_cost_transfer: { tool: 'ledger', sens: 'MEDIUM', vol: [3, 0.5], amt: [2200, 0.8] },
  read_effort: { tool: 'effort', sens: 'LOW', vol: [10, 0.5] },
  certify_effort: { tool: 'effort', sens: 'MEDIUM' },
  send_effort_reminder: { tool: 'effort', sens: 'LOW', vol: [40, 0.4] },
  check_status: { tool: 'sponsor-portal', sens: 'LOW', vol: [5, 0.6] },
  read_dashboard: { tool: 'research-dashboard', sens: 'LOW', vol: [12, 0.5] },
};

/** What a compromised or misused agent would do here (twelfth-incidents.ts). */
export const GRANTS_INCIDENTS: Catalogue = {
  skips: [
    ['read_budget', 'pay_subaward'],
    ['read_award', 'pay_subaward'],
    ['read_proposal', 'setup_award'],
    ['read_budget', 'submit_to_sponsor'],
    ['create_proposal', 'submit_to_sponsor'],
    ['read_invoice', 'post_cost_transfer'],
    ['check_status', 'post_cost_transfer'],
    ['read_ledger', 'modify_award'],
    ['read_proposal', 'route_for_approval'],
    ['read_effort', 'post_cost_transfer'],
    ['check_status', 'route_for_approval'],
    ['read_ledger', 'issue_subaward'],
  ],
  bulk: ['pay_subaward', 'post_cost_transfer', 'setup_award', 'read_ledger', 'modify_award', 'issue_subaward'],
  burst: ['read_award', 'read_ledger', 'read_proposal', 'check_status', 'read_effort'],
  drift: ['read_ledger', 'check_status', 'build_budget', 'read_award'],
  tools: [
    { tool: 'bank-portal', op: 'initiate_wire', sens: 'CRITICAL', vol: 1, amt: 48000 },
    { tool: 'hr-payroll', op: 'change_direct_deposit', sens: 'CRITICAL', vol: 1 },
    { tool: 'sponsor-portal-admin', op: 'withdraw_proposal', sens: 'HIGH', vol: 1 },
    { tool: 'research-data', op: 'export_participant_data', sens: 'HIGH', vol: 30 },
  ],
  outsiders: [
    'b.castellanos@sonoran.example.edu',
    'grants.consultant@fundready.example.net',
    'e.whitehorse@sonoran.example.edu',
  ],
};

/** Sponsor deadlines (days 9, 22, 36) and the run-up to each. */
export const DEADLINES = [9, 22, 36];
const deadline = (c: Day) =>
  DEADLINES.includes(c.day) ? 2.4 : DEADLINES.some((d) => c.day >= d - 3 && c.day < d) ? 1.7 : 1;
/** Month-end: the last business days of March (days 25–28) and the turn of the month (days 28–30). */
export const MONTH_END = [25, 26, 27, 28];
const monthEnd = (c: Day) => MONTH_END.includes(c.day);
const turn = (c: Day) => c.day >= 28 && c.day <= 30;
const zone = ZONES.phoenix;

const FIRST = ['lena', 'diego', 'harriet', 'samir', 'joy', 'wen', 'carmen', 'felix', 'ines', 'abel'];
const LAST = ['nakamura', 'villa', 'brooks', 'haddad', 'begay', 'zhou', 'torres', 'amsel', 'ruiz', 'yazzie'];
const person = (k: number, copy: number) =>
  `${FIRST[k % FIRST.length]}.${LAST[(k * 3 + copy) % LAST.length]}${copy ? copy + 1 : ''}@sonoran.example.edu`;

function bot(): Crew[] {
  const business = (c: Day) => c.weekday < 5;
  const sync: Proc[] = [
    { w: 0.6, steps: ['check_status'] },
    { w: 0.3, steps: ['read_ledger', { op: 'read_ledger', p: 0.3 }] },
    { w: (c) => (monthEnd(c) ? 0.4 : 0.12), steps: ['read_ledger', 'post_cost_transfer'] },
  ];
  const payRun: Proc[] = [{ w: 1, steps: ['read_invoice', 'pay_subaward'] }];
  return [
    { zone, people: null, every: { minutes: 15, from: 5, to: 21 }, gap: [6, 0.5], procs: sync },
    {
      zone,
      people: null,
      every: { minutes: 60, from: 1, to: 3 },
      gap: [30, 0.4],
      procs: [{ w: 1, steps: [{ op: 'read_ledger', vol: [2400, 0.2] }] }],
    },
    {
      zone,
      people: null,
      every: { minutes: 6, from: 10, to: 11, on: (c) => c.weekday === 3 || (monthEnd(c) && business(c)) },
      gap: [20, 0.4],
      procs: payRun,
    },
  ];
}

function assistant(copy: number): Crew[] {
  const procs: Proc[] = [
    { w: 1.5, steps: ['read_award', 'read_budget', 'setup_award'] },
    { w: 2, steps: ['read_award', { op: 'read_budget', p: 0.4 }, 'modify_award'] },
    { w: 1, steps: ['read_award', 'read_budget', 'issue_subaward'] },
    { w: (c) => (monthEnd(c) ? 5 : 2), steps: ['read_invoice', 'approve_invoice', 'pay_subaward'] },
    { w: (c) => (monthEnd(c) ? 4 : 1.5), steps: ['read_ledger', { op: 'post_cost_transfer', p: 0.5 }] },
    { w: 2, steps: ['read_proposal', 'read_budget', { op: 'revise_budget', p: 0.3 }] },
    {
      w: 1.5,
      steps: [
        { op: 'read_award', n: [1, 2] },
        { op: 'read_dashboard', p: 0.6 },
      ],
    },
  ];
  return [
    {
      zone,
      people: [{ email: person(0, copy) }],
      sessions: 20,
      hours: officeHours(7, 17, 0.02),
      rate: (c) => weekly(c, [1, 1, 1, 1, 0.85, 0.05, 0.05]) * (monthEnd(c) ? 1.6 : 1),
      gap: [50, 0.7],
      procs,
    },
  ];
}

function team(copy: number): Crew[] {
  const procs: Proc[] = [
    { w: 3, steps: ['read_proposal', 'build_budget', { op: 'revise_budget', n: [0, 2] }] },
    { w: 1.2, steps: ['create_proposal', 'read_budget', 'build_budget'] },
    { w: 2, steps: ['read_proposal', { op: 'read_budget', p: 0.6 }, 'route_for_approval'] },
    {
      w: (c) => 1.2 * deadline(c) ** 2,
      steps: ['read_proposal', 'read_budget', 'route_for_approval', 'submit_to_sponsor'],
    },
    { w: 2, steps: ['check_status', { op: 'read_proposal', p: 0.5 }] },
    { w: 1.2, steps: ['read_dashboard', { op: 'read_proposal', p: 0.6 }] },
  ];
  const people: Person[] = [1, 2, 3, 4, 5].map((k) => ({ email: person(k, copy) }));
  people.push({ email: person(6, copy), from: 21 });
  const late = (c: Day) => deadline(c) > 1;
  return [
    {
      zone,
      people,
      sessions: 70,
      hours: officeHours(7, 18, 0.02),
      rate: (c) => weekly(c, [1, 1, 1, 1, 0.85, 0.1, 0.05]) * deadline(c),
      gap: [40, 0.7],
      procs,
    },
    {
      // The late evenings before a deadline.
      zone,
      people,
      sessions: 12,
      hours: Array.from({ length: 24 }, (_, h) => (h >= 18 && h < 23 ? 1 : 0)),
      rate: (c) => (late(c) ? 1 : 0),
      gap: [40, 0.7],
      procs,
    },
  ];
}

function quiet(copy: number): Crew[] {
  const procs: Proc[] = [
    { w: 3, steps: ['read_effort', 'certify_effort'] },
    { w: (c) => (turn(c) ? 3 : 0.6), steps: ['read_effort', 'send_effort_reminder'] },
    { w: 0.7, steps: [{ op: 'read_effort', n: [1, 2] }] },
  ];
  return [
    {
      zone,
      people: [{ email: person(7, copy) }],
      sessions: 4,
      hours: officeHours(8, 16, 0.01),
      rate: (c) => weekly(c, [1, 1, 1, 1, 1, 0, 0]) * (turn(c) ? 1.8 : 1),
      gap: [75, 0.6],
      procs,
    },
  ];
}

export function grantsSeat(i: number): Seat {
  const role = (['bot', 'assistant', 'team', 'quiet'] as const)[i % 4]!;
  const copy = Math.floor(i / 4);
  const net = (k: number) => `10.77.${k + copy * 20}.0/24`;
  const base = { agent: `grants-${i + 1}`, archetype: 'research_grants', ops: GRANTS_OPS, role };
  if (role === 'bot')
    return {
      ...base,
      platform: 'bedrock',
      crews: bot(),
      networks: [
        { cidr: net(1), to: 26 },
        { cidr: `10.78.${1 + copy}.0/24`, from: 26 },
      ],
      clients: [{ ua: 'osp-sync/1.9.7', since: 0, over: 0 }],
    };
  if (role === 'assistant')
    return {
      ...base,
      platform: 'bedrock',
      crews: assistant(copy),
      networks: [
        { cidr: net(2), w: 4 },
        { cidr: net(3), w: 1 },
      ],
      clients: [
        { ua: 'grants-assist/0.9.4', since: 0, over: 0 },
        { ua: 'grants-assist/1.0.0', since: 24, over: 6 },
      ],
      adopt: [{ tool: 'research-dashboard', from: 15, over: 10 }],
    };
  if (role === 'team')
    return {
      ...base,
      platform: 'bedrock',
      crews: team(copy),
      networks: [{ cidr: net(4) }],
      clients: [{ ua: 'preaward-desk/2.2.0', since: 0, over: 0 }],
      adopt: [{ tool: 'research-dashboard', from: 17, over: 12 }],
    };
  return {
    ...base,
    platform: 'bedrock',
    crews: quiet(copy),
    networks: [{ cidr: net(5) }],
    clients: [{ ua: 'effort-helper/1.1.0', since: 0, over: 0 }],
  };
}
