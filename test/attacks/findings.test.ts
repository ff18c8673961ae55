/**
 * The six findings of the attack on `npm start` (issue 15), each as it was found: with nothing but what an
 * attacker or a standard client has — HTTP, GraphQL, a plain Temporal client. Written against the API
 * surface both before and after the fix, so it ran (and failed) on the code that had the holes; see the
 * closing note of issue 15 for that run.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Client } from '@temporalio/client';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTestAgent, type TestAgent } from '../helpers/agents.js';
import { startStaticKeyApi } from '../helpers/http-servers.js';
import { eventually, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
let admin: string;
let bank: Awaited<ReturnType<typeof startStaticKeyApi>>;
const owner = (x: string) => `finding-${x}-${stack.tag}@example.com`;
const crm = () => `crm-${stack.tag}`;
const bankName = () => `bank-${stack.tag}`;
const bankResource = () => `${stack.config.credentials.issuer}/gateway/${bankName()}`;

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.token(`admin-${stack.tag}@example.com`, ['admin']);
  bank = await startStaticKeyApi(`sk-live-${randomUUID()}`);
  for (const who of ['a', 'b']) {
    const r = await stack.gql(
      `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
      { i: { email: owner(who), displayName: `Owner ${who}`, roles: ['APPROVER'] } },
      admin,
    );
    expect(r.errors).toBeUndefined();
  }
  const tools = await stack.gql<any>(
    `mutation($c: RegisterToolInput!, $b: RegisterToolInput!) { c: registerTool(input: $c) { tool { name } } b: registerTool(input: $b) { tool { name } } }`,
    {
      c: {
        name: crm(),
        resource: `https://${crm()}.example.com/`,
        authMode: 'WARDEN_JWT',
        operations: [
          { name: 'read_customer', sensitivity: 'MEDIUM' },
          { name: 'export_all', sensitivity: 'CRITICAL' },
        ],
      },
      b: {
        name: bankName(),
        resource: bankResource(),
        authMode: 'VAULTED_SECRET',
        upstreamUrl: bank.url,
        secret: [...bank.keys.values()][0],
        operations: [{ name: 'read_balance', sensitivity: 'LOW', method: 'GET', path: '/accounts/{resource}' }],
      },
    },
    admin,
  );
  expect(tools.errors).toBeUndefined();
});
afterAll(async () => {
  await stack?.stop();
  await bank?.close();
});

const agentOf = (who: string) =>
  registerTestAgent(stack, admin, {
    name: `Finding ${randomUUID().slice(0, 6)}`,
    ownerEmail: owner(who),
    allowedTools: [
      { tool: crm(), operations: ['read_customer'] },
      { tool: bankName(), operations: ['read_balance'] },
    ],
  });
async function held(agent: TestAgent): Promise<string> {
  const r = await agent.gql<any>(
    `mutation($i: RequestActionInput!) { requestAction(input: $i) { action { id status } } }`,
    {
      i: {
        tool: crm(),
        operation: 'export_all',
        volume: 1,
        amount: 0,
        justification: 'export',
        idempotencyKey: randomUUID(),
      },
    },
  );
  expect(r.data.requestAction.action.status).toBe('PENDING_APPROVAL');
  return r.data.requestAction.action.id;
}
const status = async (actionId: string) =>
  (
    await stack.gql<any>(
      `query($id: ID!) { actionRequest(id: $id) { status } }`,
      { id: actionId },
      await stack.token(`sec-${stack.tag}@example.com`, ['security']),
    )
  ).data.actionRequest.status;

describe('the six findings, reproduced as they were found', () => {
  it("1. the codec server decodes for anyone who sends the local UI's Origin header", async () => {
    const res = await fetch(`${stack.api.url}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:8233' },
      body: JSON.stringify({ payloads: [] }),
    });
    expect(res.status).toBe(401);
  });

  it('2. anyone who can send an Update approves any held action as anyone', async () => {
    const actionId = await held(await agentOf('a'));
    const plain = new Client({ connection: stack.connection, namespace: stack.config.temporal.namespace });
    const forged = plain.workflow.getHandle(`action:${actionId}`).executeUpdate('approveAction', {
      args: [{ approver: { kind: 'human', id: 'mallory@example.com' }, approverRoles: ['security'], comment: 'ok' }],
    });
    await expect(forged).rejects.toThrow();
    expect(await status(actionId)).toBe('PENDING_APPROVAL');
  });

  it('3. authority is taken from the past: after a transfer the old owner still decides, the new one cannot', async () => {
    const agent = await agentOf('a');
    const actionId = await held(agent);
    const moved = await stack.gql<any>(
      `mutation { transferAgentOwnership(input: { agentId: "${agent.id}", ownerEmail: "${owner('b')}" }) { agent { id } } }`,
      {},
      admin,
    );
    expect(moved.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, stack.config.credentials.revocationCacheMs + 100));
    const approve = (token: string) =>
      stack.gql<any>(
        `mutation { approveAction(input: { actionId: "${actionId}", comment: "ok" }) { action { status } } }`,
        {},
        token,
      );
    const byOld = await approve(await stack.token(owner('a'), ['approver']));
    expect(byOld.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await status(actionId)).toBe('PENDING_APPROVAL');
    const byNew = await approve(await stack.token(owner('b'), ['approver']));
    expect(byNew.data?.approveAction?.action?.status).toBe('APPROVED');
  });

  it('4. a subscription outlives its token', async () => {
    const token = await stack.token(`sec-${stack.tag}@example.com`, ['security'], 3);
    const res = await fetch(stack.api.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'subscription { approvalRequested { id } }' }),
    });
    const reader = res.body!.getReader();
    let text = '';
    const ended = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return true;
        text += new TextDecoder().decode(value);
      }
    })();
    await new Promise((r) => setTimeout(r, 4_000));
    const actionId = await held(await agentOf('a'));
    const result = await Promise.race([ended, new Promise((r) => setTimeout(() => r(false), 8_000))]);
    await reader.cancel().catch(() => undefined);
    expect(text).not.toContain(actionId);
    expect(result).toBe(true);
  });

  it('5. gateway paths: empty segments and query strings reach the upstream as sent', async () => {
    const agent = await agentOf('a');
    const r = await fetch(`${stack.api.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: await agent.token(),
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        resource: bankResource(),
        scope: 'read_balance',
      }),
    });
    const grant = ((await r.json()) as { access_token: string }).access_token;
    expect(grant).toBeTruthy();
    const raw = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const url = new URL(stack.api.url);
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            path: `/gateway/${bankName()}${path}`,
            headers: { authorization: `Bearer ${grant}`, 'warden-volume': '1' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end();
      });
    const before = bank.seen.length;
    expect(await raw('/accounts//acc-1')).toBe(400);
    expect(await raw('/accounts/acc-1?admin=true')).toBe(400);
    expect(bank.seen.length).toBe(before);
  });

  it('6a. the metadata advertises private_key_jwt for revocation, which the endpoint refused', async () => {
    const meta = (await (await fetch(`${stack.api.url}/.well-known/oauth-authorization-server`)).json()) as {
      revocation_endpoint_auth_methods_supported: string[];
    };
    expect(meta.revocation_endpoint_auth_methods_supported).toContain('private_key_jwt');
    const agent = await agentOf('a');
    const victim = await agent.token();
    const key = await importJWK(agent.privateJwk, 'ES256');
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: agent.privateJwk.kid as string })
      .setIssuer(agent.id)
      .setSubject(agent.id)
      .setAudience(stack.config.credentials.issuer)
      .setIssuedAt()
      .setExpirationTime('60s')
      .setJti(randomUUID())
      .sign(key);
    const res = await fetch(`${stack.api.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: victim,
        client_id: agent.id,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }),
    });
    expect(res.status).toBe(200);
    const viewer = await stack.gql(`{ viewer { kind } }`, {}, victim);
    expect(viewer.status).toBe(401);
  });

  it('6b. GraphQL parse errors come back as BAD_USER_INPUT, not the code docs/api.md lists', async () => {
    const res = await stack.gql(`{ viewer { kind }`, {}, admin);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('6c. after suspend and resume, tokens issued before the suspension work again', async () => {
    const agent = await agentOf('a');
    const before = await agent.token();
    const s = await stack.gql<any>(
      `mutation { suspendAgent(input: { agentId: "${agent.id}", reason: "incident" }) { agent { status } } }`,
      {},
      admin,
    );
    expect(s.data.suspendAgent.agent.status).toBe('SUSPENDED');
    await stack.gql(
      `mutation { resumeAgent(input: { agentId: "${agent.id}", reason: "all clear" }) { agent { status } } }`,
      {},
      admin,
    );
    await eventually(async () => (await stack.gql(`{ viewer { kind } }`, {}, before)).status === 401, 5_000);
  });
});
