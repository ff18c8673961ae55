/**
 * What an agent's workflow (`agent:<id>`) takes and answers: its start input, its Updates, Queries and
 * Signals, and their types. Clients (the API, activities, other workflows) import these; the handlers live
 * beside them, one module per concern.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActionRecord, RecordedGrant } from '../../domain/actions.js';
import type { AgentState, AgentStatus, AllowedTool } from '../../domain/agents.js';
import type { AssertionRecord, Jwk } from '../../domain/credentials.js';
import type { Sighting, SightingOutcome } from '../../domain/discovery.js';
import type { Notification } from '../../domain/notifications.js';
import type { RiskProfile } from '../../risk/assess-action.js';
import type { Baseline } from '../../risk/baseline.js';
import type { PolicyOverride } from '../../risk/policy.js';
import type { Signed, TrustAnchor } from '../../tokens/statements.js';
import type { RememberedStatement } from '../trust.js';

/** The start input. A first run gets `state` and `trust`; the rest is carried across continue-as-new. */
export interface AgentLifecycleArgs {
  state: AgentState;
  /** Warden's issuer and signing keys: what commands' statements are verified against. */
  trust: TrustAnchor;
  /** Roll history over after this many events (default: the workflow's own cap). */
  continueAsNewAfterEvents?: number;
  /** Statements already used (each works once). */
  usedStatements?: RememberedStatement[];
  /** Client-assertion ids still inside their lifetime. */
  assertions?: AssertionRecord[];
  /** Notifications not yet delivered. */
  outbox?: Notification[];
  /** The behavioural baseline, learned from allowed and approved actions. */
  baseline?: Baseline;
  /** Ids of actions already learned (a retried signal is ignored). */
  learnedActions?: string[];
  /** This agent's risk policy, over Warden's defaults (thresholds, warm-up, hard rules). */
  riskPolicy?: PolicyOverride | null;
  /** Recent routine actions decided here. */
  routine?: ActionRecord[];
  /** Idempotency keys of requests sent to their own action workflow (a retry goes there too). */
  escalatedKeys?: string[];
  /** Decisions not yet handed to the audit trail. */
  auditOutbox?: ActionRecord[];
}

// --- The agent's life: commands by someone, each with a signed statement (workflows/trust.ts) ------------

export interface StatusChangeRequest {
  reason: string;
}

export interface SuspendRequest extends StatusChangeRequest {
  /**
   * Also revoke every token issued so far (default): after a resume the agent must get new ones. Without
   * it a suspension is a pause: tokens issued before it are refused while the agent is suspended, and work
   * again after a resume until they expire.
   */
  revokeTokens?: boolean;
}

export interface OwnershipTransferRequest {
  ownerEmail: string;
  reason?: string;
}

export interface SetAllowedToolsRequest {
  tools: AllowedTool[];
}

export const suspendAgentUpdate = defineUpdate<AgentState, [Signed<SuspendRequest>]>('suspendAgent');
export const resumeAgentUpdate = defineUpdate<AgentState, [Signed<StatusChangeRequest>]>('resumeAgent');
export const decommissionAgentUpdate = defineUpdate<AgentState, [Signed<StatusChangeRequest>]>('decommissionAgent');
export const transferAgentOwnershipUpdate = defineUpdate<AgentState, [Signed<OwnershipTransferRequest>]>(
  'transferAgentOwnership',
);
export const setAllowedToolsUpdate = defineUpdate<AgentState, [Signed<SetAllowedToolsRequest>]>('setAllowedTools');
export const getAgentQuery = defineQuery<AgentState>('getAgent');

// --- Credentials and tokens ---------------------------------------------------------------------------------

/** A client assertion the API has verified: the workflow refuses a replay, a retired key, an inactive agent. */
export interface AuthenticateRequest {
  /** `kid` of the key that signed the client assertion. */
  kid: string;
  jti: string;
  expiresAtMs: number;
}

export interface AuthenticateResult {
  revokedBefore: string | null;
}

export interface RotateCredentialRequest {
  /** The agent's own new public key; without one Warden generates the successor. */
  publicJwk?: Jwk;
  kid?: string;
}

export interface RevokeTokenRequest {
  jti: string;
  expiresAtMs: number;
}

export interface CollectedSuccessor {
  kid: string;
  sealedPrivateJwk: unknown;
  expiresAt: string;
}

/** A fact only Warden's processes report (the API, having verified the client assertion). */
export const authenticateAgentUpdate = defineUpdate<AuthenticateResult, [AuthenticateRequest]>('authenticateAgent');
export const universalLogoutUpdate = defineUpdate<AgentState, [Signed<StatusChangeRequest>]>('universalLogout');
export const revokeTokenUpdate = defineUpdate<AgentState, [Signed<RevokeTokenRequest>]>('revokeToken');
export const rotateCredentialUpdate = defineUpdate<AgentState, [Signed<RotateCredentialRequest>]>('rotateCredential');
export const collectSuccessorUpdate = defineUpdate<CollectedSuccessor, [Signed<Record<string, never>>]>(
  'collectSuccessor',
);

// --- Routine decisions and the baseline ---------------------------------------------------------------------

/** What a sensitive decision needs, in one read: the agent as it is now, with its baseline and policy. */
export interface DecisionContext {
  agent: AgentState;
  profile: RiskProfile;
  /** The routine action this idempotency key already named, if any: one key, one request. */
  routine: ActionRecord | null;
}

/**
 * The routine path: a LOW, allowed request decided here; null means "not routine — use its own workflow".
 * The API offers the grant to record (key, id, lifetime); the workflow records it only if it allows the
 * request outright, and the API signs what was recorded.
 */
export const decideRoutineActionUpdate = defineUpdate<ActionRecord | null, [ActionRecord, RecordedGrant]>(
  'decideRoutineAction',
);
export const setRiskPolicyUpdate = defineUpdate<PolicyOverride | null, [Signed<{ policy: PolicyOverride | null }>]>(
  'setRiskPolicy',
);
/**
 * An allowed or approved action the agent's baseline should learn from (deduplicated by action id); with
 * `audit`, the agent's workflow also hands its decision to the audit trail (batched with routine ones).
 */
export const learnActionSignal =
  defineSignal<[{ actionId: string; action: ActionRecord; audit?: boolean }]>('learnAction');
export const getRoutineActionQuery = defineQuery<ActionRecord | null, [string]>('getRoutineAction');
export const listRoutineActionsQuery = defineQuery<ActionRecord[]>('listRoutineActions');
export const getRiskProfileQuery = defineQuery<RiskProfile>('getRiskProfile');
export const getDecisionContextQuery = defineQuery<DecisionContext, [string]>('getDecisionContext');

// --- Discovery -----------------------------------------------------------------------------------------------

export interface RecordSightingsResult {
  agentId: string;
  status: AgentStatus;
  /** True when this agent was first discovered by the sighting's sweep (the same answer on every retry). */
  newAgent: boolean;
  outcomes: SightingOutcome[];
}

export interface ClaimAgentRequest {
  ownerEmail: string;
  allowedTools: AllowedTool[];
  /** The credential the agent will authenticate with (public part; a generated private key stays with the caller). */
  publicJwk: Jwk;
  kid: string;
  generatedByWarden: boolean;
  reason?: string;
}

export interface DismissFindingRequest {
  findingId: string;
  reason: string;
}

/** What a sweep saw of this agent (a new agent's workflow is started in DISCOVERED by Update-with-Start). */
export const recordSightingsUpdate = defineUpdate<RecordSightingsResult, [Sighting[]]>('recordSightings');
/** A discovered (shadow) agent gets an owner, allowed tools and a credential: DISCOVERED → ACTIVE. */
export const claimAgentUpdate = defineUpdate<AgentState, [Signed<ClaimAgentRequest>]>('claimAgent');
export const dismissFindingUpdate = defineUpdate<AgentState, [Signed<DismissFindingRequest>]>('dismissFinding');
