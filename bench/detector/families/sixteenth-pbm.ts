/**
 * Sixteenth family, archetype `pharmacy_benefits`: Saguaro Rx, a pharmacy benefit manager in Phoenix (Arizona keeps
 * MST all year; no clock change). A reject-triage bot working the nationwide pharmacy claim stream with nightly
 * eligibility loads, rebate accruals and a Thursday pharmacy remittance; a clinical pharmacist's prior-authorisation
 * assistant; the pharmacy help desk's shared seat (Phoenix shifts plus a Manila overflow team) that surges when the
 * new formulary takes effect on 1 April; a rebate analyst's quiet seat busiest at quarter-end.
 */
import type { Rng } from './sixteenth-rng.js';
import {
  member,
  WEEKDAYS,
  hours,
  logn,
  money,
  one,
  ramp,
  zone,
  type Dist,
  type Kind,
  type Op,
  type Procedure,
  type Seat,
  type Sensitivity,
  type Step,
} from './sixteenth-model.js';

const PHOENIX = zone('America/Phoenix', -420);
const DOMAIN = 'saguarorx.example';
const op = (tool: string, name: string, sens: Sensitivity, vol: Dist = one, amt?: Dist): Op =>
  amt ? { tool, op: name, sens, vol, amt } : { tool, op: name, sens, vol };
const s = (o: Op, extra: Omit<Step, 'op'> = {}): Step => ({ op: o, ...extra });

const O = {
  readReject: op('claims-engine', 'read_reject', 'LOW'),
  eligibility: op('eligibility', 'lookup_member_eligibility', 'LOW'),
  formulary: op('formulary', 'check_formulary', 'LOW', logn(3, 0.5)),
  interactions: op('dur-screen', 'check_drug_interactions', 'LOW', logn(6, 0.6)),
  history: op('claims-engine', 'read_claims_history', 'MEDIUM', logn(14, 0.8)),
  stepTherapy: op('formulary', 'check_step_therapy', 'LOW'),
  reprocess: op('claims-engine', 'reprocess_claim', 'MEDIUM', one, money(38, 1.5, 0.004)),
  createPa: op('prior-auth', 'create_pa_case', 'MEDIUM'),
  reverse: op('claims-engine', 'reverse_claim', 'HIGH', one, money(52, 1.3)),
  notifyPharmacy: op('pharmacy-network', 'notify_pharmacy', 'LOW'),
  loadElig: op('eligibility', 'load_eligibility_file', 'HIGH', logn(182_000, 0.03, 0.004)),
  reconcileElig: op('eligibility', 'reconcile_eligibility', 'MEDIUM', logn(2400, 0.45, 0.004)),
  accruals: op('rebate-ledger', 'compute_rebate_accruals', 'HIGH', logn(95_000, 0.15), money(310_000, 0.2)),
  buildRemit: op('remittance', 'build_remittance_file', 'HIGH', logn(2300, 0.05)),
  sendRemit: op('remittance', 'send_remittance', 'CRITICAL', logn(2300, 0.05), money(4_200_000, 0.15)),
  formularyUpdate: op('formulary', 'load_formulary_update', 'HIGH', logn(3400, 0.1)),
  paRequest: op('prior-auth', 'read_pa_request', 'MEDIUM'),
  memberProfile: op('eligibility', 'read_member_profile', 'MEDIUM'),
  summarize: op('ai-pa-summarizer', 'summarize_pa_case', 'LOW', logn(9, 0.5)),
  criteria: op('prior-auth', 'check_clinical_criteria', 'LOW'),
  approvePa: op('prior-auth', 'approve_prior_auth', 'HIGH'),
  denyPa: op('prior-auth', 'deny_prior_auth', 'HIGH'),
  moreInfo: op('prior-auth', 'request_more_info', 'MEDIUM'),
  letter: op('member-letters', 'send_determination_letter', 'MEDIUM'),
  paQueue: op('prior-auth', 'list_pa_queue', 'LOW', logn(35, 0.4)),
  lookupPharmacy: op('pharmacy-network', 'lookup_pharmacy', 'LOW'),
  lookupClaim: op('claims-engine', 'lookup_claim', 'LOW'),
  explainReject: op('claims-engine', 'explain_reject_code', 'LOW'),
  lookupMember: op('eligibility', 'lookup_member', 'MEDIUM'),
  override: op('claims-engine', 'submit_override', 'HIGH', one, money(42, 1.3)),
  updatePharmacy: op('pharmacy-network', 'update_pharmacy_record', 'MEDIUM'),
  escalate: op('prior-auth', 'escalate_to_clinical', 'MEDIUM'),
  logCall: op('helpdesk', 'log_call', 'LOW'),
  contract: op('rebate-ledger', 'read_rebate_contract', 'MEDIUM'),
  utilization: op('claims-engine', 'query_utilization', 'MEDIUM', logn(42_000, 1.0)),
  rebateReport: op('rebate-ledger', 'run_rebate_report', 'MEDIUM', logn(900, 0.5)),
  exportUtil: op('claims-engine', 'export_utilization', 'HIGH', logn(42_000, 1.0)),
  approveInvoice: op('rebate-ledger', 'approve_rebate_invoice', 'CRITICAL', one, money(1_600_000, 0.7)),
};

/** 1 April: the new formulary takes effect and rejects pile up for a few days. */
const formularySurge = (day: number) => ({ 29: 2.0, 30: 1.7, 31: 1.4, 32: 1.2 })[day] ?? 1;
const growth = (day: number) => Math.pow(1.01, day / 7);

function bot(agent: string, v: number): Seat {
  const curve = [2, 1, 1, 1, 2, 5, 9, 12, 12, 12, 12, 12, 12, 12, 12, 11, 10, 9, 7, 5, 4, 3, 2, 2];
  const reject = [s(O.readReject), s(O.eligibility)];
  const procedures: Procedure[] = [
    {
      name: 'triage',
      w: 0.7,
      steps: [...reject, s(O.formulary), s(O.interactions, { p: 0.4 }), s(O.reprocess, { gap: 8 })],
    },
    {
      name: 'step_therapy',
      w: 0.2,
      steps: [...reject, s(O.history), s(O.stepTherapy), s(O.createPa, { p: 0.6 }), s(O.reprocess, { p: 0.4 })],
    },
    { name: 'reverse', w: 0.1, steps: [...reject, s(O.reverse), s(O.notifyPharmacy)] },
  ];
  return {
    agent,
    archetype: 'pharmacy_benefits',
    platform: 'azure-ai-foundry',
    domain: DOMAIN,
    zone: PHOENIX,
    kind: 'bot',
    people: [],
    rate: (day, wd, h) => curve[h]! * (wd === 5 ? 0.55 : wd === 6 ? 0.35 : 1) * formularySurge(day) * growth(day),
    procedures,
    batches: [
      {
        name: 'eligibility',
        at: [1, 30],
        on: () => true,
        gap: 240,
        steps: [s(O.loadElig), s(O.reconcileElig)],
      },
      { name: 'accruals', at: [2, 40], on: () => true, gap: 60, steps: [s(O.accruals)] },
      { name: 'remittance', at: [3, 5], on: (_d, wd) => wd === 3, gap: 420, steps: [s(O.buildRemit), s(O.sendRemit)] },
      { name: 'formulary', at: [22, 15], on: (d) => d === 28, gap: 60, steps: [s(O.formularyUpdate)] },
    ],
    context: (_r, day) => ({
      sourceNetwork: '10.60.3.0/24',
      userAgent: day < 17 ? `rx-triage-bot/5.3.${2 + v}` : `rx-triage-bot/5.4.${v}`,
    }),
    hints: {
      newTool: { tool: 'member-phi-export', op: 'bulk_export_member_records', sens: 'CRITICAL' },
      bulk: [
        { op: 'reprocess_claim', by: 'amount' },
        { op: 'reverse_claim', by: 'amount' },
        { op: 'check_formulary', by: 'volume' },
      ],
      burst: 'lookup_member_eligibility',
      drift: 'read_claims_history',
    },
  };
}

function assistant(agent: string, v: number): Seat {
  const who = v ? `dana.whitfield${v + 1}@${DOMAIN}` : `dana.whitfield@${DOMAIN}`;
  const open = [s(O.paRequest), s(O.memberProfile), s(O.history), s(O.summarize, { p: ramp(14, 30, 0, 0.85) })];
  const decide = (o: Op, letter: boolean): Step[] => [
    ...open,
    s(O.criteria, { gap: 90 }),
    s(o, { gap: 60 }),
    ...(letter ? [s(O.letter)] : []),
  ];
  return {
    agent,
    archetype: 'pharmacy_benefits',
    platform: 'azure-ai-foundry',
    domain: DOMAIN,
    zone: PHOENIX,
    kind: 'assistant',
    people: [{ id: who, shift: [7, 16], days: WEEKDAYS }],
    rate: (day, wd, h) => (h === 11 ? 2 : 4.5) * (wd === 0 ? 1.3 : 1) * (day === 29 || day === 30 ? 1.4 : 1),
    procedures: [
      { name: 'approve', w: 0.55, steps: decide(O.approvePa, true) },
      { name: 'deny', w: 0.13, steps: decide(O.denyPa, true) },
      { name: 'pend', w: 0.17, steps: decide(O.moreInfo, false) },
      { name: 'queue', w: 0.15, steps: [s(O.paQueue)] },
    ],
    batches: [],
    // Works from home over the VPN on Tuesdays and Thursdays from 17 March on.
    context: (_r, day) => ({
      sourceNetwork: day >= 14 && (day % 7 === 1 || day % 7 === 3) ? '10.60.220.0/24' : '10.60.12.0/24',
      userAgent: 'pa-workbench/3.2.0',
    }),
    hints: {
      newTool: { tool: 'iam-admin', op: 'create_service_credential', sens: 'CRITICAL' },
      bulk: [
        { op: 'read_claims_history', by: 'volume' },
        { op: 'read_member_profile', by: 'volume' },
      ],
      burst: 'read_member_profile',
    },
  };
}

function team(agent: string, v: number): Seat {
  const p = member(DOMAIN, v);
  const people = [
    p('luis.carrillo', [5, 13]),
    p('hannah.yazzie', [5, 13]),
    p('grace.obi', [7, 15]),
    p('ben.kowalczyk', [9, 17]),
    p('rosa.delgado', [11, 19]),
    p('owen.tsosie', [13, 21]),
    p('mei.lin.cruz', [15, 21]),
    p('jomar.santos', [15, 21]),
    p('kayla.begay', [6, 18], [5, 6]),
    p('omar.haddad', [8, 16], [5, 6]),
    p('tyler.nez', [7, 15], WEEKDAYS, 22),
    p('amara.jones', [11, 19], WEEKDAYS, 22),
  ];
  const manila = new Set([people[6]!.id, people[7]!.id]);
  const weekday = hours([
    [5, 6, 4],
    [6, 7, 9],
    [7, 15, 15],
    [15, 18, 11],
    [18, 21, 6],
  ]);
  const weekend = hours([[6, 18, 4]]);
  const pharmacy = [s(O.lookupPharmacy), s(O.lookupClaim, { n: [1, 3] })];
  return {
    agent,
    archetype: 'pharmacy_benefits',
    platform: 'azure-ai-foundry',
    domain: DOMAIN,
    zone: PHOENIX,
    kind: 'team',
    people,
    rate: (day, wd, h) =>
      (wd >= 5 ? weekend[h]! * (wd === 6 ? 0.6 : 1) : weekday[h]! * (wd === 0 ? 1.2 : 1)) *
      formularySurge(day) *
      growth(day) *
      (day >= 22 ? 1.08 : 1),
    procedures: [
      {
        name: 'reject_call',
        w: 0.6,
        steps: [...pharmacy, s(O.explainReject), s(O.formulary, { p: 0.5 }), s(O.logCall, { gap: 50 })],
      },
      {
        name: 'override',
        w: 0.2,
        steps: [...pharmacy, s(O.lookupMember), s(O.override, { gap: 70 }), s(O.logCall)],
      },
      { name: 'pharmacy_update', w: 0.08, steps: [s(O.lookupPharmacy), s(O.updatePharmacy), s(O.logCall)] },
      { name: 'escalate', w: 0.12, steps: [...pharmacy, s(O.lookupMember), s(O.escalate), s(O.logCall)] },
    ],
    batches: [],
    context: (_r: Rng, day, person) => {
      // Each person's desk client is upgraded on a day of its own between 20 and 24 March (local).
      const upgrade = 17 + ((person ?? '').length % 5);
      return {
        sourceNetwork: manila.has(person ?? '') ? '10.64.40.0/24' : '10.60.30.0/24',
        userAgent: day >= upgrade ? 'rxdesk/4.3.0' : 'rxdesk/4.2.1',
      };
    },
    hints: {
      newTool: { tool: 'pharmacy-network-admin', op: 'change_pharmacy_bank_account', sens: 'CRITICAL' },
      bulk: [
        { op: 'submit_override', by: 'amount' },
        { op: 'lookup_pharmacy', by: 'volume' },
      ],
      burst: 'lookup_claim',
      drift: 'lookup_member',
    },
  };
}

function quiet(agent: string, v: number): Seat {
  const analyst = `marcus.oyelaran${v ? v + 1 : ''}@${DOMAIN}`;
  const manager = `nina.petrosyan${v ? v + 1 : ''}@${DOMAIN}`;
  const quarterEnd = (day: number) => (day >= 24 && day <= 28 ? 2.2 : 1);
  return {
    agent,
    archetype: 'pharmacy_benefits',
    platform: 'azure-ai-foundry',
    domain: DOMAIN,
    zone: PHOENIX,
    kind: 'quiet',
    people: [
      { id: analyst, shift: [8, 17], days: WEEKDAYS },
      { id: manager, shift: [9, 15], days: WEEKDAYS, w: 0.3 },
    ],
    rate: (day, wd, h) => (wd < 5 && h >= 8 && h < 17 ? 0.55 * quarterEnd(day) : 0),
    procedures: [
      { name: 'contract', w: 0.35, steps: [s(O.contract), s(O.utilization, { gap: 120 })] },
      {
        name: 'report',
        w: 0.4,
        steps: [s(O.utilization), s(O.rebateReport, { gap: 200 }), s(O.exportUtil, { p: 0.5 })],
      },
      { name: 'invoice', w: 0.25, steps: [s(O.contract), s(O.approveInvoice, { gap: 300 })] },
    ],
    batches: [],
    context: () => ({ sourceNetwork: '10.60.14.0/24', userAgent: 'rebate-studio/1.9.4' }),
    hints: {
      newTool: { tool: 'claims-db-console', op: 'run_raw_sql', sens: 'CRITICAL' },
      bulk: [
        { op: 'export_utilization', by: 'volume' },
        { op: 'approve_rebate_invoice', by: 'amount' },
      ],
      burst: 'query_utilization',
    },
  };
}

export function pbmSeat(kind: Kind, agent: string, v: number): Seat {
  return { bot, assistant, team, quiet }[kind](agent, v);
}
