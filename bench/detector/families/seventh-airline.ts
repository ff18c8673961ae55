/**
 * The airline operations desk of the seventh trace family (bench/detector/families/seventh.ts): Skylark Air's crew
 * rostering, flight disruptions, rebooking with fare differences and EU261 compensation. Peaks: thunderstorms at the
 * Dallas hub (day 17, rebooking ×4, ×2 the day after, compensation claims rising for a week) and the switch to the
 * summer schedule on 30 March (day 27, rostering ×2 the week before). Slow change: a NOTAM feed adopted gradually
 * by the disruption bot and operations control, a crew-assistant client upgrade, a new crew scheduler.
 */
import type { Desk } from './seventh-model.js';

const sky = (host: string, path = '/') => `https://${host}.skylark-air.example${path}`;

export const AIRLINE: Desk = {
  archetype: 'airline_ops',
  tools: {
    crewroster: sky('crew', '/api/v2/'),
    opsctl: sky('ops', '/occ/'),
    pss: sky('pss', '/v2/'),
    fares: sky('fares'),
    payments: sky('pay', '/api/'),
    claims: sky('claims', '/eu261/'),
    notam: sky('notam', '/feed/'),
    notify: sky('notify'),
  },
  ops: {
    get_roster: { tool: 'crewroster', sens: 'LOW', vol: 14 },
    check_legality: { tool: 'crewroster', sens: 'MEDIUM', vol: 1 },
    swap_duty: { tool: 'crewroster', sens: 'MEDIUM', vol: 2 },
    assign_crew: { tool: 'crewroster', sens: 'HIGH', vol: 1 },
    publish_roster: { tool: 'crewroster', sens: 'HIGH', vol: 180, volSpread: 0.2 },
    notify_crew: { tool: 'crewroster', sens: 'LOW', vol: 3 },
    list_disruptions: { tool: 'opsctl', sens: 'LOW', vol: 9 },
    get_flight_status: { tool: 'opsctl', sens: 'LOW', vol: 1 },
    set_delay_code: { tool: 'opsctl', sens: 'MEDIUM', vol: 1 },
    swap_aircraft: { tool: 'opsctl', sens: 'HIGH', vol: 1 },
    cancel_flight: { tool: 'opsctl', sens: 'CRITICAL', vol: 1 },
    get_pnr: { tool: 'pss', sens: 'LOW', vol: 1 },
    search_availability: { tool: 'pss', sens: 'LOW', vol: 7 },
    rebook_pnr: { tool: 'pss', sens: 'HIGH', vol: 2, volSpread: 0.5 },
    issue_emd: { tool: 'pss', sens: 'MEDIUM', vol: 1, amt: 85 },
    quote_fare_difference: { tool: 'fares', sens: 'LOW', vol: 1 },
    refund_fare_difference: { tool: 'payments', sens: 'HIGH', vol: 1, amt: 110 },
    pay_compensation: { tool: 'payments', sens: 'HIGH', vol: 1, amtSet: [250, 400, 400, 600] },
    open_claim: { tool: 'claims', sens: 'MEDIUM', vol: 1 },
    get_claim: { tool: 'claims', sens: 'LOW', vol: 1 },
    assess_eligibility: { tool: 'claims', sens: 'MEDIUM', vol: 1 },
    reject_claim: { tool: 'claims', sens: 'MEDIUM', vol: 1 },
    close_claim: { tool: 'claims', sens: 'MEDIUM', vol: 1 },
    get_notams: { tool: 'notam', sens: 'LOW', vol: 16 },
    send_passenger_notice: { tool: 'notify', sens: 'LOW', vol: 1 },
  },
  procs: {
    roster_fix: [
      'get_roster',
      {
        loop: [1, 3],
        body: [
          'check_legality',
          {
            pick: [
              [0.6, ['swap_duty']],
              [0.4, ['assign_crew']],
            ],
          },
        ],
      },
      { opt: 0.5, then: ['notify_crew'] },
    ],
    roster_look: ['get_roster', { opt: 0.3, then: ['check_legality'] }],
    roster_publish: ['get_roster', 'check_legality', 'publish_roster', 'notify_crew'],
    rebook: [
      'list_disruptions',
      { adopted: ['get_notams'] },
      {
        loop: [1, 5],
        body: [
          'get_pnr',
          { retry: 'search_availability', p: 0.1 },
          'quote_fare_difference',
          {
            pick: [
              [0.5, ['rebook_pnr']],
              [0.3, ['rebook_pnr', 'issue_emd']],
              [0.2, ['rebook_pnr', 'refund_fare_difference']],
            ],
          },
          'send_passenger_notice',
        ],
      },
    ],
    claim: [
      'open_claim',
      'get_pnr',
      'get_flight_status',
      'assess_eligibility',
      {
        pick: [
          [0.65, ['pay_compensation', 'close_claim']],
          [0.35, ['reject_claim', 'send_passenger_notice']],
        ],
      },
    ],
    claim_followup: ['get_claim', { opt: 0.3, then: ['get_pnr'] }, 'close_claim'],
    flight_watch: [
      'list_disruptions',
      { adopted: ['get_notams'] },
      { loop: [1, 3], body: ['get_flight_status', { opt: 0.5, then: ['set_delay_code'] }] },
      { opt: 0.2, then: ['swap_aircraft'] },
      { opt: 0.03, then: ['cancel_flight'] },
    ],
    crew_check: ['get_roster', 'check_legality'],
  },
  foreign: [
    { tool: 'loyalty', uri: sky('loyalty', '/api/'), op: 'credit_miles', sens: 'HIGH', vol: 1 },
    { tool: 'gds_filing', uri: sky('atpco-filing', '/'), op: 'file_fares', sens: 'CRITICAL', vol: 40 },
    { tool: 'crewpay', uri: sky('crewpay', '/'), op: 'approve_crew_pay', sens: 'CRITICAL', vol: 1, amt: 5200 },
    { tool: 'mx', uri: sky('mx', '/amos/'), op: 'release_aircraft', sens: 'CRITICAL', vol: 1 },
  ],
  seats: [
    {
      name: 'air-1',
      role: 'crew-rostering assistant, three schedulers interleaved; weekly roster publication Thursdays',
      platform: 'azure-ai-foundry',
      zone: 'chicago',
      hours: [6, 19],
      curve: 'office',
      weekend: 0.35,
      rate: 34,
      procs: [
        [0.55, 'roster_fix'],
        [0.45, 'roster_look'],
      ],
      people: [
        { email: 'dana.okafor@skylark-air.example' },
        { email: 'luis.ferreira@skylark-air.example' },
        { email: 'mei.tanaka@skylark-air.example' },
        { email: 'owen.blake@skylark-air.example', from: 22 },
      ],
      interleave: true,
      pace: 40,
      networks: [{ from: 0, cidr: '10.40.12.0/24' }],
      clients: [
        { from: 0, ua: 'skylark-crew-assistant/4.2.1' },
        { from: 20, ua: 'skylark-crew-assistant/4.3.0' },
      ],
      cron: [{ at: ['16:30'], proc: 'roster_publish', dow: [3] }],
      peaks: [{ days: [21, 22, 23, 24, 25], factor: 2 }],
      drift: 'get_roster',
    },
    {
      name: 'air-2',
      role: 'disruption and rebooking bot: rebooks passengers, collects or refunds fare differences',
      platform: 'bedrock',
      zone: 'chicago',
      hours: [0, 24],
      curve: 'night_thin',
      weekend: 1,
      rate: 28,
      procs: [[1, 'rebook']],
      pace: 4,
      networks: [{ from: 0, cidr: '10.40.200.0/23' }],
      clients: [{ from: 0, ua: 'skylark-rebook-bot/2.9.4' }],
      peaks: [
        { days: [17], factor: 4 },
        { days: [18], factor: 2 },
      ],
      adopt: { from: 13, over: 6 },
      drift: 'search_availability',
    },
    {
      name: 'air-3',
      role: "an EU261 compensation handler's quiet assistant",
      platform: 'copilot-studio',
      zone: 'london',
      hours: [9, 17],
      curve: 'office',
      weekend: 0,
      rate: 7,
      procs: [
        [0.7, 'claim'],
        [0.3, 'claim_followup'],
      ],
      people: [{ email: 'harriet.cole@skylark-air.example' }],
      pace: 70,
      networks: [{ from: 0, cidr: '172.20.8.0/24' }],
      clients: [{ from: 0, ua: 'copilot-studio-agent/1.14' }],
      peaks: [{ days: [19, 20, 21, 22, 23, 24], factor: 2 }],
    },
    {
      name: 'air-4',
      role: 'operations-control assistant for two duty controllers in shifts',
      platform: 'vertex-ai',
      zone: 'singapore',
      hours: [6, 22],
      curve: 'flat',
      weekend: 0.8,
      rate: 26,
      procs: [
        [0.8, 'flight_watch'],
        [0.2, 'crew_check'],
      ],
      people: [
        { email: 'aisyah.rahman@skylark-air.example', shift: [6, 14] },
        { email: 'kenji.lim@skylark-air.example', shift: [14, 22] },
      ],
      pace: 30,
      networks: [{ from: 0, cidr: '10.65.3.0/24' }],
      clients: [{ from: 0, ua: 'occ-assistant/1.8.0' }],
      peaks: [{ days: [17], factor: 1.8 }],
      adopt: { from: 16, over: 9 },
    },
  ],
};
