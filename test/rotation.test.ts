/**
 * Rotation on the real Temporal server, with intervals of seconds (the duration variables, per stack):
 *
 *  1–3. agent credentials: a successor at 75 % of the age, both keys during the overlap, the old key
 *       refused after it expires; a missed rotation suspends the agent and tells its owner; a forced
 *       rotation with the agent's own public key works at once;
 *  4.   Warden's signing keys: the ring turns on its timer, the JWKS always holds 2–3 keys, and a token
 *       signed before a rotation still verifies after it;
 *  5.   vaulted upstream secrets: rotated through the tool's rotation endpoint while the gateway keeps
 *       working, the old secret revoked after the grace period, never more than two valid upstream; failed
 *       rotations show up, alert and leave the current secret in use;
 *  6.   a worker process SIGKILLed mid-rotation: the idempotency key means the upstream issues exactly one
 *       new secret, and an agent gets exactly one successor.
 *
 * Nothing here waits on a fixed delay to assert anything: every wait is a poll for an observable state.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type JWK,
} from 'jose';
import { getSigningKeysQuery, signingKeysWorkflowId } from '../workflows/signing-keys.js';
import { listen, startReceiver, startStaticKeyApi } from './helpers/http-servers.js';
import { startSplitStack, type SplitStack } from './helpers/split-stack.js';
import { eventually, startStack, type Stack } from './helpers/stack.js';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
/** Polls below are generous: the machine may be busy; nothing is asserted about how long things take. */
const LONG = 90_000;

// ---------------------------------------------------------------------------------------------------------
// A small client of one Warden stack (in-process worker or worker process alike)

type Platform = Pick<Stack, 'gql' | 'token' | 'api' | 'config' | 'tag'>;

interface CredentialView {
  kid: string;
  issuedAt: string;
  rotationDueAt: string;
  expiresAt: string;
}

interface AgentEventView {
  kind: string;
  at: string;
  actor: { kind: string; id: string };
  fromStatus: string | null;
  toStatus: string;
  reason: string;
  details: { key: string; value: string }[];
}

interface AgentView {
  id: string;
  status: string;
  credential: CredentialView | null;
  successorCredential: CredentialView | null;
  events: AgentEventView[];
}

interface RegisteredAgent {
  id: string;
  /** The private key Warden generated at registration (with its kid). */
  key: JWK;
  credential: CredentialView;
}

const CREDENTIAL = 'kid issuedAt rotationDueAt expiresAt';
const AGENT = `id status credential { ${CREDENTIAL} } successorCredential { ${CREDENTIAL} } events { kind at actor { kind id } fromStatus toStatus reason details { key value } }`;

type TokenOutcome = { status: 200; token: string } | { status: number; error: string; description: string };

interface Webhook {
  type: string;
  kind: string;
  agentId: string;
  to: string[];
  subject: string;
  text: string;
}

async function client(s: Platform) {
  const admin = await s.token(`admin-${s.tag}@example.com`, ['admin']);
  const owner = `owner-${s.tag}@example.com`;
  const person = await s.gql(
    `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
    { i: { email: owner, displayName: 'Owner', roles: [] } },
    admin,
  );
  expect(person.errors).toBeUndefined();
  const issuer = new URL(s.config.credentials.issuer);
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }),
  );

  const c = {
    admin,
    owner,
    as,

    async registerAgent(
      name: string,
      allowedTools: { tool: string; operations: string[] }[] = [],
    ): Promise<RegisteredAgent> {
      const res = await s.gql<any>(
        `mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { agent { id credential { ${CREDENTIAL} } } credential { clientId kid privateJwk } } }`,
        { input: { name, ownerEmail: owner, platform: 'custom', allowedTools } },
        admin,
      );
      expect(res.errors).toBeUndefined();
      const { agent, credential } = res.data.registerAgent;
      expect(credential.kid).toBe(agent.credential.kid);
      return { id: agent.id, key: credential.privateJwk, credential: agent.credential };
    },

    async agent(id: string, bearer = admin): Promise<AgentView> {
      const res = await s.gql<{ agent: AgentView }>(`query($id: ID!) { agent(id: $id) { ${AGENT} } }`, { id }, bearer);
      expect(res.errors).toBeUndefined();
      return res.data!.agent;
    },

    /** client_credentials with private_key_jwt through oauth4webapi, signed with `key` (its kid in the header). */
    async requestToken(agentId: string, key: JWK): Promise<TokenOutcome> {
      const privateKey = (await importJWK(key, 'ES256')) as CryptoKey;
      const oauthClient: oauth.Client = { client_id: agentId, token_endpoint_auth_method: 'private_key_jwt' };
      const res = await oauth.clientCredentialsGrantRequest(
        as,
        oauthClient,
        oauth.PrivateKeyJwt({ key: privateKey, kid: key.kid as string }),
        {},
        { [oauth.allowInsecureRequests]: true },
      );
      if (res.status !== 200) {
        const body = (await res.json()) as { error: string; error_description: string };
        return { status: res.status, error: body.error, description: body.error_description };
      }
      const result = await oauth.processClientCredentialsResponse(as, oauthClient, res);
      return { status: 200, token: result.access_token };
    },

    async accessToken(agentId: string, key: JWK): Promise<string> {
      const outcome = await c.requestToken(agentId, key);
      expect(outcome, `token for ${agentId} with key ${key.kid}`).toMatchObject({ status: 200 });
      return (outcome as { token: string }).token;
    },

    async grant(agentId: string, accessToken: string, resource: string, scope: string): Promise<string> {
      const res = await oauth.genericTokenEndpointRequest(
        as,
        { client_id: agentId },
        oauth.None(),
        TOKEN_EXCHANGE,
        { subject_token: accessToken, subject_token_type: ACCESS_TOKEN, resource, scope },
        { [oauth.allowInsecureRequests]: true },
      );
      return (await oauth.processGenericTokenEndpointResponse(as, { client_id: agentId }, res)).access_token;
    },

    async collect(accessToken: string) {
      return s.gql<{ collectCredentialSuccessor: { kid: string; privateJwk: JWK; expiresAt: string } }>(
        `mutation { collectCredentialSuccessor { kid privateJwk expiresAt } }`,
        {},
        accessToken,
      );
    },

    async viewerStatus(accessToken: string): Promise<number> {
      return (await s.gql(`{ viewer { kind subject } }`, {}, accessToken)).status;
    },

    async registerVaultedTool(name: string, bank: { url: string }, secret: string, rotationUrl: string) {
      const res = await s.gql<any>(
        `mutation($input: RegisterToolInput!) { registerTool(input: $input) { tool { name vault { currentSecretId rotations automaticRotation } } } }`,
        {
          input: {
            name,
            authMode: 'VAULTED_SECRET',
            upstreamUrl: bank.url,
            secret,
            rotationUrl,
            operations: [{ name: 'read_balance', sensitivity: 'MEDIUM', method: 'GET', path: '/accounts/*' }],
          },
        },
        admin,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.registerTool.tool.vault).toEqual({
        currentSecretId: 'initial',
        rotations: 0,
        automaticRotation: true,
      });
    },

    /** The tool's vault as GraphQL shows it (`tools`), or undefined. */
    async vault(
      name: string,
    ): Promise<{ currentSecretId: string; rotations: number; lastError: string | null } | undefined> {
      const res = await s.gql<any>(
        `{ tools { name vault { currentSecretId rotations rotatedAt lastError } } }`,
        {},
        admin,
      );
      expect(res.errors).toBeUndefined();
      return res.data.tools.find((t: { name: string }) => t.name === name)?.vault;
    },

    /** An agent allowed `read_balance` on the tool, and a grant for it. */
    async grantFor(tool: string, _bank: { url: string }): Promise<string> {
      const agent = await c.registerAgent(`Reader of ${tool}`, [{ tool, operations: ['read_balance'] }]);
      return c.grant(
        agent.id,
        await c.accessToken(agent.id, agent.key),
        `${s.config.credentials.issuer}/gateway/${tool}`,
        'read_balance',
      );
    },

    /** One record read through the gateway (exchange grants are bound to one record per call). */
    gateway(tool: string, grant: string): Promise<Response> {
      return fetch(`${s.api.url}/gateway/${tool}/accounts/42`, {
        headers: { authorization: `Bearer ${grant}`, 'warden-volume': '1' },
      });
    },
  };
  return c;
}

const kinds = (a: AgentView) => a.events.map((e) => e.kind);
const detail = (e: AgentEventView | undefined, key: string) => e?.details.find((d) => d.key === key)?.value;
const webhooks = (receiver: { received: { body: string }[] }): Webhook[] =>
  receiver.received.map((r) => JSON.parse(r.body) as Webhook);
const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

/** Records what the static-key API issues and revokes, and the most keys it ever held valid at once. */
function watchKeys(bank: { keys: Map<string, string> }) {
  const keys = bank.keys;
  const log = {
    issued: [] as { id: string; at: number }[],
    revoked: [] as { id: string; at: number }[],
    maxValid: keys.size,
  };
  const set = keys.set.bind(keys);
  const del = keys.delete.bind(keys);
  keys.set = (id: string, secret: string) => {
    set(id, secret);
    log.issued.push({ id, at: Date.now() });
    log.maxValid = Math.max(log.maxValid, keys.size);
    return keys;
  };
  keys.delete = (id: string) => {
    const had = del(id);
    if (had) log.revoked.push({ id, at: Date.now() });
    return had;
  };
  return log;
}

// ---------------------------------------------------------------------------------------------------------

describe('agent credentials rotate on their timer', () => {
  // Successor at 75 % (12 s), overlap until 16 s.
  const MAX_AGE_MS = 16_000;
  let stack: Stack;
  let webhook: Awaited<ReturnType<typeof startReceiver>>;
  let c: Awaited<ReturnType<typeof client>>;

  beforeAll(async () => {
    webhook = await startReceiver();
    stack = await startStack({
      env: { WARDEN_AGENT_CREDENTIAL_MAX_AGE: `${MAX_AGE_MS}ms`, WARDEN_NOTIFY_WEBHOOK_URL: webhook.url },
    });
    c = await client(stack);
  });

  afterAll(async () => {
    await stack?.stop();
    await webhook?.close();
  });

  it('a successor at rotationDueAt, both keys during the overlap, then only the successor; the agent stays ACTIVE', async () => {
    const agent = await c.registerAgent('Rotating agent');
    const old = agent.credential;
    expect(Date.parse(old.expiresAt) - Date.parse(old.issuedAt)).toBe(MAX_AGE_MS);
    expect(Date.parse(old.rotationDueAt) - Date.parse(old.issuedAt)).toBe(MAX_AGE_MS * 0.75);

    // Before the rotation is due: the current key works, and there is no successor to collect.
    const accessToken = await c.accessToken(agent.id, agent.key);
    expect((await c.agent(agent.id)).successorCredential).toBeNull();
    const early = await c.collect(accessToken);
    expect(early.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const stranger = {
      ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey)),
      kid: old.kid,
    };
    expect(await c.requestToken(agent.id, stranger)).toMatchObject({ status: 401, error: 'invalid_client' });

    // The timer issues the successor (never before it is due).
    const successor = await eventually(async () => (await c.agent(agent.id)).successorCredential, LONG);
    expect(successor.kid).not.toBe(old.kid);
    expect(Date.parse(successor.issuedAt)).toBeGreaterThanOrEqual(Date.parse(old.rotationDueAt));
    expect(Date.parse(successor.expiresAt) - Date.parse(successor.issuedAt)).toBe(MAX_AGE_MS);

    // The agent collects it with its current access token — once.
    const collected = await c.collect(accessToken);
    expect(collected.errors).toBeUndefined();
    const next = collected.data!.collectCredentialSuccessor;
    expect(next).toMatchObject({ kid: successor.kid, expiresAt: successor.expiresAt });
    expect(next.privateJwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: successor.kid, d: expect.any(String) });
    expect(await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: next.privateJwk.x, y: next.privateJwk.y })).toBe(
      successor.kid,
    );
    const again = await c.collect(accessToken);
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // The overlap: both keys obtain tokens; using the successor takes it up.
    expect(await c.requestToken(agent.id, agent.key)).toMatchObject({ status: 200 });
    const withSuccessor = await c.accessToken(agent.id, next.privateJwk);
    expect(await c.viewerStatus(withSuccessor)).toBe(200);

    // After the old key's expiry: the successor is the credential, and only it works.
    const rotated = await eventually(async () => {
      const a = await c.agent(agent.id);
      return a.credential?.kid === successor.kid && a;
    }, LONG);
    expect(rotated.status).toBe('ACTIVE');
    expect(rotated.successorCredential).toBeNull();
    expect(rotated.credential).toEqual(successor);
    expect(await c.requestToken(agent.id, agent.key)).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(await c.requestToken(agent.id, next.privateJwk)).toMatchObject({ status: 200 });

    const started = rotated.events.find((e) => e.kind === 'CREDENTIAL_ROTATION_STARTED');
    expect(started).toMatchObject({
      actor: { kind: 'SYSTEM', id: 'warden' },
      fromStatus: 'ACTIVE',
      toStatus: 'ACTIVE',
    });
    expect(detail(started, 'successorKid')).toBe(successor.kid);
    const retired = rotated.events.find((e) => e.kind === 'CREDENTIAL_ROTATED');
    expect(retired).toMatchObject({
      actor: { kind: 'SYSTEM', id: 'warden' },
      fromStatus: 'ACTIVE',
      toStatus: 'ACTIVE',
    });
    expect(Date.parse(retired!.at)).toBeGreaterThanOrEqual(Date.parse(old.expiresAt));
    expect(kinds(rotated)).toEqual(['REGISTERED', 'CREDENTIAL_ROTATION_STARTED', 'CREDENTIAL_ROTATED']);
    // The owner was told a new credential was ready.
    await eventually(async () =>
      webhooks(webhook).some((w) => w.agentId === agent.id && w.to.includes(c.owner) && w.text.includes(successor.kid)),
    );
  }, 120_000);

  it('an agent that never uses its successor is SUSPENDED when the old key expires, and its owner is notified', async () => {
    const agent = await c.registerAgent('Forgetful agent');
    expect(await c.requestToken(agent.id, agent.key)).toMatchObject({ status: 200 });

    const successor = await eventually(async () => (await c.agent(agent.id)).successorCredential, LONG);
    const suspended = await eventually(async () => {
      const a = await c.agent(agent.id);
      return a.status === 'SUSPENDED' && a;
    }, LONG);
    expect(kinds(suspended)).toEqual(['REGISTERED', 'CREDENTIAL_ROTATION_STARTED', 'CREDENTIAL_ROTATION_MISSED']);
    expect(suspended.events.at(-1)).toMatchObject({
      actor: { kind: 'SYSTEM', id: 'warden' },
      fromStatus: 'ACTIVE',
      toStatus: 'SUSPENDED',
    });
    expect(Date.parse(suspended.events.at(-1)!.at)).toBeGreaterThanOrEqual(Date.parse(agent.credential.expiresAt));
    expect(suspended.successorCredential).toBeNull();
    expect(suspended.credential?.kid).toBe(successor.kid);
    expect(await c.requestToken(agent.id, agent.key)).toMatchObject({ status: 401, error: 'invalid_client' });

    const notice = await eventually(async () =>
      webhooks(webhook).find((w) => w.agentId === agent.id && /rotation missed/.test(w.subject)),
    );
    expect(notice).toMatchObject({ type: 'warden.agent', kind: 'agent', to: [c.owner] });
    expect(notice.text).toContain('suspended');
  }, 120_000);

  it("rotateAgentCredential with the agent's own public key: the successor is that key and works at once", async () => {
    const agent = await c.registerAgent('Self-keyed agent');
    const ownerToken = await stack.token(c.owner, []);
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const rotate = (jwk: JWK) =>
      stack.gql<any>(
        `mutation($input: RotateAgentCredentialInput!) { rotateAgentCredential(input: $input) { agent { ${AGENT} } } }`,
        { input: { agentId: agent.id, publicJwk: jwk } },
        ownerToken,
      );

    // Private material is refused, and nothing changes.
    const leaked = await rotate(await exportJWK(privateKey));
    expect(leaked.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await c.agent(agent.id)).successorCredential).toBeNull();

    const res = await rotate(publicJwk);
    expect(res.errors).toBeUndefined();
    const rotated: AgentView = res.data.rotateAgentCredential.agent;
    const successor = rotated.successorCredential!;
    expect(successor.kid).toBe(kid);
    expect(Date.parse(successor.expiresAt) - Date.parse(successor.issuedAt)).toBe(MAX_AGE_MS);
    // The old key stays for the usual overlap (a quarter of the age) from now — no longer.
    expect(rotated.credential?.kid).toBe(agent.credential.kid);
    expect(Date.parse(rotated.credential!.expiresAt) - Date.parse(successor.issuedAt)).toBe(MAX_AGE_MS / 4);
    expect(rotated.events.at(-1)).toMatchObject({
      kind: 'CREDENTIAL_ROTATION_STARTED',
      actor: { kind: 'HUMAN', id: c.owner },
    });
    expect(detail(rotated.events.at(-1), 'successorKid')).toBe(kid);

    // At once: the new key obtains tokens (and the old one still does, until it expires).
    const own = { ...(await exportJWK(privateKey)), kid };
    const token = await c.accessToken(agent.id, own);
    expect(await c.viewerStatus(token)).toBe(200);
    expect(await c.requestToken(agent.id, agent.key)).toMatchObject({ status: 200 });
    // Nothing to collect: Warden never held this private key.
    expect((await c.collect(token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // When the old key expires, the agent's own key is the credential.
    const after = await eventually(async () => {
      const a = await c.agent(agent.id);
      return a.credential?.kid === kid && a;
    }, LONG);
    expect(after.status).toBe('ACTIVE');
    expect(kinds(after)).toEqual(['REGISTERED', 'CREDENTIAL_ROTATION_STARTED', 'CREDENTIAL_ROTATED']);
    expect(after.credential).toEqual(successor);
    // It became current with most of its life ahead: its own rotation is not due yet.
    expect(Date.parse(successor.rotationDueAt)).toBeGreaterThan(Date.parse(after.events.at(-1)!.at));
    expect(await c.requestToken(agent.id, agent.key)).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(await c.requestToken(agent.id, own)).toMatchObject({ status: 200 });
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------------------

describe("Warden's signing keys rotate on their timer", () => {
  let stack: Stack;
  let c: Awaited<ReturnType<typeof client>>;

  beforeAll(async () => {
    stack = await startStack({ env: { WARDEN_SIGNING_KEY_ROTATION: '3s' } });
    c = await client(stack);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('a routine grant is signed again by the key it was recorded with while that key is published; once it is not, there is no grant to hand out', async () => {
    const ring = () =>
      stack.client.workflow
        .getHandle(signingKeysWorkflowId(stack.config.temporal.taskQueue))
        .query(getSigningKeysQuery);
    const tool = `tickets-${stack.tag}`;
    const registered = await stack.gql(
      `mutation($t: RegisterToolInput!) { registerTool(input: $t) { tool { name } } }`,
      {
        t: {
          name: tool,
          resource: 'https://tickets.example.com/api/',
          authMode: 'WARDEN_JWT',
          operations: [{ name: 'update_ticket', sensitivity: 'LOW' }],
        },
      },
      c.admin,
    );
    expect(registered.errors).toBeUndefined();
    const agent = await c.registerAgent('Routine across key rotations', [{ tool, operations: ['update_ticket'] }]);
    // Each call with a fresh access token: the API's own keys turn every 3 s here.
    const asAgent = async (query: string, variables: Record<string, unknown>) =>
      stack.gql<any>(query, variables, await c.accessToken(agent.id, agent.key));
    const requested = await asAgent(
      `mutation($i: RequestActionInput!) { requestAction(input: $i) { action { id status grant { token } } } }`,
      { i: { tool, operation: 'update_ticket', volume: 1, idempotencyKey: `across-${stack.tag}` } },
    );
    expect(requested.errors).toBeUndefined();
    const { id, status, grant } = requested.data.requestAction.action;
    expect(status).toBe('ALLOWED');
    const kid = decodeProtectedHeader(grant.token).kid as string;
    const read = async () =>
      (await asAgent(`query($id: ID!) { actionRequest(id: $id) { grant { token } } }`, { id })).data.actionRequest
        .grant as { token: string } | null;

    // Its key is now the previous one (still published): the grant is the same token, signed by it.
    // (Read while the key is `previous` both before and after: the ring may turn in between.)
    const whilePrevious = await eventually(async () => {
      if ((await ring())?.previous?.kid !== kid) return false;
      const token = (await read())?.token ?? null;
      return (await ring())?.previous?.kid === kid && { token };
    }, LONG);
    expect(whilePrevious.token).toBe(grant.token);
    // Two rotations on, the key is gone and verifiers refuse what it signed: no grant is handed out.
    await eventually(async () => {
      const r = await ring();
      return r && ![r.previous?.kid, r.current.kid, r.next.kid].includes(kid);
    }, LONG);
    await eventually(async () => (await read()) === null, LONG);
  });

  it('the JWKS changes and always holds 2–3 keys; a token signed before a rotation verifies after it; new tokens get the new key', async () => {
    const jwksUrl = `${stack.api.url}/.well-known/jwks.json`;
    const ring = () =>
      stack.client.workflow
        .getHandle(signingKeysWorkflowId(stack.config.temporal.taskQueue))
        .query(getSigningKeysQuery);
    const kidOf = (token: string) => decodeProtectedHeader(token).kid as string;

    // Every JWKS the API publishes while this test runs, and when each kid was first published.
    const snapshots: JWK[][] = [];
    const firstPublished = new Map<string, number>();
    /** Every token minted, by which kid, and when it was asked for. */
    const minted: { kid: string; asked: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const keys = ((await (await fetch(jwksUrl)).json()) as { keys: JWK[] }).keys;
        snapshots.push(keys);
        for (const k of keys) if (!firstPublished.has(k.kid!)) firstPublished.set(k.kid!, Date.now());
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    try {
      // The first keys are published before anything is signed.
      await eventually(async () => snapshots.length > 0, LONG);
      const agent = await c.registerAgent('Token holder');
      /** A token and the kid that signed it (each checked at the end: published before it signed). */
      const mint = async () => {
        const asked = Date.now();
        const token = await c.accessToken(agent.id, agent.key);
        const kid = kidOf(token);
        minted.push({ kid, asked });
        return { token, kid };
      };

      // A token signed by the key that is current right now.
      const { t0, ring0 } = await eventually(async () => {
        const { token, kid } = await mint();
        const r = await ring();
        return r?.current.kid === kid && { t0: { token, kid }, ring0: r };
      }, LONG);
      expect(await c.viewerStatus(t0.token)).toBe(200);

      // One rotation later its key is `previous`: still published, so the token still verifies.
      const ring1 = await eventually(async () => {
        const r = await ring();
        return r?.previous?.kid === t0.kid && r;
      }, LONG);
      expect(await c.viewerStatus(t0.token)).toBe(200);
      const published = (await (await fetch(jwksUrl)).json()) as { keys: JWK[] };
      await expect(
        jwtVerify(t0.token, createLocalJWKSet(published), {
          issuer: stack.config.credentials.issuer,
          audience: stack.config.credentials.apiAudience,
        }),
      ).resolves.toBeTruthy();
      // The ring turned: next became current, current became previous, a new next was made.
      expect(ring1.current.kid).toBe(ring0.next.kid);
      expect(ring1.next.kid).not.toBe(ring0.next.kid);
      expect([ring1.previous!.kid, ring1.current.kid, ring1.next.kid]).not.toContain(ring0.previous?.kid ?? 'none');

      // New tokens are signed by the new current key (which was published as `next` before).
      const t1 = await eventually(async () => {
        const fresh = await mint();
        return fresh.kid !== t0.kid && fresh;
      }, LONG);
      expect(await c.viewerStatus(t1.token)).toBe(200);

      // Two rotations later the old key is no longer published, and its tokens are refused.
      await eventually(async () => {
        const r = await ring();
        return r && ![r.previous?.kid, r.current.kid, r.next.kid].includes(t0.kid);
      }, LONG);
      await eventually(async () => (await c.viewerStatus(t0.token)) === 401, LONG);
      expect(await c.viewerStatus((await mint()).token)).toBe(200);
      // What the API publishes now (the sampler may not have polled since its ring turned).
      const after = ((await (await fetch(jwksUrl)).json()) as { keys: JWK[] }).keys;
      expect(after.map((k) => k.kid)).not.toContain(t0.kid);
      snapshots.push(after);
    } finally {
      sampling = false;
      await sampler;
    }

    expect(snapshots.length).toBeGreaterThan(10);
    for (const keys of snapshots) {
      expect(keys.length).toBeGreaterThanOrEqual(2);
      expect(keys.length).toBeLessThanOrEqual(3);
      expect(new Set(keys.map((k) => k.kid)).size).toBe(keys.length);
      for (const k of keys) expect(Object.keys(k).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    }
    // The published set changed at least twice (two rotations).
    const distinct = new Set(
      snapshots.map((keys) =>
        keys
          .map((k) => k.kid)
          .sort()
          .join(','),
      ),
    );
    expect(distinct.size).toBeGreaterThanOrEqual(3);
    // Verifiers learn a key before it signs anything: every signing kid was in the JWKS before its token was asked for.
    expect(new Set(minted.map((m) => m.kid)).size).toBeGreaterThanOrEqual(2);
    for (const { kid, asked } of minted)
      expect(firstPublished.get(kid), `${kid} published before it signed`).toBeLessThanOrEqual(asked);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------------------

describe('vaulted upstream secrets rotate on their timer', () => {
  const GRACE_MS = 2_000;
  let stack: Stack;
  let webhook: Awaited<ReturnType<typeof startReceiver>>;
  let c: Awaited<ReturnType<typeof client>>;
  let failing: { bank: Awaited<ReturnType<typeof startStaticKeyApi>>; name: string; initial: string };

  beforeAll(async () => {
    webhook = await startReceiver();
    stack = await startStack({
      env: { WARDEN_VAULT_ROTATION: '3s', WARDEN_VAULT_GRACE: `${GRACE_MS}ms`, WARDEN_NOTIFY_WEBHOOK_URL: webhook.url },
    });
    c = await client(stack);
    // Arranged here so that its failing rotation — every retry refused, about 30 s of backoff in all —
    // runs while the first test does; the second test looks at the outcome.
    const initial = `sk-live-failing-${randomUUID()}`;
    failing = { bank: await startStaticKeyApi(initial), name: `flaky-${stack.tag}`, initial };
    failing.bank.failNextRotations(1_000);
    await c.registerVaultedTool(failing.name, failing.bank, initial, `${failing.bank.url}/keys`);
  });

  /** Upstreams stay up until the stack stops: their tools keep rotating until then. */
  const upstreams: { close(): Promise<void> }[] = [];

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([webhook?.close(), failing?.bank.close(), ...upstreams.map((u) => u.close())]);
  });

  it('the gateway keeps working across rotations; old secrets are revoked after the grace period; never more than two valid upstream', async () => {
    const initial = `sk-live-${randomUUID()}`;
    const bank = await startStaticKeyApi(initial);
    upstreams.push(bank);
    const keys = watchKeys(bank);
    const name = `bank-${stack.tag}`;
    await c.registerVaultedTool(name, bank, initial, `${bank.url}/keys`);
    const grant = await c.grantFor(name, bank);

    // Call through the gateway, again and again, until three rotations happened and two old keys are gone.
    const usedKeys = new Set<string>();
    let calls = 0;
    const deadline = Date.now() + LONG;
    for (;;) {
      const res = await c.gateway(name, grant);
      calls++;
      const body = await res.text();
      expect(res.status, `gateway call ${calls}: ${body}`).toBe(200);
      expect(JSON.parse(body)).toEqual({ account: '42', balance: 1_000_000 });
      usedKeys.add(bank.seen.at(-1)!.key!);
      expect(bank.keys.size).toBeLessThanOrEqual(2);
      const vault = await c.vault(name);
      if (vault && vault.rotations >= 3 && !bank.keys.has('initial') && !bank.keys.has('k1')) break;
      expect(Date.now(), 'three rotations and two revocations').toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }

    // The upstream saw the new keys: the initial one and at least two rotated ones.
    expect(usedKeys.has(`Bearer ${initial}`)).toBe(true);
    expect(usedKeys.size).toBeGreaterThanOrEqual(3);
    // Exactly one new secret per rotation, each revoked no sooner than the grace period after its successor came.
    expect(keys.issued.map((k) => k.id).slice(0, 3)).toEqual(['k1', 'k2', 'k3']);
    expect(keys.revoked.map((k) => k.id).slice(0, 2)).toEqual(['initial', 'k1']);
    for (const [i, revoked] of keys.revoked.entries()) {
      expect(revoked.at - keys.issued[i]!.at, `${revoked.id} revoked after the grace period`).toBeGreaterThanOrEqual(
        GRACE_MS,
      );
    }
    expect(keys.maxValid).toBe(2);
    // The current secret is valid upstream, and the gateway uses it.
    const vault = (await c.vault(name))!;
    expect(vault.lastError).toBeNull();
    expect(bank.keys.has(vault.currentSecretId)).toBe(true);
    await eventually(async () => {
      const { currentSecretId } = (await c.vault(name))!;
      return (
        (await c.gateway(name, grant)).status === 200 &&
        bank.seen.at(-1)!.key === `Bearer ${bank.keys.get(currentSecretId)}`
      );
    }, LONG);
  }, 120_000);

  it('failed rotations show in vault.lastError and alert security; the current secret keeps working; a later rotation succeeds', async () => {
    const { bank, name, initial } = failing;
    const keys = watchKeys(bank);
    // Every attempt (the activity retries with backoff) was refused, so the rotation failed.
    const vault = await eventually(async () => {
      const v = await c.vault(name);
      return v?.lastError && v;
    }, LONG);
    expect(vault).toMatchObject({
      currentSecretId: 'initial',
      rotations: 0,
      lastError: expect.stringContaining('503'),
    });
    const alert = await eventually(async () =>
      webhooks(webhook).find((w) => w.kind === 'security' && w.subject.includes(name)),
    );
    expect(alert).toMatchObject({ type: 'warden.security', subject: `Secret rotation failed for tool ${name}` });
    expect(alert.text).toContain('503');

    // The current secret stays in use.
    const grant = await c.grantFor(name, bank);
    const before = await c.gateway(name, grant);
    expect(before.status).toBe(200);
    expect(bank.seen.at(-1)!.key).toBe(`Bearer ${initial}`);
    expect([...bank.keys.keys()]).toEqual(['initial']);

    // The endpoint recovers; the next rotation (started now rather than in the 5 minutes Warden waits after
    // a failure) succeeds and clears the error.
    bank.failNextRotations(0);
    const rotated = await stack.gql<any>(
      `mutation($t: String!) { rotateToolSecret(tool: $t) { vault { currentSecretId rotations lastError } } }`,
      { t: name },
      c.admin,
    );
    expect(rotated.errors).toBeUndefined();
    expect(rotated.data.rotateToolSecret.vault).toEqual({ currentSecretId: 'k1', rotations: 1, lastError: null });
    await eventually(
      async () =>
        (await c.gateway(name, grant)).status === 200 && bank.seen.at(-1)!.key === `Bearer ${bank.keys.get('k1')}`,
      LONG,
    );
    await eventually(async () => !bank.keys.has('initial'), LONG);
    expect(keys.issued[0]?.id).toBe('k1');
    expect(keys.revoked[0]!.at - keys.issued[0]!.at).toBeGreaterThanOrEqual(GRACE_MS);
    expect(keys.maxValid).toBeLessThanOrEqual(2);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------------------

/**
 * A rotation endpoint in front of a static-key API: the first rotation is forwarded (so the upstream
 * issues its new secret) but its answer is held until released — the worker that asked is killed meanwhile;
 * a retry of that same rotation passes; any later rotation is held unanswered and never forwarded, so
 * nothing else changes upstream while the test looks.
 */
async function startStallingRotationEndpoint(upstream: string) {
  const forwarded: { idempotencyKey: string; status: number; id: string }[] = [];
  const held: { idempotencyKey: string; at: number }[] = [];
  let first: string | undefined;
  let stalledOnce = false;
  let onStalled!: () => void;
  const stalled = new Promise<void>((r) => (onStalled = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const server = await listen(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const authorization = req.headers.authorization ?? '';
    if (req.method === 'POST' && path === '/keys') {
      const idempotencyKey = String(req.headers['idempotency-key'] ?? '');
      first ??= idempotencyKey;
      if (idempotencyKey !== first) {
        held.push({ idempotencyKey, at: Date.now() });
        return new Promise<void>(() => {});
      }
      const answer = await fetch(`${upstream}/keys`, {
        method: 'POST',
        headers: { authorization, 'idempotency-key': idempotencyKey },
      });
      const body = await answer.text();
      forwarded.push({ idempotencyKey, status: answer.status, id: (JSON.parse(body) as { id: string }).id });
      if (!stalledOnce) {
        stalledOnce = true;
        onStalled();
        await released;
        res.destroy();
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(body);
      return;
    }
    if (req.method === 'DELETE' && path.startsWith('/keys/')) {
      const answer = await fetch(`${upstream}${path}`, { method: 'DELETE', headers: { authorization } });
      res.writeHead(answer.status).end();
      return;
    }
    res.writeHead(404).end();
  });
  return { ...server, forwarded, held, stalled, release, firstIdempotencyKey: () => first };
}

describe('a worker process killed mid-rotation', () => {
  const GRACE_MS = 2_000;
  /**
   * After a SIGKILL, Temporal hands the dead worker's in-flight workflow task to another worker only when
   * that task times out (10 s), so the overlap must comfortably exceed that: 68 s of age, successor at 51 s,
   * 17 s of overlap. The agent is registered here so that its clock runs while the vault test does.
   */
  const AGENT_MAX_AGE = '68s';
  /** Shorter than the grace period on purpose: a rotation falls due while the previous secret is still valid. */
  const VAULT_ROTATION = '1s';
  let vaultStack: SplitStack;
  let agentStack: SplitStack;
  let webhook: Awaited<ReturnType<typeof startReceiver>>;
  let v: Awaited<ReturnType<typeof client>>;
  let a: Awaited<ReturnType<typeof client>>;
  let slowAgent: RegisteredAgent & { accessToken: string };

  beforeAll(async () => {
    webhook = await startReceiver();
    [vaultStack, agentStack] = await Promise.all([
      startSplitStack({ env: { WARDEN_VAULT_ROTATION: VAULT_ROTATION, WARDEN_VAULT_GRACE: `${GRACE_MS}ms` } }),
      startSplitStack({
        env: { WARDEN_AGENT_CREDENTIAL_MAX_AGE: AGENT_MAX_AGE, WARDEN_NOTIFY_WEBHOOK_URL: webhook.url },
      }),
    ]);
    await Promise.all([vaultStack.startWorker(), agentStack.startWorker()]);
    [v, a] = await Promise.all([client(vaultStack), client(agentStack)]);
    const agent = await a.registerAgent('Agent rotated across a crash');
    slowAgent = { ...agent, accessToken: await a.accessToken(agent.id, agent.key) };
  });

  // A worker that cannot run a task says so only in its own output.
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      for (const [what, s] of [
        ['vault', vaultStack],
        ['agent', agentStack],
      ] as const)
        console.error(`--- ${what} stack's worker output ---\n${s?.worker?.output() ?? '(none)'}`);
    });
  });

  afterAll(async () => {
    await Promise.all([vaultStack?.stop(), agentStack?.stop()]);
    await webhook?.close();
  });

  it('vaulted secret: the rotation completes once — the upstream issued exactly one new secret — and the gateway uses it', async () => {
    const initial = `sk-live-${randomUUID()}`;
    const bank = await startStaticKeyApi(initial);
    const endpoint = await startStallingRotationEndpoint(bank.url);
    try {
      const keys = watchKeys(bank);
      const name = `crash-${vaultStack.tag}`;
      await v.registerVaultedTool(name, bank, initial, `${endpoint.url}/keys`);
      const grant = await v.grantFor(name, bank);

      // The rotation is under way: the upstream has issued the new secret, its answer has not arrived.
      await endpoint.stalled;
      expect(keys.issued.map((k) => k.id)).toEqual(['k1']);
      // Meanwhile the current secret keeps working.
      expect((await v.gateway(name, grant)).status).toBe(200);
      expect(bank.seen.at(-1)!.key).toBe(`Bearer ${initial}`);
      // The worker running the rotation dies before the answer reaches it.
      const first = vaultStack.worker!;
      await first.kill();
      expect(first.child.signalCode).toBe('SIGKILL');
      endpoint.release();

      await vaultStack.startWorker();
      const vault = await eventually(async () => {
        const found = await v.vault(name);
        return found && found.rotations >= 1 && found;
      }, LONG);
      expect(vault).toMatchObject({ currentSecretId: 'k1', rotations: 1, lastError: null });

      // The retry named the same rotation, and the upstream answered it with the secret it had issued.
      expect(endpoint.firstIdempotencyKey()).toBe(`tool:${name}:rotation:1`);
      expect(endpoint.forwarded.length).toBeGreaterThanOrEqual(2);
      for (const f of endpoint.forwarded)
        expect(f).toMatchObject({ idempotencyKey: `tool:${name}:rotation:1`, id: 'k1' });
      expect(endpoint.forwarded.map((f) => f.status)).toEqual([201, ...endpoint.forwarded.slice(1).map(() => 200)]);

      // The old secret is revoked after the grace period; then exactly the current one is valid upstream.
      await eventually(async () => !bank.keys.has('initial'), LONG);
      expect([...bank.keys.keys()]).toEqual(['k1']);
      expect(keys.issued.map((k) => k.id)).toEqual(['k1']);
      expect(keys.revoked.map((k) => k.id)).toEqual(['initial']);
      expect(keys.revoked[0]!.at - keys.issued[0]!.at).toBeGreaterThanOrEqual(GRACE_MS);
      expect(keys.maxValid).toBe(2);

      // And the gateway uses it.
      await eventually(
        async () =>
          (await v.gateway(name, grant)).status === 200 && bank.seen.at(-1)!.key === `Bearer ${bank.keys.get('k1')}`,
        LONG,
      );

      // This stack rotates every second with a 2 s grace: the next rotation, due while the old secret was
      // still in its grace period, waited for its revocation — and the tool workflow goes on answering.
      const next = await eventually(async () => endpoint.held[0], LONG);
      expect(next.idempotencyKey).toBe(`tool:${name}:rotation:2`);
      expect(next.at).toBeGreaterThanOrEqual(keys.revoked[0]!.at);
      expect(await v.vault(name)).toMatchObject({ currentSecretId: 'k1', rotations: 1 });
    } finally {
      await endpoint.close();
      await bank.close();
    }
  }, 120_000);

  it('agent credential: killed right after the successor is due, exactly one successor is issued and the rotation completes', async () => {
    const agent = slowAgent;
    const old = agent.credential;
    await sleepUntil(Date.parse(old.rotationDueAt));
    const first = agentStack.worker!;
    await first.kill();
    expect(first.child.signalCode).toBe('SIGKILL');
    await agentStack.startWorker();

    const successor = await eventually(async () => (await a.agent(agent.id)).successorCredential, LONG);
    expect(Date.parse(successor.issuedAt)).toBeGreaterThanOrEqual(Date.parse(old.rotationDueAt));
    const collected = await a.collect(agent.accessToken);
    expect(collected.errors).toBeUndefined();
    const next = collected.data!.collectCredentialSuccessor;
    expect(next.kid).toBe(successor.kid);
    expect(await a.requestToken(agent.id, next.privateJwk)).toMatchObject({ status: 200 });

    const rotated = await eventually(async () => {
      const found = await a.agent(agent.id);
      return found.credential?.kid === successor.kid && found;
    }, LONG);
    expect(rotated.status).toBe('ACTIVE');
    // Exactly one successor: one rotation event, naming the key the agent collected and uses.
    expect(kinds(rotated)).toEqual(['REGISTERED', 'CREDENTIAL_ROTATION_STARTED', 'CREDENTIAL_ROTATED']);
    expect(detail(rotated.events[1], 'successorKid')).toBe(successor.kid);
    expect(await a.requestToken(agent.id, agent.key)).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(await a.requestToken(agent.id, next.privateJwk)).toMatchObject({ status: 200 });
    // Every "new credential ready" notice (delivery is at least once) names that same key.
    await eventually(async () => webhooks(webhook).some((w) => w.agentId === agent.id));
    const named = new Set(
      webhooks(webhook)
        .filter((w) => w.agentId === agent.id)
        .map((w) => /\(([^)]+)\) was issued/.exec(w.text)?.[1]),
    );
    expect([...named]).toEqual([successor.kid]);
  }, 120_000);
});
