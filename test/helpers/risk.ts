/**
 * Shared fixtures for the anomaly-scoring tests: facts, weeks of routine history learned like the live path,
 * and small readers of an assessment.
 */
import { mulberry32 } from '../../bench/detector/generate-traces.js';
import { emptyBaseline, type Baseline } from '../../risk/baseline.js';
import { learn } from '../../risk/learn.js';
import { decide } from '../../risk/decide.js';
import { assess } from '../../risk/score.js';
import { type ActionFacts, type RiskAssessment, type Sensitivity } from '../../risk/types.js';
import { DEFAULT_POLICY, type Policy } from '../../risk/policy.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MIN = 60_000;
/** Monday 2025-03-03 00:00 UTC. */
export const T0 = Date.UTC(2025, 2, 3);
export const P = DEFAULT_POLICY;

export function lognormal(r: () => number, median: number, sigma: number): number {
  const z = Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());
  return median * Math.exp(sigma * z);
}

export interface Step {
  tool: string;
  operation: string;
  sensitivity: Sensitivity;
  volume: () => number;
  amount?: () => number;
}

export const CONTEXT = { sourceNetwork: '10.1.0.0/16', onBehalfOf: 'olivia@example.com', userAgent: 'agent/1.0' };

export function facts(
  agentId: string,
  step: Omit<Step, 'volume' | 'amount'> & { volume: number; amount?: number },
  at: number,
  context: Record<string, string> = CONTEXT,
): ActionFacts {
  return {
    agentId,
    platform: 'vertex-ai',
    tool: step.tool,
    toolResource: `https://${step.tool}.example.com/`,
    operation: step.operation,
    sensitivity: step.sensitivity,
    volume: step.volume,
    amount: step.amount ?? 0,
    context,
    at,
  };
}

/**
 * Weeks of routine work: on weekdays from 08:00, `sessions` sessions of `steps` (in order), a step every
 * ~40 s, 20 minutes between sessions. Learns like the live path: only what would be allowed.
 */
export function history(
  agentId: string,
  steps: Step[],
  opts: { days?: number; sessions?: number; seed?: number; policy?: Policy; learnAll?: boolean } = {},
): { baseline: Baseline; end: number } {
  const policy = opts.policy ?? P;
  const r = mulberry32(opts.seed ?? 7);
  let b = emptyBaseline();
  let t: number;
  for (let d = 0; d < (opts.days ?? 28); d++) {
    const weekday = new Date(T0 + d * DAY).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    t = T0 + d * DAY + 8 * HOUR;
    for (let s = 0; s < (opts.sessions ?? 20); s++) {
      for (const step of steps) {
        const f = facts(
          agentId,
          {
            tool: step.tool,
            operation: step.operation,
            sensitivity: step.sensitivity,
            volume: step.volume(),
            amount: step.amount ? step.amount() : 0,
          },
          Math.round(t),
        );
        const verdict = decide(assess(b, f, policy), f, policy);
        if (opts.learnAll || verdict.decision === 'ALLOW') b = learn(b, f, policy);
        t += 30_000 + r() * 20_000;
      }
      t += 20 * MIN;
    }
  }
  return { baseline: b, end: T0 + (opts.days ?? 28) * DAY };
}

export function supportHistory(seed = 7) {
  const r = mulberry32(seed);
  const steps: Step[] = [
    { tool: 'tickets', operation: 'read_ticket', sensitivity: 'LOW', volume: () => 1 },
    { tool: 'crm', operation: 'read_customer', sensitivity: 'MEDIUM', volume: () => 1 },
    {
      tool: 'crm',
      operation: 'search_customers',
      sensitivity: 'MEDIUM',
      volume: () => Math.max(1, Math.round(lognormal(r, 8, 0.5))),
    },
    { tool: 'tickets', operation: 'update_ticket', sensitivity: 'LOW', volume: () => 1 },
  ];
  return history('support-1', steps, { seed });
}

export const step = (tool: string, operation: string, sensitivity: Sensitivity, volume = 1, amount = 0) => ({
  tool,
  operation,
  sensitivity,
  volume,
  amount,
});
export const score = (a: RiskAssessment, signal: string) =>
  a.reasons.filter((r) => r.signal === signal).reduce((s, r) => s + r.contribution, 0);
/** 10:00 on the Monday after the history, plus `minutes`. */
export const monday = (end: number, minutes = 0) => end + 10 * HOUR + minutes * MIN;
