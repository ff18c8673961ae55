/**
 * Fault injection while actions wait for a person: the worker is SIGKILLed while held actions wait (one of
 * them mid-way through sending its "approval needed" notification), people approve and deny while no worker
 * runs, and a new worker applies each decision exactly once. Then the worker is killed again, this time
 * after an approval's grant was recorded and before it was returned.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actionWorkflowId } from '../../domain/actions.js';
import { getActionQuery } from '../../workflows/action/messages.js';
import { startReceiver } from '../helpers/http-servers.js';
import { eventually } from '../helpers/stack.js';
import type { TestAgent } from '../helpers/agents.js';
import {
  ACTION_FIELDS,
  buildWorld,
  distinctNotices,
  expectAuditOnce,
  GET_ACTION,
  jtiOf,
  recordedJtiOf,
  killAndRestartWorker,
  later,
  learnedCount,
  LONG,
  requestAction,
  runsOf,
  startFaultStack,
  type ActionView,
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

const APPROVE = `mutation($id: ID!, $c: String) { approveAction(input: { actionId: $id, comment: $c }) { action { ${ACTION_FIELDS} } } }`;
const DENY = `mutation($id: ID!, $r: String!) { denyAction(input: { actionId: $id, reason: $r }) { action { ${ACTION_FIELDS} } } }`;

/** A transfer on the bank (outside the agent's allowed tools): held for a person, not contained. */
const transfer = (key: string) => ({ tool: world.bank, operation: 'transfer', amount: 1200, idempotencyKey: key });

async function hold(agent: TestAgent, key: string): Promise<ActionView> {
  const held = await requestAction(agent, transfer(key));
  expect(held).toMatchObject({ status: 'PENDING_APPROVAL', decision: 'REVIEW', contained: false, grant: null });
  return held;
}

/** "Approval needed" notifications the webhook received about this agent (each once: delivery is at least once). */
const approvalNotices = (agentId: string) =>
  distinctNotices(webhook).filter((n) => n.agentId === agentId && n.subject.startsWith('Approval needed'));

async function recorded(actionId: string) {
  return stack.client.workflow.getHandle(actionWorkflowId(actionId)).query(getActionQuery);
}

describe('kill points while approvals wait', () => {
  let agent: TestAgent;
  const keys = () => ({
    approve: `approve-${stack.tag}`,
    deny: `deny-${stack.tag}`,
    notified: `notified-${stack.tag}`,
  });

  it('SIGKILL worker while an approval waits, mid-way through its notification [notification.sending]: decisions made meanwhile apply once, no grant for the denied one', async () => {
    agent = await world.agent('Payer across a crash');
    const toApprove = await hold(agent, keys().approve);
    const toDeny = await hold(agent, keys().deny);
    await eventually(async () => approvalNotices(agent.id).length === 2, LONG);

    // The third held action's notification is on its way when the worker stops and dies.
    stack.worker!.arm('notification.sending');
    const notified = await hold(agent, keys().notified);
    await stack.worker!.reached('notification.sending');
    const dead = stack.worker!;
    await dead.kill();
    expect(dead.child.signalCode).toBe('SIGKILL');

    // People decide while no worker runs: the Updates wait in Temporal.
    const approving = later(stack.gql<any>(APPROVE, { id: toApprove.id, c: 'paid by the book' }, world.ownerToken));
    const denying = later(stack.gql<any>(DENY, { id: toDeny.id, r: 'not on the vendor list' }, world.security));
    const approvingNotified = later(stack.gql<any>(APPROVE, { id: notified.id, c: 'ok' }, world.ownerToken));
    await stack.startWorker();

    const [approved, denied, approvedNotified] = await Promise.all([approving, denying, approvingNotified]);
    for (const res of [approved, denied, approvedNotified])
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(approved.data.approveAction.action).toMatchObject({
      status: 'APPROVED',
      approval: { decidedBy: world.owner, decision: 'APPROVE' },
    });
    expect(denied.data.denyAction.action).toMatchObject({
      status: 'DENIED',
      grant: null,
      approval: { decision: 'DENY' },
    });
    expect(approvedNotified.data.approveAction.action).toMatchObject({ status: 'APPROVED' });

    // Approved: one grant, the same one wherever it is read. Denied: no grant, anywhere.
    for (const [held, key] of [
      [toApprove, keys().approve],
      [notified, keys().notified],
    ] as const) {
      const rec = await recorded(held.id);
      expect(rec).toMatchObject({ status: 'APPROVED', recordedGrant: { jti: expect.any(String) } });
      const seen = (await agent.gql<any>(GET_ACTION, { id: held.id })).data.actionRequest as ActionView;
      expect(jtiOf(seen.grant)).toBe(recordedJtiOf(rec));
      const retry = await requestAction(agent, transfer(key));
      expect(retry).toMatchObject({ id: held.id, status: 'APPROVED' });
      expect(jtiOf(retry.grant)).toBe(recordedJtiOf(rec));
      expect(await runsOf(stack, actionWorkflowId(held.id))).toBe(1);
    }
    const deniedRecord = await recorded(toDeny.id);
    expect(deniedRecord?.recordedGrant).toBeNull();
    expect(deniedRecord).toMatchObject({
      status: 'DENIED',
      approval: { decidedBy: `security-${stack.tag}@example.com` },
    });
    const deniedRetry = await requestAction(agent, transfer(keys().deny));
    expect(deniedRetry).toMatchObject({ id: toDeny.id, status: 'DENIED', grant: null });

    // A second decision is refused; the audit trail holds each decision once.
    const again = await stack.gql<any>(APPROVE, { id: toApprove.id }, world.ownerToken);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const late = await stack.gql<any>(APPROVE, { id: toDeny.id }, world.ownerToken);
    expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await expectAuditOnce(stack, world.security, toApprove.id, 'io.warden.action.approved');
    await expectAuditOnce(stack, world.security, notified.id, 'io.warden.action.approved');
    await expectAuditOnce(stack, world.security, toDeny.id, 'io.warden.action.denied');
    expect(await learnedCount(stack, agent.id)).toBe(2);

    // The notification the dead worker never sent goes out once the new worker retries it.
    await eventually(async () => approvalNotices(agent.id).length === 3, LONG);
    await eventually(
      async () =>
        (await stack.client.workflow.getHandle(actionWorkflowId(notified.id)).describe()).status.name === 'COMPLETED',
      LONG,
    );
    expect(approvalNotices(agent.id)).toHaveLength(3);
  });

  it("SIGKILL worker after an approval's grant is offered, before the workflow records it [action.grant-offered]: approved once, one grant", async () => {
    expect(agent, 'the previous test registered the agent').toBeDefined();
    const key = `approve-late-${stack.tag}`;
    const held = await hold(agent, key);
    const learnedBefore = await learnedCount(stack, agent.id);

    stack.worker!.arm('action.grant-offered');
    const approving = later(stack.gql<any>(APPROVE, { id: held.id, c: 'fine' }, world.ownerToken));
    await stack.worker!.reached('action.grant-offered');
    await killAndRestartWorker(stack);

    const approved = await approving;
    expect(approved.errors, JSON.stringify(approved.errors)).toBeUndefined();
    expect(approved.data.approveAction.action).toMatchObject({ id: held.id, status: 'APPROVED' });
    const rec = await recorded(held.id);
    expect(rec).toMatchObject({ status: 'APPROVED', recordedGrant: { jti: expect.any(String) } });
    const retry = await requestAction(agent, transfer(key));
    expect(jtiOf(retry.grant)).toBe(recordedJtiOf(rec));
    const seen = (await agent.gql<any>(GET_ACTION, { id: held.id })).data.actionRequest as ActionView;
    expect(jtiOf(seen.grant)).toBe(recordedJtiOf(rec));
    await expectAuditOnce(stack, world.security, held.id, 'io.warden.action.approved');
    await eventually(async () => (await learnedCount(stack, agent.id)) === learnedBefore + 1, LONG);
    await new Promise((r) => setTimeout(r, 500));
    expect(await learnedCount(stack, agent.id)).toBe(learnedBefore + 1);
  });
});
