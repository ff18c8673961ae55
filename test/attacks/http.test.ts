/**
 * Attacks over Warden's own HTTP surface: forged and malformed tokens and client assertions, token-type
 * confusion, GraphQL authorization by role and ownership (after a transfer, after a role is removed),
 * GraphQL abuse limits, the codec server, the gateway's path tricks and subscriptions that outlive their
 * token. Each case asserts the exact refusal, that nothing changed, and — where Warden knows who asked —
 * the refusal's audit record.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionWorkflowId } from '../../domain/actions.js';
import { signingKeysWorkflowId } from '../../workflows/signing-keys.js';
import { signDevToken, loadDevIssuerKey } from '../../api/auth/dev-issuer.js';
import { signWardenJwt } from '../../tokens/sign.js';
import { CODEC_SESSION_COOKIE } from '../../api/codec-session.js';
import { registerTestAgent } from '../helpers/agents.js';
import { eventually } from '../helpers/stack.js';
import { audited, now, REQUEST, startWorld, unchanged, type World } from './world.js';

let w: World;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w?.stop());

const graphql = (
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) =>
  fetch(w.stack.api.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  }).then(async (res) => ({
    status: res.status,
    headers: res.headers,
    ...((await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] }),
  }));
const VIEWER = `{ viewer { kind subject } }`;
const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

/** A client assertion for `agentId`, signed with `key`, with the claims overridden as the case needs. */
async function assertion(
  agentId: string,
  privateJwk: JWK,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
) {
  const key = await importJWK(privateJwk, 'ES256');
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: agentId,
    sub: agentId,
    aud: w.stack.config.credentials.tokenEndpoint,
    iat,
    exp: iat + 60,
    jti: randomUUID(),
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid as string, ...header })
    .sign(key);
}
const tokenRequest = (form: Record<string, string>) =>
  fetch(`${w.stack.api.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: string; access_token?: string } }));
const clientCredentials = (a: string) =>
  tokenRequest({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: a });

/** An ES256 JWT in Warden's name, signed by the attacker (Warden's current kid in the header). */
async function forgedWardenJwt(claims: Record<string, unknown>, typ = 'at+jwt') {
  const { privateKey } = await generateKeyPair('ES256');
  const kid = (await w.stack.api.services.signingKeys.current()).kid;
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, typ }).sign(privateKey);
}
const agentClaims = (agentId: string, over: Record<string, unknown> = {}) => {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: w.stack.config.credentials.issuer,
    sub: agentId,
    client_id: agentId,
    aud: w.stack.config.credentials.apiAudience,
    iat,
    exp: iat + 300,
    jti: randomUUID(),
    ...over,
  };
};
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('forged and malformed bearer tokens at the API', () => {
  const cases: [string, () => Promise<string | null>][] = [
    ['no token', async () => null],
    ['a token that is not a JWT', async () => 'not-a-token'],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(agentClaims(w.agentA.id))}.`],
    [
      "HS256 keyed with Warden's public key (algorithm confusion)",
      async () => {
        const jwk = (await w.stack.api.services.signingKeys.jwks()).keys[0]!;
        return new SignJWT(agentClaims(w.agentA.id))
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: jwk.kid })
          .sign(new TextEncoder().encode(JSON.stringify(jwk)));
      },
    ],
    ["an agent token signed by the attacker under Warden's kid", () => forgedWardenJwt(agentClaims(w.agentA.id))],
    [
      'a token carrying its own key (jwk header)',
      async () => {
        const { privateKey, publicKey } = await generateKeyPair('ES256');
        return new SignJWT(agentClaims(w.agentA.id))
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', jwk: await exportJWK(publicKey) })
          .sign(privateKey);
      },
    ],
    [
      'a token pointing at a key URL (jku header)',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT(agentClaims(w.agentA.id))
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', jku: 'https://evil.example.com/jwks' })
          .sign(privateKey);
      },
    ],
    [
      'an expired agent token, genuinely signed',
      async () =>
        signWardenJwt(
          await w.stack.api.services.signingKeys.current(),
          'at+jwt',
          agentClaims(w.agentA.id, {
            iat: Math.floor(Date.now() / 1000) - 600,
            exp: Math.floor(Date.now() / 1000) - 300,
          }),
        ),
    ],
    [
      'an agent token for another audience, genuinely signed',
      async () =>
        signWardenJwt(
          await w.stack.api.services.signingKeys.current(),
          'at+jwt',
          agentClaims(w.agentA.id, { aud: 'https://other.example.com/' }),
        ),
    ],
    [
      'an agent token with two audiences, genuinely signed',
      async () =>
        signWardenJwt(
          await w.stack.api.services.signingKeys.current(),
          'at+jwt',
          agentClaims(w.agentA.id, { aud: [w.stack.config.credentials.apiAudience, 'https://x.example.com/'] }),
        ),
    ],
    [
      'a grant presented as an access token (type confusion)',
      async () => {
        const r = await tokenRequest({
          grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
          subject_token: await w.agentA.token(),
          subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          resource: w.bank.resource,
          scope: 'read_balance',
        });
        return r.body.access_token!;
      },
    ],
    [
      'a command statement presented as an access token',
      async () =>
        w.stack.api.services.commands.statement(
          { kind: 'agent', id: w.agentA.id, roles: [] },
          w.stack.config.credentials.apiAudience,
          'viewer',
          {},
        ),
    ],
    [
      'a codec session presented as an access token',
      async () =>
        signWardenJwt(await w.stack.api.services.signingKeys.current(), 'warden-codec-session+jwt', {
          iss: w.stack.config.credentials.issuer,
          aud: `${w.stack.config.api.publicUrl}/codec`,
          sub: w.people.admin,
          iat: Math.floor(Date.now() / 1000),
          exp: Math.floor(Date.now() / 1000) + 60,
          jti: randomUUID(),
        }),
    ],
    [
      "a person's token signed by another issuer key",
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        const key = await loadDevIssuerKey(w.stack.config.dataDir);
        return new SignJWT({ email: w.people.admin, roles: ['admin'] })
          .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
          .setIssuer(w.stack.config.humans.issuer)
          .setAudience(w.stack.config.humans.audience)
          .setSubject(w.people.admin)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
      },
    ],
    [
      "a person's token for another audience",
      async () =>
        signDevToken(await loadDevIssuerKey(w.stack.config.dataDir), {
          email: w.people.admin,
          roles: ['admin'],
          issuer: w.stack.config.humans.issuer,
          audience: 'someone-else',
          ttlSeconds: 60,
        }),
    ],
    [
      "an expired person's token",
      async () => {
        const key = await loadDevIssuerKey(w.stack.config.dataDir);
        const past = Math.floor(Date.now() / 1000) - 3600;
        return new SignJWT({ email: w.people.admin, roles: ['admin'] })
          .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
          .setIssuer(w.stack.config.humans.issuer)
          .setAudience(w.stack.config.humans.audience)
          .setSubject(w.people.admin)
          .setIssuedAt(past)
          .setExpirationTime(past + 60)
          .sign(key.privateKey);
      },
    ],
  ];
  it.each(cases)('%s: 401 UNAUTHENTICATED with a WWW-Authenticate challenge, nothing read', async (_name, make) => {
    const token = await make();
    const res = await graphql(
      token,
      `
        mutation ($i: RegisterAgentInput!) {
          registerAgent(input: $i) {
            agent {
              id
            }
          }
        }
      `,
      { i: { name: `Forged ${randomUUID().slice(0, 6)}`, ownerEmail: w.people.ownerA, platform: 'custom' } },
    );
    expect(res.status).toBe(401);
    expect(code(res)).toBe('UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer .*resource_metadata=/);
    expect(res.data ?? null).toBeNull();
  });
});

describe('client assertions at the token endpoint', () => {
  it("an assertion signed with another agent's key: invalid_client", async () => {
    const r = await clientCredentials(await assertion(w.agentA.id, w.agentB.privateJwk));
    expect(r).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });
  it('a replayed assertion: refused the second time, and audited', async () => {
    const a = await assertion(w.agentA.id, w.agentA.privateJwk);
    expect((await clientCredentials(a)).status).toBe(200);
    const since = now();
    expect(await clientCredentials(a)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    await audited(w.stack, {
      type: 'io.warden.token.refused',
      agentId: w.agentA.id,
      messageIncludes: 'replayed',
      since,
    });
  });
  it.each([
    ['living longer than five minutes', { exp: Math.floor(Date.now() / 1000) + 3600 }],
    ['for another audience', { aud: 'https://other.example.com/oauth/token' }],
    ['issued by someone else than its subject', { iss: randomUUID() }],
    ['without a jti', { jti: undefined }],
  ])('an assertion %s: invalid_client', async (_name, claims) => {
    const r = await clientCredentials(await assertion(w.agentA.id, w.agentA.privateJwk, claims));
    expect(r).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });
  it('an access token offered as a client assertion (type confusion): invalid_client', async () => {
    expect(await clientCredentials(await w.agentA.token())).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
  });
  it('a suspended agent gets no token, and the refusal is audited', async () => {
    const agent = await registerTestAgent(w.stack, w.tokens.admin, {
      name: `Suspended ${randomUUID().slice(0, 6)}`,
      ownerEmail: w.people.ownerA,
      allowedTools: [],
    });
    const s = await graphql(
      w.tokens.security,
      `
        mutation ($i: SuspendAgentInput!) {
          suspendAgent(input: $i) {
            agent {
              status
            }
          }
        }
      `,
      { i: { agentId: agent.id, reason: 'incident' } },
    );
    expect(s.data.suspendAgent.agent.status).toBe('SUSPENDED');
    const since = now();
    expect(await clientCredentials(await assertion(agent.id, agent.privateJwk))).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    await audited(w.stack, { type: 'io.warden.token.refused', agentId: agent.id, since });
  });
});

describe('suspend and resume (the finding: tokens from before a suspension worked again after the resume)', () => {
  const SUSPEND = `mutation($i: SuspendAgentInput!) { suspendAgent(input: $i) { agent { status revokedBefore } } }`;
  const RESUME = `mutation($i: AgentStatusChangeInput!) { resumeAgent(input: $i) { agent { status } } }`;
  it('by default a suspension revokes every token: after the resume the old token is still refused, a new one works', async () => {
    const agent = await registerTestAgent(w.stack, w.tokens.admin, {
      name: `Paused ${randomUUID().slice(0, 6)}`,
      ownerEmail: w.people.ownerA,
      allowedTools: [],
    });
    const before = await agent.token();
    const s = await graphql(w.tokens.ownerA, SUSPEND, { i: { agentId: agent.id, reason: 'looking into it' } });
    expect(s.data.suspendAgent.agent).toMatchObject({ status: 'SUSPENDED', revokedBefore: expect.any(String) });
    expect(
      (await graphql(w.tokens.admin, RESUME, { i: { agentId: agent.id, reason: 'all clear' } })).data.resumeAgent.agent
        .status,
    ).toBe('ACTIVE');
    expect((await graphql(before, VIEWER)).status).toBe(401);
    const fresh = await clientCredentials(await assertion(agent.id, agent.privateJwk));
    expect((await graphql(fresh.body.access_token!, VIEWER)).status).toBe(200);
  });
  it('a suspension that is only a pause (revokeTokens: false): refused while suspended, working again after the resume', async () => {
    const agent = await registerTestAgent(w.stack, w.tokens.admin, {
      name: `Paused ${randomUUID().slice(0, 6)}`,
      ownerEmail: w.people.ownerA,
      allowedTools: [],
    });
    const before = await agent.token();
    const s = await graphql(w.tokens.ownerA, SUSPEND, {
      i: { agentId: agent.id, reason: 'maintenance window', revokeTokens: false },
    });
    expect(s.data.suspendAgent.agent).toMatchObject({ status: 'SUSPENDED', revokedBefore: null });
    expect((await graphql(before, VIEWER)).status).toBe(401);
    await graphql(w.tokens.admin, RESUME, { i: { agentId: agent.id, reason: 'window over' } });
    expect((await graphql(before, VIEWER)).status).toBe(200);
  });
});

describe('grants outside what an agent may use', () => {
  it.each([
    ['a tool it is not allowed', () => `https://${w.crm}.example.com/`, 'export_all', 'invalid_scope'],
    ['an operation of an allowed tool it is not allowed', () => w.bank.resource, 'transfer', 'invalid_scope'],
    ['a resource no tool is', () => 'https://nowhere.example.com/', 'read', 'invalid_target'],
  ])('token exchange for %s is refused, and audited', async (_name, resource, scope, error) => {
    const since = now();
    const r = await tokenRequest({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: await w.agentA.token(),
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      resource: resource(),
      scope,
    });
    expect(r).toMatchObject({ status: 400, body: { error } });
    await audited(w.stack, { type: 'io.warden.grant.refused', agentId: w.agentA.id, since });
  });
});

describe('GraphQL authorization by role and ownership', () => {
  const REGISTER = `mutation($i: RegisterAgentInput!) { registerAgent(input: $i) { agent { id } } }`;
  const SUSPEND = `mutation($i: SuspendAgentInput!) { suspendAgent(input: $i) { agent { status } } }`;
  const RESUME = `mutation($i: AgentStatusChangeInput!) { resumeAgent(input: $i) { agent { status } } }`;
  const APPROVE = `mutation($id: ID!) { approveAction(input: { actionId: $id, comment: "ok" }) { action { status } } }`;
  const registerInput = () => ({
    i: { name: `Shadow ${randomUUID().slice(0, 6)}`, ownerEmail: w.people.ownerA, platform: 'custom' },
  });

  it.each([
    ['a person with no role registers an agent', 'stranger', REGISTER, registerInput, 'Mutation.registerAgent'],
    ['an owner registers an agent (admins only)', 'ownerA', REGISTER, registerInput, 'Mutation.registerAgent'],
    [
      "a stranger suspends someone's agent",
      'stranger',
      SUSPEND,
      () => ({ i: { agentId: w.agentA.id, reason: 'grief' } }),
      'Mutation.suspendAgent',
    ],
    [
      'another owner suspends the agent',
      'ownerB',
      SUSPEND,
      () => ({ i: { agentId: w.agentA.id, reason: 'grief' } }),
      'Mutation.suspendAgent',
    ],
    [
      'an owner resumes their agent (admins only)',
      'ownerA',
      RESUME,
      () => ({ i: { agentId: w.agentA.id, reason: 'please' } }),
      'Mutation.resumeAgent',
    ],
    [
      'an owner reads the audit trail',
      'ownerA',
      `{ auditEvents(first: 1) { edges { node { seq } } } }`,
      () => ({}),
      'Query.auditEvents',
    ],
    [
      "a stranger reads another's agent",
      'stranger',
      `query($id: ID!) { agent(id: $id) { id } }`,
      () => ({ id: w.agentA.id }),
      'Query.agent',
    ],
    [
      'an owner upserts a person (admins only)',
      'ownerA',
      `mutation { upsertPerson(input: { email: "x-${randomUUID().slice(0, 4)}@example.com", displayName: "X", roles: [ADMIN] }) { person { email } } }`,
      () => ({}),
      'Mutation.upsertPerson',
    ],
    [
      'the security team registers a tool (admins only)',
      'security',
      `mutation { registerTool(input: { name: "t-${randomUUID().slice(0, 4)}", resource: "https://t.example.com/", authMode: WARDEN_JWT, operations: [{ name: "x", sensitivity: LOW }] }) { tool { name } } }`,
      () => ({}),
      'Mutation.registerTool',
    ],
  ] as const)('%s: FORBIDDEN, unchanged, audited', async (_name, who, query, vars, operation) => {
    const since = now();
    const res = await unchanged(w.stack, { agents: [w.agentA.id] }, () => graphql(w.tokens[who], query, vars()));
    expect(code(res)).toBe('FORBIDDEN');
    await audited(w.stack, { operation, code: 'FORBIDDEN', since });
  });

  it('an agent calls an admin mutation, and approves its own held action: FORBIDDEN, audited', async () => {
    const { id, agent } = await w.heldAction();
    const since = now();
    const reg = await unchanged(w.stack, { actions: [id] }, () => agent.gql(REGISTER, registerInput()));
    expect(code(reg)).toBe('FORBIDDEN');
    const self = await unchanged(w.stack, { actions: [id] }, () => agent.gql(APPROVE, { id }));
    expect(code(self)).toBe('FORBIDDEN');
    await audited(w.stack, { agentId: agent.id, operation: 'Mutation.approveAction', code: 'FORBIDDEN', since });
  });

  it("an agent reads another agent's action: nothing", async () => {
    const { id } = await w.heldAction();
    const res = await w.agentB.gql(`query($id: ID!) { actionRequest(id: $id) { id status } }`, { id });
    expect(res.data?.actionRequest ?? null).toBeNull();
  });

  it.each([
    ['another owner', 'ownerB'],
    ['an approver who owns nothing', 'approver'],
    ['an admin (admins do not decide approvals)', 'admin'],
  ] as const)(
    "%s approves a held action: FORBIDDEN by the action's own workflow, unchanged, audited",
    async (_name, who) => {
      const { id, agent } = await w.heldAction();
      const since = now();
      const res = await unchanged(w.stack, { actions: [id], agents: [agent.id] }, () =>
        graphql(w.tokens[who], APPROVE, { id }),
      );
      expect(code(res)).toBe('FORBIDDEN');
      await audited(w.stack, { agentId: agent.id, operation: 'approveAction', code: 'FORBIDDEN', since });
    },
  );

  it("after a transfer, the old owner can neither see nor decide the agent's held action; the new owner can (the finding)", async () => {
    const { id, agent } = await w.heldAction('ownerA');
    const moved = await graphql(
      w.tokens.admin,
      `
        mutation ($i: TransferAgentOwnershipInput!) {
          transferAgentOwnership(input: $i) {
            agent {
              owner {
                email
              }
            }
          }
        }
      `,
      { i: { agentId: agent.id, ownerEmail: w.people.ownerB } },
    );
    expect(moved.data.transferAgentOwnership.agent.owner.email).toBe(w.people.ownerB);
    // Lists and reads follow the owner now (within the revocation bound).
    await eventually(async () => {
      const pending = await graphql(
        w.tokens.ownerA,
        `
          {
            pendingApprovals(first: 100) {
              edges {
                node {
                  id
                }
              }
            }
          }
        `,
      );
      return !pending.data.pendingApprovals.edges.some((e: any) => e.node.id === id);
    });
    const read = await graphql(
      w.tokens.ownerA,
      `
        query ($id: ID!) {
          actionRequest(id: $id) {
            id
          }
        }
      `,
      { id },
    );
    expect(code(read)).toBe('FORBIDDEN');
    const since = now();
    const old = await unchanged(w.stack, { actions: [id] }, () => graphql(w.tokens.ownerA, APPROVE, { id }));
    expect(code(old)).toBe('FORBIDDEN');
    await audited(w.stack, { agentId: agent.id, operation: 'approveAction', code: 'FORBIDDEN', since });
    const pendingB = await graphql(
      w.tokens.ownerB,
      `
        {
          pendingApprovals(first: 100) {
            edges {
              node {
                id
              }
            }
          }
        }
      `,
    );
    expect(pendingB.data.pendingApprovals.edges.map((e: any) => e.node.id)).toContain(id);
    const approved = await graphql(w.tokens.ownerB, APPROVE, { id });
    expect(approved.data.approveAction.action.status).toBe('APPROVED');
  });

  it('after a role is removed, a token that still claims it is worth nothing: no approval, no admin mutation, audited', async () => {
    const sec = `sec-removed-${w.stack.tag}@example.com`;
    const adm = `adm-removed-${w.stack.tag}@example.com`;
    const secToken = await w.stack.token(sec, ['security']);
    const admToken = await w.stack.token(adm, ['admin']);
    const { id, agent } = await w.heldAction();
    for (const [email, name] of [
      [sec, 'Removed security'],
      [adm, 'Removed admin'],
    ]) {
      const r = await graphql(
        w.tokens.admin,
        `
          mutation ($i: UpsertPersonInput!) {
            upsertPerson(input: $i) {
              person {
                roles
              }
            }
          }
        `,
        { i: { email, displayName: name, roles: [] } },
      );
      expect(r.data.upsertPerson.person.roles).toEqual([]);
    }
    await new Promise((r) => setTimeout(r, w.stack.config.credentials.revocationCacheMs + 100));
    const since = now();
    const approve = await unchanged(w.stack, { actions: [id], agents: [agent.id] }, () =>
      graphql(secToken, APPROVE, { id }),
    );
    expect(code(approve)).toBe('FORBIDDEN');
    const register = await graphql(admToken, REGISTER, registerInput());
    expect(code(register)).toBe('FORBIDDEN');
    await audited(w.stack, { operation: 'Mutation.registerAgent', code: 'FORBIDDEN', since });
  });

  it("a token's roles claim only narrows: an admin with a token limited to approver cannot register agents", async () => {
    const narrowed = await signDevToken(await loadDevIssuerKey(w.stack.config.dataDir), {
      email: w.people.admin,
      roles: ['approver'],
      issuer: w.stack.config.humans.issuer,
      audience: w.stack.config.humans.audience,
      ttlSeconds: 60,
    });
    expect(code(await graphql(narrowed, REGISTER, registerInput()))).toBe('FORBIDDEN');
    // …and a token claiming roles the directory does not give is worth no more than the directory says.
    const inflated = await signDevToken(await loadDevIssuerKey(w.stack.config.dataDir), {
      email: w.people.stranger,
      roles: ['admin', 'security'],
      issuer: w.stack.config.humans.issuer,
      audience: w.stack.config.humans.audience,
      ttlSeconds: 60,
    });
    expect(code(await graphql(inflated, REGISTER, registerInput()))).toBe('FORBIDDEN');
  });

  it('an idempotency key reused for a different request: CONFLICT, and no grant for it', async () => {
    const key = `reuse-${randomUUID()}`;
    const first = await w.agentA.gql<any>(REQUEST, {
      input: {
        tool: w.crm,
        operation: 'update_ticket',
        volume: 1,
        amount: 0,
        justification: 'ticket',
        idempotencyKey: key,
      },
    });
    expect(first.data.requestAction.action.status).toBe('ALLOWED');
    const second = await w.agentA.gql<any>(REQUEST, {
      input: {
        tool: w.crm,
        operation: 'update_ticket',
        volume: 500,
        amount: 0,
        justification: 'ticket',
        idempotencyKey: key,
      },
    });
    expect(code(second)).toBe('CONFLICT');
    expect(second.data?.requestAction ?? null).toBeNull();
  });
});

describe('GraphQL abuse limits', () => {
  it.each([
    [
      'deeper than 10 levels',
      `{ __type(name: "Agent") { fields { type { ofType { ofType { ofType { fields { type { ofType { ofType { name } } } } } } } } } } }`,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'more than 15 aliases',
      `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: viewer { kind }`).join(' ')} }`,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'more than 2,000 tokens',
      `{ ${Array.from({ length: 2100 }, () => '__typename').join(' ')} }`,
      'GRAPHQL_PARSE_FAILED',
    ],
    [
      'more than 20 directives',
      `{ viewer ${Array.from({ length: 25 }, () => '@include(if: true)').join(' ')} { kind } }`,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    ['a syntax error', `{ viewer { kind }`, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field (no suggestion given)', `{ viewr { kind } }`, 'GRAPHQL_VALIDATION_FAILED'],
  ])('a document %s is refused with %s', async (_name, query, expected) => {
    const res = await graphql(w.tokens.admin, query);
    expect(code(res)).toBe(expected);
    expect(JSON.stringify(res.errors)).not.toMatch(/Did you mean|\bat \w+ \(|node_modules/);
  });
  it('a query over the cost limit is refused', async () => {
    const expensive = `{ ${Array.from({ length: 12 }, (_, i) => `a${i}: agents(first: 100) { edges { node { events { actor { id } } allowedTools { operations } } } }`).join(' ')} }`;
    expect(code(await graphql(w.tokens.admin, expensive))).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('the codec server (the finding: it decoded for anyone on the host)', () => {
  const history = async () => {
    const raw = await w.stack.connection.workflowService.getWorkflowExecutionHistory({
      namespace: w.stack.config.temporal.namespace,
      execution: { workflowId: signingKeysWorkflowId(w.stack.config.temporal.taskQueue) },
    });
    const payloads = raw.history!.events!.flatMap((e) => [
      ...(e.activityTaskCompletedEventAttributes?.result?.payloads ?? []),
      ...(e.workflowExecutionStartedEventAttributes?.input?.payloads ?? []),
    ]);
    return {
      payloads: payloads.map((p) => ({
        metadata: Object.fromEntries(
          Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
        ),
        data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
      })),
    };
  };
  const decode = async (headers: Record<string, string>) =>
    fetch(`${w.stack.api.url}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(await history()),
    });
  const ui = 'http://localhost:8233';

  it.each([
    [
      "an owner's token (read access is for admin and security)",
      () => ({ authorization: `Bearer ${w.tokens.ownerA}` }),
    ],
    ["a stranger's token", () => ({ authorization: `Bearer ${w.tokens.stranger}` })],
  ] as const)('decode with %s: the payloads come back as sent, nothing decoded', async (_name, headers) => {
    const sent = await history();
    const res = await fetch(`${w.stack.api.url}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers() },
      body: JSON.stringify(sent),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-warden-codec')).toBe('not-decoded');
    expect(await res.json()).toEqual(sent);
  });

  it.each([
    ["no token, with the local UI's Origin (the original hole)", () => ({ origin: ui })],
    ['no token, no Origin', () => ({})],
    ["an agent's access token", async () => ({ authorization: `Bearer ${await w.agentA.token()}` })],
    [
      'a forged session cookie',
      async () => ({
        cookie: `${CODEC_SESSION_COOKIE}=${await forgedWardenJwt({ iss: w.stack.config.credentials.issuer, aud: `${w.stack.config.api.publicUrl}/codec`, sub: w.people.admin, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60, jti: randomUUID() }, 'warden-codec-session+jwt')}`,
      }),
    ],
  ] as const)('decode with %s: 401, nothing decoded', async (_name, headers) => {
    const res = await decode(await headers());
    expect(res.status).toBe(401);
    expect(await res.text()).not.toMatch(/privateJwk|"d"/);
  });

  it('an admin decodes, and still sees no private key: the signing keys are sealed by the vault', async () => {
    const res = await decode({ authorization: `Bearer ${w.tokens.admin}` });
    expect(res.status).toBe(200);
    const decoded = ((await res.json()) as { payloads: { data: string }[] }).payloads
      .map((p) => Buffer.from(p.data, 'base64').toString('utf8'))
      .join('\n');
    expect(decoded).toContain('sealedPrivateJwk');
    expect(decoded).not.toMatch(/"d":|privateJwk"/);
    const ring = await w.stack.api.services.signingKeys.get();
    expect(decoded).not.toContain(ring.current.privateJwk.d);
  });

  it("a session opens only for admin or security, only from Warden's own page, and ends with the role", async () => {
    const open = (token: string, origin = new URL(w.stack.config.api.publicUrl).origin) =>
      fetch(`${w.stack.api.url}/codec/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams({ token }),
        redirect: 'manual',
      });
    expect((await open(w.tokens.ownerA)).status).toBe(403);
    expect((await open('garbage')).status).toBe(401);
    expect((await open(w.tokens.admin, 'https://evil.example.com')).status).toBe(403);
    const email = `codec-sec-${w.stack.tag}@example.com`;
    const ok = await open(await w.stack.token(email, ['security']));
    expect(ok.status).toBe(200);
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/codec/);
    const session = cookie.split(';')[0]!;
    const decoded = await decode({ cookie: session });
    expect(decoded.status).toBe(200);
    const text = ((await decoded.json()) as { payloads: { data: string }[] }).payloads
      .map((p) => Buffer.from(p.data, 'base64').toString('utf8'))
      .join('\n');
    expect(text).toContain('sealedPrivateJwk');
    await graphql(
      w.tokens.admin,
      `
        mutation ($i: UpsertPersonInput!) {
          upsertPerson(input: $i) {
            person {
              roles
            }
          }
        }
      `,
      { i: { email, displayName: 'Ex security', roles: [] } },
    );
    await new Promise((r) => setTimeout(r, w.stack.config.credentials.revocationCacheMs + 100));
    // The role gone, the session reads nothing: its payloads come back as sent.
    const sent = await history();
    const after = await fetch(`${w.stack.api.url}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session },
      body: JSON.stringify(sent),
    });
    expect(after.status).toBe(200);
    expect(after.headers.get('x-warden-codec')).toBe('not-decoded');
    expect(await after.json()).toEqual(sent);
  });

  it("any person may encode (their payloads are marked as a person's), and a browser from another origin gets nothing", async () => {
    const enc = await fetch(`${w.stack.api.url}/codec/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${w.tokens.stranger}` },
      body: JSON.stringify({
        payloads: [
          {
            metadata: { encoding: Buffer.from('json/plain').toString('base64') },
            data: Buffer.from('{}').toString('base64'),
          },
        ],
      }),
    });
    expect(enc.status).toBe(200);
    const encoded = (await enc.json()) as { payloads: { metadata: Record<string, string> }[] };
    expect(Buffer.from(encoded.payloads[0]!.metadata['encryption-origin']!, 'base64').toString()).toBe('operator');
    const evil = await fetch(`${w.stack.api.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('gateway path tricks (the finding: empty segments reached the upstream as sent)', () => {
  let grant: string;
  beforeAll(async () => {
    const r = await tokenRequest({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: await w.agentA.token(),
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      resource: w.bank.resource,
      scope: 'read_balance',
    });
    expect(r.status).toBe(200);
    grant = r.body.access_token!;
  });
  /** Sent as written: fetch would normalise dot segments before they leave, an attacker's client does not. */
  const call = (path: string, token = grant, method = 'GET') =>
    new Promise<{ status: number }>((resolve, reject) => {
      const url = new URL(w.stack.api.url);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path: `/gateway/${w.bank.name}${path}`,
          headers: { authorization: `Bearer ${token}`, 'warden-volume': '1' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  it.each([
    ['an empty segment', '/accounts//acc-1', 400],
    ['a trailing slash (an empty last segment)', '/accounts/acc-1/', 400],
    ['a leading double slash', '//accounts/acc-1', 400],
    ['a dot-dot segment', '/accounts/../transfers', 400],
    ['an encoded dot-dot segment', '/accounts/%2e%2e/transfers', 400],
    ['an encoded slash', '/accounts/acc-1%2F..%2Ftransfers', 400],
    ['an encoded backslash', '/accounts/acc-1%5Cadmin', 400],
    ['a broken escape', '/accounts/%zz', 400],
    ['a query parameter the operation does not take', '/accounts/acc-1?admin=true', 400],
    ['a path no operation covers', '/admin/keys', 403],
  ])('%s (%s): refused with %i, the upstream never called, audited', async (_name, path, status) => {
    const before = w.bank.api.seen.length;
    const since = now();
    const res = await call(path);
    expect(res.status).toBe(status);
    expect(w.bank.api.seen.length).toBe(before);
    await audited(w.stack, { agentId: w.agentA.id, operation: `gateway:${w.bank.name}`, since });
  });

  it('the canonical path, and a query parameter the operation takes, reach the upstream as checked', async () => {
    const res = await call('/accounts/acc-1?currency=EUR');
    expect(res.status).toBe(200);
    expect(w.bank.api.seen.at(-1)).toMatchObject({
      path: '/accounts/acc-1',
      url: '/accounts/acc-1?currency=EUR',
      agent: w.agentA.id,
    });
  });

  it('a grant for this tool used on an operation it does not name: 403, audited', async () => {
    const since = now();
    const res = await call('/transfers', grant, 'POST');
    expect(res.status).toBe(403);
    await audited(w.stack, { agentId: w.agentA.id, operation: `gateway:${w.bank.name}`, since });
  });
});

describe('streams end with their token (the finding: a stream outlived its token by hours)', () => {
  it('approvalRequested ends when the token expires, and delivers nothing after', async () => {
    const shortLived = await w.stack.token(w.people.security, ['security', 'approver'], 3);
    const res = await fetch(w.stack.api.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${shortLived}`,
      },
      body: JSON.stringify({ query: `subscription { approvalRequested { id } }` }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const started = Date.now();
    const read = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return true;
        text += new TextDecoder().decode(value);
      }
    })();
    await new Promise((r) => setTimeout(r, 4_000));
    const { id } = await w.heldAction();
    const ended = await Promise.race([read, new Promise((r) => setTimeout(() => r(false), 10_000))]);
    expect(ended).toBe(true);
    expect(Date.now() - started).toBeLessThan(14_000);
    expect(text).not.toContain(id);
  });

  it('actionDecided for an agent ends once the agent is logged out', async () => {
    const { id, agent } = await w.heldAction();
    const res = await fetch(w.stack.api.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${await agent.token()}`,
      },
      body: JSON.stringify({
        query: `subscription($id: ID!) { actionDecided(actionId: $id) { id status } }`,
        variables: { id },
      }),
    });
    const reader = res.body!.getReader();
    let first = '';
    while (!first.includes('PENDING_APPROVAL')) {
      const { value, done } = await reader.read();
      if (done) break;
      first += new TextDecoder().decode(value);
    }
    expect(first).toContain('PENDING_APPROVAL');
    await graphql(
      w.tokens.security,
      `
        mutation ($i: AgentStatusChangeInput!) {
          universalLogout(input: $i) {
            revokedAt
          }
        }
      `,
      { i: { agentId: agent.id, reason: 'test' } },
    );
    const ended = await Promise.race([
      (async () => {
        for (;;) if ((await reader.read()).done) return true;
      })(),
      new Promise((r) => setTimeout(() => r(false), 10_000)),
    ]);
    expect(ended).toBe(true);
    expect((await w.stack.api.services.actions.get(id)).status).toBe('PENDING_APPROVAL');
  });
});

describe('a person cannot be made to act: no token in a URL, and the codec session form refuses other origins', () => {
  it('the codec session page carries a strict CSP and no token', async () => {
    const page = await fetch(`${w.stack.api.url}/codec/session`);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).not.toMatch(/eyJ/);
  });
  it("a mutation in a GET request (a link) is refused, even with the right person's token", async () => {
    const { id } = await w.heldAction();
    const link = `${w.stack.api.url}/graphql?query=${encodeURIComponent(`mutation { approveAction(input: { actionId: "${id}" }) { action { status } } }`)}`;
    expect(await (await fetch(link)).text()).not.toContain('APPROVED');
    const withToken = await fetch(link, {
      headers: { authorization: `Bearer ${w.tokens.ownerA}`, accept: 'application/graphql-response+json' },
    });
    expect(withToken.status).toBe(405);
    expect((await w.stack.api.services.actions.get(id)).status).toBe('PENDING_APPROVAL');
    expect(actionWorkflowId(id)).toBe(`action:${id}`);
  });
});
