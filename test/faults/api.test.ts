/**
 * Fault injection in the API process: it is SIGKILLed in the middle of an agent's requestAction — once
 * before it asked Temporal anything, once after the decision was made but before the agent heard it. The
 * agent's connection breaks; it retries with the same idempotency key against a new API process (same
 * address, as behind a load balancer) and gets the original result: the same action, decision and grant.
 * And once after it issued a token: the audit record it spooled but never shipped is shipped by the next one.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WorkflowNotFoundError } from '@temporalio/client';
import { actionIdFor } from '../../api/services/action-ids.js';
import { actionWorkflowId } from '../../domain/actions.js';
import { agentWorkflowId } from '../../domain/agents.js';
import type { TestAgent } from '../helpers/agents.js';
import { eventually } from '../helpers/stack.js';
import {
  buildWorld,
  expectAuditOnce,
  jtiOf,
  recordedJtiOf,
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

beforeAll(async () => {
  stack = await startFaultStack();
  await stack.startWorker();
  await stack.startApi();
  world = await buildWorld(stack);
});

afterAll(() => stack?.stop());

beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(stack.outputs())));

/** SIGKILLs the API (stopped at its failpoint); the agent's request in flight fails with a broken connection. */
async function killApi(inFlight: Promise<unknown>) {
  const dead = stack.apiProcess!;
  await dead.kill();
  expect(dead.child.signalCode).toBe('SIGKILL');
  await expect(inFlight).rejects.toThrow();
}

async function expectLearned(agent: TestAgent, n: number) {
  await eventually(async () => (await learnedCount(stack, agent.id)) >= n, LONG);
  await new Promise((r) => setTimeout(r, 500));
  expect(await learnedCount(stack, agent.id)).toBe(n);
}

describe('kill points in the API process', () => {
  it('SIGKILL API mid-request, before it asked Temporal [api.request-action]: nothing was started; the retry is decided once', async () => {
    const agent = await world.agent('Caller of a dying API');
    const input = {
      tool: world.crm,
      operation: 'read_customer',
      resourceId: 'cust-7',
      idempotencyKey: `early-${stack.tag}`,
    };
    await agent.token(); // its access token, before the API is armed
    stack.apiProcess!.arm('api.request-action');
    const inFlight = later(requestAction(agent, input));
    await stack.apiProcess!.reached('api.request-action');
    await killApi(inFlight);

    // Nothing reached Temporal: there is no action workflow.
    const id = actionIdFor(agent.id, input.idempotencyKey);
    await expect(stack.client.workflow.getHandle(actionWorkflowId(id)).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );

    await stack.startApi();
    const first = await requestAction(agent, input);
    expect(first).toMatchObject({ id, status: 'ALLOWED', grant: { scope: ['read_customer'] } });
    expect(await requestAction(agent, input)).toEqual(first);
    expect(await runsOf(stack, actionWorkflowId(id))).toBe(1);
    await expectAuditOnce(stack, world.security, id, 'io.warden.action.decided');
    await expectLearned(agent, 1);
  });

  it('SIGKILL API mid-request, after the decision and before the answer [api.action-decided]: the retry returns the original decision and grant (sensitive and routine)', async () => {
    const agent = await world.agent('Caller who never heard back');
    await agent.token();
    const paths = [
      {
        what: 'sensitive',
        input: {
          tool: world.crm,
          operation: 'read_customer',
          resourceId: 'cust-8',
          idempotencyKey: `late-${stack.tag}`,
        },
        workflowId: (id: string) => actionWorkflowId(id),
      },
      {
        what: 'routine',
        input: {
          tool: world.crm,
          operation: 'update_ticket',
          resourceId: 'ticket-8',
          idempotencyKey: `late-routine-${stack.tag}`,
        },
        workflowId: () => agentWorkflowId(agent.id),
      },
    ];
    for (const [i, path] of paths.entries()) {
      stack.apiProcess!.arm('api.action-decided');
      const inFlight = later(requestAction(agent, path.input));
      await stack.apiProcess!.reached('api.action-decided');
      await killApi(inFlight);

      // Temporal holds the decision the agent never heard, with its grant (routine: recorded without its token).
      const id = actionIdFor(agent.id, path.input.idempotencyKey);
      const recorded = (await recordedAction(stack, agent.id, id))!;
      expect(recorded, path.what).toMatchObject({ id, status: 'ALLOWED', workflowId: path.workflowId(id) });
      expect(recordedJtiOf(recorded), path.what).toBeDefined();

      // A new API process hands out that grant: the very token, the same on every answer.
      await stack.startApi();
      const retry = await requestAction(agent, path.input);
      expect(retry, path.what).toMatchObject({
        id,
        status: 'ALLOWED',
        decision: 'ALLOW',
        workflowId: path.workflowId(id),
      });
      expect(jtiOf(retry.grant), path.what).toBe(recordedJtiOf(recorded));
      expect((await requestAction(agent, path.input)).grant!.token, path.what).toBe(retry.grant!.token);
      await expectAuditOnce(stack, world.security, id, 'io.warden.action.decided');
      await expectLearned(agent, i + 1);
    }
    expect(await runsOf(stack, actionWorkflowId(actionIdFor(agent.id, paths[0]!.input.idempotencyKey)))).toBe(1);
    expect(
      (
        await stack.client.workflow.count(
          `WorkflowId = '${actionWorkflowId(actionIdFor(agent.id, paths[1]!.input.idempotencyKey))}'`,
        )
      ).count,
    ).toBe(0);
  });

  it('SIGKILL API after a token is issued and its audit record spooled, before the answer [api.token-issued]: the next API process ships the record, once', async () => {
    const agent = await world.agent('Token taker of a dying API');
    const issued = async () => {
      const res = await stack.gql<any>(
        `query($f: AuditEventFilter) { auditEvents(first: 100, filter: $f) { edges { node { id } } } }`,
        { f: { agentId: agent.id, type: 'io.warden.token.issued' } },
        world.security,
      );
      expect(res.errors).toBeUndefined();
      return res.data.auditEvents.edges.length as number;
    };
    stack.apiProcess!.arm('api.token-issued');
    const inFlight = later(agent.token());
    await stack.apiProcess!.reached('api.token-issued');
    await killApi(inFlight);

    // The killed process never shipped its spool; the next one on the same data folder does, once.
    await stack.startApi();
    await eventually(async () => (await issued()) >= 1, LONG);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await issued()).toBe(1);
    await agent.token();
    await eventually(async () => (await issued()) >= 2, LONG);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await issued()).toBe(2);
  });
});
