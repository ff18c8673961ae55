/**
 * The biotech_lab desk of the eighth trace family: a Cambridge (MA) biotech's assay lab (orders in USD). Batch days
 * — every Wednesday, and a large clinical batch on day 24 — multiply sample registrations and instrument runs, and
 * the day after brings result sign-offs.
 */
import type { Desk, Mood } from './eighth-model.js';

const WEEKDAYS = [1, 1, 1, 1, 1, 0, 0] as const;
const BOT_WEEK = [1, 1, 1, 1, 1, 0.6, 0.3] as const;

function mood(day: number): Mood {
  if (day === 24)
    return { load: 2.2, jobs: 2, boost: { intake: 3, run: 2 }, scale: { register_samples: 1.6, queue_run: 1.2 } };
  if (day % 7 === 2) return { load: 1.6, jobs: 1.6, boost: { intake: 3, run: 2 }, scale: { register_samples: 1.4 } };
  if (day % 7 === 3 || day === 25) return { load: 1.3, boost: { review: 2.5 } };
  return { load: 1 };
}

export const LAB: Desk = {
  archetype: 'biotech_lab',
  prefix: 'lab',
  domain: 'northcove-bio.example',
  tools: {
    lims: 'https://lims.northcove-bio.example/api/v3/',
    instruments: 'https://instruments.northcove-bio.example/scheduler/v1/',
    eln: 'https://eln.northcove-bio.example/api/entries/',
    reagents: 'https://procure.northcove-bio.example/api/reagents/',
    'barcode-svc': 'https://labels.northcove-bio.example/print/v2/',
  },
  ops: {
    register_samples: { tool: 'lims', sens: 'MEDIUM', vol: [24, 0.4] },
    lookup_sample: { tool: 'lims', sens: 'LOW', vol: [1, 0.2] },
    update_sample_status: { tool: 'lims', sens: 'LOW', vol: [12, 0.5] },
    sign_off_result: { tool: 'lims', sens: 'HIGH', vol: [8, 0.5] },
    amend_result: { tool: 'lims', sens: 'HIGH', vol: [1, 0.2] },
    export_results: { tool: 'lims', sens: 'HIGH', vol: [96, 0.4] },
    discard_samples: { tool: 'lims', sens: 'HIGH', vol: [2, 0.5] },
    queue_run: { tool: 'instruments', sens: 'MEDIUM', vol: [96, 0.3] },
    get_run_status: { tool: 'instruments', sens: 'LOW', vol: [1, 0] },
    fetch_run_data: { tool: 'instruments', sens: 'MEDIUM', vol: [96, 0.3] },
    abort_run: { tool: 'instruments', sens: 'HIGH', vol: [1, 0] },
    create_entry: { tool: 'eln', sens: 'LOW', vol: [1, 0] },
    attach_data: { tool: 'eln', sens: 'LOW', vol: [3, 0.4] },
    check_inventory: { tool: 'reagents', sens: 'LOW', vol: [15, 0.4] },
    order_reagents: { tool: 'reagents', sens: 'MEDIUM', vol: [4, 0.5], amt: [850, 0.6] },
    approve_order: { tool: 'reagents', sens: 'HIGH', vol: [1, 0.1], amt: [2400, 0.6] },
    print_labels: { tool: 'barcode-svc', sens: 'LOW', vol: [24, 0.4] },
  },
  procs: {
    intake: [
      { op: 'lookup_sample', p: 0.5 },
      { op: 'register_samples', retry: 0.04 },
      { op: 'print_labels', gate: 'labels', p: 0.9 },
      { loop: [{ op: 'update_sample_status' }], times: [0, 2] },
      { op: 'create_entry', p: 0.4 },
    ],
    run: [
      { op: 'queue_run' },
      { op: 'get_run_status', reps: [1, 4], wait: [300, 1200] },
      { op: 'fetch_run_data' },
      { op: 'attach_data', p: 0.6 },
      { op: 'update_sample_status' },
    ],
    review: [
      { op: 'lookup_sample' },
      { op: 'fetch_run_data', p: 0.5 },
      { op: 'sign_off_result' },
      {
        pick: [
          [3, [{ op: 'export_results' }]],
          [1, [{ op: 'amend_result' }, { op: 'sign_off_result' }]],
        ],
        p: 0.35,
      },
    ],
    reagent: [{ op: 'check_inventory' }, { op: 'order_reagents', p: 0.6 }],
    approvals: [{ op: 'check_inventory' }, { loop: [{ op: 'approve_order' }], times: [1, 3] }],
    disposal: [{ op: 'lookup_sample' }, { op: 'discard_samples' }, { op: 'update_sample_status' }],
    run_watch: [
      { op: 'get_run_status' },
      { pick: [[1, [{ op: 'fetch_run_data' }, { op: 'update_sample_status' }]]], p: 0.3 },
    ],
    qc_abort: [{ op: 'get_run_status' }, { op: 'abort_run' }, { op: 'queue_run', p: 0.7 }],
  },
  foreign: [
    ['clinical-edc', 'unblind_study', 'CRITICAL'],
    ['hr-suite', 'export_employee_records', 'CRITICAL'],
    ['biobank-consent', 'withdraw_consent', 'HIGH'],
    ['qms', 'close_deviation', 'HIGH'],
  ],
  mood,
  seats: [
    {
      role: 'instrument bridge naming nobody, a status poll every 10 minutes 06:00–22:00, lighter at weekends',
      platform: 'vertex-ai',
      zone: 'America/New_York',
      hours: [6, 22],
      week: BOT_WEEK,
      sessions: 0,
      procs: [],
      people: 0,
      pace: [2, 8],
      jobs: [
        { proc: 'run_watch', every: 10, hours: [6, 22], week: BOT_WEEK },
        { proc: 'qc_abort', every: 480, hours: [8, 16], week: WEEKDAYS },
      ],
      network: '10.90.250.0/24',
      client: 'instrument-bridge/1.12.0',
      drift: 'fetch_run_data',
    },
    {
      role: 'bench assistant for three research associates, interleaved, weekdays 08:00–19:00; an RA joins',
      platform: 'azure-openai',
      zone: 'America/New_York',
      hours: [8, 19],
      week: [1, 1, 1, 1, 1, 0.2, 0],
      sessions: 22,
      procs: [
        [4, 'intake'],
        [4, 'run'],
        [2, 'review'],
        [1, 'reagent'],
      ],
      people: 3,
      pace: [20, 160],
      network: '10.90.14.0/24',
      client: 'benchmate/2.2.0',
      joiners: [20],
      drift: 'update_sample_status',
    },
    {
      role: 'quiet principal investigator’s assistant, sign-offs and order approvals; the ELN client is upgraded',
      platform: 'bedrock',
      zone: 'America/New_York',
      hours: [9, 19],
      week: WEEKDAYS,
      sessions: 5,
      procs: [
        [5, 'review'],
        [2, 'approvals'],
        [1, 'reagent'],
      ],
      people: 1,
      pace: [40, 300],
      network: '10.90.3.0/24',
      client: 'eln-desktop/2.9.3',
      upgrade: { day: 18, client: 'eln-desktop/3.0.1' },
    },
    {
      role: 'sample-accessioning assistant for two technicians, 07:00–15:00; adopts label printing, moves building',
      platform: 'langgraph-cloud',
      zone: 'America/New_York',
      hours: [7, 15],
      week: WEEKDAYS,
      sessions: 10,
      procs: [
        [6, 'intake'],
        [2, 'run'],
        [1, 'reagent'],
        [1, 'disposal'],
      ],
      people: 2,
      pace: [20, 140],
      network: '10.90.40.0/24',
      moves: { day: 28, network: '10.91.2.0/24' },
      client: 'accession-agent/0.8.1',
      adopts: { labels: { from: 15, ramp: 10 } },
    },
  ],
};
