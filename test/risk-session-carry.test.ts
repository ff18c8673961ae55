/**
 * A session's unusual context, carried (risk/session.ts, `context.sessionCarry`): a request allowed as a near miss
 * leaves its thread suspect for the session, so the next requests — each a little more familiar once the last was
 * learned — do not fade below the threshold one at a time. A person's approval clears it.
 */
import { describe, expect, it } from 'vitest';
import { entry, type Baseline } from '../risk/baseline.js';
import { decide } from '../risk/decide.js';
import { learn } from '../risk/learn.js';
import { scoringPolicy } from '../risk/revisions.js';
import { assess } from '../risk/score.js';
import type { ActionFacts } from '../risk/types.js';
import { CONTEXT, MIN, P, facts, monday, step, supportHistory } from './helpers/risk.js';

describe('a session whose context looked unusual', () => {
  const { baseline, end } = supportHistory();
  // A new office network and a new version of the agent's own client: 50 points of context, a near miss for a LOW
  // read (60), allowed and learned.
  const odd = { ...CONTEXT, sourceNetwork: '10.9.0.0/24', userAgent: 'agent/1.1' };
  const readTicket = (minutes: number, context = odd) =>
    facts('support-1', step('tickets', 'read_ticket', 'LOW'), monday(end, minutes), context);
  const readCustomer = (minutes: number, context = odd) =>
    facts('support-1', step('crm', 'read_customer', 'MEDIUM'), monday(end, minutes), context);
  const decision = (b: Baseline, f: ActionFacts, policy = P) => decide(assess(b, f, policy), f, policy).decision;
  const contextScore = (b: Baseline, f: ActionFacts) =>
    assess(b, f, P)
      .reasons.filter((r) => r.signal === 'context')
      .reduce((a, r) => a + r.contribution, 0);

  const first = readTicket(0);
  const afterFirst = learn(baseline, first, P);

  it('marks the thread when a request is allowed with at least `sessionCarry` context points', () => {
    expect(decision(baseline, first)).toBe('ALLOW');
    expect(contextScore(baseline, first)).toBeGreaterThanOrEqual(P.context.sessionCarry);
    expect(entry(afterFirst.threads, CONTEXT.onBehalfOf)!.s).toEqual([contextScore(baseline, first), first.at]);
    // A routine request leaves no mark.
    expect(entry(learn(baseline, readTicket(0, CONTEXT), P).threads, CONTEXT.onBehalfOf)!.s).toBeUndefined();
  });

  it('holds the next sensitive request of the session, which alone would pass, and says why', () => {
    const next = readCustomer(2);
    const before = scoringPolicy(3, null);
    expect(decision(afterFirst, next, before)).toBe('ALLOW');
    const a = assess(afterFirst, next, P);
    expect(decide(a, next, P).decision).toBe('REVIEW');
    expect(a.reasons.map((r) => r.detail)).toContain(
      `Its session already looked unusual: a request 2 minutes earlier in this thread scored ${contextScore(baseline, first)} on context, and this one is still unusual in context.`,
    );
    expect(contextScore(afterFirst, next)).toBe(contextScore(baseline, first));
  });

  it('carries nothing to a request from the usual context, to another thread, or after the session', () => {
    expect(contextScore(afterFirst, readCustomer(2, CONTEXT))).toBe(0);
    const other = readCustomer(2, { ...odd, onBehalfOf: 'oscar@example.com' });
    expect(assess(afterFirst, other, P).reasons.some((r) => r.detail.startsWith('Its session'))).toBe(false);
    const later = readCustomer(P.sequence.sessionGapMs / MIN + 1);
    expect(assess(afterFirst, later, P).reasons.some((r) => r.detail.startsWith('Its session'))).toBe(false);
  });

  it('a person approving a request of the thread clears the mark', () => {
    const approved = learn(baseline, first, P, true);
    expect(entry(approved.threads, CONTEXT.onBehalfOf)!.s).toBeUndefined();
    expect(decision(approved, readCustomer(2))).toBe('ALLOW');
    // And an approval later in the session clears a mark already set.
    const cleared = learn(afterFirst, readTicket(1), P, true);
    expect(entry(cleared.threads, CONTEXT.onBehalfOf)!.s).toBeUndefined();
  });

  it('is off at 0 and in revision 3: nothing is marked or carried', () => {
    const off = scoringPolicy(3, null);
    expect(off.context.sessionCarry).toBe(0);
    expect(entry(learn(baseline, first, off).threads, CONTEXT.onBehalfOf)!.s).toBeUndefined();
    expect(assess(afterFirst, readCustomer(2), off).reasons.some((r) => r.detail.startsWith('Its session'))).toBe(
      false,
    );
  });
});
