/**
 * Ninth family, archetype `wealth_advisory`: a New York wealth manager's advisory desk. Portfolio reads, rebalancing
 * drafts and orders, client onboarding with KYC, fee adjustments; quarter-end reviews pile up around 31 March.
 */
import { personName, type ArchetypeSpec, type DayMood, type Person, type Seat } from './ninth-model.js';

const DOMAIN = 'meridianwealth.example';
const API = 'https://api.meridianwealth.example';

export const WEALTH: ArchetypeSpec = {
  archetype: 'wealth_advisory',
  tools: {
    'portfolio-hub': `${API}/portfolio/`,
    'order-desk': `${API}/orders/`,
    'client-onboarding': `${API}/onboarding/`,
    'fee-billing': `${API}/billing/`,
    'advisor-crm': 'https://crm.meridianwealth.example/v2/',
    'report-vault': `${API}/documents/`,
    'risk-profiler': 'https://riskprofile.meridianwealth.example/',
  },
  ops: {
    read_portfolio: { tool: 'portfolio-hub', sensitivity: 'LOW', volume: [14, 0.5] },
    read_performance: { tool: 'portfolio-hub', sensitivity: 'LOW', volume: [6, 0.4] },
    model_drift_report: { tool: 'portfolio-hub', sensitivity: 'LOW', volume: [40, 0.35] },
    draft_rebalance: { tool: 'order-desk', sensitivity: 'MEDIUM', volume: [8, 0.5], amount: [42_000, 0.7] },
    submit_rebalance_order: { tool: 'order-desk', sensitivity: 'HIGH', volume: [8, 0.5], amount: [42_000, 0.7] },
    cancel_order: { tool: 'order-desk', sensitivity: 'MEDIUM', volume: [1, 0.2] },
    open_client_file: { tool: 'client-onboarding', sensitivity: 'MEDIUM', volume: [1, 0.1] },
    kyc_screen: { tool: 'client-onboarding', sensitivity: 'MEDIUM', volume: [2, 0.3] },
    verify_identity_docs: { tool: 'client-onboarding', sensitivity: 'MEDIUM', volume: [3, 0.3] },
    approve_account: { tool: 'client-onboarding', sensitivity: 'HIGH', volume: [1, 0.1] },
    read_fee_schedule: { tool: 'fee-billing', sensitivity: 'LOW', volume: [1, 0.1] },
    adjust_advisory_fee: { tool: 'fee-billing', sensitivity: 'HIGH', volume: [1, 0.1], amount: [850, 0.8] },
    issue_fee_credit: { tool: 'fee-billing', sensitivity: 'HIGH', volume: [1, 0.1], amount: [220, 0.7] },
    read_client_profile: { tool: 'advisor-crm', sensitivity: 'LOW', volume: [1, 0.1] },
    log_client_note: { tool: 'advisor-crm', sensitivity: 'LOW', volume: [1, 0.1] },
    schedule_review: { tool: 'advisor-crm', sensitivity: 'LOW', volume: [1, 0.1] },
    generate_quarterly_report: { tool: 'report-vault', sensitivity: 'MEDIUM', volume: [12, 0.4] },
    share_document: { tool: 'report-vault', sensitivity: 'MEDIUM', volume: [1, 0.2] },
    run_risk_questionnaire: { tool: 'risk-profiler', sensitivity: 'MEDIUM', volume: [1, 0.1] },
  },
  procs: {
    morning_review: [
      { op: 'read_portfolio', times: [2, 6], gap: [4, 40] },
      { op: 'model_drift_report', p: 0.5 },
      {
        branch: [
          { w: 3, steps: [{ op: 'draft_rebalance' }, { op: 'submit_rebalance_order', p: 0.8, gap: [60, 400] }] },
          { w: 2, steps: [{ op: 'log_client_note' }] },
        ],
      },
    ],
    rebalance_run: [
      { op: 'model_drift_report' },
      { op: 'read_portfolio', times: [3, 9], gap: [2, 12] },
      { op: 'draft_rebalance', gap: [5, 30] },
      { op: 'submit_rebalance_order', gap: [5, 30] },
      { op: 'cancel_order', p: 0.08, gap: [30, 200] },
    ],
    onboarding: [
      { op: 'open_client_file' },
      { op: 'kyc_screen', times: [1, 2], gap: [30, 300] },
      { op: 'verify_identity_docs', p: 0.7 },
      { op: 'approve_account', p: 0.85, gap: [120, 900] },
      { op: 'log_client_note' },
    ],
    fee_adjustment: [
      { op: 'read_client_profile' },
      { op: 'read_fee_schedule' },
      { op: 'adjust_advisory_fee', gap: [40, 300] },
      { op: 'issue_fee_credit', p: 0.3 },
      { op: 'log_client_note' },
    ],
    quarterly_review: [
      { op: 'read_portfolio' },
      { op: 'read_performance', times: [1, 2] },
      { op: 'generate_quarterly_report', gap: [60, 300] },
      { op: 'share_document', p: 0.7 },
      { op: 'schedule_review', p: 0.6 },
    ],
    client_call: [
      { op: 'read_client_profile' },
      { op: 'read_portfolio', p: 0.8 },
      { op: 'log_client_note', gap: [200, 900] },
      { op: 'schedule_review', p: 0.4 },
    ],
    risk_check: [
      { op: 'read_client_profile' },
      { op: 'run_risk_questionnaire', gap: [120, 600] },
      { op: 'log_client_note' },
    ],
  },
  seats(count, rng) {
    const seats: Seat[] = [];
    for (let i = 0; i < count; i++) {
      const r = rng.fork(`wealth-seat-${i}`);
      const who = (hours: [number, number], from = 0, weight = 1): Person => ({
        email: personName(r, DOMAIN, `.w${i + 1}`),
        hours,
        from,
        weight,
      });
      const base = {
        agent: `wealth-${i + 1}`,
        archetype: 'wealth_advisory',
        platform: 'azure-openai',
        utc: [-5, -4] as [number, number],
        dstDay: 7,
        weekend: 0.05,
        networks: [{ from: 0, nets: [`10.40.${10 + i}.0/24`] }],
        clients: [{ from: 0, ua: 'meridian-advisor-copilot/3.1.4' }],
      };
      const kind = i % 4;
      if (kind === 0)
        seats.push({
          ...base,
          sessions: 11,
          people: [who([8, 18])],
          procs: { morning_review: 4, client_call: 4, fee_adjustment: 1.5, quarterly_review: 1.5, onboarding: 1 },
        });
      else if (kind === 1)
        seats.push({
          ...base,
          platform: 'bedrock',
          utc: [0, 0],
          sessions: 26,
          weekend: 0,
          people: [{ hours: [10, 13], from: 0, weight: 1 }],
          networks: [{ from: 0, nets: [`10.41.${i}.0/26`] }],
          clients: [{ from: 0, ua: 'rebalance-engine/7.0' }],
          procs: { rebalance_run: 8, quarterly_review: 1, fee_adjustment: 0.6 },
        });
      else if (kind === 2)
        seats.push({
          ...base,
          sessions: 4,
          people: [who([8, 17]), who([9, 18]), who([7, 16], 0, 0.7)],
          procs: { client_call: 4, morning_review: 2, onboarding: 2, fee_adjustment: 1, quarterly_review: 1 },
          adopt: { proc: 'risk_check', from: 12, full: 26, weight: 2 },
        });
      else
        seats.push({
          ...base,
          sessions: 5,
          people: [who([9, 17])],
          procs: { onboarding: 5, client_call: 2, fee_adjustment: 1, morning_review: 1 },
          clients: [
            { from: 0, ua: 'meridian-advisor-copilot/3.1.4' },
            { from: 20, ua: 'meridian-advisor-copilot/3.2.0', mix: 4 },
          ],
        });
    }
    return seats;
  },
  mood(day): DayMood {
    // Quarter-end: the last week of March and the first days of April.
    const quarter = day >= 22 && day <= 32;
    return { factor: quarter ? 1.35 : 1, boost: quarter ? { quarterly_review: 5, rebalance_run: 1.6 } : {} };
  },
  rare: [
    {
      tool: 'wire-desk',
      resource: `${API}/wires/`,
      op: 'initiate_wire',
      sensitivity: 'CRITICAL',
      volume: 1,
      amount: 185_000,
    },
    {
      tool: 'custody-admin',
      resource: `${API}/custody/`,
      op: 'change_beneficiary',
      sensitivity: 'HIGH',
      volume: 1,
      amount: 0,
    },
    {
      tool: 'trade-compliance',
      resource: 'https://compliance.meridianwealth.example/',
      op: 'override_trade_restriction',
      sensitivity: 'HIGH',
      volume: 1,
      amount: 0,
    },
  ],
  driftOps: ['read_portfolio', 'model_drift_report', 'generate_quarterly_report'],
  burstOps: ['read_portfolio', 'read_client_profile', 'read_performance'],
};
