/**
 * The twelfth family's litigation-support team (a New York firm, US Eastern time, with a contract-review vendor in
 * Manila): a processing bot acting for nobody (ingests, de-duplicates, OCRs and indexes collections around the clock
 * and delivers them to the review workspace), an assistant serving a senior associate (searches, review batches,
 * privilege review and logs, productions to opposing counsel, legal holds), a review seat shared by reviewers in New
 * York and Manila (interleaved coding and privilege tagging) and a quiet seat for the litigation-support manager
 * (holds and reminders). Peaks: rolling productions on Fridays 14 March, 28 March and 11 April with big volumes and a
 * review rush before each; new matters with legal holds on 10 and 24 March. Slow change: an AI review assistant adopted
 * over days, reviewers joining in Manila, a client upgrade, the bot moving to a new data centre.
 */
import {
  type Catalogue,
  type Crew,
  type Day,
  officeHours,
  type OpDef,
  type Person,
  type Proc,
  type Seat,
  weekly,
  ZONES,
} from './twelfth-model.js';

export const LEGAL_OPS: Record<string, OpDef> = {
  search_documents: { tool: 'review-platform', sens: 'LOW', vol: [350, 0.9] },
  open_document: { tool: 'review-platform', sens: 'LOW' },
  code_document: { tool: 'review-platform', sens: 'LOW', vol: [6, 0.5] },
  tag_privilege: { tool: 'review-platform', sens: 'MEDIUM' },
  create_review_batch: { tool: 'review-platform', sens: 'MEDIUM', vol: [500, 0.4] },
  qc_batch: { tool: 'review-platform', sens: 'MEDIUM', vol: [60, 0.5] },
  privilege_review: { tool: 'review-platform', sens: 'MEDIUM', vol: [120, 0.6] },
  suggest_codes: { tool: 'ai-review-assist', sens: 'LOW', vol: [50, 0.4] },
  stage_production: { tool: 'production', sens: 'MEDIUM', vol: [3000, 0.5] },
  bates_stamp: { tool: 'production', sens: 'MEDIUM', vol: [3000, 0.5] },
  export_production: { tool: 'production', sens: 'HIGH', vol: [3000, 0.5] },
  send_to_opposing_counsel: { tool: 'production', sens: 'HIGH', vol: [3000, 0.5] },
  generate_privilege_log: { tool: 'privilege-log', sens: 'MEDIUM', vol: [150, 0.5] },
  list_custodians: { tool: 'legal-hold', sens: 'LOW', vol: [25, 0.4] },
  issue_hold: { tool: 'legal-hold', sens: 'HIGH', vol: [12, 0.6] },
  hold_reminder: { tool: 'legal-hold', sens: 'LOW', vol: [20, 0.5] },
  release_hold: { tool: 'legal-hold', sens: 'HIGH', vol: [8, 0.5] },
  check_queue: { tool: 'processing', sens: 'LOW', vol: [2, 0.8] },
  ingest_collection: { tool: 'processing', sens: 'MEDIUM', vol: [6000, 0.8] },
  dedupe: { tool: 'processing', sens: 'LOW', vol: [6000, 0.8] },
  run_ocr: { tool: 'processing', sens: 'LOW', vol: [1500, 0.8] },
  index_collection: { tool: 'processing', sens: 'LOW', vol: [4500, 0.8] },
  deliver_to_workspace: { tool: 'processing', sens: 'HIGH', vol: [4500, 0.8] },
};

/** What a compromised or misused agent would do here (twelfth-incidents.ts). */
export const LEGAL_INCIDENTS: Catalogue = {
  skips: [
    ['stage_production', 'send_to_opposing_counsel'],
    ['stage_production', 'export_production'],
    ['search_documents', 'export_production'],
    ['search_documents', 'send_to_opposing_counsel'],
    ['list_custodians', 'release_hold'],
    ['open_document', 'stage_production'],
    ['search_documents', 'bates_stamp'],
    ['check_queue', 'deliver_to_workspace'],
    ['code_document', 'qc_batch'],
    ['open_document', 'tag_privilege'],
    ['search_documents', 'generate_privilege_log'],
  ],
  bulk: ['export_production', 'send_to_opposing_counsel', 'search_documents', 'open_document', 'deliver_to_workspace'],
  burst: ['search_documents', 'open_document', 'list_custodians', 'check_queue'],
  drift: ['search_documents', 'code_document', 'index_collection', 'dedupe'],
  tools: [
    { tool: 'secure-share', op: 'share_external_link', sens: 'HIGH', vol: 1 },
    { tool: 'email-gateway', op: 'send_external', sens: 'HIGH', vol: 3 },
    { tool: 'vault-admin', op: 'delete_collection', sens: 'CRITICAL', vol: 1 },
    { tool: 'dms-export', op: 'export_matter', sens: 'HIGH', vol: 1 },
  ],
  outsiders: [
    't.mercer@hale-ostrander.example.com',
    'paralegal.temp@staffing.example.net',
    'r.quint@hale-ostrander.example.com',
  ],
};

/** Rolling production days (Fridays) and new matters with holds. */
export const PRODUCTION_DAYS = [11, 25, 39];
export const HOLD_DAYS = [7, 21];
const production = (c: Day) => PRODUCTION_DAYS.includes(c.day);
const rush = (c: Day) => PRODUCTION_DAYS.some((p) => c.day === p - 1 || c.day === p - 2);
const holdDay = (c: Day) => HOLD_DAYS.includes(c.day);

const FIRST = [
  'miriam',
  'julian',
  'ana',
  'paolo',
  'grace',
  'jomar',
  'lea',
  'rafael',
  'cristina',
  'noel',
  'hana',
  'ben',
];
const LAST = [
  'okafor',
  'stein',
  'reyes',
  'santos',
  'lim',
  'delacruz',
  'bautista',
  'feld',
  'garcia',
  'tan',
  'mori',
  'ross',
];
const person = (k: number, copy: number, domain = 'hale-ostrander.example.com') =>
  `${FIRST[k % FIRST.length]}.${LAST[(k * 5 + copy) % LAST.length]}${copy ? copy + 1 : ''}@${domain}`;

function bot(): Crew[] {
  const procs: Proc[] = [
    { w: 0.72, steps: ['check_queue'] },
    {
      w: (c) => (holdDay(c) || c.day === HOLD_DAYS[0]! + 1 || c.day === HOLD_DAYS[1]! + 1 ? 0.6 : 0.28),
      steps: [
        'check_queue',
        'ingest_collection',
        'dedupe',
        'run_ocr',
        'index_collection',
        { op: 'deliver_to_workspace', p: 0.6 },
      ],
    },
  ];
  return [{ zone: ZONES.newYork, people: null, every: { minutes: 30, from: 0, to: 24 }, gap: [240, 0.6], procs }];
}

function assistant(copy: number): Crew[] {
  const procs: Proc[] = [
    {
      w: 4,
      steps: [
        { op: 'search_documents', n: [1, 3] },
        { op: 'open_document', n: [1, 4] },
      ],
    },
    { w: 1.5, steps: ['search_documents', 'create_review_batch'] },
    {
      w: (c) => (rush(c) ? 3 : 1),
      steps: ['search_documents', 'privilege_review', { op: 'generate_privilege_log', p: 0.4 }],
    },
    {
      w: (c) => (production(c) ? 4 : rush(c) ? 0.6 : 0.15),
      steps: ['stage_production', 'privilege_review', 'bates_stamp', 'export_production', 'send_to_opposing_counsel'],
    },
    { w: (c) => (holdDay(c) ? 3 : 0.3), steps: ['list_custodians', 'issue_hold'] },
    { w: 0.3, steps: ['list_custodians', 'hold_reminder'] },
  ];
  return [
    {
      zone: ZONES.newYork,
      people: [{ email: person(0, copy) }],
      sessions: 18,
      hours: officeHours(8, 21, 0.03, 13),
      rate: (c) => weekly(c, [1, 1, 1, 1, 1, 0.3, 0.35]) * (production(c) ? 1.8 : rush(c) ? 1.4 : 1),
      gap: [45, 0.8],
      procs,
      scale: (c, op) =>
        production(c) &&
        ['stage_production', 'bates_stamp', 'export_production', 'send_to_opposing_counsel'].includes(op)
          ? 3
          : 1,
    },
  ];
}

function team(copy: number): Crew[] {
  const procs: Proc[] = [
    {
      w: 6,
      steps: [{ loop: ['open_document', 'code_document', { op: 'tag_privilege', p: 0.12 }], n: [1, 4] }],
    },
    { w: 2, steps: ['search_documents', { op: 'open_document', n: [1, 3] }, { op: 'code_document', p: 0.5 }] },
    { w: 0.8, steps: ['qc_batch', { op: 'open_document', n: [1, 3] }, { op: 'code_document', p: 0.5 }] },
    { w: 1.5, steps: ['suggest_codes', 'open_document', 'code_document'] },
  ];
  const pace = (c: Day) => (rush(c) ? 1.6 : production(c) ? 1.2 : 1);
  const nyc: Person[] = [1, 2, 3, 4].map((k) => ({ email: person(k, copy) }));
  const manila: Person[] = [5, 6, 7, 8].map((k) => ({ email: person(k, copy, 'manila-review.example.com') }));
  manila.push({ email: person(9, copy, 'manila-review.example.com'), from: 16 });
  manila.push({ email: person(10, copy, 'manila-review.example.com'), from: 16 });
  return [
    {
      zone: ZONES.newYork,
      people: nyc,
      sessions: 34,
      hours: officeHours(9, 19, 0.02, 13),
      rate: (c) => weekly(c, [1, 1, 1, 1, 1, 0.15, 0.1]) * pace(c),
      gap: [35, 0.7],
      procs,
    },
    {
      zone: ZONES.manila,
      people: manila,
      sessions: 30,
      hours: officeHours(8, 18, 0.0),
      rate: (c) => weekly(c, [1, 1, 1, 1, 1, 0.4, 0]) * pace({ day: c.day - 1, weekday: c.weekday }),
      gap: [40, 0.7],
      procs,
      networks: [{ cidr: `10.52.${60 + copy}.0/24` }],
    },
  ];
}

function quiet(copy: number): Crew[] {
  const procs: Proc[] = [
    { w: 2, steps: ['list_custodians', 'hold_reminder'] },
    { w: (c) => (holdDay(c) ? 4 : 0.5), steps: ['list_custodians', 'issue_hold'] },
    { w: 0.5, steps: ['list_custodians', 'release_hold'] },
    { w: (c) => (production(c) ? 3 : 0.8), steps: ['qc_batch', 'search_documents'] },
  ];
  return [
    {
      zone: ZONES.newYork,
      people: [{ email: person(11, copy) }],
      sessions: 4,
      hours: officeHours(9, 18, 0.01),
      rate: (c) => weekly(c, [1, 1, 1, 1, 1, 0, 0]),
      gap: [70, 0.6],
      procs,
    },
  ];
}

export function legalSeat(i: number): Seat {
  const role = (['bot', 'assistant', 'team', 'quiet'] as const)[i % 4]!;
  const copy = Math.floor(i / 4);
  const net = (k: number) => `10.52.${k + copy * 20}.0/24`;
  const base = { agent: `ediscovery-${i + 1}`, archetype: 'legal_ediscovery', ops: LEGAL_OPS, role };
  if (role === 'bot')
    return {
      ...base,
      platform: 'bedrock',
      crews: bot(),
      networks: [
        { cidr: net(1), to: 28 },
        { cidr: `10.53.${1 + copy}.0/24`, from: 28 },
      ],
      clients: [{ ua: 'ingest-worker/3.8.0', since: 0, over: 0 }],
    };
  if (role === 'assistant')
    return {
      ...base,
      platform: 'openai',
      crews: assistant(copy),
      networks: [
        { cidr: net(2), w: 4 },
        { cidr: net(3), w: 1 },
      ],
      clients: [
        { ua: 'counsel-copilot/2.4.3', since: 0, over: 0 },
        { ua: 'counsel-copilot/2.5.0', since: 22, over: 4 },
      ],
    };
  if (role === 'team')
    return {
      ...base,
      platform: 'openai',
      crews: team(copy),
      networks: [{ cidr: net(4) }],
      clients: [{ ua: 'review-desk/6.1.2', since: 0, over: 0 }],
      adopt: [{ tool: 'ai-review-assist', from: 18, over: 12 }],
    };
  return {
    ...base,
    platform: 'openai',
    crews: quiet(copy),
    networks: [{ cidr: net(5) }],
    clients: [{ ua: 'counsel-copilot/2.4.3', since: 0, over: 0 }],
  };
}
