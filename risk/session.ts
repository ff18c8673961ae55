/**
 * A session's context, carried: a request whose context was nearly enough to hold it (a never-seen person at an hour
 * the agent never works, a new network and client) leaves its thread suspect for the rest of the session. Learning
 * that request makes the next one look a little more familiar, and the one after that more again; an intruder's
 * session would otherwise fade below every threshold one line at a time. A person approving a request of the thread
 * clears it.
 */
import { entry, isWarmingUp, threadOf, type Baseline, type SessionMark } from './baseline.js';
import { context } from './context.js';
import { formatNumber } from './format.js';
import type { Policy } from './policy.js';
import type { ActionFacts, Reason } from './types.js';

/** Points of some context reasons, each rounded as the score rounds it: what a mark records and a carry compares. */
export function contextPointsOf(reasons: Reason[]): number {
  return reasons.reduce((a, r) => a + Math.round(r.contribution), 0);
}

/** The request's own context points (before any carry). */
function contextPoints(b: Baseline, f: ActionFacts, policy: Policy): number {
  const reasons: Reason[] = [];
  context(b, f, policy, reasons);
  return contextPointsOf(reasons);
}

/** The thread's suspect mark still in force at `at`, if any. */
function markAt(b: Baseline, f: ActionFacts, policy: Policy): SessionMark | undefined {
  const mark = entry(b.threads, threadOf(f, policy))?.s;
  if (!mark || !(policy.context.sessionCarry > 0)) return undefined;
  const age = f.at - mark[1];
  return age >= 0 && age <= policy.sequence.sessionGapMs ? mark : undefined;
}

/**
 * The points this request inherits from its session: what an earlier request of the thread scored on context, less
 * what this one scores itself — only while this one is still unusual in context. Null when nothing is carried.
 */
export function sessionCarry(b: Baseline, f: ActionFacts, policy: Policy, own: number): Reason | null {
  const mark = markAt(b, f, policy);
  if (!mark || !(own > 0) || mark[0] <= own) return null;
  const minutes = Math.max(0, Math.round((f.at - mark[1]) / 60_000));
  return {
    signal: 'context',
    contribution: mark[0] - own,
    detail: `Its session already looked unusual: a request ${minutes === 0 ? 'under a minute' : minutes === 1 ? 'a minute' : `${formatNumber(minutes)} minutes`} earlier in this thread scored ${formatNumber(mark[0])} on context, and this one is still unusual in context.`,
  };
}

/** The thread's mark after learning this request: set or raised by a suspect one, cleared by a person's approval. */
export function sessionAfter(b: Baseline, f: ActionFacts, policy: Policy, approved: boolean): SessionMark | undefined {
  const from = policy.context.sessionCarry;
  if (approved || !(from > 0)) return undefined;
  const mark = markAt(b, f, policy);
  if (isWarmingUp(b, f.at, policy)) return mark;
  const own = contextPoints(b, f, policy);
  return own >= from && (!mark || own > mark[0]) ? [own, f.at] : mark;
}
