/**
 * Times each action request into warden_decision_duration_seconds, labelled with what the request turned
 * out to be (its path and sensitivity, known once it is read) and how it ended.
 */
import { WardenError } from '../../domain/errors.js';
import { decisionSeconds } from '../../observability/metrics.js';
import type { DecidedAction } from './action-directory.js';

export interface DecisionLabels {
  /** none until the request is routed: refused on its input or the agent's status. */
  path: 'none' | 'routine' | 'workflow';
  sensitivity: string;
}

export async function timedDecision(decide: (seen: DecisionLabels) => Promise<DecidedAction>): Promise<DecidedAction> {
  const started = performance.now();
  const seen: DecisionLabels = { path: 'none', sensitivity: 'unknown' };
  const observe = (outcome: string) =>
    decisionSeconds.observe({ ...seen, outcome }, (performance.now() - started) / 1000);
  try {
    const decided = await decide(seen);
    observe(decided.contained ? 'CONTAINED' : (decided.decision ?? 'PENDING'));
    return decided;
  } catch (err) {
    observe(err instanceof WardenError ? err.code : 'ERROR');
    throw err;
  }
}
