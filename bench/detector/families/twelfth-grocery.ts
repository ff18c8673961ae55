/**
 * The twelfth family's grocery replenishment (a UK supermarket chain, London time, summer time from 30 March): a
 * replenishment engine acting for nobody (a night batch of forecasts, store orders with amounts and purchase orders;
 * stock polls and supplier confirmations by day), an assistant serving the fresh-produce replenishment manager
 * (forecast overrides, markdowns, supplier orders), a store-ordering desk shared by the analysts (interleaved) and a
 * quiet seat for food safety (recalls). Peaks: deliveries on Tuesdays and Fridays, the run-up to Mothering Sunday
 * (30 March) and to Easter (from 9 April). Slow change: a weather-demand feed adopted over days, an engine upgrade,
 * a new support office network, analysts joining.
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

export const GROCERY_OPS: Record<string, OpDef> = {
  run_forecast: { tool: 'forecast', sens: 'MEDIUM', vol: [1200, 0.3] },
  read_forecast: { tool: 'forecast', sens: 'LOW', vol: [40, 0.6] },
  override_forecast: { tool: 'forecast', sens: 'MEDIUM', vol: [3, 0.6] },
  read_weather_demand: { tool: 'weather-demand', sens: 'LOW', vol: [30, 0.3] },
  read_stock: { tool: 'inventory', sens: 'LOW', vol: [25, 0.7] },
  adjust_stock: { tool: 'inventory', sens: 'MEDIUM', vol: [4, 0.6] },
  create_store_order: { tool: 'ordering', sens: 'MEDIUM', vol: [180, 0.5], amt: [2400, 0.5] },
  amend_order: { tool: 'ordering', sens: 'MEDIUM', vol: [12, 0.6], amt: [160, 0.6] },
  release_order: { tool: 'ordering', sens: 'HIGH', vol: [180, 0.5], amt: [2400, 0.5] },
  send_po: { tool: 'supplier-portal', sens: 'HIGH', vol: [600, 0.5], amt: [9500, 0.6] },
  record_confirmation: { tool: 'supplier-portal', sens: 'MEDIUM', vol: [600, 0.5] },
  read_price: { tool: 'pricing', sens: 'LOW', vol: [15, 0.6] },
  apply_markdown: { tool: 'pricing', sens: 'HIGH', vol: [20, 0.6], amt: [85, 0.6] },
  recall_status: { tool: 'quality', sens: 'LOW', vol: [40, 0.5] },
  issue_recall: { tool: 'quality', sens: 'HIGH', vol: [40, 0.5] },
};

/** What a compromised or misused agent would do here (twelfth-incidents.ts). */
export const GROCERY_INCIDENTS: Catalogue = {
  skips: [
    ['read_stock', 'release_order'],
    ['read_forecast', 'release_order'],
    ['read_price', 'send_po'],
    ['read_stock', 'send_po'],
    ['read_forecast', 'apply_markdown'],
    ['recall_status', 'apply_markdown'],
    ['read_stock', 'record_confirmation'],
    ['read_forecast', 'amend_order'],
    ['read_price', 'create_store_order'],
    ['read_stock', 'override_forecast'],
    ['recall_status', 'adjust_stock'],
  ],
  bulk: ['create_store_order', 'send_po', 'release_order', 'apply_markdown', 'amend_order', 'read_stock'],
  burst: ['read_stock', 'read_price', 'read_forecast', 'recall_status'],
  drift: ['read_stock', 'create_store_order', 'run_forecast', 'read_forecast'],
  tools: [
    { tool: 'vendor-master', op: 'change_bank_details', sens: 'CRITICAL', vol: 1 },
    { tool: 'pos-pricing', op: 'set_shelf_price', sens: 'HIGH', vol: 6 },
    { tool: 'payments', op: 'release_payment', sens: 'CRITICAL', vol: 1, amt: 8800 },
    { tool: 'loyalty-db', op: 'export_members', sens: 'HIGH', vol: 25 },
  ],
  outsiders: [
    'd.fairclough@hartfield-foods.example.com',
    'account.mgr@supplier-direct.example.net',
    'm.okonjo@hartfield-foods.example.com',
  ],
};

/** Mothering Sunday is day 27 (30 March); Easter ordering builds from day 37 (9 April). */
export const HOLIDAY_RUNS = [23, 24, 25, 26, 37, 38, 39, 40, 41];
const holiday = (c: Day) => (HOLIDAY_RUNS.includes(c.day) ? (c.day < 30 ? 1.7 : 1.5) : 1);
/** Deliveries on Tuesday and Friday: orders the day before and the day itself. */
const delivery = (c: Day) => (c.weekday === 1 || c.weekday === 4 ? 1.5 : c.weekday === 0 || c.weekday === 3 ? 1.2 : 1);
const zone = ZONES.london;

const FIRST = ['rupa', 'callum', 'siobhan', 'tariq', 'ellie', 'gareth', 'nadia', 'fergus', 'amara', 'lewis'];
const LAST = ['patel', 'mcleod', 'byrne', 'hussain', 'walsh', 'jones', 'kowalski', 'grant', 'osei', 'baxter'];
const person = (k: number, copy: number) =>
  `${FIRST[k % FIRST.length]}.${LAST[(k * 7 + copy) % LAST.length]}${copy ? copy + 1 : ''}@hartfield-foods.example.com`;

function bot(): Crew[] {
  const night: Proc[] = [
    {
      w: 1,
      steps: ['run_forecast', 'create_store_order', { op: 'release_order', p: 0.92 }, { op: 'send_po', p: 0.3 }],
    },
  ];
  const day: Proc[] = [
    { w: 0.85, steps: ['read_stock', { op: 'adjust_stock', p: 0.08 }] },
    { w: 0.15, steps: ['record_confirmation', { op: 'read_stock', p: 0.5 }] },
  ];
  return [
    {
      zone,
      people: null,
      every: { minutes: 8, from: 0.5, to: 4.5 },
      gap: [12, 0.4],
      procs: night,
      scale: (c) => holiday(c) * (c.weekday === 0 || c.weekday === 3 ? 1.3 : 1),
    },
    { zone, people: null, every: { minutes: 20, from: 6, to: 22 }, gap: [4, 0.5], procs: day },
  ];
}

function assistant(copy: number): Crew[] {
  const procs: Proc[] = [
    { w: 3, steps: ['read_forecast', { op: 'read_weather_demand', p: 0.7 }, { op: 'override_forecast', p: 0.5 }] },
    { w: 1.5, steps: ['read_stock', 'read_price', 'apply_markdown'] },
    { w: 1.5, steps: ['read_forecast', 'read_stock', 'send_po'] },
    { w: 1, steps: ['record_confirmation', { op: 'read_forecast', p: 0.4 }] },
    { w: 1.2, steps: [{ op: 'read_stock', n: [1, 3] }] },
  ];
  return [
    {
      zone,
      people: [{ email: person(0, copy) }],
      sessions: 20,
      hours: officeHours(7, 18, 0.02),
      rate: (c) => weekly(c, [1.1, 1, 1, 1, 0.9, 0.3, 0]) * holiday(c),
      gap: [35, 0.7],
      procs,
    },
  ];
}

function team(copy: number): Crew[] {
  const procs: Proc[] = [
    {
      w: 4,
      steps: [
        'read_stock',
        { op: 'read_forecast', p: 0.5 },
        { op: 'read_weather_demand', p: 0.5 },
        'create_store_order',
        { op: 'amend_order', p: 0.3 },
        'release_order',
      ],
    },
    { w: 2, steps: ['read_stock', 'adjust_stock'] },
    { w: 1.5, steps: ['record_confirmation', { op: 'amend_order', p: 0.4 }] },
    { w: 1, steps: ['read_price', { op: 'read_stock', p: 0.5 }, 'apply_markdown'] },
    {
      w: 2,
      steps: [
        { op: 'read_stock', n: [1, 2] },
        { op: 'read_forecast', p: 0.6 },
      ],
    },
  ];
  const people: Person[] = [1, 2, 3, 4, 5].map((k) => ({ email: person(k, copy) }));
  people.push({ email: person(6, copy), from: 15 }, { email: person(7, copy), from: 29 });
  return [
    {
      zone,
      people,
      sessions: 70,
      hours: officeHours(6, 20, 0.01, 13),
      rate: (c) => weekly(c, [1, 1, 1, 1, 1, 0.5, 0.1]) * delivery(c) * holiday(c),
      gap: [28, 0.7],
      procs,
      networks: [
        { cidr: `10.64.${4 + copy * 20}.0/24`, w: 3 },
        { cidr: `10.64.${9 + copy * 20}.0/24`, from: 20 },
      ],
    },
  ];
}

function quiet(copy: number): Crew[] {
  const procs: Proc[] = [
    { w: 3, steps: ['recall_status', { op: 'read_stock', p: 0.4 }] },
    { w: 0.6, steps: ['read_stock', 'recall_status', 'issue_recall'] },
    { w: 0.8, steps: ['read_stock', 'adjust_stock'] },
  ];
  return [
    {
      zone,
      people: [{ email: person(8, copy) }],
      sessions: 4,
      hours: officeHours(8, 17, 0.01),
      rate: (c) => weekly(c, [1, 1, 1, 1, 1, 0.2, 0]),
      gap: [80, 0.6],
      procs,
    },
  ];
}

export function grocerySeat(i: number): Seat {
  const role = (['bot', 'assistant', 'team', 'quiet'] as const)[i % 4]!;
  const copy = Math.floor(i / 4);
  const net = (k: number) => `10.64.${k + copy * 20}.0/24`;
  const base = { agent: `grocery-${i + 1}`, archetype: 'grocery_replenishment', ops: GROCERY_OPS, role };
  if (role === 'bot')
    return {
      ...base,
      platform: 'vertex-ai',
      crews: bot(),
      networks: [{ cidr: net(1) }],
      clients: [
        { ua: 'replen-engine/5.0.3', since: 0, over: 0 },
        { ua: 'replen-engine/5.1.0', since: 21, over: 1 },
      ],
    };
  if (role === 'assistant')
    return {
      ...base,
      platform: 'vertex-ai',
      crews: assistant(copy),
      networks: [
        { cidr: net(2), w: 5 },
        { cidr: net(3), w: 1 },
      ],
      clients: [{ ua: 'buyer-assist/1.12.0', since: 0, over: 0 }],
      adopt: [{ tool: 'weather-demand', from: 16, over: 10 }],
    };
  if (role === 'team')
    return {
      ...base,
      platform: 'vertex-ai',
      crews: team(copy),
      networks: [],
      clients: [
        { ua: 'replen-desk/3.4.0', since: 0, over: 0 },
        { ua: 'replen-desk/3.5.2', since: 30, over: 5 },
      ],
      adopt: [{ tool: 'weather-demand', from: 24, over: 10 }],
    };
  return {
    ...base,
    platform: 'vertex-ai',
    crews: quiet(copy),
    networks: [{ cidr: net(5) }],
    clients: [{ ua: 'quality-desk/2.0.1', since: 0, over: 0 }],
  };
}
