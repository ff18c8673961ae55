/**
 * A deep-sea container terminal on the Maasvlakte, Rotterdam (Europe/Amsterdam: CET, CEST from 30 March 01:00Z).
 * Seats: the yard-orchestration bot (acts for nobody, 24/7, reefer rounds every hour, nightly storage rating, big
 * vessel windows on Tuesdays and Fridays), the vessel planner's assistant (one person, office hours, working from
 * home over the VPN from day 12, the berth planner adopted from day 15), the gate and customer-service desk (a
 * shared seat, two shifts seven days a week, a storm closing the quay on day 16 and the backlog on days 17–18,
 * two hires on day 24, a client rollout over days 26–30) and the billing seat (quiet, weekdays, month-end
 * invoicing).
 */
import {
  changingClock,
  dowOf,
  hintsOf,
  hourly,
  proc,
  SEAT_KINDS,
  type OpDef,
  type Person,
  type SeatSpec,
} from './fourteenth-model.js';

const DOMAIN = 'mvt-terminal.example';
const CLOCK = changingClock(1, 2, '2025-03-30T01:00:00Z');
/** Big-ship windows: Tuesdays and Fridays. */
const vesselDay = (dow: number) => dow === 1 || dow === 4;

const OPS: Record<string, OpDef> = {
  get_container_status: { tool: 'tos', sens: 'LOW', volume: (r) => r.pareto(1, 2.5, 40) },
  search_containers: { tool: 'tos', sens: 'LOW', volume: (r) => r.pareto(4, 1.3, 2500) },
  update_yard_position: { tool: 'tos', sens: 'MEDIUM', volume: (r) => r.int(1, 4) },
  assign_truck_appointment: { tool: 'tos', sens: 'MEDIUM', volume: (r) => r.int(1, 2) },
  place_customs_hold: { tool: 'tos', sens: 'MEDIUM', volume: (r) => r.pareto(1, 2, 30) },
  release_hold: { tool: 'tos', sens: 'HIGH', volume: (r) => r.pareto(1, 2.2, 25) },
  amend_bill_of_lading: { tool: 'tos', sens: 'HIGH', volume: () => 1 },
  override_release: { tool: 'tos', sens: 'CRITICAL', volume: () => 1 },
  read_vessel_eta: { tool: 'vessel-planner', sens: 'LOW', volume: (r) => r.int(1, 8) },
  read_bayplan: { tool: 'vessel-planner', sens: 'LOW', volume: (r) => r.logNormal(1800, 0.45) },
  load_list_import: { tool: 'vessel-planner', sens: 'MEDIUM', volume: (r) => r.logNormal(900, 0.6) },
  publish_stowage_plan: { tool: 'vessel-planner', sens: 'HIGH', volume: (r) => r.logNormal(1500, 0.5) },
  read_gate_transaction: { tool: 'gate-os', sens: 'LOW', volume: () => 1 },
  approve_gate_exception: { tool: 'gate-os', sens: 'MEDIUM', volume: () => 1 },
  query_customs_status: { tool: 'customs-link', sens: 'LOW', volume: (r) => r.pareto(6, 1.4, 4000) },
  submit_discharge_list: { tool: 'customs-link', sens: 'MEDIUM', volume: (r) => r.logNormal(1100, 0.5) },
  read_reefer_temps: { tool: 'reefer-monitor', sens: 'LOW', volume: (r) => r.logNormal(620, 0.15) },
  set_reefer_setpoint: { tool: 'reefer-monitor', sens: 'HIGH', volume: () => 1 },
  rate_storage_charges: {
    tool: 'terminal-billing',
    sens: 'MEDIUM',
    volume: (r) => r.logNormal(45, 0.8),
    amount: (r) => r.logNormal(3200, 0.9),
  },
  issue_demurrage_invoice: {
    tool: 'terminal-billing',
    sens: 'HIGH',
    volume: (r) => r.int(1, 12),
    amount: (r) => r.pareto(450, 1.4, 250_000),
  },
  apply_storage_waiver: {
    tool: 'terminal-billing',
    sens: 'MEDIUM',
    volume: (r) => r.int(1, 3),
    amount: (r) => r.logNormal(380, 0.7),
  },
  credit_invoice: { tool: 'terminal-billing', sens: 'HIGH', volume: () => 1, amount: (r) => r.logNormal(800, 1) },
  read_berth_window: { tool: 'berth-planner', sens: 'LOW', volume: (r) => r.int(3, 14) },
  propose_berth_swap: { tool: 'berth-planner', sens: 'MEDIUM', volume: () => 2 },
};

function bot(agent: string): SeatSpec {
  return {
    agent,
    archetype: 'port_terminal',
    platform: 'azure-ai-foundry',
    domain: DOMAIN,
    kind: 'bot',
    clock: CLOCK,
    people: [],
    ops: OPS,
    procedures: [
      proc(
        'gate_in',
        (_d, w) => (w < 5 ? 6 : w === 5 ? 3 : 1.2),
        ['read_gate_transaction', 'get_container_status', 'update_yard_position'],
        2,
      ),
      proc(
        'customs_sync',
        (_d, w) => (vesselDay(w) ? 6 : 3),
        ['query_customs_status', { op: 'place_customs_hold', p: 0.12 }],
        3,
      ),
      proc(
        'discharge',
        (_d, w) => (vesselDay(w) ? 1.2 : 0.2),
        ['read_vessel_eta', 'read_bayplan', 'load_list_import', 'submit_discharge_list'],
        6,
      ),
      proc('housekeeping', () => 1.5, ['search_containers', { op: 'update_yard_position', rep: [2, 6] }], 2),
    ],
    sessions: (day, dow) => 150 * [1, 1, 1, 1, 1, 0.6, 0.35][dow]! * (vesselDay(dow) ? 1.4 : 1) * (1 + 0.004 * day),
    hours: () =>
      hourly([
        [0, 5, 0.3],
        [5, 7, 0.8],
        [7, 12, 1.6],
        [12, 13, 1.2],
        [13, 18, 1.5],
        [18, 22, 0.9],
        [22, 24, 0.5],
      ]),
    batches: [
      ...Array.from({ length: 24 }, (_, h) => ({
        name: `reefer_round_${h}`,
        on: () => true,
        at: h * 60,
        jitter: 10,
        steps: ['read_reefer_temps', { op: 'set_reefer_setpoint', p: 0.05 }],
        gap: 3,
      })),
      {
        name: 'storage_rating',
        on: () => true,
        at: 2 * 60 + 10,
        jitter: 15,
        steps: [{ op: 'rate_storage_charges', rep: [18, 30] }],
        gap: 4,
      },
    ],
    network: () => '10.30.4.0/24',
    client: (day) => (day < 20 ? 'yard-orchestrator/4.2.0' : 'yard-orchestrator/4.3.0'),
    hints: hintsOf({
      newTool: {
        tool: 'crane-plc-gateway',
        ops: [
          ['read_plc_config', 'HIGH'],
          ['write_plc_setpoint', 'CRITICAL'],
        ],
      },
      oddContext: 'network',
      foreignNetwork: '185.107.56.0/24',
      scriptClient: 'python-requests/2.31.0',
      burstOps: ['get_container_status', 'query_customs_status'],
      bulk: [
        { op: 'search_containers', by: 'volume' },
        { op: 'rate_storage_charges', by: 'amount' },
        { op: 'submit_discharge_list', by: 'volume' },
      ],
      driftOp: 'query_customs_status',
    }),
  };
}

function assistant(agent: string): SeatSpec {
  const joost: Person = { email: `joost.devries@${DOMAIN}`, shift: [7, 18] };
  return {
    agent,
    archetype: 'port_terminal',
    platform: 'azure-ai-foundry',
    domain: DOMAIN,
    kind: 'assistant',
    clock: CLOCK,
    people: [joost],
    ops: OPS,
    procedures: [
      proc(
        'stowage_review',
        (_d, w) => (vesselDay(w) ? 6 : 4),
        [
          'read_vessel_eta',
          'read_bayplan',
          { op: 'search_containers', rep: [1, 3] },
          { op: 'publish_stowage_plan', p: 0.4 },
        ],
        40,
      ),
      proc('customs_check', () => 2, ['query_customs_status', { op: 'place_customs_hold', p: 0.2 }], 30),
      proc('bl_amend', () => 0.8, ['get_container_status', 'amend_bill_of_lading'], 50),
      proc('discharge_prep', () => 1, ['read_bayplan', 'load_list_import'], 45),
      proc(
        'berth_talks',
        (d) => (d < 15 ? 0 : Math.min(2.5, (d - 14) * 0.25)),
        ['read_berth_window', { op: 'propose_berth_swap', p: 0.5 }],
        60,
      ),
    ],
    sessions: (_day, dow) => (dow < 5 ? 16 * (vesselDay(dow) ? 1.5 : 1) : dow === 5 ? 1.5 : 0.8),
    hours: (_day, dow) =>
      dow < 5
        ? hourly([
            [7, 8, 0.8],
            [8, 12, 1.5],
            [12, 13, 0.6],
            [13, 17, 1.3],
            [17, 18, 0.5],
          ])
        : hourly([[9, 12, 1]]),
    network: (day, _p, r) => (day >= 12 && (dowOf(day) >= 5 || r.chance(0.3)) ? '10.30.200.0/24' : '10.30.20.0/24'),
    client: () => 'planner-copilot/1.12.0',
    hints: hintsOf({
      newTool: { tool: 'pcs-partner-admin', ops: [['grant_partner_access', 'CRITICAL']] },
      oddContext: 'person',
      foreignNetwork: '185.107.56.0/24',
      scriptClient: 'python-requests/2.31.0',
      strayPerson: `p.mulder@${DOMAIN}`,
      burstOps: ['search_containers'],
      bulk: [
        { op: 'search_containers', by: 'volume' },
        { op: 'query_customs_status', by: 'volume' },
      ],
    }),
  };
}

const DESK: Person[] = [
  { email: `sanne.bakker@${DOMAIN}`, shift: [6, 14] },
  { email: `mohamed.elamrani@${DOMAIN}`, shift: [6, 14] },
  { email: `ruud.jansen@${DOMAIN}`, shift: [6, 14], days: [0, 1, 2, 3, 4] },
  { email: `tessa.visser@${DOMAIN}`, shift: [14, 22] },
  { email: `lukasz.kowalski@${DOMAIN}`, shift: [14, 22] },
  { email: `nana.osei@${DOMAIN}`, shift: [14, 22], days: [0, 1, 2, 3, 4] },
  { email: `anouk.dijkstra@${DOMAIN}`, shift: [6, 14], from: 24 },
  { email: `furkan.yilmaz@${DOMAIN}`, shift: [14, 22], from: 24 },
];

function team(agent: string): SeatSpec {
  return {
    agent,
    archetype: 'port_terminal',
    platform: 'azure-ai-foundry',
    domain: DOMAIN,
    kind: 'team',
    clock: CLOCK,
    people: DESK,
    ops: OPS,
    procedures: [
      proc(
        'truck_issue',
        () => 4,
        ['read_gate_transaction', 'get_container_status', { op: 'approve_gate_exception', p: 0.6 }],
        35,
      ),
      proc('customer_query', () => 5, ['search_containers', { op: 'get_container_status', rep: [1, 3] }], 25),
      proc('release', () => 2.2, ['get_container_status', 'query_customs_status', 'release_hold'], 40),
      proc('appointment', () => 3, ['get_container_status', { op: 'assign_truck_appointment', rep: [1, 2] }], 30),
      proc('hold', () => 0.7, ['query_customs_status', 'place_customs_hold'], 30),
      proc('supervisor_override', () => 0.08, ['get_container_status', 'query_customs_status', 'override_release'], 90),
    ],
    sessions: (day, dow) =>
      [62, 62, 62, 62, 62, 34, 18][dow]! * (day === 16 ? 1.3 : day === 17 || day === 18 ? 1.9 : 1) * (1 + 0.003 * day),
    hours: () =>
      hourly([
        [6, 8, 1.3],
        [8, 12, 1.6],
        [12, 14, 1.1],
        [14, 18, 1.4],
        [18, 22, 0.7],
      ]),
    network: () => '10.30.40.0/24',
    client: (day, p) => (day >= 26 + (Math.max(0, DESK.indexOf(p!)) % 5) ? 'gatedesk-web/7.5.0' : 'gatedesk-web/7.4.2'),
    hints: hintsOf({
      newTool: { tool: 'tos-admin-console', ops: [['bulk_release_holds', 'CRITICAL']] },
      oddContext: 'client',
      foreignNetwork: '185.107.56.0/24',
      scriptClient: 'curl/8.5.0',
      burstOps: ['get_container_status', 'search_containers'],
      bulk: [
        { op: 'query_customs_status', by: 'volume' },
        { op: 'release_hold', by: 'volume' },
      ],
      driftOp: 'search_containers',
    }),
  };
}

function quiet(agent: string): SeatSpec {
  const people: Person[] = [
    { email: `esther.vandenberg@${DOMAIN}`, shift: [8, 17], days: [0, 1, 2, 3, 4] },
    { email: `koen.smit@${DOMAIN}`, shift: [9, 16], days: [1, 3] },
  ];
  return {
    agent,
    archetype: 'port_terminal',
    platform: 'azure-ai-foundry',
    domain: DOMAIN,
    kind: 'quiet',
    clock: CLOCK,
    people,
    ops: OPS,
    procedures: [
      proc(
        'demurrage_run',
        () => 3,
        ['search_containers', 'rate_storage_charges', { op: 'issue_demurrage_invoice', rep: [1, 2] }],
        60,
      ),
      proc(
        'dispute',
        () => 1.8,
        ['get_container_status', { op: 'apply_storage_waiver', p: 0.5 }, { op: 'credit_invoice', p: 0.5 }],
        90,
      ),
      proc('statement', () => 1, ['rate_storage_charges'], 60),
    ],
    sessions: (day, dow) => (dow < 5 ? 4 * ([26, 27, 28, 29].includes(day) ? 2.6 : 1) : 0),
    hours: () =>
      hourly([
        [8, 12, 1.4],
        [12, 13, 0.4],
        [13, 17, 1],
      ]),
    network: () => '10.30.60.0/24',
    client: () => 'billing-assist/2.0.3',
    hints: hintsOf({
      newTool: {
        tool: 'treasury-payments',
        ops: [
          ['change_payee_bank_account', 'CRITICAL'],
          ['release_payment_batch', 'HIGH'],
        ],
      },
      oddContext: 'person',
      foreignNetwork: '185.107.56.0/24',
      scriptClient: 'python-requests/2.31.0',
      strayPerson: `intern.finance@${DOMAIN}`,
      burstOps: ['search_containers'],
      bulk: [
        { op: 'issue_demurrage_invoice', by: 'amount' },
        { op: 'search_containers', by: 'volume' },
      ],
    }),
  };
}

export function portSeat(i: number): SeatSpec {
  const agent = `port-${i}`;
  return { bot, assistant, team, quiet }[SEAT_KINDS[(i - 1) % 4]!](agent);
}
