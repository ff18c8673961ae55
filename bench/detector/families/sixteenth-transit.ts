/**
 * Sixteenth family, archetype `transit_agency`: the Lakeshore Transit Commission in Toronto (EST to EDT on 9 March).
 * A real-time operations bot that follows the service day (AM and PM peaks on weekdays, flatter weekends, nothing
 * but the nightly schedule build between 02:00 and 05:00) and raises alerts in the 19 March snowstorm and the
 * 29–30 March subway closure; a service planner's assistant (away in the March break); the fare-card contact
 * centre's shared seat, busiest after the storm and the closure; a paratransit eligibility coordinator's quiet seat.
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

const TORONTO = zone('America/Toronto', -300, { at: '2025-03-09T07:00:00Z', to: -240 });
const DOMAIN = 'lakeshoretransit.example';
const op = (tool: string, name: string, sens: Sensitivity, vol: Dist = one, amt?: Dist): Op =>
  amt ? { tool, op: name, sens, vol, amt } : { tool, op: name, sens, vol };
const s = (o: Op, extra: Omit<Step, 'op'> = {}): Step => ({ op: o, ...extra });

/** Vehicles in service by local hour: peaks at 07–09 and 16–18 on weekdays. */
const fleet: Dist = (r, day, h) => {
  const weekend = ((day % 7) + 7) % 7 >= 5;
  const base = h < 5 ? 240 : weekend ? 760 : (h >= 7 && h < 10) || (h >= 16 && h < 19) ? 1350 : 930;
  return Math.round(base * (1 + 0.03 * r.normal()));
};

const O = {
  positions: op('avl', 'poll_vehicle_positions', 'LOW', fleet),
  headways: op('rt-engine', 'compute_headways', 'LOW', logn(160, 0.15)),
  taps: op('farecard-data', 'read_tap_events', 'MEDIUM', logn(2400, 0.5)),
  bunching: op('rt-engine', 'flag_bunching', 'LOW', logn(3, 0.6)),
  dispatch: op('cad', 'send_dispatch_instruction', 'MEDIUM', logn(2, 0.5)),
  createAlert: op('alerts', 'create_service_alert', 'MEDIUM'),
  detour: op('cad', 'plan_detour', 'HIGH', logn(4, 0.5)),
  publishAlert: op('alerts', 'publish_service_alert', 'MEDIUM', logn(3, 0.5)),
  tripUpdates: op('gtfs-rt', 'update_trip_updates', 'MEDIUM', logn(40, 0.6)),
  notifyOperators: op('cad', 'notify_operators', 'LOW', logn(25, 0.7)),
  apc: op('apc', 'ingest_apc_counts', 'LOW', logn(185_000, 0.12)),
  buildGtfs: op('scheduling', 'build_gtfs_static', 'HIGH', logn(14_500, 0.03)),
  validateFeed: op('gtfs-rt', 'validate_feed', 'LOW', logn(14_500, 0.03)),
  publishGtfs: op('gtfs-rt', 'publish_gtfs_static', 'HIGH'),
  pushCad: op('cad', 'push_schedule_to_cad', 'HIGH', logn(14_500, 0.03)),
  ridership: op('ridership-dw', 'query_ridership', 'LOW', logn(28_000, 1.1)),
  apcCounts: op('apc', 'fetch_apc_counts', 'LOW', logn(5200, 0.9)),
  cluster: op('apc-analytics', 'cluster_stop_demand', 'LOW', logn(900, 0.4)),
  exportRidership: op('ridership-dw', 'export_ridership', 'MEDIUM', logn(28_000, 1.1)),
  runtimeData: op('scheduling', 'fetch_runtime_data', 'LOW', logn(3000, 0.8)),
  runtime: op('scheduling', 'run_runtime_analysis', 'MEDIUM', logn(120, 0.5)),
  editTrip: op('scheduling', 'edit_trip_pattern', 'HIGH', logn(12, 0.7)),
  boardList: op('scheduling', 'list_board_changes', 'LOW', logn(8, 0.4)),
  propose: op('scheduling', 'propose_board_change', 'HIGH', logn(60, 0.6)),
  shareUnion: op('docs', 'share_with_union_liaison', 'MEDIUM'),
  complaints: op('crm', 'read_service_complaints', 'MEDIUM', logn(25, 0.7)),
  card: op('farecard', 'lookup_card', 'LOW'),
  trips: op('farecard', 'view_trip_history', 'MEDIUM', logn(18, 0.8)),
  refund: op('farecard', 'issue_refund', 'HIGH', one, money(3.35, 0.5)),
  verify: op('crm', 'verify_identity', 'MEDIUM'),
  block: op('farecard', 'block_lost_card', 'MEDIUM'),
  transfer: op('farecard', 'transfer_balance', 'HIGH', one, money(24, 0.9)),
  readComplaint: op('crm', 'read_complaint', 'LOW'),
  reply: op('crm', 'reply_to_complaint', 'LOW'),
  contact: op('crm', 'update_customer_contact', 'MEDIUM'),
  logContact: op('crm', 'log_contact', 'LOW'),
  application: op('paratransit', 'read_application', 'MEDIUM'),
  medical: op('paratransit', 'read_medical_form', 'HIGH', logn(3, 0.5)),
  assessment: op('paratransit', 'schedule_assessment', 'LOW'),
  assessmentResult: op('paratransit', 'read_assessment_result', 'MEDIUM'),
  eligibility: op('paratransit', 'set_eligibility', 'HIGH'),
  letter: op('letters', 'send_eligibility_letter', 'MEDIUM'),
};

const STORM = 16; // Wednesday 19 March
const CLOSURE = [26, 27]; // the weekend of 29–30 March, Line 1 closed between two stations
const weekdayOf = (day: number) => ((day % 7) + 7) % 7;

function bot(agent: string, v: number): Seat {
  const weekday = [6, 3, 0, 0, 0, 8, 12, 12, 12, 12, 10, 10, 10, 10, 10, 12, 12, 12, 12, 8, 8, 8, 8, 8];
  const weekend = [5, 5, 0, 0, 0, 0, 4, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8];
  const alertBoost = (day: number) => (day === STORM ? 4 : CLOSURE.includes(day) ? 3 : day === STORM + 1 ? 2 : 1);
  return {
    agent,
    archetype: 'transit_agency',
    platform: 'vertex-ai',
    domain: DOMAIN,
    zone: TORONTO,
    kind: 'bot',
    people: [],
    rate: (day, wd, h) => (wd >= 5 ? weekend[h]! * (wd === 6 ? 0.9 : 1) : weekday[h]!),
    procedures: [
      {
        name: 'headways',
        w: 0.9,
        steps: [
          s(O.positions),
          s(O.headways, { gap: 4 }),
          s(O.taps, { p: 0.3, gap: 6 }),
          s(O.bunching, { p: 0.35, gap: 3 }),
          s(O.dispatch, { p: 0.08, gap: 10 }),
        ],
      },
      {
        name: 'alert',
        w: (day) => 0.1 * alertBoost(day),
        steps: [
          s(O.createAlert),
          s(O.detour, { p: 0.3, gap: 40 }),
          s(O.publishAlert, { gap: 15 }),
          s(O.tripUpdates, { gap: 5 }),
          s(O.notifyOperators, { gap: 5 }),
        ],
      },
    ],
    batches: [
      {
        name: 'gtfs',
        at: [3, 10],
        on: () => true,
        gap: 150,
        steps: [s(O.apc), s(O.buildGtfs), s(O.validateFeed), s(O.publishGtfs)],
      },
      { name: 'board', at: [2, 30], on: (_d, wd) => wd === 6, gap: 60, steps: [s(O.pushCad)] },
    ],
    // Moves from the on-premises data centre to the cloud region on Sunday 30 March; client upgraded 23 March.
    context: (_r, day) => ({
      sourceNetwork: day >= 27 ? '10.31.8.0/24' : '10.30.2.0/24',
      userAgent: day >= 20 ? `transit-rt-bridge/2.8.${v}` : `transit-rt-bridge/2.7.${3 + v}`,
    }),
    hints: {
      newTool: { tool: 'scada-signals', op: 'override_signal_priority', sens: 'CRITICAL' },
      bulk: [
        { op: 'send_dispatch_instruction', by: 'volume' },
        { op: 'update_trip_updates', by: 'volume' },
        { op: 'notify_operators', by: 'volume' },
      ],
      burst: 'poll_vehicle_positions',
      drift: 'read_tap_events',
    },
  };
}

function assistant(agent: string, v: number): Seat {
  const who = `priya.raman${v ? v + 1 : ''}@${DOMAIN}`;
  const curve = hours([
    [8, 9, 2],
    [9, 12, 3.5],
    [12, 13, 1.5],
    [13, 16, 3.5],
    [16, 17, 2],
  ]);
  return {
    agent,
    archetype: 'transit_agency',
    platform: 'vertex-ai',
    domain: DOMAIN,
    zone: TORONTO,
    kind: 'assistant',
    // Away on 11–12 March (the March break).
    people: [{ id: who, shift: [8, 17], days: WEEKDAYS }],
    rate: (day, _wd, h) => (day === 8 || day === 9 ? 0 : curve[h]!),
    procedures: [
      {
        name: 'ridership',
        w: 0.35,
        steps: [
          s(O.ridership),
          s(O.apcCounts, { gap: 60 }),
          s(O.cluster, { p: ramp(17, 30, 0, 0.7), gap: 45 }),
          s(O.exportRidership, { p: 0.35, gap: 120 }),
        ],
      },
      {
        name: 'runtime',
        w: 0.35,
        steps: [s(O.runtimeData), s(O.runtime, { gap: 90 }), s(O.editTrip, { p: 0.45, gap: 240 })],
      },
      { name: 'board', w: 0.12, steps: [s(O.boardList), s(O.propose, { gap: 300 }), s(O.shareUnion, { p: 0.5 })] },
      { name: 'complaints', w: 0.18, steps: [s(O.complaints), s(O.ridership, { gap: 80 })] },
    ],
    batches: [],
    // Fridays from home over the VPN since the new hybrid-work policy (14 March).
    context: (r, day) => ({
      sourceNetwork: day >= 11 && weekdayOf(day) === 4 && r.chance(0.8) ? '10.30.200.0/24' : '10.30.40.0/24',
      userAgent: 'planner-desk/6.1.0',
    }),
    hints: {
      newTool: { tool: 'payroll-portal', op: 'view_operator_payroll', sens: 'HIGH' },
      bulk: [
        { op: 'export_ridership', by: 'volume' },
        { op: 'read_service_complaints', by: 'volume' },
      ],
      burst: 'query_ridership',
    },
  };
}

function team(agent: string, v: number): Seat {
  const p = member(DOMAIN, v);
  const people = [
    p('sophie.tremblay', [7, 15]),
    p('marcus.osei', [7, 15]),
    p('ana.ferreira', [7, 15]),
    p('raj.patel', [11, 19]),
    p('kim.nguyen', [15, 23]),
    p('david.levy', [15, 23]),
    p('chloe.martin', [8, 20], [5, 6]),
    p('ahmed.yusuf', [8, 20], [5, 6]),
    p('jenna.cho', [7, 15], WEEKDAYS, 14),
    p('tomas.silva', [15, 23], WEEKDAYS, 14),
  ];
  const weekday = hours([
    [7, 8, 8],
    [8, 10, 17],
    [10, 16, 13],
    [16, 19, 15],
    [19, 23, 7],
  ]);
  const weekend = hours([[8, 20, 5]]);
  const disruption = (day: number) =>
    day === STORM ? 1.9 : day === STORM + 1 ? 1.5 : CLOSURE.includes(day) ? 1.6 : day >= 7 && day <= 11 ? 0.85 : 1;
  const stormy = (day: number) => (day === STORM || day === STORM + 1 || CLOSURE.includes(day) ? 2.2 : 1);
  return {
    agent,
    archetype: 'transit_agency',
    platform: 'vertex-ai',
    domain: DOMAIN,
    zone: TORONTO,
    kind: 'team',
    people,
    rate: (day, wd, h) => (wd >= 5 ? weekend[h]! : weekday[h]!) * disruption(day) * Math.pow(1.005, day / 7),
    procedures: [
      { name: 'inquiry', w: 0.4, steps: [s(O.card), s(O.trips), s(O.logContact, { gap: 60 })] },
      {
        name: 'refund',
        w: (day) => 0.2 * stormy(day),
        steps: [s(O.card), s(O.trips), s(O.refund, { gap: 45 }), s(O.logContact)],
      },
      {
        name: 'lost_card',
        w: 0.15,
        steps: [s(O.card), s(O.verify), s(O.block), s(O.transfer, { p: 0.8 }), s(O.logContact)],
      },
      {
        name: 'complaint',
        w: (day) => 0.15 * (stormy(day) > 1 ? 2 : 1),
        steps: [s(O.readComplaint), s(O.reply, { gap: 150 }), s(O.logContact)],
      },
      { name: 'contact', w: 0.1, steps: [s(O.card), s(O.verify), s(O.contact), s(O.logContact)] },
    ],
    batches: [],
    context: () => ({ sourceNetwork: '10.30.60.0/24', userAgent: 'farecard-desk/8.4.2' }),
    hints: {
      newTool: { tool: 'farecard-admin', op: 'mint_card_balance', sens: 'CRITICAL' },
      bulk: [
        { op: 'issue_refund', by: 'amount' },
        { op: 'transfer_balance', by: 'amount' },
      ],
      burst: 'lookup_card',
      drift: 'view_trip_history',
    },
  };
}

function quiet(agent: string, v: number): Seat {
  const coordinator = `louise.gagnon${v ? v + 1 : ''}@${DOMAIN}`;
  const backup = `ian.mcleod${v ? v + 1 : ''}@${DOMAIN}`;
  return {
    agent,
    archetype: 'transit_agency',
    platform: 'vertex-ai',
    domain: DOMAIN,
    zone: TORONTO,
    kind: 'quiet',
    people: [
      { id: coordinator, shift: [9, 16], days: WEEKDAYS },
      { id: backup, shift: [9, 16], days: WEEKDAYS, w: 0.2 },
    ],
    rate: (_day, wd, h) => (wd < 5 && h >= 9 && h < 16 ? 0.6 : 0),
    procedures: [
      {
        name: 'application',
        w: 0.6,
        steps: [s(O.application), s(O.medical, { gap: 120 }), s(O.assessment, { p: 0.4 })],
      },
      {
        name: 'decision',
        w: 0.4,
        steps: [s(O.application), s(O.assessmentResult), s(O.eligibility, { gap: 200 }), s(O.letter)],
      },
    ],
    batches: [],
    context: () => ({ sourceNetwork: '10.30.45.0/24', userAgent: 'para-elig/2.0.7' }),
    hints: {
      newTool: { tool: 'operator-medicals', op: 'read_operator_medicals', sens: 'HIGH' },
      bulk: [
        { op: 'read_medical_form', by: 'volume' },
        { op: 'read_application', by: 'volume' },
      ],
      burst: 'read_application',
    },
  };
}

export function transitSeat(kind: Kind, agent: string, v: number): Seat {
  return { bot, assistant, team, quiet }[kind](agent, v);
}
