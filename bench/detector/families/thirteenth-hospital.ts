/**
 * Archetype `hospital_revenue_cycle`: the billing office of a Honolulu hospital (Hawaii time, no daylight saving)
 * with an offshore coding team in Chennai (India time), i.e. coding happens in the Honolulu evening and night. Charge
 * capture, coding, claim scrubbing, claim submission with amounts, remittances, denials and appeals, patient refunds
 * and write-offs; a nightly claim batch (00:00–04:00 local, bigger on Mondays after the weekend's charges), weekly
 * rhythms and the month-end close (days 24, 25 and 28). Seats: the claims bot (acting for nobody), the patient
 * financial services manager's assistant, the billing/coding seat shared by Honolulu billers and Chennai coders (an
 * AI coding assistant adopted from day 18; one coder joins on day 15, one biller on day 26) and a quiet credit-balance
 * seat.
 */
import { hours, type SeatSpec, stepsOf, zone } from './thirteenth-model.js';

const HONOLULU = zone(-600);
const CHENNAI = zone(330);
const DOMAIN = 'harbor-health.example.com';
/** The last working days of March (Thursday 27, Friday 28 and Monday 31). */
const monthEnd = (day: number) => [24, 25, 28].includes(day);
const dow = (day: number) => ((day % 7) + 7) % 7;
const closing = (factor: number) => (day: number) => (monthEnd(day) ? factor : 1);

const step = stepsOf({
  lookup_charges: { tool: 'charge-master', s: 'LOW', vol: 8 },
  capture_charges: { tool: 'charge-master', s: 'MEDIUM', vol: 6, amt: 2_400, amtSpread: 0.8 },
  read_chart_summary: { tool: 'coding-workbench', s: 'MEDIUM' },
  assign_codes: { tool: 'coding-workbench', s: 'MEDIUM', vol: 5, spread: 0.3 },
  suggest_codes: { tool: 'ai-coding-assist', s: 'LOW', vol: 5, spread: 0.3 },
  scrub_claims: { tool: 'claim-scrubber', s: 'LOW', vol: 40 },
  fix_claim_edit: { tool: 'claim-scrubber', s: 'MEDIUM' },
  submit_claims: { tool: 'clearinghouse', s: 'HIGH', vol: 35, amt: 85_000, amtSpread: 0.45 },
  check_claim_status: { tool: 'clearinghouse', s: 'LOW', vol: 20 },
  read_remittance: { tool: 'remits', s: 'LOW', vol: 50 },
  post_payment: { tool: 'remits', s: 'MEDIUM', amt: 1_800, amtSpread: 0.8 },
  record_denial: { tool: 'remits', s: 'MEDIUM' },
  file_appeal: { tool: 'remits', s: 'MEDIUM', amt: 3_200, amtSpread: 0.8 },
  review_account: { tool: 'patient-accounts', s: 'LOW' },
  issue_patient_refund: { tool: 'patient-accounts', s: 'HIGH', amt: 180, amtSpread: 0.7 },
  write_off_balance: { tool: 'patient-accounts', s: 'HIGH', amt: 300, amtSpread: 0.8 },
  transfer_credit_balance: { tool: 'patient-accounts', s: 'MEDIUM', amt: 150, amtSpread: 0.7 },
  verify_eligibility: { tool: 'payer-portal', s: 'LOW' },
});

const NEW_TOOLS = [
  { tool: 'ehr-clinical', op: 'export_patient_records', s: 'CRITICAL' as const },
  { tool: 'payer-credentials', op: 'read_payer_portal_passwords', s: 'CRITICAL' as const },
  { tool: 'ap-vendor-master', op: 'add_payee', s: 'HIGH' as const },
  { tool: 'treasury-portal', op: 'initiate_wire', s: 'CRITICAL' as const },
];

const office = hours([
  [7, 8, 1],
  [8, 12, 2.5],
  [12, 13, 1.2],
  [13, 16, 2],
  [16, 17, 0.5],
]);

function bot(agent: string, k: number): SeatSpec {
  const night = (h: number) => h <= 3;
  const daytime = (_d: number, h: number) => (night(h) ? 0 : 1);
  return {
    agent,
    archetype: 'hospital_revenue_cycle',
    platform: 'azure-openai',
    role: 'bot',
    zone: HONOLULU,
    hours: hours([
      [0, 4, 2],
      [4, 7, 0.3],
      [7, 17, 2],
      [17, 22, 0.8],
      [22, 0, 0.3],
    ]),
    week: [1.15, 1, 1, 1, 1, 0.5, 0.45],
    perDay: 50,
    gap: [2, 25],
    procedures: [
      {
        name: 'nightly_batch',
        weight: 1,
        steps: [step('scrub_claims', { vol: 110 }), step('submit_claims')],
        when: (_d, h) => (night(h) ? 30 : 0),
        scale: (day) => (dow(day) === 0 ? 1.5 : dow(day) >= 5 ? 0.6 : 1),
      },
      {
        name: 'remit_posting',
        weight: 3,
        steps: [step('read_remittance'), step('post_payment'), step('record_denial', { p: 0.3 })],
        when: daytime,
      },
      { name: 'status_poll', weight: 3, steps: [step('check_claim_status')], when: daytime },
      { name: 'eligibility', weight: 2, steps: [step('verify_eligibility', { times: [1, 3] })], when: daytime },
      { name: 'pre_scrub', weight: 1, steps: [step('scrub_claims')], when: daytime },
      {
        name: 'small_balance',
        weight: 1,
        steps: [step('review_account'), step('write_off_balance', { amt: 4, amtSpread: 0.5 })],
        when: (d, h) => daytime(d, h) * (monthEnd(d) ? 3 : 1),
      },
    ],
    actors: [{ weight: 1 }],
    networks: [{ cidr: `10.60.${1 + 10 * k}.0/24` }],
    clients: [
      { ua: 'claims-engine/11.2.0', to: 17 },
      { ua: 'claims-engine/11.3.1', from: 17 },
    ],
    domain: DOMAIN,
    hints: {
      odd: [
        ['verify_eligibility', 'submit_claims'],
        ['check_claim_status', 'submit_claims'],
        ['check_claim_status', 'post_payment'],
        ['verify_eligibility', 'record_denial'],
        ['scrub_claims', 'write_off_balance'],
      ],
      bulk: ['submit_claims', 'post_payment', 'read_remittance'],
      burst: ['check_claim_status', 'verify_eligibility'],
      newTools: NEW_TOOLS,
      drift: 'read_remittance',
      context: 'client',
      stranger: 'claims.vendor@harbor-health.example.com',
      publicNetwork: '203.0.113.0/24',
      script: 'curl/8.6.0',
    },
  };
}

function assistant(agent: string, k: number): SeatSpec {
  return {
    agent,
    archetype: 'hospital_revenue_cycle',
    platform: 'openai',
    role: 'assistant',
    zone: HONOLULU,
    hours: office,
    week: [1.1, 1, 1, 1, 0.9, 0.05, 0],
    perDay: 15,
    dayFactor: closing(1.5),
    gap: [20, 180],
    procedures: [
      {
        name: 'refund',
        weight: 3,
        steps: [step('lookup_charges', { p: 0.5 }), step('review_account'), step('issue_patient_refund', { p: 0.7 })],
      },
      {
        name: 'write_off',
        weight: 1.5,
        steps: [step('review_account'), step('write_off_balance')],
        when: (day) => (monthEnd(day) ? 3 : 1),
      },
      { name: 'appeals', weight: 2, steps: [step('check_claim_status'), step('file_appeal')] },
      { name: 'credit', weight: 1, steps: [step('review_account'), step('transfer_credit_balance')] },
    ],
    actors: [{ person: `leilani.kahale${k || ''}@${DOMAIN}`, weight: 1 }],
    networks: [{ cidr: `10.60.${2 + 10 * k}.0/24` }],
    clients: [
      { ua: 'pfs-assistant/3.0.9', to: 24 },
      { ua: 'pfs-assistant/3.1.0', from: 21 },
    ],
    domain: DOMAIN,
    hints: {
      odd: [
        ['lookup_charges', 'issue_patient_refund'],
        ['check_claim_status', 'write_off_balance'],
        ['lookup_charges', 'file_appeal'],
        ['lookup_charges', 'transfer_credit_balance'],
      ],
      bulk: ['issue_patient_refund', 'write_off_balance', 'file_appeal'],
      burst: ['review_account', 'check_claim_status'],
      newTools: NEW_TOOLS,
      context: 'person',
      stranger: 'k.mahoe@harbor-health.example.com',
      publicNetwork: '198.51.100.0/24',
      script: 'python-requests/2.31.0',
    },
  };
}

function team(agent: string, k: number): SeatSpec {
  const person = (name: string) => `${name}${k || ''}@${DOMAIN}`;
  const coders = ['coding', 'coding_ai', 'charge_review'];
  const billers = ['edits', 'denials', 'eligibility', 'refunds'];
  const chennaiHours = hours([
    [9, 13, 2.5],
    [13, 14, 0.8],
    [14, 18, 2.2],
    [18, 19, 0.4],
  ]);
  const chennai = {
    zone: CHENNAI,
    hours: chennaiHours,
    procedures: coders,
    networks: [{ cidr: `10.64.${8 + 10 * k}.0/24` }],
  };
  return {
    agent,
    archetype: 'hospital_revenue_cycle',
    platform: 'bedrock',
    role: 'team',
    zone: HONOLULU,
    hours: office,
    week: [1.1, 1, 1, 1, 0.95, 0.1, 0.05],
    perDay: 11,
    dayFactor: closing(1.25),
    gap: [15, 120],
    procedures: [
      {
        name: 'coding',
        weight: 4,
        steps: [step('read_chart_summary'), step('assign_codes'), step('capture_charges')],
      },
      {
        name: 'coding_ai',
        weight: 4,
        steps: [step('read_chart_summary'), step('suggest_codes'), step('assign_codes'), step('capture_charges')],
        from: 18,
        ramp: 14,
      },
      { name: 'charge_review', weight: 2, steps: [step('lookup_charges'), step('capture_charges', { p: 0.5 })] },
      {
        name: 'edits',
        weight: 3,
        steps: [step('scrub_claims', { vol: 30 }), step('fix_claim_edit', { times: [1, 3] })],
      },
      {
        name: 'denials',
        weight: 2,
        steps: [step('read_remittance', { vol: 30 }), step('record_denial'), step('file_appeal', { p: 0.5 })],
      },
      { name: 'eligibility', weight: 1, steps: [step('verify_eligibility'), step('check_claim_status')] },
      { name: 'refunds', weight: 0.6, steps: [step('review_account'), step('issue_patient_refund')] },
    ],
    actors: [
      { person: person('mele.kanoho'), weight: 1.1, procedures: billers },
      { person: person('jason.tanaka'), weight: 1, procedures: billers },
      { person: person('kiana.silva'), weight: 0.9, procedures: billers },
      { person: person('noa.kealoha'), weight: 0.8, procedures: billers, joinDay: 26 },
      { person: person('arun.krishnan'), weight: 1.2, ...chennai },
      { person: person('lakshmi.iyer'), weight: 1.2, ...chennai },
      { person: person('vikram.rao'), weight: 1, ...chennai },
      { person: person('divya.raman'), weight: 0.9, ...chennai, joinDay: 15 },
    ],
    networks: [{ cidr: `10.60.${3 + 10 * k}.0/24` }],
    clients: [{ ua: 'rcm-workstation/9.1.4' }],
    domain: DOMAIN,
    hints: {
      odd: [
        ['lookup_charges', 'issue_patient_refund'],
        ['read_chart_summary', 'issue_patient_refund'],
        ['verify_eligibility', 'file_appeal'],
        ['lookup_charges', 'record_denial'],
      ],
      bulk: ['capture_charges', 'issue_patient_refund', 'assign_codes', 'file_appeal'],
      burst: ['read_chart_summary', 'lookup_charges'],
      newTools: NEW_TOOLS,
      drift: 'assign_codes',
      context: 'network',
      stranger: 'coder.temp@harbor-health.example.com',
      publicNetwork: '185.107.56.0/24',
      script: 'curl/8.4.0',
    },
  };
}

function quiet(agent: string, k: number): SeatSpec {
  return {
    agent,
    archetype: 'hospital_revenue_cycle',
    platform: 'vertex-ai',
    role: 'quiet',
    zone: HONOLULU,
    hours: hours([
      [8, 12, 2],
      [12, 16, 1.4],
    ]),
    week: [1, 1, 1, 1, 1, 0, 0],
    perDay: 4.5,
    dayFactor: closing(1.6),
    gap: [40, 400],
    procedures: [
      {
        name: 'credit_review',
        weight: 3,
        steps: [
          step('lookup_charges', { p: 0.4 }),
          step('review_account'),
          step('transfer_credit_balance', { p: 0.6 }),
          step('issue_patient_refund', { p: 0.4 }),
        ],
      },
      { name: 'write_offs', weight: 1, steps: [step('review_account'), step('write_off_balance')] },
    ],
    actors: [{ person: `ben.akana${k || ''}@${DOMAIN}`, weight: 1 }],
    networks: [{ cidr: `10.60.${4 + 10 * k}.0/24` }],
    clients: [{ ua: 'credit-balance-helper/0.7.2' }],
    domain: DOMAIN,
    hints: {
      odd: [
        ['lookup_charges', 'issue_patient_refund'],
        ['lookup_charges', 'write_off_balance'],
        ['lookup_charges', 'transfer_credit_balance'],
      ],
      bulk: ['issue_patient_refund', 'transfer_credit_balance', 'write_off_balance'],
      burst: ['review_account'],
      newTools: NEW_TOOLS,
      context: 'person',
      stranger: 'r.medeiros@harbor-health.example.com',
      publicNetwork: '45.95.147.0/24',
      script: 'curl/8.5.0',
    },
  };
}

/** The i-th revenue-cycle seat (0-based): bot, assistant, team, quiet, then again with other networks and people. */
export function hospitalSeat(i: number): SeatSpec {
  const agent = `rev-cycle-${i + 1}`;
  const k = Math.floor(i / 4);
  return [bot, assistant, team, quiet][i % 4]!(agent, k);
}
