/**
 * Activities of the action workflows: the terms of an approved action's grant, and containing and
 * resuming the agent — commands Warden makes on its own authority, signed as `warden`.
 */
import { type Client, WorkflowUpdateFailedError } from '@temporalio/client';
import type { CredentialSettings } from '../config/config.js';
import type { RecordedGrant } from '../domain/actions.js';
import { agentWorkflowId } from '../domain/agents.js';
import { proposeRecordedGrant } from '../tokens/action-grants.js';
import { resumeAgentUpdate, universalLogoutUpdate } from '../workflows/agent/messages.js';
import { Commands, WARDEN } from '../services/commands.js';
import { SigningKeys } from '../services/signing-keys.js';
import { failpoint } from '../temporal/failpoints.js';

export function createActionActivities(deps: {
  client: Client;
  signingKeys: SigningKeys;
  credentials: CredentialSettings;
}) {
  const commands = new Commands(deps.client, deps.signingKeys);

  return {
    /**
     * The grant of an approved action, as its workflow records it: the current key, a fresh id, the
     * lifetime — no token. The API signs it (the same token every time) when it hands it to the agent.
     */
    async offerActionGrant(): Promise<RecordedGrant> {
      const grant = proposeRecordedGrant(
        await deps.signingKeys.current(),
        deps.credentials.issuer,
        deps.credentials.grantTtlSeconds,
      );
      failpoint('action.grant-offered');
      return grant;
    },

    /**
     * Suspends the agent and revokes every token it holds (universal logout). The Update's id names this
     * action's containment, so a retry (the worker died after the Update, before this activity completed)
     * gets the first outcome back from Temporal instead of logging the agent out a second time.
     */
    async containAgent(input: { agentId: string; actionId: string; reason: string }): Promise<void> {
      try {
        await commands.send(
          agentWorkflowId(input.agentId),
          universalLogoutUpdate,
          { reason: `${input.reason} (action ${input.actionId})` },
          WARDEN,
          { updateId: `contain:${input.actionId}` },
        );
      } catch (err) {
        // A decommissioned agent holds nothing to revoke; anything else is retried.
        if (!(err instanceof WorkflowUpdateFailedError)) throw err;
      }
      failpoint('action.agent-contained');
    },

    async resumeContainedAgent(input: { agentId: string; actionId: string; approver: string }): Promise<void> {
      try {
        await commands.send(
          agentWorkflowId(input.agentId),
          resumeAgentUpdate,
          { reason: `action ${input.actionId} approved by ${input.approver}` },
          WARDEN,
          {
            updateId: `resume:${input.actionId}`, // a retry is the same resumption, not a second one
          },
        );
      } catch (err) {
        if (!(err instanceof WorkflowUpdateFailedError)) throw err;
      }
    },
  };
}
