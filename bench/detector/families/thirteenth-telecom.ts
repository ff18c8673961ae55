/**
 * Archetype `telecom_noc_provisioning`: the provisioning desk of a Sydney telecom (daylight saving ends on 6 April:
 * UTC+11 → UTC+10). Orders, number ports, service and circuit activations, suspensions, restorations and credits with
 * amounts; peaks at a product launch (a new fibre plan, day 17, fading over five days) and after a network outage
 * (day 24: restorations and goodwill credits for three days). Seats: the zero-touch provisioning bot (acting for
 * nobody; nightly non-payment suspensions), the provisioning lead's assistant, the desk shared by the provisioning
 * team (two temps join for the launch on day 15; an intent-based orchestrator adopted from day 20) and a quiet
 * credits seat.
 */
import { hours, type SeatSpec, stepsOf, zone } from './thirteenth-model.js';

const SYDNEY = zone(660, 600, Date.parse('2025-04-05T16:00:00Z'));
const DOMAIN = 'southern-cross-tel.example.com';
const LAUNCH = [2.2, 1.8, 1.5, 1.3, 1.15];
const OUTAGE = [1.9, 1.5, 1.2];
const launch = (day: number) => LAUNCH[day - 17] ?? 1;
const outage = (day: number) => OUTAGE[day - 24] ?? 1;
const peaks = (day: number) => launch(day) * outage(day);
const afterOutage = (factor: number) => (day: number) => (outage(day) > 1 ? factor : 1);

const step = stepsOf({
  lookup_subscriber: { tool: 'subscriber-db', s: 'LOW' },
  read_order: { tool: 'order-mgmt', s: 'LOW' },
  create_order: { tool: 'order-mgmt', s: 'MEDIUM' },
  validate_order: { tool: 'order-mgmt', s: 'LOW' },
  submit_port_request: { tool: 'number-porting', s: 'MEDIUM', vol: 1.4, spread: 0.5 },
  read_port_status: { tool: 'number-porting', s: 'LOW' },
  approve_port_out: { tool: 'number-porting', s: 'HIGH' },
  check_circuit: { tool: 'inventory', s: 'LOW' },
  reserve_port: { tool: 'inventory', s: 'LOW', vol: 3, spread: 0.3 },
  sync_inventory: { tool: 'inventory', s: 'LOW', vol: 50 },
  activate_service: { tool: 'activation', s: 'MEDIUM' },
  activate_circuit: { tool: 'activation', s: 'HIGH' },
  suspend_service: { tool: 'activation', s: 'HIGH' },
  restore_service: { tool: 'activation', s: 'MEDIUM' },
  read_invoice: { tool: 'billing', s: 'LOW' },
  apply_credit: { tool: 'billing', s: 'HIGH', amt: 25, amtSpread: 0.6 },
  read_outage: { tool: 'outage-board', s: 'LOW' },
  plan_activation: { tool: 'intent-orchestrator', s: 'LOW' },
});

const NEW_TOOLS = [
  { tool: 'sim-swap-console', op: 'swap_sim', s: 'CRITICAL' as const },
  { tool: 'lawful-intercept', op: 'read_intercept_targets', s: 'CRITICAL' as const },
  { tool: 'core-network-config', op: 'push_router_config', s: 'CRITICAL' as const },
  { tool: 'billing-admin', op: 'write_off_account', s: 'HIGH' as const },
];

function bot(agent: string, k: number): SeatSpec {
  const suspensions = (h: number) => h >= 2 && h <= 4;
  const daytime = (_d: number, h: number) => (suspensions(h) ? 0.2 : 1);
  return {
    agent,
    archetype: 'telecom_noc_provisioning',
    platform: 'self-hosted',
    role: 'bot',
    zone: SYDNEY,
    hours: hours([
      [7, 21, 3],
      [21, 0, 1],
      [0, 2, 0.4],
      [2, 5, 1],
      [5, 7, 0.6],
    ]),
    week: [1.1, 1.05, 1, 1, 1, 0.7, 0.6],
    perDay: 60,
    dayFactor: peaks,
    gap: [1, 15],
    procedures: [
      {
        name: 'zero_touch',
        weight: 4,
        steps: [step('validate_order'), step('reserve_port'), step('activate_service')],
        when: daytime,
      },
      {
        name: 'circuit',
        weight: 1,
        steps: [step('read_order'), step('check_circuit'), step('activate_circuit')],
        when: daytime,
      },
      { name: 'inventory_sync', weight: 2, steps: [step('sync_inventory')], when: daytime },
      { name: 'port_in', weight: 2, steps: [step('read_port_status'), step('submit_port_request')], when: daytime },
      {
        name: 'nonpayment',
        weight: 1,
        steps: [step('read_invoice'), step('suspend_service')],
        when: (_d, h) => (suspensions(h) ? 12 : 0),
      },
      {
        name: 'restore',
        weight: 0.2,
        steps: [step('read_outage'), step('restore_service')],
        when: (day) => (outage(day) > 1 ? 25 : 1),
      },
    ],
    actors: [{ weight: 1 }],
    networks: [{ cidr: `10.70.${1 + 10 * k}.0/24` }],
    clients: [
      { ua: 'ztp-orchestrator/4.8.0', to: 12 },
      { ua: 'ztp-orchestrator/4.9.2', from: 12 },
    ],
    domain: DOMAIN,
    hints: {
      odd: [
        ['validate_order', 'activate_circuit'],
        ['read_port_status', 'activate_circuit'],
        ['sync_inventory', 'suspend_service'],
        ['read_port_status', 'activate_service'],
        ['check_circuit', 'restore_service'],
      ],
      bulk: ['sync_inventory', 'submit_port_request', 'reserve_port'],
      burst: ['validate_order', 'read_port_status'],
      newTools: NEW_TOOLS,
      drift: 'sync_inventory',
      context: 'client',
      stranger: 'noc.shift@southern-cross-tel.example.com',
      publicNetwork: '203.0.113.0/24',
      script: 'python-requests/2.28.2',
    },
  };
}

function assistant(agent: string, k: number): SeatSpec {
  return {
    agent,
    archetype: 'telecom_noc_provisioning',
    platform: 'anthropic',
    role: 'assistant',
    zone: SYDNEY,
    hours: hours([
      [8, 12, 2.5],
      [12, 13, 1.2],
      [13, 18, 2],
      [18, 20, 0.5],
    ]),
    week: [1, 1, 1, 1, 0.9, 0.1, 0.05],
    perDay: 15,
    dayFactor: peaks,
    gap: [15, 150],
    procedures: [
      {
        name: 'port_out_review',
        weight: 3,
        steps: [step('lookup_subscriber'), step('read_port_status'), step('approve_port_out', { p: 0.8 })],
      },
      { name: 'credits', weight: 2, steps: [step('read_invoice'), step('apply_credit')], when: afterOutage(5) },
      {
        name: 'suspension',
        weight: 1,
        steps: [step('lookup_subscriber'), step('read_invoice'), step('suspend_service')],
      },
      {
        name: 'enterprise',
        weight: 1.5,
        steps: [step('read_order'), step('check_circuit'), step('activate_circuit')],
      },
      { name: 'restore', weight: 1, steps: [step('read_outage'), step('restore_service')], when: afterOutage(6) },
      { name: 'order_fix', weight: 1, steps: [step('read_order'), step('create_order')] },
    ],
    actors: [{ person: `chloe.nguyen${k || ''}@${DOMAIN}`, weight: 1 }],
    networks: [
      { cidr: `10.70.${2 + 10 * k}.0/24`, weight: 3 },
      { cidr: `10.70.${150 + k}.0/24`, from: 19, weight: 1 },
    ],
    clients: [
      { ua: 'prov-copilot/6.0.1', to: 33 },
      { ua: 'prov-copilot/6.1.0', from: 30 },
    ],
    domain: DOMAIN,
    hints: {
      odd: [
        ['lookup_subscriber', 'approve_port_out'],
        ['lookup_subscriber', 'apply_credit'],
        ['lookup_subscriber', 'restore_service'],
        ['read_invoice', 'create_order'],
      ],
      bulk: ['apply_credit', 'approve_port_out'],
      burst: ['lookup_subscriber', 'read_order'],
      newTools: NEW_TOOLS,
      context: 'person',
      stranger: 'm.gallagher@southern-cross-tel.example.com',
      publicNetwork: '198.51.100.0/24',
      script: 'curl/8.5.0',
    },
  };
}

function team(agent: string, k: number): SeatSpec {
  const person = (name: string) => `${name}${k || ''}@${DOMAIN}`;
  const early = hours([
    [7, 11, 2.5],
    [11, 15, 2],
  ]);
  const late = hours([
    [12, 16, 2],
    [16, 21, 2.2],
  ]);
  return {
    agent,
    archetype: 'telecom_noc_provisioning',
    platform: 'vertex-ai',
    role: 'team',
    zone: SYDNEY,
    hours: early,
    week: [1.1, 1.05, 1, 1, 1, 0.45, 0.3],
    perDay: 10,
    dayFactor: peaks,
    gap: [10, 90],
    procedures: [
      {
        name: 'new_order',
        weight: 4,
        steps: [
          step('lookup_subscriber'),
          step('create_order'),
          step('validate_order'),
          step('reserve_port'),
          step('activate_service'),
        ],
      },
      {
        name: 'port_in',
        weight: 2,
        steps: [step('lookup_subscriber'), step('submit_port_request'), step('read_port_status')],
      },
      { name: 'enterprise', weight: 1, steps: [step('read_order'), step('check_circuit'), step('activate_circuit')] },
      { name: 'fault', weight: 1.5, steps: [step('read_outage'), step('restore_service')], when: afterOutage(4) },
      { name: 'credit', weight: 1, steps: [step('read_invoice'), step('apply_credit')], when: afterOutage(5) },
      {
        name: 'orchestrated',
        weight: 3,
        steps: [step('read_order'), step('plan_activation'), step('activate_service')],
        from: 20,
        ramp: 12,
      },
    ],
    actors: [
      { person: person('liam.oconnor'), weight: 1.2, hours: early },
      { person: person('sofia.rossi'), weight: 1, hours: early },
      { person: person('hamish.grant'), weight: 1, hours: early },
      { person: person('mei.chen'), weight: 1.1, hours: late },
      { person: person('tariq.aziz'), weight: 1, hours: late },
      { person: person('zoe.papadopoulos'), weight: 0.9, hours: late },
      { person: person('ben.whitaker'), weight: 0.8, hours: late },
      { person: person('temp.ana.lima'), weight: 0.9, hours: early, joinDay: 15 },
      { person: person('temp.josh.reid'), weight: 0.9, hours: late, joinDay: 15 },
    ],
    networks: [
      { cidr: `10.70.${3 + 10 * k}.0/24`, weight: 3 },
      { cidr: `10.71.${3 + 10 * k}.0/24`, weight: 1 },
    ],
    clients: [
      { ua: 'prov-desk/12.4.0', to: 27 },
      { ua: 'prov-desk/12.5.0', from: 25 },
    ],
    domain: DOMAIN,
    hints: {
      odd: [
        ['lookup_subscriber', 'activate_circuit'],
        ['read_outage', 'apply_credit'],
        ['lookup_subscriber', 'apply_credit'],
        ['read_invoice', 'submit_port_request'],
        ['read_outage', 'create_order'],
      ],
      bulk: ['apply_credit', 'reserve_port', 'submit_port_request'],
      burst: ['lookup_subscriber', 'read_order'],
      newTools: NEW_TOOLS,
      drift: 'reserve_port',
      context: 'network',
      stranger: 'contractor@southern-cross-tel.example.com',
      publicNetwork: '194.26.29.0/24',
      script: 'curl/8.4.0',
    },
  };
}

function quiet(agent: string, k: number): SeatSpec {
  return {
    agent,
    archetype: 'telecom_noc_provisioning',
    platform: 'bedrock',
    role: 'quiet',
    zone: SYDNEY,
    hours: hours([
      [9, 12, 2],
      [12, 17, 1.5],
    ]),
    week: [1, 1, 1, 1, 0.9, 0, 0],
    perDay: 5,
    dayFactor: afterOutage(1.8),
    gap: [30, 300],
    procedures: [
      {
        name: 'credit_review',
        weight: 3,
        steps: [step('lookup_subscriber'), step('read_invoice'), step('apply_credit')],
      },
      { name: 'suspension_review', weight: 1, steps: [step('read_invoice'), step('restore_service')] },
    ],
    actors: [{ person: `aaron.bell${k || ''}@${DOMAIN}`, weight: 1 }],
    networks: [{ cidr: `10.70.${4 + 10 * k}.0/24` }],
    clients: [{ ua: 'credits-helper/2.3.1' }],
    domain: DOMAIN,
    hints: {
      odd: [
        ['lookup_subscriber', 'apply_credit'],
        ['lookup_subscriber', 'restore_service'],
      ],
      bulk: ['apply_credit'],
      burst: ['lookup_subscriber', 'read_invoice'],
      newTools: NEW_TOOLS,
      context: 'network',
      stranger: 'credit.temp@southern-cross-tel.example.com',
      publicNetwork: '80.94.95.0/24',
      script: 'curl/7.81.0',
    },
  };
}

/** The i-th provisioning seat (0-based): bot, assistant, team, quiet, then again with other networks and people. */
export function telecomSeat(i: number): SeatSpec {
  const agent = `telco-prov-${i + 1}`;
  const k = Math.floor(i / 4);
  return [bot, assistant, team, quiet][i % 4]!(agent, k);
}
