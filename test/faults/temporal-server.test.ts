/**
 * Fault injection in Temporal itself: this file's own dev server (its own SQLite file, so nothing else in
 * the run is disturbed) is SIGKILLed while an action is being decided — the worker stopped at
 * `action.scoring`, the agent's request in flight — while one action waits for approval and another waits
 * for its approval deadline. The server is started again on the same database file and port; the worker
 * that was mid-decision is gone too (SIGKILL) and a new one starts. Nothing is lost: the decision is made
 * once and a retry returns it, the pending approval can still be approved, the deadline's timer still fires.
 */
import net from 'node:net';
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { actionWorkflowId } from '../../domain/actions.js';
import { startDevServer, type DevServer } from '../../temporal/dev-server.js';
import { getActionQuery } from '../../workflows/action/messages.js';
import { freePort } from '../../launcher/ports.js';
import { eventually } from '../helpers/stack.js';
import type { TestAgent } from '../helpers/agents.js';
import {
  ACTION_FIELDS,
  buildWorld,
  expectAuditChainIntact,
  expectAuditOnce,
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

let dataDir: string;
let ports: { port: number; uiPort: number };
let temporal: DevServer | undefined;
/** Decides actions; one of its actions waits for approval (24 h deadline). */
let stack: FaultStack;
/** Its held action's approval deadline falls due after the crash. */
let expiring: FaultStack;
let world: World;
let expiringWorld: World;

function startTemporal(): Promise<DevServer> {
  return startDevServer({
    dataDir,
    dbFile: path.join(dataDir, 'temporal.db'), // the same file every time: that is the point
    ip: '127.0.0.1',
    ...ports,
    namespace: 'default',
    logFile: path.join(dataDir, 'temporal.log'),
    env: { ...process.env, TEMPORAL_CLI: inject('temporalCli') },
  });
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

/** SIGKILL: the server gets no chance to flush or shut down; resolves once its process and port are gone. */
async function killTemporal(server: DevServer): Promise<void> {
  const pid = server.pid;
  if (pid === undefined) throw new Error('the dev server has no pid (started through the SDK download?)');
  process.kill(pid, 'SIGKILL');
  await eventually(async () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }, 30_000);
  await eventually(() => portIsFree(ports.port), 30_000);
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(inject('runDir'), 'faults-temporal-'));
  ports = { port: await freePort(), uiPort: await freePort() };
  temporal = await startTemporal();
  [stack, expiring] = await Promise.all([
    startFaultStack({ env: { TEMPORAL_ADDRESS: temporal.address } }),
    startFaultStack({ env: { TEMPORAL_ADDRESS: temporal.address, WARDEN_APPROVAL_TIMEOUT: '20s' } }),
  ]);
  await Promise.all([stack.startWorker(), expiring.startWorker()]);
  await Promise.all([stack.startApi(), expiring.startApi()]);
  [world, expiringWorld] = await Promise.all([buildWorld(stack), buildWorld(expiring)]);
});

afterAll(async () => {
  await Promise.all([stack?.stop(), expiring?.stop()]);
  await temporal?.stop();
});

beforeEach(({ onTestFailed }) =>
  onTestFailed(() => {
    const log = path.join(dataDir, 'temporal.log');
    const lines = fs.existsSync(log)
      ? fs
          .readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => !/Failed to poll for task|network dial error/.test(l))
      : [];
    console.error(`${stack.outputs()}\n${expiring.outputs()}\n--- end of ${log} ---\n${lines.slice(-30).join('\n')}`);
  }),
);

const APPROVE = `mutation($id: ID!) { approveAction(input: { actionId: $id, comment: "after the crash" }) { action { ${ACTION_FIELDS} } } }`;

describe('kill point: the Temporal server itself', () => {
  it('SIGKILL the Temporal server while an action is being scored, an approval waits and a deadline is pending [Temporal server killed at action.scoring]: restarted on the same database, nothing lost, nothing twice', async () => {
    const payer: TestAgent = await world.agent('Payer across a server crash');
    const reader: TestAgent = await world.agent('Reader across a server crash');
    const late: TestAgent = await expiringWorld.agent('Payer whose approval expires');
    const transfer = (w: World, key: string) => ({
      tool: w.bank,
      operation: 'transfer',
      amount: 900,
      idempotencyKey: key,
    });
    const readInput = {
      tool: world.crm,
      operation: 'read_customer',
      resourceId: 'cust-9',
      idempotencyKey: `read-${stack.tag}`,
    };

    const waiting = await requestAction(payer, transfer(world, `wait-${stack.tag}`));
    expect(waiting.status).toBe('PENDING_APPROVAL');
    const toExpire = await requestAction(late, transfer(expiringWorld, `expire-${expiring.tag}`));
    expect(toExpire.status).toBe('PENDING_APPROVAL');
    await reader.token();

    // Mid-decision: the worker is stopped inside scoring, the agent's Update-with-Start is in flight. Kill the server.
    stack.worker!.arm('action.scoring');
    const inFlight = later(requestAction(reader, readInput));
    await stack.worker!.reached('action.scoring');
    await killTemporal(temporal!);
    const frozen = stack.worker!;

    temporal = await startTemporal();
    expect(temporal.address).toBe(stack.config.temporal.address);
    await killAndRestartWorker(stack);
    expect(frozen.child.signalCode).toBe('SIGKILL');

    // The request in flight either got its decision or failed with the server (then the agent retries);
    // either way the retry with the same key returns one decision, with one grant.
    const settled = await inFlight.then(
      (action) => ({ action }),
      (error: Error) => ({ error }),
    );
    const retry = await requestAction(reader, readInput);
    expect(retry).toMatchObject({ status: 'ALLOWED', decision: 'ALLOW', grant: { scope: ['read_customer'] } });
    if ('action' in settled) expect(settled.action).toEqual(retry);
    expect(jtiOf((await requestAction(reader, readInput)).grant)).toBe(jtiOf(retry.grant));
    const recorded = await stack.client.workflow.getHandle(actionWorkflowId(retry.id)).query(getActionQuery);
    expect(recordedJtiOf(recorded)).toBe(jtiOf(retry.grant));
    expect(await runsOf(stack, actionWorkflowId(retry.id))).toBe(1);
    await expectAuditOnce(stack, world.security, retry.id, 'io.warden.action.decided');
    await eventually(async () => (await learnedCount(stack, reader.id)) === 1, LONG);

    // The approval that waited across the crash is still waiting, and approving it works — once.
    expect((await stack.client.workflow.getHandle(actionWorkflowId(waiting.id)).query(getActionQuery)).status).toBe(
      'PENDING_APPROVAL',
    );
    const approved = await stack.gql<any>(APPROVE, { id: waiting.id }, world.ownerToken);
    expect(approved.errors, JSON.stringify(approved.errors)).toBeUndefined();
    const approvedAction = approved.data.approveAction.action as ActionView;
    expect(approvedAction).toMatchObject({ id: waiting.id, status: 'APPROVED' });
    const payerView = await requestAction(payer, transfer(world, `wait-${stack.tag}`));
    expect(payerView).toMatchObject({ id: waiting.id, status: 'APPROVED', grant: { scope: ['transfer'] } });
    expect((await stack.gql<any>(APPROVE, { id: waiting.id }, world.ownerToken)).errors?.[0]?.extensions?.code).toBe(
      'CONFLICT',
    );
    await expectAuditOnce(stack, world.security, waiting.id, 'io.warden.action.approved');

    // The deadline's timer, set before the crash, fires after it: EXPIRED (which means denied), no grant, recorded
    // once.
    const expired = await eventually(async () => {
      const a = await expiring.client.workflow.getHandle(actionWorkflowId(toExpire.id)).query(getActionQuery);
      return a.status === 'EXPIRED' && a;
    }, LONG);
    expect(expired).toMatchObject({ recordedGrant: null, approval: { decision: 'EXPIRE' } });
    await expectAuditOnce(expiring, expiringWorld.security, toExpire.id, 'io.warden.action.expired');

    await expectAuditChainIntact(stack, world.security);
    await expectAuditChainIntact(expiring, expiringWorld.security);
  });
});
