/**
 * The world the attack suite attacks: one Warden (real worker, real API over HTTP, the run's Temporal
 * server), its people (an admin, the security team, two owners, an approver who owns nothing, a stranger),
 * a JWT tool and a gateway tool in front of a real HTTP API with a static key, two agents and held actions.
 *
 * Every case proves three things: the exact refusal, that nothing changed (`snapshot` reads the whole
 * state from Temporal before and after), and — where Warden knows who asked — an `access.denied` (or
 * token/grant refusal) record in the audit trail.
 */
import { expect } from 'vitest';
import { type Role, personWorkflowId } from '../../domain/people.js';
import { agentWorkflowId } from '../../domain/agents.js';
import { actionWorkflowId } from '../../domain/actions.js';
import { getAgentQuery, getRiskProfileQuery } from '../../workflows/agent/messages.js';
import { getActionQuery } from '../../workflows/action/messages.js';
import { getPersonQuery } from '../../workflows/person.js';
import { getSigningKeysQuery, signingKeysWorkflowId } from '../../workflows/signing-keys.js';
import { getToolQuery } from '../../workflows/tool/messages.js';
import { toolWorkflowId } from '../../domain/tools.js';
import { registerTestAgent, type TestAgent } from '../helpers/agents.js';
import { startStaticKeyApi } from '../helpers/http-servers.js';
import { eventually, startStack, type Stack } from '../helpers/stack.js';

export interface World {
  stack: Stack;
  people: Record<'admin' | 'security' | 'ownerA' | 'ownerB' | 'approver' | 'stranger', string>;
  tokens: Record<'admin' | 'security' | 'ownerA' | 'ownerB' | 'approver' | 'stranger', string>;
  crm: string;
  bank: { name: string; resource: string; api: Awaited<ReturnType<typeof startStaticKeyApi>> };
  agentA: TestAgent;
  agentB: TestAgent;
  /** A held action of a fresh agent of owner A (PENDING_APPROVAL). */
  heldAction(owner?: 'ownerA' | 'ownerB'): Promise<{ id: string; agent: TestAgent }>;
  stop(): Promise<void>;
}

export const REQUEST = `mutation($input: RequestActionInput!) { requestAction(input: $input) { action { id status decision grant { token } } } }`;

let seq = 0;

export async function startWorld(env: Record<string, string> = {}): Promise<World> {
  const stack = await startStack({ env });
  const tag = stack.tag;
  const people = {
    admin: `admin-${tag}@example.com`,
    security: `security-${tag}@example.com`,
    ownerA: `owner-a-${tag}@example.com`,
    ownerB: `owner-b-${tag}@example.com`,
    approver: `approver-${tag}@example.com`,
    stranger: `stranger-${tag}@example.com`,
  };
  const roles: Record<keyof typeof people, Role[]> = {
    admin: ['admin'],
    security: ['security', 'approver'],
    ownerA: ['approver'],
    ownerB: ['approver'],
    approver: ['approver'],
    stranger: [],
  };
  const tokens = Object.fromEntries(
    await Promise.all(
      Object.entries(people).map(async ([k, email]) => [
        k,
        await stack.token(email, roles[k as keyof typeof people], 3600),
      ]),
    ),
  ) as World['tokens'];
  // The stranger is in the directory too, with no roles.
  await stack.api.services.people.upsert(
    { kind: 'system', id: 'warden', roles: [] },
    { email: people.stranger, displayName: 'Stranger', roles: [] },
  );

  const crm = `crm-${tag}`;
  const bankApi = await startStaticKeyApi(`sk-live-${crypto.randomUUID()}`);
  const bankName = `bank-${tag}`;
  const registered = await stack.gql<any>(
    `mutation($crm: RegisterToolInput!, $bank: RegisterToolInput!) { crm: registerTool(input: $crm) { tool { name } } bank: registerTool(input: $bank) { tool { name resource } } }`,
    {
      crm: {
        name: crm,
        resource: `https://${crm}.example.com/`,
        authMode: 'WARDEN_JWT',
        operations: [
          { name: 'read_customer', sensitivity: 'MEDIUM' },
          { name: 'update_ticket', sensitivity: 'LOW' },
          { name: 'export_all', sensitivity: 'CRITICAL' },
        ],
      },
      bank: {
        name: bankName,
        authMode: 'VAULTED_SECRET',
        upstreamUrl: bankApi.url,
        secret: [...bankApi.keys.values()][0],
        operations: [
          {
            name: 'read_balance',
            sensitivity: 'LOW',
            method: 'GET',
            path: '/accounts/{resource}',
            query: ['currency'],
          },
          { name: 'transfer', sensitivity: 'CRITICAL', method: 'POST', path: '/transfers' },
        ],
      },
    },
    tokens.admin,
  );
  expect(registered.errors).toBeUndefined();
  const allowed = [
    { tool: crm, operations: ['read_customer', 'update_ticket'] },
    { tool: bankName, operations: ['read_balance'] },
  ];
  const agentA = await registerTestAgent(stack, tokens.admin, {
    name: `Agent A ${tag}`,
    ownerEmail: people.ownerA,
    allowedTools: allowed,
  });
  const agentB = await registerTestAgent(stack, tokens.admin, {
    name: `Agent B ${tag}`,
    ownerEmail: people.ownerB,
    allowedTools: allowed,
  });

  const heldAction = async (owner: 'ownerA' | 'ownerB' = 'ownerA') => {
    // A fresh agent per held action, so cases never share (or contain) one another's agents.
    const agent = await registerTestAgent(stack, tokens.admin, {
      name: `Held ${++seq} ${tag}`,
      ownerEmail: people[owner],
      allowedTools: allowed,
    });
    const res = await agent.gql<any>(REQUEST, {
      input: {
        tool: crm,
        operation: 'export_all',
        volume: 1,
        amount: 0,
        justification: 'quarterly export',
        idempotencyKey: `held-${seq}-${tag}`,
      },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.requestAction.action.status).toBe('PENDING_APPROVAL');
    return { id: res.data.requestAction.action.id as string, agent };
  };

  return {
    stack,
    people,
    tokens,
    crm,
    bank: { name: bankName, resource: registered.data.bank.tool.resource, api: bankApi },
    agentA,
    agentB,
    heldAction,
    async stop() {
      await stack.stop();
      await bankApi.close();
    },
  };
}

/**
 * Everything a refused request must leave as it was, read from the workflows themselves: agents (state
 * and baseline), actions, people, tools and the signing keys. Pass the ids a case could touch.
 */
export async function snapshot(
  stack: Stack,
  ids: { agents?: string[]; actions?: string[]; people?: string[]; tools?: string[] } = {},
): Promise<unknown> {
  const h = (id: string) => stack.client.workflow.getHandle(id);
  const read = async <T>(f: () => Promise<T>) => {
    try {
      return await f();
    } catch (err) {
      return `unreadable: ${(err as Error).name}`;
    }
  };
  return {
    agents: await Promise.all(
      (ids.agents ?? []).map(async (id) => ({
        state: await read(() => h(agentWorkflowId(id)).query(getAgentQuery)),
        profile: await read(() => h(agentWorkflowId(id)).query(getRiskProfileQuery)),
      })),
    ),
    actions: await Promise.all(
      (ids.actions ?? []).map((id) => read(() => h(actionWorkflowId(id)).query(getActionQuery))),
    ),
    people: await Promise.all(
      (ids.people ?? []).map((email) => read(() => h(personWorkflowId(email)).query(getPersonQuery))),
    ),
    tools: await Promise.all((ids.tools ?? []).map((name) => read(() => h(toolWorkflowId(name)).query(getToolQuery)))),
    keys: await read(
      async () =>
        (await h(signingKeysWorkflowId(stack.config.temporal.taskQueue)).query(getSigningKeysQuery))?.current.kid,
    ),
  };
}

/** Runs `attack` and proves the world is unchanged afterwards. Returns what the attack returned. */
export async function unchanged<T>(
  stack: Stack,
  ids: Parameters<typeof snapshot>[1],
  attack: () => Promise<T>,
): Promise<T> {
  const before = await snapshot(stack, ids);
  const result = await attack();
  // Give a wrongly accepted change the time to land before looking (nothing should).
  await new Promise((r) => setTimeout(r, 150));
  expect(await snapshot(stack, ids)).toEqual(before);
  return result;
}

/** Waits for the audit trail to hold an access.denied (or another refusal) record matching `match`. */
export async function audited(
  stack: Stack,
  match: {
    type?: string;
    agentId?: string;
    operation?: string;
    code?: string;
    messageIncludes?: string;
    since: string;
  },
): Promise<void> {
  const type = match.type ?? 'io.warden.access.denied';
  await eventually(async () => {
    const page = await stack.api.audit.query(
      { type, ...(match.agentId ? { agentId: match.agentId } : {}), since: match.since },
      200,
      null,
    );
    return page.events.some((e) => {
      const data = e.data as { message?: string; unmapped?: { warden?: { operation?: string; code?: string } } };
      const w = data.unmapped?.warden ?? {};
      return (
        (!match.operation || w.operation === match.operation) &&
        (!match.code || w.code === match.code) &&
        (!match.messageIncludes || (data.message ?? '').includes(match.messageIncludes))
      );
    });
  }, 20_000);
}

export const now = () => new Date(Date.now() - 1000).toISOString();
