/**
 * The eleventh family's `energy_trading` archetype: a Texas power utility's trading desk (US Central time). Position
 * and curve reads, day-ahead market bids before the 10:00 gate closure, intraday trades with a credit check and a
 * booking, nominations once the awards are out, settlement statements reconciled and approved or disputed.
 * Peaks: the day-ahead gate every morning, the monthly congestion-rights auction deadlines and an early-April heat
 * wave. Seats: a market bot acting for nobody (polls, awards-to-nomination, end-of-day export), an assistant serving
 * one trader, the desk's shared seat and a quiet settlements seat. Slow change: a weather feed adopted gradually,
 * client upgrades, an analyst joining, the bot moving data centres.
 */
import { hoursOf, type Archetype, type Flavour, type Procedure, type Role, type Seat } from './eleventh-model.js';
import type { Stream } from './eleventh-rng.js';

const DOMAIN = 'gulfcoast-power.example';
const HEAT_WAVE = [30, 31, 32, 33, 34];
const AUCTION_DEADLINES = [10, 38];

const catalog: Archetype['catalog'] = {
  read_position: { tool: 'etrm', sens: 'LOW', vol: 40 },
  read_forward_curve: { tool: 'market-data', sens: 'LOW', vol: 180 },
  read_load_forecast: { tool: 'market-data', sens: 'LOW', vol: 96 },
  read_weather: { tool: 'weather-feed', sens: 'LOW', vol: 48 },
  check_credit_limit: { tool: 'credit', sens: 'MEDIUM', vol: 1, spread: 0.2 },
  draft_bid_curve: { tool: 'dam-portal', sens: 'MEDIUM', vol: 24, spread: 0.3 },
  submit_dam_bid: { tool: 'dam-portal', sens: 'HIGH', vol: 24, spread: 0.3, amount: 150_000 },
  cancel_bid: { tool: 'dam-portal', sens: 'MEDIUM', vol: 1, spread: 0.2 },
  read_dam_awards: { tool: 'dam-portal', sens: 'LOW', vol: 24, spread: 0.2 },
  execute_intraday_trade: { tool: 'intraday', sens: 'HIGH', vol: 25, amount: 9_000 },
  book_trade: { tool: 'etrm', sens: 'MEDIUM', vol: 1, spread: 0.2 },
  submit_nomination: { tool: 'scheduling', sens: 'HIGH', vol: 96, spread: 0.2 },
  confirm_schedule: { tool: 'scheduling', sens: 'MEDIUM', vol: 96, spread: 0.2 },
  read_settlement_statement: { tool: 'settlements', sens: 'LOW', vol: 300 },
  reconcile_settlement: { tool: 'settlements', sens: 'MEDIUM', vol: 300 },
  approve_settlement: { tool: 'settlements', sens: 'HIGH', vol: 1, spread: 0.2, amount: 220_000 },
  dispute_settlement: { tool: 'settlements', sens: 'MEDIUM', vol: 3 },
  run_var_report: { tool: 'risk-engine', sens: 'LOW', vol: 1, spread: 0.2 },
  export_positions: { tool: 'etrm', sens: 'MEDIUM', vol: 600, spread: 0.25 },
};

const procedures: Record<string, Procedure> = {
  poll: { steps: ['read_forward_curve', 'read_position'], gap: 3 },
  awards: { steps: ['read_dam_awards', 'read_position', 'submit_nomination', 'confirm_schedule'], gap: 15 },
  eod: { steps: ['run_var_report', 'export_positions'], gap: 40 },
  settle_batch: { steps: ['read_settlement_statement', 'reconcile_settlement'], gap: 20 },
  morning_prep: { steps: ['read_weather', 'read_load_forecast', 'read_forward_curve', 'read_position'], gap: 30 },
  dam_bidding: {
    steps: [
      'read_load_forecast',
      'read_position',
      'check_credit_limit',
      { repeat: ['draft_bid_curve'], n: [1, 3] },
      'submit_dam_bid',
      { maybe: ['cancel_bid', 'draft_bid_curve', 'submit_dam_bid'], p: 0.12 },
    ],
    gap: 80,
  },
  intraday: {
    steps: [
      'read_forward_curve',
      { repeat: ['read_position', 'check_credit_limit', 'execute_intraday_trade', 'book_trade'], n: [1, 3] },
    ],
    gap: 40,
  },
  nomination_fix: { steps: ['read_dam_awards', 'read_position', 'submit_nomination', 'confirm_schedule'], gap: 60 },
  settlement_review: {
    steps: [
      'read_settlement_statement',
      'reconcile_settlement',
      {
        any: [
          [0.85, ['approve_settlement']],
          [0.15, ['dispute_settlement']],
        ],
      },
    ],
    gap: 110,
  },
};

/** Procedure weights for a trader: bidding before the gate, trading after, more trading in the heat. */
function traderMix(day: number, hour: number): Array<[string, number]> {
  const heat = HEAT_WAVE.includes(day) ? 3 : 1;
  const auction = AUCTION_DEADLINES.includes(day) ? 2 : 1;
  if (hour < 10)
    return [
      ['dam_bidding', 0.45 * auction],
      ['morning_prep', 0.25],
      ['intraday', 0.3 * heat],
    ];
  return [
    ['intraday', 0.55 * heat],
    ['settlement_review', 0.15],
    ['nomination_fix', 0.1],
    ['morning_prep', 0.2],
  ];
}

const busy = (day: number) => (HEAT_WAVE.includes(day) ? 1.8 : AUCTION_DEADLINES.includes(day) ? 1.4 : 1);

function seat(role: Role, index: number, agent: string, rng: Stream): Seat {
  const k = index + 1;
  const base = {
    agent,
    archetype: 'energy_trading',
    zone: 'us-central' as const,
    scale: rng.uniform(0.8, 1.25),
    money: rng.uniform(0.7, 1.4),
  };
  if (role === 'bot')
    return {
      ...base,
      role,
      platform: 'azure-openai',
      hours: hoursOf([7, 18, 1]),
      sessions: 2,
      weekend: 0.5,
      busy: (day) => (HEAT_WAVE.includes(day) ? 6 : 1),
      mix: () => [['poll', 1]],
      people: [],
      networks: [
        { cidr: `10.40.${8 + index}.0/24`, to: 25 },
        { cidr: `10.41.${8 + index}.0/24`, from: 26 },
      ],
      clients: [{ ua: 'gridbot/4.2.1' }, { ua: 'gridbot/4.3.0', from: 19, ramp: 2 }],
      jobs: [
        { proc: 'poll', every: 10, from: 6, to: 20, on: 'weekdays' },
        { proc: 'poll', every: 30, from: 6, to: 20, on: 'weekends' },
        { proc: 'settle_batch', at: [7.25], on: 'weekdays' },
        { proc: 'awards', at: [13.75] },
        { proc: 'eod', at: [18.5] },
      ],
    };
  if (role === 'assistant')
    return {
      ...base,
      role,
      platform: 'openai',
      hours: hoursOf([6, 7, 1], [7, 10, 4], [10, 16, 2], [16, 19, 1], [19, 22, 0.2]),
      sessions: 14,
      weekend: 0.25,
      busy,
      mix: traderMix,
      people: [{ email: k === 1 ? `dana.whitfield@${DOMAIN}` : `trader${k}.desk@${DOMAIN}` }],
      networks: [{ cidr: `10.40.20.0/24` }, { cidr: '10.44.0.0/16', remote: true }],
      clients: [{ ua: 'trade-assist/3.1.4' }, { ua: 'trade-assist/3.2.0', from: 20, ramp: 6 }],
      adopt: { 'weather-feed': { from: 12, ramp: 10 } },
    };
  if (role === 'team')
    return {
      ...base,
      role,
      platform: 'bedrock',
      hours: hoursOf([6, 7, 1], [7, 10, 5], [10, 17, 2.5], [17, 19, 0.8]),
      sessions: 30,
      weekend: 0.3,
      busy,
      mix: traderMix,
      people: [
        { email: `marcus.oyelaran${k > 1 ? k : ''}@${DOMAIN}`, weight: 1.2 },
        { email: `jenna.kowalczyk${k > 1 ? k : ''}@${DOMAIN}` },
        { email: `raul.benavides${k > 1 ? k : ''}@${DOMAIN}`, hours: hoursOf([6, 15, 1]) },
        { email: `amy.tran${k > 1 ? k : ''}@${DOMAIN}`, from: 20, weight: 0.7 },
      ],
      networks: [{ cidr: '10.40.21.0/24' }, { cidr: '10.44.0.0/16', remote: true }],
      clients: [{ ua: 'desk-seat/7.0' }, { ua: 'desk-seat/7.1', from: 16, ramp: 10 }],
      adopt: { 'weather-feed': { from: 8, ramp: 6 } },
    };
  return {
    ...base,
    role,
    platform: 'vertex-ai',
    hours: hoursOf([8, 12, 2], [13, 17, 1]),
    sessions: 3,
    weekend: 0,
    busy: (day) => ([1, 2, 29, 30].includes(day) ? 2.5 : 1),
    mix: () => [
      ['settlement_review', 0.7],
      ['nomination_fix', 0.3],
    ],
    people: [{ email: `li.huang${k > 1 ? k : ''}@${DOMAIN}` }],
    networks: [{ cidr: '10.40.30.0/24' }],
    clients: [{ ua: 'backoffice-agent/1.8' }],
  };
}

/** What a compromised or misused trading agent would do here. */
const incidents: Flavour = {
  bulk: ['export_positions', 'execute_intraday_trade', 'submit_dam_bid', 'read_position', 'reconcile_settlement'],
  burst: ['read_position', 'read_forward_curve', 'check_credit_limit', 'read_settlement_statement'],
  oddPairs: [
    ['read_forward_curve', 'submit_nomination'],
    ['read_position', 'execute_intraday_trade'],
    ['read_dam_awards', 'approve_settlement'],
    ['read_position', 'submit_dam_bid'],
    ['read_settlement_statement', 'approve_settlement'],
    ['read_forward_curve', 'book_trade'],
    ['read_load_forecast', 'confirm_schedule'],
    ['read_position', 'export_positions'],
    ['read_dam_awards', 'check_credit_limit'],
  ],
  foreignTools: [
    { tool: 'treasury-payments', op: 'initiate_wire', sens: 'CRITICAL', vol: 1, amount: 480_000 },
    { tool: 'scada-ems', op: 'override_generation_setpoint', sens: 'CRITICAL', vol: 1 },
    { tool: 'iso-registration', op: 'change_qse_contact', sens: 'HIGH', vol: 1 },
    { tool: 'identity-admin', op: 'grant_trading_role', sens: 'HIGH', vol: 1 },
  ],
  drift: ['read_forward_curve', 'read_position', 'read_load_forecast', 'read_settlement_statement'],
  context: ['read_position', 'export_positions', 'read_settlement_statement', 'check_credit_limit'],
};

export const ENERGY: Archetype = {
  name: 'energy_trading',
  prefix: 'trading',
  domain: DOMAIN,
  catalog,
  procedures,
  seat,
  incidents,
};
