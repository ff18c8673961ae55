/**
 * The GraphQL API over real HTTP against the real Temporal server: authentication (every bad token → 401
 * UNAUTHENTICATED), authorization (wrong role → FORBIDDEN, owners see only their agents), bad input with
 * stable codes and no state change, lists and filters through Temporal visibility, and hardening limits.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { loadDevIssuerKey } from '../api/auth/dev-issuer.js';
import { startApiServer } from '../api/server.js';
import { loadConfig } from '../config/config.js';
import { eventually, startStack, type Stack } from './helpers/stack.js';

let stack: Stack;
let adminToken: string;
let ownerToken: string;
let strangerToken: string;
let securityToken: string;
const email = (who: string) => `${who}-${stack.tag}@example.com`;

const REGISTER = `mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { agent { id name status platform owner { email displayName } } } }`;
const AGENT = `query($id: ID!) { agent(id: $id) { id status statusReason owner { email } events { kind actor { kind id } reason } } }`;
const AGENTS = `query($filter: AgentFilter, $first: Int, $after: String) { agents(filter: $filter, first: $first, after: $after) { edges { cursor node { id name status owner { email } platform } } pageInfo { hasNextPage endCursor } } }`;

async function register(name: string, ownerEmail = email('owner'), platform = 'custom') {
  const res = await stack.gql<{ registerAgent: { agent: { id: string } } }>(
    REGISTER,
    { input: { name, ownerEmail, platform, description: 'test agent' } },
    adminToken,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.registerAgent.agent.id;
}

const codes = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.map((e) => e.extensions?.code);

beforeAll(async () => {
  stack = await startStack();
  adminToken = await stack.token(email('admin'), ['admin']);
  ownerToken = await stack.token(email('owner'), ['approver']);
  strangerToken = await stack.token(email('stranger'), []);
  securityToken = await stack.token(email('sec'), ['security']);
  for (const who of ['owner', 'next', 'stranger']) {
    const res = await stack.gql(
      `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
      { i: { email: email(who), displayName: who, roles: ['APPROVER'] } },
      adminToken,
    );
    expect(res.errors).toBeUndefined();
  }
});
afterAll(() => stack?.stop());

describe('authentication', () => {
  let key: Awaited<ReturnType<typeof loadDevIssuerKey>>;
  const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}, k?: CryptoKey, alg = 'ES256') =>
    new SignJWT({ email: email('admin'), roles: ['admin'], ...claims })
      .setProtectedHeader({ alg, kid: key.kid, typ: 'JWT', ...header })
      .setIssuer((claims.iss as string) ?? stack.config.humans.issuer)
      .setAudience((claims.aud as string) ?? stack.config.humans.audience)
      .setSubject(email('admin'))
      .setIssuedAt((claims.iat as number) ?? Math.floor(Date.now() / 1000))
      .setExpirationTime((claims.exp as number) ?? Math.floor(Date.now() / 1000) + 300)
      .sign(k ?? key.privateKey);

  beforeAll(async () => {
    key = await loadDevIssuerKey(stack.config.dataDir);
  });

  it('accepts a valid token and says who is calling', async () => {
    const res = await stack.gql(`{ viewer { kind email roles } }`, {}, adminToken);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ viewer: { kind: 'HUMAN', email: email('admin'), roles: ['ADMIN'] } });
  });

  const badTokens: [string, () => Promise<string | null>, RegExp][] = [
    ['no token', async () => null, /required/],
    ['garbage', async () => 'not-a-jwt', /not a signed JWT/],
    [
      'alg none',
      async () =>
        `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify({ sub: email('admin'), iss: stack.config.humans.issuer, aud: 'warden-api', exp: 9999999999, iat: 1, roles: ['admin'] }))}.`,
      /not a signed JWT|algorithm/,
    ],
    [
      'HS256 signed with the public key',
      async () => {
        const secret = new TextEncoder().encode(JSON.stringify(key.publicJwk));
        return new SignJWT({ roles: ['admin'] })
          .setProtectedHeader({ alg: 'HS256', kid: key.kid })
          .setIssuer(stack.config.humans.issuer)
          .setAudience('warden-api')
          .setSubject(email('admin'))
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(secret);
      },
      /algorithm/,
    ],
    [
      'expired',
      () => sign({ exp: Math.floor(Date.now() / 1000) - 120, iat: Math.floor(Date.now() / 1000) - 600 }),
      /expired/,
    ],
    [
      'issued in the future',
      () => sign({ iat: Math.floor(Date.now() / 1000) + 3600, exp: Math.floor(Date.now() / 1000) + 7200 }),
      /iat|future/,
    ],
    ['wrong issuer', () => sign({ iss: 'https://evil.example.com' }), /iss/],
    ['wrong audience', () => sign({ aud: 'another-api' }), /aud/],
    [
      'unknown key',
      async () => {
        const other = await generateKeyPair('ES256');
        return sign({}, { kid: 'someone-elses-key' }, other.privateKey);
      },
      /unknown key/,
    ],
    ['right kid, wrong key', async () => sign({}, {}, (await generateKeyPair('ES256')).privateKey), /signature/],
    ['jku header', () => sign({}, { jku: 'https://evil.example.com/jwks.json' }), /jku/],
    [
      'embedded jwk header',
      async () => sign({}, { jwk: await exportJWK((await generateKeyPair('ES256')).publicKey) }),
      /jwk/,
    ],
    ['wrong typ', () => sign({}, { typ: 'secevent+jwt' }), /not a user access token/],
    [
      'tampered payload',
      async () => {
        const [h, , s] = (await sign({})).split('.');
        const payload = base64url.encode(
          JSON.stringify({
            sub: email('admin'),
            roles: ['admin', 'security'],
            iss: stack.config.humans.issuer,
            aud: 'warden-api',
            iat: 1,
            exp: 9999999999,
          }),
        );
        return `${h}.${payload}.${s}`;
      },
      /signature/,
    ],
    [
      'tampered signature',
      async () => {
        const t = await sign({});
        return `${t.slice(0, -4)}${t.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
      },
      /signature|malformed/,
    ],
    ['oversized', async () => sign({ padding: 'x'.repeat(9000) }), /larger than/],
    ['no usable email', () => sign({ email: 'not-an-email', sub: 'not-an-email' }), /email/],
  ];
  for (const [name, make, message] of badTokens) {
    it(`refuses ${name} with 401 UNAUTHENTICATED`, async () => {
      const token = await make();
      const res = await stack.gql(`{ viewer { kind } }`, {}, token);
      expect(res.status).toBe(401);
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
      expect(res.errors![0]!.message).toMatch(message);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="warden"/);
      expect(res.data ?? null).toBeNull();
    });
  }

  it('refuses a malformed Authorization header', async () => {
    const res = await fetch(stack.api.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${btoa('a:b')}` },
      body: JSON.stringify({ query: '{ viewer { kind } }' }),
    });
    expect(res.status).toBe(401);
  });

  it('a bad token changes nothing, even in a mutation', async () => {
    const name = `Unauthenticated ${stack.tag}`;
    const res = await stack.gql(
      REGISTER,
      { input: { name, ownerEmail: email('owner'), platform: 'custom' } },
      await sign({ aud: 'nope' }),
    );
    expect(res.status).toBe(401);
    expect((await stack.client.workflow.count(`AgentName = '${name}'`)).count).toBe(0);
  });
});

describe('authorization', () => {
  it('only admins register agents, manage people, resume, decommission and transfer', async () => {
    const id = await register('Authz target');
    const attempts: [string, Record<string, unknown>][] = [
      [REGISTER, { input: { name: 'By owner', ownerEmail: email('owner'), platform: 'custom' } }],
      [
        `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
        { i: { email: email('owner'), displayName: 'Hijack', roles: ['ADMIN'] } },
      ],
      [`mutation($id: ID!) { decommissionAgent(input: { agentId: $id, reason: "x" }) { agent { id } } }`, { id }],
      [
        `mutation($id: ID!) { transferAgentOwnership(input: { agentId: $id, ownerEmail: "${email('stranger')}" }) { agent { id } } }`,
        { id },
      ],
    ];
    for (const token of [ownerToken, strangerToken, securityToken]) {
      for (const [query, variables] of attempts) {
        const res = await stack.gql(query, variables, token);
        expect(codes(res), query).toEqual(['FORBIDDEN']);
      }
    }
    // Nothing changed: the owner's display name and the agent are as they were.
    const person = await stack.gql(`{ viewer { person { displayName roles } } }`, {}, ownerToken);
    expect(person.data!.viewer.person).toEqual({ displayName: 'owner', roles: ['APPROVER'] });
    const agent = await stack.gql(AGENT, { id }, adminToken);
    expect(agent.data!.agent).toMatchObject({ status: 'ACTIVE', owner: { email: email('owner') } });
  });

  it('owners see and may suspend their own agents, not others', async () => {
    const mine = await register('Owned');
    const theirs = await register('Not owned', email('next'));
    expect((await stack.gql(AGENT, { id: mine }, ownerToken)).data!.agent.id).toBe(mine);
    expect(codes(await stack.gql(AGENT, { id: theirs }, ownerToken))).toEqual(['FORBIDDEN']);
    expect(
      codes(
        await stack.gql(
          `mutation($id: ID!) { suspendAgent(input: { agentId: $id, reason: "no" }) { agent { id } } }`,
          { id: theirs },
          ownerToken,
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    const suspended = await stack.gql(
      `mutation($id: ID!) { suspendAgent(input: { agentId: $id, reason: "owner pulled the plug" }) { agent { status } } }`,
      { id: mine },
      ownerToken,
    );
    expect(suspended.data).toEqual({ suspendAgent: { agent: { status: 'SUSPENDED' } } });
    // The owner's list holds only their agents, whatever filter they ask for.
    const list = await eventually(async () => {
      const res = await stack.gql<any>(AGENTS, { filter: { ownerEmail: email('next') }, first: 100 }, ownerToken);
      const ids = res.data!.agents.edges.map((e: any) => e.node.id);
      return ids.includes(mine) ? ids : undefined;
    });
    expect(list).not.toContain(theirs);
    // Security sees everything and may suspend anyone.
    expect((await stack.gql(AGENT, { id: theirs }, securityToken)).data!.agent.id).toBe(theirs);
    const bySecurity = await stack.gql(
      `mutation($id: ID!) { suspendAgent(input: { agentId: $id, reason: "incident" }) { agent { status events { actor { id } } } } }`,
      { id: theirs },
      securityToken,
    );
    expect(bySecurity.data!.suspendAgent.agent.status).toBe('SUSPENDED');
    expect(bySecurity.data!.suspendAgent.agent.events.at(-1).actor.id).toBe(email('sec'));
  });
});

describe('agents through the API', () => {
  it('register → suspend → resume → decommission, with the full record', async () => {
    const id = await register('Lifecycle via API');
    const run = (m: string, reason: string) =>
      stack.gql<any>(
        `mutation($id: ID!, $r: String!) { ${m}(input: { agentId: $id, reason: $r }) { agent { status statusReason } } }`,
        { id, r: reason },
        adminToken,
      );
    expect((await run('suspendAgent', 'investigating')).data.suspendAgent.agent).toEqual({
      status: 'SUSPENDED',
      statusReason: 'investigating',
    });
    expect((await run('resumeAgent', 'all clear')).data.resumeAgent.agent.status).toBe('ACTIVE');
    expect((await run('decommissionAgent', 'retired')).data.decommissionAgent.agent.status).toBe('DECOMMISSIONED');
    const agent = (await stack.gql<any>(AGENT, { id }, adminToken)).data.agent;
    expect(agent.events.map((e: any) => `${e.kind}:${e.actor.kind}:${e.actor.id}:${e.reason}`)).toEqual([
      `REGISTERED:HUMAN:${email('admin')}:registered`,
      `SUSPENDED:HUMAN:${email('admin')}:investigating`,
      `RESUMED:HUMAN:${email('admin')}:all clear`,
      `DECOMMISSIONED:HUMAN:${email('admin')}:retired`,
    ]);
  });

  it('bad input gets its code and changes nothing', async () => {
    const id = await register('Bad input target');
    const before = (await stack.gql<any>(AGENT, { id }, adminToken)).data.agent;
    const cases: [string, Record<string, unknown>, string][] = [
      [REGISTER, { input: { name: '', ownerEmail: email('owner'), platform: 'custom' } }, 'BAD_USER_INPUT'],
      [
        REGISTER,
        { input: { name: 'x'.repeat(500), ownerEmail: email('owner'), platform: 'custom' } },
        'BAD_USER_INPUT',
      ],
      [REGISTER, { input: { name: 'Ghost owned', ownerEmail: email('ghost'), platform: 'custom' } }, 'BAD_USER_INPUT'],
      [
        REGISTER,
        { input: { name: 'Bad platform', ownerEmail: email('owner'), platform: "x' OR 1=1" } },
        'BAD_USER_INPUT',
      ],
      [
        `mutation($id: ID!) { resumeAgent(input: { agentId: $id, reason: "not suspended" }) { agent { id } } }`,
        { id },
        'CONFLICT',
      ],
      [
        `mutation($id: ID!) { suspendAgent(input: { agentId: $id, reason: "" }) { agent { id } } }`,
        { id },
        'BAD_USER_INPUT',
      ],
      [
        `mutation($id: ID!) { suspendAgent(input: { agentId: $id, reason: "${'r'.repeat(600)}" }) { agent { id } } }`,
        { id },
        'BAD_USER_INPUT',
      ],
      [
        `mutation { suspendAgent(input: { agentId: "not-a-uuid", reason: "x" }) { agent { id } } }`,
        {},
        'BAD_USER_INPUT',
      ],
      [
        `mutation { suspendAgent(input: { agentId: "00000000-0000-4000-8000-000000000000", reason: "x" }) { agent { id } } }`,
        {},
        'NOT_FOUND',
      ],
      [
        `mutation($id: ID!) { transferAgentOwnership(input: { agentId: $id, ownerEmail: "${email('ghost')}" }) { agent { id } } }`,
        { id },
        'BAD_USER_INPUT',
      ],
      [
        `mutation($id: ID!) { transferAgentOwnership(input: { agentId: $id, ownerEmail: "${email('owner')}" }) { agent { id } } }`,
        { id },
        'CONFLICT',
      ],
      [
        `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
        { i: { email: 'not-an-email', displayName: 'x', roles: [] } },
        'BAD_USER_INPUT',
      ],
      [`query { agent(id: "00000000-0000-4000-8000-000000000000") { id } }`, {}, 'NOT_FOUND'],
      [AGENTS, { filter: { status: 'SLEEPING' } }, 'BAD_USER_INPUT'],
      [AGENTS, { first: -1 }, 'BAD_USER_INPUT'],
      [AGENTS, { after: 'garbage-cursor' }, 'BAD_USER_INPUT'],
      [AGENTS, { filter: { ownerEmail: "x' OR AgentOwner != '" } }, 'BAD_USER_INPUT'],
    ];
    for (const [query, variables, code] of cases) {
      const res = await stack.gql(query, variables, adminToken);
      expect(codes(res), `${query} ${JSON.stringify(variables).slice(0, 120)}`).toEqual([code]);
      expect(res.errors![0]!.message.length).toBeGreaterThan(10);
      expect(JSON.stringify(res.errors)).not.toMatch(/at .*\.ts:\d+|stack/i);
    }
    expect((await stack.gql<any>(AGENT, { id }, adminToken)).data.agent).toEqual(before);
    expect((await stack.client.workflow.count(`AgentName = 'Ghost owned'`)).count).toBe(0);
  });

  it('lists and filters through Temporal visibility, with Relay paging', async () => {
    const platform = `p-${stack.tag}`;
    const ids = [
      await register('Alpha', email('owner'), platform),
      await register('Beta', email('next'), platform),
      await register('Gamma', email('next'), platform),
    ];
    await stack.gql(
      `mutation($id: ID!) { suspendAgent(input: { agentId: $id, reason: "filter test" }) { agent { id } } }`,
      { id: ids[2] },
      adminToken,
    );
    const list = (filter: Record<string, unknown>, first = 10, after?: string) =>
      stack.gql<any>(AGENTS, { filter: { platform, ...filter }, first, after }, adminToken);
    await eventually(async () => (await list({ status: 'SUSPENDED' })).data.agents.edges.length === 1);
    expect((await list({ status: 'SUSPENDED' })).data.agents.edges.map((e: any) => e.node.name)).toEqual(['Gamma']);
    expect((await list({ status: 'ACTIVE' })).data.agents.edges.map((e: any) => e.node.name).sort()).toEqual([
      'Alpha',
      'Beta',
    ]);
    expect((await list({ ownerEmail: email('next') })).data.agents.edges.map((e: any) => e.node.name).sort()).toEqual([
      'Beta',
      'Gamma',
    ]);
    // Page through two at a time.
    const first = (await list({}, 2)).data.agents;
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await list({}, 2, first.pageInfo.endCursor)).data.agents;
    expect(second.edges).toHaveLength(1);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(new Set([...first.edges, ...second.edges].map((e: any) => e.node.id))).toEqual(new Set(ids));
  });

  it('the same agents are filterable with the Temporal CLI (what the Web UI uses)', async () => {
    const platform = `cli-${stack.tag}`;
    const id = await register('Visible in UI', email('owner'), platform);
    const rows = await eventually(async () => {
      const out = execFileSync(
        inject('temporalCli'),
        [
          'workflow',
          'list',
          '--address',
          stack.config.temporal.address,
          '--namespace',
          stack.config.temporal.namespace,
          '--query',
          `AgentPlatform = '${platform}' AND AgentStatus = 'ACTIVE' AND AgentOwner = '${email('owner')}'`,
          '-o',
          'json',
        ],
        { encoding: 'utf8' },
      );
      const parsed = out.trim() ? (JSON.parse(out) as { execution: { workflowId: string } }[]) : [];
      return parsed.length ? parsed : undefined;
    });
    expect(rows.map((r) => r.execution.workflowId)).toEqual([`agent:${id}`]);
    // Names are search attributes (plain, for filtering); everything else in the memo is encrypted.
    const byName = execFileSync(
      inject('temporalCli'),
      [
        'workflow',
        'list',
        '--address',
        stack.config.temporal.address,
        '--query',
        `AgentName = 'Visible in UI' AND AgentPlatform = '${platform}'`,
        '-o',
        'json',
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(byName).map((r: any) => r.execution.workflowId)).toEqual([`agent:${id}`]);
  });
});

describe('hardening', () => {
  it('limits query depth and aliases, and hides field suggestions', async () => {
    const ordinary = `{ viewer { person { email } } agents(first: 5, filter: { ownerEmail: "${email('owner')}" }) { edges { node { events { actor { id } } } } } }`;
    expect((await stack.gql(ordinary, {}, adminToken)).errors).toBeUndefined();
    // Deeper than any real query needs (more than 10 levels).
    const nested = `{ __type(name: "Agent") { fields { type { ofType { ofType { ofType { fields { type { ofType { ofType { name } } } } } } } } } } }`;
    const tooDeep = await stack.gql(nested, {}, adminToken);
    expect(tooDeep.errors?.[0]?.message).toMatch(/depth/i);
    expect(tooDeep.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const aliases = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: viewer { kind }`).join(' ')} }`;
    const tooMany = await stack.gql(aliases, {}, adminToken);
    expect(tooMany.errors?.[0]?.message).toMatch(/alias/i);
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typo = await stack.gql(`{ viewr { kind } }`, {}, adminToken);
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
    expect(typo.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers documents GraphQL refuses with the codes docs/api.md lists, not BAD_USER_INPUT', async () => {
    const syntax = await stack.gql(`{ viewer { kind }`, {}, adminToken);
    expect(syntax.status).toBe(400);
    expect(syntax.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const tokens = await stack.gql(`{ ${Array.from({ length: 2100 }, () => '__typename').join(' ')} }`, {}, adminToken);
    expect(tokens.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(tokens.errors?.[0]?.message).toMatch(/token/i);
    // A variable of the wrong type is bad input, not a bad document.
    const variable = await stack.gql(`query($id: ID!) { agent(id: $id) { id } }`, { id: { not: 'an id' } }, adminToken);
    expect(variable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('turns introspection and GraphiQL off in production', async () => {
    const config = loadConfig({
      ...process.env,
      ...{
        TEMPORAL_ADDRESS: stack.config.temporal.address,
        WARDEN_DATA_DIR: stack.config.dataDir,
        WARDEN_API_PORT: '0',
        NODE_ENV: 'production',
        WARDEN_ALLOW_DEV_ISSUER: 'true',
        WARDEN_VAULT_KEYS: inject('vaultKeys'),
        WARDEN_CODEC_KEYS: inject('codecKeys'),
        WARDEN_TASK_QUEUE: stack.config.temporal.taskQueue,
      },
    });
    const prod = await startApiServer(config, stack.client);
    try {
      const res = await fetch(prod.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ query: '{ __schema { types { name } } }' }),
      });
      const body = (await res.json()) as any;
      expect(body.errors?.[0]?.message).toMatch(/introspection/i);
      const page = await fetch(prod.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toMatch(/graphiql/i);
      // Development still has both.
      const dev = await fetch(stack.api.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(await dev.text()).toMatch(/graphiql/i);
    } finally {
      await prod.close();
    }
  });

  it('answers a path that is not GraphQL with a JSON 404, not a stack trace', async () => {
    const res = await fetch(`${stack.api.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });
});
