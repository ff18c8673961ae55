/** Test helpers for acting as an agent: register one, get its access token with private_key_jwt. */
import { importJWK, SignJWT, type JWK } from 'jose';
import { expect } from 'vitest';
import type { Stack } from './stack.js';

export interface TestAgent {
  id: string;
  privateJwk: JWK;
  token(): Promise<string>;
  /** A fresh access token for another resource (RFC 8707), e.g. an MCP endpoint; throws with the OAuth error. */
  tokenFor(resource: string): Promise<string>;
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ status: number; data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] }>;
}

export async function registerTestAgent(
  stack: Pick<Stack, 'gql' | 'config'> & { api: { url: string } },
  admin: string,
  o: { name: string; ownerEmail: string; platform?: string; allowedTools: { tool: string; operations: string[] }[] },
): Promise<TestAgent> {
  const res = await stack.gql<any>(
    `mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { agent { id } credential { privateJwk } } }`,
    {
      input: { name: o.name, ownerEmail: o.ownerEmail, platform: o.platform ?? 'custom', allowedTools: o.allowedTools },
    },
    admin,
  );
  expect(res.errors).toBeUndefined();
  const id = res.data.registerAgent.agent.id as string;
  const privateJwk = res.data.registerAgent.credential.privateJwk as JWK;
  /** client_credentials with private_key_jwt, for Warden's API or the resource named. */
  const issue = async (resource?: string) => {
    const key = await importJWK(privateJwk, 'ES256');
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid as string })
      .setIssuer(id)
      .setSubject(id)
      .setAudience(stack.config.credentials.tokenEndpoint)
      .setIssuedAt()
      .setExpirationTime('60s')
      .setJti(crypto.randomUUID())
      .sign(key);
    const r = await fetch(`${stack.api.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        ...(resource ? { resource } : {}),
      }),
    });
    const body = (await r.json()) as { access_token?: string; error?: string; error_description?: string };
    if (!body.access_token) throw new Error(`no token for agent ${id}: ${body.error}: ${body.error_description}`);
    return body.access_token;
  };
  let cached: { token: string; until: number } | null = null;
  const token = async () => {
    if (cached && cached.until > Date.now()) return cached.token;
    const issued = await issue();
    cached = { token: issued, until: Date.now() + 60_000 };
    return issued;
  };
  return {
    id,
    privateJwk,
    token,
    tokenFor: issue,
    gql: async (query, variables) => stack.gql(query, variables, await token()),
  };
}

/**
 * An agent of a known owner, allowed every operation of a WARDEN_JWT tool registered for it: the owner
 * (`owner-<tag>@example.com`, an approver) and the tool (`crm-<tag>`) are made first.
 */
export async function agentWithTool(
  stack: Pick<Stack, 'gql' | 'config' | 'tag'> & { api: { url: string } },
  admin: string,
  o: { name: string; operations: { name: string; sensitivity: 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' }[] },
): Promise<{ agent: TestAgent; tool: string; owner: string }> {
  const owner = `owner-${stack.tag}@example.com`;
  const tool = `crm-${stack.tag}`;
  const person = await stack.gql(
    `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
    { i: { email: owner, displayName: 'Owner', roles: ['APPROVER'] } },
    admin,
  );
  expect(person.errors).toBeUndefined();
  const registered = await stack.gql(
    `mutation($t: RegisterToolInput!) { registerTool(input: $t) { tool { name } } }`,
    { t: { name: tool, resource: 'https://crm.example.com/api/', authMode: 'WARDEN_JWT', operations: o.operations } },
    admin,
  );
  expect(registered.errors).toBeUndefined();
  const agent = await registerTestAgent(stack, admin, {
    name: o.name,
    ownerEmail: owner,
    allowedTools: [{ tool, operations: o.operations.map((op) => op.name) }],
  });
  return { agent, tool, owner };
}
