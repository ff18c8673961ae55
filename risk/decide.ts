/**
 * From a risk assessment to a decision: thresholds per sensitivity, then the policy's hard rules.
 *
 * - score < review threshold → ALLOW; ≥ review → REVIEW (held for a person); ≥ containment threshold →
 *   also `contain` (the caller suspends the agent, revokes its tokens and holds for approval).
 * - Hard rules only ever make a decision stricter: a CRITICAL operation on a tool the agent never used,
 *   or in a step it never made (after warm-up), is at least REVIEW; an amount (or volume) above the
 *   absolute ceiling, or a denied operation, is DENY (and contains the agent when `containOnHardDeny`).
 * - Fail closed: an unknown sensitivity is treated as CRITICAL; a score or number that is not a finite
 *   number is at least REVIEW; an assessment without flags is assumed to involve a new tool.
 */
import { cleanValue, formatNumber } from './format.js';
import type { ActionFacts, Decision, DecisionOutcome, RiskAssessment } from './types.js';
import type { Policy } from './policy.js';

const RANK: Record<Decision, number> = { ALLOW: 0, REVIEW: 1, DENY: 2 };

function matches(patterns: string[], tool: string, op: string): boolean {
  return patterns.some((p) => p === `${tool}:${op}` || p === `${tool}:*` || p === '*');
}

export function decide(assessment: RiskAssessment, facts: ActionFacts, policy: Policy): DecisionOutcome {
  const thresholds = policy.thresholds[facts.sensitivity] ?? policy.thresholds.CRITICAL;
  const score = assessment.score;
  const ruleHits: string[] = [];
  let decision: Decision = 'ALLOW';
  let contain = false;
  let hardDeny = false;
  const atLeast = (d: Decision, why: string) => {
    ruleHits.push(why);
    if (RANK[d] > RANK[decision]) decision = d;
    if (d === 'DENY') hardDeny = true;
  };

  if (!Number.isFinite(score)) {
    atLeast('REVIEW', 'The risk score could not be computed, so a person must look (fail closed).');
  } else {
    if (score >= thresholds.review) decision = 'REVIEW';
    if (score >= thresholds.contain) contain = true;
  }

  const tool = cleanValue(facts.tool);
  const op = cleanValue(facts.operation);
  const R = policy.rules;
  if (matches(R.denyOperations, tool, op)) atLeast('DENY', `Policy denies ${tool}:${op} for this agent.`);
  if (matches(R.reviewOperations, tool, op))
    atLeast('REVIEW', `Policy requires a person to approve every ${tool}:${op}.`);
  const novelTool = assessment.flags ? assessment.flags.novelTool || assessment.flags.novelAudience : true;
  if (facts.sensitivity === 'CRITICAL' && novelTool && R.criticalOnNewTool !== 'OFF') {
    atLeast(R.criticalOnNewTool, `${tool}:${op} is a CRITICAL operation on a tool this agent has never used.`);
  }
  if (facts.sensitivity === 'HIGH' && novelTool && !assessment.flags?.warmingUp && R.highOnNewTool !== 'OFF') {
    atLeast(R.highOnNewTool, `${tool}:${op} is a HIGH operation on a tool this agent has never used.`);
  }
  if (facts.sensitivity === 'CRITICAL' && assessment.flags?.novelStep && R.criticalOnNewStep !== 'OFF') {
    atLeast(R.criticalOnNewStep, `${tool}:${op} is a CRITICAL operation in a step this agent has never made.`);
  }
  if (!Number.isFinite(facts.amount) || facts.amount < 0 || !Number.isFinite(facts.volume) || facts.volume < 0) {
    atLeast('DENY', 'The request carries an invalid volume or amount.');
  }
  if (R.amountCeiling !== null && facts.amount > R.amountCeiling) {
    atLeast(
      'DENY',
      `Amount ${formatNumber(facts.amount)} is above the absolute ceiling of ${formatNumber(R.amountCeiling)}.`,
    );
  }
  if (R.volumeCeiling !== null && facts.volume > R.volumeCeiling) {
    atLeast(
      'DENY',
      `Volume ${formatNumber(facts.volume)} records is above the absolute ceiling of ${formatNumber(R.volumeCeiling)}.`,
    );
  }

  if (hardDeny && R.containOnHardDeny) contain = true;
  if (contain && decision === 'ALLOW') decision = 'REVIEW';
  return { decision, contain, ruleHits };
}
