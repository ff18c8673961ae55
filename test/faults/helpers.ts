/**
 * The fault suite's stack: a worker *and* an API, each a real child process (`node --import tsx …`) that
 * a test can arm at a failpoint (temporal/failpoints.ts), wait for it to stop there, SIGKILL it and start
 * again — on the run's Temporal server (or the test's own), with the deployment settings of stack.ts.
 * The test process itself only holds a client, to look at what Temporal recorded.
 */
import type { Client, Connection } from '@temporalio/client';
import { expect, inject } from 'vitest';
import { createServices } from '../../api/services/index.js';
import type { WardenConfig } from '../../config/config.js';
import type { Role } from '../../domain/people.js';
import { neutralEnvironment, type Part } from '../../launcher/part.js';
import { launchStack } from '../../launcher/stack.js';
import type { FailpointName } from '../../temporal/failpoints.js';
import { actionWorkflowId } from '../../domain/actions.js';
import { agentWorkflowId } from '../../domain/agents.js';
import { getRiskProfileQuery, listRoutineActionsQuery } from '../../workflows/agent/messages.js';
import { getActionQuery } from '../../workflows/action/messages.js';
import { registerTestAgent, type TestAgent } from '../helpers/agents.js';
import { apiCaller, eventually, testDeployment, type GraphQLResponse } from '../helpers/stack.js';

/** Polls wait this long at most: the machine may be busy, and a SIGKILLed worker's task times out first. */
export const LONG = 90_000;
/** Per test: processes start, die, start again, and Temporal waits out the dead worker's task timeouts. */
export const FAULT_TEST_TIMEOUT = 180_000;

export interface FaultStack {
  tag: string;
  config: WardenConfig;
  client: Client;
  connection: Connection;
  /** Where agents and people reach the API (the same port across API restarts, as behind a load balancer). */
  api: { url: string; graphqlUrl: string };
  worker: Part | undefined;
  apiProcess: Part | undefined;
  startWorker(...armed: FailpointName[]): Promise<Part>;
  startApi(...armed: FailpointName[]): Promise<Part>;
  /** Another API process of the same deployment, listening on `port` (as a second backend of a load balancer). */
  startOtherApi(port: number, env?: Record<string, string>): Promise<Part>;
  token(email: string, roles: Role[], ttlSeconds?: number): Promise<string>;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<GraphQLResponse<T>>;
  /** Whatever the processes said, for a failing test's message. */
  outputs(): string;
  stop(): Promise<void>;
}

export async function startFaultStack(options: { env?: Record<string, string> } = {}): Promise<FaultStack> {
  const { tag, dataDir, env } = await testDeployment('faults', options.env);
  // Only this deployment's settings reach the processes: nothing Temporal- or Warden-related leaks in.
  const launched = await launchStack({
    env: { ...neutralEnvironment(), ...env, WARDEN_WORKFLOW_BUNDLE: inject('workflowBundle') },
    output: () => 'capture',
    failpointDir: dataDir,
  });
  const { config, client, connection } = launched;
  const url = `http://127.0.0.1:${config.api.port}`;
  let caller: Awaited<ReturnType<typeof apiCaller>> | undefined;

  const start = async (name: 'worker' | 'api', armed: FailpointName[]) => {
    const current = name === 'worker' ? stack.worker : stack.apiProcess;
    if (current && !current.exited()) throw new Error(`a ${name} process is already running`);
    const part = launched.start(name, { failpoints: armed });
    if (name === 'worker') stack.worker = part;
    else stack.apiProcess = part;
    await part.ready;
    return part;
  };

  const stack: FaultStack = {
    tag,
    config,
    client,
    connection,
    api: { url, graphqlUrl: `${url}/graphql` },
    worker: undefined,
    apiProcess: undefined,
    startWorker: (...armed) => start('worker', armed),
    async startApi(...armed) {
      const part = await start('api', armed);
      // The development issuer's key is the API's (in the data folder); sign people's tokens with it.
      caller ??= await apiCaller(config, stack.api, createServices(client, config).people);
      return part;
    },
    async startOtherApi(port, env = {}) {
      const part = launched.start('api-other', {
        entry: 'api/main.ts',
        env: { WARDEN_API_PORT: String(port), ...env },
      });
      await part.ready;
      return part;
    },
    token: (email, roles, ttl) => caller!.token(email, roles, ttl),
    gql: (query, variables, bearer) => caller!.gql(query, variables, bearer),
    outputs: () =>
      launched.parts
        .map(
          (p, i) =>
            `--- ${p.name} process #${i + 1} (${p.child.signalCode ?? p.child.exitCode ?? 'running'}) ---\n${p.output()}`,
        )
        .join('\n'),
    async stop() {
      await Promise.all(launched.parts.map((p) => p.kill()));
      await connection.close();
    },
  };
  return stack;
}

/** SIGKILLs the worker (stopped at its failpoint) and starts a fresh, unarmed one. */
export async function killAndRestartWorker(stack: FaultStack): Promise<void> {
  const dead = stack.worker!;
  await dead.kill();
  expect(dead.child.signalCode).toBe('SIGKILL');
  await stack.startWorker();
}

export interface Notice {
  type: string;
  kind: string;
  agentId: string;
  to: string[];
  subject: string;
  text: string;
  at: string;
}

/**
 * The notifications a webhook received, each once. Delivery is at least once: a notification the killed
 * worker had posted but not yet reported as sent is posted again by the retry — the very same notification
 * (same body, same `at`), which receivers recognise. A second notification of the same event would differ.
 */
export function distinctNotices(receiver: { received: { body: string }[] }): Notice[] {
  return [...new Map(receiver.received.map((r) => [r.body, JSON.parse(r.body) as Notice])).values()];
}

/** Starts a call now to be awaited later, without an unhandled rejection meanwhile. */
export function later<T>(call: Promise<T>): Promise<T> {
  call.catch(() => {});
  return call;
}

// ---------------------------------------------------------------------------------------------------------
// A small world to act in: an owner, a security person, tools, agents with pinned decisions

export const ACTION_FIELDS = `id status decision contained workflowId grant { token audience scope expiresAt } approval { deadline decidedBy decision }`;
export const REQUEST_ACTION = `mutation($input: RequestActionInput!) { requestAction(input: $input) { action { ${ACTION_FIELDS} } } }`;
export const GET_ACTION = `query($id: ID!) { actionRequest(id: $id) { ${ACTION_FIELDS} } }`;

/**
 * Risk policies that pin each decision, so a test is about the crash and not about scoring:
 * ALLOW (sensitive crm.read_customer, routine crm.update_ticket), REVIEW without containment
 * (bank.transfer, outside the allowed set), and a hard DENY that contains the agent.
 */
export const ALLOW_AND_REVIEW_POLICY = {
  thresholds: {
    LOW: { review: 1000, contain: 1000 },
    MEDIUM: { review: 1000, contain: 1000 },
    CRITICAL: { review: 1000, contain: 1000 },
  },
};
export const denyPolicy = (bank: string) => ({
  ...ALLOW_AND_REVIEW_POLICY,
  rules: { denyOperations: [`${bank}:transfer`], containOnHardDeny: true },
});

export interface World {
  admin: string;
  owner: string;
  ownerToken: string;
  security: string;
  crm: string;
  bank: string;
  /** A new agent of `owner`, allowed crm.read_customer and crm.update_ticket, with a pinned policy. */
  agent(name: string, policy?: Record<string, unknown>): Promise<TestAgent>;
}

/** What a world needs of a deployment: its API (a process, or a load balancer in front of several) and tokens. */
export type WorldStack = Pick<FaultStack, 'tag' | 'config' | 'api' | 'token' | 'gql'>;

export async function buildWorld(stack: WorldStack): Promise<World> {
  const admin = await stack.token(`admin-${stack.tag}@example.com`, ['admin']);
  const owner = `owner-${stack.tag}@example.com`;
  const person = await stack.gql(
    `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
    { i: { email: owner, displayName: 'Owner', roles: ['APPROVER'] } },
    admin,
  );
  expect(person.errors).toBeUndefined();
  const crm = `crm-${stack.tag}`;
  const bank = `bank-${stack.tag}`;
  const tools = await stack.gql(
    `mutation($crm: RegisterToolInput!, $bank: RegisterToolInput!) { crm: registerTool(input: $crm) { tool { name } } bank: registerTool(input: $bank) { tool { name } } }`,
    {
      crm: {
        name: crm,
        resource: `https://${crm}.example.com/api/`,
        authMode: 'WARDEN_JWT',
        operations: [
          { name: 'read_customer', sensitivity: 'MEDIUM' },
          { name: 'update_ticket', sensitivity: 'LOW' },
        ],
      },
      bank: {
        name: bank,
        resource: `https://${bank}.example.com/api/`,
        authMode: 'WARDEN_JWT',
        operations: [{ name: 'transfer', sensitivity: 'CRITICAL' }],
      },
    },
    admin,
  );
  expect(tools.errors).toBeUndefined();
  return {
    admin,
    owner,
    ownerToken: await stack.token(owner, ['approver']),
    security: await stack.token(`security-${stack.tag}@example.com`, ['security']),
    crm,
    bank,
    async agent(name, policy = ALLOW_AND_REVIEW_POLICY) {
      const agent = await registerTestAgent(stack, admin, {
        name,
        ownerEmail: owner,
        allowedTools: [{ tool: crm, operations: ['read_customer', 'update_ticket'] }],
      });
      const set = await stack.gql(
        `mutation($id: ID!, $p: JSON) { setAgentRiskPolicy(input: { agentId: $id, policy: $p }) }`,
        { id: agent.id, p: policy },
        admin,
      );
      expect(set.errors).toBeUndefined();
      return agent;
    },
  };
}

export interface ActionView {
  id: string;
  status: string;
  decision: string | null;
  contained: boolean;
  workflowId: string;
  grant: { token: string; audience: string; scope: string[]; expiresAt: string } | null;
  approval: { deadline: string; decidedBy: string | null; decision: string | null } | null;
}

/** requestAction as the agent sends it; the whole HTTP exchange, or the error if the connection broke. */
export async function requestAction(agent: TestAgent, input: Record<string, unknown>): Promise<ActionView> {
  const res = await agent.gql<{ requestAction: { action: ActionView } }>(REQUEST_ACTION, {
    input: { volume: 1, amount: 0, justification: 'fault suite', ...input },
  });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.requestAction.action;
}

/** The `jti` of a grant (the identity of the grant: the same grant, not an equivalent one). */
export function jtiOf(grant: { token: string } | null | undefined): string | undefined {
  if (!grant) return undefined;
  return JSON.parse(Buffer.from(grant.token.split('.')[1]!, 'base64url').toString()).jti as string;
}

/** The `jti` of the grant Temporal recorded (its terms, never a token). */
export function recordedJtiOf(
  action: { recordedGrant: { jti: string } | null } | null | undefined,
): string | undefined {
  return action?.recordedGrant?.jti;
}

/** The action as Temporal holds it: its own workflow's record, or — routine — the agent's workflow's. */
export async function recordedAction(stack: FaultStack, agentId: string, actionId: string) {
  try {
    return await stack.client.workflow.getHandle(actionWorkflowId(actionId)).query(getActionQuery);
  } catch {
    const routine = await stack.client.workflow.getHandle(agentWorkflowId(agentId)).query(listRoutineActionsQuery);
    return routine.find((a) => a.id === actionId) ?? null;
  }
}

/** How many actions the agent's baseline has learned (each allowed or approved action exactly once). */
export async function learnedCount(stack: FaultStack, agentId: string): Promise<number> {
  return (await stack.client.workflow.getHandle(agentWorkflowId(agentId)).query(getRiskProfileQuery)).baseline.learned;
}

/** Workflow runs with this id, all of them (visibility; polled until it shows at least one). */
export async function runsOf(stack: FaultStack, workflowId: string): Promise<number> {
  return eventually(async () => {
    const { count } = await stack.client.workflow.count(`WorkflowId = '${workflowId}'`);
    return count > 0 ? count : undefined;
  }, LONG);
}

/** The action's audit records of one CloudEvents type (read through the API, as the security team would). */
export async function auditOf(
  stack: FaultStack,
  token: string,
  actionId: string,
  type: string,
): Promise<{ id: string; seq: number; message: string }[]> {
  const res = await stack.gql<any>(
    `query($f: AuditEventFilter) { auditEvents(first: 100, filter: $f) { edges { node { id seq message } } } }`,
    { f: { actionId, type } },
    token,
  );
  expect(res.errors).toBeUndefined();
  return res.data.auditEvents.edges.map((e: { node: { id: string; seq: number; message: string } }) => e.node);
}

/**
 * Exactly `n` audit records of this type for the action: polled until at least `n` show up, then read again
 * after the writer had time to write any duplicate (the trail is written asynchronously).
 */
export async function expectAuditOnce(
  stack: FaultStack,
  token: string,
  actionId: string,
  type: string,
  n = 1,
): Promise<void> {
  await eventually(async () => (await auditOf(stack, token, actionId, type)).length >= n, LONG);
  await new Promise((r) => setTimeout(r, 1000));
  const records = await auditOf(stack, token, actionId, type);
  expect(records, `${type} records of action ${actionId}`).toHaveLength(n);
}

/** The audit file verifies end to end against the chain head Temporal keeps. */
export async function expectAuditChainIntact(stack: FaultStack, token: string): Promise<void> {
  const res = await stack.gql<any>(`{ auditTrailIntegrity }`, {}, token);
  expect(res.errors).toBeUndefined();
  expect(res.data.auditTrailIntegrity).toMatchObject({ ok: true });
}
