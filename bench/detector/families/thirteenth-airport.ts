/**
 * Archetype `airport_ground_ops`: ground operations at a Denver hub (US Mountain time, daylight saving from 9 March).
 * Gate assignments, turnaround tasks, fuel orders with amounts, baggage exceptions and de-icing, with the morning and
 * evening banks, two spring snowstorms (days 12 and 31: de-icing, glycol and everything else surging) and a night
 * shift. Seats: the AODB/gate optimiser bot (acting for nobody; an overnight planning run; moves data centres on day
 * 24), the duty manager's assistant (adopts the ramp-camera milestones tool from day 14, works from a VPN from day
 * 12), the ramp-control seat shared by controllers in three shifts (two join), and the station fuel accountant's
 * quiet seat.
 */
import { hours, type Procedure, type SeatSpec, stepsOf, zone } from './thirteenth-model.js';

const DENVER = zone(-420, -360, Date.parse('2025-03-09T09:00:00Z'));
const DOMAIN = 'den-ground.example.com';
const STORMS = [12, 31];
const storm = (day: number) => STORMS.includes(day);
const stormy = (factor: number) => (day: number) => (storm(day) ? factor : 1);

const step = stepsOf({
  read_flight_schedule: { tool: 'aodb', s: 'LOW', vol: 45 },
  lookup_flight: { tool: 'aodb', s: 'LOW' },
  update_flight_times: { tool: 'aodb', s: 'MEDIUM' },
  read_gate_plan: { tool: 'gate-planner', s: 'LOW', vol: 30 },
  assign_gate: { tool: 'gate-planner', s: 'MEDIUM' },
  swap_gates: { tool: 'gate-planner', s: 'MEDIUM', vol: 2, spread: 0 },
  open_turnaround: { tool: 'turnaround', s: 'LOW' },
  assign_task: { tool: 'turnaround', s: 'LOW', vol: 4, spread: 0.3 },
  close_turnaround: { tool: 'turnaround', s: 'MEDIUM' },
  quote_fuel: { tool: 'fuel-orders', s: 'LOW', amt: 14_000, amtSpread: 0.35 },
  place_fuel_order: { tool: 'fuel-orders', s: 'HIGH', amt: 14_000, amtSpread: 0.35 },
  approve_fuel_order: { tool: 'fuel-orders', s: 'HIGH', amt: 16_000, amtSpread: 0.4 },
  adjust_fuel_order: { tool: 'fuel-orders', s: 'MEDIUM', amt: 1_500, amtSpread: 0.6 },
  read_bag_exceptions: { tool: 'bag-trace', s: 'LOW', vol: 12 },
  create_bag_exception: { tool: 'bag-trace', s: 'MEDIUM' },
  reroute_bag: { tool: 'bag-trace', s: 'MEDIUM' },
  approve_bag_compensation: { tool: 'bag-trace', s: 'HIGH', amt: 120, amtSpread: 0.5 },
  read_holdover_times: { tool: 'deicing-control', s: 'LOW' },
  request_deicing: { tool: 'deicing-control', s: 'MEDIUM' },
  order_glycol: { tool: 'deicing-control', s: 'HIGH', vol: 1, amt: 9_000, amtSpread: 0.4 },
  read_roster: { tool: 'crew-roster', s: 'LOW', vol: 25 },
  reassign_crew: { tool: 'crew-roster', s: 'MEDIUM' },
  read_milestones: { tool: 'ramp-vision', s: 'LOW', vol: 6 },
});

const NEW_TOOLS = [
  { tool: 'badge-admin', op: 'grant_airside_access', s: 'CRITICAL' as const },
  { tool: 'fuel-vendor-master', op: 'change_vendor_bank_account', s: 'CRITICAL' as const },
  { tool: 'aodb-admin', op: 'purge_movement_history', s: 'HIGH' as const },
  { tool: 'hr-export', op: 'export_staff_records', s: 'HIGH' as const },
];

const deicing = (weight: number, steps: Procedure['steps'], name = 'deicing'): Procedure => ({
  name,
  weight,
  steps,
  when: (day) => (storm(day) ? 12 : 1),
  scale: stormy(1.6),
});

function bot(agent: string, k: number): SeatSpec {
  const night = (h: number) => h >= 1 && h <= 3;
  return {
    agent,
    archetype: 'airport_ground_ops',
    platform: 'bedrock',
    role: 'bot',
    zone: DENVER,
    hours: hours([
      [4, 9, 3],
      [9, 15, 1.6],
      [15, 20, 3],
      [20, 0, 1],
      [0, 4, 0.8],
    ]),
    week: [1, 1, 1, 1, 1.08, 1.1, 0.95],
    perDay: 58,
    dayFactor: stormy(1.5),
    gap: [2, 20],
    procedures: [
      {
        name: 'schedule_sync',
        weight: 3,
        steps: [step('read_flight_schedule'), step('update_flight_times')],
        when: (_d, h) => (night(h) ? 0.1 : 1),
      },
      {
        name: 'gate_auto',
        weight: 3,
        steps: [step('read_gate_plan'), step('assign_gate', { times: [1, 2] }), step('lookup_flight', { p: 0.3 })],
        when: (_d, h) => (night(h) ? 0.1 : 1),
      },
      {
        name: 'fuel_auto',
        weight: 2,
        steps: [step('lookup_flight'), step('quote_fuel'), step('place_fuel_order')],
        when: (_d, h) => (night(h) ? 0.1 : 1),
      },
      deicing(0.25, [step('read_holdover_times'), step('request_deicing', { times: [1, 3] })]),
      {
        name: 'overnight_plan',
        weight: 1,
        steps: [step('read_flight_schedule', { vol: 420 }), step('assign_gate', { times: [4, 10] })],
        when: (_d, h) => (night(h) ? 25 : 0),
      },
    ],
    actors: [{ weight: 1 }],
    networks: [
      { cidr: `10.40.${1 + 10 * k}.0/24`, to: 24 },
      { cidr: `10.41.${1 + 10 * k}.0/24`, from: 24 },
    ],
    clients: [
      { ua: 'ground-ops-engine/3.4.1', to: 20 },
      { ua: 'ground-ops-engine/3.5.0', from: 20 },
    ],
    domain: DOMAIN,
    hints: {
      odd: [
        ['lookup_flight', 'place_fuel_order'],
        ['read_holdover_times', 'place_fuel_order'],
        ['quote_fuel', 'assign_gate'],
        ['place_fuel_order', 'update_flight_times'],
      ],
      bulk: ['place_fuel_order', 'read_flight_schedule', 'quote_fuel'],
      burst: ['lookup_flight', 'assign_gate'],
      newTools: NEW_TOOLS,
      drift: 'read_gate_plan',
      context: 'client',
      stranger: 'ops.contractor@den-ground-temp.example.net',
      publicNetwork: '203.0.113.0/24',
      script: 'python-requests/2.31.0',
    },
  };
}

function assistant(agent: string, k: number): SeatSpec {
  return {
    agent,
    archetype: 'airport_ground_ops',
    platform: 'azure-openai',
    role: 'assistant',
    zone: DENVER,
    hours: hours([
      [5, 10, 3],
      [10, 14, 2],
      [14, 17, 1.6],
      [17, 19, 0.6],
    ]),
    week: [1, 1, 1, 1, 1, 0.45, 0.35],
    perDay: 14,
    dayFactor: stormy(2.2),
    gap: [15, 150],
    procedures: [
      {
        name: 'bag_escalation',
        weight: 3,
        steps: [
          step('read_bag_exceptions'),
          step('create_bag_exception', { p: 0.6 }),
          step('approve_bag_compensation', { p: 0.55 }),
        ],
      },
      {
        name: 'fuel_approval',
        weight: 3,
        steps: [step('lookup_flight'), step('approve_fuel_order'), step('adjust_fuel_order', { p: 0.2 })],
      },
      {
        name: 'gate_conflict',
        weight: 2,
        steps: [step('read_gate_plan'), step('swap_gates'), step('assign_gate', { p: 0.4 })],
      },
      deicing(0.3, [
        step('read_holdover_times'),
        step('request_deicing', { times: [1, 2] }),
        step('order_glycol', { p: 0.4 }),
      ]),
      { name: 'crew', weight: 1.5, steps: [step('read_roster'), step('reassign_crew', { p: 0.5 })] },
      {
        name: 'milestones',
        weight: 2,
        steps: [step('read_milestones'), step('read_gate_plan', { p: 0.5 })],
        from: 14,
        ramp: 10,
      },
    ],
    actors: [{ person: `maria.okafor${k || ''}@${DOMAIN}`, weight: 1 }],
    networks: [
      { cidr: `10.40.${2 + 10 * k}.0/24`, weight: 3 },
      { cidr: `10.40.${200 + k}.0/24`, from: 12, weight: 1 },
    ],
    clients: [
      { ua: 'ops-copilot/1.8.2', to: 27 },
      { ua: 'ops-copilot/1.9.0', from: 23 },
    ],
    domain: DOMAIN,
    hints: {
      odd: [
        ['lookup_flight', 'approve_bag_compensation'],
        ['read_roster', 'approve_fuel_order'],
        ['read_roster', 'swap_gates'],
        ['read_milestones', 'swap_gates'],
        ['read_bag_exceptions', 'adjust_fuel_order'],
      ],
      bulk: ['approve_fuel_order', 'read_bag_exceptions', 'approve_bag_compensation'],
      burst: ['lookup_flight', 'read_bag_exceptions'],
      newTools: NEW_TOOLS,
      context: 'person',
      stranger: 'd.whitlock@den-ground.example.com',
      publicNetwork: '198.51.100.0/24',
      script: 'curl/8.5.0',
    },
  };
}

function team(agent: string, k: number): SeatSpec {
  const shift = (from: number, to: number) => hours([[from, to, 1]]);
  const [day, evening, night] = [shift(5, 14), shift(13, 22), shift(21, 6)];
  const person = (name: string) => `${name}${k || ''}@${DOMAIN}`;
  return {
    agent,
    archetype: 'airport_ground_ops',
    platform: 'vertex-ai',
    role: 'team',
    zone: DENVER,
    hours: day,
    week: [1, 1, 1, 1, 1.05, 1.05, 1],
    perDay: 9,
    dayFactor: stormy(2),
    gap: [10, 90],
    procedures: [
      {
        name: 'turnaround',
        weight: 4,
        steps: [step('open_turnaround'), step('assign_task', { times: [2, 4] }), step('close_turnaround')],
      },
      {
        name: 'gate_change',
        weight: 2,
        steps: [
          step('read_gate_plan'),
          step('swap_gates', { p: 0.6 }),
          step('assign_gate', { p: 0.6 }),
          step('update_flight_times', { p: 0.3 }),
        ],
      },
      {
        name: 'bags',
        weight: 2,
        steps: [
          step('read_bag_exceptions'),
          step('create_bag_exception'),
          step('reroute_bag', { p: 0.6 }),
          step('approve_bag_compensation', { p: 0.15 }),
        ],
      },
      deicing(0.4, [step('read_holdover_times'), step('request_deicing', { times: [1, 3] })]),
      { name: 'flight', weight: 2, steps: [step('lookup_flight'), step('update_flight_times', { p: 0.5 })] },
      { name: 'fuel', weight: 1, steps: [step('lookup_flight'), step('quote_fuel'), step('place_fuel_order')] },
      {
        name: 'ramp_vision',
        weight: 2,
        steps: [step('read_milestones'), step('close_turnaround', { p: 0.4 })],
        from: 20,
        ramp: 12,
      },
    ],
    actors: [
      { person: person('dev.patel'), weight: 1.2, hours: day },
      { person: person('lena.kowalski'), weight: 1, hours: day },
      { person: person('sam.ortiz'), weight: 1.1, hours: evening },
      { person: person('amara.nwosu'), weight: 1, hours: evening },
      { person: person('joe.brennan'), weight: 0.7, hours: night },
      { person: person('kai.yamamoto'), weight: 0.6, hours: night },
      { person: person('rita.fernandes'), weight: 0.9, hours: day, joinDay: 19 },
      { person: person('tom.haddad'), weight: 0.8, hours: evening, joinDay: 30 },
    ],
    networks: [
      { cidr: `10.40.${3 + 10 * k}.0/24`, weight: 3 },
      { cidr: `10.40.${4 + 10 * k}.0/24`, weight: 1 },
    ],
    clients: [
      { ua: 'ramp-console/2.2.7', to: 20 },
      { ua: 'ramp-console/2.3.0', from: 16 },
    ],
    domain: DOMAIN,
    hints: {
      odd: [
        ['open_turnaround', 'place_fuel_order'],
        ['read_holdover_times', 'approve_bag_compensation'],
        ['open_turnaround', 'close_turnaround'],
        ['lookup_flight', 'reroute_bag'],
        ['read_milestones', 'swap_gates'],
      ],
      bulk: ['place_fuel_order', 'read_bag_exceptions', 'assign_task', 'read_gate_plan'],
      burst: ['lookup_flight', 'read_bag_exceptions'],
      newTools: NEW_TOOLS,
      drift: 'assign_task',
      context: 'network',
      stranger: 'ramp.visitor@den-ground.example.com',
      publicNetwork: '185.220.101.0/24',
      script: 'curl/8.4.0',
    },
  };
}

function quiet(agent: string, k: number): SeatSpec {
  return {
    agent,
    archetype: 'airport_ground_ops',
    platform: 'openai',
    role: 'quiet',
    zone: DENVER,
    hours: hours([
      [8, 12, 2],
      [12, 17, 1.4],
    ]),
    week: [1, 1, 1, 1, 1, 0.08, 0.04],
    perDay: 5,
    dayFactor: stormy(1.4),
    gap: [30, 300],
    procedures: [
      {
        name: 'fuel_review',
        weight: 3,
        steps: [step('lookup_flight', { p: 0.5 }), step('approve_fuel_order'), step('adjust_fuel_order', { p: 0.4 })],
      },
      deicing(0.6, [step('read_holdover_times'), step('order_glycol')], 'glycol'),
      {
        name: 'reconcile',
        weight: 1,
        steps: [step('read_flight_schedule', { vol: 200 }), step('adjust_fuel_order')],
      },
    ],
    actors: [{ person: `grace.lindqvist${k || ''}@${DOMAIN}`, weight: 1 }],
    networks: [{ cidr: `10.40.${5 + 10 * k}.0/24` }],
    clients: [{ ua: 'fuel-desk-assistant/0.9.4' }],
    domain: DOMAIN,
    hints: {
      odd: [
        ['read_holdover_times', 'approve_fuel_order'],
        ['read_flight_schedule', 'approve_fuel_order'],
        ['read_holdover_times', 'adjust_fuel_order'],
        ['order_glycol', 'adjust_fuel_order'],
      ],
      bulk: ['approve_fuel_order', 'adjust_fuel_order', 'order_glycol'],
      burst: ['lookup_flight'],
      newTools: NEW_TOOLS,
      context: 'network',
      stranger: 'fuel.audit@den-ground.example.com',
      publicNetwork: '45.148.10.0/24',
      script: 'curl/7.88.1',
    },
  };
}

/** The i-th airport seat (0-based): bot, assistant, team, quiet, then again with other networks and people. */
export function airportSeat(i: number): SeatSpec {
  const agent = `ground-ops-${i + 1}`;
  const k = Math.floor(i / 4);
  return [bot, assistant, team, quiet][i % 4]!(agent, k);
}
