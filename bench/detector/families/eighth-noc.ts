/**
 * The telecom_noc desk of the eighth trace family: a regional fibre operator's network operations centre in
 * Chicago (credits in USD). Outage nights — a storm (day 15) and a fibre cut (day 29) — flood the alarm poller,
 * put the night shift on a bridge, and bring customer credits over the next two days.
 */
import type { Desk, Mood } from './eighth-model.js';

const ALL_WEEK = [1, 1, 1, 1, 1, 1, 1] as const;
const WEEKDAYS = [1, 1, 1, 1, 1, 0, 0] as const;

function mood(day: number): Mood {
  if (day === 15 || day === 29)
    return {
      load: 1.5,
      jobs: 3,
      boost: { alarm_triage: 2, outage_bridge: 15 },
      scale: { list_active_alarms: 4, query_interface_stats: 1.5 },
      night: { proc: 'outage_bridge', sessions: 28, hours: [22, 29] },
    };
  if (day === 16 || day === 17 || day === 30 || day === 31)
    return { load: 1.5, boost: { customer_credit: 4, ticket_work: 1.5 } };
  return { load: 1 };
}

export const NOC: Desk = {
  archetype: 'telecom_noc',
  prefix: 'noc',
  domain: 'prairiefiber.example',
  tools: {
    nms: 'https://nms.prairiefiber.example/api/v2/',
    itsm: 'https://prairiefiber.service-now.example/api/now/',
    netconf: 'https://netconf-gw.prairiefiber.example/restconf/',
    batfish: 'https://batfish.prairiefiber.example/v1/',
    telemetry: 'https://telemetry.prairiefiber.example/api/v1/query/',
    billing: 'https://billing.prairiefiber.example/api/accounts/',
  },
  ops: {
    list_active_alarms: { tool: 'nms', sens: 'LOW', vol: [40, 0.5] },
    ack_alarm: { tool: 'nms', sens: 'MEDIUM', vol: [2, 0.5] },
    suppress_alarm: { tool: 'nms', sens: 'HIGH', vol: [3, 0.5] },
    search_tickets: { tool: 'itsm', sens: 'LOW', vol: [25, 0.4] },
    create_ticket: { tool: 'itsm', sens: 'MEDIUM', vol: [1, 0.1] },
    update_ticket: { tool: 'itsm', sens: 'LOW', vol: [1, 0.1] },
    assign_ticket: { tool: 'itsm', sens: 'LOW', vol: [1, 0.1] },
    resolve_ticket: { tool: 'itsm', sens: 'MEDIUM', vol: [1, 0.2] },
    get_running_config: { tool: 'netconf', sens: 'MEDIUM', vol: [1, 0.3] },
    diff_config: { tool: 'netconf', sens: 'LOW', vol: [1, 0.2] },
    push_config: { tool: 'netconf', sens: 'HIGH', vol: [4, 0.6] },
    rollback_config: { tool: 'netconf', sens: 'HIGH', vol: [2, 0.5] },
    verify_change: { tool: 'batfish', sens: 'LOW', vol: [4, 0.5] },
    query_interface_stats: { tool: 'telemetry', sens: 'LOW', vol: [200, 0.5] },
    lookup_account: { tool: 'billing', sens: 'MEDIUM', vol: [1, 0.1] },
    issue_service_credit: { tool: 'billing', sens: 'HIGH', vol: [1, 0.1], amt: [35, 0.6] },
  },
  procs: {
    alarm_poll: [
      { op: 'list_active_alarms' },
      {
        pick: [
          [5, [{ op: 'ack_alarm' }]],
          [1, [{ op: 'ack_alarm' }, { op: 'create_ticket' }]],
        ],
        p: 0.25,
      },
    ],
    mute_window: [{ op: 'list_active_alarms' }, { op: 'suppress_alarm' }],
    alarm_triage: [
      { op: 'list_active_alarms' },
      { op: 'query_interface_stats', p: 0.6 },
      {
        pick: [
          [5, [{ op: 'ack_alarm' }]],
          [3, [{ op: 'ack_alarm' }, { op: 'create_ticket' }, { op: 'assign_ticket' }]],
          [1, [{ op: 'suppress_alarm' }]],
        ],
      },
    ],
    ticket_work: [
      { op: 'search_tickets' },
      {
        loop: [
          {
            pick: [
              [3, [{ op: 'update_ticket' }]],
              [1, [{ op: 'assign_ticket' }]],
            ],
          },
        ],
        times: [1, 3],
      },
      { op: 'resolve_ticket', p: 0.5 },
    ],
    change_window: [
      { op: 'get_running_config' },
      { op: 'diff_config' },
      { op: 'verify_change', gate: 'batfish', p: 0.9 },
      { op: 'push_config', retry: 0.08 },
      { op: 'query_interface_stats', wait: [120, 600] },
      { op: 'rollback_config', p: 0.08 },
    ],
    customer_credit: [
      { op: 'lookup_account' },
      { op: 'search_tickets', p: 0.5 },
      { op: 'issue_service_credit' },
      { op: 'update_ticket', p: 0.7 },
    ],
    outage_bridge: [
      { op: 'list_active_alarms' },
      { op: 'query_interface_stats' },
      { op: 'create_ticket' },
      { loop: [{ op: 'ack_alarm' }], times: [2, 6] },
      { op: 'update_ticket', p: 0.8 },
    ],
  },
  foreign: [
    ['lawful-intercept', 'open_intercept', 'CRITICAL'],
    ['cdr-warehouse', 'export_cdrs', 'CRITICAL'],
    ['number-porting', 'port_out_number', 'HIGH'],
    ['iam', 'grant_admin_role', 'CRITICAL'],
  ],
  mood,
  seats: [
    {
      role: 'alarm poller naming nobody, every 5 minutes around the clock (every 100 s on outage nights)',
      platform: 'openai-agents',
      zone: 'America/Chicago',
      hours: [0, 24],
      week: ALL_WEEK,
      sessions: 0,
      procs: [],
      people: 0,
      pace: [1, 4],
      jobs: [
        { proc: 'alarm_poll', every: 5, hours: [0, 24], week: ALL_WEEK },
        { proc: 'mute_window', every: 240, hours: [0, 24], week: ALL_WEEK },
      ],
      network: '172.20.9.0/24',
      client: 'nms-watch/5.0.2',
      upgrade: { day: 16, client: 'nms-watch/5.1.0' },
    },
    {
      role: 'NOC shift assistant for six engineers in three shifts around the clock; a night-shift hire joins',
      platform: 'servicenow-now-assist',
      zone: 'America/Chicago',
      hours: [0, 24],
      week: ALL_WEEK,
      sessions: 60,
      procs: [
        [6, 'alarm_triage'],
        [5, 'ticket_work'],
        [1, 'change_window'],
        [0.1, 'outage_bridge'],
      ],
      people: 6,
      shifts: true,
      pace: [10, 90],
      network: '172.20.14.0/24',
      client: 'now-assist/2025.1.3',
      joiners: [19],
      drift: 'query_interface_stats',
    },
    {
      role: 'change engineer’s assistant, weekdays 08:00–18:00 plus Tuesday/Thursday change windows 01:00–04:00',
      platform: 'bedrock',
      zone: 'America/Chicago',
      hours: [8, 18],
      week: WEEKDAYS,
      sessions: 6,
      procs: [
        [4, 'change_window'],
        [2, 'ticket_work'],
        [1, 'alarm_triage'],
      ],
      people: 1,
      pace: [30, 200],
      jobs: [{ proc: 'change_window', every: 45, hours: [1, 4], week: [0, 1, 0, 1, 0, 0, 0] }],
      network: '172.20.22.0/24',
      client: 'netops-cli/0.9.4',
      adopts: { batfish: { from: 12, ramp: 12 } },
      drift: 'search_tickets',
    },
    {
      role: 'quiet customer-credits assistant for two agents, weekdays 09:00–17:00; the care office moves',
      platform: 'azure-openai',
      zone: 'America/Chicago',
      hours: [9, 17],
      week: WEEKDAYS,
      sessions: 5,
      procs: [
        [5, 'customer_credit'],
        [1, 'ticket_work'],
      ],
      people: 2,
      pace: [25, 180],
      network: '172.20.40.0/24',
      moves: { day: 26, network: '172.21.3.0/24' },
      client: 'care-console/7.2.0',
    },
  ],
};
