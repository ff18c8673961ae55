/**
 * Straits Cellars, a Singapore wine importer (Asia/Singapore, no clock change) selling to restaurants, hotels and
 * bars out of a bonded warehouse (duty paid on removal, via customs permits). Dispatch waves at 11:30 and 16:00
 * Monday to Saturday; the purchasing director flies to ProWein in Düsseldorf (15–19 March) and works European
 * hours over the road-warrior VPN, then orders; the sales desk pushes at the end of March; Hari Raya Puasa (Monday
 * 31 March) is a public holiday; the Q1 excise and GST close follows. A hotel group's account from day 20 grows the
 * orders. Seats: the order-to-dispatch bot (nobody's), the purchasing director's assistant, the on-trade sales desk
 * (a team; one rep joining), and the compliance controller's quiet seat.
 */
import { hourly, ramp, type Day, type Op, type Seat } from './fifteenth-model.js';

const ARCHETYPE = 'wine_import';
const TZ = 'Asia/Singapore';
const DOMAIN = 'straitscellars.example';
const RESOURCES: Record<string, string> = {
  netsuite: 'https://7712345.suitetalk.netsuite.example/services/',
  tradenet: 'https://tradenet.customs.example/permits/',
  'fx-platform': 'https://fx.dbs-corporate.example/forwards/',
  'bank-payments': 'https://ideal.dbs-corporate.example/payments/',
};
const resource = (tool: string) => RESOURCES[tool] ?? `https://${tool}.${DOMAIN}/`;

const holiday = (d: Day) => d.index === 28;
/** The hotel group's account, from day 20. */
const hotels = (d: Day) => 1 + 0.25 * ramp(d, 20, 27);
/** Travelling to ProWein: flies out Saturday 15 March (day 12), back Thursday 20 March (day 17). */
const travelling = (d: Day) => d.index >= 12 && d.index <= 16;
const pushDays = (d: Day) => d.index >= 22 && d.index <= 25;

function bot(agent: string): Seat {
  const ops: Record<string, Op> = {
    import_b2b_orders: {
      tool: 'b2b-orders',
      sensitivity: 'MEDIUM',
      volume: (r, d) => r.pareto(2, 1.7, 120) * hotels(d),
    },
    allocate_stock: { tool: 'bonded-wms', sensitivity: 'MEDIUM', volume: (r) => r.logNormal(36, 0.9) },
    create_pick_list: { tool: 'bonded-wms', sensitivity: 'LOW', volume: (r) => r.int(2, 30) },
    apply_for_permit: { tool: 'tradenet', sensitivity: 'HIGH', volume: () => 1, amount: (r) => r.logNormal(2400, 0.9) },
    confirm_dispatch: { tool: 'bonded-wms', sensitivity: 'MEDIUM', volume: (r) => r.int(1, 25) },
    send_delivery_notice: { tool: 'b2b-orders', sensitivity: 'LOW', volume: () => 1 },
    sync_inventory: { tool: 'netsuite', sensitivity: 'LOW', volume: (r) => r.int(3100, 3900) },
  };
  const open = (d: Day) => d.dow < 6 && !holiday(d);
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'vertex-ai',
    tz: TZ,
    kind: 'bot',
    ops,
    procedures: [
      { name: 'intake', weight: () => 5, steps: ['import_b2b_orders', 'allocate_stock*1-4'] },
      {
        name: 'wave',
        weight: () => 0,
        steps: [
          {
            steps: ['create_pick_list', 'apply_for_permit', 'confirm_dispatch', 'send_delivery_notice?0.9'],
            times: (r, d) => Math.round(r.uniform(14, 34) * hotels(d)),
          },
        ],
      },
      { name: 'sync', weight: () => 0, steps: ['sync_inventory'] },
    ],
    rate: (d, h) =>
      hourly([
        [0, 24, 0.3],
        [7, 22, 2.2],
        [9, 11, 5.5],
        [14, 16, 3.5],
      ])[h]! *
      (open(d) ? 1 : 0.3) *
      hotels(d),
    batches: (d, r) => [
      { at: 2 + r.uniform(0, 0.1), procedure: 'sync' },
      ...(open(d)
        ? [
            { at: 11.5 + r.uniform(0, 0.05), procedure: 'wave' },
            { at: 16 + r.uniform(0, 0.05), procedure: 'wave' },
          ]
        : []),
    ],
    context: (d) => ({
      sourceNetwork: '10.88.40.0/24',
      userAgent: d.index < 30 ? 'cellarbot/1.9.4' : 'cellarbot/2.0.0',
    }),
    gap: (r) => r.logNormal(1.5, 0.6),
    resource,
    plan: {
      newTool: {
        tool: 'tradenet-admin',
        op: 'amend_permit_declaration',
        sensitivity: 'HIGH',
        calls: 3,
        volume: 1,
        amount: 0,
      },
      bulk: ['allocate_stock', 'apply_for_permit'],
      burst: 'create_pick_list',
      drift: 'import_b2b_orders',
      oddContext: { variant: 'client', value: 'python-requests/2.31.0' },
      oddSequences: 2,
    },
  };
}

function assistant(agent: string, person: string): Seat {
  const ops: Record<string, Op> = {
    read_supplier_offer: { tool: 'supplier-portal', sensitivity: 'LOW', volume: (r) => r.int(1, 24) },
    read_stock_position: { tool: 'netsuite', sensitivity: 'LOW', volume: (r) => r.logNormal(60, 0.8) },
    read_sales_forecast: { tool: 'netsuite', sensitivity: 'LOW', volume: (r) => r.logNormal(40, 0.6) },
    email_supplier: { tool: 'mail', sensitivity: 'LOW', volume: () => 1 },
    draft_purchase_order: { tool: 'netsuite', sensitivity: 'MEDIUM', volume: (r) => r.int(2, 40) },
    place_purchase_order: {
      tool: 'netsuite',
      sensitivity: 'HIGH',
      volume: (r) => r.int(2, 40),
      amount: (r) => r.logNormal(28_000, 0.9),
    },
    reserve_allocation: { tool: 'netsuite', sensitivity: 'MEDIUM', volume: (r) => r.int(6, 120) },
    book_fx_forward: {
      tool: 'fx-platform',
      sensitivity: 'CRITICAL',
      volume: () => 1,
      amount: (r) => r.logNormal(60_000, 0.7),
    },
    pay_supplier_invoice: {
      tool: 'bank-payments',
      sensitivity: 'CRITICAL',
      volume: () => 1,
      amount: (r) => r.logNormal(25_000, 0.9),
    },
  };
  const buying = (d: Day) => (d.index >= 17 && d.index <= 22 ? 2.5 : 1);
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'copilot-studio',
    tz: TZ,
    kind: 'assistant',
    ops,
    procedures: [
      {
        name: 'offers',
        weight: (d) => (travelling(d) ? 8 : 4),
        steps: ['read_supplier_offer', 'read_stock_position?0.6', 'read_sales_forecast?0.4', 'email_supplier?0.5'],
      },
      {
        name: 'purchase',
        weight: (d) => 1.6 * buying(d),
        steps: [
          'read_stock_position',
          'read_sales_forecast',
          'draft_purchase_order',
          'place_purchase_order?0.6',
          'email_supplier?0.4',
        ],
      },
      {
        name: 'allocation',
        weight: () => 1.5,
        steps: ['read_stock_position', 'reserve_allocation', 'email_supplier?0.2'],
      },
      { name: 'fx', weight: (d) => 0.5 * buying(d), steps: ['read_supplier_offer?0.5', 'book_fx_forward'] },
      {
        name: 'payments',
        weight: (d) => (d.dow === 3 ? 2 : 0.3),
        steps: ['read_stock_position?0.2', 'pay_supplier_invoice*1-3'],
      },
    ],
    rate: (d, h) => {
      if (travelling(d))
        return d.index === 12
          ? 0
          : hourly([
              [0, 2, 1.5],
              [15, 24, 2],
            ])[h]!;
      if (d.dow >= 5 || holiday(d)) return 0;
      return hourly([
        [9, 19, 2.2],
        [12, 14, 1],
        [19, 22, 0.5],
      ])[h]!;
    },
    people: () => [person],
    context: (d, h) => ({
      sourceNetwork: travelling(d) || (d.index === 17 && h < 3) ? '10.88.250.0/24' : '10.88.1.0/24',
      onBehalfOf: person,
      userAgent: d.index < 21 ? 'procure-copilot/0.9.12' : 'procure-copilot/1.0.0',
    }),
    gap: (r) => r.logNormal(45, 0.8),
    resource,
    plan: {
      newTool: {
        tool: 'swift-gateway',
        op: 'release_payment_batch',
        sensitivity: 'CRITICAL',
        calls: 1,
        volume: 12,
        amount: 480_000,
      },
      bulk: ['place_purchase_order', 'draft_purchase_order'],
      burst: 'read_stock_position',
      oddContext: { variant: 'network', value: '45.154.98.0/24' },
      oddSequences: 2,
    },
  };
}

const REPS = [
  'wei.jie.tan@straitscellars.example',
  'nurul.huda@straitscellars.example',
  'arjun.menon@straitscellars.example',
  'chloe.lim@straitscellars.example',
  'daniel.ong@straitscellars.example',
];
const NEW_REP: [string, number] = ['sofia.marchetti@straitscellars.example', 20];

function team(agent: string): Seat {
  const ops: Record<string, Op> = {
    search_catalogue: { tool: 'catalogue', sensitivity: 'LOW', volume: (r) => r.pareto(4, 1.3, 400) },
    check_stock: { tool: 'bonded-wms', sensitivity: 'LOW', volume: (r) => r.int(1, 12) },
    read_account_history: { tool: 'crm', sensitivity: 'LOW', volume: (r) => r.int(1, 60) },
    create_sales_order: {
      tool: 'b2b-orders',
      sensitivity: 'MEDIUM',
      volume: (r) => r.pareto(6, 1.4, 600),
      amount: (r) => r.logNormal(1400, 0.9),
    },
    submit_order_v2: {
      tool: 'orders-portal-v2',
      sensitivity: 'MEDIUM',
      volume: (r) => r.pareto(6, 1.4, 600),
      amount: (r) => r.logNormal(1400, 0.9),
    },
    apply_discount: { tool: 'b2b-orders', sensitivity: 'MEDIUM', volume: () => 1, amount: (r) => r.logNormal(90, 0.7) },
    issue_credit_note: {
      tool: 'netsuite',
      sensitivity: 'HIGH',
      volume: (r) => r.int(1, 12),
      amount: (r) => r.logNormal(260, 0.8),
    },
    update_account: { tool: 'crm', sensitivity: 'LOW', volume: () => 1 },
    log_tasting_visit: { tool: 'crm', sensitivity: 'LOW', volume: () => 1 },
  };
  // The new order portal replaces the old one account by account from day 21.
  const v2 = (d: Day) => 0.9 * ramp(d, 21, 38);
  const order = (d: Day) => (pushDays(d) ? 1.8 : 1) * hotels(d);
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'langgraph-platform',
    tz: TZ,
    kind: 'team',
    ops,
    procedures: [
      {
        name: 'order',
        weight: (d) => 4 * order(d) * (1 - v2(d)),
        steps: [
          'read_account_history?0.5',
          'search_catalogue',
          'check_stock',
          'create_sales_order',
          'apply_discount?0.25',
        ],
      },
      {
        name: 'order_v2',
        weight: (d) => 4 * order(d) * v2(d),
        steps: [
          'read_account_history?0.5',
          'search_catalogue',
          'check_stock',
          'submit_order_v2',
          'apply_discount?0.25',
        ],
      },
      { name: 'enquiry', weight: () => 3, steps: ['search_catalogue', 'check_stock?0.7', 'update_account?0.2'] },
      { name: 'credit', weight: () => 0.9, steps: ['read_account_history', 'issue_credit_note'] },
      { name: 'visit', weight: (_d, h) => (h >= 16 ? 3 : 0.8), steps: ['log_tasting_visit', 'update_account?0.5'] },
    ],
    rate: (d, h) => {
      if (holiday(d) || d.dow === 6) return 0;
      if (d.dow === 5) return hourly([[10, 13, 2]])[h]!;
      return (
        hourly([
          [9, 19, 8],
          [9, 11, 11],
          [12, 14, 5],
        ])[h]! * (pushDays(d) ? 1.5 : 1)
      );
    },
    people: (d) => [...REPS, ...(d.index >= NEW_REP[1] ? [NEW_REP[0]] : [])],
    context: (_d, _h, _r, person) => ({
      sourceNetwork: '10.88.12.0/24',
      onBehalfOf: person!,
      userAgent: 'sales-desk/2.2.7',
    }),
    gap: (r) => r.logNormal(30, 0.8),
    resource,
    plan: {
      newTool: {
        tool: 'crm-bulk-export',
        op: 'export_customer_list',
        sensitivity: 'HIGH',
        calls: 2,
        volume: 5200,
        amount: 0,
      },
      bulk: ['create_sales_order', 'issue_credit_note'],
      burst: 'check_stock',
      drift: 'search_catalogue',
      oddContext: { variant: 'network', value: '103.251.167.0/24' },
      oddSequences: 3,
    },
  };
}

function quiet(agent: string, person: string): Seat {
  const ops: Record<string, Op> = {
    read_excise_ledger: { tool: 'excise-ledger', sensitivity: 'LOW', volume: (r) => r.int(1, 50) },
    reconcile_bond_stock: { tool: 'bonded-wms', sensitivity: 'MEDIUM', volume: (r) => r.logNormal(900, 0.5) },
    approve_duty_payment: {
      tool: 'tradenet',
      sensitivity: 'HIGH',
      volume: () => 1,
      amount: (r) => r.logNormal(18_000, 0.8),
    },
    export_audit_trail: { tool: 'netsuite', sensitivity: 'MEDIUM', volume: (r) => r.logNormal(2500, 1) },
    approve_credit_limit: {
      tool: 'netsuite',
      sensitivity: 'HIGH',
      volume: () => 1,
      amount: (r) => r.uniform(5000, 80_000),
    },
  };
  const close = (d: Day) => (d.index >= 29 && d.index <= 33 ? 2.5 : 1);
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'copilot-studio',
    tz: TZ,
    kind: 'quiet',
    ops,
    procedures: [
      { name: 'ledger', weight: () => 3, steps: ['read_excise_ledger', 'reconcile_bond_stock?0.3'] },
      { name: 'duty', weight: (d) => 1.2 * close(d), steps: ['read_excise_ledger', 'approve_duty_payment'] },
      { name: 'audit', weight: (d) => 0.8 * close(d), steps: ['read_excise_ledger?0.5', 'export_audit_trail'] },
      { name: 'credit', weight: () => 0.8, steps: ['read_excise_ledger?0.2', 'approve_credit_limit'] },
    ],
    rate: (d, h) =>
      d.dow < 5 && !holiday(d)
        ? hourly([
            [9, 18, 0.55],
            [12, 14, 0.2],
          ])[h]! * close(d)
        : 0,
    people: () => [person],
    context: (_d, _h, _r, p) => ({
      sourceNetwork: '10.88.1.0/24',
      onBehalfOf: p!,
      userAgent: 'procure-copilot/0.9.12',
    }),
    gap: (r) => r.logNormal(55, 0.8),
    resource,
    plan: {
      newTool: {
        tool: 'bond-admin',
        op: 'write_off_bond_stock',
        sensitivity: 'HIGH',
        calls: 2,
        volume: 240,
        amount: 0,
      },
      bulk: ['export_audit_trail'],
      burst: 'read_excise_ledger',
      oddContext: { variant: 'network', value: '193.37.254.0/24' },
      oddSequences: 2,
    },
  };
}

export const WINE = {
  archetype: ARCHETYPE,
  prefix: 'wine',
  seat(role: number, agent: string, copy: number): Seat {
    const tag = copy ? `+${copy}` : '';
    if (role === 0) return bot(agent);
    if (role === 1) return assistant(agent, `meilin.goh${tag}@${DOMAIN}`);
    if (role === 2) return team(agent);
    return quiet(agent, `rajesh.pillai${tag}@${DOMAIN}`);
  },
};
