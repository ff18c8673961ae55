/**
 * A pace a person approved (`rate.approval`): a monthly statement run or a powder day is held once, and once a person
 * lets it through, the same pace is usual for 48 hours — for the operation and for the agent — instead of every one of
 * its requests waiting for a person.
 */
import { describe, expect, it } from 'vitest';
import type { Baseline } from '../risk/baseline.js';
import { decide } from '../risk/decide.js';
import { learn } from '../risk/learn.js';
import { policyFor, type Policy } from '../risk/policy.js';
import { scoringPolicy } from '../risk/revisions.js';
import { assess } from '../risk/score.js';
import { HOUR, P, facts, history, monday, step } from './helpers/risk.js';

describe('a pace a person approved', () => {
  // A records clerk: looks a record up, updates it, leaves a note; sessions with breaks between.
  const { baseline, end } = history('clerk-1', [
    { tool: 'records', operation: 'lookup', sensitivity: 'LOW', volume: () => 1 },
    { tool: 'records', operation: 'update', sensitivity: 'MEDIUM', volume: () => 1 },
    { tool: 'notes', operation: 'add_note', sensitivity: 'LOW', volume: () => 1 },
  ]);

  /**
   * A statement run: a lookup every `every` ms for `requests` requests from `start`; a held one is approved by a person
   * (and learned so), as the live path does. Returns how many were held and the baseline after.
   */
  const run = (b: Baseline, start: number, requests: number, policy: Policy, every = 4000) => {
    let held = 0;
    for (let i = 0; i < requests; i++) {
      const f = facts('clerk-1', step('records', 'lookup', 'LOW'), start + i * every);
      const { decision } = decide(assess(b, f, policy), f, policy);
      if (decision !== 'ALLOW') held++;
      b = learn(b, f, policy, decision !== 'ALLOW');
    }
    return { held, b };
  };

  it('holds a run once or twice instead of request by request', () => {
    const before = run(baseline, monday(end), 150, scoringPolicy(3, null));
    const now = run(baseline, monday(end), 150, P);
    expect(before.held).toBeGreaterThan(50);
    expect(now.held).toBeGreaterThanOrEqual(1);
    expect(now.held).toBeLessThanOrEqual(3);
    // A pace far past the approved one (a lookup every half second) is held again.
    expect(run(now.b, monday(end) + 601_000, 600, P, 500).held).toBeGreaterThan(0);
  });

  it('is usual for 48 hours, then unusual again', () => {
    const { b } = run(baseline, monday(end), 150, P);
    expect(run(b, monday(end) + 24 * HOUR, 150, P).held).toBe(0);
    expect(run(b, monday(end) + 49 * HOUR, 150, P).held).toBeGreaterThan(0);
  });

  it('an allowed request remembers nothing, and memory 0 switches it off', () => {
    const f = facts('clerk-1', step('records', 'lookup', 'LOW'), monday(end));
    const allowed = learn(baseline, f, P);
    expect(allowed.rateApproved).toBeUndefined();
    expect(allowed.stats.find(([k]) => k === 'records:lookup')![1].rate!.a).toBeUndefined();
    const approved = learn(baseline, f, P, true);
    expect(approved.rateApproved).toEqual([expect.any(Number), f.at]);
    expect(approved.stats.find(([k]) => k === 'records:lookup')![1].rate!.a).toEqual([expect.any(Number), f.at]);
    const off = policyFor(P, { rate: { approval: { memoryMs: 0 } } });
    const approvedOff = learn(baseline, f, off, true);
    expect(approvedOff.rateApproved).toBeUndefined();
    expect(run(baseline, monday(end), 150, off).held).toBeGreaterThan(50);
  });
});
