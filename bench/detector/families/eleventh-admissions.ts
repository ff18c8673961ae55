/**
 * The eleventh family's `university_admissions` archetype: a US university's admissions office (US Eastern time).
 * Applications searched and read with their transcripts, reader scores, committee notes and decisions, decision
 * letters released in batches, fee waivers after an eligibility check, scholarships awarded from committee notes
 * within the aid budget, applicant emails. Peaks: the transfer deadline (Saturday 15 March), the graduate deadline
 * (1 April) and decision release day (Thursday 27 March, 19:00). Seats: a portal-sync bot acting for nobody, an
 * assistant serving the director, the readers' shared seat (seasonal readers join; evenings and weekends from home)
 * and a quiet financial-aid seat. Slow change: an interview scheduler adopted gradually, client upgrades.
 */
import { hoursOf, type Archetype, type Flavour, type Procedure, type Role, type Seat } from './eleventh-model.js';
import type { Stream } from './eleventh-rng.js';

const DOMAIN = 'northfield-university.example';
const DEADLINES = [12, 29];
const DEADLINE_RUSH = [9, 10, 11, 12, 26, 27, 28, 29];
const COMMITTEE = [14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
const RELEASE = 24;

const catalog: Archetype['catalog'] = {
  search_applications: { tool: 'app-portal', sens: 'LOW', vol: 30 },
  read_application: { tool: 'app-portal', sens: 'MEDIUM', vol: 1, spread: 0.2 },
  read_transcript: { tool: 'transcripts', sens: 'MEDIUM', vol: 1, spread: 0.2 },
  request_transcript: { tool: 'transcripts', sens: 'LOW', vol: 1, spread: 0.2 },
  score_application: { tool: 'review', sens: 'MEDIUM', vol: 1, spread: 0.2 },
  read_committee_notes: { tool: 'review', sens: 'MEDIUM', vol: 1, spread: 0.2 },
  record_committee_decision: { tool: 'review', sens: 'HIGH', vol: 1, spread: 0.2 },
  draft_decision_letter: { tool: 'decisions', sens: 'MEDIUM', vol: 1, spread: 0.2 },
  release_decisions: { tool: 'decisions', sens: 'HIGH', vol: 40 },
  check_fee_waiver_eligibility: { tool: 'finaid', sens: 'LOW', vol: 1, spread: 0.2 },
  grant_fee_waiver: { tool: 'finaid', sens: 'MEDIUM', vol: 1, spread: 0.2, amount: 85 },
  read_aid_budget: { tool: 'finaid', sens: 'LOW', vol: 1, spread: 0.2 },
  award_scholarship: { tool: 'finaid', sens: 'HIGH', vol: 1, spread: 0.2, amount: 12_000 },
  send_applicant_email: { tool: 'crm', sens: 'LOW', vol: 1, spread: 0.2 },
  bulk_email_applicants: { tool: 'crm', sens: 'MEDIUM', vol: 250 },
  sync_applications: { tool: 'app-portal', sens: 'LOW', vol: 60 },
  match_transcripts: { tool: 'transcripts', sens: 'LOW', vol: 45 },
  export_applicant_list: { tool: 'app-portal', sens: 'MEDIUM', vol: 400, spread: 0.25 },
  schedule_interview: { tool: 'interview-scheduler', sens: 'LOW', vol: 1, spread: 0.2 },
};

const procedures: Record<string, Procedure> = {
  sync: { steps: ['sync_applications', 'match_transcripts'], gap: 8 },
  nightly_export: { steps: ['export_applicant_list'], gap: 10 },
  email_digest: { steps: ['bulk_email_applicants'], gap: 10 },
  release_batch: { steps: ['release_decisions', 'bulk_email_applicants'], gap: 25 },
  reading: {
    steps: ['search_applications', { repeat: ['read_application', 'read_transcript', 'score_application'], n: [2, 6] }],
    gap: 75,
  },
  fee_waiver: {
    steps: [
      'search_applications',
      'read_application',
      'check_fee_waiver_eligibility',
      {
        any: [
          [0.8, ['grant_fee_waiver', 'send_applicant_email']],
          [0.2, ['send_applicant_email']],
        ],
      },
    ],
    gap: 50,
  },
  committee: {
    steps: [
      'search_applications',
      { repeat: ['read_committee_notes', 'record_committee_decision', 'draft_decision_letter'], n: [2, 5] },
    ],
    gap: 90,
  },
  scholarship: {
    steps: ['read_aid_budget', { repeat: ['read_committee_notes', 'award_scholarship'], n: [1, 4] }],
    gap: 100,
  },
  interview: {
    steps: ['search_applications', 'read_application', 'schedule_interview', 'send_applicant_email'],
    gap: 45,
  },
  missing_docs: {
    steps: ['search_applications', 'read_application', 'request_transcript', 'send_applicant_email'],
    gap: 40,
  },
};

/** Reading and waivers before the deadlines, committee work before release day, scholarships after it. */
function officeMix(day: number): Array<[string, number]> {
  const rush = DEADLINE_RUSH.includes(day) ? 3 : 1;
  const committee = COMMITTEE.includes(day) || day === RELEASE ? 3 : 1;
  const awards = day > RELEASE ? 3 : 0.5;
  return [
    ['reading', 0.35],
    ['fee_waiver', 0.12 * rush],
    ['missing_docs', 0.1 * rush],
    ['committee', 0.12 * committee],
    ['scholarship', 0.08 * awards],
    ['interview', 0.1],
  ];
}

const busy = (day: number) =>
  day === RELEASE ? 2.6 : COMMITTEE.includes(day) ? 1.3 : DEADLINE_RUSH.includes(day) ? 1.5 : 1;

function seat(role: Role, index: number, agent: string, rng: Stream): Seat {
  const k = index + 1;
  const n = k > 1 ? String(k) : '';
  const base = {
    agent,
    archetype: 'university_admissions',
    zone: 'us-eastern' as const,
    scale: rng.uniform(0.8, 1.25),
    money: rng.uniform(0.8, 1.3),
  };
  if (role === 'bot')
    return {
      ...base,
      role,
      platform: 'vertex-ai',
      hours: hoursOf([0, 24, 1]),
      sessions: 0,
      weekend: 1,
      mix: () => [['sync', 1]],
      people: [],
      networks: [{ cidr: `10.60.${2 + index}.0/24` }],
      clients: [{ ua: 'portal-sync/2.9.3' }, { ua: 'portal-sync/3.0.0', from: 23, ramp: 3 }],
      volumeOn: (day, op) => (op === 'sync_applications' && DEADLINES.some((d) => d - day >= 0 && d - day < 3) ? 2 : 1),
      jobs: [
        { proc: 'sync', every: 30, from: 0, to: 24 },
        { proc: 'nightly_export', at: [2] },
        { proc: 'email_digest', at: [9] },
        { proc: 'release_batch', at: [17], on: 'weekdays', p: 0.7 },
        { proc: 'release_batch', every: 4, from: 19, to: 20, days: [RELEASE] },
      ],
    };
  if (role === 'assistant')
    return {
      ...base,
      role,
      platform: 'openai',
      hours: hoursOf([7, 9, 1], [9, 17, 3], [17, 21, 1], [21, 23, 0.3]),
      sessions: 10,
      weekend: 0.2,
      busy,
      mix: officeMix,
      people: [{ email: k === 1 ? `priya.raman@${DOMAIN}` : `director${k}.admissions@${DOMAIN}` }],
      networks: [{ cidr: '10.60.12.0/24' }, { cidr: '10.61.0.0/16', remote: true }],
      clients: [{ ua: 'office-copilot/5.4' }, { ua: 'office-copilot/5.5', from: 17, ramp: 8 }],
      adopt: { 'interview-scheduler': { from: 14, ramp: 8 } },
    };
  if (role === 'team')
    return {
      ...base,
      role,
      platform: 'bedrock',
      hours: hoursOf([8, 9, 1], [9, 17, 3], [17, 23, 1.2]),
      sessions: 30,
      weekend: 0.45,
      busy,
      mix: (day, hour) =>
        hour >= 17
          ? [
              ['reading', 0.8],
              ['missing_docs', 0.2],
            ]
          : officeMix(day).filter(([p]) => p !== 'scholarship' && p !== 'interview'),
      people: [
        { email: `grace.liu${n}@${DOMAIN}` },
        { email: `samuel.adeyemi${n}@${DOMAIN}` },
        { email: `hannah.brooks${n}@${DOMAIN}`, hours: hoursOf([9, 15, 1]) },
        { email: `diego.ferreira${n}@${DOMAIN}` },
        { email: `reader.seasonal1${n}@${DOMAIN}`, from: 8, hours: hoursOf([17, 23, 1]) },
        { email: `reader.seasonal2${n}@${DOMAIN}`, from: 15, hours: hoursOf([12, 22, 1]) },
      ],
      networks: [{ cidr: '10.60.14.0/23' }, { cidr: '10.61.0.0/16', remote: true }],
      clients: [{ ua: 'reader-desk/2.2' }, { ua: 'reader-desk/2.3', from: 11, ramp: 12 }],
    };
  return {
    ...base,
    role,
    platform: 'azure-openai',
    hours: hoursOf([9, 12, 2], [13, 16, 1]),
    sessions: 2.5,
    weekend: 0,
    busy: (day) => (day > RELEASE ? 1.8 : 1),
    mix: () => [
      ['scholarship', 0.55],
      ['fee_waiver', 0.45],
    ],
    people: [{ email: `tom.beckett${n}@${DOMAIN}` }],
    networks: [{ cidr: '10.60.40.0/24' }],
    clients: [{ ua: 'aid-desk/1.2' }],
  };
}

/** What a compromised or misused admissions agent would do here. */
const incidents: Flavour = {
  bulk: ['export_applicant_list', 'award_scholarship', 'grant_fee_waiver', 'read_transcript', 'search_applications'],
  burst: ['read_application', 'read_transcript', 'search_applications', 'match_transcripts'],
  oddPairs: [
    ['read_application', 'award_scholarship'],
    ['read_transcript', 'record_committee_decision'],
    ['check_fee_waiver_eligibility', 'award_scholarship'],
    ['sync_applications', 'release_decisions'],
    ['read_aid_budget', 'award_scholarship'],
    ['read_application', 'grant_fee_waiver'],
    ['search_applications', 'score_application'],
    ['read_transcript', 'draft_decision_letter'],
    ['sync_applications', 'export_applicant_list'],
  ],
  foreignTools: [
    { tool: 'registrar-sis', op: 'change_final_grade', sens: 'HIGH', vol: 1 },
    { tool: 'bursar', op: 'issue_tuition_refund', sens: 'CRITICAL', vol: 1, amount: 24_500 },
    { tool: 'identity-admin', op: 'reset_applicant_login', sens: 'HIGH', vol: 1 },
    { tool: 'student-records', op: 'export_ssn_report', sens: 'CRITICAL', vol: 1 },
  ],
  drift: ['sync_applications', 'match_transcripts', 'search_applications', 'read_application'],
  context: ['read_application', 'read_transcript', 'export_applicant_list', 'search_applications'],
};

export const ADMISSIONS: Archetype = {
  name: 'university_admissions',
  prefix: 'admissions',
  domain: DOMAIN,
  catalog,
  procedures,
  seat,
  incidents,
};
