/**
 * Durability of a held action: the worker is killed (SIGKILL, a real process) while an approval waits;
 * the approver decides while no worker runs; a new worker picks it up. The decision applies exactly once:
 * one approval in history, one grant, one audit record of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionWorkflowId } from '../domain/actions.js';
import { registerTestAgent } from './helpers/agents.js';
import { startSplitStack, type SplitStack } from './helpers/split-stack.js';
import { eventually, type Stack } from './helpers/stack.js';

let stack: SplitStack;

beforeAll(async () => {
  stack = await startSplitStack();
  await stack.startWorker();
});
afterAll(() => stack?.stop());

describe('a worker killed while an approval waits', () => {
  it('the decision still applies, exactly once', async () => {
    const admin = await stack.token(`admin-${stack.tag}@example.com`, ['admin']);
    const owner = `owner-${stack.tag}@example.com`;
    await stack.gql(
      `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
      { i: { email: owner, displayName: 'Owner', roles: ['APPROVER'] } },
      admin,
    );
    const tools = await stack.gql(
      `mutation($t: RegisterToolInput!) { registerTool(input: $t) { tool { name } } }`,
      {
        t: {
          name: `bank-${stack.tag}`,
          resource: 'https://bank.example.com/api/',
          authMode: 'WARDEN_JWT',
          operations: [{ name: 'transfer', sensitivity: 'CRITICAL' }],
        },
      },
      admin,
    );
    expect(tools.errors).toBeUndefined();
    const agent = await registerTestAgent(stack as unknown as Stack, admin, {
      name: 'Payer',
      ownerEmail: owner,
      allowedTools: [],
    });
    const held = await agent.gql(
      `mutation($i: RequestActionInput!) { requestAction(input: $i) { action { id status } } }`,
      {
        i: {
          tool: `bank-${stack.tag}`,
          operation: 'transfer',
          amount: 100,
          volume: 1,
          justification: 'pay',
          idempotencyKey: 'pay-1',
        },
      },
    );
    const actionId = held.data.requestAction.action.id as string;
    expect(held.data.requestAction.action.status).toBe('PENDING_APPROVAL');
    const token = await agent.token();

    await stack.worker!.kill();
    // The approver decides while no worker runs: the Update waits in Temporal for one.
    const ownerToken = await stack.token(owner, ['approver']);
    const approving = stack.gql<any>(
      `mutation($id: ID!) { approveAction(input: { actionId: $id, comment: "ok" }) { action { status } } }`,
      { id: actionId },
      ownerToken,
    );
    await new Promise((r) => setTimeout(r, 1500));
    await stack.startWorker();
    const approved = await approving;
    expect(approved.errors).toBeUndefined();
    expect(approved.data.approveAction.action.status).toBe('APPROVED');

    // A second decision after the restart is refused; the state is APPROVED with one grant.
    const again = await stack.gql<any>(
      `mutation($id: ID!) { approveAction(input: { actionId: $id }) { action { status } } }`,
      { id: actionId },
      ownerToken,
    );
    expect(again.errors![0]!.extensions!.code).toBe('CONFLICT');
    const seen = await stack.gql<any>(
      `query($id: ID!) { actionRequest(id: $id) { status grant { token } } }`,
      { id: actionId },
      token,
    );
    expect(seen.data.actionRequest.status).toBe('APPROVED');
    expect(seen.data.actionRequest.grant.token).toMatch(/^ey/);

    // Exactly one accepted approval in the workflow's history.
    const history = await stack.client.workflow.getHandle(actionWorkflowId(actionId)).fetchHistory();
    const accepted = history.events!.filter(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'approveAction',
    );
    expect(accepted).toHaveLength(1);
    // …and exactly one approval record in the audit trail.
    const approvals = await eventually(async () => {
      const page = await stack.api.audit.query({ actionId, type: 'io.warden.action.approved' }, 10, null);
      return page && page.events.length > 0 ? page.events : undefined;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(
      (await stack.api.audit.query({ actionId, type: 'io.warden.action.approved' }, 10, null)).events,
    ).toHaveLength(approvals.length);
    expect(approvals).toHaveLength(1);
  });
});
