/**
 * A chain of veterinary clinics around Toronto (America/Toronto: EST, EDT from 9 March 07:00Z). Seats: the lab and
 * reminder worker (acts for nobody; lab results polled all day, reminder batches every evening but Sunday, stock
 * reorders on Monday, Wednesday and Friday nights, pre-authorised repeat refills; reminders and lab traffic grow as
 * heartworm and tick season starts in late March), a veterinarian's assistant (one person, Monday–Saturday, her
 * Thursday clinic on another network, a client upgrade over days 22–25), the central booking contact centre (a
 * shared seat, Mondays and March Break busiest, telehealth adopted from day 16, two agents hired on day 20) and the
 * pharmacy compliance seat (quiet, Friday controlled-drug reconciliation).
 */
import {
  changingClock,
  hintsOf,
  hourly,
  proc,
  SEAT_KINDS,
  type OpDef,
  type Person,
  type SeatSpec,
} from './fourteenth-model.js';

const DOMAIN = 'northpaw-vets.example';
const CLOCK = changingClock(-5, -4, '2025-03-09T07:00:00Z');
const ARCHETYPE = 'veterinary_chain';
const PLATFORM = 'vertex-ai';
/** Heartworm and tick season: from late March, lab and reminder traffic grows ~2 % a day. */
const season = (day: number) => 1 + Math.max(0, day - 18) * 0.02;
const marchBreak = (day: number) => day >= 14 && day <= 18;

const OPS: Record<string, OpDef> = {
  search_patients: { tool: 'pims', sens: 'LOW', volume: (r) => r.pareto(3, 1.5, 400) },
  read_medical_record: { tool: 'pims', sens: 'MEDIUM', volume: () => 1 },
  update_medical_record: { tool: 'pims', sens: 'MEDIUM', volume: () => 1 },
  book_appointment: { tool: 'pims', sens: 'LOW', volume: () => 1 },
  reschedule_appointment: { tool: 'pims', sens: 'LOW', volume: () => 1 },
  cancel_appointment: { tool: 'pims', sens: 'LOW', volume: () => 1 },
  read_rx_history: { tool: 'rx-dispense', sens: 'MEDIUM', volume: (r) => r.int(1, 12) },
  approve_refill: { tool: 'rx-dispense', sens: 'HIGH', volume: () => 1, amount: (r) => r.logNormal(85, 0.6) },
  reconcile_controlled_log: { tool: 'rx-dispense', sens: 'HIGH', volume: (r) => r.logNormal(140, 0.5) },
  push_controlled_rx_log: { tool: 'rx-dispense', sens: 'HIGH', volume: (r) => r.logNormal(40, 0.5) },
  sync_vaccination_certificates: { tool: 'pims', sens: 'MEDIUM', volume: (r) => r.logNormal(25, 0.6) },
  record_narcotic_destruction: { tool: 'rx-dispense', sens: 'CRITICAL', volume: (r) => r.int(1, 9) },
  fetch_lab_results: { tool: 'lab-results', sens: 'MEDIUM', volume: (r) => r.int(1, 6) },
  attach_lab_report: { tool: 'lab-results', sens: 'LOW', volume: () => 1 },
  send_reminder: { tool: 'client-comms', sens: 'LOW', volume: (r) => r.logNormal(180, 0.8) },
  notify_client: { tool: 'client-comms', sens: 'LOW', volume: () => 1 },
  send_estimate: { tool: 'client-comms', sens: 'MEDIUM', volume: () => 1, amount: (r) => r.logNormal(650, 0.8) },
  take_payment: { tool: 'payments', sens: 'MEDIUM', volume: () => 1, amount: (r) => r.logNormal(240, 0.9) },
  issue_refund: { tool: 'payments', sens: 'HIGH', volume: () => 1, amount: (r) => r.logNormal(120, 0.9) },
  check_stock: { tool: 'inventory', sens: 'LOW', volume: (r) => r.pareto(4, 1.3, 900) },
  place_supplier_order: {
    tool: 'inventory',
    sens: 'MEDIUM',
    volume: (r) => r.logNormal(35, 0.7),
    amount: (r) => r.logNormal(2400, 0.8),
  },
  adjust_stock_count: { tool: 'inventory', sens: 'MEDIUM', volume: (r) => r.int(1, 20) },
  start_video_consult: { tool: 'telehealth', sens: 'MEDIUM', volume: () => 1, amount: (r) => r.logNormal(75, 0.3) },
};

const base = (agent: string, kind: SeatSpec['kind'], people: Person[]) => ({
  agent,
  archetype: ARCHETYPE,
  platform: PLATFORM,
  domain: DOMAIN,
  kind,
  clock: CLOCK,
  people,
  ops: OPS,
});

function bot(agent: string): SeatSpec {
  return {
    ...base(agent, 'bot', []),
    procedures: [
      proc(
        'lab_poll',
        (d) => 5 * season(d),
        ['fetch_lab_results', { op: 'attach_lab_report', p: 0.75 }, { op: 'update_medical_record', p: 0.2 }],
        3,
      ),
      proc('stock_watch', () => 1, [{ op: 'check_stock', rep: [1, 3] }], 2),
      proc('rx_ready', () => 1.2, ['read_rx_history', { op: 'approve_refill', p: 0.3 }, 'notify_client'], 4),
    ],
    sessions: (day, dow) => 70 * [1.1, 1, 1, 1, 1, 0.8, 0.35][dow]! * (1 + Math.max(0, day - 18) * 0.012),
    hours: () =>
      hourly([
        [0, 6, 0.1],
        [6, 8, 0.5],
        [8, 12, 1.4],
        [12, 19, 1.6],
        [19, 23, 0.8],
        [23, 24, 0.2],
      ]),
    batches: [
      { name: 'controlled_log', on: () => true, at: 2 * 60, jitter: 10, steps: ['push_controlled_rx_log'], gap: 5 },
      {
        name: 'vaccine_certs',
        on: (_d, w) => w !== 6,
        at: 5 * 60 + 30,
        jitter: 10,
        steps: ['sync_vaccination_certificates'],
        gap: 5,
      },
      {
        name: 'evening_reminders',
        on: (_d, w) => w !== 6,
        at: 18 * 60 + 30,
        jitter: 10,
        steps: [{ op: 'send_reminder', rep: [8, 14] }],
        gap: 20,
      },
      {
        name: 'reorder',
        on: (_d, w) => w === 0 || w === 2 || w === 4,
        at: 3 * 60,
        jitter: 20,
        steps: [
          { op: 'check_stock', rep: [10, 25] },
          { op: 'place_supplier_order', rep: [1, 4] },
        ],
        gap: 5,
      },
    ],
    scale: (op, day) => (op === 'send_reminder' ? 1 + Math.max(0, day - 18) * 0.03 : 1),
    network: () => '10.80.1.0/24',
    client: () => 'pawsync-worker/3.1.4',
    hints: hintsOf({
      newTool: { tool: 'controlled-rx-ordering', ops: [['submit_narcotic_order', 'CRITICAL']] },
      oddContext: 'client',
      foreignNetwork: '41.216.188.0/24',
      scriptClient: 'curl/8.4.0',
      burstOps: ['fetch_lab_results', 'check_stock'],
      bulk: [
        { op: 'send_reminder', by: 'volume' },
        { op: 'place_supplier_order', by: 'amount' },
        { op: 'check_stock', by: 'volume' },
      ],
      driftOp: 'fetch_lab_results',
    }),
  };
}

function assistant(agent: string): SeatSpec {
  const priya: Person = { email: `priya.raman@${DOMAIN}`, days: [0, 1, 2, 3, 4, 5] };
  return {
    ...base(agent, 'assistant', [priya]),
    procedures: [
      proc(
        'consult_prep',
        () => 5,
        [
          'search_patients',
          'read_medical_record',
          { op: 'read_rx_history', p: 0.6 },
          { op: 'fetch_lab_results', p: 0.5 },
        ],
        25,
      ),
      proc(
        'consult_notes',
        () => 3.5,
        ['update_medical_record', { op: 'approve_refill', p: 0.35 }, { op: 'send_estimate', p: 0.2 }],
        45,
      ),
      proc('refill_queue', () => 1.5, ['read_rx_history', 'approve_refill'], 40),
      proc('lab_review', (d) => 1.2 * season(d), ['fetch_lab_results', 'update_medical_record'], 35),
    ],
    sessions: (_day, dow) => (dow < 5 ? 20 : dow === 5 ? 9 : 0),
    hours: (_day, dow) =>
      dow < 5
        ? hourly([
            [8, 12, 1.5],
            [12, 13, 0.5],
            [13, 19, 1.2],
          ])
        : hourly([[9, 15, 1]]),
    network: (day) => (((day % 7) + 7) % 7 === 3 ? '10.80.44.0/24' : '10.80.31.0/24'),
    client: (day, _p, r) =>
      day < 22 || (day <= 25 && !r.chance((day - 21) / 5)) ? 'vetassist-desktop/2.7.1' : 'vetassist-desktop/2.8.0',
    hints: hintsOf({
      newTool: { tool: 'client-data-export', ops: [['export_client_contacts', 'HIGH']] },
      oddContext: 'person',
      foreignNetwork: '41.216.188.0/24',
      scriptClient: 'curl/8.4.0',
      strayPerson: `locum.vet@${DOMAIN}`,
      burstOps: ['search_patients'],
      bulk: [
        { op: 'read_rx_history', by: 'volume' },
        { op: 'search_patients', by: 'volume' },
      ],
    }),
  };
}

const CSRS: Person[] = [
  { email: `amira.haddad@${DOMAIN}`, shift: [7, 15] },
  { email: `ben.kowalczyk@${DOMAIN}`, shift: [7, 15], days: [0, 1, 2, 3, 4] },
  { email: `chloe.nguyen@${DOMAIN}`, shift: [9, 17] },
  { email: `devon.brown@${DOMAIN}`, shift: [13, 21] },
  { email: `elena.petrova@${DOMAIN}`, shift: [13, 21], days: [0, 1, 2, 3, 4] },
  { email: `farah.siddiqui@${DOMAIN}`, shift: [11, 19], days: [2, 3, 4, 5, 6] },
  { email: `gabriel.santos@${DOMAIN}`, shift: [9, 17], days: [0, 1, 5, 6] },
  { email: `hannah.lee@${DOMAIN}`, shift: [7, 15], from: 20 },
  { email: `isaac.mensah@${DOMAIN}`, shift: [13, 21], from: 20 },
];
const REMOTE_CSRS = new Set([`chloe.nguyen@${DOMAIN}`, `farah.siddiqui@${DOMAIN}`]);

function team(agent: string): SeatSpec {
  return {
    ...base(agent, 'team', CSRS),
    procedures: [
      proc('booking', () => 6, ['search_patients', { op: 'read_medical_record', p: 0.4 }, 'book_appointment'], 30),
      proc('reschedule', () => 3, ['search_patients', 'reschedule_appointment'], 30),
      proc('cancel', () => 0.8, ['search_patients', 'cancel_appointment'], 25),
      proc('payment', () => 2, ['search_patients', 'take_payment'], 40),
      proc('refund', () => 0.5, ['search_patients', 'issue_refund'], 60),
      proc('estimate', () => 1, ['read_medical_record', 'send_estimate'], 50),
      proc(
        'telehealth',
        (d) => (d < 16 ? 0 : Math.min(2, (d - 15) * 0.2)),
        ['search_patients', 'start_video_consult'],
        40,
      ),
    ],
    sessions: (day, dow) => [94, 70, 70, 70, 70, 45, 16][dow]! * (marchBreak(day) ? 1.25 : 1) * (1 + 0.004 * day),
    hours: (_day, dow) =>
      dow === 6
        ? hourly([[9, 17, 1]])
        : hourly([
            [7, 9, 0.8],
            [9, 12, 1.6],
            [12, 14, 1.2],
            [14, 18, 1.3],
            [18, 21, 0.7],
          ]),
    network: (_day, p) => (p && REMOTE_CSRS.has(p.email) ? '10.80.250.0/24' : '10.80.10.0/24'),
    client: () => 'contactcentre-web/5.2.0',
    hints: hintsOf({
      newTool: { tool: 'pims-admin', ops: [['bulk_delete_clients', 'CRITICAL']] },
      oddContext: 'network',
      foreignNetwork: '5.188.62.0/24',
      scriptClient: 'curl/8.4.0',
      burstOps: ['search_patients', 'book_appointment'],
      bulk: [
        { op: 'take_payment', by: 'amount' },
        { op: 'read_medical_record', by: 'volume' },
      ],
      driftOp: 'search_patients',
    }),
  };
}

function quiet(agent: string): SeatSpec {
  const people: Person[] = [
    { email: `kemi.okafor@${DOMAIN}`, shift: [9, 16], days: [1, 2, 3, 4] },
    { email: `julien.tremblay@${DOMAIN}`, shift: [10, 15], days: [0, 2] },
  ];
  return {
    ...base(agent, 'quiet', people),
    procedures: [
      proc(
        'controlled_reconcile',
        (_d, w) => (w === 4 ? 4 : 0.6),
        ['read_rx_history', 'reconcile_controlled_log', { op: 'record_narcotic_destruction', p: 0.15 }],
        120,
      ),
      proc('stock_audit', () => 2, [{ op: 'check_stock', rep: [1, 2] }, 'adjust_stock_count'], 90),
      proc('refund_review', () => 1, ['read_rx_history', { op: 'issue_refund', p: 0.5 }], 80),
      proc('supplier', () => 0.8, ['check_stock', 'place_supplier_order'], 100),
    ],
    sessions: (_day, dow) => (dow < 5 ? 4.5 : 0),
    hours: () =>
      hourly([
        [9, 12, 1.3],
        [12, 13, 0.5],
        [13, 16, 1],
      ]),
    network: () => '10.80.70.0/24',
    client: () => 'rx-compliance/1.3.2',
    hints: hintsOf({
      newTool: { tool: 'payroll-connector', ops: [['export_payroll_register', 'HIGH']] },
      oddContext: 'network',
      foreignNetwork: '193.32.162.0/24',
      scriptClient: 'curl/8.4.0',
      burstOps: ['check_stock'],
      bulk: [
        { op: 'issue_refund', by: 'amount' },
        { op: 'read_rx_history', by: 'volume' },
      ],
    }),
  };
}

export function vetSeat(i: number): SeatSpec {
  return { bot, assistant, team, quiet }[SEAT_KINDS[(i - 1) % 4]!](`vet-${i}`);
}
