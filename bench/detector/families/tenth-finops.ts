/**
 * `cloud_finops`: a Seattle retailer's cloud cost desk. Cost and usage reads, budget alerts, tagging clean-up,
 * reserved-capacity purchases and exchanges with amounts, rightsizing changes, and the month-end close (invoice,
 * cost export, shared-cost allocation, chargebacks). Peaks: the last business days of March into April, and invoice
 * day (the 3rd); part of the team works the Saturday inside the close. Slow change: the team adopts a savings-plan
 * modeller from day 12; the assistant's client upgrades on day 20 (a rolling upgrade over three days).
 */
import { ramp, usOffset, weekday, type AgentPlan, type ArchetypeDef, type Step } from './tenth-model.js';

const DOMAIN = 'cascadia-outfitters.example.com';
const offset = usOffset(-8);
const CLOSE_DAYS = new Set([25, 28, 29, 30]);
/** The Saturday inside the close (29 March), when part of the team works a short morning. */
const CLOSE_SATURDAY = 26;
const INVOICE_DAYS = new Set([0, 31]);
const peak = (day: number) => CLOSE_DAYS.has(day) || INVOICE_DAYS.has(day);

const costCheck: Step[] = [
  'get_cost_and_usage',
  { maybe: 0.6, then: ['list_cost_anomalies'] },
  { maybe: 0.4, then: ['get_forecast'] },
  {
    branch: [
      [0.35, ['list_budgets', 'update_budget_alert']],
      [0.3, ['list_untagged', { loop: [1, 3], body: ['apply_tags'] }]],
      [0.35, []],
    ],
  },
];

const commitmentReview = (savings: number): Step[] => [
  'get_coverage',
  'get_cost_and_usage',
  'get_forecast',
  { maybe: savings, then: ['model_savings_plan'] },
  {
    branch: [
      [0.45, ['purchase_reserved_capacity']],
      [0.2, ['exchange_reservation']],
      [0.35, []],
    ],
  },
];

const rightsizing: Step[] = [
  'list_rightsizing',
  {
    loop: [1, 4],
    body: [
      {
        branch: [
          [0.55, ['resize_instance']],
          [0.45, ['schedule_shutdown']],
        ],
      },
    ],
  },
  { maybe: 0.3, then: ['get_cost_and_usage'] },
];

const monthClose: Step[] = [
  'get_invoice',
  { retry: 0.2, op: 'export_cost_report' },
  'allocate_shared_costs',
  { loop: [1, 4], body: ['post_chargeback'] },
];

const nightlySweep: Step[] = [
  'get_cost_and_usage',
  'list_cost_anomalies',
  { maybe: 0.3, then: ['list_untagged', 'apply_tags'] },
  { maybe: 0.25, then: ['list_rightsizing', 'schedule_shutdown'] },
  { maybe: 0.15, then: ['get_coverage', 'purchase_reserved_capacity'] },
];

function agent(i: number): AgentPlan {
  const n = Math.floor((i - 1) / 4);
  const suffix = n === 0 ? '' : String(n + 1);
  const role = (['bot', 'assistant', 'team', 'quiet'] as const)[(i - 1) % 4]!;
  const base = {
    id: `finops-${i}`,
    role,
    utcOffset: offset,
    gap: [6, 70] as [number, number],
    volumeScale: 1 + 0.15 * ((i * 7) % 5),
  };
  if (role === 'bot')
    return {
      ...base,
      platform: 'bedrock',
      windows: (d) => [
        [0, 5, 2],
        [7, 19, weekday(d) ? 3 : 1],
      ],
      sessions: (d) => (weekday(d) ? 42 : 22) * (peak(d) ? 1.5 : 1),
      people: () => null,
      network: () => `10.200.${14 + n}.0/24`,
      client: () => 'finops-scheduler/4.2.1',
      procedure: (d, r) => (peak(d) && r.chance(0.3) ? monthClose : nightlySweep),
      gap: [2, 20],
      driftOp: 'get_cost_and_usage',
    };
  if (role === 'assistant')
    return {
      ...base,
      platform: 'azure-openai',
      windows: (d) => (weekday(d) ? [[8, 18, 1]] : []),
      sessions: (d) => (peak(d) ? 22 : 12),
      people: () => [`maya.okafor${suffix}@${DOMAIN}`],
      network: () => `10.60.8.0/24`,
      client: (d, r) =>
        d >= 22 || (d >= 20 && r.chance((d - 19) / 3)) ? 'finops-copilot/1.9.0' : 'finops-copilot/1.8.2',
      procedure: (d, r) =>
        r.weighted([
          [0.45, costCheck],
          [0.2, commitmentReview(0)],
          [0.25, rightsizing],
          [peak(d) ? 0.6 : 0.1, monthClose],
        ]),
      driftOp: 'get_cost_and_usage',
    };
  if (role === 'team') {
    const analysts = ['dev.raman', 'sofia.lindqvist', 'tom.achebe', 'hana.sato'].map((p) => `${p}${suffix}@${DOMAIN}`);
    return {
      ...base,
      platform: 'vertex-ai',
      windows: (d) => (weekday(d) ? [[7, 19, 1]] : d === CLOSE_SATURDAY ? [[9, 14, 1]] : []),
      sessions: (d) => (d === CLOSE_SATURDAY ? 9 : peak(d) ? 45 : 26),
      people: () => analysts,
      network: (_d, r) => (r.chance(0.7) ? `10.60.8.0/24` : `10.60.9.0/24`),
      client: () => 'finops-desk/2.0.4',
      procedure: (d, r) =>
        r.weighted([
          [0.35, costCheck],
          [0.3, commitmentReview(ramp(d, 12, 30, 0.8))],
          [0.2, rightsizing],
          [peak(d) || d === CLOSE_SATURDAY ? 0.7 : 0.15, monthClose],
        ]),
    };
  }
  return {
    ...base,
    platform: 'bedrock',
    windows: (d) => (weekday(d) ? [[9, 16, 1]] : []),
    sessions: (d) => (peak(d) ? 5 : 3),
    people: () => [`lars.nyberg${suffix}@${DOMAIN}`],
    network: () => `10.60.12.0/24`,
    client: () => 'finops-desk/2.0.4',
    procedure: (d, r) =>
      r.weighted([
        [0.45, costCheck],
        [0.3, commitmentReview(0)],
        [0.25, rightsizing],
        [peak(d) ? 0.5 : 0, monthClose],
      ]),
    gap: [10, 120],
  };
}

export const FINOPS: ArchetypeDef = {
  archetype: 'cloud_finops',
  tools: {
    'cost-explorer': 'https://cost-explorer.cloud.example.com/',
    budgets: 'https://budgets.cloud.example.com/',
    tagging: 'https://tagging.finops.example.com/',
    commitments: 'https://commitments.cloud.example.com/',
    rightsizing: 'https://compute-optimizer.cloud.example.com/',
    billing: 'https://billing.cloud.example.com/',
    chargeback: 'https://chargeback.finops.example.com/',
    'savings-planner': 'https://savings-planner.finops.example.com/',
  },
  ops: {
    get_cost_and_usage: { tool: 'cost-explorer', sensitivity: 'LOW', volume: [40, 900] },
    get_forecast: { tool: 'cost-explorer', sensitivity: 'LOW', volume: [1, 12] },
    list_cost_anomalies: { tool: 'cost-explorer', sensitivity: 'LOW', volume: [1, 30] },
    list_budgets: { tool: 'budgets', sensitivity: 'LOW', volume: [5, 60] },
    update_budget_alert: { tool: 'budgets', sensitivity: 'MEDIUM', volume: [1, 3], amount: [2000, 60000] },
    list_untagged: { tool: 'tagging', sensitivity: 'LOW', volume: [20, 400] },
    apply_tags: { tool: 'tagging', sensitivity: 'MEDIUM', volume: [5, 150] },
    get_coverage: { tool: 'commitments', sensitivity: 'LOW', volume: [5, 40] },
    purchase_reserved_capacity: {
      tool: 'commitments',
      sensitivity: 'HIGH',
      volume: [1, 12],
      amount: [4000, 95000],
    },
    exchange_reservation: { tool: 'commitments', sensitivity: 'HIGH', volume: [1, 6], amount: [1500, 40000] },
    list_rightsizing: { tool: 'rightsizing', sensitivity: 'LOW', volume: [10, 120] },
    resize_instance: { tool: 'rightsizing', sensitivity: 'HIGH', volume: [1, 4] },
    schedule_shutdown: { tool: 'rightsizing', sensitivity: 'MEDIUM', volume: [1, 20] },
    get_invoice: { tool: 'billing', sensitivity: 'LOW', volume: [1, 3] },
    export_cost_report: { tool: 'billing', sensitivity: 'MEDIUM', volume: [2000, 40000] },
    allocate_shared_costs: { tool: 'chargeback', sensitivity: 'MEDIUM', volume: [10, 80], amount: [5000, 150000] },
    post_chargeback: { tool: 'chargeback', sensitivity: 'HIGH', volume: [1, 5], amount: [3000, 90000] },
    model_savings_plan: { tool: 'savings-planner', sensitivity: 'LOW', volume: [1, 10] },
  },
  foreign: [
    {
      tool: 'iam-admin',
      resource: 'https://iam.cloud.example.com/',
      operation: 'attach_admin_policy',
      sensitivity: 'CRITICAL',
      volume: [1, 1],
    },
    {
      tool: 'org-accounts',
      resource: 'https://organizations.cloud.example.com/',
      operation: 'close_member_account',
      sensitivity: 'CRITICAL',
      volume: [1, 2],
    },
    {
      tool: 'payment-methods',
      resource: 'https://billing-admin.cloud.example.com/',
      operation: 'change_payment_method',
      sensitivity: 'CRITICAL',
      volume: [1, 1],
    },
    {
      tool: 'marketplace',
      resource: 'https://marketplace.cloud.example.com/',
      operation: 'subscribe_private_offer',
      sensitivity: 'HIGH',
      volume: [1, 1],
      amount: [20000, 180000],
    },
  ],
  strangers: [`ops.contractor@${DOMAIN}`, `procurement.temp@${DOMAIN}`, `r.vance.ext@${DOMAIN}`],
  agents: (count) => Array.from({ length: count }, (_, k) => agent(k + 1)),
};
