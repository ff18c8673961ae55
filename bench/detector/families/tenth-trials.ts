/**
 * `clinical_trials`: a Boston sponsor's trial operations across its sites. Patient pre-screening and enrollment
 * (consent, enroll, randomize), visit scheduling, case-report data entry and queries, adverse-event reports, the
 * Friday interim data lock, and site payments with amounts. Peak: an enrollment drive in the week of 17 March.
 * Slow change: the coordinators' site moves to a new office network on day 19; a new coordinator joins on day 26.
 */
import { usOffset, weekday, type AgentPlan, type ArchetypeDef, type Step } from './tenth-model.js';

const DOMAIN = 'meridian-therapeutics.example.com';
const offset = usOffset(-5);
const drive = (day: number) => day >= 14 && day <= 18;
const friday = (day: number) => day % 7 === 4;

const screening: Step[] = [
  'search_candidates',
  {
    loop: [1, 5],
    body: [
      'check_eligibility',
      {
        maybe: 0.35,
        then: ['send_consent', { maybe: 0.7, then: ['enroll_patient', { maybe: 0.85, then: ['randomize_patient'] }] }],
      },
    ],
  },
];

const visits: Step[] = [
  'list_visits',
  {
    loop: [1, 4],
    body: [
      {
        branch: [
          [0.7, ['book_visit']],
          [0.3, ['reschedule_visit']],
        ],
      },
    ],
  },
];

const dataEntry: Step[] = [
  { retry: 0.1, op: 'query_crf' },
  { loop: [1, 5], body: ['enter_crf_data'] },
  { maybe: 0.3, then: ['raise_data_query'] },
];

const safety: Step[] = [
  'get_ae_reports',
  { maybe: 0.6, then: ['file_adverse_event'] },
  { maybe: 0.3, then: ['book_visit'] },
];

const sitePay: Step[] = ['get_study_status', 'list_site_invoices', { loop: [1, 3], body: ['pay_site'] }];

const dataLock: Step[] = ['query_crf', { maybe: 0.4, then: ['raise_data_query'] }, 'lock_data'];

function agent(i: number): AgentPlan {
  const n = Math.floor((i - 1) / 4);
  const suffix = n === 0 ? '' : String(n + 1);
  const role = (['bot', 'assistant', 'team', 'quiet'] as const)[(i - 1) % 4]!;
  const base = {
    id: `trials-${i}`,
    role,
    utcOffset: offset,
    gap: [8, 90] as [number, number],
    volumeScale: 1 + 0.1 * ((i * 3) % 4),
  };
  if (role === 'bot')
    return {
      ...base,
      platform: 'vertex-ai',
      windows: (d) => (weekday(d) ? [[5, 23, 1]] : [[8, 14, 1]]),
      sessions: (d) => (weekday(d) ? 38 : 10) * (drive(d) ? 1.3 : 1),
      people: () => null,
      network: () => `10.90.${3 + n}.0/24`,
      client: () => 'edc-reconciler/3.4.0',
      procedure: (d, r) =>
        friday(d) && r.chance(0.08)
          ? dataLock
          : r.weighted([
              [0.55, dataEntry],
              [0.2, safety],
              [0.25, visits],
            ]),
      gap: [3, 25],
      driftOp: 'query_crf',
    };
  if (role === 'assistant')
    return {
      ...base,
      platform: 'openai-assistants',
      windows: (d) => (weekday(d) ? [[7, 18, 1]] : []),
      sessions: (d) => (drive(d) ? 20 : 11),
      people: () => [`dr.amara.benali${suffix}@${DOMAIN}`],
      network: () => '10.44.2.0/24',
      client: () => 'trial-copilot/2.2.0',
      procedure: (d, r) =>
        r.weighted([
          [drive(d) ? 1.2 : 0.35, screening],
          [0.25, safety],
          [0.2, visits],
          [0.2, sitePay],
        ]),
    };
  if (role === 'team') {
    const coordinators = ['kelly.park', 'juan.morales', 'ifeoma.nwosu'].map((p) => `${p}${suffix}@${DOMAIN}`);
    const joiner = `noor.haddad${suffix}@${DOMAIN}`;
    return {
      ...base,
      platform: 'azure-openai',
      windows: (d) => (weekday(d) ? [[7, 18, 1]] : []),
      sessions: (d) => (drive(d) ? 48 : 30),
      people: (d) => (d >= 26 ? [...coordinators, joiner] : coordinators),
      network: (d) => (d >= 19 ? `10.46.${3 + n}.0/24` : `10.44.${12 + n}.0/24`),
      client: () => 'site-workbench/5.1.3',
      procedure: (d, r) =>
        friday(d) && r.chance(0.04)
          ? dataLock
          : r.weighted([
              [drive(d) ? 1.0 : 0.3, screening],
              [0.3, visits],
              [0.3, dataEntry],
              [0.1, safety],
            ]),
      driftOp: 'search_candidates',
    };
  }
  return {
    ...base,
    platform: 'self-hosted',
    windows: (d) => (weekday(d) ? [[9, 17, 1]] : []),
    sessions: () => 4,
    people: () => [`grace.whitfield${suffix}@${DOMAIN}`, `site.finance${suffix}@${DOMAIN}`],
    network: () => '10.44.30.0/24',
    client: () => 'trial-copilot/2.2.0',
    procedure: (_d, r) =>
      r.weighted([
        [0.5, sitePay],
        [0.3, visits],
        [0.2, dataEntry],
      ]),
    gap: [15, 150],
  };
}

export const TRIALS: ArchetypeDef = {
  archetype: 'clinical_trials',
  tools: {
    prescreen: 'https://prescreen.trials.example.com/',
    econsent: 'https://econsent.trials.example.com/',
    ctms: 'https://ctms.trials.example.com/',
    visits: 'https://visits.trials.example.com/',
    edc: 'https://edc.trials.example.com/',
    safety: 'https://safety.pv.example.com/',
    'site-payments': 'https://site-payments.trials.example.com/',
  },
  ops: {
    search_candidates: { tool: 'prescreen', sensitivity: 'LOW', volume: [20, 250] },
    check_eligibility: { tool: 'prescreen', sensitivity: 'MEDIUM', volume: [1, 1] },
    send_consent: { tool: 'econsent', sensitivity: 'MEDIUM', volume: [1, 1] },
    enroll_patient: { tool: 'ctms', sensitivity: 'HIGH', volume: [1, 1] },
    randomize_patient: { tool: 'ctms', sensitivity: 'HIGH', volume: [1, 1] },
    get_study_status: { tool: 'ctms', sensitivity: 'LOW', volume: [1, 10] },
    list_visits: { tool: 'visits', sensitivity: 'LOW', volume: [5, 80] },
    book_visit: { tool: 'visits', sensitivity: 'MEDIUM', volume: [1, 1] },
    reschedule_visit: { tool: 'visits', sensitivity: 'MEDIUM', volume: [1, 1] },
    query_crf: { tool: 'edc', sensitivity: 'LOW', volume: [20, 200] },
    enter_crf_data: { tool: 'edc', sensitivity: 'MEDIUM', volume: [3, 40] },
    raise_data_query: { tool: 'edc', sensitivity: 'MEDIUM', volume: [1, 4] },
    lock_data: { tool: 'edc', sensitivity: 'HIGH', volume: [50, 400] },
    get_ae_reports: { tool: 'safety', sensitivity: 'LOW', volume: [1, 20] },
    file_adverse_event: { tool: 'safety', sensitivity: 'HIGH', volume: [1, 1] },
    list_site_invoices: { tool: 'site-payments', sensitivity: 'LOW', volume: [1, 25] },
    pay_site: { tool: 'site-payments', sensitivity: 'HIGH', volume: [1, 3], amount: [600, 14000] },
  },
  foreign: [
    {
      tool: 'unblinding',
      resource: 'https://unblinding.irt.example.com/',
      operation: 'unblind_treatment_arm',
      sensitivity: 'CRITICAL',
      volume: [1, 1],
    },
    {
      tool: 'ehr-gateway',
      resource: 'https://ehr-gateway.meridian.example.com/',
      operation: 'export_patient_records',
      sensitivity: 'CRITICAL',
      volume: [1, 1],
    },
    {
      tool: 'drug-supply',
      resource: 'https://irt-supply.trials.example.com/',
      operation: 'release_ip_shipment',
      sensitivity: 'HIGH',
      volume: [1, 4],
    },
    {
      tool: 'irb-portal',
      resource: 'https://irb.meridian.example.com/',
      operation: 'withdraw_protocol_amendment',
      sensitivity: 'HIGH',
      volume: [1, 1],
    },
  ],
  strangers: [`cro.monitor.ext@${DOMAIN}`, `j.kessler.temp@${DOMAIN}`, `unknown.sponsor@${DOMAIN}`],
  agents: (count) => Array.from({ length: count }, (_, k) => agent(k + 1)),
};
