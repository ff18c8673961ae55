/**
 * Activities of the action workflows: minting the grant of an approved action, containing and resuming
 * the agent — and, for runs from before decisions were made in workflow code, scoring (the same rules,
 * risk/assess-action.ts) and minting the grant of an action allowed outright.
 */
import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { CredentialSettings } from '../config/config.js';
import type { ActionGrant, ActionRecord } from '../domain/actions.js';
import { agentWorkflowId } from '../domain/agents.js';
import { assessAction, type Assessment, type RiskProfile } from '../risk/assess-action.js';
import { mintActionGrant } from '../tokens/action-grants.js';
import { getRiskProfileQuery, resumeAgentUpdate, universalLogoutUpdate } from '../workflows/agent-lifecycle.js';
import { PeerStatistics } from '../api/services/peer-stats.js';
import { SigningKeys } from '../api/services/signing-keys.js';
import { failpoint } from '../temporal/failpoints.js';

export function createActionActivities(deps: { client: Client; taskQueue: string; credentials: CredentialSettings }) {
  // The same cached ring as the API's: no decision waits on re-reading it.
  const signingKeys = new SigningKeys(deps.client, deps.taskQueue, deps.credentials.signingKeyRotationMs);

  // How rare a tool or operation is among agents of the same platform (novelty weighs rarer things more).
  const peers = new PeerStatistics(deps.client);

  /** A grant bound to exactly this request: its tool, operation, resource and volume/amount ceilings. */
  const grantFor = async (action: ActionRecord): Promise<ActionGrant> => {
    const grant = await mintActionGrant(action, await signingKeys.current(), deps.credentials.issuer, deps.credentials.grantTtlSeconds);
    failpoint('action.grant-minted');
    return grant;
  };

  /**
   * A sensitive action's score, on the agent's baseline as its workflow's input holds it — or, for runs
   * started without one, as the agent's workflow answers now.
   */
  const assessSensitive = async (action: ActionRecord, given: RiskProfile | null = null): Promise<Assessment> => {
    const [profile, platformPeers] = await Promise.all([
      given ?? deps.client.workflow.getHandle(agentWorkflowId(action.agentId)).query(getRiskProfileQuery),
      peers.of(action.platform),
    ]);
    failpoint('action.scoring');
    return assessAction(profile, action, platformPeers);
  };

  /**
   * A routine action's score: the agent's own workflow passes its baseline, so no query is needed — and
   * peers come only from this worker's cache (gathering them means querying workflows, one of which is
   * the very one waiting on this activity).
   */
  const assessRoutine = async (input: { profile: RiskProfile; action: ActionRecord }): Promise<Assessment> => {
    const platformPeers = await peers.cached(input.action.platform);
    failpoint('action.routine.scoring');
    return assessAction(input.profile, input.action, platformPeers);
  };

  /** The score, and the grant only when the score allows it outright: one local activity, one round trip. */
  const decideWith = async (action: ActionRecord, assessment: Assessment): Promise<{ assessment: Assessment; grant: ActionGrant | null }> => ({
    assessment,
    grant: assessment.decision === 'ALLOW' ? await grantFor(action) : null,
  });

  return {
    // assessAction and assessRoutineAction score only: the paths of histories recorded before the
    // decide* activities (see the patches in the workflows). Routine work is scored in the agent's workflow
    // now; decideRoutineAction serves Updates without an offered grant (an API from before that).
    // mintActionGrant also grants approved actions.
    assessAction: (action: ActionRecord) => assessSensitive(action),
    async decideAction(action: ActionRecord, profile: RiskProfile | null = null): Promise<{ assessment: Assessment; grant: ActionGrant | null }> {
      return decideWith(action, await assessSensitive(action, profile));
    },

    assessRoutineAction: assessRoutine,
    async decideRoutineAction(input: { profile: RiskProfile; action: ActionRecord }): Promise<{ assessment: Assessment; grant: ActionGrant | null }> {
      return decideWith(input.action, await assessRoutine(input));
    },
    async mintActionGrant(action: ActionRecord): Promise<ActionGrant> {
      return grantFor(action);
    },

    /**
     * Suspends the agent and revokes every token it holds (universal logout). The Update's id names this
     * action's containment, so a retry (the worker died after the Update, before this activity completed)
     * gets the first outcome back from Temporal instead of logging the agent out a second time.
     */
    async containAgent(input: { agentId: string; actionId: string; reason: string }): Promise<void> {
      try {
        await deps.client.workflow.getHandle(agentWorkflowId(input.agentId)).executeUpdate(universalLogoutUpdate, {
          updateId: `contain:${input.actionId}`,
          args: [{ actor: { kind: 'system', id: 'warden' }, reason: `${input.reason} (action ${input.actionId})` }],
        });
      } catch (err) {
        // A decommissioned agent holds nothing to revoke; anything else is retried.
        if (!(err instanceof WorkflowUpdateFailedError)) throw err;
      }
      failpoint('action.agent-contained');
    },

    async resumeContainedAgent(input: { agentId: string; actionId: string; approver: string }): Promise<void> {
      try {
        await deps.client.workflow.getHandle(agentWorkflowId(input.agentId)).executeUpdate(resumeAgentUpdate, {
          updateId: `resume:${input.actionId}`, // a retry is the same resumption, not a second one
          args: [{ actor: { kind: 'human', id: input.approver }, reason: `approved action ${input.actionId}` }],
        });
      } catch (err) {
        if (!(err instanceof WorkflowUpdateFailedError)) throw err;
      }
    },
  };
}
