/**
 * The nonprofit_fundraising desk of the eighth trace family: a London children's charity (gifts in GBP). The year-end
 * giving peak — the financial year closes on 31 March (days 21–28), the tax year on 5 April (days 29–33, Gift Aid
 * claims) — brings daily appeals to bigger audiences, gift batches and temporary staff.
 */
import type { Desk, Mood } from './eighth-model.js';

const WEEKDAYS = [1, 1, 1, 1, 1, 0, 0] as const;

function mood(day: number): Mood {
  if (day >= 21 && day <= 28)
    return {
      load: 1.8,
      jobs: 2.5,
      boost: { gift_batch: 2.5, donor_care: 1.3 },
      scale: { send_campaign: 2, build_audience: 2, batch_post_gifts: 1.5 },
    };
  if (day >= 29 && day <= 33) return { load: 1.4, boost: { gift_aid: 3, gift_batch: 1.5 } };
  return { load: 1 };
}

export const FUNDRAISING: Desk = {
  archetype: 'nonprofit_fundraising',
  prefix: 'fund',
  domain: 'riverside-trust.example',
  tools: {
    crm: 'https://crm.riverside-trust.example/services/data/v62.0/',
    mailer: 'https://mail.riverside-trust.example/api/3.0/',
    gifts: 'https://gifts.riverside-trust.example/api/v1/',
    receipts: 'https://receipts.riverside-trust.example/api/v1/',
    'address-verify': 'https://api.addressverify.example/v2/uk/',
  },
  ops: {
    search_donors: { tool: 'crm', sens: 'LOW', vol: [10, 0.5] },
    get_donor_profile: { tool: 'crm', sens: 'MEDIUM', vol: [1, 0.1] },
    update_donor: { tool: 'crm', sens: 'MEDIUM', vol: [1, 0.2] },
    merge_duplicates: { tool: 'crm', sens: 'HIGH', vol: [2, 0.4] },
    export_segment: { tool: 'crm', sens: 'HIGH', vol: [2500, 0.5] },
    build_audience: { tool: 'mailer', sens: 'MEDIUM', vol: [4000, 0.5] },
    send_campaign: { tool: 'mailer', sens: 'HIGH', vol: [4000, 0.5] },
    get_campaign_stats: { tool: 'mailer', sens: 'LOW', vol: [1, 0] },
    enter_gift: { tool: 'gifts', sens: 'MEDIUM', vol: [1, 0.1], amt: [45, 0.9] },
    batch_post_gifts: { tool: 'gifts', sens: 'HIGH', vol: [40, 0.4], amt: [2200, 0.5] },
    refund_gift: { tool: 'gifts', sens: 'HIGH', vol: [1, 0.1], amt: [40, 0.8] },
    generate_receipt: { tool: 'receipts', sens: 'LOW', vol: [1, 0.1] },
    submit_gift_aid_claim: { tool: 'receipts', sens: 'HIGH', vol: [300, 0.4], amt: [3800, 0.4] },
    verify_address: { tool: 'address-verify', sens: 'LOW', vol: [1, 0.2] },
  },
  procs: {
    donor_care: [
      { op: 'search_donors' },
      { op: 'get_donor_profile' },
      {
        pick: [
          [4, [{ op: 'update_donor' }]],
          [3, [{ op: 'enter_gift' }, { op: 'generate_receipt' }]],
          [1, [{ op: 'refund_gift' }]],
          [2, []],
        ],
      },
    ],
    gift_batch: [
      {
        loop: [{ op: 'enter_gift' }, { op: 'verify_address', gate: 'paf', p: 0.5 }, { op: 'generate_receipt', p: 0.8 }],
        times: [3, 12],
      },
      { op: 'batch_post_gifts' },
    ],
    campaign_send: [
      { op: 'build_audience' },
      { op: 'get_campaign_stats', p: 0.3 },
      { op: 'send_campaign', wait: [60, 600] },
    ],
    stats_poll: [{ op: 'get_campaign_stats' }],
    data_hygiene: [
      {
        loop: [{ op: 'search_donors' }, { op: 'verify_address', gate: 'paf', p: 0.6 }, { op: 'merge_duplicates' }],
        times: [1, 3],
      },
      { op: 'update_donor', p: 0.5 },
    ],
    gift_aid: [{ op: 'export_segment' }, { op: 'submit_gift_aid_claim' }],
  },
  foreign: [
    ['finance-ledger', 'post_journal', 'CRITICAL'],
    ['hr-payroll', 'export_payroll', 'CRITICAL'],
    ['safeguarding', 'read_case_file', 'CRITICAL'],
    ['grants-portal', 'submit_grant_claim', 'HIGH'],
  ],
  mood,
  seats: [
    {
      role: 'supporter-care assistant for four fundraisers, interleaved, weekdays; two temps join for year-end',
      platform: 'salesforce-agentforce',
      zone: 'Europe/London',
      hours: [8.5, 17.5],
      week: WEEKDAYS,
      sessions: 35,
      procs: [
        [8, 'donor_care'],
        [1, 'data_hygiene'],
      ],
      people: 4,
      pace: [15, 120],
      network: '192.168.20.0/24',
      client: 'agentforce-console/61.0',
      joiners: [22, 23],
      drift: 'search_donors',
    },
    {
      role: 'appeal sender naming nobody: sends on Tuesdays and Thursdays (daily at year-end), stats every 2 hours',
      platform: 'openai-agents',
      zone: 'Europe/London',
      hours: [8, 20],
      week: WEEKDAYS,
      sessions: 0,
      procs: [],
      people: 0,
      pace: [3, 20],
      jobs: [
        { proc: 'campaign_send', every: 1440, hours: [10, 11], week: [0.3, 1, 0.3, 1, 0.3, 0, 0] },
        { proc: 'stats_poll', every: 120, hours: [8, 20], week: WEEKDAYS },
      ],
      network: '10.60.4.0/24',
      client: 'appeal-sender/2.4.0',
      upgrade: { day: 15, client: 'appeal-sender/2.5.0' },
    },
    {
      role: 'gift-processing assistant, one person, weekdays 09:00–16:00; the team moves office',
      platform: 'copilot-studio',
      zone: 'Europe/London',
      hours: [9, 16],
      week: WEEKDAYS,
      sessions: 8,
      procs: [
        [4, 'gift_batch'],
        [3, 'donor_care'],
      ],
      people: 1,
      pace: [15, 90],
      network: '192.168.31.0/24',
      moves: { day: 21, network: '192.168.44.0/24' },
      client: 'giftdesk/3.1.2',
      drift: 'search_donors',
    },
    {
      role: 'quiet data and Gift Aid assistant, mostly Mondays and Thursdays; adopts address verification',
      platform: 'bedrock',
      zone: 'Europe/London',
      hours: [9, 17],
      week: [1, 0.4, 0.4, 1, 0.4, 0, 0],
      sessions: 4,
      procs: [
        [5, 'data_hygiene'],
        [1, 'gift_aid'],
      ],
      people: 1,
      pace: [30, 240],
      network: '192.168.20.0/24',
      client: 'datahub-assistant/1.3.0',
      adopts: { paf: { from: 11, ramp: 10 } },
    },
  ],
};
