/**
 * What a sensitive action's workflow (`action:<id>`) takes and answers: its start input, the decision the
 * requester waits for, and a person's approval or denial. Clients import these.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActionRecord, ApprovalRequest, RecordedGrant } from '../../domain/actions.js';
import type { RiskProfile } from '../../risk/assess-action.js';
import type { PeerStats } from '../../risk/types.js';
import type { Signed, TrustAnchor } from '../../tokens/statements.js';

export interface SensitiveActionArgs {
  action: ActionRecord;
  /** Warden's issuer and signing keys: what approvers' statements are verified against. */
  trust: TrustAnchor;
  /** How long an approval may wait before the action expires (default 24 h). */
  approvalTimeoutMs: number;
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
/** A person's decision on a held action, with a signed statement of who decided (workflows/trust.ts). */
export const approveActionUpdate = defineUpdate<ActionRecord, [Signed<ApprovalRequest>]>('approveAction');
export const denyActionUpdate = defineUpdate<ActionRecord, [Signed<ApprovalRequest>]>('denyAction');
export const getActionQuery = defineQuery<ActionRecord>('getAction');
/**
 * MCP calls: Warden's endpoint claims an allowed or approved call before it forwards it. Only the first
 * claim succeeds (a retried call is forwarded once); a Warden-only message.
 */
export const claimCallUpdate = defineUpdate<ActionRecord, [{ argumentsSha256: string }]>('claimCall');
