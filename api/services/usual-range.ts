/**
 * An action's value against its agent's usual range for the same tool and operation, as the risk engine
 * sees it: the agent's baseline holds robust statistics of log(1 + value) per `tool:op` (risk/baseline.ts),
 * and `usualRange` turns them into a typical value and the upper bound above which volume points accrue.
 * The lower bound mirrors the upper around the centre (log space), for the console's chart.
 */
import type { ActionRecord } from '../../domain/actions.js';
import type { RiskProfile } from '../../risk/assess-action.js';
import { entry, opKey, usualRange } from '../../risk/baseline.js';
import { DEFAULT_POLICY, policyFor } from '../../risk/policy.js';

export interface UsualRangeView {
  /** Money when the action moves an amount, records otherwise. */
  metric: 'AMOUNT' | 'VOLUME';
  /** This action's value of that metric. */
  value: number;
  typical: number;
  low: number;
  high: number;
  /** Requests the statistics were learned from. */
  samples: number;
}

/** Null when the agent has never done this operation with a value of that kind (nothing to compare with). */
export function usualRangeOf(
  profile: RiskProfile,
  action: Pick<ActionRecord, 'tool' | 'operation' | 'amount' | 'volume'>,
): UsualRangeView | null {
  const metric = action.amount > 0 ? 'AMOUNT' : 'VOLUME';
  const stats = entry(profile.baseline.stats, opKey(action));
  const dist = metric === 'AMOUNT' ? stats?.amt : stats?.vol;
  if (!dist || dist.n === 0) return null;
  const policy = policyFor(DEFAULT_POLICY, profile.policy);
  const { typical, upper, samples } = usualRange(dist, policy, metric === 'AMOUNT' ? 'amount' : 'volume');
  const halfWidth = Math.log1p(upper) - dist.c;
  return {
    metric,
    value: metric === 'AMOUNT' ? action.amount : action.volume,
    typical,
    low: Math.max(0, Math.expm1(dist.c - halfWidth)),
    high: upper,
    samples,
  };
}
