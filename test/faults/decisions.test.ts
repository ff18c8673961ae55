/**
 * Fault injection on the decision path: the worker process is stopped at a failpoint while it decides an
 * action and SIGKILLed there; a new worker takes over. The request the agent sent meanwhile still gets its
 * decision; the decision is applied once (one action workflow, one audit record, learned once); a denied
 * action never has a grant; a retry with the same idempotency key returns the original result, grant and all.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentWorkflowId } from '../../domain/agents.js';
import { getAgentQuery, listRoutineActionsQuery } from '../../workflows/agent/messages.js';
import { startReceiver } from '../helpers/http-servers.js';
import { eventually } from '../helpers/stack.js';
import {
  buildWorld,
  denyPolicy,
  distinctNotices,
  expectAuditOnce,
  jtiOf,
  recordedJtiOf,
  killAndRestartWorker,
  later,
  learnedCount,
  LONG,
  recordedAction,
  requestAction,
  runsOf,
  startFaultStack,
  type FaultStack,
  type World,
} from './helpers.js';

let stack: FaultStack;
let world: World;
let webhook: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  webhook = await startReceiver();
  stack = await startFaultStack({ env: { WARDEN_NOTIFY_WEBHOOK_URL: webhook.url } });
  await stack.startWorker();
  await stack.startApi();
  world = await buildWorld(stack);
});

afterAll(async () => {
  await stack?.stop();
  await webhook?.close();
});

beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(stack.outputs())));

/** The baseline learned exactly `n` actions, and stays there. */
async function expectLearned(agentId: string, n: number) {
  await eventually(async () => (await learnedCount(stack, agentId)) >= n, LONG);
  await new Promise((r) => setTimeout(r, 500));
  expect(await learnedCount(stack, agentId)).toBe(n);
}

describe('kill points on the decision path', () => {
  it('SIGKILL worker as a sensitive action is scored in its workflow, before the workflow task completes [action.scoring]: the request in flight is decided once, its retry returns the same grant', async () => {
    const agent = await world.agent('Scored across a crash');
    const input = {
      tool: world.crm,
      operation: 'read_customer',
      resourceId: 'cust-1',
      idempotencyKey: `scored-${stack.tag}`,
    };
    stack.worker!.arm('action.scoring');
    const inFlight = later(requestAction(agent, input));
    await stack.worker!.reached('action.scoring');
    await killAndRestartWorker(stack);

    const first = await inFlight;
    expect(first).toMatchObject({
      status: 'ALLOWED',
      decision: 'ALLOW',
      workflowId: `action:${first.id}`,
      grant: { scope: ['read_customer'] },
    });
    const retry = await requestAction(agent, input);
    expect(retry).toEqual(first);
    expect(recordedJtiOf(await recordedAction(stack, agent.id, first.id))).toBe(jtiOf(first.grant));
    expect(await runsOf(stack, `action:${first.id}`)).toBe(1);
    await expectAuditOnce(stack, world.security, first.id, 'io.warden.action.decided');
    await expectLearned(agent.id, 1);
  });

  it("SIGKILL worker as a routine action is scored in the agent's workflow, before its workflow task completes [action.routine.scoring]: decided once, its retry returns the same grant", async () => {
    const agent = await world.agent('Routine across a crash');
    const input = {
      tool: world.crm,
      operation: 'update_ticket',
      resourceId: 'ticket-1',
      idempotencyKey: `routine-${stack.tag}`,
    };
    stack.worker!.arm('action.routine.scoring');
    const inFlight = later(requestAction(agent, input));
    await stack.worker!.reached('action.routine.scoring');
    await killAndRestartWorker(stack);

    const first = await inFlight;
    expect(first).toMatchObject({
      status: 'ALLOWED',
      decision: 'ALLOW',
      workflowId: agentWorkflowId(agent.id),
      grant: { scope: ['update_ticket'] },
    });
    const retry = await requestAction(agent, input);
    expect(retry).toEqual(first);
    // Decided in the agent's workflow, recorded there once; no action workflow of its own.
    const routine = await stack.client.workflow.getHandle(agentWorkflowId(agent.id)).query(listRoutineActionsQuery);
    expect(routine.filter((a) => a.id === first.id).map(recordedJtiOf)).toEqual([jtiOf(first.grant)]);
    expect((await stack.client.workflow.count(`WorkflowId = 'action:${first.id}'`)).count).toBe(0);
    await expectAuditOnce(stack, world.security, first.id, 'io.warden.action.decided');
    await expectLearned(agent.id, 1);
  });

  it('SIGKILL worker right after a hard-denied action contained its agent [action.agent-contained]: DENIED, no grant, contained exactly once', async () => {
    const agent = await world.agent('Contained across a crash', denyPolicy(world.bank));
    const input = { tool: world.bank, operation: 'transfer', amount: 250_000, idempotencyKey: `wire-${stack.tag}` };
    stack.worker!.arm('action.agent-contained');
    const inFlight = later(requestAction(agent, input));
    await stack.worker!.reached('action.agent-contained');
    await killAndRestartWorker(stack);

    const first = await inFlight;
    expect(first).toMatchObject({ status: 'DENIED', decision: 'DENY', contained: true, grant: null });
    const recorded = (await recordedAction(stack, agent.id, first.id))!;
    expect(recorded).toMatchObject({ status: 'DENIED', recordedGrant: null, contained: true });
    expect(await runsOf(stack, `action:${first.id}`)).toBe(1);
    await eventually(
      async () => (await stack.client.workflow.getHandle(`action:${first.id}`).describe()).status.name === 'COMPLETED',
      LONG,
    );

    // Contained once: one universal logout, the agent suspended, its tokens dead, its owner told once.
    const state = await stack.client.workflow.getHandle(agentWorkflowId(agent.id)).query(getAgentQuery);
    expect(state.status).toBe('SUSPENDED');
    expect(state.events.filter((e) => e.kind === 'UNIVERSAL_LOGOUT')).toHaveLength(1);
    expect((await agent.gql(`{ viewer { kind } }`)).status).toBe(401);
    const loggedOut = () =>
      distinctNotices(webhook).filter((n) => n.agentId === agent.id && n.subject.includes('logged out everywhere'));
    await eventually(async () => loggedOut().length > 0, LONG);
    await new Promise((r) => setTimeout(r, 1000));
    expect(loggedOut()).toHaveLength(1);
    // The security team sees the denial recorded once, and the containment once.
    await expectAuditOnce(stack, world.security, first.id, 'io.warden.action.decided');
    await expectAuditOnce(stack, world.security, first.id, 'io.warden.agent.contained');
    expect(await learnedCount(stack, agent.id)).toBe(0);
  });
});
