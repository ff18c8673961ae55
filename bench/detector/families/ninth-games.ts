/**
 * Ninth family, archetype `game_live_ops`: a Seoul/Dublin online game studio's live operations. Player support
 * lookups, item grants as compensation, chat mutes, bans and appeals, in-game currency refunds; every other Tuesday a
 * patch lands and support and moderation spike for two days. The support team hires during the run.
 */
import { personName, type ArchetypeSpec, type DayMood, type Person, type Seat } from './ninth-model.js';

const DOMAIN = 'lanternforge.example';
const API = 'https://liveops.lanternforge.example';
const PATCH_DAYS = [8, 22, 36];

export const GAMES: ArchetypeSpec = {
  archetype: 'game_live_ops',
  tools: {
    'player-support': `${API}/support/`,
    'inventory-svc': `${API}/inventory/`,
    enforcement: `${API}/enforcement/`,
    'wallet-svc': 'https://wallet.lanternforge.example/v1/',
    'crash-telemetry': 'https://telemetry.lanternforge.example/',
  },
  ops: {
    read_ticket: { tool: 'player-support', sensitivity: 'LOW', volume: [1, 0.1] },
    lookup_player: { tool: 'player-support', sensitivity: 'LOW', volume: [1, 0.3] },
    reply_ticket: { tool: 'player-support', sensitivity: 'LOW', volume: [1, 0.1] },
    close_ticket: { tool: 'player-support', sensitivity: 'LOW', volume: [1, 0.1] },
    grant_item: { tool: 'inventory-svc', sensitivity: 'MEDIUM', volume: [3, 0.6] },
    revoke_item: { tool: 'inventory-svc', sensitivity: 'MEDIUM', volume: [2, 0.5] },
    review_reports: { tool: 'enforcement', sensitivity: 'LOW', volume: [12, 0.6] },
    mute_chat: { tool: 'enforcement', sensitivity: 'MEDIUM', volume: [1, 0.1] },
    ban_player: { tool: 'enforcement', sensitivity: 'HIGH', volume: [1, 0.2] },
    unban_player: { tool: 'enforcement', sensitivity: 'HIGH', volume: [1, 0.1] },
    read_transactions: { tool: 'wallet-svc', sensitivity: 'LOW', volume: [8, 0.5] },
    refund_currency: { tool: 'wallet-svc', sensitivity: 'HIGH', volume: [1, 0.2], amount: [9.99, 0.8] },
    query_crash_reports: { tool: 'crash-telemetry', sensitivity: 'LOW', volume: [35, 0.6] },
  },
  procs: {
    ticket: [
      { op: 'read_ticket' },
      { op: 'lookup_player', times: [1, 2], gap: [5, 40] },
      {
        branch: [
          { w: 3, steps: [{ op: 'grant_item' }] },
          { w: 2, steps: [{ op: 'read_transactions' }, { op: 'refund_currency', p: 0.6 }] },
          { w: 3, steps: [] },
        ],
      },
      { op: 'reply_ticket', gap: [30, 240] },
      { op: 'close_ticket', p: 0.8 },
    ],
    moderation_sweep: [
      { op: 'review_reports', times: [1, 4], gap: [5, 30] },
      {
        branch: [
          { w: 4, steps: [{ op: 'mute_chat', gap: [3, 20] }] },
          { w: 1, steps: [{ op: 'ban_player' }] },
          { w: 3, steps: [] },
        ],
      },
    ],
    appeal: [
      { op: 'read_ticket' },
      { op: 'lookup_player' },
      { op: 'review_reports', gap: [30, 200] },
      { op: 'unban_player', p: 0.45, gap: [60, 400] },
      { op: 'reply_ticket' },
    ],
    crash_triage: [
      { op: 'query_crash_reports', times: [1, 3], gap: [30, 200] },
      { op: 'lookup_player', p: 0.5 },
      { op: 'grant_item', p: 0.3 },
    ],
    exploit_cleanup: [
      { op: 'read_transactions' },
      { op: 'lookup_player' },
      { op: 'revoke_item' },
      { op: 'ban_player', p: 0.3 },
    ],
  },
  seats(count, rng) {
    const seats: Seat[] = [];
    for (let i = 0; i < count; i++) {
      const r = rng.fork(`games-seat-${i}`);
      const who = (hours: [number, number], from = 0, weight = 1): Person => ({
        email: personName(r, DOMAIN, `.g${i + 1}`),
        hours,
        from,
        weight,
      });
      const base = {
        agent: `liveops-${i + 1}`,
        archetype: 'game_live_ops',
        platform: 'openai-assistants',
        utc: [0, 0] as [number, number],
        dstDay: 99,
        weekend: 1.2,
        networks: [{ from: 0, nets: [`10.77.${8 * i}.0/24`, `10.77.${8 * i + 1}.0/24`] }],
        clients: [{ from: 0, ua: 'lantern-liveops-agent/5.3' }],
      };
      const kind = i % 4;
      if (kind === 0)
        seats.push({
          ...base,
          sessions: 95,
          people: [{ hours: [0, 24], from: 0, weight: 1 }],
          networks: [{ from: 0, nets: [`10.77.${8 * i + 2}.0/25`] }],
          clients: [{ from: 0, ua: 'moderation-bot/11.2' }],
          procs: { moderation_sweep: 10, exploit_cleanup: 1 },
        });
      else if (kind === 1)
        seats.push({
          ...base,
          sessions: 10,
          people: [who([22, 30]), who([6, 14]), who([14, 22]), who([7, 15], 18, 0.6), who([15, 23], 25, 0.6)],
          procs: { ticket: 6, appeal: 1, crash_triage: 1 },
        });
      else if (kind === 2)
        seats.push({
          ...base,
          utc: [0, 1],
          dstDay: 27,
          sessions: 7,
          weekend: 0.3,
          people: [who([9, 18])],
          networks: [{ from: 0, nets: [`192.168.${60 + i}.0/24`] }],
          procs: { appeal: 2, crash_triage: 2, ticket: 2, exploit_cleanup: 1 },
          clients: [
            { from: 0, ua: 'lantern-liveops-agent/5.3' },
            { from: 17, ua: 'lantern-liveops-agent/6.0', mix: 5 },
          ],
        });
      else
        seats.push({
          ...base,
          platform: 'vertex-ai',
          utc: [9, 9],
          sessions: 4,
          weekend: 0.2,
          people: [who([10, 19])],
          procs: { ticket: 3, exploit_cleanup: 1 },
        });
    }
    return seats;
  },
  mood(day): DayMood {
    if (PATCH_DAYS.includes(day)) return { factor: 2.6, boost: { crash_triage: 4, ticket: 1.5 } };
    if (PATCH_DAYS.includes(day - 1)) return { factor: 1.7, boost: { crash_triage: 2 } };
    return { factor: 1, boost: {} };
  },
  rare: [
    {
      tool: 'payments-admin',
      resource: 'https://payments.lanternforge.example/admin/',
      op: 'reverse_chargeback',
      sensitivity: 'CRITICAL',
      volume: 1,
      amount: 49.99,
    },
    {
      tool: 'account-admin',
      resource: `${API}/accounts/`,
      op: 'transfer_account_ownership',
      sensitivity: 'CRITICAL',
      volume: 1,
      amount: 0,
    },
    {
      tool: 'economy-config',
      resource: `${API}/economy/`,
      op: 'set_drop_rates',
      sensitivity: 'HIGH',
      volume: 1,
      amount: 0,
    },
  ],
  driftOps: ['review_reports', 'query_crash_reports', 'read_transactions'],
  burstOps: ['lookup_player', 'read_ticket', 'review_reports'],
};
