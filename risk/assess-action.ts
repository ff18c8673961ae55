/**
 * One action's assessment and decision, as Warden applies them: the agent's policy over the defaults, the
 * score, the hard rules, and "not in the allowed tools" as a hold. Pure, so workflows decide in their own
 * code (the agent's for routine work, the action's for the rest).
 */
import type { ActionRecord, RiskReason } from '../domain/actions.js';
import type { Baseline } from './baseline.js';
import { decide } from './decide.js';
import { factsOf } from './facts.js';
import { assess } from './score.js';
import { CURRENT_SCORING_REVISION, scoringPolicy, type ScoringRevision } from './revisions.js';
import type { PeerStats } from './types.js';
import type { PolicyOverride } from './policy.js';

export interface Assessment {
  score: number;
  reasons: RiskReason[];
  decision: 'ALLOW' | 'REVIEW' | 'DENY';
  contain: boolean;
}

/** What an action is scored against: the agent's baseline and its policy override. */
export interface RiskProfile {
  baseline: Baseline;
  policy: PolicyOverride | null;
}

export function assessAction(
  profile: RiskProfile,
  action: ActionRecord,
  peers?: PeerStats,
  revision: ScoringRevision = CURRENT_SCORING_REVISION,
): Assessment {
  const policy = scoringPolicy(revision, profile.policy);
  const facts = factsOf(action);
  const assessment = assess(profile.baseline, facts, policy, peers);
  const outcome = decide(assessment, facts, policy);
  // Outside the agent's allowed set there is no "allowed outright": a person must look.
  const decision = outcome.decision === 'ALLOW' && !action.allowedOutright ? 'REVIEW' : outcome.decision;
  // The hard rules that fired are part of "why": a hold with score 0 must still say what held it.
  const reasons = [
    ...assessment.reasons,
    ...outcome.ruleHits.map((detail) => ({ signal: 'rule' as const, contribution: 0, detail })),
  ];
  if (!action.allowedOutright) {
    reasons.push({
      signal: 'rule',
      contribution: 0,
      detail: `${action.tool}.${action.operation} is not in this agent's allowed tools, so a person must approve it.`,
    });
  }
  return { score: assessment.score, reasons, decision, contain: outcome.contain };
}
