/**
 * `event_ticketing`: a London concert and sports ticketing operator selling for promoters. On-sales (inventory checks,
 * price tiers, seats held back, the sale opened at 10:00 and the virtual queue throttled), seat-map changes (kills for
 * camera and production positions, reconfigured sections), customer support with refunds (amounts in GBP), fraud
 * reviews of flagged orders and cancellations, and settlements and payouts to promoters. Peaks: on-sale days (most
 * Fridays, a Tuesday presale, a stadium tour on 21 March) bring the queue bot's watch every minute or two for the
 * morning and a fraud queue the day after; a postponed match (23 March) brings two days of refunds; Mondays and
 * Thursdays are payout days. Slow change: the support team adopts a resale-listing check from day 13 and two seasonal
 * hires join on day 21; the bot's runner upgrades over days 16–18; the events manager works through the VPN on
 * Fridays from day 15; the settlements console upgrades over days 23–25. London time (summer time from 30 March).
 */
import { ramp, ukOffset, weekday, type AgentPlan, type ArchetypeDef, type Step } from './tenth-model.js';

const DOMAIN = 'northgate-tickets.example.com';
/** On-sale days: Fridays 7, 14, 21 (a stadium tour), 28 March, 4 and 11 April; a Tuesday presale on 25 March. */
const ONSALE_DAYS = new Set([4, 11, 18, 22, 25, 32, 39]);
const TOUR_DAY = 18;
/** A match postponed on Sunday 23 March: refunds for it on the Monday and Tuesday. */
const REFUND_DAYS = new Set([21, 22]);
const onsale = (day: number) => ONSALE_DAYS.has(day);
const dayAfterOnsale = (day: number) => ONSALE_DAYS.has(day - 1);
const payoutDay = (day: number) => day % 7 === 0 || day % 7 === 3;

const holdSweep: Step[] = [
  'list_expiring_holds',
  { maybe: 0.8, then: ['release_holds'] },
  { maybe: 0.3, then: ['get_event_inventory'] },
];

const queueWatch: Step[] = [
  'get_queue_status',
  { maybe: 0.35, then: ['set_queue_rate'] },
  { maybe: 0.5, then: ['get_event_inventory'] },
  { maybe: 0.2, then: ['release_holds'] },
];

const fraudScreen: Step[] = ['list_flagged_orders', { maybe: 0.6, then: ['get_order', 'review_fraud_case'] }];

const eventSetup: Step[] = [
  'list_events',
  'get_seat_map',
  {
    loop: [1, 3],
    body: [
      {
        branch: [
          [0.6, ['kill_seats']],
          [0.4, ['update_seat_map']],
        ],
      },
      { maybe: 0.5, then: ['get_seat_map'] },
    ],
  },
  { maybe: 0.5, then: ['set_price_tier'] },
];

const onsalePrep: Step[] = [
  'list_events',
  'get_event_inventory',
  { maybe: 0.6, then: ['hold_seats'] },
  'set_price_tier',
  { maybe: 0.3, then: ['get_seat_map'] },
];

const openSale: Step[] = [
  'get_event_inventory',
  'get_queue_status',
  { retry: 0.15, op: 'open_onsale' },
  { maybe: 0.7, then: ['set_queue_rate'] },
];

const escalation: Step[] = [
  'search_orders',
  'get_order',
  {
    branch: [
      [0.6, ['issue_refund']],
      [0.4, ['resend_tickets']],
    ],
  },
];

const promoterCheck: Step[] = ['list_events', 'get_settlement', { maybe: 0.25, then: ['calc_settlement'] }];

const support = (refunds: number): Step[] => [
  'search_orders',
  'get_order',
  {
    branch: [
      [0.45, ['resend_tickets']],
      [refunds, ['issue_refund']],
      [0.2, []],
    ],
  },
  { maybe: 0.6, then: ['reply_customer'] },
];

const fraudReview = (resale: number): Step[] => [
  'list_flagged_orders',
  {
    loop: [1, 3],
    body: [
      'get_order',
      { maybe: resale, then: ['check_resale_listing'] },
      'review_fraud_case',
      { maybe: 0.35, then: ['cancel_order'] },
    ],
  },
];

const settlement: Step[] = [
  'get_settlement',
  { maybe: 0.7, then: ['calc_settlement'] },
  { maybe: 0.5, then: ['release_payout'] },
];

function agent(i: number): AgentPlan {
  const n = Math.floor((i - 1) / 4);
  const suffix = n === 0 ? '' : String(n + 1);
  const role = (['bot', 'assistant', 'team', 'quiet'] as const)[(i - 1) % 4]!;
  const base = {
    id: `tickets-${i}`,
    role,
    utcOffset: ukOffset,
    gap: [5, 60] as [number, number],
    volumeScale: 1 + 0.1 * ((i * 3) % 5),
  };
  if (role === 'bot')
    return {
      ...base,
      platform: 'langgraph-cloud',
      // Around the clock (holds expire at any hour), with the on-sale morning watch on top.
      windows: (d) =>
        onsale(d)
          ? [
              [0, 24, 1],
              [9.5, 13, d === TOUR_DAY ? 9 : 6],
            ]
          : [[0, 24, 1]],
      sessions: (d) =>
        (weekday(d) ? 44 : 36) + (onsale(d) ? (d === TOUR_DAY ? 260 : 150) : 0) + (dayAfterOnsale(d) ? 18 : 0),
      people: () => null,
      network: () => `10.150.${20 + n}.0/24`,
      client: (d, r) =>
        d >= 18 || (d >= 16 && r.chance((d - 15) / 3)) ? 'ticket-ops-runner/2.8.0' : 'ticket-ops-runner/2.7.3',
      // On an on-sale day the queue stays open all day, so most jobs that day are queue watches.
      procedure: (d, r) =>
        onsale(d) && r.chance(0.8)
          ? queueWatch
          : r.weighted([
              [0.75, holdSweep],
              [dayAfterOnsale(d) ? 0.6 : 0.25, fraudScreen],
            ]),
      gap: [2, 12],
      driftOp: 'list_expiring_holds',
    };
  if (role === 'assistant')
    return {
      ...base,
      platform: 'openai-agents',
      windows: (d) =>
        weekday(d)
          ? onsale(d)
            ? [
                [8, 11, 3],
                [11, 18.5, 1],
              ]
            : [[8.5, 18.5, 1]]
          : [],
      sessions: (d) => (onsale(d) ? 17 : ONSALE_DAYS.has(d + 1) ? 13 : 9),
      people: () => [`hannah.oduya${suffix}@${DOMAIN}`],
      network: (d) => (d >= 15 && d % 7 === 4 ? '10.250.7.0/24' : '192.168.40.0/24'),
      client: () => 'event-copilot/4.1.2',
      procedure: (d, r) =>
        r.weighted([
          [0.3, eventSetup],
          [ONSALE_DAYS.has(d + 1) ? 0.6 : 0.2, onsalePrep],
          [onsale(d) ? 0.5 : 0.04, openSale],
          [REFUND_DAYS.has(d) ? 0.5 : 0.25, escalation],
          [0.15, promoterCheck],
        ]),
    };
  if (role === 'team') {
    const crew = ['tom.reilly', 'amara.diallo', 'josh.whitaker', 'ewa.kaminska'].map((p) => `${p}${suffix}@${DOMAIN}`);
    const seasonal = ['leo.marsh', 'fatima.qureshi'].map((p) => `${p}${suffix}@${DOMAIN}`);
    return {
      ...base,
      platform: 'salesforce-agentforce',
      windows: (d) => (weekday(d) ? [[8, 22, 1]] : [[10, 20, 1]]),
      sessions: (d) =>
        (weekday(d) ? 38 : 26) *
        (onsale(d) ? 1.6 : 1) *
        (dayAfterOnsale(d) ? 1.4 : 1) *
        (REFUND_DAYS.has(d) ? 1.8 : 1) *
        (d >= 21 ? 1.2 : 1),
      people: (d) => (d >= 21 ? [...crew, ...seasonal] : crew),
      network: (_d, r) => (r.chance(0.75) ? '192.168.41.0/24' : '192.168.42.0/24'),
      client: () => 'agentforce-service/61.0',
      procedure: (d, r) =>
        r.weighted([
          [0.65, support(REFUND_DAYS.has(d) ? 1.2 : 0.35)],
          [dayAfterOnsale(d) ? 0.7 : 0.35, fraudReview(ramp(d, 13, 27, 0.7))],
        ]),
      driftOp: 'search_orders',
    };
  }
  return {
    ...base,
    platform: 'copilot-studio',
    windows: (d) => (weekday(d) ? [[10, 16, 1]] : []),
    sessions: (d) => (payoutDay(d) ? 5 : 2.5),
    people: () => [`graham.pryce${suffix}@${DOMAIN}`],
    network: () => '192.168.44.0/24',
    client: (d, r) =>
      d >= 25 || (d >= 23 && r.chance((d - 22) / 3)) ? 'payout-console/1.5.0' : 'payout-console/1.4.3',
    procedure: (d, r) =>
      r.weighted([
        [payoutDay(d) ? 0.8 : 0.5, settlement],
        [0.3, promoterCheck],
        [0.2, ['list_events', 'get_event_inventory']],
      ]),
    gap: [15, 150],
  };
}

export const TICKETS: ArchetypeDef = {
  archetype: 'event_ticketing',
  tools: {
    'event-inventory': `https://inventory.${DOMAIN}/`,
    'onsale-queue': `https://queue.${DOMAIN}/`,
    orders: `https://orders.${DOMAIN}/`,
    refunds: 'https://refunds.payments.example.com/',
    'fraud-review': `https://fraud.${DOMAIN}/`,
    'seat-maps': `https://seatmaps.${DOMAIN}/`,
    'promoter-payouts': `https://payouts.${DOMAIN}/`,
    'support-desk': `https://support.${DOMAIN}/`,
    'resale-guard': 'https://resale-guard.example.com/',
  },
  ops: {
    list_events: { tool: 'event-inventory', sensitivity: 'LOW', volume: [3, 40] },
    get_event_inventory: { tool: 'event-inventory', sensitivity: 'LOW', volume: [300, 9000] },
    list_expiring_holds: { tool: 'event-inventory', sensitivity: 'LOW', volume: [5, 300] },
    release_holds: { tool: 'event-inventory', sensitivity: 'MEDIUM', volume: [5, 300] },
    hold_seats: { tool: 'event-inventory', sensitivity: 'MEDIUM', volume: [4, 60] },
    set_price_tier: { tool: 'event-inventory', sensitivity: 'MEDIUM', volume: [1, 12] },
    get_queue_status: { tool: 'onsale-queue', sensitivity: 'LOW', volume: [1, 4] },
    set_queue_rate: { tool: 'onsale-queue', sensitivity: 'MEDIUM', volume: [1, 1] },
    open_onsale: { tool: 'onsale-queue', sensitivity: 'HIGH', volume: [800, 40000] },
    search_orders: { tool: 'orders', sensitivity: 'LOW', volume: [1, 60] },
    get_order: { tool: 'orders', sensitivity: 'LOW', volume: [1, 1] },
    resend_tickets: { tool: 'orders', sensitivity: 'LOW', volume: [1, 8] },
    cancel_order: { tool: 'orders', sensitivity: 'HIGH', volume: [1, 10], amount: [40, 1800] },
    issue_refund: { tool: 'refunds', sensitivity: 'HIGH', volume: [1, 8], amount: [25, 950] },
    list_flagged_orders: { tool: 'fraud-review', sensitivity: 'LOW', volume: [3, 150] },
    review_fraud_case: { tool: 'fraud-review', sensitivity: 'MEDIUM', volume: [1, 1] },
    get_seat_map: { tool: 'seat-maps', sensitivity: 'LOW', volume: [500, 60000] },
    kill_seats: { tool: 'seat-maps', sensitivity: 'MEDIUM', volume: [2, 80] },
    update_seat_map: { tool: 'seat-maps', sensitivity: 'HIGH', volume: [10, 600] },
    get_settlement: { tool: 'promoter-payouts', sensitivity: 'LOW', volume: [1, 25] },
    calc_settlement: { tool: 'promoter-payouts', sensitivity: 'MEDIUM', volume: [1, 4], amount: [4000, 320000] },
    release_payout: { tool: 'promoter-payouts', sensitivity: 'HIGH', volume: [1, 1], amount: [6000, 380000] },
    reply_customer: { tool: 'support-desk', sensitivity: 'LOW', volume: [1, 1] },
    check_resale_listing: { tool: 'resale-guard', sensitivity: 'LOW', volume: [1, 30] },
  },
  foreign: [
    {
      tool: 'payment-gateway-admin',
      resource: 'https://admin.payments.example.com/',
      operation: 'change_merchant_payout_account',
      sensitivity: 'CRITICAL',
      volume: [1, 1],
    },
    {
      tool: 'comp-tickets',
      resource: `https://comps.${DOMAIN}/`,
      operation: 'issue_complimentary_tickets',
      sensitivity: 'HIGH',
      volume: [20, 200],
    },
    {
      tool: 'customer-data',
      resource: `https://cdp.${DOMAIN}/`,
      operation: 'export_customer_list',
      sensitivity: 'CRITICAL',
      volume: [1, 1],
    },
    {
      tool: 'access-control',
      resource: 'https://gates.venue-access.example.com/',
      operation: 'revoke_barcodes',
      sensitivity: 'HIGH',
      volume: [1, 40],
    },
  ],
  strangers: [`promoter.rep.ext@${DOMAIN}`, `k.ashby.temp@${DOMAIN}`, `venue.ops.contractor@${DOMAIN}`],
  agents: (count) => Array.from({ length: count }, (_, k) => agent(k + 1)),
};
