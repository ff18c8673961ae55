/**
 * Risk scoring: the facts the scorer sees, what it answers, and the policy that tunes it.
 *
 * Everything in `risk/` is pure and deterministic: no I/O, no clocks, no randomness. Time comes in as
 * `ActionFacts.at`; state (the baseline) and policy are plain JSON. `assess` runs in a (local) activity,
 * `learn` runs inside the agent's workflow.
 */

export const SENSITIVITY_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Sensitivity = (typeof SENSITIVITY_LEVELS)[number];

/**
 * What an agent asks to do. The request's free-text `justification` is deliberately NOT here: it is
 * written by the agent (or by whoever injected a prompt into it), so it must never lower a score or
 * change a decision.
 */
export interface ActionFacts {
  agentId: string;
  platform: string;
  tool: string;
  /** The tool's resource URI, i.e. the audience of the grant. */
  toolResource: string;
  operation: string;
  sensitivity: Sensitivity;
  resourceId?: string;
  /** Records or items touched. */
  volume: number;
  /** Money moved, where it applies (0 otherwise). */
  amount: number;
  /** Free key/values, e.g. sourceNetwork, onBehalfOf, userAgent. */
  context: Record<string, string>;
  /** When it was requested, epoch milliseconds. */
  at: number;
}

export type Signal = 'novelty' | 'volume' | 'sequence' | 'rate' | 'context' | 'rule';

export interface Reason {
  signal: Signal;
  /** Points this reason adds to the score (0–100 scale; the score is their sum, capped at 100). */
  contribution: number;
  /** A sentence a person understands. Never contains secrets; context values are sanitised and shortened. */
  detail: string;
}

/** Machine-readable facts about the assessment that hard rules use (no free text). */
export interface AssessmentFlags {
  /** The agent has never used this tool. */
  novelTool: boolean;
  /** The agent has never used this audience (resource URI). */
  novelAudience: boolean;
  /** The agent has never used this operation of the tool. */
  novelOperation: boolean;
  /** The agent's baseline is still warming up (see `Policy.warmup`). */
  warmingUp: boolean;
  /**
   * After warm-up, the agent has never made this step: this operation never followed the thread's previous one
   * (an established predecessor, `sequence.evidence`), nor started a session. Absent: false.
   */
  novelStep?: boolean;
}

export interface RiskAssessment {
  /** 0–100. */
  score: number;
  /** Most important first. Empty when nothing is unusual. */
  reasons: Reason[];
  flags?: AssessmentFlags;
}

export type Decision = 'ALLOW' | 'REVIEW' | 'DENY';

export interface DecisionOutcome {
  decision: Decision;
  /** Suspend the agent, revoke its tokens (universal logout) and hold for a person. */
  contain: boolean;
  /** Sentences naming each hard rule that fired. */
  ruleHits: string[];
}

/** How many agents of the same platform use a tool / an operation (optional input to novelty). */
export interface PeerStats {
  agents: number;
  toolUsers: Record<string, number>;
  /** Keyed `tool:op`. */
  operationUsers: Record<string, number>;
}
