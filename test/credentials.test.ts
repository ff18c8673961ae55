/**
 * Credentials without static keys, end to end on the real server: an agent gets an access token with
 * private_key_jwt through a real OAuth client library (oauth4webapi), exchanges it for a grant (RFC 8693),
 * a real tool verifies that grant against the JWKS, a static-key API is called through the gateway with
 * the vaulted secret injected, and a universal logout kills every earlier token everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { toolWorkflowId } from '../domain/tools.js';
import { verifySecurityEvent } from '../tokens/security-events.js';
import { signingKeysWorkflowId } from '../workflows/signing-keys.js';
import { startJwtTool, startReceiver, startStaticKeyApi } from './helpers/http-servers.js';
import { eventually, startStack, type Stack } from './helpers/stack.js';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';

let stack: Stack;
let admin: string;
let erp: Awaited<ReturnType<typeof startJwtTool>>;
let bank: Awaited<ReturnType<typeof startStaticKeyApi>>;
let webhook: Awaited<ReturnType<typeof startReceiver>>;
let ssf: Awaited<ReturnType<typeof startReceiver>>;
let as: oauth.AuthorizationServer;
const BANK_KEY = `sk-live-initial-${crypto.randomUUID()}`;
const owner = () => `owner-${stack.tag}@example.com`;
/** The bank is a gateway tool: its resource is its gateway URL (RFC 9728 discovery finds it there). */
const bankResource = () => `${stack.config.credentials.issuer}/gateway/bank-${stack.tag}`;
/** Every token and secret seen in this file, to look for in raw history at the end. */
const secrets: string[] = [BANK_KEY];

interface AgentHandle {
  id: string;
  privateJwk: JWK;
}

async function registerAgent(
  name: string,
  allowedTools: { tool: string; operations: string[] }[],
): Promise<AgentHandle> {
  const res = await stack.gql<any>(
    `mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { agent { id credential { kid expiresAt } } credential { clientId kid privateJwk expiresAt } } }`,
    { input: { name, ownerEmail: owner(), platform: 'custom', allowedTools } },
    admin,
  );
  expect(res.errors).toBeUndefined();
  const { credential, agent } = res.data.registerAgent;
  expect(credential.clientId).toBe(agent.id);
  expect(credential.kid).toBe(agent.credential.kid);
  secrets.push(credential.privateJwk.d);
  return { id: agent.id, privateJwk: credential.privateJwk };
}

/** The agent's access token, through oauth4webapi with private_key_jwt. */
async function accessToken(agent: AgentHandle): Promise<string> {
  const key = (await importJWK(agent.privateJwk, 'ES256')) as CryptoKey;
  const client: oauth.Client = { client_id: agent.id, token_endpoint_auth_method: 'private_key_jwt' };
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    client,
    oauth.PrivateKeyJwt({ key, kid: agent.privateJwk.kid as string }),
    {},
    { [oauth.allowInsecureRequests]: true },
  );
  const result = await oauth.processClientCredentialsResponse(as, client, response);
  expect(result.token_type).toBe('bearer');
  secrets.push(result.access_token);
  return result.access_token;
}

async function exchange(agent: AgentHandle, token: string, resource: string, scope: string): Promise<Response> {
  const client: oauth.Client = { client_id: agent.id };
  return oauth.genericTokenEndpointRequest(
    as,
    client,
    oauth.None(),
    TOKEN_EXCHANGE,
    { subject_token: token, subject_token_type: ACCESS_TOKEN, resource, scope },
    { [oauth.allowInsecureRequests]: true },
  );
}

async function grant(agent: AgentHandle, token: string, resource: string, scope: string): Promise<string> {
  const result = await oauth.processGenericTokenEndpointResponse(
    as,
    { client_id: agent.id },
    await exchange(agent, token, resource, scope),
  );
  secrets.push(result.access_token);
  return result.access_token;
}

const viewer = (token: string) => stack.gql<any>(`{ viewer { kind subject agent { id status } } }`, {}, token);

beforeAll(async () => {
  webhook = await startReceiver();
  ssf = await startReceiver(202);
  stack = await startStack({
    env: { WARDEN_NOTIFY_WEBHOOK_URL: webhook.url, WARDEN_SSF_RECEIVERS: `${ssf.url}/events` },
  });
  admin = await stack.token(`admin-${stack.tag}@example.com`, ['admin']);
  await stack.gql(
    `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
    { i: { email: owner(), displayName: 'Owner', roles: ['APPROVER'] } },
    admin,
  );

  erp = await startJwtTool({
    wardenUrl: stack.api.url,
    issuer: stack.config.credentials.issuer,
    operations: { 'GET /invoices': 'read_invoice', 'POST /inventory': 'update_inventory' },
  });
  bank = await startStaticKeyApi(BANK_KEY);
  const tools = await stack.gql<any>(
    `mutation($erp: RegisterToolInput!, $bank: RegisterToolInput!) {
      erp: registerTool(input: $erp) { tool { name resource authMode } clientSecret }
      bank: registerTool(input: $bank) { tool { name authMode gatewayPath vault { currentSecretId automaticRotation } } clientSecret }
    }`,
    {
      erp: {
        name: `erp-${stack.tag}`,
        resource: erp.state.resource,
        authMode: 'WARDEN_JWT',
        operations: [
          { name: 'read_invoice', sensitivity: 'LOW' },
          { name: 'update_inventory', sensitivity: 'MEDIUM' },
        ],
      },
      bank: {
        name: `bank-${stack.tag}`,
        authMode: 'VAULTED_SECRET',
        upstreamUrl: bank.url,
        secret: BANK_KEY,
        rotationUrl: `${bank.url}/keys`,
        operations: [
          { name: 'read_balance', sensitivity: 'MEDIUM', method: 'GET', path: '/accounts/*' },
          { name: 'transfer', sensitivity: 'CRITICAL', method: 'POST', path: '/transfers' },
        ],
      },
    },
    admin,
  );
  expect(tools.errors).toBeUndefined();
  erp.state.clientId = tools.data.erp.tool.name;
  erp.state.clientSecret = tools.data.erp.clientSecret;
  expect(tools.data.bank.tool).toMatchObject({
    authMode: 'VAULTED_SECRET',
    gatewayPath: `/gateway/bank-${stack.tag}/`,
    vault: { currentSecretId: 'initial', automaticRotation: true },
  });

  const issuer = new URL(stack.config.credentials.issuer);
  as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }),
  );
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([erp?.close(), bank?.close(), webhook?.close(), ssf?.close()]);
});

describe('agent access tokens (client_credentials + private_key_jwt)', () => {
  it('publishes RFC 8414 metadata, a JWKS with next/current keys, and RFC 9728 resource metadata', async () => {
    expect(as.token_endpoint).toBe(`${stack.config.credentials.issuer}/oauth/token`);
    expect(as.grant_types_supported).toEqual(expect.arrayContaining(['client_credentials', TOKEN_EXCHANGE]));
    const jwks = (await (await fetch(`${stack.api.url}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
    expect(jwks.keys.length).toBeGreaterThanOrEqual(2);
    for (const k of jwks.keys) expect(k).not.toHaveProperty('d');
    // RFC 9728 discovery as a standard client does it (oauth4webapi): the well-known path built from each
    // resource's URL, and a `resource` equal to that URL — for the API and for a gateway tool.
    const insecure = { [oauth.allowInsecureRequests]: true } as const;
    for (const resource of [stack.config.credentials.apiAudience, bankResource()]) {
      const url = new URL(resource);
      const prm = await oauth.processResourceDiscoveryResponse(
        url,
        await oauth.resourceDiscoveryRequest(url, insecure),
      );
      expect(prm, resource).toMatchObject({ resource, authorization_servers: [stack.config.credentials.issuer] });
    }
    expect((await fetch(`${stack.api.url}/.well-known/oauth-protected-resource`)).status).toBe(404);
    const unauth = await fetch(stack.api.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{viewer{kind}}"}',
    });
    expect(unauth.headers.get('www-authenticate')).toContain(
      `resource_metadata="${stack.config.credentials.issuer}/.well-known/oauth-protected-resource/graphql"`,
    );
    // The metadata names only what each endpoint accepts.
    expect(as.revocation_endpoint_auth_methods_supported).toEqual(['private_key_jwt']);
    expect(as.introspection_endpoint_auth_methods_supported).toEqual(['client_secret_basic']);
  });

  it('an agent gets an RFC 9068 access token and the API knows it', async () => {
    const agent = await registerAgent('Token taker', []);
    const token = await accessToken(agent);
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createLocalJWKSet((await (await fetch(`${stack.api.url}/.well-known/jwks.json`)).json()) as { keys: JWK[] }),
      {
        issuer: stack.config.credentials.issuer,
        audience: stack.config.credentials.apiAudience,
      },
    );
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ sub: agent.id, client_id: agent.id });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300);
    expect(typeof payload.jti).toBe('string');
    expect((await viewer(token)).data.viewer).toEqual({
      kind: 'AGENT',
      subject: agent.id,
      agent: { id: agent.id, status: 'ACTIVE' },
    });
  });

  it('refuses a replayed client assertion, a long-lived one, and one signed by another key', async () => {
    const agent = await registerAgent('Replay target', []);
    const key = await importJWK(agent.privateJwk, 'ES256');
    const assertion = (lifetime = 60, k = key, kid = agent.privateJwk.kid as string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuer(agent.id)
        .setSubject(agent.id)
        .setAudience(as.token_endpoint!)
        .setIssuedAt()
        .setExpirationTime(`${lifetime}s`)
        .setJti(crypto.randomUUID())
        .sign(k);
    const post = (a: string) =>
      fetch(as.token_endpoint!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: a,
        }),
      });
    const once = await assertion();
    expect((await post(once)).status).toBe(200);
    const replay = await post(once);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({
      error: 'invalid_client',
      error_description: expect.stringMatching(/replayed/),
    });
    expect((await post(await assertion(3600))).status).toBe(401);
    const other = (await import('jose')).generateKeyPair('ES256');
    expect((await post(await assertion(60, (await other).privateKey))).status).toBe(401);
    const unsupported = await fetch(as.token_endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&username=a&password=b',
    });
    expect(await unsupported.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('a replay is refused by the API process that saw the assertion, and with WARDEN_ASSERTION_REPLAY=deployment by every API process', async () => {
    const agent = await registerAgent('Replay across processes', []);
    const key = await importJWK(agent.privateJwk, 'ES256');
    const assertion = () =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: agent.privateJwk.kid as string })
        .setIssuer(agent.id)
        .setSubject(agent.id)
        .setAudience(as.token_endpoint!)
        .setIssuedAt()
        .setExpirationTime('60s')
        .setJti(crypto.randomUUID())
        .sign(key);
    const post = (url: string, a: string) =>
      fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: a,
        }),
      });
    const { startApiServer } = await import('../api/server.js');
    const apiWith = (assertionReplay: 'process' | 'deployment') =>
      startApiServer(
        {
          ...stack.config,
          api: { ...stack.config.api, port: 0 },
          credentials: { ...stack.config.credentials, assertionReplay },
        },
        stack.client,
      );
    const [p1, p2, d1, d2] = await Promise.all([
      apiWith('process'),
      apiWith('process'),
      apiWith('deployment'),
      apiWith('deployment'),
    ]);
    try {
      // Process scope (the default): exact within a process; another process has its own memory.
      const a = await assertion();
      expect((await post(p1.url, a)).status).toBe(200);
      expect((await post(p1.url, a)).status).toBe(401);
      expect((await post(p2.url, a)).status).toBe(200);
      // Deployment scope: the jti is recorded in the agent's workflow before the token leaves.
      const b = await assertion();
      expect((await post(d1.url, b)).status).toBe(200);
      const across = await post(d2.url, b);
      expect(across.status).toBe(401);
      expect(await across.json()).toMatchObject({
        error: 'invalid_client',
        error_description: expect.stringMatching(/replayed/),
      });
    } finally {
      await Promise.all([p1.close(), p2.close(), d1.close(), d2.close()]);
    }
  });
});

describe('grants (token exchange) and the two ways tools trust them', () => {
  it('a WARDEN_JWT tool verifies the grant against the JWKS; grants are refused outside the allowed set', async () => {
    const erpName = `erp-${stack.tag}`;
    const agent = await registerAgent('Invoice reader', [{ tool: erpName, operations: ['read_invoice'] }]);
    const token = await accessToken(agent);
    const g = await grant(agent, token, erp.state.resource, 'read_invoice');
    const call = await fetch(`${erp.url}/invoices`, { headers: { authorization: `Bearer ${g}` } });
    expect(call.status).toBe(200);
    expect(erp.state.calls.at(-1)).toEqual({ operation: 'read_invoice', agent: agent.id });
    // The grant's scope is enforced by the tool.
    expect(
      (await fetch(`${erp.url}/inventory`, { method: 'POST', headers: { authorization: `Bearer ${g}` } })).status,
    ).toBe(403);
    // An access token is not a grant, and a grant is not an access token.
    expect((await fetch(`${erp.url}/invoices`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await viewer(g)).status).toBe(401);
    // Outside the allowed set: invalid_scope / invalid_target, each audited.
    const scope = await exchange(agent, token, erp.state.resource, 'update_inventory');
    expect(scope.status).toBe(400);
    expect(await scope.json()).toMatchObject({ error: 'invalid_scope' });
    const target = await exchange(agent, token, bankResource(), 'read_balance');
    expect(await target.json()).toMatchObject({ error: 'invalid_target' });
    const unknown = await exchange(agent, token, 'https://nowhere.example.com/', 'read');
    expect(await unknown.json()).toMatchObject({ error: 'invalid_target' });
    const refused = await eventually(async () => {
      const page = await stack.api.audit.query({ agentId: agent.id, type: 'io.warden.grant.refused' }, 50, null);
      return page.events.length === 3 ? page.events : undefined;
    });
    expect(refused.map((e) => e.data.message).join('\n')).toMatch(
      /invalid_scope[\s\S]*invalid_target[\s\S]*invalid_target/,
    );
    expect(await stack.api.audit.verify()).toEqual({ ok: true });
  });

  it('a person can delegate to an agent: the grant carries an act claim', async () => {
    const erpName = `erp-${stack.tag}`;
    const agent = await registerAgent('Delegate', [{ tool: erpName, operations: ['read_invoice'] }]);
    const human = await stack.token(owner(), ['approver']);
    const res = await oauth.genericTokenEndpointRequest(
      as,
      { client_id: agent.id },
      oauth.None(),
      TOKEN_EXCHANGE,
      {
        subject_token: human,
        subject_token_type: ACCESS_TOKEN,
        actor_token: await accessToken(agent),
        actor_token_type: ACCESS_TOKEN,
        resource: erp.state.resource,
        scope: 'read_invoice',
      },
      { [oauth.allowInsecureRequests]: true },
    );
    const result = await oauth.processGenericTokenEndpointResponse(as, { client_id: agent.id }, res);
    const claims = JSON.parse(Buffer.from(result.access_token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({
      sub: owner(),
      act: { sub: agent.id },
      client_id: agent.id,
      aud: erp.state.resource,
    });
    expect(
      (await fetch(`${erp.url}/invoices`, { headers: { authorization: `Bearer ${result.access_token}` } })).status,
    ).toBe(200);
  });

  it('a VAULTED_SECRET tool is called through the gateway; the agent never sees the secret', async () => {
    const bankName = `bank-${stack.tag}`;
    const agent = await registerAgent('Balance reader', [{ tool: bankName, operations: ['read_balance'] }]);
    const g = await grant(agent, await accessToken(agent), bankResource(), 'read_balance');
    // Exchange grants are bound to one record per call and no money: the request says what it touches.
    expect(
      (
        await fetch(`${stack.api.url}/gateway/${bankName}/accounts/42`, {
          headers: { authorization: `Bearer ${g}`, 'warden-volume': '500' },
        })
      ).status,
    ).toBe(403);
    const res = await fetch(`${stack.api.url}/gateway/${bankName}/accounts/42`, {
      headers: { authorization: `Bearer ${g}`, 'warden-volume': '1' },
    });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ account: '42', balance: 1_000_000 });
    expect(body).not.toContain(BANK_KEY);
    expect(bank.seen.at(-1)).toEqual({
      path: '/accounts/42',
      url: '/accounts/42',
      key: `Bearer ${BANK_KEY}`,
      agent: agent.id,
    });
    // An operation outside the grant's scope, an unmapped request, no grant, a grant for another tool.
    expect(
      (
        await fetch(`${stack.api.url}/gateway/${bankName}/transfers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${g}`, 'warden-volume': '1' },
          body: '{}',
        })
      ).status,
    ).toBe(403);
    expect(
      (await fetch(`${stack.api.url}/gateway/${bankName}/admin`, { headers: { authorization: `Bearer ${g}` } })).status,
    ).toBe(403);
    const none = await fetch(`${stack.api.url}/gateway/${bankName}/accounts/42`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain(
      `resource_metadata="${stack.config.credentials.issuer}/.well-known/oauth-protected-resource/gateway/${bankName}"`,
    );
    const erpAgent = await registerAgent('Wrong tool', [{ tool: `erp-${stack.tag}`, operations: ['read_invoice'] }]);
    const erpGrant = await grant(erpAgent, await accessToken(erpAgent), erp.state.resource, 'read_invoice');
    expect(
      (
        await fetch(`${stack.api.url}/gateway/${bankName}/accounts/42`, {
          headers: { authorization: `Bearer ${erpGrant}` },
        })
      ).status,
    ).toBe(401);
  });
});

describe('universal logout', () => {
  it('from the moment it returns, every earlier token is refused by the API, the gateway, introspection and the tool', async () => {
    const agent = await registerAgent('To be logged out', [
      { tool: `erp-${stack.tag}`, operations: ['read_invoice'] },
      { tool: `bank-${stack.tag}`, operations: ['read_balance'] },
    ]);
    const token = await accessToken(agent);
    const erpGrant = await grant(agent, token, erp.state.resource, 'read_invoice');
    const bankGrant = await grant(agent, token, bankResource(), 'read_balance');
    expect((await viewer(token)).status).toBe(200);

    const logout = await stack.gql<any>(
      `mutation($id: ID!) { universalLogout(input: { agentId: $id, reason: "prompt injection suspected" }) { agent { status revokedBefore } revokedAt } }`,
      { id: agent.id },
      admin,
    );
    expect(logout.errors).toBeUndefined();
    expect(logout.data.universalLogout.agent.status).toBe('SUSPENDED');

    const api = await viewer(token);
    expect(api.status).toBe(401);
    expect(api.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(
      (
        await fetch(`${stack.api.url}/gateway/bank-${stack.tag}/accounts/1`, {
          headers: { authorization: `Bearer ${bankGrant}`, 'warden-volume': '1' },
        })
      ).status,
    ).toBe(401);
    expect((await fetch(`${erp.url}/invoices`, { headers: { authorization: `Bearer ${erpGrant}` } })).status).toBe(401);
    for (const t of [token, erpGrant, bankGrant]) {
      const res = await fetch(`${stack.api.url}/oauth/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${admin}` },
        body: new URLSearchParams({ token: t }),
      });
      expect(await res.json()).toEqual({ active: false });
    }
    // No new tokens either: the agent is suspended.
    await expect(accessToken(agent)).rejects.toThrow();

    // The owner is told, and Shared Signals receivers get a signed CAEP session-revoked event.
    await eventually(async () =>
      webhook.received.some((r) => r.body.includes(agent.id) && r.body.includes('logged out')),
    );
    const set = await eventually(async () =>
      ssf.received.find((r) => r.contentType === 'application/secevent+jwt' && r.body.length > 0),
    );
    const event = await verifySecurityEvent(set.body, {
      jwks: (await (await fetch(`${stack.api.url}/.well-known/jwks.json`)).json()) as { keys: JWK[] },
      issuer: stack.config.credentials.issuer,
      audience: `${ssf.url}/events`,
    });
    expect(event.subject).toMatchObject({ format: 'opaque', id: agent.id });
    expect(event.eventType).toBe('https://schemas.openid.net/secevent/caep/event-type/session-revoked');
  });

  it('a second API process honours the logout within the revocation cache bound', async () => {
    const { startApiServer } = await import('../api/server.js');
    const other = await startApiServer({ ...stack.config, api: { ...stack.config.api, port: 0 } }, stack.client);
    try {
      const agent = await registerAgent('Seen by two', []);
      const token = await accessToken(agent);
      const ask = async () =>
        (
          await fetch(other.graphqlUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: '{"query":"{viewer{kind}}"}',
          })
        ).status;
      expect(await ask()).toBe(200);
      await stack.gql(
        `mutation($id: ID!) { universalLogout(input: { agentId: $id, reason: "test" }) { revokedAt } }`,
        { id: agent.id },
        admin,
      );
      // The other process learns within its cache bound (WARDEN_REVOCATION_CACHE, 500 ms by default).
      await new Promise((r) => setTimeout(r, stack.config.credentials.revocationCacheMs + 50));
      expect(await ask()).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('RFC 7009: an agent revokes one of its own tokens, with its access token as bearer', async () => {
    const agent = await registerAgent('Self revoker', []);
    const keep = await accessToken(agent);
    const drop = await accessToken(agent);
    const res = await fetch(`${stack.api.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${keep}` },
      body: new URLSearchParams({ token: drop }),
    });
    expect(res.status).toBe(200);
    expect((await viewer(drop)).status).toBe(401);
    expect((await viewer(keep)).status).toBe(200);
  });

  it('RFC 7009 with private_key_jwt, as the metadata advertises: a standard client (oauth4webapi) revokes, unmodified', async () => {
    const agent = await registerAgent('Standard revoker', []);
    const keep = await accessToken(agent);
    const drop = await accessToken(agent);
    const key = (await importJWK(agent.privateJwk, 'ES256')) as CryptoKey;
    const client: oauth.Client = { client_id: agent.id, token_endpoint_auth_method: 'private_key_jwt' };
    const auth = oauth.PrivateKeyJwt({ key, kid: agent.privateJwk.kid as string });
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, auth, drop, { [oauth.allowInsecureRequests]: true }),
    );
    expect((await viewer(drop)).status).toBe(401);
    expect((await viewer(keep)).status).toBe(200);
    // Another agent's assertion revokes nothing of this agent's (200, as RFC 7009 asks), and a bad one is refused.
    const other = await registerAgent('Other revoker', []);
    const otherKey = (await importJWK(other.privateJwk, 'ES256')) as CryptoKey;
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(
        as,
        { client_id: other.id },
        oauth.PrivateKeyJwt({ key: otherKey, kid: other.privateJwk.kid as string }),
        keep,
        { [oauth.allowInsecureRequests]: true },
      ),
    );
    expect((await viewer(keep)).status).toBe(200);
    const forged = await oauth.revocationRequest(
      as,
      { client_id: agent.id },
      oauth.PrivateKeyJwt({ key: otherKey, kid: agent.privateJwk.kid as string }),
      keep,
      { [oauth.allowInsecureRequests]: true },
    );
    expect(forged.status).toBe(401);
    expect((await viewer(keep)).status).toBe(200);
  });
});

describe('secrets stay secret', () => {
  it('the codec server lets an admin read encrypted payloads, and nobody else', async () => {
    // (A person who may not read gets the payloads back as sent; anyone else a 401.)
    const raw = await stack.connection.workflowService.getWorkflowExecutionHistory({
      namespace: stack.config.temporal.namespace,
      execution: { workflowId: toolWorkflowId(`erp-${stack.tag}`) },
    });
    const started = raw.history!.events![0]!.workflowExecutionStartedEventAttributes!;
    const payload = started.input!.payloads![0]!;
    const body = JSON.stringify({
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(payload.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
          data: Buffer.from(payload.data!).toString('base64'),
        },
      ],
    });
    const decode = (headers: Record<string, string>) =>
      fetch(`${stack.api.url}/codec/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const ok = await decode({ authorization: `Bearer ${admin}` });
    expect(ok.status).toBe(200);
    const decoded = (await ok.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(decoded.payloads[0]!.data, 'base64').toString()).toContain(`erp-${stack.tag}`);
    expect((await decode({})).status).toBe(401);
    const byOwner = await decode({ authorization: `Bearer ${await stack.token(owner(), ['approver'])}` });
    expect(byOwner.status).toBe(200);
    expect(byOwner.headers.get('x-warden-codec')).toBe('not-decoded');
    expect(JSON.stringify(await byOwner.json())).toBe(body);
  });

  it('raw workflow histories (without the codec) hold no private key, secret, access token or grant', async () => {
    const ids = [
      signingKeysWorkflowId(stack.config.temporal.taskQueue),
      toolWorkflowId(`bank-${stack.tag}`),
      toolWorkflowId(`erp-${stack.tag}`),
    ];
    for await (const info of stack.client.workflow.list({
      query: `WorkflowType = 'agentLifecycleWorkflow' AND AgentOwner = '${owner()}'`,
    }))
      ids.push(info.workflowId);
    expect(ids.length).toBeGreaterThan(8);
    const ring = await stack.api.services.signingKeys.get();
    const needles = [...secrets, ring.current.privateJwk.d!, ring.next.privateJwk.d!].filter(Boolean);
    for (const workflowId of ids) {
      const raw = await stack.connection.workflowService.getWorkflowExecutionHistory({
        namespace: stack.config.temporal.namespace,
        execution: { workflowId },
      });
      const bytes = Buffer.from(JSON.stringify(raw.toJSON()));
      const decodedData = JSON.stringify(raw.toJSON());
      // The payloads are there — encrypted by the codec.
      expect(decodedData, workflowId).toContain(Buffer.from('binary/encrypted').toString('base64'));
      for (const needle of needles) {
        expect(decodedData.includes(needle), `${needle.slice(0, 12)}… in ${workflowId}`).toBe(false);
        expect(
          bytes.includes(Buffer.from(needle).toString('base64').slice(4, 40)),
          `base64 of ${needle.slice(0, 12)}… in ${workflowId}`,
        ).toBe(false);
      }
    }
  });
});
