/**
 * tsx bench/profile/sensitive-path.ts — where the sensitive (MEDIUM, ALLOW) decision's time goes, step by
 * step, on the same kind of stack as npm run bench. Each step is timed from this process, interleaved:
 *
 *   floor (b)            Update-with-Start of a do-nothing workflow (the benchmark's baseline)
 *   query getAgent       the fresh read of the agent the API makes before a sensitive decision
 *   query riskProfile    the read of the agent's baseline a run without one in its input makes
 *   query context        the one read the API makes: the agent and its baseline (getDecisionContext)
 *   start direct         the action's Update-with-Start sent straight from here (no API), with that context
 *   graphql viewer       (c) HTTP + GraphQL + token check, no workflow
 *   requestAction MED    the whole sensitive path over HTTP
 *
 * Env: BENCH_PROFILE_SAMPLES (default 150).
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { actionIdFor } from '../../api/services/action-ids.js';
import { actionWorkflowId, type ActionRecord, actionMemo } from '../../domain/actions.js';
import { agentWorkflowId } from '../../domain/agents.js';
import { getAgentQuery, getDecisionContextQuery, getRiskProfileQuery } from '../../workflows/agent/messages.js';
import { decideActionUpdate } from '../../workflows/action/messages.js';
import { sensitiveActionWorkflow } from '../../workflows/action/workflow.js';
import { Floor } from '../lib/floor.js';
import { ms } from '../lib/stats.js';
import { actionOf, CRM, CRM_RESOURCE, Warden } from '../lib/warden.js';
import { profileSteps, withProfileStack } from './steps.js';
import { defaultPolicy } from '../../domain/approval-policy.js';

const N = Number(process.env.BENCH_PROFILE_SAMPLES ?? 150);
await withProfileStack(async (stack) => {
  const warden = new Warden(stack);
  await warden.setup();
  const floor = new Floor(stack.client);
  // What the API hands every action's workflow: Warden's issuer and public signing keys.
  const trust = stack.services.commands.anchor();
  const agents = await Promise.all([0, 1, 2, 3].map((i) => warden.registerAgent(`Profile agent ${i}`)));
  for (const a of agents)
    for (let i = 0; i < 25; i++)
      actionOf(await warden.request(a, { operation: 'update_ticket', resourceId: `t-${i}` }));
  const steps: Record<string, (i: number) => Promise<unknown>> = {
    'floor (b) update-with-start': (i) => floor.startNoop(i),
    'query getAgent': (i) => stack.client.workflow.getHandle(agentWorkflowId(agents[i % 4]!.id)).query(getAgentQuery),
    'query riskProfile': (i) =>
      stack.client.workflow.getHandle(agentWorkflowId(agents[i % 4]!.id)).query(getRiskProfileQuery),
    'query context': (i) =>
      stack.client.workflow.getHandle(agentWorkflowId(agents[i % 4]!.id)).query(getDecisionContextQuery, `ctx-${i}`),
    'start direct': async (i) => {
      const agentId = agents[i % 4]!.id;
      const { agent, profile } = await stack.client.workflow
        .getHandle(agentWorkflowId(agentId))
        .query(getDecisionContextQuery, `direct-${i}`);
      const key = `direct-${i}-${randomUUID().slice(0, 8)}`;
      const id = actionIdFor(agentId, key);
      const action: ActionRecord = {
        id,
        agentId,
        agentName: agent.name,
        platform: agent.platform,
        ownerEmail: agent.ownerEmail,
        tool: CRM,
        toolResource: CRM_RESOURCE,
        operation: 'read_customer',
        sensitivity: 'MEDIUM',
        allowedOutright: true,
        resourceId: `cust-${i % 17}`,
        volume: 1,
        amount: 0,
        justification: 'routine',
        context: { sourceNetwork: '10.1.0.0/16' },
        idempotencyKey: key,
        requestedAt: new Date().toISOString(),
        decision: null,
        status: 'PENDING_DECISION',
        risk: null,
        contained: false,
        approval: null,
        recordedGrant: null,
        decidedAt: null,
        workflowId: actionWorkflowId(id),
      };
      const t = process.hrtime.bigint();
      const decided = await stack.client.workflow.executeUpdateWithStart(decideActionUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(sensitiveActionWorkflow, {
          workflowId: action.workflowId,
          taskQueue: stack.config.temporal.taskQueue,
          workflowIdConflictPolicy: 'USE_EXISTING',
          // As the API sends it: with a grant to record (its key id need not exist; the workflow only records it).
          args: [
            {
              action,
              trust: await trust,
              route: { rule: 'default', ...defaultPolicy(60_000).default },
              resumeOnApprove: true,
              profile,
              peers: null,
              offeredGrant: {
                kid: 'profile',
                issuer: 'https://warden.invalid',
                jti: randomUUID(),
                iat: Math.floor(Date.now() / 1000),
                exp: Math.floor(Date.now() / 1000) + 300,
              },
            },
          ],
          memo: actionMemo(action),
        }),
      });
      if (decided.status !== 'ALLOWED') throw new Error(`not allowed: ${decided.status}`);
      return ms(t); // the start alone (the query before it is its own step)
    },
    'graphql viewer': async (i) => warden.gql(`{ viewer { kind } }`, undefined, await agents[i % 4]!.token()),
    'requestAction MEDIUM': async (i) => {
      const a = actionOf(
        await warden.request(
          agents[i % 4]!,
          { operation: 'read_customer', resourceId: `cust-${i % 17}` },
          await agents[i % 4]!.token(),
        ),
      );
      if (a.status !== 'ALLOWED') throw new Error(`not allowed: ${a.status}`);
    },
  };
  await profileSteps(stack, steps, N, (i) => agents[i % 4]!.token());
});
