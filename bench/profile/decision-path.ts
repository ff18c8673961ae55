/**
 * tsx bench/profile/decision-path.ts — where the routine (LOW) decision's time goes, step by step, on the same kind of
 * stack as npm run bench. Each step is timed from this process through the same server, interleaved:
 *
 *   floor (a)         bare Update on a running floor workflow
 *   floor + 2 LAs     the same, its handler awaiting two (echo) local activities
 *   query getAgent    the Query ActionService.request makes before deciding (agents.get)
 *   update direct     decideRoutineAction sent straight to the agent's workflow (no API): 2 local
 *                     activities (scoring, grant) + the audit outbox
 *   graphql viewer    (c) HTTP + GraphQL + token check, no workflow
 *   requestAction     the whole LOW path over HTTP
 *
 * Sum of the parts vs the whole shows what the API adds; update direct − floor (a) is what the workflow adds.
 * Env: BENCH_PROFILE_SAMPLES (default 150).
 */
import { randomUUID } from 'node:crypto';
import { actionIdFor } from '../../api/services/action-ids.js';
import { agentWorkflowId } from '../../domain/agents.js';
import type { ActionRecord } from '../../domain/actions.js';
import { decideRoutineActionUpdate, getAgentQuery } from '../../workflows/agent/messages.js';
import { Floor } from '../lib/floor.js';
import { actionOf, CRM, CRM_RESOURCE, Warden } from '../lib/warden.js';
import { profileSteps, withProfileStack } from './steps.js';

const N = Number(process.env.BENCH_PROFILE_SAMPLES ?? 150);
await withProfileStack(async (stack) => {
  const warden = new Warden(stack);
  await warden.setup();
  const floor = new Floor(stack.client);
  await floor.startWaiters(4);
  const agents = await Promise.all([0, 1, 2, 3].map((i) => warden.registerAgent(`Profile agent ${i}`)));
  for (const a of agents)
    for (let i = 0; i < 25; i++)
      actionOf(await warden.request(a, { operation: 'update_ticket', resourceId: `t-${i}` }));
  const state = await stack.client.workflow.getHandle(agentWorkflowId(agents[0]!.id)).query(getAgentQuery);

  const record = (agentId: string, i: number): ActionRecord => {
    const key = `direct-${i}-${randomUUID().slice(0, 8)}`;
    return {
      id: actionIdFor(agentId, key),
      agentId,
      agentName: state.name,
      platform: state.platform,
      ownerEmail: state.ownerEmail,
      tool: CRM,
      toolResource: CRM_RESOURCE,
      operation: 'update_ticket',
      sensitivity: 'LOW',
      allowedOutright: true,
      resourceId: `ticket-${i % 17}`,
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
      workflowId: agentWorkflowId(agentId),
    };
  };
  const steps: Record<string, (i: number) => Promise<unknown>> = {
    'floor (a) update': (i) => floor.ping(i),
    'floor update + 2 LAs': (i) => floor.pingWithLocalActivities(i),
    'query getAgent': (i) => stack.client.workflow.getHandle(agentWorkflowId(agents[i % 4]!.id)).query(getAgentQuery),
    // As the API sends it: with a grant to record (its key id need not exist; the workflow only records it).
    'update direct': (i) => {
      const iat = Math.floor(Date.now() / 1000);
      const offer = { kid: 'profile', issuer: 'https://warden.invalid', jti: randomUUID(), iat, exp: iat + 300 };
      return stack.client.workflow
        .getHandle(agentWorkflowId(agents[i % 4]!.id))
        .executeUpdate(decideRoutineActionUpdate, { args: [record(agents[i % 4]!.id, i), offer] });
    },
    'graphql viewer': async (i) => warden.gql(`{ viewer { kind } }`, undefined, await agents[i % 4]!.token()),
    'requestAction LOW': async (i) =>
      actionOf(
        await warden.request(
          agents[i % 4]!,
          { operation: 'update_ticket', resourceId: `ticket-${i % 17}` },
          await agents[i % 4]!.token(),
        ),
      ),
  };
  await profileSteps(stack, steps, N, (i) => agents[i % 4]!.token());
});
