/**
 * A cross-border customs broker at Laredo, Texas (America/Chicago: CST, CDT from 9 March 08:00Z) with its
 * pedimento team in Monterrey (America/Monterrey: UTC−6 all year since Mexico dropped daylight saving). Seats: the
 * e-manifest and release bot (acts for nobody; follows truck crossings at the bridge, weekdays heavy, Sundays
 * nearly idle; a daily duty statement, the monthly statement paid on day 18; a client upgrade on day 27), the
 * licensed broker's assistant (one person, office hours, the office moving network on day 29), the Monterrey glosa
 * team (a shared seat, Monday–Saturday, month-end rush, an AI classifier adopted from day 18, two hires on day 21)
 * and the compliance seat (quiet, mostly Tuesdays and Thursdays). Tariff news (4–6 March, 2–3 April) sends
 * classification and rate look-ups up.
 */
import {
  changingClock,
  fixedClock,
  hintsOf,
  hourly,
  proc,
  SEAT_KINDS,
  type OpDef,
  type Person,
  type SeatSpec,
} from './fourteenth-model.js';

const DOMAIN = 'riogrande-customs.example';
const LAREDO = changingClock(-6, -5, '2025-03-09T08:00:00Z');
const MONTERREY = fixedClock(-6);
const ARCHETYPE = 'customs_brokerage';
const PLATFORM = 'bedrock';
/** Days of tariff news: the March tariffs on Mexico and their USMCA carve-out, then the April announcement. */
const tariffNews = (day: number) => [1, 2, 3, 30, 31].includes(day);

const OPS: Record<string, OpDef> = {
  submit_emanifest: { tool: 'carrier-edi', sens: 'MEDIUM', volume: (r) => r.logNormal(4, 0.6) },
  query_entry_status: { tool: 'ace-portal', sens: 'LOW', volume: (r) => r.logNormal(3, 0.8) },
  request_cargo_release: { tool: 'ace-portal', sens: 'HIGH', volume: (r) => r.logNormal(3, 0.7) },
  file_entry_summary: {
    tool: 'ace-portal',
    sens: 'HIGH',
    volume: (r) => r.logNormal(6, 0.9),
    amount: (r) => r.pareto(300, 1.1, 900_000),
  },
  file_post_summary_correction: {
    tool: 'ace-portal',
    sens: 'HIGH',
    volume: (r) => r.int(1, 8),
    amount: (r) => r.logNormal(1200, 1.1),
  },
  schedule_duty_payment: {
    tool: 'duty-payments',
    sens: 'HIGH',
    volume: (r) => r.logNormal(60, 0.6),
    amount: (r) => r.logNormal(18_000, 0.8),
  },
  pay_periodic_statement: {
    tool: 'duty-payments',
    sens: 'CRITICAL',
    volume: (r) => r.logNormal(1200, 0.3),
    amount: (r) => r.logNormal(380_000, 0.3),
  },
  read_periodic_statement: { tool: 'duty-payments', sens: 'MEDIUM', volume: (r) => r.logNormal(200, 0.5) },
  file_pedimento: {
    tool: 'vucem',
    sens: 'HIGH',
    volume: (r) => r.logNormal(5, 0.8),
    amount: (r) => r.pareto(2500, 1.2, 4_000_000),
  },
  validate_pedimento: { tool: 'vucem', sens: 'MEDIUM', volume: () => 1 },
  query_pedimento_status: { tool: 'vucem', sens: 'LOW', volume: (r) => r.pareto(1, 1.6, 300) },
  classify_hts: { tool: 'tariff-classifier', sens: 'LOW', volume: (r) => r.int(1, 12) },
  lookup_tariff_rate: { tool: 'tariff-classifier', sens: 'LOW', volume: (r) => r.int(1, 5) },
  request_binding_ruling: { tool: 'tariff-classifier', sens: 'MEDIUM', volume: () => 1 },
  suggest_classification: { tool: 'tariff-ai', sens: 'LOW', volume: (r) => r.int(1, 12) },
  fetch_commercial_invoice: { tool: 'doc-vault', sens: 'LOW', volume: (r) => r.int(1, 4) },
  upload_certificate_of_origin: { tool: 'doc-vault', sens: 'MEDIUM', volume: (r) => r.int(1, 3) },
  check_bond_sufficiency: { tool: 'bond-manager', sens: 'MEDIUM', volume: () => 1 },
};

const base = (agent: string, kind: SeatSpec['kind'], people: Person[], clock = LAREDO) => ({
  agent,
  archetype: ARCHETYPE,
  platform: PLATFORM,
  domain: DOMAIN,
  kind,
  clock,
  people,
  ops: OPS,
});

function bot(agent: string): SeatSpec {
  return {
    ...base(agent, 'bot', []),
    procedures: [
      proc(
        'crossing',
        (_d, w) => (w < 5 ? 6 : w === 5 ? 3 : 0.8),
        [
          'fetch_commercial_invoice',
          'submit_emanifest',
          { op: 'query_entry_status', rep: [1, 3] },
          { op: 'request_cargo_release', p: 0.85 },
        ],
        4,
      ),
      proc('pedimento_poll', () => 2, [{ op: 'query_pedimento_status', rep: [1, 2] }], 3),
      proc('tariff_check', (d) => (tariffNews(d) ? 3 : 1), ['lookup_tariff_rate'], 2),
    ],
    sessions: (day, dow) => 120 * [1, 1, 1, 1, 1, 0.5, 0.15][dow]! * (tariffNews(day) ? 1.25 : 1) * (1 + 0.003 * day),
    hours: () =>
      hourly([
        [0, 6, 0.1],
        [6, 8, 0.6],
        [8, 12, 1.4],
        [12, 18, 1.7],
        [18, 22, 1],
        [22, 24, 0.5],
      ]),
    batches: [
      {
        name: 'daily_statement',
        on: (_d, w) => w < 5,
        at: 16 * 60 + 30,
        jitter: 20,
        steps: ['read_periodic_statement', 'schedule_duty_payment'],
        gap: 12,
      },
      {
        name: 'monthly_statement',
        on: (d) => d === 18,
        at: 9 * 60,
        jitter: 30,
        steps: ['read_periodic_statement', 'pay_periodic_statement'],
        gap: 30,
      },
    ],
    network: () => '10.60.2.0/24',
    client: (day) => (day < 27 ? 'brokerbot/5.0.3' : 'brokerbot/5.1.0'),
    hints: hintsOf({
      newTool: { tool: 'bank-wire-gateway', ops: [['initiate_wire_transfer', 'CRITICAL']] },
      oddContext: 'network',
      foreignNetwork: '45.146.165.0/24',
      scriptClient: 'python-requests/2.28.2',
      burstOps: ['query_entry_status', 'query_pedimento_status'],
      bulk: [
        { op: 'fetch_commercial_invoice', by: 'volume' },
        { op: 'schedule_duty_payment', by: 'amount' },
        { op: 'query_pedimento_status', by: 'volume' },
      ],
      driftOp: 'query_entry_status',
    }),
  };
}

function assistant(agent: string): SeatSpec {
  const mariana: Person = { email: `mariana.trevino@${DOMAIN}`, days: [0, 1, 2, 3, 4, 5] };
  return {
    ...base(agent, 'assistant', [mariana]),
    procedures: [
      proc(
        'entry_review',
        () => 4,
        ['query_entry_status', 'fetch_commercial_invoice', { op: 'classify_hts', rep: [1, 2] }, 'file_entry_summary'],
        50,
      ),
      proc('bond', () => 0.6, ['check_bond_sufficiency'], 30),
      proc(
        'ruling',
        (d) => (tariffNews(d) ? 4 : 1.5),
        [
          { op: 'lookup_tariff_rate', rep: [1, 3] },
          { op: 'request_binding_ruling', p: 0.25 },
        ],
        45,
      ),
      proc('payments', () => 0.8, ['read_periodic_statement', { op: 'schedule_duty_payment', p: 0.3 }], 60),
      proc('release', () => 1.5, ['query_entry_status', 'request_cargo_release'], 40),
    ],
    sessions: (day, dow) => (dow < 5 ? 14 * (tariffNews(day) ? 2 : 1) : dow === 5 ? 2 : 0),
    hours: (_day, dow) =>
      dow < 5
        ? hourly([
            [8, 12, 1.4],
            [12, 13, 0.6],
            [13, 18, 1.2],
            [18, 19, 0.4],
          ])
        : hourly([[9, 13, 1]]),
    network: (day) => (day < 29 ? '10.60.10.0/24' : '10.61.10.0/24'),
    client: () => 'broker-assist/3.4.0',
    hints: hintsOf({
      newTool: { tool: 'ace-account-admin', ops: [['add_trade_account_user', 'CRITICAL']] },
      oddContext: 'client',
      foreignNetwork: '45.146.165.0/24',
      scriptClient: 'curl/7.88.1',
      burstOps: ['lookup_tariff_rate'],
      bulk: [
        { op: 'file_entry_summary', by: 'amount' },
        { op: 'query_entry_status', by: 'volume' },
      ],
    }),
  };
}

const GLOSA: Person[] = [
  { email: `alejandra.garza@${DOMAIN}`, shift: [8, 16] },
  { email: `bruno.cantu@${DOMAIN}`, shift: [8, 16] },
  { email: `carla.villarreal@${DOMAIN}`, shift: [9, 17] },
  { email: `diego.salazar@${DOMAIN}`, shift: [12, 20] },
  { email: `erika.montemayor@${DOMAIN}`, shift: [12, 20] },
  { email: `fernando.leal@${DOMAIN}`, shift: [10, 18], days: [0, 1, 2, 3, 4] },
  { email: `gloria.rdz@${DOMAIN}`, shift: [9, 17], days: [1, 2, 3, 4, 5] },
  { email: `hector.galvan@${DOMAIN}`, shift: [8, 16], from: 21 },
  { email: `ines.elizondo@${DOMAIN}`, shift: [12, 20], from: 21 },
];

function team(agent: string): SeatSpec {
  const ai = (d: number) => (d < 18 ? 0 : Math.min(3, (d - 17) * 0.25));
  return {
    ...base(agent, 'team', GLOSA, MONTERREY),
    procedures: [
      proc(
        'pedimento',
        (d) => 5 - ai(d),
        ['fetch_commercial_invoice', { op: 'classify_hts', rep: [1, 3] }, 'validate_pedimento', 'file_pedimento'],
        70,
      ),
      proc(
        'pedimento_ai',
        ai,
        ['fetch_commercial_invoice', 'suggest_classification', 'classify_hts', 'validate_pedimento', 'file_pedimento'],
        55,
      ),
      proc('status', () => 3, [{ op: 'query_pedimento_status', rep: [1, 2] }], 20),
      proc('usmca', (d) => (tariffNews(d) ? 3 : 1), ['fetch_commercial_invoice', 'upload_certificate_of_origin'], 60),
      proc('rates', (d) => (tariffNews(d) ? 3 : 1.5), ['lookup_tariff_rate', 'classify_hts'], 40),
    ],
    sessions: (day, dow) =>
      (dow < 5 ? 48 : dow === 5 ? 12 : 0) * (day >= 24 && day <= 28 ? 1.5 : 1) * (tariffNews(day) ? 1.4 : 1),
    hours: (_day, dow) =>
      dow === 5
        ? hourly([[9, 14, 1]])
        : hourly([
            [8, 10, 1],
            [10, 14, 1.5],
            [14, 15, 0.7],
            [15, 19, 1.3],
            [19, 20, 0.6],
          ]),
    network: () => '10.62.5.0/24',
    client: () => 'glosa-desk/8.2.1',
    hints: hintsOf({
      newTool: { tool: 'sat-efirma-vault', ops: [['download_efirma_certificate', 'CRITICAL']] },
      oddContext: 'network',
      foreignNetwork: '189.203.88.0/24',
      scriptClient: 'python-requests/2.28.2',
      burstOps: ['query_pedimento_status', 'lookup_tariff_rate'],
      bulk: [
        { op: 'file_pedimento', by: 'amount' },
        { op: 'fetch_commercial_invoice', by: 'volume' },
      ],
      driftOp: 'classify_hts',
    }),
  };
}

function quiet(agent: string): SeatSpec {
  const hilda: Person = { email: `hilda.salinas@${DOMAIN}`, shift: [9, 17], days: [0, 1, 2, 3, 4] };
  return {
    ...base(agent, 'quiet', [hilda]),
    procedures: [
      proc('statement_review', () => 2, ['read_periodic_statement', 'check_bond_sufficiency'], 150),
      proc('post_summary_correction', () => 1, ['query_entry_status', 'file_post_summary_correction'], 200),
      proc('ruling', () => 1, ['lookup_tariff_rate', 'request_binding_ruling'], 120),
    ],
    sessions: (_day, dow) => (dow === 1 || dow === 3 ? 5 : dow < 5 ? 2 : 0),
    hours: () =>
      hourly([
        [9, 12, 1.2],
        [12, 13, 0.3],
        [13, 17, 1],
      ]),
    network: () => '10.60.30.0/24',
    client: () => 'compliance-notebook/0.14.2',
    hints: hintsOf({
      newTool: { tool: 'importer-crm', ops: [['export_importer_list', 'HIGH']] },
      oddContext: 'person',
      foreignNetwork: '45.146.165.0/24',
      scriptClient: 'python-requests/2.28.2',
      strayPerson: `temp.auditor@${DOMAIN}`,
      burstOps: ['query_entry_status'],
      bulk: [{ op: 'read_periodic_statement', by: 'volume' }],
    }),
  };
}

export function customsSeat(i: number): SeatSpec {
  return { bot, assistant, team, quiet }[SEAT_KINDS[(i - 1) % 4]!](`customs-${i}`);
}
