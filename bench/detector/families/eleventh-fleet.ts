/**
 * The eleventh family's `fleet_maintenance` archetype: a Denver transit and truck fleet's maintenance shop (US
 * Mountain time). Telematics fault codes pulled and triaged against vehicle history, work orders opened, worked
 * (parts checked and ordered) and closed, vehicles taken out of service and returned, inspection reports, warranty
 * claims. Peaks: the days after a mid-March cold snap (dead batteries, air-brake and DEF faults). Seats: a
 * telematics bot acting for nobody around the clock, an assistant serving the maintenance manager, the shop floor's
 * shared seat worked in day, swing and night shifts, and a quiet warranty-claims integration that also acts for
 * nobody. Slow change: a tyre-tread scanner adopted gradually, client upgrades, a night technician joining, the
 * new east depot's network.
 */
import { hoursOf, type Archetype, type Flavour, type Procedure, type Role, type Seat } from './eleventh-model.js';
import type { Stream } from './eleventh-rng.js';

const DOMAIN = 'frontrange-fleet.example';
const COLD_SNAP = [13, 14, 15];
const AFTER_SNAP = [14, 15, 16, 17, 18, 19];
const DEPOT_OPENS = 22;

const catalog: Archetype['catalog'] = {
  pull_fault_codes: { tool: 'telematics', sens: 'LOW', vol: 35 },
  read_vehicle_history: { tool: 'cmms', sens: 'LOW', vol: 1, spread: 0.2 },
  open_work_order: { tool: 'cmms', sens: 'MEDIUM', vol: 1, spread: 0.2 },
  read_work_order: { tool: 'cmms', sens: 'LOW', vol: 1, spread: 0.2 },
  update_work_order: { tool: 'cmms', sens: 'MEDIUM', vol: 1, spread: 0.2 },
  close_work_order: { tool: 'cmms', sens: 'MEDIUM', vol: 1, spread: 0.2 },
  check_parts_inventory: { tool: 'parts', sens: 'LOW', vol: 3 },
  order_parts: { tool: 'parts', sens: 'HIGH', vol: 4, amount: 480 },
  file_warranty_claim: { tool: 'warranty', sens: 'MEDIUM', vol: 1, spread: 0.2, amount: 1_300 },
  read_warranty_terms: { tool: 'warranty', sens: 'LOW', vol: 1, spread: 0.2 },
  mark_out_of_service: { tool: 'dispatch', sens: 'HIGH', vol: 1, spread: 0.2 },
  return_to_service: { tool: 'dispatch', sens: 'HIGH', vol: 1, spread: 0.2 },
  read_inspection_report: { tool: 'cmms', sens: 'LOW', vol: 1, spread: 0.2 },
  scan_tire_tread: { tool: 'tread-scanner', sens: 'LOW', vol: 6, spread: 0.3 },
  export_fleet_status: { tool: 'telematics', sens: 'MEDIUM', vol: 220, spread: 0.15 },
};

const procedures: Record<string, Procedure> = {
  telemetry: { steps: ['pull_fault_codes'], gap: 5 },
  auto_triage: { steps: ['pull_fault_codes', 'read_vehicle_history', 'open_work_order'], gap: 6 },
  shift_report: { steps: ['export_fleet_status'], gap: 5 },
  triage: {
    steps: [
      'pull_fault_codes',
      'read_vehicle_history',
      {
        any: [
          [0.55, ['open_work_order', { maybe: ['mark_out_of_service'], p: 0.25 }]],
          [0.45, []],
        ],
      },
    ],
    gap: 70,
  },
  repair: {
    steps: [
      'read_work_order',
      'check_parts_inventory',
      { maybe: ['order_parts'], p: 0.45 },
      'update_work_order',
      {
        any: [
          [0.6, ['close_work_order', { maybe: ['return_to_service'], p: 0.35 }]],
          [0.4, []],
        ],
      },
    ],
    gap: 150,
  },
  inspection: {
    steps: [
      'read_inspection_report',
      { maybe: ['scan_tire_tread'], p: 0.6 },
      {
        any: [
          [0.65, []],
          [0.27, ['open_work_order']],
          [0.08, ['open_work_order', 'mark_out_of_service']],
        ],
      },
    ],
    gap: 90,
  },
  warranty: {
    steps: ['read_work_order', 'read_vehicle_history', 'read_warranty_terms', 'file_warranty_claim'],
    gap: 60,
  },
};

const busy = (day: number) => (AFTER_SNAP.includes(day) ? 2.2 : COLD_SNAP.includes(day) ? 1.5 : 1);

/** Triage after the cold snap, inspections at the start of a shift, repairs otherwise. */
function shopMix(day: number, hour: number): Array<[string, number]> {
  const snap = AFTER_SNAP.includes(day) ? 2.5 : 1;
  return [
    ['triage', 0.3 * snap],
    ['repair', 0.4 * (AFTER_SNAP.includes(day) ? 1.6 : 1)],
    ['inspection', [5, 6, 13, 14, 21, 22].includes(hour) ? 0.6 : 0.15],
    ['warranty', 0.06],
  ];
}

function seat(role: Role, index: number, agent: string, rng: Stream): Seat {
  const k = index + 1;
  const n = k > 1 ? String(k) : '';
  const base = {
    agent,
    archetype: 'fleet_maintenance',
    zone: 'us-mountain' as const,
    scale: rng.uniform(0.8, 1.25),
    money: rng.uniform(0.7, 1.4),
  };
  if (role === 'bot')
    return {
      ...base,
      role,
      platform: 'azure-openai',
      hours: hoursOf([0, 24, 1]),
      sessions: 10,
      weekend: 0.8,
      busy: (day) => (AFTER_SNAP.includes(day) ? 3 : 1),
      mix: () => [['auto_triage', 1]],
      people: [],
      networks: [{ cidr: `10.80.${2 + index}.0/24` }],
      clients: [{ ua: 'telematics-bridge/6.1' }, { ua: 'telematics-bridge/6.2', from: 30, ramp: 2 }],
      volumeOn: (day, op) => (op === 'pull_fault_codes' && AFTER_SNAP.includes(day) ? 1.7 : 1),
      jobs: [
        { proc: 'telemetry', every: 15, from: 0, to: 24 },
        { proc: 'shift_report', at: [5.5, 13.5, 21.5] },
      ],
    };
  if (role === 'assistant')
    return {
      ...base,
      role,
      platform: 'openai',
      hours: hoursOf([6, 7, 1], [7, 12, 3], [12, 13, 1], [13, 17, 2.5]),
      sessions: 9,
      weekend: 0.1,
      busy,
      mix: (day, hour) => [...shopMix(day, hour).filter(([p]) => p !== 'warranty'), ['warranty', 0.25]],
      people: [{ email: k === 1 ? `rosa.delgado@${DOMAIN}` : `shop.manager${k}@${DOMAIN}` }],
      networks: [{ cidr: '10.80.10.0/24' }, { cidr: '10.82.0.0/16', remote: true }],
      clients: [{ ua: 'fleet-assist/2.0.3' }, { ua: 'fleet-assist/2.1.0', from: 25, ramp: 7 }],
      adopt: { 'tread-scanner': { from: 18, ramp: 9 } },
    };
  if (role === 'team') {
    const day = hoursOf([6, 14, 1]);
    const swing = hoursOf([14, 22, 1]);
    const night = hoursOf([22, 30, 1]);
    return {
      ...base,
      role,
      platform: 'bedrock',
      hours: hoursOf([6, 14, 3], [14, 22, 2.2], [22, 30, 0.9]),
      sessions: 44,
      weekend: 0.65,
      busy,
      mix: shopMix,
      people: [
        { email: `tech.jordan.reyes${n}@${DOMAIN}`, hours: day },
        { email: `tech.kim.park${n}@${DOMAIN}`, hours: day },
        { email: `tech.will.okafor${n}@${DOMAIN}`, hours: swing },
        { email: `tech.sara.lindqvist${n}@${DOMAIN}`, hours: swing },
        { email: `tech.dmitri.ivanov${n}@${DOMAIN}`, hours: night },
        { email: `tech.maya.chen${n}@${DOMAIN}`, hours: night, from: 24 },
      ],
      networks: [{ cidr: '10.80.20.0/24' }, { cidr: '10.81.20.0/24', from: DEPOT_OPENS }],
      clients: [{ ua: 'shop-terminal/11.2' }, { ua: 'shop-terminal/11.3', from: 9, ramp: 14 }],
      adopt: { 'tread-scanner': { from: 10, ramp: 12 } },
    };
  }
  return {
    ...base,
    role,
    platform: 'vertex-ai',
    hours: hoursOf([8, 11, 1], [13, 16, 1]),
    sessions: 2.2,
    weekend: 0,
    busy: (day) => (day > 16 && day < 26 ? 1.6 : 1),
    mix: () => [['warranty', 1]],
    people: [],
    networks: [{ cidr: '10.80.40.0/24' }],
    clients: [{ ua: 'warranty-link/0.8' }],
  };
}

/** What a compromised or misused maintenance agent would do here. */
const incidents: Flavour = {
  bulk: ['order_parts', 'export_fleet_status', 'file_warranty_claim', 'pull_fault_codes', 'check_parts_inventory'],
  burst: ['read_vehicle_history', 'pull_fault_codes', 'read_work_order', 'check_parts_inventory'],
  oddPairs: [
    ['pull_fault_codes', 'order_parts'],
    ['read_vehicle_history', 'return_to_service'],
    ['read_inspection_report', 'order_parts'],
    ['read_work_order', 'return_to_service'],
    ['pull_fault_codes', 'mark_out_of_service'],
    ['pull_fault_codes', 'file_warranty_claim'],
    ['read_inspection_report', 'close_work_order'],
    ['read_vehicle_history', 'close_work_order'],
    ['read_work_order', 'file_warranty_claim'],
    ['pull_fault_codes', 'export_fleet_status'],
  ],
  foreignTools: [
    { tool: 'fuel-cards', op: 'raise_card_limit', sens: 'HIGH', vol: 1, amount: 5_000 },
    { tool: 'ecu-programmer', op: 'flash_engine_calibration', sens: 'CRITICAL', vol: 1 },
    { tool: 'asset-disposal', op: 'list_vehicle_for_auction', sens: 'HIGH', vol: 1 },
    { tool: 'gps-admin', op: 'disable_vehicle_tracking', sens: 'CRITICAL', vol: 3 },
  ],
  drift: ['pull_fault_codes', 'export_fleet_status', 'check_parts_inventory', 'read_vehicle_history'],
  context: ['read_vehicle_history', 'read_work_order', 'export_fleet_status', 'check_parts_inventory'],
};

export const FLEET: Archetype = {
  name: 'fleet_maintenance',
  prefix: 'fleet',
  domain: DOMAIN,
  catalog,
  procedures,
  seat,
  incidents,
};
