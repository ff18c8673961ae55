/**
 * What a sensitive action's workflow (`action:<id>`) takes and answers: its start input, the decision the
 * requester waits for, and a person's approval or denial. Clients import these.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActionRecord, ApprovalRequest, RecordedGrant } from '../../domain/actions.js';
import type { ApprovalRoute } from '../../domain/approval-policy.js';
import type { RiskProfile } from '../../risk/assess-action.js';
import type { PeerStats } from '../../risk/types.js';
import type { Signed, TrustAnchor } from '../../tokens/statements.js';

export interface SensitiveActionArgs {
  action: ActionRecord;
  /** Warden's issuer and signing keys: what approvers' statements are verified against. */
  trust: TrustAnchor;
  /**
   * If the action is held: who decides, how many, when it escalates and when it expires — the routing
   * policy's rule for this action, matched by the API when it started the action (api/approval-policy-file.ts).
   */
  route: ApprovalRoute;
  /** Approving a contained agent's action resumes the agent. */
  resumeOnApprove: boolean;
  /** The agent's baseline and policy as the API read them with the agent (one query): what is decided on. */
  profile: RiskProfile;
  /** The grant to record if the action is allowed outright (key id, `jti`, lifetime; the API signs it). */
  offeredGrant: RecordedGrant;
  /** The platform's peer statistics the API gathered (null when it has none yet). */
  peers: PeerStats | null;
}

/** The decision, for whoever asks — the first request (Update-with-Start) or a retry with the same key. */
export const decideActionUpdate = defineUpdate<ActionRecord, []>('decideAction');
/**
 * A person's decision on a held action, with a signed statement of who decided (workflows/trust.ts). An
 * approval that is one of a quorum answers at once with the action still PENDING_APPROVAL and one more vote;
 * the vote that ends it (the last approval needed, or any denial) answers with the outcome.
 */
export const approveActionUpdate = defineUpdate<ActionRecord, [Signed<ApprovalRequest>]>('approveAction');
export const denyActionUpdate = defineUpdate<ActionRecord, [Signed<ApprovalRequest>]>('denyAction');
export const getActionQuery = defineQuery<ActionRecord>('getAction');
/**
 * MCP calls: Warden's endpoint claims an allowed or approved call before it forwards it. Only the first
 * claim succeeds (a retried call is forwarded once); a Warden-only message.
 */
export const claimCallUpdate = defineUpdate<ActionRecord, [{ argumentsSha256: string }]>('claimCall');
