/**
 * Containment reaching every API process: the deciding process foresees a containment with the workflow's
 * own rules and holds the agent from the request on, pushing it straight to the other processes (a signed
 * notice) beside the broadcast workflow; the decision settles it. On the real server, with a second
 * "process" in the test (its own access views, broadcast and push endpoint on a real HTTP server); a push
 * from anyone but Warden is refused with a stable code and changes nothing.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentAccess } from '../api/services/agent-access.js';
import { FORESEEN_HOLD_MS, HeldContainments } from '../api/services/held-containments.js';
import { decideForeseeingContainment } from '../api/services/foreseen-containment.js';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { ActionRecord } from '../domain/actions.js';
import { badInput, ErrorCode, WardenError } from '../domain/errors.js';
import { emptyBaseline } from '../risk/baseline.js';
import { RevocationBroadcast } from '../api/services/revocation-broadcast.js';
import {
  REVOCATION_PUSH_AUDIENCE,
  REVOCATION_PUSH_PATH,
  REVOCATION_PUSH_TYP,
  RevocationPush,
  pushUrlOf,
} from '../api/services/revocation-push.js';
import os from 'node:os';
import { signWardenJwt } from '../tokens/sign.js';
import { loadConfig } from '../config/config.js';
import {
  awaitRevocationsUpdate,
  revocationBroadcastWorkflowId,
  type RevocationNotice,
} from '../workflows/revocation-broadcast.js';
import { agentWithTool, registerTestAgent, type TestAgent } from './helpers/agents.js';
import { eventually, startStack, type Stack } from './helpers/stack.js';

let stack: Stack;
let admin: string;

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.token(`admin-${stack.tag}@example.com`, ['admin']);
});

afterAll(async () => {
  await stack?.stop();
});

/** Another API process of the deployment, in this test: access views, the broadcast, and a push endpoint. */
async function anotherProcess() {
  const access = new AgentAccess(stack.client, 60_000); // views good for a minute: only a notice can change them
  const heard: { notice: RevocationNotice; via: string }[] = [];
  let broadcast: RevocationBroadcast | null = null;
  const server = http.createServer((req, res) => void broadcast!.receivePush(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const pushUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${REVOCATION_PUSH_PATH}`;
  const push = new RevocationPush(stack.api.services.signingKeys, () => pushUrl);
  broadcast = new RevocationBroadcast(stack.client, {
    taskQueue: stack.config.temporal.taskQueue,
    waitMs: 5_000,
    push,
  });
  access.joinBroadcast(broadcast);
  // Every notice this process hears, and how (the access views hear them too, through the same listener).
  const listener = (broadcast as unknown as { listener: { onNotice(n: RevocationNotice, via: string): void } })
    .listener;
  const onNotice = listener.onNotice.bind(listener);
  listener.onNotice = (notice, via) => {
    heard.push({ notice, via });
    onNotice(notice, via);
  };
  await eventually(async () => broadcast!.connected);
  return {
    access,
    heard,
    pushUrl,
    push,
    status: async (agentId: string) => (await access.session(agentId))?.status,
    stop: async () => {
      await broadcast!.stop();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Until the stack's API knows of another process from the broadcast (each long-poll names its process). */
const theApiPushesToOthers = () =>
  eventually(async () => {
    const access = stack.api.services.agentAccess as unknown as { broadcast: { options: { push: RevocationPush } } };
    return access.broadcast.options.push.peerCount > 0;
  });

/** Every MEDIUM request is held above the containment threshold. */
const CONTAIN_ON_MEDIUM = { thresholds: { MEDIUM: { review: 0, contain: 0 } } };

let registered: { tool: string; owner: string } | null = null;
async function containableAgent(name: string): Promise<{ agent: TestAgent; tool: string }> {
  let agent: TestAgent;
  if (!registered) {
    const made = await agentWithTool(stack, admin, {
      name,
      operations: [{ name: 'read_customer', sensitivity: 'MEDIUM' }],
    });
    ({ agent } = made);
    registered = { tool: made.tool, owner: made.owner };
  } else {
    const { tool, owner: ownerEmail } = registered;
    agent = await registerTestAgent(stack, admin, {
      name,
      ownerEmail,
      allowedTools: [{ tool, operations: ['read_customer'] }],
    });
  }
  const { tool } = registered;
  const set = await stack.gql(
    `mutation($id: ID!, $p: JSON) { setAgentRiskPolicy(input: { agentId: $id, policy: $p }) }`,
    { id: agent.id, p: CONTAIN_ON_MEDIUM },
    admin,
  );
  expect(set.errors).toBeUndefined();
  return { agent, tool };
}

const requestAction = async (agent: TestAgent, tool: string, key: string) => {
  const r = await agent.gql(
    `mutation($i: RequestActionInput!) { requestAction(input: $i) { action { id status contained decidedAt } } }`,
    { i: { tool, operation: 'read_customer', resourceId: 'cust-1', idempotencyKey: key } },
  );
  expect(r.errors).toBeUndefined();
  return r.data.requestAction.action as { id: string; status: string; contained: boolean; decidedAt: string };
};

describe('a containment decided through the API', () => {
  it('reaches another process by push as soon as it is foreseen, then as decided; the broadcast delivers both too', async () => {
    const other = await anotherProcess();
    try {
      const { agent, tool } = await containableAgent('Contained and pushed');
      const before = await agent.token();
      expect(await other.status(agent.id)).toBe('ACTIVE'); // cached for a minute from now
      // The deciding API learns of this process from the broadcast (each long-poll names it).
      await theApiPushesToOthers();

      const action = await requestAction(agent, tool, `pushed-${stack.tag}`);
      expect(action).toMatchObject({ status: 'PENDING_APPROVAL', contained: true });
      expect((await stack.gql(`{ viewer { kind } }`, {}, before)).status).toBe(401);
      const mine = (via: string) =>
        other.heard.filter((h) => h.notice.agentId === agent.id && h.via === via).map((h) => h.notice.kind);
      // Pushed: what was foreseen, then the decision (the foreseen hold gives way to it, nothing is cleared).
      await eventually(async () => mine('pushed').length >= 2);
      expect(mine('pushed').sort()).toEqual(['contained', 'containing']);
      const decided = other.heard.find((h) => h.notice.agentId === agent.id && h.notice.kind === 'contained')!;
      expect(decided.notice.at).toBe(action.decidedAt);
      expect(await other.status(agent.id)).toBe('SUSPENDED');
      expect((await other.access.session(agent.id))?.revokedBefore).toBe(action.decidedAt);
      // The broadcast numbers and delivers the same notices, for any process a push misses.
      await eventually(async () => mine('broadcast').length >= 2);
      expect(mine('broadcast')).toEqual(['containing', 'contained']); // numbered: in the order announced
    } finally {
      await other.stop();
    }
  });

  it('a foreseen containment its workflow did not decide is cleared on every process', async () => {
    const other = await anotherProcess();
    try {
      const { agent } = await containableAgent('Foreseen not decided');
      const deciding = stack.api.services.agentAccess;
      expect(await other.status(agent.id)).toBe('ACTIVE');
      await theApiPushesToOthers();
      const at = Date.now();
      await deciding.containing(agent.id, at);
      expect((await deciding.session(agent.id))?.status).toBe('SUSPENDED');
      await eventually(async () => (await other.status(agent.id)) === 'SUSPENDED');
      expect((await other.access.session(agent.id))?.revokedBefore).toBe(new Date(at).toISOString());

      await deciding.notContained(agent.id, at);
      expect((await deciding.session(agent.id))?.status).toBe('ACTIVE');
      await eventually(async () => (await other.status(agent.id)) === 'ACTIVE');
      // Once the broadcast has delivered both notices too (the foreseen one again, possibly after the push
      // cleared it: held-containments keeps it cleared), the agent is still free.
      await eventually(async () =>
        other.heard.some((h) => h.via === 'broadcast' && h.notice.agentId === agent.id && h.notice.kind === 'cleared'),
      );
      expect(await other.status(agent.id)).toBe('ACTIVE');
    } finally {
      await other.stop();
    }
  });
});

describe('held containments', () => {
  it('a foreseen hold lapses without its decision; a decision replaces it; a cleared one never comes back', () => {
    const held = new HeldContainments();
    const t = Date.now();
    expect(held.foreseen('a1', t, t)).toBe(true);
    expect(held.revokedBefore('a1', t + FORESEEN_HOLD_MS)).toBe(t);
    expect(held.revokedBefore('a1', t + FORESEEN_HOLD_MS + 1)).toBeUndefined();

    expect(held.foreseen('a2', t + 10, t)).toBe(true);
    expect(held.decided('a2', t)).toBe(false); // not news: tokens up to t+10 were refused already
    expect(held.revokedBefore('a2', t)).toBe(t); // the decision settled what was foreseen just before it
    held.cleared('a2', t + 10); // nothing left to clear
    expect(held.revokedBefore('a2', t + 10 * FORESEEN_HOLD_MS)).toBe(t); // decided: no lapse
    // Another request foreseen after that decision stays held when the decision is heard (again, late).
    held.foreseen('a2', t + 5_000, t);
    held.decided('a2', t);
    expect(held.revokedBefore('a2', t)).toBe(t + 5_000);
    // A view shows a decided hold within the clocks' tolerance, a foreseen one only exactly.
    expect(held.releasedBy('a2', t + 4_999, t)).toBe(false);
    expect(held.releasedBy('a2', t + 5_000, t)).toBe(true);
    expect(held.revokedBefore('a2', t)).toBeUndefined();
    held.decided('a4', t);
    expect(held.releasedBy('a4', t - 999, t)).toBe(true);
    held.foreseen('a5', t, t); // an earlier logout a moment before a foreseen containment does not release it
    expect(held.releasedBy('a5', t - 1, t)).toBe(false);

    held.foreseen('a3', t);
    held.foreseen('a3', t + 5); // two requests foreseen at once: clearing one leaves the other
    held.cleared('a3', t + 5);
    expect(held.revokedBefore('a3', t)).toBe(t);
    held.cleared('a3', t);
    expect(held.revokedBefore('a3', t)).toBeUndefined();
    expect(held.foreseen('a3', t, t)).toBe(false); // delivered again after it was cleared
    expect(held.revokedBefore('a3', t)).toBeUndefined();
  });
});

describe('deciding with a foreseen containment', () => {
  const D = '2026-12-08T00:00:00.150Z';
  const profile = (contain: number) => ({
    baseline: emptyBaseline(),
    policy: { thresholds: { MEDIUM: { review: 0, contain } } },
  });
  const action = {
    id: 'a',
    agentId: 'agt_foreseen',
    tool: 'crm',
    toolResource: 'https://crm.example/',
    operation: 'read_customer',
    sensitivity: 'MEDIUM',
    allowedOutright: true,
    volume: 1,
    amount: 0,
    context: {},
    platform: 'custom',
    requestedAt: '2026-12-08T00:00:00.000Z',
  } as unknown as ActionRecord;
  const outcome = (contained: boolean, decidedAt = D) => ({ ...action, contained, decidedAt });
  /**
   * Decides with an access that records what it is told, in order: `containing` (foreseen while the call
   * ran), `cleared` naming that foreseen instant, `contained <instant>`.
   */
  const decideWith = async (contain: number, decide: () => Promise<ActionRecord>, recorded = decide) => {
    const told: { kind: string; at: number }[] = [];
    const tell = (kind: string) => async (_: string, at: number) => void told.push({ kind, at });
    const access = { containing: tell('containing'), contained: tell('contained'), notContained: tell('cleared') };
    const scoredOn = { profile: profile(contain) as never, peers: null };
    const from = Date.now();
    const decided = await decideForeseeingContainment(
      access as unknown as AgentAccess,
      action,
      scoredOn,
      decide,
      recorded,
    ).catch((err: Error) => err);
    const to = Date.now();
    const foreseen = told.find((t) => t.kind === 'containing')?.at;
    if (foreseen !== undefined) expect(foreseen).toSatisfy((at: number) => at >= from && at <= to);
    const calls = told.map(({ kind, at }) =>
      kind === 'contained' ? `contained ${new Date(at).toISOString()}` : at === foreseen ? kind : `${kind} ${at}`,
    );
    return { calls, decided };
  };

  it('the decision settles what was foreseen: held as decided, or cleared', async () => {
    expect((await decideWith(0, async () => outcome(true))).calls).toEqual(['containing', `contained ${D}`]);
    expect((await decideWith(0, async () => outcome(false))).calls).toEqual(['containing', 'cleared']);
    // Nothing foreseen (the rules do not contain): a containment is still held as decided.
    expect((await decideWith(100, async () => outcome(true))).calls).toEqual([`contained ${D}`]);
    expect((await decideWith(100, async () => outcome(false))).calls).toEqual([]);
    // A retry of a finished action: its recorded outcome settles it.
    const finished = await decideWith(
      0,
      async () => {
        throw new WorkflowExecutionAlreadyStartedError('started', 'action:a', 'sensitiveActionWorkflow');
      },
      async () => outcome(true, '2026-12-07T23:00:00.000Z'),
    );
    expect(finished.calls).toEqual(['containing', 'contained 2026-12-07T23:00:00.000Z']);
  });

  it('a stable refusal clears what was foreseen; anything else may have been decided, so the hold stands', async () => {
    const refused = await decideWith(0, async () => {
      throw badInput('no');
    });
    expect(refused).toMatchObject({ calls: ['containing', 'cleared'], decided: { code: 'BAD_USER_INPUT' } });
    for (const err of [new WardenError(ErrorCode.UNAVAILABLE, 'away'), new Error('connection reset')]) {
      const open = await decideWith(0, async () => {
        throw err;
      });
      expect(open).toEqual({ calls: ['containing'], decided: err });
    }
  });
});

describe('the broadcast names its subscribers', () => {
  const handle = () => stack.client.workflow.getHandle(revocationBroadcastWorkflowId(stack.config.temporal.taskQueue));
  it('each long-poll names where it takes pushes; a malformed address is refused with a stable code', async () => {
    // Port 9 (discard) refuses at once: the API's pushes to it fail fast for the minute it stays listed.
    const subscriber = { id: `sub-${stack.tag}`, pushUrl: `http://127.0.0.1:9${REVOCATION_PUSH_PATH}` };
    const batch = await handle().executeUpdate(awaitRevocationsUpdate, {
      args: [{ cursor: null, waitMs: 0, subscriber }],
    });
    expect(batch.subscribers).toContainEqual(subscriber);
    for (const pushUrl of ['file:///etc/passwd', 'http://a b/', `http://x/${'a'.repeat(300)}`, 42]) {
      await expect(
        handle().executeUpdate(awaitRevocationsUpdate, {
          args: [{ cursor: null, waitMs: 0, subscriber: { id: 'x', pushUrl } as never }],
        }),
      ).rejects.toMatchObject({ cause: { type: 'BAD_USER_INPUT' } });
    }
  });
});

describe('WARDEN_API_PUSH_URL', () => {
  it('is taken as the URL parser writes it, and refused at start when it is not an http(s) address with a path', () => {
    const configured = (value: string) => pushUrlOf(loadConfig({ WARDEN_API_PUSH_URL: value }).api.pushUrl, '', 0);
    expect(configured('HTTP://API-1.Internal:4000/revocations/notices')).toBe(
      'http://api-1.internal:4000/revocations/notices',
    );
    for (const bad of ['api-1:4000', 'ftp://api-1/x', 'http://api-1/x?y=1', `http://api-1/${'a'.repeat(300)}`])
      expect(() => configured(bad)).toThrow(/WARDEN_API_PUSH_URL must be/);
    // Unset: its own listening address (the host name when it listens on every interface).
    expect(pushUrlOf(loadConfig({}).api.pushUrl, '127.0.0.1', 4101)).toBe(
      `http://127.0.0.1:4101${REVOCATION_PUSH_PATH}`,
    );
    expect(pushUrlOf(null, '0.0.0.0', 4000)).toBe(`http://${os.hostname()}:4000${REVOCATION_PUSH_PATH}`);
    expect(pushUrlOf(null, '::1', 4000)).toBe(`http://[::1]:4000${REVOCATION_PUSH_PATH}`);
  });
});

describe('a pushed notice', () => {
  const push = (body: string, init: { method?: string; type?: string } = {}) =>
    fetch(`${stack.api.url}${REVOCATION_PUSH_PATH}`, {
      method: init.method ?? 'POST',
      headers: { 'content-type': init.type ?? 'application/jwt' },
      ...(init.method === 'GET' ? {} : { body }),
    });
  const claims = (agentId: string, over: Record<string, unknown> = {}) => {
    const iat = Math.floor(Date.now() / 1000);
    return {
      iss: stack.config.credentials.issuer,
      sub: agentId,
      aud: REVOCATION_PUSH_AUDIENCE,
      iat,
      exp: iat + 30,
      jti: crypto.randomUUID(),
      notice: { kind: 'contained', at: new Date().toISOString() },
      ...over,
    };
  };
  const signed = async (c: Record<string, unknown>, typ = REVOCATION_PUSH_TYP) =>
    signWardenJwt(await stack.api.services.signingKeys.current(), typ, c);

  it('from anyone but Warden, or not as Warden pushes one, is refused with a stable code and changes nothing', async () => {
    const { agent } = await containableAgent('Pushed at by strangers');
    const before = await agent.token();
    const id = agent.id;
    const stranger = await generateKeyPair('ES256');
    const strangerJwk = await exportJWK(stranger.publicKey);
    const forged = await new SignJWT(claims(id))
      .setProtectedHeader({ alg: 'ES256', typ: REVOCATION_PUSH_TYP, kid: await calculateJwkThumbprint(strangerJwk) })
      .sign(stranger.privateKey);
    const replayed = await signed(claims(agent.id, { notice: { kind: 'changed', at: new Date().toISOString() } }));
    expect((await push(replayed)).status).toBe(204); // a change: the view is read again, nothing is held
    const cases: [string, Promise<Response>, number, string][] = [
      ['GET', push('', { method: 'GET' }), 405, 'method_not_allowed'],
      ['not a JWT', push(await signed(claims(id)), { type: 'text/plain' }), 415, 'unsupported_media_type'],
      ['too large', push('a'.repeat(9_000)), 413, 'too_large'],
      ['malformed', push('not.a-token'), 401, 'token_malformed'],
      ['a stranger’s key', push(forged), 401, 'token_signature'],
      ['another typ', push(await signed(claims(id), 'at+jwt')), 401, 'token_type'],
      [
        'another audience',
        push(await signed(claims(id, { aud: stack.config.credentials.apiAudience }))),
        401,
        'token_audience',
      ],
      ['another issuer', push(await signed(claims(id, { iss: 'https://elsewhere.example' }))), 401, 'token_issuer'],
      ['expired', push(await signed(claims(id, { iat: 1_000, exp: 1_030 }))), 401, 'token_expired'],
      [
        'an hour long',
        push(await signed(claims(id, { exp: Math.floor(Date.now() / 1000) + 3600 }))),
        401,
        'token_lifetime',
      ],
      [
        'an unknown kind',
        push(await signed(claims(id, { notice: { kind: 'released', at: new Date().toISOString() } }))),
        400,
        'bad_notice',
      ],
      ['no notice', push(await signed(claims(id, { notice: 'contained' }))), 400, 'bad_notice'],
      ['not an agent', push(await signed(claims('../../etc'))), 400, 'bad_notice'],
      [
        'far ahead',
        push(
          await signed(
            claims(id, { notice: { kind: 'contained', at: new Date(Date.now() + 3_600_000).toISOString() } }),
          ),
        ),
        400,
        'bad_notice',
      ],
      ['replayed', push(replayed), 409, 'replayed'],
    ];
    for (const [what, answer, status, error] of cases) {
      const res = await answer;
      const body = (await res.json()) as { error: string; message: string };
      expect({ what, status: res.status, error: body.error }).toEqual({ what, status, error });
      expect(body.message.length).toBeGreaterThan(10);
    }
    // Nothing was held: the agent's earlier token still works.
    expect((await stack.gql(`{ viewer { kind } }`, {}, before)).status).toBe(200);
    expect((await stack.api.services.agentAccess.session(id))?.status).toBe('ACTIVE');
  });
});
