/**
 * Fault injection during a vault rotation: the worker is SIGKILLed after the tool's rotation endpoint issued
 * the new secret and before its answer reached the tool's workflow. After recovery the rotation happened
 * exactly once: the retry names the same rotation (idempotency key), so the upstream issued one new secret,
 * which is current in the vault and injected by the gateway.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStaticKeyApi } from '../helpers/http-servers.js';
import { eventually } from '../helpers/stack.js';
import { registerTestAgent } from '../helpers/agents.js';
import {
  ALLOW_AND_REVIEW_POLICY,
  buildWorld,
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
  // Rotation 3 s after a tool is registered; a long grace period, so no second rotation starts while the test looks.
  stack = await startFaultStack({ env: { WARDEN_VAULT_ROTATION: '3s', WARDEN_VAULT_GRACE: '10m' } });
  await stack.startWorker();
  await stack.startApi();
  world = await buildWorld(stack);
});

afterAll(() => stack?.stop());

beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(stack.outputs())));

describe('kill point during a vault rotation', () => {
  it('SIGKILL worker during a vault rotation, after the upstream issued the new secret [vault.rotation.upstream-called]: one new secret upstream, current in the vault, used by the gateway', async () => {
    const initial = `sk-live-${randomUUID()}`;
    const bank = await startStaticKeyApi(initial);
    const issued: string[] = [];
    const set = bank.keys.set.bind(bank.keys);
    bank.keys.set = (id: string, secret: string) => {
      issued.push(id);
      return set(id, secret);
    };
    try {
      const name = `vaulted-${stack.tag}`;
      stack.worker!.arm('vault.rotation.upstream-called'); // the rotation falls due on its timer, 3 s after registration
      const registered = await stack.gql<any>(
        `mutation($t: RegisterToolInput!) { registerTool(input: $t) { tool { name } } }`,
        {
          t: {
            name,
            authMode: 'VAULTED_SECRET',
            upstreamUrl: bank.url,
            secret: initial,
            rotationUrl: `${bank.url}/keys`,
            operations: [{ name: 'read_balance', sensitivity: 'MEDIUM', method: 'GET', path: '/accounts/{resource}' }],
          },
        },
        world.admin,
      );
      expect(registered.errors).toBeUndefined();
      const agent = await registerTestAgent(stack as never, world.admin, {
        name: 'Vault reader',
        ownerEmail: world.owner,
        allowedTools: [{ tool: name, operations: ['read_balance'] }],
      });
      const policy = await stack.gql(
        `mutation($id: ID!, $p: JSON) { setAgentRiskPolicy(input: { agentId: $id, policy: $p }) }`,
        { id: agent.id, p: ALLOW_AND_REVIEW_POLICY },
        world.admin,
      );
      expect(policy.errors).toBeUndefined();

      await stack.worker!.reached('vault.rotation.upstream-called', LONG);
      expect(issued).toEqual(['k1']); // the upstream issued the new secret; the workflow never heard
      await killAndRestartWorker(stack);

      // The retried rotation (same idempotency key) gets the same secret back: the vault holds it as current.
      const vault = await eventually(async () => {
        const res = await stack.gql<any>(
          `{ tools { name vault { currentSecretId rotations lastError } } }`,
          {},
          world.admin,
        );
        const v = res.data?.tools.find((t: { name: string }) => t.name === name)?.vault;
        return v?.rotations >= 1 && v;
      }, LONG);
      expect(vault).toEqual({ currentSecretId: 'k1', rotations: 1, lastError: null });
      expect(issued).toEqual(['k1']);
      expect([...bank.keys.keys()].sort()).toEqual(['initial', 'k1']); // the old one stays valid through its grace period

      // The gateway injects the new secret.
      const action = await requestAction(agent, {
        tool: name,
        operation: 'read_balance',
        resourceId: '42',
        idempotencyKey: `balance-${stack.tag}`,
      });
      expect(action.status).toBe('ALLOWED');
      const res = await fetch(`${stack.api.url}/gateway/${name}/accounts/42`, {
        headers: { authorization: `Bearer ${action.grant!.token}`, 'warden-volume': '1' },
      });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(bank.seen.at(-1)!.key).toBe(`Bearer ${bank.keys.get('k1')}`);
    } finally {
      await bank.close();
    }
  });
});
