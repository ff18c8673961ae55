/**
 * Southern Cross Rail Freight, an Adelaide freight operator (Australia/Adelaide: half an hour off the hour, clocks
 * back from +10:30 to +09:30 on 6 April) running intermodal, steel and grain trains east and west. Adelaide Cup Day
 * (Monday 10 March) is a public holiday; a washout closes the transcontinental line from Tuesday 18 to Friday 21
 * March (trains held and re-pathed, crews stranded, speed restrictions); a new steel contract adds departures from
 * day 21; March closes on a Monday. Seats: the train-running bot (nobody's), the network control manager's
 * assistant, the crew and control desk (a team on 12-hour shifts round the clock), and the revenue analyst's quiet
 * seat.
 */
import { hourly, ramp, type Day, type Op, type Seat } from './fifteenth-model.js';

const ARCHETYPE = 'freight_railway';
const TZ = 'Australia/Adelaide';
const DOMAIN = 'scrailfreight.example';
const RESOURCES: Record<string, string> = {
  'track-access': 'https://access.nationaltrack.example/paths/',
  'bom-warnings': 'https://api.bom-warnings.example/v1/',
};
const resource = (tool: string) => RESOURCES[tool] ?? `https://${tool}.${DOMAIN}/`;

const WASHOUT = [15, 16, 17, 18];
const washout = (d: Day) => WASHOUT.includes(d.index);
const holiday = (d: Day) => d.index === 7;
/** Steel contract: more departures from day 21. */
const steel = (d: Day) => (d.index >= 21 ? 1.2 : 1);

function bot(agent: string): Seat {
  const ops: Record<string, Op> = {
    read_train_position: { tool: 'train-control', sensitivity: 'LOW', volume: (r) => r.int(9, 26) },
    update_eta: { tool: 'customer-portal', sensitivity: 'LOW', volume: (r) => r.pareto(12, 1.5, 900) },
    notify_customer_eta: { tool: 'customer-portal', sensitivity: 'LOW', volume: (r) => r.int(1, 30) },
    build_consist: { tool: 'wagon-fleet', sensitivity: 'MEDIUM', volume: (r) => r.int(40, 110) },
    validate_dangerous_goods: { tool: 'dg-register', sensitivity: 'MEDIUM', volume: (r) => r.int(1, 12) },
    publish_manifest: { tool: 'train-control', sensitivity: 'MEDIUM', volume: (r) => r.int(40, 110) },
    book_track_path: {
      tool: 'track-access',
      sensitivity: 'HIGH',
      volume: () => 1,
      amount: (r) => r.logNormal(6500, 0.5),
    },
    cancel_track_path: { tool: 'track-access', sensitivity: 'MEDIUM', volume: () => 1 },
  };
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'bedrock',
    tz: TZ,
    kind: 'bot',
    ops,
    procedures: [
      { name: 'positions', weight: () => 0, steps: ['read_train_position'] },
      { name: 'eta', weight: () => 5, steps: ['read_train_position', 'update_eta', 'notify_customer_eta?0.4'] },
      {
        name: 'departure',
        weight: () => 0,
        steps: ['build_consist', 'validate_dangerous_goods?0.6', 'publish_manifest', 'book_track_path?0.25'],
      },
      {
        name: 'reroute',
        weight: (d) => (washout(d) ? 4 : 0),
        steps: ['read_train_position', 'cancel_track_path', 'book_track_path?0.7'],
      },
    ],
    rate: (d, h) =>
      (hourly([
        [0, 24, 1.6],
        [6, 20, 2.8],
      ])[h]! +
        (washout(d) ? 2.5 : 0)) *
      (d.dow >= 5 ? 0.75 : 1),
    batches: (d, r) => {
      const b = [];
      for (let h = 0; h < 24; h += 1 / 6) b.push({ at: h + r.uniform(0, 0.005), procedure: 'positions' });
      // Departures cluster in the afternoon and evening; fewer at weekends, held during the washout.
      const n = Math.round(r.uniform(9, 13) * steel(d) * (d.dow >= 5 ? 0.6 : 1) * (washout(d) ? 0.3 : 1));
      for (let i = 0; i < n; i++)
        b.push({ at: r.chance(0.75) ? r.uniform(14, 23.5) : r.uniform(4, 14), procedure: 'departure' });
      return b;
    },
    context: (d) => ({
      sourceNetwork: '10.70.5.0/24',
      userAgent: d.index < 29 ? 'scr-ops-bot/2.8.0' : 'scr-ops-bot/2.9.1',
    }),
    gap: (r) => r.logNormal(1.2, 0.6),
    resource,
    plan: {
      newTool: {
        tool: 'signalling-interlock',
        op: 'set_route_override',
        sensitivity: 'CRITICAL',
        calls: 1,
        volume: 1,
        amount: 0,
      },
      bulk: ['notify_customer_eta', 'book_track_path'],
      burst: 'read_train_position',
      drift: 'update_eta',
      oddContext: { variant: 'network', value: '45.83.64.0/24' },
      oddSequences: 2,
    },
  };
}

function assistant(agent: string, person: string): Seat {
  const ops: Record<string, Op> = {
    read_train_graph: { tool: 'train-control', sensitivity: 'LOW', volume: (r) => r.int(5, 40) },
    read_incident_log: { tool: 'incident-log', sensitivity: 'LOW', volume: (r) => r.pareto(2, 1.4, 300) },
    read_weather_warning: { tool: 'bom-warnings', sensitivity: 'LOW', volume: (r) => r.int(1, 6) },
    issue_speed_restriction: { tool: 'track-safety', sensitivity: 'HIGH', volume: (r) => r.int(1, 3) },
    lift_speed_restriction: { tool: 'track-safety', sensitivity: 'HIGH', volume: () => 1 },
    approve_path_change: { tool: 'track-access', sensitivity: 'MEDIUM', volume: () => 1 },
    draft_customer_advisory: { tool: 'docgen', sensitivity: 'LOW', volume: () => 1 },
    send_customer_advisory: { tool: 'customer-portal', sensitivity: 'MEDIUM', volume: (r) => r.pareto(5, 1.1, 400) },
  };
  const trouble = (d: Day) => (washout(d) ? 3 : d.index === 19 ? 2 : 1);
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'openai-agents',
    tz: TZ,
    kind: 'assistant',
    ops,
    procedures: [
      { name: 'review', weight: () => 4, steps: ['read_train_graph', 'read_incident_log?0.6'] },
      {
        name: 'restrict',
        weight: (d) => 0.8 * trouble(d),
        steps: [
          'read_weather_warning?0.5',
          'read_incident_log',
          'issue_speed_restriction',
          'draft_customer_advisory?0.3',
        ],
      },
      {
        name: 'lift',
        weight: (d) => 0.7 * (d.index === 19 || d.index === 20 ? 3 : 1),
        steps: ['read_train_graph', 'lift_speed_restriction'],
      },
      {
        name: 'paths',
        weight: (d) => 1.5 * trouble(d),
        steps: ['read_train_graph', 'approve_path_change', 'read_incident_log?0.2'],
      },
      {
        name: 'advisory',
        weight: (d) => trouble(d),
        steps: ['read_incident_log?0.4', 'draft_customer_advisory', 'send_customer_advisory'],
      },
    ],
    rate: (d, h) => {
      if (d.dow >= 5 || holiday(d)) return washout(d) ? hourly([[8, 12, 1]])[h]! : 0;
      return (
        hourly([
          [7, 16, 2.4],
          [7, 8, 3.2],
          [12, 13, 1.2],
        ])[h]! * (washout(d) ? 2 : 1)
      );
    },
    people: () => [person],
    // During the washout she works from the Port Augusta control centre.
    context: (d) => ({
      sourceNetwork: washout(d) && d.dow < 5 && d.index > 15 ? '10.71.3.0/24' : '10.70.20.0/24',
      onBehalfOf: person,
      userAgent: d.index < 26 ? 'control-copilot/1.6.2' : 'control-copilot/1.7.0',
    }),
    gap: (r) => r.logNormal(40, 0.8),
    resource,
    plan: {
      newTool: {
        tool: 'hr-core',
        op: 'export_employee_records',
        sensitivity: 'HIGH',
        calls: 2,
        volume: 1400,
        amount: 0,
      },
      bulk: ['send_customer_advisory', 'read_incident_log'],
      burst: 'read_train_graph',
      oddContext: { variant: 'person', value: 'greg.holt@scrailfreight.example' },
      oddSequences: 2,
    },
  };
}

const CONTROLLERS = [
  'kate.nguyen@scrailfreight.example',
  'bill.thompson@scrailfreight.example',
  'aisha.rahman@scrailfreight.example',
  'steve.papadopoulos@scrailfreight.example',
  'lucy.oneill@scrailfreight.example',
  'josh.tran@scrailfreight.example',
  'mick.fraser@scrailfreight.example',
  'emma.kowalski@scrailfreight.example',
];
const NEW_CONTROLLER: [string, number] = ['zara.ahmed@scrailfreight.example', 15];

function team(agent: string): Seat {
  const ops: Record<string, Op> = {
    read_roster: { tool: 'crew-roster', sensitivity: 'LOW', volume: (r) => r.int(4, 30) },
    check_fatigue_hours: { tool: 'crew-roster', sensitivity: 'LOW', volume: (r) => r.int(1, 4) },
    assess_fatigue_risk: { tool: 'fatigue-risk-model', sensitivity: 'LOW', volume: (r) => r.int(1, 4) },
    record_sign_on: { tool: 'crew-roster', sensitivity: 'LOW', volume: () => 1 },
    assign_crew: { tool: 'crew-roster', sensitivity: 'MEDIUM', volume: (r) => r.int(1, 3) },
    swap_shift: { tool: 'crew-roster', sensitivity: 'MEDIUM', volume: () => 2 },
    book_crew_accommodation: {
      tool: 'travel-booking',
      sensitivity: 'MEDIUM',
      volume: (r) => r.int(1, 3),
      amount: (r) => r.logNormal(180, 0.4),
    },
    arrange_crew_taxi: {
      tool: 'travel-booking',
      sensitivity: 'LOW',
      volume: () => 1,
      amount: (r) => r.uniform(60, 250),
    },
    approve_overtime: {
      tool: 'payroll-time',
      sensitivity: 'HIGH',
      volume: () => 1,
      amount: (r) => r.logNormal(420, 0.6),
    },
  };
  // The fatigue-risk model is taken up gradually from day 19.
  const model = (d: Day) => 0.85 * ramp(d, 19, 33);
  const stranded = (d: Day) => (washout(d) ? 2.2 : 1);
  const crewChange = [
    'read_roster',
    'check_fatigue_hours',
    'assign_crew',
    'book_crew_accommodation?0.35',
    'arrange_crew_taxi?0.3',
  ];
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'langgraph-platform',
    tz: TZ,
    kind: 'team',
    ops,
    procedures: [
      { name: 'sign_on', weight: () => 3, steps: ['record_sign_on', 'check_fatigue_hours?0.5'] },
      { name: 'crew_change', weight: (d) => 3 * stranded(d) * (1 - model(d)), steps: crewChange },
      {
        name: 'crew_change_modelled',
        weight: (d) => 3 * stranded(d) * model(d),
        steps: [...crewChange.slice(0, 2), 'assess_fatigue_risk', ...crewChange.slice(2)],
      },
      { name: 'swap', weight: () => 1.2, steps: ['read_roster', 'swap_shift', 'approve_overtime?0.3'] },
      { name: 'overtime', weight: (d) => 0.8 * stranded(d), steps: ['read_roster', 'approve_overtime'] },
    ],
    rate: (d, h) => (h >= 6 && h < 18 ? 7.5 : 3.5) * (holiday(d) ? 0.7 : 1) * (washout(d) ? 1.6 : 1),
    // Four days on, four off; day shift 06–18 and night shift 18–06 (a night belongs to the day it starts).
    people: (d, h) => {
      const all = [...CONTROLLERS, ...(d.index >= NEW_CONTROLLER[1] ? [NEW_CONTROLLER[0]] : [])];
      const dayIndex = h < 6 ? d.index - 1 : d.index;
      const night = h < 6 || h >= 18;
      return all.filter((_, i) => Math.floor((dayIndex + 4 + 2 * i) / 4) % 2 === 0 && i % 2 === (night ? 1 : 0));
    },
    context: (_d, _h, _r, person) => ({
      sourceNetwork: '10.70.30.0/24',
      onBehalfOf: person!,
      userAgent: 'crewdesk/3.3.0',
    }),
    gap: (r) => r.logNormal(35, 0.8),
    resource,
    plan: {
      newTool: {
        tool: 'fuel-card-admin',
        op: 'raise_card_limit',
        sensitivity: 'HIGH',
        calls: 2,
        volume: 1,
        amount: 5000,
      },
      bulk: ['book_crew_accommodation', 'approve_overtime'],
      burst: 'check_fatigue_hours',
      drift: 'read_roster',
      oddContext: { variant: 'client', value: 'python-requests/2.32.3' },
      oddSequences: 3,
    },
  };
}

function quiet(agent: string, person: string): Seat {
  const ops: Record<string, Op> = {
    read_consignment: { tool: 'consignment-booking', sensitivity: 'LOW', volume: (r) => r.int(1, 20) },
    read_customer_contract: { tool: 'contracts', sensitivity: 'LOW', volume: () => 1 },
    issue_freight_invoice: {
      tool: 'billing',
      sensitivity: 'HIGH',
      volume: (r) => r.int(1, 40),
      amount: (r) => r.logNormal(48_000, 1),
    },
    apply_demurrage_charge: {
      tool: 'billing',
      sensitivity: 'MEDIUM',
      volume: () => 1,
      amount: (r) => r.uniform(300, 4000),
    },
    export_revenue_ledger: { tool: 'billing', sensitivity: 'MEDIUM', volume: (r) => r.logNormal(3000, 0.7) },
  };
  // The March close runs over the last days of March and the first of April (local days 25–30).
  const close = (d: Day) => (d.index >= 25 && d.index <= 30 ? 2.5 : 1);
  return {
    agent,
    archetype: ARCHETYPE,
    platform: 'copilot-studio',
    tz: TZ,
    kind: 'quiet',
    ops,
    procedures: [
      { name: 'lookup', weight: () => 3, steps: ['read_consignment', 'read_customer_contract?0.3'] },
      {
        name: 'invoice',
        weight: (d) => 1.5 * close(d),
        steps: ['read_consignment', 'read_customer_contract?0.4', 'issue_freight_invoice'],
      },
      { name: 'demurrage', weight: (d) => (washout(d) ? 3 : 1), steps: ['read_consignment', 'apply_demurrage_charge'] },
      { name: 'ledger', weight: (d) => 0.6 * close(d), steps: ['export_revenue_ledger'] },
    ],
    rate: (d, h) =>
      d.dow < 5 && !holiday(d)
        ? hourly([
            [8, 17, 0.6],
            [12, 13, 0.2],
          ])[h]! * close(d)
        : 0,
    people: () => [person],
    context: (_d, _h, _r, p) => ({ sourceNetwork: '10.70.20.0/24', onBehalfOf: p!, userAgent: 'fin-copilot/2.0.5' }),
    gap: (r) => r.logNormal(50, 0.8),
    resource,
    plan: {
      newTool: {
        tool: 'customer-master',
        op: 'change_bank_details',
        sensitivity: 'CRITICAL',
        calls: 1,
        volume: 1,
        amount: 0,
      },
      bulk: ['issue_freight_invoice'],
      burst: 'read_consignment',
      oddContext: { variant: 'client', value: 'curl/7.88.1' },
      oddSequences: 2,
    },
  };
}

export const RAIL = {
  archetype: ARCHETYPE,
  prefix: 'rail',
  seat(role: number, agent: string, copy: number): Seat {
    const tag = copy ? `+${copy}` : '';
    if (role === 0) return bot(agent);
    if (role === 1) return assistant(agent, `priya.raman${tag}@${DOMAIN}`);
    if (role === 2) return team(agent);
    return quiet(agent, `hamish.clarke${tag}@${DOMAIN}`);
  },
};
