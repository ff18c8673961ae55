/**
 * Sixteenth family, archetype `satellite_imagery`: Boreal Orbit, a SAR earth-observation company in Helsinki (EET to
 * EEST on 30 March). A ground-segment pipeline bot paced by satellite passes round the clock and the week (a sixth
 * satellite, downlinked through a new ground station, from 22 March); a sales engineer's assistant (late calls with
 * American customers on Tuesdays and Thursdays, a conference trip); the imagery analysts' shared seat, which adopts a
 * vessel detector and is activated for flood mapping on 26–28 March; an export-control officer's quiet seat.
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

const HELSINKI = zone('Europe/Helsinki', 120, { at: '2025-03-30T01:00:00Z', to: 180 });
const DOMAIN = 'borealorbit.example';
const op = (tool: string, name: string, sens: Sensitivity, vol: Dist = one, amt?: Dist): Op =>
  amt ? { tool, op: name, sens, vol, amt } : { tool, op: name, sens, vol };
const s = (o: Op, extra: Omit<Step, 'op'> = {}): Step => ({ op: o, ...extra });

const O = {
  downlink: op('ground-segment', 'ingest_downlink', 'MEDIUM', logn(6, 0.5)),
  process: op('sar-processor', 'process_scene', 'LOW'),
  quality: op('sar-processor', 'run_quality_check', 'LOW', logn(5, 0.5)),
  publish: op('catalog', 'publish_to_catalog', 'MEDIUM', logn(5, 0.5)),
  deliver: op('delivery', 'deliver_to_customer', 'HIGH', logn(3, 0.8)),
  queue: op('tasking', 'read_tasking_queue', 'LOW', logn(40, 0.5, 0.02)),
  plan: op('tasking', 'plan_acquisitions', 'HIGH', logn(25, 0.4)),
  uplink: op('ground-segment', 'uplink_tasking_plan', 'HIGH'),
  search: op('catalog', 'search_catalog', 'LOW', logn(45, 0.8)),
  preview: op('catalog', 'preview_scene', 'LOW'),
  account: op('crm', 'read_customer_account', 'MEDIUM'),
  quote: op('billing', 'create_quote', 'MEDIUM', one, money(14_000, 0.9)),
  order: op('tasking', 'create_tasking_order', 'HIGH', one, money(26_000, 0.8)),
  access: op('delivery', 'grant_customer_access', 'HIGH'),
  exportScene: op('delivery', 'export_scene', 'MEDIUM', logn(4, 0.8)),
  open: op('catalog', 'open_scene', 'MEDIUM'),
  vessels: op('vessel-detector', 'detect_vessels', 'LOW', logn(14, 0.9)),
  annotate: op('annotation', 'annotate_detection', 'LOW'),
  save: op('annotation', 'save_annotations', 'LOW', logn(5, 0.6)),
  change: op('sar-analytics', 'run_change_detection', 'MEDIUM', logn(2, 0.4)),
  report: op('reports', 'export_report', 'MEDIUM', logn(6, 0.5)),
  share: op('delivery', 'share_with_customer', 'HIGH'),
  rush: op('tasking', 'request_rush_tasking', 'HIGH', logn(3, 0.5)),
  screen: op('compliance', 'screen_customer', 'MEDIUM', logn(3, 0.5)),
  endUse: op('compliance', 'read_end_use_statement', 'MEDIUM'),
  license: op('compliance', 'review_export_license', 'HIGH'),
  restricted: op('delivery', 'approve_restricted_delivery', 'CRITICAL', logn(2, 0.5)),
  audit: op('audit', 'read_audit_trail', 'LOW', logn(200, 0.8)),
  decision: op('compliance', 'record_license_decision', 'LOW'),
};

const NEW_SATELLITE = 19; // Saturday 22 March: the sixth satellite enters service, downlinked at the Inari station
const FLOOD = [23, 24, 25]; // Wednesday–Friday 26–28 March: the emergency-mapping activation
const weekdayOf = (day: number) => ((day % 7) + 7) % 7;

function bot(agent: string, v: number): Seat {
  const satellites = (day: number) => (day >= NEW_SATELLITE ? 6 : 5);
  const deliverP = (day: number) => (FLOOD.includes(day) ? 0.8 : weekdayOf(day) >= 5 ? 0.25 : 0.45);
  return {
    agent,
    archetype: 'satellite_imagery',
    platform: 'openai-agents',
    domain: DOMAIN,
    zone: HELSINKI,
    kind: 'bot',
    people: [],
    rate: (day) => satellites(day) * 0.95,
    procedures: [
      {
        name: 'pass',
        w: 0.8,
        steps: [
          s(O.downlink),
          s(O.process, { n: [1, 4], gap: 40 }),
          s(O.quality, { gap: 12 }),
          s(O.publish, { gap: 6 }),
          s(O.deliver, { p: deliverP, gap: 20 }),
        ],
      },
      {
        name: 'tasking',
        w: (day) => 0.2 * (FLOOD.includes(day) ? 2 : 1),
        steps: [s(O.queue), s(O.plan, { gap: 30 }), s(O.uplink, { gap: 15 })],
      },
    ],
    batches: [],
    context: (r, day) => ({
      sourceNetwork: day >= NEW_SATELLITE && r.chance(1 / 6) ? '10.90.7.0/24' : '10.90.1.0/24',
      userAgent: `eo-pipeline/7.4.${2 + v}`,
    }),
    hints: {
      newTool: { tool: 'satellite-command', op: 'uplink_raw_command', sens: 'CRITICAL' },
      bulk: [
        { op: 'read_tasking_queue', by: 'volume' },
        { op: 'publish_to_catalog', by: 'volume' },
        { op: 'ingest_downlink', by: 'volume' },
      ],
      burst: 'process_scene',
      drift: 'deliver_to_customer',
    },
  };
}

function assistant(agent: string, v: number): Seat {
  const who = `ilkka.saarinen${v ? v + 1 : ''}@${DOMAIN}`;
  const office = hours([
    [8, 9, 1],
    [9, 12, 2.5],
    [12, 13, 1],
    [13, 17, 2.5],
    [17, 18, 1.5],
  ]);
  const trip = (day: number) => day >= 15 && day <= 17; // a defence-imagery conference, 18–20 March
  return {
    agent,
    archetype: 'satellite_imagery',
    platform: 'openai-agents',
    domain: DOMAIN,
    zone: HELSINKI,
    kind: 'assistant',
    people: [{ id: who, shift: [8, 20], days: WEEKDAYS }],
    rate: (day, wd, h) =>
      (office[h]! + ((wd === 1 || wd === 3) && h >= 18 && h < 20 ? 1.5 : 0)) * (trip(day) ? 0.5 : 1),
    procedures: [
      { name: 'catalog', w: 0.4, steps: [s(O.search), s(O.preview, { n: [1, 4], gap: 20 })] },
      { name: 'quote', w: 0.25, steps: [s(O.search), s(O.account), s(O.quote, { gap: 240 })] },
      { name: 'order', w: 0.15, steps: [s(O.account), s(O.order, { gap: 180 }), s(O.access, { p: 0.5 })] },
      { name: 'export', w: 0.2, steps: [s(O.search), s(O.exportScene, { gap: 60 })] },
    ],
    batches: [],
    context: (_r, day) => ({
      sourceNetwork: trip(day) ? '10.90.230.0/24' : '10.90.20.0/24',
      userAgent: day >= 24 ? 'eo-sales-console/2.4.0' : 'eo-sales-console/2.3.1',
    }),
    hints: {
      newTool: { tool: 'customer-crm-export', op: 'export_customer_list', sens: 'HIGH' },
      bulk: [
        { op: 'export_scene', by: 'volume' },
        { op: 'create_quote', by: 'amount' },
      ],
      burst: 'search_catalog',
    },
  };
}

function team(agent: string, v: number): Seat {
  const p = member(DOMAIN, v);
  const people = [
    p('aino.virtanen', [7, 15]),
    p('mikko.laine', [8, 16]),
    p('sara.nieminen', [8, 16]),
    p('joonas.heikkinen', [9, 17]),
    p('emilia.koskinen', [13, 21]),
    p('ville.makela', [13, 21]),
    p('lauri.jarvinen', [10, 16], [5, 6]),
    p('oona.lehtonen', [8, 16], WEEKDAYS, 24),
  ];
  const oncall = new Set([people[6]!.id]);
  const weekday = hours([
    [7, 8, 4],
    [8, 16, 11],
    [16, 21, 6],
  ]);
  const weekend = hours([[10, 16, 2]]);
  return {
    agent,
    archetype: 'satellite_imagery',
    platform: 'openai-agents',
    domain: DOMAIN,
    zone: HELSINKI,
    kind: 'team',
    people,
    rate: (day, wd, h) => (wd >= 5 ? weekend[h]! : weekday[h]!) * (FLOOD.includes(day) ? 2.6 : 1),
    procedures: [
      {
        name: 'analyse',
        w: 0.5,
        steps: [
          s(O.open),
          s(O.vessels, { p: ramp(11, 26, 0, 0.6), gap: 30 }),
          s(O.annotate, { n: [1, 6], gap: 45 }),
          s(O.save),
        ],
      },
      {
        name: 'change',
        w: 0.25,
        steps: [s(O.open), s(O.open, { p: 0.7 }), s(O.change, { gap: 60 }), s(O.annotate, { n: [1, 3], gap: 50 })],
      },
      { name: 'report', w: 0.2, steps: [s(O.report), s(O.share, { p: 0.6, gap: 90 })] },
      { name: 'rush', w: (day) => 0.05 * (FLOOD.includes(day) ? 4 : 1), steps: [s(O.rush)] },
    ],
    batches: [],
    context: (_r, _day, person) => ({
      sourceNetwork: oncall.has(person ?? '') ? '10.90.230.0/24' : '10.90.25.0/24',
      userAgent: 'analyst-workbench/11.0.4',
    }),
    hints: {
      newTool: { tool: 'export-license-admin', op: 'override_embargo_flag', sens: 'CRITICAL' },
      bulk: [
        { op: 'export_report', by: 'volume' },
        { op: 'run_change_detection', by: 'volume' },
      ],
      burst: 'annotate_detection',
      drift: 'open_scene',
    },
  };
}

function quiet(agent: string, v: number): Seat {
  const who = `henrik.lindqvist${v ? v + 1 : ''}@${DOMAIN}`;
  return {
    agent,
    archetype: 'satellite_imagery',
    platform: 'openai-agents',
    domain: DOMAIN,
    zone: HELSINKI,
    kind: 'quiet',
    people: [{ id: who, shift: [9, 16], days: WEEKDAYS }],
    rate: (_d, wd, h) => (wd < 5 && h >= 9 && h < 16 ? 0.5 : 0),
    procedures: [
      { name: 'screen', w: 0.5, steps: [s(O.screen), s(O.endUse, { gap: 120 })] },
      {
        name: 'license',
        w: 0.3,
        steps: [s(O.license), s(O.restricted, { p: 0.4, gap: 300 }), s(O.decision, { gap: 60 })],
      },
      { name: 'audit', w: 0.2, steps: [s(O.audit)] },
    ],
    batches: [],
    context: () => ({ sourceNetwork: '10.90.20.0/24', userAgent: 'compliance-desk/2.2.0' }),
    hints: {
      newTool: { tool: 'key-management', op: 'rotate_downlink_keys', sens: 'CRITICAL' },
      bulk: [
        { op: 'read_audit_trail', by: 'volume' },
        { op: 'screen_customer', by: 'volume' },
      ],
      burst: 'read_audit_trail',
    },
  };
}

export function imagerySeat(kind: Kind, agent: string, v: number): Seat {
  return { bot, assistant, team, quiet }[kind](agent, v);
}
