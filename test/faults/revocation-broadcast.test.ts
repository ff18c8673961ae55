/**
 * Fault injection on the revocation broadcast's receiving end: two API processes of one deployment, each
 * holding an agent's view for ten minutes (WARDEN_REVOCATION_CACHE), so that only a notice — pushed by the
 * first, or through the broadcast workflow — can tell the second one of a containment the first decided.
 * The second is SIGKILLed and started again on its port (as behind a load balancer): the new process listens
 * again, the first pushes to it again, and it refuses the next contained agent's earlier tokens at once —
 * nothing it had before the kill is needed. With the push lane down (the first cannot reach its push
 * address), the broadcast still tells it at once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../launcher/ports.js';
import type { Part } from '../../launcher/part.js';
import { eventually } from '../helpers/stack.js';
import { awaitRevocationsUpdate, revocationBroadcastWorkflowId } from '../../workflows/revocation-broadcast.js';
import {
  ALLOW_AND_REVIEW_POLICY,
  buildWorld,
  FAULT_TEST_TIMEOUT,
  LONG,
  requestAction,
  startFaultStack,
  type FaultStack,
  type World,
} from './helpers.js';

let stack: FaultStack;
let world: World;
let otherPort: number;
let other: Part;

beforeAll(async () => {
  stack = await startFaultStack({ env: { WARDEN_REVOCATION_CACHE: '10m' } });
  await stack.startWorker();
  await stack.startApi();
  otherPort = await freePort();
  other = await stack.startOtherApi(otherPort);
  world = await buildWorld(stack);
});

afterAll(() => stack?.stop());

beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(stack.outputs())));

/** Every MEDIUM request is held above the containment threshold: the agent is contained at once. */
const CONTAIN_ON_MEDIUM = {
  ...ALLOW_AND_REVIEW_POLICY,
  thresholds: { ...ALLOW_AND_REVIEW_POLICY.thresholds, MEDIUM: { review: 0, contain: 0 } },
};

/** A counter or gauge of a process's /metrics (0 when it has no sample yet). */
const metric = async (port: number, name: string) => {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
};
const firstPort = () => Number(new URL(stack.api.url).port);
const heardVia = (via: string) => metric(otherPort, `warden_containment_seconds_count{via="${via}"}`);

const viewerStatus = async (port: number, token: string) =>
  (
    await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"query":"{ viewer { kind } }"}',
    })
  ).status;

/** Contains the agent through the first API process; its token from before must then be refused by the other. */
async function containedThroughTheFirst(name: string, key: string) {
  const agent = await world.agent(name, CONTAIN_ON_MEDIUM);
  const before = await agent.token();
  expect(await viewerStatus(otherPort, before)).toBe(200); // the other process now holds its view for ten minutes
  const action = await requestAction(agent, {
    tool: world.crm,
    operation: 'read_customer',
    resourceId: 'cust-1',
    idempotencyKey: key,
  });
  expect(action).toMatchObject({ status: 'PENDING_APPROVAL', contained: true });
  expect(await viewerStatus(Number(new URL(stack.api.url).port), before)).toBe(401);
  // Well inside the ten minutes its view is good for: only the broadcast can have told it.
  await eventually(async () => (await viewerStatus(otherPort, before)) === 401, 20_000);
  // And the agent's workflow recorded the containment, once.
  const events = await eventually(async () => {
    const r = await stack.gql<any>(
      `query($id: ID!) { agent(id: $id) { status events { reason } } }`,
      { id: agent.id },
      world.admin,
    );
    return r.data?.agent.status === 'SUSPENDED' ? (r.data.agent.events as { reason: string }[]) : undefined;
  }, LONG);
  expect(events.filter((e) => e.reason.includes(action.id))).toHaveLength(1);
}

describe('the revocation broadcast, with the receiving API process killed', () => {
  it(
    'SIGKILL the other API process and start it again: it listens again, and refuses the next contained agent at once',
    async () => {
      await containedThroughTheFirst('Contained before the kill', `c1-${stack.tag}`);

      await other.kill();
      expect(other.child.signalCode).toBe('SIGKILL');
      other = await stack.startOtherApi(otherPort);
      // The first process learns of the new one from the broadcast, and pushes to it.
      await eventually(async () => (await metric(firstPort(), 'warden_revocation_push_peers')) === 1, 20_000);

      await containedThroughTheFirst('Contained after the kill', `c2-${stack.tag}`);
      expect(await heardVia('pushed')).toBeGreaterThanOrEqual(1);
    },
    FAULT_TEST_TIMEOUT,
  );

  it(
    'with the push lane down, the broadcast still tells the other process at once',
    async () => {
      await other.kill();
      // Started on another port, naming a push address nobody listens on: every push to it fails (and to
      // the killed processes' addresses, which the broadcast still lists for a minute).
      const deadUrl = `http://127.0.0.1:${await freePort()}/revocations/notices`;
      otherPort = await freePort();
      other = await stack.startOtherApi(otherPort, { WARDEN_API_PUSH_URL: deadUrl });
      // The broadcast lists it; the first process knows every other address it lists.
      const broadcast = stack.client.workflow.getHandle(revocationBroadcastWorkflowId(stack.config.temporal.taskQueue));
      const listed = await eventually(async () => {
        const { subscribers } = await broadcast.executeUpdate(awaitRevocationsUpdate, {
          args: [{ cursor: null, waitMs: 0 }],
        });
        return subscribers.some((s) => s.pushUrl === deadUrl) ? subscribers : undefined;
      }, 20_000);
      const others = new Set(listed.map((s) => s.pushUrl).filter((u) => new URL(u).port !== String(firstPort())));
      await eventually(async () => (await metric(firstPort(), 'warden_revocation_push_peers')) === others.size, 20_000);
      const failedBefore = await metric(firstPort(), 'warden_revocation_pushes_total{outcome="failed"}');

      await containedThroughTheFirst('Contained with the push lane down', `c3-${stack.tag}`);
      expect(await heardVia('pushed')).toBe(0);
      expect(await heardVia('broadcast')).toBeGreaterThanOrEqual(1);
      expect(await metric(firstPort(), 'warden_revocation_pushes_total{outcome="failed"}')).toBeGreaterThan(
        failedBefore,
      );
    },
    FAULT_TEST_TIMEOUT,
  );
});
