/**
 * Ninth family, archetype `construction_pm`: a Denver general contractor's project management. RFIs and drawing
 * revisions, change orders with amounts, subcontractor pay applications and retainage; rain and snow days bring
 * weather-delay logs, schedule updates and a wave of RFIs. One site team moves into a new site office.
 */
import { personName, type ArchetypeSpec, type DayMood, type Person, type Seat } from './ninth-model.js';

const DOMAIN = 'granitepeakbuilders.example';

export const CONSTRUCTION: ArchetypeSpec = {
  archetype: 'construction_pm',
  tools: {
    'project-hub': 'https://projecthub.granitepeakbuilders.example/api/',
    'change-orders': 'https://projecthub.granitepeakbuilders.example/api/change-orders/',
    'sub-payments': 'https://payapps.granitepeakbuilders.example/',
    'site-log': 'https://sitelog.granitepeakbuilders.example/',
    scheduler: 'https://schedule.granitepeakbuilders.example/p6/',
    'bim-viewer': 'https://bim.granitepeakbuilders.example/',
  },
  ops: {
    read_drawing: { tool: 'project-hub', sensitivity: 'LOW', volume: [4, 0.6] },
    read_rfi: { tool: 'project-hub', sensitivity: 'LOW', volume: [1, 0.2] },
    submit_rfi: { tool: 'project-hub', sensitivity: 'MEDIUM', volume: [1, 0.1] },
    answer_rfi: { tool: 'project-hub', sensitivity: 'MEDIUM', volume: [1, 0.1] },
    upload_drawing_revision: { tool: 'project-hub', sensitivity: 'MEDIUM', volume: [3, 0.5] },
    read_budget: { tool: 'change-orders', sensitivity: 'LOW', volume: [25, 0.4] },
    draft_change_order: { tool: 'change-orders', sensitivity: 'MEDIUM', volume: [1, 0.1], amount: [18_500, 0.9] },
    approve_change_order: { tool: 'change-orders', sensitivity: 'HIGH', volume: [1, 0.1], amount: [18_500, 0.9] },
    read_pay_application: { tool: 'sub-payments', sensitivity: 'LOW', volume: [18, 0.4] },
    hold_retainage: { tool: 'sub-payments', sensitivity: 'MEDIUM', volume: [1, 0.1], amount: [6_400, 0.6] },
    approve_sub_payment: { tool: 'sub-payments', sensitivity: 'HIGH', volume: [1, 0.1], amount: [64_000, 0.7] },
    read_weather: { tool: 'site-log', sensitivity: 'LOW', volume: [1, 0.1] },
    log_daily_report: { tool: 'site-log', sensitivity: 'LOW', volume: [9, 0.4] },
    log_weather_delay: { tool: 'site-log', sensitivity: 'MEDIUM', volume: [1, 0.2] },
    read_schedule: { tool: 'scheduler', sensitivity: 'LOW', volume: [60, 0.3] },
    update_schedule: { tool: 'scheduler', sensitivity: 'MEDIUM', volume: [5, 0.6] },
    open_model: { tool: 'bim-viewer', sensitivity: 'LOW', volume: [1, 0.1] },
    run_clash_report: { tool: 'bim-viewer', sensitivity: 'MEDIUM', volume: [30, 0.5] },
  },
  procs: {
    daily_log: [
      { op: 'read_weather' },
      { op: 'log_daily_report', gap: [120, 600] },
      { op: 'log_weather_delay', p: 0.15 },
      { op: 'read_schedule', p: 0.4 },
    ],
    weather_day: [
      { op: 'read_weather', times: [1, 3], gap: [60, 900] },
      { op: 'log_weather_delay' },
      { op: 'read_schedule' },
      { op: 'update_schedule', times: [1, 2] },
      { op: 'log_daily_report', p: 0.6 },
    ],
    rfi: [
      { op: 'read_drawing', times: [1, 4], gap: [20, 120] },
      {
        branch: [
          { w: 2, steps: [{ op: 'submit_rfi' }] },
          { w: 2, steps: [{ op: 'read_rfi' }, { op: 'answer_rfi', gap: [120, 600] }] },
        ],
      },
      { op: 'upload_drawing_revision', p: 0.25 },
    ],
    change_order: [
      { op: 'read_rfi' },
      { op: 'read_budget' },
      { op: 'draft_change_order', gap: [200, 900] },
      { op: 'approve_change_order', p: 0.55, gap: [120, 600] },
      { op: 'update_schedule', p: 0.3 },
    ],
    pay_application: [
      { op: 'read_pay_application', times: [1, 2] },
      { op: 'read_budget', p: 0.7 },
      { op: 'hold_retainage', p: 0.5 },
      { op: 'approve_sub_payment', gap: [60, 400] },
    ],
    coordination: [
      { op: 'open_model' },
      { op: 'run_clash_report', gap: [60, 300] },
      { op: 'read_drawing', p: 0.6 },
      { op: 'submit_rfi', p: 0.4 },
    ],
  },
  seats(count, rng) {
    const seats: Seat[] = [];
    for (let i = 0; i < count; i++) {
      const r = rng.fork(`construction-seat-${i}`);
      const who = (hours: [number, number], from = 0, weight = 1): Person => ({
        email: personName(r, DOMAIN, `.c${i + 1}`),
        hours,
        from,
        weight,
      });
      const base = {
        agent: `site-${i + 1}`,
        archetype: 'construction_pm',
        platform: 'vertex-ai',
        utc: [-7, -6] as [number, number],
        dstDay: 7,
        weekend: 0.15,
        networks: [{ from: 0, nets: [`172.20.${4 * i}.0/24`] }],
        clients: [{ from: 0, ua: 'granite-pm-assistant/1.9' }],
      };
      const kind = i % 4;
      if (kind === 0)
        seats.push({
          ...base,
          sessions: 9,
          people: [who([6, 17])],
          procs: { daily_log: 1, rfi: 4, change_order: 2, pay_application: 1, weather_day: 2 },
        });
      else if (kind === 1)
        seats.push({
          ...base,
          platform: 'bedrock',
          utc: [0, 0],
          sessions: 14,
          weekend: 0,
          people: [{ hours: [5, 8], from: 0, weight: 1 }],
          networks: [{ from: 0, nets: [`172.20.${4 * i + 1}.0/26`] }],
          clients: [{ from: 0, ua: 'payapp-batch/2.4' }],
          procs: { pay_application: 6, change_order: 1 },
        });
      else if (kind === 2)
        seats.push({
          ...base,
          sessions: 4,
          people: [who([5, 15]), who([6, 16]), who([6, 14], 0, 0.6)],
          procs: { daily_log: 3, rfi: 2, change_order: 1, weather_day: 3 },
          networks: [
            { from: 0, nets: [`172.20.${4 * i + 2}.0/24`] },
            { from: 22, nets: [`172.21.${4 * i + 2}.0/24`] },
          ],
        });
      else
        seats.push({
          ...base,
          sessions: 3,
          people: [who([7, 16])],
          procs: { rfi: 3, daily_log: 1, pay_application: 1.5, change_order: 1, weather_day: 1 },
          adopt: { proc: 'coordination', from: 15, full: 30, weight: 2 },
        });
    }
    return seats;
  },
  mood(day, rng): DayMood {
    // Spring storms in the Front Range: about one day in five, the site stops and the office reschedules.
    const storm = rng.chance(0.2);
    return storm ? { factor: 1.4, boost: { weather_day: 1, rfi: 1.5 } } : { factor: 1, boost: { weather_day: 0 } };
  },
  rare: [
    {
      tool: 'vendor-master',
      resource: 'https://erp.granitepeakbuilders.example/vendors/',
      op: 'change_vendor_bank_account',
      sensitivity: 'CRITICAL',
      volume: 1,
      amount: 0,
    },
    {
      tool: 'lien-waivers',
      resource: 'https://liens.granitepeakbuilders.example/',
      op: 'release_lien_waiver',
      sensitivity: 'HIGH',
      volume: 1,
      amount: 48_000,
    },
    {
      tool: 'bonding-portal',
      resource: 'https://surety.granitepeakbuilders.example/',
      op: 'file_bond_claim',
      sensitivity: 'CRITICAL',
      volume: 1,
      amount: 250_000,
    },
  ],
  driftOps: ['read_budget', 'read_pay_application', 'log_daily_report', 'read_drawing'],
  burstOps: ['read_drawing', 'read_rfi', 'read_weather'],
};
