/**
 * The API's cached view of an agent (what token checks are made against) on the real server: a read of
 * the agent that was under way while this process changed the agent must never become the cached view.
 * The Describe really goes to Temporal; the test only holds its answer back until the change is made.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { AgentDirectory } from '../api/services/agent-directory.js';
import { PeopleDirectory } from '../api/services/people-directory.js';
import { ToolRegistry } from '../api/services/tool-registry.js';
import { vaultKeyRing } from '../config/keys.js';
import { registerTestAgent } from './helpers/agents.js';
import { eventually, startStack, type Stack } from './helpers/stack.js';

let stack: Stack;
let admin: string;

/** Passes a property through to the real object (methods stay bound to it). */
function forward(target: object, prop: string | symbol): unknown {
  const value = Reflect.get(target, prop, target) as unknown;
  return typeof value === 'function' ? value.bind(target) : value;
}

/** The stack's own client, whose Describe answers wait while `held` is set (and are counted). */
function heldDescribes(client: Client) {
  const state = { held: false, describes: 0, waiting: [] as (() => void)[] };
  const describeHeld = (handle: WorkflowHandle) => async () => {
    state.describes++;
    const answer = await handle.describe();
    if (state.held) await new Promise<void>((release) => state.waiting.push(release));
    return answer;
  };
  const handleOf = (handle: WorkflowHandle) => new Proxy(handle, { get: (target, prop) => (prop === 'describe' ? describeHeld(target) : forward(target, prop)) });
  const workflow = new Proxy(client.workflow, {
    get: (target, prop) => (prop === 'getHandle' ? (...args: Parameters<typeof target.getHandle>) => handleOf(target.getHandle(...args)) : forward(target, prop)),
  });
  const proxied = new Proxy(client, { get: (target, prop) => (prop === 'workflow' ? workflow : forward(target, prop)) });
  const release = () => {
    state.held = false;
    for (const go of state.waiting.splice(0)) go();
  };
  return { client: proxied, state, release };
}

/** A directory on `client`; its agents' workflows go to `agentTaskQueue` (by default this stack's worker). */
function directoryOn(client: Client, agentTaskQueue = stack.config.temporal.taskQueue) {
  const config = stack.config;
  const vault = vaultKeyRing(config);
  const tools = new ToolRegistry(client, vault, { reservedResources: [], taskQueue: config.temporal.taskQueue, vaultRotationMs: config.credentials.vaultRotationMs, vaultGraceMs: config.credentials.vaultGraceMs });
  return new AgentDirectory(client, new PeopleDirectory(client, config.temporal.taskQueue), tools, vault, {
    taskQueue: agentTaskQueue,
    credentialPolicy: { maxAgeMs: config.credentials.agentCredentialMaxAgeMs, rotateAtFraction: config.credentials.agentCredentialRotateAt },
    // Long enough that whatever is cached is what every later check in the test sees.
    sessionCacheMs: 60_000,
  });
}

const newAgent = (name: string) => registerTestAgent(stack, admin, { name, ownerEmail: `owner-${stack.tag}@example.com`, allowedTools: [] });

/** A new agent, and a directory whose read of it has reached Temporal and is held there, answer in hand. */
async function readHeldMidway(name: string) {
  const agent = await newAgent(name);
  const gated = heldDescribes(stack.client);
  const directory = directoryOn(gated.client);
  gated.state.held = true;
  const reading = directory.session(agent.id);
  await eventually(async () => gated.state.waiting.length === 1);
  return { agent, gated, directory, reading };
}

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.token(`admin-${stack.tag}@example.com`, ['admin']);
  const res = await stack.gql(`mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`, { i: { email: `owner-${stack.tag}@example.com`, displayName: 'Owner', roles: ['APPROVER'] } }, admin);
  expect(res.errors).toBeUndefined();
});

afterAll(async () => {
  await stack?.stop();
});

describe("an API process's view of an agent", () => {
  it('a read under way while this process suspends the agent does not put the ACTIVE view back', async () => {
    const { agent, gated, directory, reading } = await readHeldMidway('Cached agent'); // Temporal answered ACTIVE
    const suspended = await directory.suspend({ kind: 'human', id: `admin-${stack.tag}@example.com` }, agent.id, 'cache race test');
    expect(suspended.status).toBe('SUSPENDED');
    gated.release();
    await reading;

    const describesBefore = gated.state.describes;
    expect((await directory.session(agent.id))?.status).toBe('SUSPENDED');
    expect(gated.state.describes).toBe(describesBefore); // from the cache: the suspension, not the older read
  });

  it('a read under way while this process drops its view (as containment does) is not cached', async () => {
    const { agent, gated, directory, reading } = await readHeldMidway('Dropped agent');
    directory.forget(agent.id);
    gated.release();
    expect((await reading)?.status).toBe('ACTIVE'); // the caller that asked before the drop gets what it read

    const describesBefore = gated.state.describes;
    expect((await directory.session(agent.id))?.status).toBe('ACTIVE');
    expect(gated.state.describes).toBe(describesBefore + 1); // read afresh, not served from that older read
  });

  it("a registered agent's access view is readable before any worker has run its workflow", async () => {
    // Its workflow goes to a task queue no worker polls: whatever another API process can read of the
    // agent comes from what registration itself wrote.
    const registering = directoryOn(stack.client, `no-worker-${stack.tag}`);
    const { agent, credential } = await registering.register({ kind: 'human', id: `admin-${stack.tag}@example.com` }, {
      name: 'Fresh agent', ownerEmail: `owner-${stack.tag}@example.com`, platform: 'custom', description: '', allowedTools: [],
    });
    const description = await stack.client.workflow.getHandle(`agent:${agent.id}`).describe();
    expect(description.historyLength).toBeLessThanOrEqual(2); // started, first task scheduled: nothing has run it
    const memo = description.memo as { status?: string; access?: { keys: { kid: string }[] } };
    expect(memo.status).toBe('ACTIVE');
    expect(memo.access?.keys.map((k) => k.kid)).toEqual([credential.kid]);
    // Another process's directory checks the agent from that memo alone (a Query would wait for a worker).
    const other = directoryOn(stack.client);
    expect((await other.session(agent.id))?.status).toBe('ACTIVE');
    expect((await other.signIn(agent.id)).signIn?.keys.map((k) => k.kid)).toEqual([credential.kid]);
    await stack.client.workflow.getHandle(`agent:${agent.id}`).terminate('test: no worker runs this task queue');
  });

  it('requests that find the view expired together share one read', async () => {
    const agent = await newAgent('Busy agent');
    const gated = heldDescribes(stack.client);
    const directory = directoryOn(gated.client);
    const sessions = await Promise.all(Array.from({ length: 8 }, () => directory.session(agent.id)));
    expect(sessions.map((s) => s?.status)).toEqual(Array(8).fill('ACTIVE'));
    expect(gated.state.describes).toBe(1);
  });
});
