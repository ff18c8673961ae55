/**
 * Fault injection in the audit trail's writer: the worker is SIGKILLed after a batch of records was
 * appended to the audit file (and fsynced) but before the writer workflow heard that it was. The retried
 * batch must not be written twice, and the hash chain must go on unbroken from where it stood.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/stack.js';
import {
  auditOf,
  buildWorld,
  expectAuditChainIntact,
  expectAuditOnce,
  killAndRestartWorker,
  LONG,
  requestAction,
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

describe('kill point in the audit trail', () => {
  it('SIGKILL worker after an audit batch is written, before the writer hears [audit.batch-written]: each record once, the chain unbroken', async () => {
    const agent = await world.agent('Audited across a crash');
    // Everything submitted so far (the agent's token) is written first, so the armed batch is the decision's.
    await agent.token();
    await eventually(async () => {
      const res = await stack.gql<any>(
        `query($f: AuditEventFilter) { auditEvents(first: 10, filter: $f) { edges { node { id } } } }`,
        { f: { agentId: agent.id, type: 'io.warden.token.issued' } },
        world.security,
      );
      return res.data?.auditEvents.edges.length > 0;
    }, LONG);
    stack.worker!.arm('audit.batch-written');
    const first = await requestAction(agent, {
      tool: world.crm,
      operation: 'read_customer',
      resourceId: 'cust-1',
      idempotencyKey: `audited-${stack.tag}`,
    });
    expect(first.status).toBe('ALLOWED');
    await stack.worker!.reached('audit.batch-written');
    // The record is in the file already; the writer workflow does not know it.
    expect(await auditOf(stack, world.security, first.id, 'io.warden.action.decided')).toHaveLength(1);
    await killAndRestartWorker(stack);

    // A decision after the crash: its record must follow the retried batch in one chain.
    const second = await requestAction(agent, {
      tool: world.crm,
      operation: 'read_customer',
      resourceId: 'cust-2',
      idempotencyKey: `audited-after-${stack.tag}`,
    });
    expect(second.status).toBe('ALLOWED');
    await expectAuditOnce(stack, world.security, second.id, 'io.warden.action.decided');
    await expectAuditOnce(stack, world.security, first.id, 'io.warden.action.decided');
    const [a] = await auditOf(stack, world.security, first.id, 'io.warden.action.decided');
    const [b] = await auditOf(stack, world.security, second.id, 'io.warden.action.decided');
    expect(b!.seq).toBeGreaterThan(a!.seq);
    await expectAuditChainIntact(stack, world.security);

    // Every record of the trail appears once: no seq and no id twice.
    const all = await stack.gql<any>(`{ auditEvents(first: 100) { edges { node { id seq } } } }`, {}, world.security);
    expect(all.errors, JSON.stringify(all.errors)).toBeUndefined();
    const nodes = all.data.auditEvents.edges.map((e: { node: { id: string; seq: number } }) => e.node);
    expect(new Set(nodes.map((n: { id: string }) => n.id)).size).toBe(nodes.length);
    expect(nodes.map((n: { seq: number }) => n.seq)).toEqual(nodes.map((_: unknown, i: number) => i + 1));
  });
});
