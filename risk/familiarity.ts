/**
 * How familiar a value is to an agent: how often it has been seen (`unfamiliarity`), how readily this agent meets new
 * values of its kind (`noveltySurprise`), and its most common value. Shared by the novelty and context signals.
 */
import { newValueProbability, type Categorical } from './baseline.js';
import type { Policy } from './policy.js';
import { clamp } from './numbers.js';

/** 1 for a value never seen, falling to 0 once it has been seen `probation` times. */
export function unfamiliarity(count: number | undefined, policy: Policy): number {
  if (count === undefined) return 1;
  return clamp(1 - count / Math.max(1, policy.novelty.probation), 0, 1);
}

/** 0 when a new value shows up about once in 10 observations or more often, 1 at once in 100 or rarer. */
export function noveltySurprise(cat: Categorical | undefined): number {
  const p = cat ? newValueProbability(cat) : 0.5;
  return clamp(-Math.log10(p) - 1, 0, 1);
}

/** The most counted value (ties: the lexicographically first), or null. */
export function mostCommon(cat: Categorical | undefined): string | null {
  if (!cat) return null;
  let best: string | null = null;
  let bestCount = 0;
  for (const [k, v] of cat.n) {
    if (best === null || v > bestCount || (v === bestCount && k < best)) {
      best = k;
      bestCount = v;
    }
  }
  return best;
}
