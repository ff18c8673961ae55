/**
 * The scoring added for traffic the detector was not first tuned on (issue 19): a sensitive step repeated
 * back to back, a slow rise no single request shows, a CRITICAL operation in a step never made, branching
 * predecessors (Witten–Bell), and context keys derived from the delegating person, the client and the network.
 */
import { describe, expect, it } from 'vitest';
import { addressScope, contextValue, emptyBaseline, entry, type Baseline } from '../risk/baseline.js';
import { learn } from '../risk/learn.js';
import { decide } from '../risk/decide.js';
import { assess } from '../risk/score.js';
import { type ActionFacts, type Sensitivity } from '../risk/types.js';
import { policyFor, type Policy } from '../risk/policy.js';
import { CONTEXT, DAY, HOUR, MIN, P, T0, facts, history, monday, score, step, supportHistory } from './helpers/risk.js';

const reasonOf = (b: Baseline, f: ActionFacts, pattern: RegExp) =>
  assess(b, f, P).reasons.find((r) => pattern.test(r.detail));

describe('a sensitive step repeated back to back', () => {
  const { baseline, end } = supportHistory();
  // The routine: read_ticket → read_customer → search_customers → update_ticket; read_customer never repeats.
  const afterRead = learn(baseline, facts('support-1', step('tickets', 'read_ticket', 'LOW'), monday(end)), P);
  const once = learn(afterRead, facts('support-1', step('crm', 'read_customer', 'MEDIUM'), monday(end, 1)), P);

  it('holds a MEDIUM operation the agent never repeats, and says so', () => {
    const again = facts('support-1', step('crm', 'read_customer', 'MEDIUM'), monday(end, 1.5));
    const a = assess(once, again, P);
    const reason = a.reasons.find((r) => r.signal === 'sequence')!;
    expect(reason.contribution).toBe(P.sequence.repeat.MEDIUM);
    expect(reason.detail).toMatch(
      /^crm:read_customer again right after crm:read_customer: this agent has never repeated it back to back \([\d,]+ steps seen after it\)\.$/,
    );
    expect(decide(a, again, P).decision).toBe('REVIEW');
  });

  it('is quiet after a pause, for LOW operations, and for an operation the agent repeats routinely', () => {
    const later = facts(
      'support-1',
      step('crm', 'read_customer', 'MEDIUM'),
      monday(end, 1 + (2 * P.sequence.pauseMs) / MIN),
    );
    expect(reasonOf(once, later, /again right after/)).toBeUndefined();

    const ticket = learn(afterRead, facts('support-1', step('tickets', 'update_ticket', 'LOW'), monday(end, 1)), P);
    const lowAgain = facts('support-1', step('tickets', 'update_ticket', 'LOW'), monday(end, 1.5));
    expect(reasonOf(ticket, lowAgain, /again right after/)).toBeUndefined();

    const { baseline: looping, end: loopEnd } = history('loop-1', [
      { tool: 'crm', operation: 'read_customer', sensitivity: 'MEDIUM', volume: () => 1 },
      { tool: 'crm', operation: 'read_customer', sensitivity: 'MEDIUM', volume: () => 1 },
    ]);
    const b = learn(looping, facts('loop-1', step('crm', 'read_customer', 'MEDIUM'), monday(loopEnd)), P);
    const next = facts('loop-1', step('crm', 'read_customer', 'MEDIUM'), monday(loopEnd, 0.5));
    expect(score(assess(b, next, P), 'sequence')).toBe(0);
  });

  it('says less about an operation followed only a few times, unless the agent never repeats any step', () => {
    const warm = policyFor(P, { warmup: { actions: 0, days: 0 } });
    const ownOnly = policyFor(warm, { sequence: { pooledEvidence: 0 } });
    const { baseline: rare, end: rareEnd } = history(
      'rare-1',
      [
        { tool: 'tickets', operation: 'read_ticket', sensitivity: 'LOW', volume: () => 1 },
        { tool: 'crm', operation: 'read_customer', sensitivity: 'MEDIUM', volume: () => 1 },
      ],
      { days: 1, sessions: 3, policy: warm },
    );
    const b = learn(rare, facts('rare-1', step('crm', 'read_customer', 'MEDIUM'), monday(rareEnd)), warm);
    const again = facts('rare-1', step('crm', 'read_customer', 'MEDIUM'), monday(rareEnd, 0.5));
    const repeat = (policy: Policy) =>
      assess(b, again, policy).reasons.find((r) => /again right after/.test(r.detail))!;
    // Followed twice (the third session's read_customer is the day's last request): half of `evidence` 4.
    expect(repeat(ownOnly).detail).toMatch(/never repeated it back to back \(2 steps seen after it\)/);
    expect(repeat(ownOnly).contribution).toBe(Math.round((P.sequence.repeat.MEDIUM * 2) / P.sequence.evidence));
    // Its other step, read_ticket, was followed three times and never repeated either: together, full evidence.
    expect(repeat(warm).contribution).toBe(P.sequence.repeat.MEDIUM);
  });

  it('an agent that loops its other steps gives a rarely-followed step no pooled evidence', () => {
    const warm = policyFor(P, { warmup: { actions: 0, days: 0 } });
    const { baseline: loops, end: loopsEnd } = history(
      'loops-1',
      [
        { tool: 'tickets', operation: 'read_ticket', sensitivity: 'LOW', volume: () => 1 },
        { tool: 'tickets', operation: 'read_ticket', sensitivity: 'LOW', volume: () => 1 },
        { tool: 'crm', operation: 'read_customer', sensitivity: 'MEDIUM', volume: () => 1 },
      ],
      { days: 1, sessions: 3, policy: warm },
    );
    const b = learn(loops, facts('loops-1', step('crm', 'read_customer', 'MEDIUM'), monday(loopsEnd)), warm);
    const again = facts('loops-1', step('crm', 'read_customer', 'MEDIUM'), monday(loopsEnd, 0.5));
    const reason = assess(b, again, warm).reasons.find((r) => /again right after/.test(r.detail))!;
    expect(reason.contribution).toBe(Math.round((P.sequence.repeat.MEDIUM * 2) / P.sequence.evidence));
  });
});

describe('a slow rise no single request gives away (volume.creep)', () => {
  const exportAt = (d: number, k: number) => T0 + d * DAY + 9 * HOUR + k * 20 * MIN;
  const exportFacts = (volume: number, at: number) => facts('etl-1', step('crm', 'export_rows', 'MEDIUM', volume), at);
  /** Three steady weeks around 100 rows, then +9 % a day; every request learned that the live path would allow. */
  function run(days: number, approve: boolean) {
    let b = emptyBaseline();
    const held: Array<{ day: number; detail: string }> = [];
    for (let d = 0; d < days; d++) {
      const level = 100 * Math.pow(1.09, Math.max(0, d - 21));
      for (let k = 0; k < 12; k++) {
        const f = exportFacts(Math.round(level * (0.85 + (0.3 * ((k * 7) % 12)) / 11)), exportAt(d, k));
        const a = assess(b, f, P);
        const creep = a.reasons.find((r) => r.detail.includes('spread·days'));
        const decision = decide(a, f, P).decision;
        if (decision !== 'ALLOW') held.push({ day: d, detail: creep?.detail ?? a.reasons[0]?.detail ?? '' });
        if (decision === 'ALLOW' || approve) b = learn(b, f, P, decision !== 'ALLOW');
      }
    }
    return { b, held };
  }

  it('steady weeks never build a creep', () => {
    const { b, held } = run(21, false);
    expect(held).toEqual([]);
    const f = exportFacts(110, exportAt(21, 0));
    expect(reasonOf(b, f, /spread·days/)).toBeUndefined();
  });

  it('a rise of 9 % a day is held within two weeks, while each request is under 3× the old level', () => {
    const { held } = run(35, false);
    const first = held[0]!;
    expect(first.day).toBeGreaterThan(21);
    expect(first.day).toBeLessThanOrEqual(35);
    expect(Math.pow(1.09, first.day - 21)).toBeLessThan(3);
    expect(first.detail).toMatch(
      /^Records on crm:export_rows keep running above this agent's usual level \(median [\d,.]+; now [\d,]+\): a sustained rise of [\d,.]+ spread·days, where 6 is already unusual\.$/,
    );
  });

  it('an approval starts the count again: the next requests are not held at once', () => {
    const { held } = run(35, true);
    const days = held.map((h) => h.day);
    // Approved holds are learned: the same day does not hold every request after the first.
    const perDay = new Map<number, number>();
    for (const d of days) perDay.set(d, (perDay.get(d) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBeLessThan(12);
  });
});

describe('a CRITICAL operation in a step the agent never made', () => {
  const finance = () =>
    history(
      'finance-1',
      [
        { tool: 'erp', operation: 'read_invoice', sensitivity: 'MEDIUM', volume: () => 1 },
        { tool: 'erp', operation: 'approve_payment', sensitivity: 'HIGH', volume: () => 1 },
        { tool: 'banking', operation: 'transfer', sensitivity: 'CRITICAL', volume: () => 1, amount: () => 900 },
      ],
      { learnAll: true },
    ); // the first transfers were held (a new CRITICAL tool) and approved

  it('read invoice → transfer, skipping the approval the agent always makes, waits for a person', () => {
    const { baseline, end } = finance();
    const b = learn(baseline, facts('finance-1', step('erp', 'read_invoice', 'MEDIUM'), monday(end)), P);
    const transfer = facts('finance-1', step('banking', 'transfer', 'CRITICAL', 1, 900), monday(end, 0.5));
    const a = assess(b, transfer, P);
    expect(a.flags!.novelStep).toBe(true);
    const outcome = decide(a, transfer, P);
    expect(outcome.decision).toBe('REVIEW');
    expect(outcome.ruleHits).toContain('banking:transfer is a CRITICAL operation in a step this agent has never made.');
    const off = policyFor(P, { rules: { criticalOnNewStep: 'OFF' } });
    expect(decide(assess(b, transfer, off), transfer, off).ruleHits).not.toContain(
      'banking:transfer is a CRITICAL operation in a step this agent has never made.',
    );
    // The usual step is not a new one.
    const approved = learn(b, facts('finance-1', step('erp', 'approve_payment', 'HIGH'), monday(end, 0.5)), P);
    const usual = facts('finance-1', step('banking', 'transfer', 'CRITICAL', 1, 900), monday(end, 1));
    expect(decide(assess(approved, usual, P), usual, P)).toEqual({ decision: 'ALLOW', contain: false, ruleHits: [] });
  });
});

describe('Witten–Bell smoothing: a branching predecessor expects new branches more', () => {
  it('a never-seen step after a one-way predecessor is more surprising than after a branching one', () => {
    const ops: Array<[string, Sensitivity]> = [
      ['a', 'MEDIUM'],
      ['b', 'MEDIUM'],
      ['c', 'MEDIUM'],
      ['d', 'MEDIUM'],
      ['e', 'MEDIUM'],
      ['x', 'MEDIUM'],
    ];
    const path = (name: string, next: (i: number) => string) => {
      let b = emptyBaseline();
      let t = T0;
      for (let i = 0; i < 400; i++) {
        for (const op of ['hub', next(i)]) {
          b = learn(b, facts(name, step('app', op, 'MEDIUM'), t), P);
          t += 40_000;
        }
        t += 40 * MIN;
      }
      for (const [op] of ops) b = learn(b, facts(name, step('app', op, 'MEDIUM'), (t += 40 * MIN)), P);
      return learn(b, facts(name, step('app', 'hub', 'MEDIUM'), t + 40 * MIN), P);
    };
    const oneWay = path('one-way', () => 'a');
    const branching = path('branching', (i) => 'abcde'[i % 5]!);
    const at = (b: Baseline) => b.lastSeen! + 30_000;
    // Ten points per bit of surprise, so that neither saturates.
    const bits = policyFor(P, { sequence: { bitsFrom: 0, bitsTo: 30, weight: 300 } });
    const surprise = (b: Baseline, name: string) =>
      score(assess(b, facts(name, step('app', 'x', 'MEDIUM'), at(b)), bits), 'sequence');
    expect(surprise(oneWay, 'one-way')).toBeGreaterThan(surprise(branching, 'branching'));
  });
});

describe('a busy step whose row is full', () => {
  it('a next step the row evicted is not taken for one never made', () => {
    // A hub followed, in turn, by 16 different steps: more than a row keeps (limits.transitionsPerOperation).
    const next = Array.from({ length: 16 }, (_, i) => `step_${String(i).padStart(2, '0')}`);
    let b = emptyBaseline();
    let t = T0;
    for (let i = 0; i < 1600; i++) {
      b = learn(b, facts('hub-1', step('app', 'hub', 'MEDIUM'), t), P);
      b = learn(b, facts('hub-1', step('app', next[i % 16]!, 'MEDIUM'), t + 20_000), P);
      t += 15 * MIN;
    }
    b = learn(b, facts('hub-1', step('app', 'hub', 'MEDIUM'), t), P);
    const row = b.trans.find(([k]) => k === 'app:hub')![1];
    expect(row.length).toBe(P.limits.transitionsPerOperation);
    const missing = next.find((n) => !row.some(([k]) => k === `app:${n}`))!;
    const f = facts('hub-1', step('app', missing, 'MEDIUM'), t + 20_000);
    const withLost = score(assess(b, f, P), 'sequence');
    const { transLost, ...withoutLost } = b;
    expect(transLost!.find(([k]) => k === 'app:hub')![1]).toBeGreaterThan(0);
    // Without what the row evicted, the step looks never made: enough to hold a HIGH operation on its own.
    expect(score(assess(withoutLost, f, P), 'sequence')).toBeGreaterThanOrEqual(P.thresholds.HIGH.review);
    expect(withLost).toBeLessThan(P.sequence.weight / 4);
  });

  it('a repeat the full row evicted is not taken for one never made', () => {
    // Interleaved work: `hub` is followed by 16 different steps in turn, and now and then by itself.
    const next = Array.from({ length: 16 }, (_, i) => `step_${String(i).padStart(2, '0')}`);
    let b = emptyBaseline();
    let t = T0;
    const visit = (then: string) => {
      b = learn(b, facts('hub-2', step('app', 'hub', 'MEDIUM'), t), P);
      b = learn(b, facts('hub-2', step('app', then, 'MEDIUM'), t + 20_000), P);
      t += 15 * MIN;
    };
    for (let i = 0; i < 1600; i++) visit(i % 40 === 0 ? 'hub' : next[i % 16]!);
    // As a full row does when a new next step arrives: hub → hub evicted, its count kept as lost.
    const row = b.trans.find(([k]) => k === 'app:hub')![1];
    const repeats = row.find(([k]) => k === 'app:hub')![1];
    b = {
      ...b,
      trans: b.trans.map(([k, r]) => [k, k === 'app:hub' ? r.filter(([j]) => j !== 'app:hub') : r]),
      transLost: [['app:hub', repeats + (b.transLost?.find(([k]) => k === 'app:hub')?.[1] ?? 0)]],
    };
    b = learn(b, facts('hub-2', step('app', 'hub', 'MEDIUM'), t), P);
    const again = facts('hub-2', step('app', 'hub', 'MEDIUM'), t + 20_000);
    expect(reasonOf(b, again, /again right after/)).toBeUndefined();
    const { transLost: _, ...withoutLost } = b;
    expect(reasonOf(withoutLost, again, /never repeated it back to back/)?.contribution).toBe(P.sequence.repeat.MEDIUM);
  });
});

describe('context keys derived from the delegating person, the client and the network', () => {
  const key = (k: string) => P.context.keys.find((c) => c.key === k)!;
  const value = (k: string, context: Record<string, string>) => contextValue({ context }, key(k));

  it('reads the organisation, the program and the kind of network from their source keys only', () => {
    expect(value('onBehalfOf.domain', { onBehalfOf: 'Ana@Corp.Example' })).toBe('corp.example');
    expect(value('onBehalfOf.domain', { onBehalfOf: 'service-account-7' })).toBe('(none)');
    expect(value('userAgent.product', { userAgent: 'OpenAI/Python 1.54.4' })).toBe('openai');
    expect(value('userAgent.product', { userAgent: 'python-requests/2.32.3' })).toBe('python-requests');
    expect(value('sourceNetwork.scope', { sourceNetwork: '10.20.0.0/16' })).toBe('private');
    // A caller cannot set a derived key directly.
    expect(value('sourceNetwork.scope', { sourceNetwork: '185.220.101.7', 'sourceNetwork.scope': 'private' })).toBe(
      'public',
    );
    expect(value('userAgent.product', { 'userAgent.product': 'agent' })).toBe('(none)');
  });

  it('classifies IPv4 and IPv6 addresses and ranges', () => {
    const cases: Array<[string, string | undefined]> = [
      ['10.1.2.3', 'private'],
      ['172.16.0.0/12', 'private'],
      ['172.32.0.1', 'public'],
      ['192.168.1.0/24', 'private'],
      ['100.64.0.1', 'private'],
      ['127.0.0.1', 'loopback'],
      ['169.254.10.1', 'link-local'],
      ['8.8.8.8', 'public'],
      ['::1', 'loopback'],
      ['fd12:3456::/48', 'private'],
      ['fe80::1', 'link-local'],
      ['2001:db8::1', 'public'],
      ['::ffff:10.0.0.1', 'private'],
      ['300.1.1.1', undefined],
      ['office-lan', undefined],
      ['', undefined],
    ];
    for (const [address, scope] of cases) expect([address, addressScope(address)]).toEqual([address, scope]);
  });

  it('a stranger from outside, a new program and the public internet weigh more than their routine look-alikes', () => {
    const { baseline, end } = supportHistory();
    const contextPoints = (context: Record<string, string>) =>
      score(
        assess(baseline, facts('support-1', step('crm', 'read_customer', 'MEDIUM'), monday(end), context), P),
        'context',
      );
    const colleague = contextPoints({ ...CONTEXT, onBehalfOf: 'new.colleague@example.com' });
    const outsider = contextPoints({ ...CONTEXT, onBehalfOf: 'temp-1@freemail.example' });
    expect(outsider).toBeGreaterThan(colleague);
    const upgrade = contextPoints({ ...CONTEXT, userAgent: 'agent/1.1' });
    const script = contextPoints({ ...CONTEXT, userAgent: 'curl/8.5.0' });
    expect(script).toBeGreaterThan(upgrade);
    const subnet = contextPoints({ ...CONTEXT, sourceNetwork: '10.2.0.0/16' });
    const internet = contextPoints({ ...CONTEXT, sourceNetwork: '185.220.101.0/24' });
    expect(internet).toBeGreaterThan(subnet);
    const held = (context: Record<string, string>) => {
      const f = facts('support-1', step('crm', 'read_customer', 'MEDIUM'), monday(end), context);
      return decide(assess(baseline, f, P), f, P).decision;
    };
    expect(held({ ...CONTEXT, userAgent: 'curl/8.5.0' })).toBe('REVIEW');
    expect(held({ ...CONTEXT, userAgent: 'agent/1.1' })).toBe('ALLOW');
    expect(held({ ...CONTEXT, sourceNetwork: '185.220.101.0/24' })).toBe('REVIEW');
  });
});

describe('the pace of one operation (rate.operation)', () => {
  // A records clerk: looks a record up (often twice), updates it, leaves a note; sessions with breaks between.
  const routine = [
    { tool: 'records', operation: 'lookup', sensitivity: 'LOW' as const, volume: () => 1 },
    { tool: 'records', operation: 'lookup', sensitivity: 'LOW' as const, volume: () => 1 },
    { tool: 'records', operation: 'update', sensitivity: 'MEDIUM' as const, volume: () => 1 },
    { tool: 'notes', operation: 'add_note', sensitivity: 'LOW' as const, volume: () => 1 },
  ];
  const { baseline, end } = history('clerk-1', routine);
  const agentPaceOnly = policyFor(P, { rate: { operation: { weight: 0 } } });

  /** Requests of a lookup every 4 s until one is held, learning those allowed. */
  const burst = (policy: Policy) => {
    let b = baseline;
    for (let i = 0; i < 300; i++) {
      const f = facts('clerk-1', step('records', 'lookup', 'LOW'), monday(end) + i * 4000);
      if (decide(assess(b, f, policy), f, policy).decision !== 'ALLOW') return { b, held: f, requests: i + 1 };
      b = learn(b, f, policy);
    }
    throw new Error('never held');
  };

  it('holds one operation done over and over sooner than the agent’s whole pace would, and says so', () => {
    const { b, held, requests } = burst(P);
    const reason = assess(b, held, P).reasons.find((r) => r.signal === 'rate')!;
    expect(reason.detail).toMatch(
      /^About \d+ requests for records:lookup in the last 10 minutes; this agent's busiest 10 minutes for records:lookup usually hold at most \d+\.$/,
    );
    expect(requests).toBeLessThan(burst(agentPaceOnly).requests);
    // The agent's other work during the burst keeps going.
    const note = facts('clerk-1', step('notes', 'add_note', 'LOW'), held.at + 1000);
    expect(decide(assess(b, note, P), note, P).decision).toBe('ALLOW');
  });

  it('a legitimate peak raises every step together: the routine twice as fast, without breaks, for an hour', () => {
    let b = baseline;
    const decisions = new Set<string>();
    let maxRate = 0;
    for (let i = 0; i < 180; i++) {
      const s = routine[i % routine.length]!;
      const f = facts('clerk-1', { ...s, volume: 1 }, monday(end) + i * 20_000);
      const a = assess(b, f, P);
      maxRate = Math.max(maxRate, score(a, 'rate'));
      const { decision } = decide(a, f, P);
      decisions.add(decision);
      if (decision === 'ALLOW') b = learn(b, f, P);
    }
    expect(decisions).toEqual(new Set(['ALLOW']));
    expect(maxRate).toBeLessThan(P.thresholds.MEDIUM.review);
  });

  it('keeps each operation’s pace in a few numbers: at most `rate.days` daily peaks', () => {
    let b = emptyBaseline();
    for (let d = 0; d < P.rate.days + 20; d++)
      for (let i = 0; i < 5; i++)
        b = learn(b, facts('daily-1', step('records', 'lookup', 'LOW'), T0 + d * DAY + i * MIN), P);
    const pace = b.stats.find(([k]) => k === 'records:lookup')![1].rate!;
    expect(pace.peaks).toHaveLength(P.rate.days);
    expect(Math.max(...pace.peaks)).toBeLessThanOrEqual(5);
    // The last busy day closes into the peaks, and the days without a request close as quiet ones.
    b = learn(b, facts('daily-1', step('records', 'lookup', 'LOW'), T0 + (P.rate.days + 23) * DAY), P);
    const after = b.stats.find(([k]) => k === 'records:lookup')![1].rate!;
    expect(after.peaks).toHaveLength(P.rate.days);
    expect(after.peaks.slice(-4)).toEqual([pace.today, 0, 0, 0]);
  });
});

describe('a level a person approved (volume.approval)', () => {
  // A network operations agent that lists about 40 active alarms at a time; then a storm day.
  const { baseline, end } = history('noc-1', [
    { tool: 'nms', operation: 'list_active_alarms', sensitivity: 'LOW', volume: () => 40 },
    { tool: 'tickets', operation: 'open_ticket', sensitivity: 'LOW', volume: () => 1 },
  ]);
  const alarms = (volume: number, minutes: number) =>
    facts('noc-1', step('nms', 'list_active_alarms', 'LOW', volume), monday(end, minutes));
  const decision = (b: Baseline, f: ActionFacts, policy = P) => decide(assess(b, f, policy), f, policy).decision;

  it('is not held again for its size while the approval is fresh, up to the headroom', () => {
    const first = alarms(600, 0);
    expect(decision(baseline, first, P)).toBe('REVIEW');
    const approved = learn(baseline, first, P, true);

    expect(decision(approved, alarms(550, 30), P)).toBe('ALLOW');
    expect(score(assess(approved, alarms(880, 60), P), 'volume')).toBe(0);
    const beyond = assess(approved, alarms(3000, 60), P);
    expect(decide(beyond, alarms(3000, 60), P).decision).toBe('REVIEW');
    expect(beyond.reasons.find((r) => r.signal === 'volume')!.detail).toMatch(
      /^Volume 3,000 records is [\d.]+× this agent's median of [\d.]+ for nms:list_active_alarms \(usually at most [\d,.]+; a person approved 600 in the last 48 hours\)\.$/,
    );
    // Two days later the approval has lapsed: the storm level is unusual again.
    expect(decision(approved, alarms(550, 47 * 60), P)).toBe('ALLOW');
    expect(decision(approved, alarms(550, 49 * 60), P)).toBe('REVIEW');
  });

  it('an allowed request remembers nothing, and memory 0 switches it off', () => {
    const allowed = learn(baseline, alarms(600, 0), P);
    expect(decision(allowed, alarms(550, 30), P)).toBe('REVIEW');
    const off = policyFor(P, { volume: { approval: { memoryMs: 0 } } });
    const approvedOff = learn(baseline, alarms(600, 0), off, true);
    expect(entry(approvedOff.stats, 'nms:list_active_alarms')!.vol.a).toBeUndefined();
    expect(decision(approvedOff, alarms(550, 30), off)).toBe('REVIEW');
  });
});
