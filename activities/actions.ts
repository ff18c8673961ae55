/**
 * Activities of the sensitive-action workflow: scoring (pure functions over the agent's baseline, read
 * from its workflow), minting the grant bound to the request, containing and resuming the agent.
 */
import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { CredentialSettings } from '../config/config.js';
import type { ActionGrant, ActionRecord, RiskReason } from '../domain/actions.js';
import { agentWorkflowId } from '../domain/agents.js';
import { assess } from '../risk/score.js';
import { decide } from '../risk/decide.js';
import { factsOf } from '../risk/facts.js';
import { DEFAULT_POLICY, policyFor } from '../risk/types.js';
import { mintGrant } from '../tokens/grants.js';
import type { SigningKeyRing } from '../tokens/signing-keys.js';
import { getRiskProfileQuery, resumeAgentUpdate, universalLogoutUpdate, type RiskProfile } from '../workflows/agent-lifecycle.js';
import { getSigningKeysQuery, signingKeysWorkflowId } from '../workflows/signing-keys.js';

export interface Assessment {
  score: number;
  reasons: RiskReason[];
  decision: 'ALLOW' | 'REVIEW' | 'DENY';
  contain: boolean;
}

/** Scores an action against the agent's baseline and policy, and decides. */
function assessWith(profile: RiskProfile, action: ActionRecord): Assessment {
  const policy = policyFor(DEFAULT_POLICY, profile.policy);
  const facts = factsOf(action);
  const assessment = assess(profile.baseline, facts, policy);
  const outcome = decide(assessment, facts, policy);
  // Outside the agent's allowed set there is no "allowed outright": a person must look.
  const decision = outcome.decision === 'ALLOW' && !action.allowedOutright ? 'REVIEW' : outcome.decision;
  const reasons = [...assessment.reasons];
  if (!action.allowedOutright) {
    reasons.push({ signal: 'rule', contribution: 0, detail: `${action.tool}.${action.operation} is not in this agent's allowed tools, so a person must approve it.` });
  }
  return { score: assessment.score, reasons, decision, contain: outcome.contain };
}

const KEY_CACHE_MS = 1_000;

export function createActionActivities(deps: { client: Client; taskQueue: string; credentials: CredentialSettings }) {
  let ring: { value: SigningKeyRing; at: number } | null = null;
  const currentKey = async () => {
    if (!ring || Date.now() - ring.at > KEY_CACHE_MS) {
      const value = await deps.client.workflow.getHandle(signingKeysWorkflowId(deps.taskQueue)).query(getSigningKeysQuery);
      if (!value) throw new Error('signing keys are not ready yet');
      ring = { value, at: Date.now() };
    }
    return ring.value.current;
  };

  return {
    async assessAction(action: ActionRecord): Promise<Assessment> {
      const profile = await deps.client.workflow.getHandle(agentWorkflowId(action.agentId)).query(getRiskProfileQuery);
      return assessWith(profile, action);
    },

    /** The routine path: the agent's own workflow passes its baseline, so no query is needed. */
    async assessRoutineAction(input: { profile: RiskProfile; action: ActionRecord }): Promise<Assessment> {
      return assessWith(input.profile, input.action);
    },
    /** A grant bound to exactly this request: its tool, operation, resource and volume/amount ceilings. */
    async mintActionGrant(action: ActionRecord): Promise<ActionGrant> {
      const minted = await mintGrant({
        key: await currentKey(),
        issuer: deps.credentials.issuer,
        resource: action.toolResource,
        agentId: action.agentId,
        operations: [action.operation],
        ttlSeconds: deps.credentials.grantTtlSeconds,
        extra: {
          // RFC 9396 authorization details: what exactly this grant covers.
          authorization_details: [
            {
              type: 'warden_action',
              action_id: action.id,
              tool: action.tool,
              operation: action.operation,
              ...(action.resourceId ? { resource_id: action.resourceId } : {}),
              max_volume: action.volume,
              max_amount: action.amount,
            },
          ],
        },
      });
      return { token: minted.token, audience: action.toolResource, scope: [action.operation], expiresAt: minted.expiresAt.toISOString() };
    },

    /** Suspends the agent and revokes every token it holds (universal logout). */
    async containAgent(input: { agentId: string; actionId: string; reason: string }): Promise<void> {
      try {
        await deps.client.workflow.getHandle(agentWorkflowId(input.agentId)).executeUpdate(universalLogoutUpdate, { args: [{ actor: { kind: 'system', id: 'warden' }, reason: `${input.reason} (action ${input.actionId})` }] });
      } catch (err) {
        // A decommissioned agent holds nothing to revoke; anything else is retried.
        if (!(err instanceof WorkflowUpdateFailedError)) throw err;
      }
    },

    async resumeContainedAgent(input: { agentId: string; actionId: string; approver: string }): Promise<void> {
      try {
        await deps.client.workflow.getHandle(agentWorkflowId(input.agentId)).executeUpdate(resumeAgentUpdate, { args: [{ actor: { kind: 'human', id: input.approver }, reason: `approved action ${input.actionId}` }] });
      } catch (err) {
        if (!(err instanceof WorkflowUpdateFailedError)) throw err;
      }
    },
  };
}
