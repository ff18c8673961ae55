/* eslint-disable max-lines -- one business: its four seats, their operations and procedures, declared as data. */
/**
 * Lakeshore Residential, a Chicago property manager (about 4,200 apartments for 60-odd owners; America/Chicago,
 * clocks forward on 9 March). Rent is due on the 1st and late after the 5th (fees on the 6th), owners are paid
 * around the 10th, spring is leasing and renewal season, and a storm on Thursday 20 March floods basements.
 * Seats: the rent-and-ledger bot (nobody's), the portfolio manager's assistant, the maintenance coordination desk
 * (a team, two coordinators joining), and the owner-accounting controller's quiet seat.
 */
import { hourly, money, ramp, type Day, type Op, type Seat } from './fifteenth-model.js';
import type { Pcg32 } from './fifteenth-rng.js';

const ARCHETYPE = 'property_management';
const TZ = 'America/Chicago';
const DOMAIN = 'lakeshore-residential.example';
const RESOURCES: Record<string, string> = {
  yardi: 'https://lakeshore.yardione.example/voyager/',
  docusign: 'https://na4.docusign.example/restapi/',
  'bank-ach': 'https://treasury.harbor-bank.example/ach/',
  'bank-sftp': 'https://sftp.harbor-bank.example/lockbox/',
};
const resource = (tool: string) => RESOURCES[tool] ?? `https://${tool}.${DOMAIN}/`;

/** Acquired building (day 24): more tenants, more payments. */
const portfolio = (d: Day) => (d.index >= 24 ? 1.18 : 1);
const rentDays = (d: Day) => d.dom >= 1 && d.dom <= 5;
/** Thursday 20 March storm and the day after. */
const storm = (d: Day) => (d.index === 17 ? 2.4 : d.index === 18 ? 1.7 : 1);
const ledgerLines = (r: Pcg32) => r.pareto(4, 1.6, 400);

function bot(agent: string): Seat {
  const ops: Record<string, Op> = {
    fetch_bank_file: {
      tool: 'bank-sftp',
      sensitivity: 'MEDIUM',
      volume: (r, d) => (rentDays(d) ? r.logNormal(420, 0.5) : r.logNormal(24, 0.7)) * portfolio(d),
    },
    match_payment: { tool: 'yardi', sensitivity: 'LOW', volume: () => 1 },
    post_rent_payment: {
      tool: 'yardi',
      sensitivity: 'MEDIUM',
      volume: () => 1,
      amount: (r) => r.logNormal(1850, 0.33),
    },
    reconcile_bank_deposit: {
      tool: 'yardi',
      sensitivity: 'MEDIUM',
      volume: (r, d) => r.logNormal(rentDays(d) ? 140 : 12, 0.6),
      amount: (r, d) => r.logNormal(rentDays(d) ? 260_000 : 22_000, 0.6),
    },
    read_tenant_ledger: { tool: 'yardi', sensitivity: 'LOW', volume: ledgerLines },
    send_payment_reminder: { tool: 'tenant-portal', sensitivity: 'LOW', volume: () => 1 },
    post_late_fee: {
      tool: 'yardi',
      sensitivity: 'MEDIUM',
      volume: () => 1,
      amount: (r) => 10 + 0.05 * (r.logNormal(1850, 0.33) - 500),
    },
    generate_owner_statement: { tool: 'yardi', sensitivity: 'MEDIUM', volume: (r) => r.pareto(18, 1.3, 900) },
    disburse_owner_funds: {
      tool: 'bank-ach',
      sensitivity: 'CRITICAL',
      volume: () => 1,
      amount: (r) => r.logNormal(38_000, 0.8),
    },
    sync_unit_availability: {
      tool: 'listing-syndication',
      sensitivity: 'LOW',
      volume: (r, d) => r.logNormal(160, 0.25) * portfolio(d),
    },
  };
  const payments = (r: Pcg32, d: Day) =>
    Math.round((rentDays(d) ? r.logNormal(d.dom === 1 ? 90 : 150, 0.4) : r.logNormal(6, 0.7)) * portfolio(d));
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'bedrock',
    tz: TZ,
    kind: 'bot',
    ops,
    procedures: [
      {
        name: 'nightly_posting',
        weight: () => 0,
        steps: [
          'fetch_bank_file',
          { steps: ['match_payment', 'post_rent_payment'], times: payments },
          'reconcile_bank_deposit',
        ],
      },
      {
        name: 'intake_poll',
        weight: () => 0,
        steps: [
          'fetch_bank_file',
          { steps: ['match_payment', 'post_rent_payment'], times: (r, d) => Math.round(payments(r, d) / 6) },
          'reconcile_bank_deposit?0.3',
        ],
      },
      { name: 'ledger_question', weight: () => 6, steps: ['read_tenant_ledger', 'send_payment_reminder?0.12'] },
      { name: 'availability', weight: () => 0, steps: ['sync_unit_availability'] },
      {
        name: 'reminders',
        weight: () => 0,
        steps: [{ steps: ['read_tenant_ledger', 'send_payment_reminder'], times: (r) => r.int(25, 70) }],
      },
      {
        name: 'late_fees',
        weight: () => 0,
        steps: [{ steps: ['read_tenant_ledger', 'post_late_fee'], times: (r) => r.int(40, 90) }],
      },
      { name: 'owner_statements', weight: () => 0, steps: ['generate_owner_statement*55-64'] },
      {
        name: 'owner_payouts',
        weight: () => 0,
        steps: [{ steps: ['generate_owner_statement', 'disburse_owner_funds'], times: (r) => r.int(26, 32) }],
      },
    ],
    // Tenants asking the portal about their balance (the bot answers for the firm, not for them).
    rate: (d, h) => (h >= 7 && h < 22 ? 5 : 0.8) * (d.dow >= 5 ? 0.7 : 1) * (rentDays(d) || d.dom >= 28 ? 1.6 : 1),
    batches: (d, r) => {
      const b = [{ at: 1.5 + r.uniform(0, 0.1), procedure: 'nightly_posting' }];
      for (let h = 6; h < 23; h += 0.5) b.push({ at: h + r.uniform(0, 0.02), procedure: 'availability' });
      if (d.dow < 5)
        for (let h = 7; h < 19; h++) b.push({ at: h + 0.1 + r.uniform(0, 0.05), procedure: 'intake_poll' });
      if (d.dom === 28 || d.dom === 3 || d.dom === 5) b.push({ at: 10 + r.uniform(0, 0.05), procedure: 'reminders' });
      if (d.dom === 6) b.push({ at: 0.25, procedure: 'late_fees' });
      if (d.dom === 9) b.push({ at: 4 + r.uniform(0, 0.2), procedure: 'owner_statements' });
      if (d.dom === 10 || d.dom === 11) b.push({ at: 9 + r.uniform(0, 0.3), procedure: 'owner_payouts' });
      return b;
    },
    context: (d) => ({
      sourceNetwork: '10.20.4.0/24',
      userAgent: d.index < 20 ? 'lakeshore-rentbot/4.2.0' : 'lakeshore-rentbot/4.3.0',
    }),
    gap: (r) => r.logNormal(0.9, 0.6),
    resource,
    plan: {
      newTool: {
        tool: 'wire-gateway',
        op: 'create_wire_payee',
        sensitivity: 'CRITICAL',
        calls: 2,
        volume: 1,
        amount: 0,
      },
      bulk: ['post_rent_payment', 'reconcile_bank_deposit'],
      burst: 'send_payment_reminder',
      drift: 'read_tenant_ledger',
      oddContext: { variant: 'network', value: '185.220.101.0/24' },
      oddSequences: 2,
    },
  };
}

function assistant(agent: string, person: string): Seat {
  const ops: Record<string, Op> = {
    search_units: { tool: 'yardi', sensitivity: 'LOW', volume: (r) => r.logNormal(18, 0.7) },
    read_lease: { tool: 'lease-vault', sensitivity: 'LOW', volume: () => 1 },
    read_tenant_ledger: { tool: 'yardi', sensitivity: 'LOW', volume: ledgerLines },
    read_work_order: { tool: 'work-orders', sensitivity: 'LOW', volume: () => 1 },
    draft_tenant_notice: { tool: 'docgen', sensitivity: 'LOW', volume: () => 1 },
    send_tenant_message: {
      tool: 'tenant-portal',
      sensitivity: 'MEDIUM',
      volume: (r) => (r.chance(0.1) ? r.pareto(20, 1.2, 600) : 1),
    },
    schedule_showing: { tool: 'showings', sensitivity: 'LOW', volume: () => 1 },
    review_application: { tool: 'tenant-screening', sensitivity: 'MEDIUM', volume: (r) => r.int(1, 3) },
    approve_application: { tool: 'tenant-screening', sensitivity: 'HIGH', volume: () => 1 },
    send_lease_for_signature: { tool: 'docusign', sensitivity: 'MEDIUM', volume: () => 1 },
    renew_lease: { tool: 'yardi', sensitivity: 'HIGH', volume: () => 1, amount: (r) => r.logNormal(1900, 0.3) },
    approve_work_order: {
      tool: 'work-orders',
      sensitivity: 'MEDIUM',
      volume: () => 1,
      amount: (r) => r.logNormal(420, 1),
    },
    issue_deposit_refund: {
      tool: 'bank-ach',
      sensitivity: 'HIGH',
      volume: () => 1,
      amount: (r) => r.logNormal(1500, 0.45),
    },
    approve_rent_concession: {
      tool: 'yardi',
      sensitivity: 'HIGH',
      volume: () => 1,
      amount: (r) => money(r.uniform(150, 1400)),
    },
  };
  const spring = (d: Day) => 1 + 1.2 * ramp(d, 10, 40);
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'copilot-studio',
    tz: TZ,
    kind: 'assistant',
    ops,
    procedures: [
      {
        name: 'renewal',
        weight: (d) => 2 * spring(d),
        steps: [
          'read_lease',
          'read_tenant_ledger',
          'search_units?0.5',
          'draft_tenant_notice',
          'renew_lease?0.7',
          'send_lease_for_signature?0.9',
        ],
      },
      {
        name: 'leasing',
        weight: (d) => 2.5 * spring(d),
        steps: [
          'search_units',
          'schedule_showing*1-3',
          {
            steps: ['review_application', 'approve_application?0.55', 'send_lease_for_signature?0.7'],
            times: (r) => (r.chance(0.4) ? 1 : 0),
          },
        ],
      },
      {
        name: 'tenant_issue',
        weight: (d) => (d.dom <= 6 ? 4 : 2.5),
        steps: ['read_tenant_ledger', 'read_lease?0.5', 'draft_tenant_notice?0.6', 'send_tenant_message'],
      },
      { name: 'maintenance', weight: () => 2, steps: ['read_work_order', 'approve_work_order', 'read_work_order?0.4'] },
      {
        name: 'move_out',
        weight: (d) => (d.dom <= 10 ? 1.2 : 0.5),
        steps: ['read_lease', 'read_tenant_ledger', 'issue_deposit_refund'],
      },
      {
        name: 'concession',
        weight: () => 0.6,
        steps: ['read_tenant_ledger', 'search_units?0.3', 'approve_rent_concession'],
      },
    ],
    rate: (d, h) => {
      if (d.dow === 6) return 0;
      if (d.dow === 5) return h >= 10 && h < 13 ? 0.8 : 0;
      const w = hourly([
        [8, 17, 3.2],
        [12, 13, 1.6],
        [17, 18, 1.2],
      ])[h]!;
      return w * (d.dow === 0 ? 1.3 : 1) * (d.index === 17 ? 1.3 : 1);
    },
    people: () => [person],
    context: (d, h, r) => ({
      sourceNetwork:
        d.index >= 12 && (d.dow === 4 || d.dow === 5 || h >= 16) && r.chance(0.7) ? '10.20.200.0/24' : '10.20.12.0/24',
      onBehalfOf: person,
      userAgent: d.index < 23 || (d.index < 26 && r.chance(0.5)) ? 'pm-copilot/3.1.4' : 'pm-copilot/3.2.0',
    }),
    gap: (r) => r.logNormal(35, 0.9),
    resource,
    plan: {
      newTool: {
        tool: 'screening-bulk-export',
        op: 'export_credit_reports',
        sensitivity: 'HIGH',
        calls: 3,
        volume: 40,
        amount: 0,
      },
      bulk: ['send_tenant_message', 'issue_deposit_refund'],
      burst: 'search_units',
      oddContext: { variant: 'person', value: 'kevin.marsh@lakeshore-residential.example' },
      oddSequences: 2,
    },
  };
}

const COORDINATORS = [
  'luis.ortega@lakeshore-residential.example',
  'tanya.brooks@lakeshore-residential.example',
  'dev.patel@lakeshore-residential.example',
  'maggie.oconnell@lakeshore-residential.example',
  'andre.wilson@lakeshore-residential.example',
];
const JOINING: [string, number][] = [
  ['nora.kim@lakeshore-residential.example', 22],
  ['sam.reyes@lakeshore-residential.example', 29],
];

function team(agent: string): Seat {
  const ops: Record<string, Op> = {
    search_units: { tool: 'yardi', sensitivity: 'LOW', volume: (r) => r.logNormal(3, 0.8) },
    create_work_order: { tool: 'work-orders', sensitivity: 'MEDIUM', volume: () => 1 },
    read_work_order: {
      tool: 'work-orders',
      sensitivity: 'LOW',
      volume: (r) => (r.chance(0.2) ? r.pareto(5, 1.4, 200) : 1),
    },
    assign_vendor: { tool: 'work-orders', sensitivity: 'MEDIUM', volume: () => 1 },
    issue_access_code: { tool: 'smart-lock-hub', sensitivity: 'MEDIUM', volume: () => 1 },
    message_tenant: { tool: 'tenant-portal', sensitivity: 'MEDIUM', volume: () => 1 },
    update_work_order: { tool: 'work-orders', sensitivity: 'LOW', volume: () => 1 },
    order_parts: {
      tool: 'parts-procurement',
      sensitivity: 'MEDIUM',
      volume: (r) => r.int(1, 12),
      amount: (r) => r.logNormal(140, 0.9),
    },
    approve_vendor_invoice: {
      tool: 'ap-invoices',
      sensitivity: 'HIGH',
      volume: () => 1,
      amount: (r) => r.logNormal(380, 1.1),
    },
    close_work_order: { tool: 'work-orders', sensitivity: 'LOW', volume: () => 1 },
  };
  // The smart-lock hub is rolled out building by building from day 16.
  const locks = (d: Day) => 0.75 * ramp(d, 16, 36);
  const onShift = (d: Day, h: number): string[] => {
    const all = [...COORDINATORS, ...JOINING.filter(([, from]) => d.index >= from).map(([p]) => p)];
    if (d.dow >= 5) return [all[(d.index >> 1) % all.length]!];
    const early = all.filter((_, i) => i % 2 === 0);
    const late = all.filter((_, i) => i % 2 === 1);
    return [...(h >= 7 && h < 15 ? early : []), ...(h >= 11 && h < 19 ? late : [])];
  };
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'langgraph-platform',
    tz: TZ,
    kind: 'team',
    ops,
    procedures: [
      {
        name: 'intake',
        weight: (d) => 3 * storm(d),
        steps: ['search_units', 'create_work_order', 'message_tenant?0.7'],
      },
      {
        name: 'dispatch',
        weight: (d) => 2.5 * storm(d) * (1 - locks(d)),
        steps: ['read_work_order', 'assign_vendor', 'message_tenant?0.3'],
      },
      {
        name: 'dispatch_with_lock',
        weight: (d) => 2.5 * storm(d) * locks(d),
        steps: ['read_work_order', 'assign_vendor', 'issue_access_code', 'message_tenant?0.3'],
      },
      { name: 'follow_up', weight: () => 3, steps: ['read_work_order*1-3', 'update_work_order', 'message_tenant?0.4'] },
      { name: 'parts', weight: () => 1.2, steps: ['read_work_order', 'order_parts'] },
      {
        name: 'close_out',
        weight: () => 2.2,
        steps: ['read_work_order', 'approve_vendor_invoice?0.8', 'close_work_order'],
      },
    ],
    rate: (d, h) => {
      if (d.dow >= 5) return h >= 8 && h < 16 ? 1.5 : 0;
      const w = hourly([
        [7, 19, 10],
        [7, 8, 6],
        [12, 13, 7],
        [18, 19, 5],
      ])[h]!;
      return w * storm(d) * (d.dow === 0 ? 1.2 : 1);
    },
    people: onShift,
    context: (d, _h, _r, person) => ({
      sourceNetwork: '10.20.30.0/24',
      onBehalfOf: person!,
      userAgent: 'maint-desk/5.12.3',
    }),
    gap: (r) => r.logNormal(40, 0.8),
    resource,
    plan: {
      newTool: {
        tool: 'payroll-portal',
        op: 'update_direct_deposit',
        sensitivity: 'CRITICAL',
        calls: 1,
        volume: 1,
        amount: 0,
      },
      bulk: ['order_parts', 'approve_vendor_invoice'],
      burst: 'read_work_order',
      drift: 'search_units',
      oddContext: { variant: 'client', value: 'python-requests/2.31.0' },
      oddSequences: 3,
    },
  };
}

function quiet(agent: string, controller: string, cfo: string): Seat {
  const ops: Record<string, Op> = {
    read_owner_statement: { tool: 'yardi', sensitivity: 'LOW', volume: (r) => r.int(1, 6) },
    review_budget_variance: { tool: 'budgeting', sensitivity: 'LOW', volume: (r) => r.logNormal(40, 0.6) },
    read_bank_balance: { tool: 'bank-ach', sensitivity: 'LOW', volume: (r) => r.int(1, 8) },
    export_gl: { tool: 'yardi', sensitivity: 'MEDIUM', volume: (r) => r.logNormal(2400, 0.8) },
    approve_capex: { tool: 'yardi', sensitivity: 'HIGH', volume: () => 1, amount: (r) => r.logNormal(18_000, 0.9) },
    approve_owner_distribution: {
      tool: 'bank-ach',
      sensitivity: 'CRITICAL',
      volume: () => 1,
      amount: (r) => r.logNormal(45_000, 0.7),
    },
  };
  const close = (d: Day) => d.dom >= 27 || d.dom <= 3;
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'copilot-studio',
    tz: TZ,
    kind: 'quiet',
    ops,
    procedures: [
      { name: 'review', weight: () => 3, steps: ['read_owner_statement', 'review_budget_variance?0.6'] },
      { name: 'capex', weight: () => 1.6, steps: ['review_budget_variance', 'approve_capex'] },
      {
        name: 'close',
        weight: (d) => (close(d) ? 3 : 0.8),
        steps: ['read_bank_balance', 'export_gl', 'read_owner_statement?0.5'],
      },
      {
        name: 'distribution',
        weight: (d) => (d.dom === 10 || d.dom === 11 ? 6 : 0),
        steps: ['read_bank_balance', 'approve_owner_distribution*1-4'],
      },
    ],
    rate: (d, h) => (d.dow < 5 && h >= 9 && h < 17 ? 0.55 * (close(d) ? 1.8 : 1) : 0),
    people: (d) => (d.dow === 2 ? [controller, cfo] : [controller]),
    context: (_d, _h, _r, person) => ({
      sourceNetwork: '10.20.12.0/24',
      onBehalfOf: person!,
      userAgent: 'pm-copilot/3.1.4',
    }),
    gap: (r) => r.logNormal(70, 0.8),
    resource,
    plan: {
      newTool: {
        tool: 'owner-trust-bank',
        op: 'change_remittance_account',
        sensitivity: 'CRITICAL',
        calls: 2,
        volume: 1,
        amount: 0,
      },
      bulk: ['export_gl'],
      burst: 'read_owner_statement',
      oddContext: { variant: 'person', value: 'ray.dunn@lakeshore-residential.example' },
      oddSequences: 2,
    },
  };
}

export const PROPERTY = {
  archetype: ARCHETYPE,
  prefix: 'propmgmt',
  /** Seat `role` (0 bot, 1 assistant, 2 team, 3 quiet) as agent `agent`; `copy` > 0 for further seats of a kind. */
  seat(role: number, agent: string, copy: number): Seat {
    const tag = copy ? `+${copy}` : '';
    if (role === 0) return bot(agent);
    if (role === 1) return assistant(agent, `dana.okafor${tag}@${DOMAIN}`);
    if (role === 2) return team(agent);
    return quiet(agent, `marisol.reyes${tag}@${DOMAIN}`, `tom.brandt${tag}@${DOMAIN}`);
  },
};
