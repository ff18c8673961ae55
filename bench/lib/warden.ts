/**
 * Acting on the benchmark's Warden over its real HTTP API: an admin, an owner, a tool, agents with their
 * private_key_jwt credentials, access tokens from /oauth/token, and requestAction.
 */
import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { BenchStack } from './stack.js';
import { gql, gqlOk, HttpClient, type GraphQLResult } from './http.js';

export const OWNER = 'owner@bench.example';
export const CRM = 'bench-crm';
export const CRM_RESOURCE = 'https://crm.bench.example/';
/** Warm-up by count only (the benchmark cannot wait a week), as the test suite does. */
export const BENCH_POLICY = { warmup: { actions: 20, days: 0 } };

export const REQUEST_ACTION = `mutation($input: RequestActionInput!) { requestAction(input: $input) { action { id status decision contained workflowId grant { token } } } }`;

export interface BenchAgent {
  id: string;
  privateJwk: JWK;
  key: CryptoKey;
  /** The agent's current access token (fetched on first use, renewed well before its 5 minutes). */
  token(): Promise<string>;
  /** A fresh access token (never cached). */
  freshToken(): Promise<string>;
  assertion(ttlSeconds?: number): Promise<string>;
}

export interface RequestedAction {
  id: string;
  status: string;
  decision: string | null;
  contained: boolean;
  workflowId: string;
  grant: { token: string } | null;
}

export class Warden {
  readonly http = new HttpClient(128);
  admin!: string;
  private seq = 0;

  constructor(readonly stack: BenchStack) {}

  async setup(): Promise<void> {
    this.admin = await this.stack.token('admin@bench.example', ['admin', 'security']);
    await gqlOk(
      this.http,
      this.stack.graphqlUrl,
      `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
      { i: { email: OWNER, displayName: 'Bench owner', roles: ['APPROVER'] } },
      this.admin,
    );
    await gqlOk(
      this.http,
      this.stack.graphqlUrl,
      `mutation($t: RegisterToolInput!) { registerTool(input: $t) { tool { name } } }`,
      {
        t: {
          name: CRM,
          resource: CRM_RESOURCE,
          authMode: 'WARDEN_JWT',
          operations: [
            { name: 'read_customer', sensitivity: 'MEDIUM' },
            { name: 'update_ticket', sensitivity: 'LOW' },
          ],
        },
      },
      this.admin,
    );
  }

  gql<T = any>(
    query: string,
    variables: Record<string, unknown> | undefined,
    bearer: string,
  ): Promise<GraphQLResult<T>> {
    return gql<T>(this.http, this.stack.graphqlUrl, query, variables, bearer);
  }

  /** Registers an agent through the API (Warden generates its key) and sets the benchmark's warm-up policy. */
  async registerAgent(name: string, o: { platform?: string; policy?: boolean } = {}): Promise<BenchAgent> {
    const data = await gqlOk(
      this.http,
      this.stack.graphqlUrl,
      `mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { agent { id } credential { privateJwk } } }`,
      {
        input: {
          name,
          ownerEmail: OWNER,
          platform: o.platform ?? 'support',
          allowedTools: [{ tool: CRM, operations: ['read_customer', 'update_ticket'] }],
        },
      },
      this.admin,
    );
    const id = data.registerAgent.agent.id as string;
    if (o.policy !== false) {
      await gqlOk(
        this.http,
        this.stack.graphqlUrl,
        `mutation($id: ID!, $p: JSON) { setAgentRiskPolicy(input: { agentId: $id, policy: $p }) }`,
        { id, p: BENCH_POLICY },
        this.admin,
      );
    }
    return this.agentFrom(id, data.registerAgent.credential.privateJwk as JWK);
  }

  async agentFrom(id: string, privateJwk: JWK): Promise<BenchAgent> {
    const key = (await importJWK(privateJwk, 'ES256')) as CryptoKey;
    const tokenEndpoint = this.stack.config.credentials.tokenEndpoint;
    const assertion = (ttlSeconds = 120) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid as string })
        .setIssuer(id)
        .setSubject(id)
        .setAudience(tokenEndpoint)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .setJti(randomUUID())
        .sign(key);
    const freshToken = async () => {
      const res = await this.http.post(`${this.stack.apiUrl}/oauth/token`, tokenForm(await assertion()), FORM);
      const body = JSON.parse(res.body) as { access_token?: string; error_description?: string };
      if (!body.access_token)
        throw new Error(
          `no token for agent ${id}: HTTP ${res.status} ${body.error_description ?? res.body.slice(0, 200)}`,
        );
      return body.access_token;
    };
    let cached: { token: string; until: number } | null = null;
    const token = async () => {
      if (cached && cached.until > Date.now()) return cached.token;
      const t = await freshToken();
      cached = { token: t, until: Date.now() + 120_000 };
      return t;
    };
    return { id, privateJwk, key, token, freshToken, assertion };
  }

  /** requestAction as the agent; a unique idempotency key unless one is given. */
  async request(
    agent: BenchAgent,
    input: { operation: string; volume?: number; resourceId?: string; justification?: string; idempotencyKey?: string },
    token?: string,
  ): Promise<GraphQLResult<{ requestAction: { action: RequestedAction } }>> {
    return this.gql(
      REQUEST_ACTION,
      {
        input: {
          tool: CRM,
          operation: input.operation,
          volume: input.volume ?? 1,
          amount: 0,
          resourceId: input.resourceId ?? null,
          justification: input.justification ?? 'routine',
          idempotencyKey: input.idempotencyKey ?? `bench-${process.pid}-${++this.seq}-${randomUUID().slice(0, 8)}`,
          context: { sourceNetwork: '10.1.0.0/16' },
        },
      },
      token ?? (await agent.token()),
    );
  }
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export function tokenForm(assertion: string): string {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  }).toString();
}

/** The action of a requestAction answer, or a description of why there is none. */
export function actionOf(r: GraphQLResult<{ requestAction: { action: RequestedAction } }>): RequestedAction {
  const action = r.data?.requestAction?.action;
  if (!action) throw new Error(`requestAction failed (HTTP ${r.status}): ${JSON.stringify(r.errors).slice(0, 300)}`);
  return action;
}
