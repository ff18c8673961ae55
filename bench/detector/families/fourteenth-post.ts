/**
 * A film and episodic VFX post-production house in Auckland (Pacific/Auckland: NZDT, NZST from 5 April 14:00Z).
 * Seats: the render wrangler (acts for nobody, round the clock and busiest in the evening when artists submit,
 * nightly archiving, a Sunday scratch purge, cloud-burst render nodes on a new network from day 22), the VFX
 * producer's assistant (one person, office hours, Saturdays before deliveries, a client upgrade over days 19–22),
 * the compositing team seat (shared, late nights before the two deliveries, freelancers joining on days 18 and 23)
 * and the I/O coordinator's seat (quiet, weekdays: plates in, packages out, restores from cold storage).
 * Deliveries: an episode on day 25 and the final on day 38, with the days before them busiest.
 */
import {
  changingClock,
  hintsOf,
  hourly,
  proc,
  SEAT_KINDS,
  type OpDef,
  type Person,
  type SeatSpec,
} from './fourteenth-model.js';

const DOMAIN = 'kauri-post.example';
const CLOCK = changingClock(13, 12, '2025-04-05T14:00:00Z');
const ARCHETYPE = 'film_post_production';
const PLATFORM = 'langgraph-cloud';
/** The run-up to the two deliveries (local days). */
const crunch = (day: number) => (day >= 22 && day <= 25) || (day >= 35 && day <= 38);

const OPS: Record<string, OpDef> = {
  submit_render_job: { tool: 'render-farm', sens: 'MEDIUM', volume: (r) => r.logNormal(240, 0.9) },
  query_job_status: { tool: 'render-farm', sens: 'LOW', volume: (r) => r.logNormal(6, 0.7) },
  requeue_failed_tasks: { tool: 'render-farm', sens: 'LOW', volume: (r) => r.pareto(2, 1.2, 500) },
  cancel_job: { tool: 'render-farm', sens: 'MEDIUM', volume: () => 1 },
  reallocate_licenses: { tool: 'license-server', sens: 'HIGH', volume: (r) => r.int(10, 60) },
  generate_dailies_report: { tool: 'review-tool', sens: 'MEDIUM', volume: (r) => r.logNormal(120, 0.5) },
  set_pool_priority: { tool: 'render-farm', sens: 'HIGH', volume: (r) => r.int(1, 6) },
  read_shot: { tool: 'asset-mgr', sens: 'LOW', volume: () => 1 },
  update_shot_status: { tool: 'asset-mgr', sens: 'LOW', volume: (r) => r.int(1, 3) },
  publish_version: { tool: 'asset-mgr', sens: 'MEDIUM', volume: (r) => r.logNormal(40, 0.8) },
  delete_version: { tool: 'asset-mgr', sens: 'HIGH', volume: () => 1 },
  send_package_to_client: { tool: 'media-transfer', sens: 'HIGH', volume: (r) => r.logNormal(60, 1) },
  create_download_link: { tool: 'media-transfer', sens: 'HIGH', volume: () => 1 },
  approve_final_delivery: { tool: 'media-transfer', sens: 'CRITICAL', volume: (r) => r.int(1, 3) },
  receive_plates: { tool: 'media-transfer', sens: 'MEDIUM', volume: (r) => r.logNormal(300, 0.9) },
  post_review_notes: { tool: 'review-tool', sens: 'LOW', volume: (r) => r.int(1, 8) },
  share_review_link: { tool: 'review-tool', sens: 'MEDIUM', volume: (r) => r.int(1, 4) },
  archive_to_cold: { tool: 'storage-tier', sens: 'MEDIUM', volume: (r) => r.logNormal(2000, 0.7) },
  restore_from_cold: {
    tool: 'storage-tier',
    sens: 'MEDIUM',
    volume: (r) => r.logNormal(400, 1),
    amount: (r) => r.logNormal(30, 1),
  },
  purge_scratch: { tool: 'storage-tier', sens: 'HIGH', volume: (r) => r.logNormal(5000, 0.8) },
  log_overtime: {
    tool: 'budget-tracker',
    sens: 'MEDIUM',
    volume: (r) => r.int(1, 12),
    amount: (r) => r.logNormal(420, 0.6),
  },
  approve_vendor_po: { tool: 'budget-tracker', sens: 'HIGH', volume: () => 1, amount: (r) => r.logNormal(6000, 1) },
};

const base = (agent: string, kind: SeatSpec['kind'], people: Person[]) => ({
  agent,
  archetype: ARCHETYPE,
  platform: PLATFORM,
  domain: DOMAIN,
  kind,
  clock: CLOCK,
  people,
  ops: OPS,
});

function bot(agent: string): SeatSpec {
  return {
    ...base(agent, 'bot', []),
    procedures: [
      proc(
        'watch',
        () => 5,
        [
          { op: 'query_job_status', rep: [1, 3] },
          { op: 'requeue_failed_tasks', p: 0.3 },
        ],
        5,
      ),
      proc('dailies', () => 2, ['submit_render_job', 'query_job_status'], 4),
      proc('publish', () => 1.5, ['publish_version', 'update_shot_status'], 3),
      proc('priority', (d) => (crunch(d) ? 0.9 : 0.3), ['query_job_status', 'set_pool_priority'], 6),
      proc('stuck_job', () => 0.4, ['query_job_status', 'cancel_job', 'submit_render_job'], 8),
    ],
    sessions: (day, dow) => 140 * [1, 1, 1, 1, 1, 0.7, 0.6][dow]! * (crunch(day) ? 1.5 : 1),
    hours: () =>
      hourly([
        [0, 3, 1.3],
        [3, 8, 0.7],
        [8, 12, 0.8],
        [12, 17, 1],
        [17, 24, 1.6],
      ]),
    batches: [
      { name: 'dailies_report', on: () => true, at: 7 * 60, jitter: 10, steps: ['generate_dailies_report'], gap: 5 },
      {
        name: 'licenses_to_day_shift',
        on: (_d, w) => w < 5,
        at: 8 * 60 + 30,
        jitter: 5,
        steps: ['reallocate_licenses'],
        gap: 5,
      },
      {
        name: 'licenses_to_farm',
        on: (_d, w) => w < 5,
        at: 19 * 60 + 30,
        jitter: 5,
        steps: ['reallocate_licenses'],
        gap: 5,
      },
      {
        name: 'nightly_archive',
        on: () => true,
        at: 4 * 60,
        jitter: 15,
        steps: [{ op: 'archive_to_cold', rep: [5, 15] }],
        gap: 20,
      },
      {
        name: 'scratch_purge',
        on: (_d, w) => w === 6,
        at: 5 * 60,
        jitter: 10,
        steps: [{ op: 'purge_scratch', rep: [1, 3] }],
        gap: 40,
      },
    ],
    network: (day, _p, r) => (day >= 22 && r.chance(0.35) ? '10.91.16.0/20' : '10.90.1.0/24'),
    client: () => 'deadline-wrangler/10.3.1',
    hints: hintsOf({
      newTool: {
        tool: 'studio-sso-admin',
        ops: [
          ['create_service_account', 'CRITICAL'],
          ['grant_admin_role', 'CRITICAL'],
        ],
      },
      oddContext: 'client',
      foreignNetwork: '103.75.119.0/24',
      scriptClient: 'python-requests/2.32.3',
      burstOps: ['query_job_status', 'requeue_failed_tasks'],
      bulk: [
        { op: 'archive_to_cold', by: 'volume' },
        { op: 'publish_version', by: 'volume' },
        { op: 'submit_render_job', by: 'volume' },
      ],
      driftOp: 'query_job_status',
    }),
  };
}

function assistant(agent: string): SeatSpec {
  const aroha: Person = { email: `aroha.ngata@${DOMAIN}` };
  return {
    ...base(agent, 'assistant', [aroha]),
    procedures: [
      proc(
        'shot_review',
        () => 5,
        [
          { op: 'read_shot', rep: [1, 3] },
          { op: 'update_shot_status', p: 0.5 },
          { op: 'share_review_link', p: 0.3 },
        ],
        45,
      ),
      proc(
        'delivery',
        (d) => (crunch(d) ? 2.5 : 0.7),
        [
          'read_shot',
          { op: 'create_download_link', p: 0.5 },
          'send_package_to_client',
          { op: 'approve_final_delivery', p: 0.08 },
        ],
        60,
      ),
      proc('budget', () => 1.2, ['log_overtime', { op: 'approve_vendor_po', p: 0.3 }], 50),
    ],
    sessions: (day, dow) =>
      dow < 5 ? 15 * (crunch(day) ? 1.4 : 1) : dow === 5 ? (day === 19 || day === 33 ? 5 : 0.5) : 0,
    hours: (_day, dow) =>
      dow < 5
        ? hourly([
            [8, 9, 0.5],
            [9, 12, 1.4],
            [12, 13, 0.6],
            [13, 18, 1.2],
            [18, 19, 0.4],
          ])
        : hourly([[10, 14, 1]]),
    network: () => '10.90.20.0/24',
    client: (day, _p, r) =>
      day < 19 || (day <= 22 && !r.chance((day - 18) / 4)) ? 'prod-assist/0.9.4' : 'prod-assist/1.0.0',
    hints: hintsOf({
      newTool: { tool: 'payroll-nz', ops: [['change_employee_bank_account', 'CRITICAL']] },
      oddContext: 'person',
      foreignNetwork: '103.75.119.0/24',
      scriptClient: 'python-requests/2.32.3',
      strayPerson: `runner.temp@${DOMAIN}`,
      burstOps: ['read_shot'],
      bulk: [
        { op: 'send_package_to_client', by: 'volume' },
        { op: 'approve_vendor_po', by: 'amount' },
      ],
    }),
  };
}

const ARTISTS: Person[] = [
  { email: `mere.parata@${DOMAIN}`, shift: [9, 19] },
  { email: `sam.oconnell@${DOMAIN}`, shift: [9, 19] },
  { email: `lin.zhao@${DOMAIN}`, shift: [10, 21] },
  { email: `rawiri.king@${DOMAIN}`, shift: [11, 1] },
  { email: `sofia.marino@${DOMAIN}`, shift: [9, 18] },
  { email: `jack.tuhiwai@${DOMAIN}`, shift: [12, 1] },
  { email: `freelance.anya@${DOMAIN}`, shift: [10, 1], from: 18 },
  { email: `freelance.kenji@${DOMAIN}`, shift: [12, 1], from: 18 },
  { email: `freelance.dana@${DOMAIN}`, shift: [10, 22], from: 23 },
];
const FREELANCERS = new Set(ARTISTS.filter((p) => p.from !== undefined).map((p) => p.email));

function team(agent: string): SeatSpec {
  return {
    ...base(agent, 'team', ARTISTS),
    procedures: [
      proc('comp_iteration', () => 5, ['read_shot', 'submit_render_job', { op: 'query_job_status', rep: [1, 3] }], 60),
      proc('publish', () => 2.5, [{ op: 'delete_version', p: 0.12 }, 'publish_version', 'post_review_notes'], 45),
      proc('notes', () => 2, ['post_review_notes', 'update_shot_status'], 40),
      proc('restore', () => 0.5, ['read_shot', 'restore_from_cold'], 50),
    ],
    sessions: (day, dow) =>
      (dow < 5 ? 55 : dow === 5 ? (crunch(day + 2) || crunch(day) ? 30 : 10) : 4) * (crunch(day) ? 1.3 : 1),
    hours: (day) =>
      crunch(day)
        ? hourly([
            [0, 1, 0.5],
            [9, 12, 1.2],
            [12, 13, 0.6],
            [13, 18, 1.4],
            [18, 21, 1.1],
            [21, 24, 0.8],
          ])
        : hourly([
            [9, 12, 1.2],
            [12, 13, 0.6],
            [13, 18, 1.4],
            [18, 21, 0.7],
          ]),
    network: (_day, p) => (p && FREELANCERS.has(p.email) ? '10.90.240.0/24' : '10.90.30.0/24'),
    client: () => 'nuke-bridge/15.1.3',
    hints: hintsOf({
      newTool: {
        tool: 'client-vault',
        ops: [
          ['download_client_master', 'HIGH'],
          ['copy_master_external', 'CRITICAL'],
        ],
      },
      oddContext: 'client',
      foreignNetwork: '103.75.119.0/24',
      scriptClient: 'curl/8.7.1',
      burstOps: ['read_shot', 'query_job_status'],
      bulk: [
        { op: 'restore_from_cold', by: 'volume' },
        { op: 'publish_version', by: 'volume' },
      ],
      driftOp: 'submit_render_job',
    }),
  };
}

function quiet(agent: string): SeatSpec {
  const wiremu: Person = { email: `wiremu.tane@${DOMAIN}`, shift: [9, 17], days: [0, 1, 2, 3, 4] };
  return {
    ...base(agent, 'quiet', [wiremu]),
    procedures: [
      proc('plates_in', () => 2, ['receive_plates', 'update_shot_status'], 90),
      proc('outbound', (d) => (crunch(d) ? 3 : 1.3), ['create_download_link', 'send_package_to_client'], 60),
      proc('restore', () => 1, ['restore_from_cold'], 60),
      proc('archive', () => 0.6, ['archive_to_cold'], 60),
    ],
    sessions: (_day, dow) => (dow < 5 ? 5 : 0),
    hours: () =>
      hourly([
        [9, 12, 1.3],
        [12, 13, 0.5],
        [13, 17, 1],
      ]),
    network: () => '10.90.50.0/24',
    client: () => 'io-desk/4.0.8',
    hints: hintsOf({
      newTool: { tool: 'finance-ledger', ops: [['export_general_ledger', 'HIGH']] },
      oddContext: 'network',
      foreignNetwork: '103.75.119.0/24',
      scriptClient: 'curl/8.7.1',
      burstOps: ['restore_from_cold'],
      bulk: [
        { op: 'send_package_to_client', by: 'volume' },
        { op: 'restore_from_cold', by: 'amount' },
      ],
    }),
  };
}

export function postSeat(i: number): SeatSpec {
  return { bot, assistant, team, quiet }[SEAT_KINDS[(i - 1) % 4]!](`post-${i}`);
}
