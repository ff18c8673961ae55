/* eslint-disable max-lines -- one business: its four seats, their operations and procedures, declared as data. */
/**
 * Bergbahnen Alpenhorn, a Swiss ski resort (Europe/Zurich, clocks forward on 30 March) in the last six weeks of
 * its season: the last cantons' sports holidays in the first week, weekends twice as busy, powder days after the
 * snowfalls of the nights before Wednesday 12 and Wednesday 26 March (avalanche control at dawn, then crowds), the
 * spring thinning out from the end of March, and next winter's early-bird season pass on sale from Monday 7 April.
 * Seats: the pricing-and-ticketing bot (nobody's), the head of mountain operations' assistant, the guest services
 * desk (a team; two Easter temps joining), and the finance controller's quiet seat.
 */
import { hourly, ramp, type Day, type Op, type Seat } from './fifteenth-model.js';

const ARCHETYPE = 'ski_resort';
const TZ = 'Europe/Zurich';
const DOMAIN = 'alpenhorn-bergbahnen.example';
const RESOURCES: Record<string, string> = {
  'meteo-api': 'https://api.meteo-alpin.example/v2/',
  'slf-bulletin': 'https://bulletin.slf.example/api/',
  skidata: 'https://alpenhorn.dta.skidata.example/',
  ebanking: 'https://ebanking.gkb.example/corporate/',
};
const resource = (tool: string) => RESOURCES[tool] ?? `https://${tool}.${DOMAIN}/`;

const weekend = (d: Day) => d.dow >= 5;
/** Powder days: the mornings after the big snowfalls. */
const POWDER = [9, 23];
const powder = (d: Day) => POWDER.includes(d.index);
/** Guests: sports holidays, weekends, the days after a snowfall, the season thinning out in April. */
const guests = (d: Day) =>
  (d.index <= 6 ? 1.35 : 1) *
  (weekend(d) ? 2.1 : d.dow === 4 ? 1.15 : 1) *
  (POWDER.includes(d.index - 1) || POWDER.includes(d.index - 2) || powder(d) ? 1.3 : 1) *
  (1 - 0.35 * ramp(d, 27, 41));
const TICKET = 79;

function bot(agent: string): Seat {
  const ops: Record<string, Op> = {
    read_weather_forecast: { tool: 'meteo-api', sensitivity: 'LOW', volume: () => 1 },
    read_snow_report: { tool: 'snow-report', sensitivity: 'LOW', volume: () => 1 },
    update_day_pass_price: { tool: 'ticketing', sensitivity: 'HIGH', volume: (r) => r.int(1, 4) },
    fulfil_online_order: {
      tool: 'ticketing',
      sensitivity: 'MEDIUM',
      volume: (r) => Math.min(40, Math.round(r.pareto(1, 1.9))),
      amount: (r) => TICKET * r.uniform(0.85, 1.2) * Math.min(40, Math.round(r.pareto(1, 1.9))),
    },
    issue_keycard: {
      tool: 'skidata',
      sensitivity: 'MEDIUM',
      volume: (r) => Math.min(40, Math.round(r.pareto(1, 1.9))),
    },
    sync_gate_whitelist: {
      tool: 'skidata',
      sensitivity: 'MEDIUM',
      volume: (r, d) => r.logNormal(5200, 0.15) * guests(d),
    },
    refund_ticket: {
      tool: 'ticketing',
      sensitivity: 'HIGH',
      volume: (r) => r.int(1, 4),
      amount: (r) => TICKET * r.int(1, 4),
    },
    publish_lift_status: { tool: 'resort-website', sensitivity: 'LOW', volume: (r) => r.int(1, 28) },
  };
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'vertex-ai',
    tz: TZ,
    kind: 'bot',
    ops,
    procedures: [
      { name: 'online_order', weight: () => 12, steps: ['fulfil_online_order', 'issue_keycard'] },
      { name: 'refund', weight: (d) => (powder(d) ? 2 : 0.35), steps: ['refund_ticket'] },
      {
        name: 'pricing',
        weight: () => 0,
        steps: ['read_weather_forecast', 'read_snow_report', 'update_day_pass_price'],
      },
      { name: 'gates', weight: () => 0, steps: ['sync_gate_whitelist'] },
      { name: 'lifts', weight: () => 0, steps: ['publish_lift_status'] },
    ],
    rate: (d, h) =>
      hourly([
        [0, 24, 0.4],
        [6, 10, 9],
        [10, 16, 4],
        [16, 18, 3],
        [18, 23, 6],
      ])[h]! *
      guests(d) *
      (d.dow === 4 && h >= 18 ? 1.4 : 1),
    batches: (_d, r) => {
      const b = [];
      for (let h = 5; h <= 21; h += 2) b.push({ at: h + r.uniform(0, 0.03), procedure: 'pricing' });
      for (let h = 7.5; h < 16.5; h += 0.25) b.push({ at: h + r.uniform(0, 0.01), procedure: 'gates' });
      for (let h = 7.5; h < 17; h += 1 / 6) b.push({ at: h + r.uniform(0, 0.01), procedure: 'lifts' });
      return b;
    },
    // The bot moves to the new cloud region's subnet on day 18.
    context: (d) => ({
      sourceNetwork: d.index < 18 ? '10.44.10.0/24' : '10.44.60.0/24',
      userAgent: 'alpenhorn-pricing/7.0.2',
    }),
    gap: (r) => r.logNormal(0.7, 0.5),
    resource,
    plan: {
      newTool: {
        tool: 'swisspass-admin',
        op: 'mint_season_passes',
        sensitivity: 'HIGH',
        calls: 3,
        volume: 500,
        amount: 0,
      },
      bulk: ['fulfil_online_order', 'refund_ticket'],
      burst: 'publish_lift_status',
      drift: 'sync_gate_whitelist',
      oddContext: { variant: 'client', value: 'curl/8.5.0' },
      oddSequences: 2,
    },
  };
}

function assistant(agent: string, person: string): Seat {
  const ops: Record<string, Op> = {
    read_avalanche_bulletin: { tool: 'slf-bulletin', sensitivity: 'LOW', volume: () => 1 },
    read_weather_station: { tool: 'meteo-api', sensitivity: 'LOW', volume: (r) => r.int(1, 9) },
    read_lift_telemetry: { tool: 'lift-scada', sensitivity: 'LOW', volume: (r) => r.logNormal(40, 0.7) },
    open_piste: { tool: 'piste-control', sensitivity: 'HIGH', volume: () => 1 },
    close_piste: { tool: 'piste-control', sensitivity: 'HIGH', volume: () => 1 },
    log_patrol_incident: { tool: 'patrol-log', sensitivity: 'MEDIUM', volume: () => 1 },
    dispatch_groomer: { tool: 'snowcat-fleet', sensitivity: 'MEDIUM', volume: (r) => r.int(1, 3) },
    request_avalanche_control: { tool: 'avalanche-control', sensitivity: 'CRITICAL', volume: (r) => r.int(2, 20) },
    notify_lift_staff: { tool: 'staff-messaging', sensitivity: 'LOW', volume: (r) => r.int(1, 40) },
  };
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'openai-agents',
    tz: TZ,
    kind: 'assistant',
    ops,
    procedures: [
      {
        name: 'morning_check',
        weight: (_d, h) => (h < 9 ? 6 : 0),
        steps: [
          'read_avalanche_bulletin',
          'read_weather_station',
          { steps: ['read_lift_telemetry', 'open_piste'], times: (r) => r.int(1, 6) },
          'notify_lift_staff?0.5',
        ],
      },
      {
        name: 'avalanche_control',
        weight: (d, h) => (powder(d) && h < 10 ? 5 : 0),
        steps: [
          'read_avalanche_bulletin',
          'read_weather_station',
          'close_piste',
          'request_avalanche_control',
          'notify_lift_staff',
        ],
      },
      {
        name: 'reopen',
        weight: (d, h) => (powder(d) && h >= 9 && h < 13 ? 5 : 0),
        steps: ['read_weather_station', { steps: ['read_lift_telemetry', 'open_piste'], times: (r) => r.int(1, 4) }],
      },
      {
        name: 'patrol_incident',
        weight: (d, h) => (h >= 9 && h < 17 ? 3 * guests(d) : 0),
        steps: ['log_patrol_incident', 'close_piste?0.15', 'notify_lift_staff?0.5'],
      },
      {
        name: 'wind_hold',
        weight: (_d, h) => (h >= 9 ? 1.2 : 0),
        steps: ['read_weather_station', 'read_lift_telemetry', 'close_piste?0.3'],
      },
      {
        name: 'grooming',
        weight: (_d, h) => (h >= 15 ? 8 : 0),
        steps: ['read_weather_station', 'dispatch_groomer', 'notify_lift_staff?0.3'],
      },
    ],
    rate: (d, h) => {
      if (d.dow === 3) return 0; // his day off
      const w =
        hourly([
          [6, 7, 1.5],
          [7, 9, 2.6],
          [9, 15, 1.1],
          [15, 17, 1.8],
        ])[h]! + (h === 6 && powder(d) ? 2 : 0);
      // Powder mornings: control work from first light, then the reopenings and the crowds.
      return w * (weekend(d) ? 1.3 : 1) * (powder(d) ? 1.8 : 1);
    },
    batches: (d, r) => (d.dow === 3 ? [] : [{ at: 6.5 + r.uniform(0, 0.15), procedure: 'morning_check' }]),
    people: () => [person],
    context: (d, h, r) => {
      const mobile = h >= 9 && h < 16 && r.chance(0.55);
      const version = d.index < 21 || (d.index < 25 && r.chance(0.5)) ? '2.3.1' : '2.4.0';
      return {
        sourceNetwork: mobile ? '100.72.16.0/20' : '10.44.2.0/24',
        onBehalfOf: person,
        userAgent: `patrol-copilot/${version} (${mobile ? 'iOS' : 'macOS'})`,
      };
    },
    gap: (r) => r.logNormal(25, 0.8),
    resource,
    plan: {
      newTool: {
        tool: 'explosives-inventory',
        op: 'release_charges',
        sensitivity: 'CRITICAL',
        calls: 2,
        volume: 60,
        amount: 0,
      },
      bulk: ['read_lift_telemetry', 'notify_lift_staff'],
      burst: 'read_lift_telemetry',
      oddContext: { variant: 'person', value: 'jon.casutt@alpenhorn-bergbahnen.example' },
      oddSequences: 2,
    },
  };
}

const DESK = [
  'lea.brunner@alpenhorn-bergbahnen.example',
  'marco.cavelti@alpenhorn-bergbahnen.example',
  'sina.hofmann@alpenhorn-bergbahnen.example',
  'fabio.derungs@alpenhorn-bergbahnen.example',
  'anja.mettler@alpenhorn-bergbahnen.example',
  'tim.vogt@alpenhorn-bergbahnen.example',
];
const EASTER_TEMPS: [string, number][] = [
  ['julia.santos@alpenhorn-bergbahnen.example', 30],
  ['ben.walker@alpenhorn-bergbahnen.example', 34],
];

function team(agent: string): Seat {
  const ops: Record<string, Op> = {
    lookup_guest: { tool: 'guest-crm', sensitivity: 'LOW', volume: () => 1 },
    search_bookings: { tool: 'ski-school', sensitivity: 'LOW', volume: (r) => r.int(1, 12) },
    sell_lift_ticket: {
      tool: 'ticketing',
      sensitivity: 'MEDIUM',
      volume: (r) => r.int(1, 5),
      amount: (r) => TICKET * r.int(1, 5) * r.uniform(0.8, 1.1),
    },
    issue_rental_contract: {
      tool: 'rental-pos',
      sensitivity: 'MEDIUM',
      volume: (r) => r.int(1, 6),
      amount: (r) => r.logNormal(120, 0.5),
    },
    create_ski_school_booking: {
      tool: 'ski-school',
      sensitivity: 'MEDIUM',
      volume: (r) => r.int(1, 4),
      amount: (r) => r.logNormal(340, 0.35),
    },
    modify_booking: { tool: 'ski-school', sensitivity: 'LOW', volume: () => 1 },
    process_card_payment: {
      tool: 'payments-terminal',
      sensitivity: 'HIGH',
      volume: () => 1,
      amount: (r) => r.logNormal(220, 0.7),
    },
    refund_booking: {
      tool: 'payments-terminal',
      sensitivity: 'HIGH',
      volume: () => 1,
      amount: (r) => r.logNormal(180, 0.6),
    },
    print_keycard: { tool: 'skidata', sensitivity: 'MEDIUM', volume: (r) => r.int(1, 5) },
    confirm_click_and_ski: { tool: 'click-and-ski-app', sensitivity: 'LOW', volume: (r) => r.int(1, 5) },
  };
  // Click & ski (order in the app, collect at the desk) taken up gradually from day 14.
  const app = (d: Day) => 0.8 * ramp(d, 14, 38);
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'azure-ai-foundry',
    tz: TZ,
    kind: 'team',
    ops,
    procedures: [
      {
        name: 'ticket',
        weight: (d) => 4 * (1 - app(d) / 2),
        steps: ['lookup_guest?0.3', 'sell_lift_ticket', 'process_card_payment', 'print_keycard'],
      },
      { name: 'app_pickup', weight: (d) => 4 * app(d), steps: ['confirm_click_and_ski', 'print_keycard'] },
      { name: 'rental', weight: () => 3, steps: ['lookup_guest', 'issue_rental_contract', 'process_card_payment'] },
      {
        name: 'school',
        weight: (d) => (d.index <= 6 ? 3 : 2),
        steps: ['search_bookings', 'create_ski_school_booking', 'process_card_payment?0.8'],
      },
      {
        name: 'change',
        weight: () => 1.5,
        steps: ['search_bookings', 'lookup_guest?0.4', 'modify_booking', 'refund_booking?0.2'],
      },
    ],
    rate: (d, h) =>
      hourly([
        [8, 18, 7],
        [8, 10, 14],
        [12, 13, 5],
        [17, 18, 3],
      ])[h]! * guests(d),
    people: (d) => {
      const on = [...DESK, ...EASTER_TEMPS.filter(([, from]) => d.index >= from).map(([p]) => p)];
      // Everyone works five days in seven, by turns.
      return on.filter((_, i) => (d.index + i) % 7 < 5 || weekend(d));
    },
    context: (_d, _h, _r, person) => ({
      sourceNetwork: '10.44.20.0/24',
      onBehalfOf: person!,
      userAgent: 'guest-desk/4.8.0 (Windows)',
    }),
    gap: (r) => r.logNormal(30, 0.7),
    resource,
    plan: {
      newTool: {
        tool: 'card-vault',
        op: 'export_card_tokens',
        sensitivity: 'CRITICAL',
        calls: 1,
        volume: 25_000,
        amount: 0,
      },
      bulk: ['refund_booking', 'sell_lift_ticket'],
      burst: 'search_bookings',
      drift: 'lookup_guest',
      oddContext: { variant: 'network', value: '91.132.147.0/24' },
      oddSequences: 3,
    },
  };
}

function quiet(agent: string, person: string): Seat {
  const ops: Record<string, Op> = {
    read_daily_revenue: { tool: 'finance-dwh', sensitivity: 'LOW', volume: (r) => r.int(1, 30) },
    export_revenue_report: { tool: 'finance-dwh', sensitivity: 'MEDIUM', volume: (r) => r.logNormal(1200, 0.9) },
    approve_supplier_payment: {
      tool: 'ebanking',
      sensitivity: 'CRITICAL',
      volume: () => 1,
      amount: (r) => r.logNormal(9000, 1.1),
    },
    adjust_pass_price: { tool: 'ticketing', sensitivity: 'HIGH', volume: (r) => r.int(1, 3) },
    approve_refund_exception: {
      tool: 'ticketing',
      sensitivity: 'HIGH',
      volume: () => 1,
      amount: (r) => r.uniform(80, 900),
    },
  };
  const launch = (d: Day) => (d.index >= 32 && d.index <= 35 ? 4 : 0.6);
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'azure-ai-foundry',
    tz: TZ,
    kind: 'quiet',
    ops,
    procedures: [
      {
        name: 'revenue',
        weight: (d) => (d.dow === 0 ? 5 : 3),
        steps: ['read_daily_revenue', 'export_revenue_report?0.35'],
      },
      { name: 'payables', weight: () => 1.5, steps: ['read_daily_revenue?0.3', 'approve_supplier_payment*1-3'] },
      {
        name: 'pricing',
        weight: launch,
        steps: ['read_daily_revenue', 'adjust_pass_price', 'export_revenue_report?0.3'],
      },
      { name: 'exception', weight: () => 1, steps: ['read_daily_revenue', 'approve_refund_exception'] },
    ],
    rate: (d, h) =>
      d.dow < 5
        ? hourly([
            [8, 12, 0.7],
            [13, 17, 0.5],
          ])[h]! * (d.dow === 0 && h < 12 ? 1.8 : 1)
        : 0,
    people: () => [person],
    context: (_d, _h, _r, p) => ({ sourceNetwork: '10.44.30.0/24', onBehalfOf: p!, userAgent: 'fin-assist/1.4.2' }),
    gap: (r) => r.logNormal(60, 0.8),
    resource,
    plan: {
      newTool: {
        tool: 'ebanking-admin',
        op: 'add_beneficiary',
        sensitivity: 'CRITICAL',
        calls: 2,
        volume: 1,
        amount: 0,
      },
      bulk: ['approve_supplier_payment'],
      burst: 'read_daily_revenue',
      oddContext: { variant: 'person', value: 'peter.gross@alpenhorn-bergbahnen.example' },
      oddSequences: 2,
    },
  };
}

export const SKI = {
  archetype: ARCHETYPE,
  prefix: 'skiresort',
  seat(role: number, agent: string, copy: number): Seat {
    const tag = copy ? `+${copy}` : '';
    if (role === 0) return bot(agent);
    if (role === 1) return assistant(agent, `reto.caduff${tag}@${DOMAIN}`);
    if (role === 2) return team(agent);
    return quiet(agent, `corinne.buehler${tag}@${DOMAIN}`);
  },
};
