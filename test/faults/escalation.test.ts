/**
 * Fault injection on an approval's escalation timer: the worker is SIGKILLed while a held action waits with
 * an escalation due, stays dead past the moment it was due, and a new worker fires the escalation once —
 * one notification to the next tier, one audit record — and the next tier's decision completes once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, inject, it } from 'vitest';
import { actionWorkflowId } from '../../domain/actions.js';
import { getActionQuery } from '../../workflows/action/messages.js';
import { startReceiver } from '../helpers/http-servers.js';
import { eventually } from '../helpers/stack.js';
import {
  ACTION_FIELDS,
  buildWorld,
  distinctNotices,
  expectAuditOnce,
  LONG,
  requestAction,
  runsOf,
  startFaultStack,
  type FaultStack,
  type World,
} from './helpers.js';

const ESCALATE_AFTER_S = 4;
let stack: FaultStack;
let world: World;
let webhook: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(inject('runDir'), 'escalation-'));
  const policy = path.join(dir, 'approval-policy.yaml');
  fs.writeFileSync(
    policy,
    `version: 1
rules:
  - name: escalating
    match: { sensitivity: [CRITICAL] }
    deciders: [owner]
    escalate:
      - after: ${ESCALATE_AFTER_S}s
        to: [security]
    deadline: 10m
default:
  deciders: [owner, security]
`,
  );
  webhook = await startReceiver();
  stack = await startFaultStack({ env: { WARDEN_NOTIFY_WEBHOOK_URL: webhook.url, WARDEN_APPROVAL_POLICY: policy } });
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
const escalations = (actionId: string) =>
  distinctNotices(webhook).filter(
    (n) => (n as { actionId?: string }).actionId === actionId && n.subject.startsWith('Escalated'),
  );

it('SIGKILL worker while an escalation timer is pending: after restart it fires once, and the decision completes once', async () => {
  const agent = await world.agent('Payer with an escalation');
  const held = await requestAction(agent, {
    tool: world.bank,
    operation: 'transfer',
    amount: 1200,
    idempotencyKey: `escalate-${stack.tag}`,
  });
  expect(held).toMatchObject({ status: 'PENDING_APPROVAL' });
  // Security may not decide yet: the rule names only the owner until the escalation.
  const early = await stack.gql<any>(APPROVE, { id: held.id, c: 'too early' }, world.security);
  expect(early.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

  const dead = stack.worker!;
  await dead.kill();
  expect(dead.child.signalCode).toBe('SIGKILL');
  // Dead past the moment the escalation was due: the timer fires in Temporal, nobody runs it.
  await new Promise((r) => setTimeout(r, (ESCALATE_AFTER_S + 2) * 1000));
  expect(escalations(held.id)).toHaveLength(0);
  await stack.startWorker();

  await eventually(async () => escalations(held.id).length === 1, LONG);
  const handle = stack.client.workflow.getHandle(actionWorkflowId(held.id));
  expect((await handle.query(getActionQuery)).approval).toMatchObject({ level: 1 });
  const approved = await stack.gql<any>(APPROVE, { id: held.id, c: 'escalated to me' }, world.security);
  expect(approved.errors, JSON.stringify(approved.errors)).toBeUndefined();
  expect(approved.data.approveAction.action).toMatchObject({ status: 'APPROVED' });

  await expectAuditOnce(stack, world.security, held.id, 'io.warden.action.escalated');
  await expectAuditOnce(stack, world.security, held.id, 'io.warden.action.approved');
  await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', LONG);
  expect(escalations(held.id)).toHaveLength(1);
  expect(await runsOf(stack, actionWorkflowId(held.id))).toBe(1);
  const history = await handle.fetchHistory();
  const timers = history.events!.filter((e) => e.timerFiredEventAttributes);
  expect(timers).toHaveLength(1);
});
