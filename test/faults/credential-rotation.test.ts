/**
 * Fault injection during an agent's credential rotation: the worker is SIGKILLed after it generated the
 * successor key pair and before the agent's workflow recorded it. After recovery the rotation happened
 * exactly once: one successor, the one the agent collects and that works, announced once; then the old
 * key retires on its timer.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importJWK, SignJWT, type JWK } from 'jose';
import { agentWorkflowId } from '../../domain/agents.js';
import { getAgentQuery } from '../../workflows/agent/messages.js';
import { startReceiver } from '../helpers/http-servers.js';
import { eventually } from '../helpers/stack.js';
import { registerTestAgent } from '../helpers/agents.js';
import {
  buildWorld,
  distinctNotices,
  killAndRestartWorker,
  later,
  LONG,
  startFaultStack,
  type FaultStack,
  type World,
} from './helpers.js';

/** A forced rotation leaves the old key valid for a quarter of this (10 s), counted from the successor's issue. */
const AGENT_MAX_AGE = '40s';

let stack: FaultStack;
let world: World;
let webhook: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  webhook = await startReceiver();
  stack = await startFaultStack({
    env: { WARDEN_NOTIFY_WEBHOOK_URL: webhook.url, WARDEN_AGENT_CREDENTIAL_MAX_AGE: AGENT_MAX_AGE },
  });
  await stack.startWorker();
  await stack.startApi();
  world = await buildWorld(stack);
});

afterAll(async () => {
  await stack?.stop();
  await webhook?.close();
});

beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(stack.outputs())));

/** client_credentials with private_key_jwt, signed with `key`: the HTTP status. */
async function tokenStatus(agentId: string, key: JWK): Promise<number> {
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: key.kid as string })
    .setIssuer(agentId)
    .setSubject(agentId)
    .setAudience(stack.config.credentials.tokenEndpoint)
    .setIssuedAt()
    .setExpirationTime('60s')
    .setJti(randomUUID())
    .sign(await importJWK(key, 'ES256'));
  const res = await fetch(`${stack.api.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
  return res.status;
}

describe('kill point during a credential rotation', () => {
  it('SIGKILL worker during a credential rotation, its successor key generated but not recorded [credential.rotation.key-issued]: exactly one successor, collected, working; the old key retires on its timer', async () => {
    const agent = await registerTestAgent(stack as never, world.admin, {
      name: 'Rotated across a crash',
      ownerEmail: world.owner,
      allowedTools: [],
    });
    const accessToken = await agent.token();
    stack.worker!.arm('credential.rotation.key-issued');
    const rotating = later(
      stack.gql<any>(
        `mutation($i: RotateAgentCredentialInput!) { rotateAgentCredential(input: $i) { agent { successorCredential { kid } } } }`,
        { i: { agentId: agent.id } },
        world.ownerToken,
      ),
    );
    await stack.worker!.reached('credential.rotation.key-issued');
    await killAndRestartWorker(stack);

    const rotated = await rotating;
    expect(rotated.errors, JSON.stringify(rotated.errors)).toBeUndefined();
    const successorKid = rotated.data.rotateAgentCredential.agent.successorCredential.kid as string;
    const collected = await stack.gql<any>(
      `mutation { collectCredentialSuccessor { kid privateJwk } }`,
      {},
      accessToken,
    );
    expect(collected.errors).toBeUndefined();
    const next = collected.data.collectCredentialSuccessor as { kid: string; privateJwk: JWK };
    expect(next.kid).toBe(successorKid);
    expect(await tokenStatus(agent.id, next.privateJwk)).toBe(200); // takes the successor up

    // One rotation: one event naming that key, one "new credential ready" notice naming it.
    const events = async () =>
      (await stack.client.workflow.getHandle(agentWorkflowId(agent.id)).query(getAgentQuery)).events;
    const started = (await events()).filter((e) => e.kind === 'CREDENTIAL_ROTATION_STARTED');
    expect(started.map((e) => e.details?.successorKid)).toEqual([successorKid]);
    const notices = () =>
      distinctNotices(webhook).filter((n) => n.agentId === agent.id && n.text.includes('successor credential'));
    await eventually(async () => notices().length > 0, LONG);
    expect(notices().map((n) => /\(([^)]+)\) was issued/.exec(n.text)?.[1])).toEqual([successorKid]);

    // The old key's overlap ends on its timer: then only the successor works, and the agent stays ACTIVE.
    const state = await eventually(async () => {
      const s = await stack.client.workflow.getHandle(agentWorkflowId(agent.id)).query(getAgentQuery);
      return s.credential?.kid === successorKid && s;
    }, LONG);
    expect(state.status).toBe('ACTIVE');
    expect(state.events.filter((e) => e.kind.startsWith('CREDENTIAL_')).map((e) => e.kind)).toEqual([
      'CREDENTIAL_ROTATION_STARTED',
      'CREDENTIAL_ROTATED',
    ]);
    expect(await tokenStatus(agent.id, agent.privateJwk)).toBe(401);
    expect(await tokenStatus(agent.id, next.privateJwk)).toBe(200);
  });
});
