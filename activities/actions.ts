/**
 * Activities of the sensitive-action workflow: scoring (the pure rules of risk/assess-action.ts over the
 * agent's baseline, with its platform peers), minting the grant bound to the request, containing and
 * resuming the agent.
 */
import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { CredentialSettings } from '../config/config.js';
import type { ActionGrant, ActionRecord } from '../domain/actions.js';
import { agentWorkflowId } from '../domain/agents.js';
import { assessAction, type Assessment, type RiskProfile } from '../risk/assess-action.js';
import { peerStatsOf } from '../risk/baseline.js';
import type { PeerStats } from '../risk/types.js';
import { mintActionGrant } from '../tokens/action-grants.js';
import { getRiskProfileQuery, resumeAgentUpdate, universalLogoutUpdate } from '../workflows/agent-lifecycle.js';
import { SigningKeys } from '../api/services/signing-keys.js';
import { failpoint } from '../temporal/failpoints.js';

/** Peer statistics change slowly; each worker rebuilds a platform's at most this often. */
const PEERS_CACHE_MS = 60_000;
const MAX_PEERS = 200;
const PEER_QUERY_MS = 500;

export function createActionActivities(deps: { client: Client; taskQueue: string; credentials: CredentialSettings }) {
  // The same cached ring as the API's: no decision waits on re-reading it.
  const signingKeys = new SigningKeys(deps.client, deps.taskQueue, deps.credentials.signingKeyRotationMs);

  // How rare a tool or operation is among agents of the same platform (novelty weighs rarer things more).
  const peers = new Map<string, { stats: Promise<PeerStats | undefined>; at: number }>();
  const peersOf = (platform: string): Promise<PeerStats | undefined> => {
    const hit = peers.get(platform);
    if (hit && Date.now() - hit.at < PEERS_CACHE_MS) return hit.stats;
    const gathered = (async () => {
      try {
        const ids: string[] = [];
        for await (const info of deps.client.workflow.list({ query: `WorkflowType = 'agentLifecycleWorkflow' AND ExecutionStatus = 'Running' AND AgentPlatform = '${platform.replace(/[^a-z0-9._-]/g, '')}'`, pageSize: MAX_PEERS })) {
          ids.push(info.workflowId);
          if (ids.length >= MAX_PEERS) break;
        }
        // A peer busy in its own workflow task answers late; skip it rather than wait.
        const within = <T,>(p: Promise<T>) => Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), PEER_QUERY_MS))]);
        const profiles = await Promise.all(ids.map((id) => within(deps.client.workflow.getHandle(id).query(getRiskProfileQuery)).catch(() => null)));
        const baselines = profiles.filter((p): p is RiskProfile => p !== null).map((p) => p.baseline);
        return baselines.length >= 3 ? peerStatsOf(baselines) : undefined;
      } catch {
        return undefined; // peers only refine novelty; scoring never waits on them failing
      }
    })();
    // Statistics a minute old still refine novelty well: only a platform's first decision waits for them
    // (gathering queries up to 200 agents); later ones use the last gathered while new ones are gathered,
    // and a gathering that fails keeps them.
    const stats = hit ? gathered.then(async (fresh) => fresh ?? (await hit.stats)) : gathered;
    peers.set(platform, { stats, at: Date.now() });
    return hit ? hit.stats : stats;
  };

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
      peersOf(action.platform),
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
    const cached = peers.get(input.action.platform);
    const platformPeers = cached && Date.now() - cached.at < PEERS_CACHE_MS ? await cached.stats : undefined;
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
