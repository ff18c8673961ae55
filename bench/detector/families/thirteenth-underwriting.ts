/**
 * Archetype `insurance_underwriting`: a London commercial underwriting team with an operations hub in Kraków (both
 * move their clocks on 30 March). Submissions, risk scores, quotes, referrals, bound policies with premiums as
 * amounts, endorsements and cancellations; peaks at the March month- and quarter-end (days 24, 25 and 28) and in the
 * run-up to the 1 April renewal season (days 14–28). Seats: the SME e-trading bot (intake, auto-quote and auto-bind
 * within its authority; adopts the catastrophe model from day 16), a senior underwriter's assistant (works from home
 * over a VPN from day 8; client upgrade around day 30), the London/Kraków team seat (a graduate joins on day 21) and
 * the quiet cancellations-and-compliance seat.
 */
import { hours, type Procedure, type SeatSpec, stepsOf, zone } from './thirteenth-model.js';

const CLOCK_CHANGE = Date.parse('2025-03-30T01:00:00Z');
const LONDON = zone(0, 60, CLOCK_CHANGE);
const KRAKOW = zone(60, 120, CLOCK_CHANGE);
const DOMAIN = 'marlow-specialty.example.com';
/** The last working days of March and of the quarter (Thursday 27, Friday 28 and Monday 31). */
const monthEnd = (day: number) => [24, 25, 28].includes(day);
const renewal = (day: number) => (day >= 14 && day <= 28 ? 1 + (0.7 * (day - 13)) / 15 : 1);
const season = (day: number) => renewal(day) * (monthEnd(day) ? 1.4 : 1);

const step = stepsOf({
  read_submission: { tool: 'submissions', s: 'LOW', vol: 6 },
  clear_submission: { tool: 'submissions', s: 'MEDIUM' },
  decline_submission: { tool: 'submissions', s: 'MEDIUM' },
  read_loss_runs: { tool: 'risk-engine', s: 'LOW', vol: 10 },
  score_risk: { tool: 'risk-engine', s: 'MEDIUM' },
  create_quote: { tool: 'rating', s: 'MEDIUM', amt: 24_000, amtSpread: 0.7 },
  revise_quote: { tool: 'rating', s: 'MEDIUM', amt: 24_000, amtSpread: 0.7 },
  refer_to_senior: { tool: 'referrals', s: 'MEDIUM' },
  approve_referral: { tool: 'referrals', s: 'HIGH' },
  read_policy: { tool: 'policy-admin', s: 'LOW' },
  bind_policy: { tool: 'policy-admin', s: 'HIGH', amt: 25_000, amtSpread: 0.7 },
  issue_endorsement: { tool: 'policy-admin', s: 'MEDIUM', amt: 800, amtSpread: 0.8 },
  cancel_policy: { tool: 'policy-admin', s: 'HIGH', amt: 6_000, amtSpread: 0.8 },
  read_broker_message: { tool: 'broker-portal', s: 'LOW' },
  send_quote_letter: { tool: 'broker-portal', s: 'LOW' },
  run_cat_model: { tool: 'cat-model', s: 'LOW', vol: 40, spread: 0.6 },
});

const NEW_TOOLS = [
  { tool: 'claims-payments', op: 'issue_claim_payment', s: 'CRITICAL' as const },
  { tool: 'broker-commissions', op: 'change_commission_rate', s: 'HIGH' as const },
  { tool: 'reinsurance-ledger', op: 'release_ceded_premium', s: 'HIGH' as const },
  { tool: 'policy-admin-console', op: 'backdate_policy_inception', s: 'CRITICAL' as const },
];

const binding = (weight: number, steps: Procedure['steps']): Procedure => ({
  name: 'bind',
  weight,
  steps,
  when: (day) => (monthEnd(day) ? 2.5 : 1) * renewal(day),
});

const officeHours = hours([
  [8, 9, 1],
  [9, 13, 2.5],
  [13, 14, 1.4],
  [14, 18, 2.2],
  [18, 20, 0.4],
]);

function bot(agent: string, k: number): SeatSpec {
  return {
    agent,
    archetype: 'insurance_underwriting',
    platform: 'vertex-ai',
    role: 'bot',
    zone: LONDON,
    hours: hours([
      [7, 19, 3],
      [19, 23, 1],
      [23, 7, 0.25],
    ]),
    week: [1.1, 1, 1, 1, 0.95, 0.25, 0.2],
    perDay: 42,
    dayFactor: season,
    gap: [1, 12],
    procedures: [
      {
        name: 'intake',
        weight: 4,
        steps: [
          step('read_submission'),
          step('clear_submission'),
          step('read_loss_runs', { p: 0.7 }),
          step('score_risk'),
        ],
      },
      {
        name: 'auto_quote',
        weight: 3,
        steps: [step('score_risk'), step('create_quote', { amt: 1_800 }), step('send_quote_letter')],
      },
      binding(1.5, [step('read_broker_message'), step('bind_policy', { amt: 1_900 }), step('send_quote_letter')]),
      { name: 'decline', weight: 1, steps: [step('read_submission'), step('decline_submission')] },
      { name: 'cat', weight: 2, steps: [step('run_cat_model'), step('score_risk')], from: 16, ramp: 8 },
    ],
    actors: [{ weight: 1 }],
    networks: [{ cidr: `10.50.${1 + 10 * k}.0/24` }],
    clients: [
      { ua: 'uw-etrade-bot/5.2.0', to: 23 },
      { ua: 'uw-etrade-bot/5.3.0', from: 22 },
    ],
    domain: DOMAIN,
    hints: {
      odd: [
        ['read_submission', 'bind_policy'],
        ['clear_submission', 'bind_policy'],
        ['read_broker_message', 'decline_submission'],
        ['run_cat_model', 'create_quote'],
        ['read_loss_runs', 'create_quote'],
      ],
      bulk: ['bind_policy', 'create_quote', 'read_loss_runs'],
      burst: ['read_submission', 'score_risk'],
      newTools: NEW_TOOLS,
      drift: 'read_loss_runs',
      context: 'client',
      stranger: 'broker.desk@marlow-specialty.example.com',
      publicNetwork: '198.51.100.0/24',
      script: 'curl/8.5.0',
    },
  };
}

function assistant(agent: string, k: number): SeatSpec {
  return {
    agent,
    archetype: 'insurance_underwriting',
    platform: 'anthropic',
    role: 'assistant',
    zone: LONDON,
    hours: officeHours,
    week: [1, 1, 1, 1, 0.85, 0.05, 0.03],
    perDay: 16,
    dayFactor: season,
    gap: [20, 200],
    procedures: [
      {
        name: 'referral_review',
        weight: 3,
        steps: [
          step('read_submission'),
          step('read_loss_runs', { p: 0.5 }),
          step('score_risk', { p: 0.4 }),
          step('approve_referral'),
        ],
      },
      binding(2, [
        step('read_broker_message'),
        step('revise_quote', { p: 0.5 }),
        step('bind_policy'),
        step('send_quote_letter'),
      ]),
      {
        name: 'endorse',
        weight: 2,
        steps: [step('read_policy'), step('issue_endorsement'), step('send_quote_letter', { p: 0.7 })],
      },
      { name: 'quote', weight: 2, steps: [step('read_submission'), step('create_quote'), step('send_quote_letter')] },
      { name: 'cancel', weight: 0.3, steps: [step('read_policy'), step('cancel_policy')] },
    ],
    actors: [{ person: `harriet.cole${k || ''}@${DOMAIN}`, weight: 1 }],
    networks: [
      { cidr: `10.50.${2 + 10 * k}.0/24`, weight: 3 },
      { cidr: `10.50.${90 + k}.0/24`, from: 8, weight: 1 },
    ],
    clients: [
      { ua: 'uw-copilot/2.0.3', to: 31 },
      { ua: 'uw-copilot/2.1.0', from: 29 },
    ],
    domain: DOMAIN,
    hints: {
      odd: [
        ['read_submission', 'bind_policy'],
        ['read_policy', 'approve_referral'],
        ['read_broker_message', 'issue_endorsement'],
        ['read_policy', 'create_quote'],
      ],
      bulk: ['bind_policy', 'issue_endorsement', 'read_submission'],
      burst: ['read_submission', 'read_policy'],
      newTools: NEW_TOOLS,
      context: 'person',
      stranger: 'j.fairbrother@marlow-specialty.example.com',
      publicNetwork: '203.0.113.0/24',
      script: 'python-requests/2.32.3',
    },
  };
}

function team(agent: string, k: number): SeatSpec {
  const person = (name: string) => `${name}${k || ''}@${DOMAIN}`;
  const hub = ['new_business', 'renewal', 'endorse', 'cat'];
  const krakowHours = hours([
    [7, 8, 0.6],
    [8, 12, 2.5],
    [12, 16, 2],
    [16, 17, 0.5],
  ]);
  const krakowNet = [{ cidr: `10.52.${3 + 10 * k}.0/24` }];
  return {
    agent,
    archetype: 'insurance_underwriting',
    platform: 'bedrock',
    role: 'team',
    zone: LONDON,
    hours: officeHours,
    week: [1.05, 1, 1, 1, 0.9, 0.03, 0.02],
    perDay: 11,
    dayFactor: season,
    gap: [10, 120],
    procedures: [
      {
        name: 'new_business',
        weight: 4,
        steps: [
          step('read_submission'),
          step('clear_submission'),
          step('read_loss_runs'),
          step('score_risk'),
          step('refer_to_senior', { p: 0.35 }),
          step('create_quote'),
          step('send_quote_letter'),
        ],
      },
      {
        name: 'renewal',
        weight: 2,
        steps: [
          step('read_policy'),
          step('read_loss_runs'),
          step('score_risk'),
          step('revise_quote'),
          step('send_quote_letter'),
        ],
        when: (day) => renewal(day) ** 2,
      },
      binding(1.5, [step('read_broker_message'), step('bind_policy'), step('send_quote_letter')]),
      {
        name: 'endorse',
        weight: 2,
        steps: [step('read_broker_message'), step('read_policy'), step('issue_endorsement')],
      },
      {
        name: 'cat',
        weight: 2,
        steps: [step('read_submission'), step('run_cat_model'), step('score_risk')],
        from: 18,
        ramp: 10,
      },
    ],
    actors: [
      { person: person('tom.ashby'), weight: 1.2 },
      { person: person('fiona.mcrae'), weight: 1 },
      { person: person('raj.menon'), weight: 1 },
      { person: person('lucy.hartley'), weight: 0.8 },
      {
        person: person('marta.zielinska'),
        weight: 1,
        zone: KRAKOW,
        hours: krakowHours,
        networks: krakowNet,
        procedures: hub,
      },
      {
        person: person('piotr.wozniak'),
        weight: 1,
        zone: KRAKOW,
        hours: krakowHours,
        networks: krakowNet,
        procedures: hub,
      },
      {
        person: person('ola.nowak'),
        weight: 0.7,
        zone: KRAKOW,
        hours: krakowHours,
        networks: krakowNet,
        procedures: hub,
        joinDay: 21,
      },
    ],
    networks: [{ cidr: `10.50.${3 + 10 * k}.0/24` }],
    clients: [{ ua: 'uw-workbench/7.4.2' }],
    domain: DOMAIN,
    hints: {
      odd: [
        ['read_submission', 'bind_policy'],
        ['clear_submission', 'bind_policy'],
        ['read_submission', 'create_quote'],
        ['read_broker_message', 'revise_quote'],
      ],
      bulk: ['bind_policy', 'create_quote', 'read_loss_runs', 'issue_endorsement'],
      burst: ['read_submission', 'read_policy'],
      newTools: NEW_TOOLS,
      drift: 'read_submission',
      context: 'network',
      stranger: 'intern.temp@marlow-specialty.example.com',
      publicNetwork: '91.219.236.0/24',
      script: 'curl/8.4.0',
    },
  };
}

function quiet(agent: string, k: number): SeatSpec {
  return {
    agent,
    archetype: 'insurance_underwriting',
    platform: 'openai',
    role: 'quiet',
    zone: LONDON,
    hours: hours([
      [9, 12, 2],
      [12, 17, 1.5],
    ]),
    week: [1, 1, 1, 1, 0.8, 0, 0],
    perDay: 4.5,
    gap: [30, 400],
    procedures: [
      { name: 'cancel', weight: 2, steps: [step('read_policy'), step('cancel_policy')] },
      { name: 'endorse', weight: 2, steps: [step('read_policy'), step('issue_endorsement')] },
      { name: 'audit', weight: 1, steps: [step('read_submission'), step('read_loss_runs')] },
    ],
    actors: [{ person: `priya.shah${k || ''}@${DOMAIN}`, weight: 1 }],
    networks: [{ cidr: `10.50.${4 + 10 * k}.0/24` }],
    clients: [{ ua: 'compliance-assistant/1.2.0' }],
    domain: DOMAIN,
    hints: {
      odd: [
        ['read_submission', 'cancel_policy'],
        ['read_loss_runs', 'cancel_policy'],
        ['read_submission', 'issue_endorsement'],
        ['read_loss_runs', 'issue_endorsement'],
      ],
      bulk: ['cancel_policy', 'issue_endorsement'],
      burst: ['read_policy'],
      newTools: NEW_TOOLS,
      context: 'client',
      stranger: 'audit.external@marlow-specialty.example.com',
      publicNetwork: '45.83.64.0/24',
      script: 'python-requests/2.31.0',
    },
  };
}

/** The i-th underwriting seat (0-based): bot, assistant, team, quiet, then again with other networks and people. */
export function underwritingSeat(i: number): SeatSpec {
  const agent = `underwriting-${i + 1}`;
  const k = Math.floor(i / 4);
  return [bot, assistant, team, quiet][i % 4]!(agent, k);
}
