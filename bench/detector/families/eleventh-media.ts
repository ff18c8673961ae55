/**
 * The eleventh family's `media_licensing` archetype: a film and music rights office in Los Angeles with a head of
 * international licensing in London. Catalogue searches, chain-of-title reads and territory checks, licence quotes
 * (revised, approved), contracts drafted and sent for signature, royalty statements computed, read and paid out,
 * infringement scans and takedown notices. Peaks: festival season (SXSW in early March, MIPTV in April) and the
 * quarter-end royalty run after 31 March. Seats: a rights bot acting for nobody (scans, catalogue sync, nightly
 * export, royalty computation), an assistant serving the London head (UK time, clocks change on 30 March), the
 * licensing coordinators' shared seat and a quiet royalty-accounting seat. Slow change: a cue-sheet parser adopted
 * gradually, client upgrades, a coordinator joining, a new office floor network.
 */
import { hoursOf, type Archetype, type Flavour, type Procedure, type Role, type Seat } from './eleventh-model.js';
import type { Stream } from './eleventh-rng.js';

const DOMAIN = 'meridian-rights.example';
const FESTIVALS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 35, 36, 37, 38];
const QUARTER_END = [28, 29, 30, 31, 32, 33];

const catalog: Archetype['catalog'] = {
  search_catalogue: { tool: 'catalogue', sens: 'LOW', vol: 30 },
  read_rights_record: { tool: 'catalogue', sens: 'MEDIUM', vol: 1, spread: 0.2 },
  check_availability: { tool: 'catalogue', sens: 'LOW', vol: 4, spread: 0.3 },
  create_quote: { tool: 'quotes', sens: 'MEDIUM', vol: 1, spread: 0.2, amount: 18_000 },
  revise_quote: { tool: 'quotes', sens: 'MEDIUM', vol: 1, spread: 0.2, amount: 15_000 },
  approve_quote: { tool: 'quotes', sens: 'HIGH', vol: 1, spread: 0.2, amount: 18_000 },
  draft_contract: { tool: 'contracts', sens: 'MEDIUM', vol: 1, spread: 0.2 },
  send_for_signature: { tool: 'esign', sens: 'HIGH', vol: 1, spread: 0.2 },
  compute_royalties: { tool: 'royalties', sens: 'MEDIUM', vol: 400 },
  read_royalty_statement: { tool: 'royalties', sens: 'LOW', vol: 1, spread: 0.2 },
  approve_royalty_payout: { tool: 'royalties', sens: 'HIGH', vol: 1, spread: 0.2, amount: 42_000 },
  scan_infringements: { tool: 'takedown', sens: 'LOW', vol: 80 },
  issue_takedown: { tool: 'takedown', sens: 'MEDIUM', vol: 3 },
  sync_catalogue: { tool: 'catalogue', sens: 'LOW', vol: 250 },
  export_catalogue: { tool: 'catalogue', sens: 'MEDIUM', vol: 2_000, spread: 0.2 },
  parse_cue_sheet: { tool: 'cue-sheets', sens: 'LOW', vol: 20 },
};

const procedures: Record<string, Procedure> = {
  scan: { steps: ['scan_infringements'], gap: 5 },
  sync: { steps: ['sync_catalogue'], gap: 5 },
  nightly: { steps: ['export_catalogue'], gap: 5 },
  compute: { steps: ['compute_royalties'], gap: 5 },
  takedown_auto: { steps: ['scan_infringements', 'read_rights_record', 'issue_takedown'], gap: 12 },
  deal: {
    steps: [
      'search_catalogue',
      'read_rights_record',
      'check_availability',
      'create_quote',
      { maybe: ['revise_quote'], p: 0.3 },
      {
        any: [
          [0.5, ['approve_quote', 'draft_contract', 'send_for_signature']],
          [0.5, []],
        ],
      },
    ],
    gap: 120,
  },
  royalty_review: {
    steps: [
      {
        repeat: [
          'read_royalty_statement',
          {
            any: [
              [0.7, ['approve_royalty_payout']],
              [0.3, []],
            ],
          },
        ],
        n: [1, 4],
      },
    ],
    gap: 90,
  },
  takedown_review: {
    steps: ['scan_infringements', { repeat: ['read_rights_record', 'issue_takedown'], n: [1, 3] }],
    gap: 60,
  },
  cue_sheets: { steps: ['parse_cue_sheet', 'read_rights_record', 'check_availability'], gap: 50 },
};

/** Deals in festival season, royalty reviews at quarter-end. */
function officeMix(day: number): Array<[string, number]> {
  return [
    ['deal', 0.5 * (FESTIVALS.includes(day) ? 2.2 : 1)],
    ['royalty_review', 0.15 * (QUARTER_END.includes(day) ? 5 : 1)],
    ['takedown_review', 0.2],
    ['cue_sheets', 0.15],
  ];
}

const busy = (day: number) => (FESTIVALS.includes(day) ? 1.5 : QUARTER_END.includes(day) ? 1.6 : 1);

function seat(role: Role, index: number, agent: string, rng: Stream): Seat {
  const k = index + 1;
  const n = k > 1 ? String(k) : '';
  const base = {
    agent,
    archetype: 'media_licensing',
    scale: rng.uniform(0.8, 1.25),
    money: rng.uniform(0.6, 1.6),
  };
  if (role === 'bot')
    return {
      ...base,
      role,
      zone: 'us-pacific',
      platform: 'bedrock',
      hours: hoursOf([0, 24, 1]),
      sessions: 6,
      weekend: 1,
      busy: (day) => (FESTIVALS.includes(day) ? 1.6 : 1),
      mix: () => [['takedown_auto', 1]],
      people: [],
      networks: [{ cidr: `10.70.${4 + index}.0/24` }],
      clients: [{ ua: 'rights-bot/1.14' }, { ua: 'rights-bot/1.15', from: 27, ramp: 2 }],
      jobs: [
        { proc: 'scan', every: 20, from: 0, to: 24 },
        { proc: 'sync', every: 60, from: 0, to: 24 },
        { proc: 'nightly', at: [1.5] },
        { proc: 'compute', at: [6], on: 'weekdays' },
        { proc: 'compute', every: 120, from: 6, to: 20, days: QUARTER_END },
      ],
    };
  if (role === 'assistant')
    return {
      ...base,
      role,
      zone: 'uk',
      platform: 'anthropic',
      hours: hoursOf([8, 9, 1], [9, 13, 3], [13, 14, 1], [14, 18, 3], [18, 20, 0.5]),
      sessions: 12,
      weekend: 0.15,
      busy,
      mix: officeMix,
      people: [{ email: k === 1 ? `oliver.grant@${DOMAIN}` : `intl.head${k}@${DOMAIN}` }],
      networks: [{ cidr: '10.72.1.0/24' }, { cidr: '10.73.0.0/16', remote: true }],
      clients: [{ ua: 'rights-copilot/0.9.7' }, { ua: 'rights-copilot/1.0.0', from: 21, ramp: 5 }],
      adopt: { 'cue-sheets': { from: 16, ramp: 10 } },
    };
  if (role === 'team')
    return {
      ...base,
      role,
      zone: 'us-pacific',
      platform: 'openai',
      hours: hoursOf([8, 9, 1], [9, 12, 3], [12, 13, 1.5], [13, 18, 3], [18, 20, 0.7]),
      sessions: 30,
      weekend: 0.1,
      busy,
      mix: (day) => officeMix(day).filter(([p]) => p !== 'cue_sheets'),
      people: [
        { email: `keisha.morgan${n}@${DOMAIN}`, weight: 1.3 },
        { email: `ben.sato${n}@${DOMAIN}` },
        { email: `lucia.marquez${n}@${DOMAIN}`, hours: hoursOf([7, 16, 1]) },
        { email: `ari.feldman${n}@${DOMAIN}`, from: 22, weight: 0.8 },
      ],
      networks: [
        { cidr: '10.70.20.0/24' },
        { cidr: '10.70.22.0/24', from: 18 },
        { cidr: '10.73.0.0/16', remote: true },
      ],
      clients: [{ ua: 'licensing-seat/4.0' }, { ua: 'licensing-seat/4.1', from: 12, ramp: 9 }],
    };
  return {
    ...base,
    role,
    zone: 'us-pacific',
    platform: 'vertex-ai',
    hours: hoursOf([9, 12, 2], [13, 17, 1]),
    sessions: 2,
    weekend: 0,
    busy: (day) => (QUARTER_END.includes(day) ? 3 : 1),
    mix: () => [['royalty_review', 1]],
    people: [{ email: `nora.whitaker${n}@${DOMAIN}` }],
    networks: [{ cidr: '10.70.30.0/24' }],
    clients: [{ ua: 'royalty-desk/3.3' }],
  };
}

/** What a compromised or misused rights agent would do here. */
const incidents: Flavour = {
  bulk: ['export_catalogue', 'approve_royalty_payout', 'search_catalogue', 'read_rights_record', 'create_quote'],
  burst: ['search_catalogue', 'read_rights_record', 'read_royalty_statement', 'scan_infringements'],
  oddPairs: [
    ['read_rights_record', 'approve_royalty_payout'],
    ['search_catalogue', 'send_for_signature'],
    ['check_availability', 'approve_quote'],
    ['scan_infringements', 'approve_royalty_payout'],
    ['read_royalty_statement', 'send_for_signature'],
    ['search_catalogue', 'issue_takedown'],
    ['search_catalogue', 'create_quote'],
    ['read_royalty_statement', 'draft_contract'],
    ['scan_infringements', 'export_catalogue'],
    ['sync_catalogue', 'compute_royalties'],
  ],
  foreignTools: [
    { tool: 'rights-registry', op: 'transfer_copyright_owner', sens: 'CRITICAL', vol: 1 },
    { tool: 'vendor-master', op: 'change_payee_bank_account', sens: 'CRITICAL', vol: 1 },
    { tool: 'dsp-delivery', op: 'publish_master_to_stores', sens: 'HIGH', vol: 12 },
    { tool: 'master-vault', op: 'download_master_files', sens: 'HIGH', vol: 8 },
  ],
  drift: ['scan_infringements', 'sync_catalogue', 'search_catalogue', 'read_rights_record'],
  context: ['read_rights_record', 'search_catalogue', 'read_royalty_statement', 'export_catalogue'],
};

export const MEDIA: Archetype = {
  name: 'media_licensing',
  prefix: 'rights',
  domain: DOMAIN,
  catalog,
  procedures,
  seat,
  incidents,
};
