/**
 * Scoring revisions. Scoring runs in workflow code, so a workflow that already scored under an older revision
 * must compute the same again when it replays: the workflows ask `patched()` for each revision's id
 * (workflows/scoring.ts) and score with the policy of the revision it answers. See risk/README.md.
 *
 * - 1: before issue 19 — no repeat, creep or CRITICAL-new-step signals, smoothing by `alpha` alone, evicted
 *   transition counts ignored, LOW steps in full, no derived context keys, a new source network worth 60, MEDIUM
 *   contained at 80. (Learning keeps the newer state — creep, evicted counts — which revision 1 never reads.)
 * - 2: before the per-operation rate and what came with it — the rate signal reads the agent's whole pace alone
 *   (1.5× its usual busiest window), warm-up lasts 200 actions, a repeat needs 16 follows of its own step for full
 *   weight, a HIGH operation on a new tool has no rule of its own, an approved level is not remembered, a new client
 *   program is worth 50. (Learning keeps each operation's leaky count and approved levels, which revision 2 never
 *   reads.)
 * - 3: before the observed tail, the session carry and the approved pace — the usual upper bound is centre + k·spread
 *   alone, an operation used fewer than `volume.minKeySamples` times is compared with the agent's other operations
 *   alone, a session's unusual context is not carried to its next requests, and a pace a person approved is not
 *   remembered. (Learning keeps each operation's histogram, each thread's session mark and the approved paces, which
 *   revision 3 never reads.)
 * - 4: today's DEFAULT_POLICY.
 *
 * Each older revision is the next newer one with its own changes undone, so revision 1 is DEFAULT_POLICY, then
 * TO_REVISION_3, then TO_REVISION_2, then TO_REVISION_1.
 */
import { DEFAULT_POLICY, policyFor, type Policy, type PolicyOverride } from './policy.js';

/** The `patched()` id of each revision after the first, newest first (workflows/scoring.ts). */
export const SCORING_PATCHES = { 4: 'risk-scoring-4', 3: 'risk-scoring-3', 2: 'risk-scoring-2' } as const;
export type ScoringRevision = 1 | 2 | 3 | 4;
export const CURRENT_SCORING_REVISION: ScoringRevision = 4;

const TO_REVISION_3: PolicyOverride = {
  volume: { tail: { minSamples: 0 } },
  rate: { approval: { memoryMs: 0 } },
  context: { sessionCarry: 0 },
};

const TO_REVISION_2: PolicyOverride = {
  warmup: { actions: 200 },
  volume: { approval: { memoryMs: 0 } },
  sequence: { evidence: 16, pooledEvidence: 0 },
  rate: { tolerance: 1.5, operation: { weight: 0 } },
  context: {
    keys: DEFAULT_POLICY.context.keys.map((k) => (k.key === 'userAgent.product' ? { ...k, weight: 50 } : k)),
  },
  rules: { highOnNewTool: 'OFF' },
};

const TO_REVISION_1: PolicyOverride = {
  thresholds: { MEDIUM: { review: 45, contain: 80 } },
  volume: { creep: { weight: 0 } },
  sequence: {
    alphaPerBranch: 0,
    evictedCounts: false,
    repeat: { LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 },
    sensitivityFactor: { LOW: 1, MEDIUM: 1, HIGH: 1, CRITICAL: 1 },
  },
  context: {
    keys: [
      { key: 'sourceNetwork', label: 'source network', weight: 60 },
      { key: 'onBehalfOf', label: 'delegating person', weight: 25 },
      { key: 'userAgent', label: 'client software', weight: 10 },
    ],
  },
  rules: { criticalOnNewStep: 'OFF' },
};

/** The policy an agent is scored with under a revision: the revision's defaults, then the agent's own override. */
export function scoringPolicy(revision: ScoringRevision, override: PolicyOverride | null | undefined): Policy {
  return policyFor(
    DEFAULT_POLICY,
    revision <= 3 ? TO_REVISION_3 : null,
    revision <= 2 ? TO_REVISION_2 : null,
    revision <= 1 ? TO_REVISION_1 : null,
    override,
  );
}
