/**
 * The hotel_revenue desk of the eighth trace family: a Melbourne hotel group's revenue and reservations work
 * (prices in AUD). Event weekends — the Grand Prix (days 10–13) and a convention weekend (days 31–34) — bring a
 * pricing lead-up, guests walked on oversold nights and refunds the day after.
 */
import type { Desk, Mood } from './eighth-model.js';

const ALL_WEEK = [1, 1, 1, 1, 1, 1, 1] as const;

function mood(day: number): Mood {
  const event = (day >= 10 && day <= 13) || (day >= 31 && day <= 34);
  const lead = (day >= 6 && day <= 9) || (day >= 27 && day <= 30);
  if (event)
    return {
      load: 1.7,
      jobs: 2,
      boost: { walk_night: 9, guest_issue: 1.5, overbooking_review: 2 },
      scale: { apply_rate_change: 1.4, push_rates: 1.3 },
    };
  if (lead) return { load: 1.35, jobs: 1.5, boost: { morning_pricing: 1.6, group_desk: 1.8, overbooking_review: 2 } };
  if (day === 14 || day === 35) return { load: 1.5, boost: { guest_issue: 2.5, payout_recon: 2 } };
  return { load: 1 };
}

export const HOTEL: Desk = {
  archetype: 'hotel_revenue',
  prefix: 'hotel',
  domain: 'harbourlight-hotels.example',
  tools: {
    rms: 'https://rms.harbourlight-hotels.example/api/v2/',
    'rate-shopper': 'https://api.rateshopper.example/v1/properties/hlmel/',
    pms: 'https://pms.harbourlight-hotels.example/opera/v1/',
    'channel-manager': 'https://channels.harbourlight-hotels.example/api/',
    'group-sales': 'https://groups.harbourlight-hotels.example/api/v3/',
    payments: 'https://payments.harbourlight-hotels.example/v1/merchant/hlmel/',
  },
  ops: {
    get_pickup_report: { tool: 'rms', sens: 'LOW', vol: [60, 0.3] },
    get_demand_forecast: { tool: 'rms', sens: 'LOW', vol: [35, 0.25] },
    apply_rate_change: { tool: 'rms', sens: 'HIGH', vol: [12, 0.5] },
    set_overbooking_limit: { tool: 'rms', sens: 'HIGH', vol: [4, 0.4] },
    fetch_competitor_rates: { tool: 'rate-shopper', sens: 'LOW', vol: [25, 0.3] },
    search_reservations: { tool: 'pms', sens: 'LOW', vol: [18, 0.6] },
    read_folio: { tool: 'pms', sens: 'MEDIUM', vol: [1, 0.15] },
    modify_reservation: { tool: 'pms', sens: 'MEDIUM', vol: [1, 0.2] },
    cancel_reservation: { tool: 'pms', sens: 'MEDIUM', vol: [1, 0.3] },
    walk_guest: { tool: 'pms', sens: 'HIGH', vol: [1, 0.1], amt: [220, 0.3] },
    push_rates: { tool: 'channel-manager', sens: 'MEDIUM', vol: [40, 0.4] },
    sync_inventory: { tool: 'channel-manager', sens: 'LOW', vol: [120, 0.3] },
    close_out_dates: { tool: 'channel-manager', sens: 'MEDIUM', vol: [6, 0.5] },
    create_group_block: { tool: 'group-sales', sens: 'MEDIUM', vol: [25, 0.5] },
    update_rooming_list: { tool: 'group-sales', sens: 'MEDIUM', vol: [22, 0.5] },
    release_block: { tool: 'group-sales', sens: 'HIGH', vol: [10, 0.6] },
    issue_refund: { tool: 'payments', sens: 'HIGH', vol: [1, 0.1], amt: [260, 0.7] },
    get_payout_report: { tool: 'payments', sens: 'LOW', vol: [55, 0.3] },
  },
  procs: {
    morning_pricing: [
      { op: 'get_pickup_report' },
      { op: 'get_demand_forecast' },
      { op: 'fetch_competitor_rates', gate: 'shopper', p: 0.85 },
      { loop: [{ op: 'apply_rate_change', retry: 0.05 }, { op: 'push_rates' }], times: [1, 4] },
      { op: 'sync_inventory', p: 0.5 },
    ],
    overbooking_review: [
      { op: 'get_demand_forecast' },
      { op: 'set_overbooking_limit' },
      { op: 'close_out_dates', p: 0.35 },
      { op: 'push_rates', p: 0.6 },
    ],
    group_desk: [
      { op: 'search_reservations' },
      {
        pick: [
          [3, [{ op: 'create_group_block' }, { op: 'update_rooming_list', p: 0.6 }]],
          [4, [{ op: 'update_rooming_list' }]],
          [1, [{ op: 'release_block' }, { op: 'sync_inventory' }]],
        ],
      },
    ],
    guest_issue: [
      { op: 'search_reservations' },
      { op: 'read_folio' },
      {
        pick: [
          [4, [{ op: 'modify_reservation' }]],
          [3, [{ op: 'cancel_reservation' }, { op: 'issue_refund', p: 0.7 }]],
          [2, [{ op: 'issue_refund' }]],
        ],
      },
    ],
    walk_night: [{ op: 'search_reservations' }, { op: 'walk_guest' }, { op: 'modify_reservation' }],
    payout_recon: [
      { op: 'get_payout_report' },
      { loop: [{ op: 'read_folio' }], times: [1, 3] },
      { op: 'issue_refund', p: 0.2 },
    ],
    price_run: [
      { op: 'get_pickup_report' },
      { op: 'get_demand_forecast' },
      { pick: [[1, [{ op: 'apply_rate_change' }, { op: 'push_rates' }]]], p: 0.35 },
      { op: 'sync_inventory', p: 0.3 },
    ],
  },
  foreign: [
    ['payroll', 'export_payroll', 'CRITICAL'],
    ['loyalty', 'adjust_points_balance', 'HIGH'],
    ['guest-vault', 'export_guest_profiles', 'CRITICAL'],
    ['iam', 'grant_admin_role', 'CRITICAL'],
  ],
  mood,
  seats: [
    {
      role: "revenue manager's assistant, one person, weekdays and some Saturdays; adopts a rate shopper",
      platform: 'azure-openai',
      zone: 'Australia/Melbourne',
      hours: [7.5, 18],
      week: [1, 1, 1, 1, 1, 0.3, 0],
      sessions: 9,
      procs: [
        [5, 'morning_pricing'],
        [2, 'overbooking_review'],
        [1, 'group_desk'],
      ],
      people: 1,
      pace: [20, 150],
      network: '10.40.12.0/24',
      client: 'revpilot-desktop/3.4.1',
      adopts: { shopper: { from: 14, ramp: 10 } },
      drift: 'get_pickup_report',
    },
    {
      role: 'pricing bot naming nobody, a run every 30 minutes from 06:00 to 23:00 (every 15 on event days)',
      platform: 'vertex-ai',
      zone: 'Australia/Melbourne',
      hours: [6, 23],
      week: ALL_WEEK,
      sessions: 0,
      procs: [],
      people: 0,
      pace: [1, 5],
      jobs: [{ proc: 'price_run', every: 30, hours: [6, 23], week: ALL_WEEK }],
      network: '10.40.200.0/24',
      client: 'rm-pricer/4.2.0',
      upgrade: { day: 20, client: 'rm-pricer/4.3.0' },
    },
    {
      role: 'front-office assistant for a team of four, interleaved, every day 06:00–23:00; a colleague joins',
      platform: 'copilot-studio',
      zone: 'Australia/Melbourne',
      hours: [6, 23],
      week: [1, 1, 1, 1, 1, 0.9, 0.9],
      sessions: 30,
      procs: [
        [6, 'guest_issue'],
        [2, 'group_desk'],
        [0.2, 'walk_night'],
        [1, 'payout_recon'],
      ],
      people: 4,
      pace: [15, 120],
      network: '10.40.31.0/24',
      client: 'frontdesk-copilot/2.8.0',
      joiners: [22],
      drift: 'search_reservations',
    },
    {
      role: 'quiet group-sales assistant, one person, weekdays 09:00–17:00; the sales office moves',
      platform: 'bedrock',
      zone: 'Australia/Melbourne',
      hours: [9, 17],
      week: [1, 1, 1, 1, 1, 0, 0],
      sessions: 4,
      procs: [
        [5, 'group_desk'],
        [1, 'overbooking_review'],
      ],
      people: 1,
      pace: [30, 240],
      network: '10.40.55.0/24',
      moves: { day: 24, network: '10.41.8.0/24' },
      client: 'groups-assistant/1.6.2',
    },
  ],
};
