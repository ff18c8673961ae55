/**
 * Sixteenth family, archetype `dental_group`: Harbourside Dental, thirty practices run from Auckland (NZDT to NZST on
 * 6 April). A practice-automation bot (appointment confirmations, ACC claims and payments in practice hours, Saturday
 * mornings, a nightly recall run) that adopts an online-booking sync; the clinical director's assistant (Wednesdays
 * at a practice, Sunday-evening preparation); the central booking hub's shared seat, which takes on a newly acquired
 * practice and its receptionists and fills up before health-insurance years reset on 1 April; a supplies
 * coordinator's quiet seat.
 */
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
  type Seat,
  type Sensitivity,
  type Step,
} from './sixteenth-model.js';

const AUCKLAND = zone('Pacific/Auckland', 780, { at: '2025-04-05T14:00:00Z', to: 720 });
const DOMAIN = 'harbourside-dental.example';
const op = (tool: string, name: string, sens: Sensitivity, vol: Dist = one, amt?: Dist): Op =>
  amt ? { tool, op: name, sens, vol, amt } : { tool, op: name, sens, vol };
const s = (o: Op, extra: Omit<Step, 'op'> = {}): Step => ({ op: o, ...extra });

const O = {
  summary: op('pms', 'fetch_patient_summary', 'MEDIUM'),
  sms: op('sms-gateway', 'send_confirmation_sms', 'LOW'),
  confirm: op('pms', 'record_confirmation', 'LOW'),
  buildClaim: op('claims-hub', 'build_claim', 'MEDIUM', logn(3, 0.5)),
  acc: op('claims-hub', 'submit_acc_claim', 'HIGH', one, money(165, 0.6)),
  status: op('claims-hub', 'poll_claim_status', 'LOW', logn(12, 0.5)),
  payment: op('payments', 'post_payment', 'HIGH', one, money(140, 0.7)),
  online: op('online-booking-sync', 'import_online_bookings', 'MEDIUM', logn(3, 0.6)),
  slot: op('pms', 'book_slot', 'MEDIUM'),
  recallList: op('pms', 'build_recall_list', 'MEDIUM', logn(620, 0.3, 0.01)),
  recall: op('sms-gateway', 'send_recall_reminders', 'MEDIUM', logn(100, 0.08)),
  imaging: op('imaging', 'sync_imaging_index', 'LOW', logn(1400, 0.4)),
  kpis: op('bi', 'read_practice_kpis', 'LOW', logn(30, 0.3)),
  production: op('bi', 'read_clinician_production', 'MEDIUM', logn(40, 0.4)),
  plan: op('pms', 'review_treatment_plan', 'MEDIUM'),
  chart: op('pms', 'read_patient_chart', 'HIGH'),
  xrays: op('imaging', 'read_radiographs', 'MEDIUM', logn(4, 0.5)),
  estimate: op('pms', 'approve_fee_estimate', 'MEDIUM', one, money(1350, 0.9)),
  payments: op('payments', 'read_payment_history', 'MEDIUM', logn(6, 0.6)),
  approveRefund: op('payments', 'approve_refund', 'HIGH', one, money(160, 0.9)),
  feeSchedule: op('pms', 'read_fee_schedule', 'LOW', logn(180, 0.1)),
  adjustFees: op('pms', 'adjust_fee_schedule', 'HIGH', logn(8, 0.6)),
  complaint: op('crm', 'read_patient_complaint', 'MEDIUM'),
  draft: op('docs', 'draft_response', 'LOW'),
  search: op('pms', 'search_patient', 'LOW', logn(3, 0.7)),
  schedule: op('pms', 'view_schedule', 'LOW', logn(24, 0.4)),
  book: op('pms', 'book_appointment', 'MEDIUM'),
  deposit: op('payments', 'take_deposit', 'HIGH', one, money(50, 0.45)),
  hubSms: op('sms-gateway', 'send_sms', 'LOW'),
  reschedule: op('pms', 'reschedule_appointment', 'MEDIUM'),
  cancel: op('pms', 'cancel_appointment', 'MEDIUM'),
  refundDeposit: op('payments', 'refund_deposit', 'HIGH', one, money(50, 0.45)),
  updateContact: op('pms', 'update_patient_contact', 'MEDIUM'),
  insurance: op('claims-hub', 'read_insurance_status', 'MEDIUM'),
  stock: op('inventory', 'read_stock', 'LOW', logn(60, 0.5)),
  order: op('inventory', 'order_consumables', 'MEDIUM', logn(12, 0.6), money(620, 0.8)),
  autoclave: op('sterilisation', 'log_autoclave_cycle', 'LOW'),
  sterilLog: op('sterilisation', 'read_sterilisation_log', 'MEDIUM', logn(20, 0.4)),
  received: op('inventory', 'record_goods_received', 'LOW', logn(8, 0.6)),
  supplierInvoice: op('accounts-payable', 'approve_supplier_invoice', 'HIGH', one, money(2100, 0.9)),
};

const ACQUIRED = 17; // Thursday 20 March: the Takapuna practice joins the group
const weekdayOf = (day: number) => ((day % 7) + 7) % 7;

function bot(agent: string, v: number): Seat {
  return {
    agent,
    archetype: 'dental_group',
    platform: 'bedrock',
    domain: DOMAIN,
    zone: AUCKLAND,
    kind: 'bot',
    people: [],
    rate: (day, wd, h) =>
      (wd < 5 ? (h >= 7 && h < 18 ? 9 : 0) : wd === 5 ? (h >= 8 && h < 13 ? 5 : 0) : 0) * (day >= ACQUIRED ? 1.1 : 1),
    procedures: [
      {
        name: 'confirm',
        w: 0.5,
        steps: [s(O.summary), s(O.sms, { gap: 3 }), s(O.confirm, { p: 0.7, gap: 30 })],
      },
      { name: 'claim', w: 0.25, steps: [s(O.summary), s(O.buildClaim, { gap: 5 }), s(O.acc, { gap: 8 })] },
      { name: 'status', w: 0.15, steps: [s(O.status), s(O.payment, { p: 0.5, gap: 6 })] },
      {
        name: 'online',
        w: ramp(20, 32, 0, 0.25),
        steps: [s(O.online), s(O.summary, { gap: 4 }), s(O.slot, { gap: 4 })],
      },
    ],
    batches: [
      {
        name: 'recall',
        at: [2, 0],
        on: () => true,
        gap: 45,
        steps: [s(O.recallList), s(O.recall, { n: [4, 8] }), s(O.imaging)],
      },
    ],
    context: () => ({ sourceNetwork: '10.88.1.0/24', userAgent: `practice-automation/4.0.${3 + v}` }),
    hints: {
      newTool: { tool: 'payments-vault', op: 'export_card_tokens', sens: 'CRITICAL' },
      bulk: [
        { op: 'post_payment', by: 'amount' },
        { op: 'send_recall_reminders', by: 'volume' },
        { op: 'submit_acc_claim', by: 'amount' },
      ],
      burst: 'poll_claim_status',
      drift: 'fetch_patient_summary',
    },
  };
}

function assistant(agent: string, v: number): Seat {
  const who = `aroha.ngata${v ? v + 1 : ''}@${DOMAIN}`;
  const day = hours([
    [7, 8, 1],
    [8, 12, 3],
    [12, 13, 1.5],
    [13, 17, 3],
    [17, 18, 1.5],
  ]);
  return {
    agent,
    archetype: 'dental_group',
    platform: 'bedrock',
    domain: DOMAIN,
    zone: AUCKLAND,
    kind: 'assistant',
    people: [{ id: who, shift: [7, 21], days: [0, 1, 2, 3, 4, 6] }],
    rate: (_d, wd, h) => (wd < 5 ? day[h]! : wd === 6 && h >= 19 && h < 21 ? 1.2 : 0),
    procedures: [
      { name: 'kpis', w: 0.2, steps: [s(O.kpis), s(O.production, { gap: 60 })] },
      {
        name: 'plan_review',
        w: 0.4,
        steps: [s(O.plan), s(O.chart, { gap: 40 }), s(O.xrays, { p: 0.6 }), s(O.estimate, { p: 0.6, gap: 90 })],
      },
      { name: 'refund', w: 0.15, steps: [s(O.payments), s(O.approveRefund, { gap: 70 })] },
      { name: 'fees', w: 0.05, steps: [s(O.feeSchedule), s(O.adjustFees, { gap: 300 })] },
      { name: 'complaint', w: 0.2, steps: [s(O.complaint), s(O.chart), s(O.draft, { gap: 240 })] },
    ],
    batches: [],
    // Wednesdays at a practice (its clinic network); the client is upgraded on Friday 28 March.
    context: (r, d) => ({
      sourceNetwork: weekdayOf(d) === 2 && r.chance(0.7) ? '10.88.21.0/24' : '10.88.10.0/24',
      userAgent: d >= 25 ? 'clinical-copilot/1.5.0' : 'clinical-copilot/1.4.2',
    }),
    hints: {
      newTool: { tool: 'pms-admin', op: 'grant_clinician_role', sens: 'CRITICAL' },
      bulk: [
        { op: 'read_patient_chart', by: 'volume' },
        { op: 'approve_refund', by: 'amount' },
      ],
      burst: 'read_practice_kpis',
    },
  };
}

function team(agent: string, v: number): Seat {
  const p = member(DOMAIN, v);
  const people = [
    p('mere.walker', [7, 16]),
    p('hannah.li', [8, 17]),
    p('sione.fifita', [8, 17]),
    p('kate.obrien', [10, 19]),
    p('priya.nair', [10, 19]),
    p('jess.thompson', [8, 14], [5]),
    p('liam.reid', [8, 14], [5]),
    p('tania.rangi', [8, 17], WEEKDAYS, ACQUIRED),
    p('ben.carter', [8, 17], WEEKDAYS, ACQUIRED),
  ];
  const newPractice = new Set([people[7]!.id, people[8]!.id]);
  const weekday = hours([
    [7, 8, 5],
    [8, 11, 16],
    [11, 13, 10],
    [13, 17, 13],
    [17, 19, 8],
  ]);
  const saturday = hours([[8, 14, 6]]);
  // Patients use up this year's insurance benefits before they reset on 1 April.
  const rush = (day: number) => (day === 28 ? 1.7 : day >= 21 && day <= 25 ? 1.45 : 1);
  return {
    agent,
    archetype: 'dental_group',
    platform: 'bedrock',
    domain: DOMAIN,
    zone: AUCKLAND,
    kind: 'team',
    people,
    rate: (day, wd, h) =>
      (wd < 5 ? weekday[h]! * (wd === 0 ? 1.15 : 1) : wd === 5 ? saturday[h]! : 0) *
      rush(day) *
      (day >= ACQUIRED ? 1.15 : 1),
    procedures: [
      {
        name: 'book',
        w: 0.35,
        steps: [s(O.search), s(O.schedule), s(O.book), s(O.deposit, { p: 0.3 }), s(O.hubSms, { p: 0.8, gap: 5 })],
      },
      { name: 'reschedule', w: 0.25, steps: [s(O.search), s(O.schedule), s(O.reschedule), s(O.hubSms, { gap: 5 })] },
      { name: 'cancel', w: 0.1, steps: [s(O.search), s(O.cancel), s(O.refundDeposit, { p: 0.3 })] },
      { name: 'update', w: 0.12, steps: [s(O.search), s(O.updateContact, { gap: 60 })] },
      { name: 'enquiry', w: 0.18, steps: [s(O.search), s(O.insurance), s(O.schedule, { p: 0.6 })] },
    ],
    batches: [],
    context: (_r, day, person) => ({
      sourceNetwork: newPractice.has(person ?? '') ? '10.88.17.0/24' : '10.88.30.0/24',
      userAgent: day >= 30 ? 'practice-hub/5.2.0' : 'practice-hub/5.1.0',
    }),
    hints: {
      newTool: { tool: 'imaging-archive-admin', op: 'bulk_download_xrays', sens: 'HIGH' },
      bulk: [
        { op: 'take_deposit', by: 'amount' },
        { op: 'read_insurance_status', by: 'volume' },
      ],
      burst: 'view_schedule',
      drift: 'search_patient',
    },
  };
}

function quiet(agent: string, v: number): Seat {
  const who = `grace.tupou${v ? v + 1 : ''}@${DOMAIN}`;
  const monthEnd = (day: number) => (day >= 24 && day <= 28 ? 2 : 1);
  return {
    agent,
    archetype: 'dental_group',
    platform: 'bedrock',
    domain: DOMAIN,
    zone: AUCKLAND,
    kind: 'quiet',
    people: [{ id: who, shift: [9, 15], days: WEEKDAYS }],
    rate: (_d, wd, h) => (wd < 5 && h >= 9 && h < 15 ? 0.7 : 0),
    procedures: [
      { name: 'stock', w: 0.4, steps: [s(O.stock), s(O.order, { p: 0.6, gap: 150 })] },
      { name: 'sterilisation', w: 0.3, steps: [s(O.autoclave), s(O.sterilLog, { p: 0.5 })] },
      {
        name: 'invoice',
        w: (day) => 0.3 * monthEnd(day),
        steps: [s(O.received), s(O.supplierInvoice, { gap: 200 })],
      },
    ],
    batches: [],
    context: () => ({ sourceNetwork: '10.88.10.0/24', userAgent: 'supplies-portal/3.3.1' }),
    hints: {
      newTool: { tool: 'hr-rostering', op: 'read_staff_records', sens: 'HIGH' },
      bulk: [
        { op: 'approve_supplier_invoice', by: 'amount' },
        { op: 'order_consumables', by: 'amount' },
      ],
      burst: 'read_stock',
    },
  };
}

export function dentalSeat(kind: Kind, agent: string, v: number): Seat {
  return { bot, assistant, team, quiet }[kind](agent, v);
}
