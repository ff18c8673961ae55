/**
 * The API's cached view of an agent (what token checks are made against) on the real server: a read of
 * the agent that was under way while this process changed the agent must never become the cached view;
 * the revocation feed keeps a view only while its polls of visibility vouch for it.
 * The Describe really goes to Temporal; the test only holds its answer back until the change is made.
 */
import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { AgentAccess } from '../api/services/agent-access.js';
import { AgentCommands } from '../api/services/agent-commands.js';
import { AgentDirectory } from '../api/services/agent-directory.js';
import { RevocationBroadcast } from '../api/services/revocation-broadcast.js';
import { PeerStatistics } from '../api/services/peer-stats.js';
import { PeopleDirectory } from '../api/services/people-directory.js';
import { ToolRegistry } from '../api/services/tool-registry.js';
import { vaultKeyRing } from '../vault/key-rings.js';
import { registerTestAgent } from './helpers/agents.js';
import { eventually, startStack, type Stack } from './helpers/stack.js';
import { AgentAccessChangedAt } from '../temporal/search-attributes.js';
import { Commands, person } from '../services/commands.js';
import {
  announceRevocationSignal,
  awaitRevocationsUpdate,
  revocationBroadcastWorkflow,
  revocationBroadcastWorkflowId,
  type RevocationCursor,
} from '../workflows/revocation-broadcast.js';

let stack: Stack;
let admin: string;

/** Passes a property through to the real object (methods stay bound to it). */
function forward(target: object, prop: string | symbol): unknown {
  const value = Reflect.get(target, prop, target) as unknown;
  return typeof value === 'function' ? value.bind(target) : value;
}

/**
 * The stack's own client, whose Describe answers wait while `held` is set (and are counted); lists fail
 * while `listsFail` is set, hang until released and then fail while `listsHeld` is set, and leave out the
 * agent `hiddenFromLists`.
 */
function heldDescribes(client: Client) {
  const state = {
    held: false,
    describes: 0,
    waiting: [] as (() => void)[],
    listsFail: false,
    listsHeld: false,
    hiddenFromLists: null as string | null,
  };
  const describeHeld = (handle: WorkflowHandle) => async () => {
    state.describes++;
    const answer = await handle.describe();
    if (state.held) await new Promise<void>((release) => state.waiting.push(release));
    return answer;
  };
  const handleOf = (handle: WorkflowHandle) =>
    new Proxy(handle, { get: (target, prop) => (prop === 'describe' ? describeHeld(target) : forward(target, prop)) });
  const list =
    (target: Client['workflow']) =>
    (...args: Parameters<typeof target.list>) => {
      if (state.listsFail) throw new Error('visibility unavailable (test)');
      if (state.listsHeld) {
        // A List that hangs until released, then fails.
        // eslint-disable-next-line require-yield -- a List that yields nothing, then fails
        return (async function* () {
          await new Promise<void>((release) => state.waiting.push(release));
          throw new Error('visibility unavailable (test)');
        })() as unknown as ReturnType<typeof target.list>;
      }
      const hidden = state.hiddenFromLists;
      if (!hidden) return target.list(...args);
      // Visibility that has not caught up with one agent yet.
      return (async function* () {
        for await (const info of target.list(...args)) if (info.workflowId !== `agent:${hidden}`) yield info;
      })() as unknown as ReturnType<typeof target.list>;
    };
  const workflow = new Proxy(client.workflow, {
    get: (target, prop) =>
      prop === 'getHandle'
        ? (...args: Parameters<typeof target.getHandle>) => handleOf(target.getHandle(...args))
        : prop === 'list'
          ? list(target)
          : forward(target, prop),
  });
  const proxied = new Proxy(client, {
    get: (target, prop) => (prop === 'workflow' ? workflow : forward(target, prop)),
  });
  const release = () => {
    state.held = false;
    for (const go of state.waiting.splice(0)) go();
  };
  return { client: proxied, state, release };
}

/**
 * A directory on `client`; its agents' workflows go to `agentTaskQueue` (by default this stack's worker).
 * By default its views are good for a minute: whatever is cached is what every later check in the test sees.
 */
function directoryOn(client: Client, agentTaskQueue = stack.config.temporal.taskQueue, sessionCacheMs = 60_000) {
  const config = stack.config;
  const vault = vaultKeyRing(config);
  const commands = new Commands(client, stack.api.services.signingKeys);
  const tools = new ToolRegistry(client, commands, vault, {
    reservedResources: [],
    gatewayBase: `${config.api.publicUrl}/gateway`,
    publicUrl: config.api.publicUrl,
    listUpstream: () => Promise.reject(new Error('no MCP upstream in this test')),
    taskQueue: config.temporal.taskQueue,
    vaultRotationMs: config.credentials.vaultRotationMs,
    vaultGraceMs: config.credentials.vaultGraceMs,
  });
  const access = new AgentAccess(client, sessionCacheMs);
  const agents = new AgentDirectory(client, access, agentTaskQueue);
  const people = new PeopleDirectory(client, commands, { taskQueue: config.temporal.taskQueue });
  return {
    access,
    agents,
    commands: new AgentCommands(client, commands, agents, access, people, tools, vault, {
      taskQueue: agentTaskQueue,
      credentialPolicy: {
        maxAgeMs: config.credentials.agentCredentialMaxAgeMs,
        rotateAtFraction: config.credentials.agentCredentialRotateAt,
      },
    }),
  };
}

const newAgent = (name: string) =>
  registerTestAgent(stack, admin, { name, ownerEmail: `owner-${stack.tag}@example.com`, allowedTools: [] });

/** A new agent, and a directory whose read of it has reached Temporal and is held there, answer in hand. */
async function readHeldMidway(name: string) {
  const agent = await newAgent(name);
  const gated = heldDescribes(stack.client);
  const directory = directoryOn(gated.client);
  gated.state.held = true;
  const reading = directory.access.session(agent.id);
  await eventually(async () => gated.state.waiting.length === 1);
  return { agent, gated, directory, reading };
}

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.token(`admin-${stack.tag}@example.com`, ['admin']);
  const res = await stack.gql(
    `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
    { i: { email: `owner-${stack.tag}@example.com`, displayName: 'Owner', roles: ['APPROVER'] } },
    admin,
  );
  expect(res.errors).toBeUndefined();
});

afterAll(async () => {
  await stack?.stop();
});

describe("an API process's view of an agent", () => {
  it('a read under way while this process suspends the agent does not put the ACTIVE view back', async () => {
    const { agent, gated, directory, reading } = await readHeldMidway('Cached agent'); // Temporal answered ACTIVE
    const suspended = await directory.commands.suspend(
      person(`admin-${stack.tag}@example.com`, ['admin']),
      agent.id,
      'cache race test',
    );
    expect(suspended.status).toBe('SUSPENDED');
    gated.release();
    await reading;

    const describesBefore = gated.state.describes;
    expect((await directory.access.session(agent.id))?.status).toBe('SUSPENDED');
    expect(gated.state.describes).toBe(describesBefore); // from the cache: the suspension, not the older read
  });

  it('a read under way while this process drops its view (as containment does) is not cached', async () => {
    const { agent, gated, directory, reading } = await readHeldMidway('Dropped agent');
    directory.access.forget(agent.id);
    gated.release();
    expect((await reading)?.status).toBe('ACTIVE'); // the caller that asked before the drop gets what it read

    const describesBefore = gated.state.describes;
    expect((await directory.access.session(agent.id))?.status).toBe('ACTIVE');
    expect(gated.state.describes).toBe(describesBefore + 1); // read afresh, not served from that older read
  });

  it("a registered agent's access view is readable before any worker has run its workflow", async () => {
    // Its workflow goes to a task queue no worker polls: whatever another API process can read of the
    // agent comes from what registration itself wrote.
    const registering = directoryOn(stack.client, `no-worker-${stack.tag}`);
    const { agent, credential } = await registering.commands.register(
      person(`admin-${stack.tag}@example.com`, ['admin']),
      {
        name: 'Fresh agent',
        ownerEmail: `owner-${stack.tag}@example.com`,
        platform: 'custom',
        description: '',
        allowedTools: [],
      },
    );
    const description = await stack.client.workflow.getHandle(`agent:${agent.id}`).describe();
    expect(description.historyLength).toBeLessThanOrEqual(2); // started, first task scheduled: nothing has run it
    const memo = description.memo as { status?: string; access?: { keys: { kid: string }[] } };
    expect(memo.status).toBe('ACTIVE');
    expect(memo.access?.keys.map((k) => k.kid)).toEqual([credential.kid]);
    // Another process's directory checks the agent from that memo alone (a Query would wait for a worker).
    const other = directoryOn(stack.client);
    expect((await other.access.session(agent.id))?.status).toBe('ACTIVE');
    expect((await other.access.signIn(agent.id)).signIn?.keys.map((k) => k.kid)).toEqual([credential.kid]);
    await stack.client.workflow.getHandle(`agent:${agent.id}`).terminate('test: no worker runs this task queue');
  });

  it('requests that find the view expired together share one read', async () => {
    const agent = await newAgent('Busy agent');
    const gated = heldDescribes(stack.client);
    const directory = directoryOn(gated.client);
    const sessions = await Promise.all(Array.from({ length: 8 }, () => directory.access.session(agent.id)));
    expect(sessions.map((s) => s?.status)).toEqual(Array(8).fill('ACTIVE'));
    expect(gated.state.describes).toBe(1);
  });
});

describe('the revocation feed', () => {
  const human = () => person(`admin-${stack.tag}@example.com`, ['admin']);
  const changedAtOf = async (agentId: string) =>
    (await stack.client.workflow.getHandle(`agent:${agentId}`).describe()).typedSearchAttributes
      .get(AgentAccessChangedAt)
      ?.getTime();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** What visibility (the feed's source) holds as the agent's AgentAccessChangedAt. */
  const visibleChangedAt = async (agentId: string) => {
    for await (const info of stack.client.workflow.list({ query: `AgentId = '${agentId}'` }))
      return info.typedSearchAttributes.get(AgentAccessChangedAt)?.getTime();
    return undefined;
  };
  /**
   * A new agent (and another, when named), and a directory (views good for `boundMs`) on a counting
   * client, with a feed the test polls by hand.
   */
  const feedOnHand = async (
    name: string,
    otherName: string | null,
    options: Parameters<AgentAccess['startAccessFeed']>[0],
    boundMs = 1_000,
  ) => {
    const agent = await newAgent(name);
    const other = otherName ? await newAgent(otherName) : null;
    await eventually(() => changedAtOf(agent.id));
    const gated = heldDescribes(stack.client);
    const directory = directoryOn(gated.client, undefined, boundMs);
    const feed = directory.access.startAccessFeed({ pollMs: 3_600_000, ...options });
    return { agent, other: other!, gated, directory, feed };
  };
  /** Until visibility shows the agent's latest change: a poll from then on must report it. */
  const untilVisible = async (agentId: string) => {
    const latest = await changedAtOf(agentId);
    await eventually(async () => (await visibleChangedAt(agentId)) === latest);
  };

  it("an agent's workflow stamps AgentAccessChangedAt when its access view changes, and only then", async () => {
    const agent = await newAgent('Stamped agent');
    const first = await eventually(() => changedAtOf(agent.id));
    const directory = directoryOn(stack.client);
    // Not an access change.
    await directory.commands.setRiskPolicy(human(), agent.id, { thresholds: { HIGH: { review: 90 } } });
    expect(await changedAtOf(agent.id)).toBe(first);
    await directory.commands.suspend(human(), agent.id, 'feed test');
    const second = await changedAtOf(agent.id);
    expect(second).toBeGreaterThan(first);
    // Visibility holds the same instant, to the millisecond: what the feed compares views by.
    await eventually(async () => (await visibleChangedAt(agent.id)) === second);
    let found = 0;
    for await (const info of stack.client.workflow.list({
      query: `AgentAccessChangedAt >= '${new Date(second!).toISOString()}' AND AgentId = '${agent.id}'`,
    })) {
      found += info.typedSearchAttributes.get(AgentAccessChangedAt)?.getTime() === second ? 1 : 0;
    }
    expect(found).toBe(1);
  });

  it('another process learns of a universal logout from the feed, well before its views expire', async () => {
    const agent = await newAgent('Logged-out agent');
    await eventually(() => changedAtOf(agent.id));
    const other = directoryOn(stack.client); // views good for a minute without the feed
    other.access.startAccessFeed({ pollMs: 100 });
    try {
      expect((await other.access.session(agent.id))?.revokedBefore).toBeNull();
      await directoryOn(stack.client).commands.universalLogout(human(), agent.id, 'feed test: every token out');
      await eventually(async () => (await other.access.session(agent.id))?.revokedBefore);
    } finally {
      await other.access.stopAccessFeed();
    }
  });

  it('keeps a view past its bound only while the latest poll vouches for it, and never past the ceiling', async () => {
    // Other test files' agents change meanwhile: a loaded machine must not make this feed think visibility
    // lags (that has its own test). Views are good for 2 s: a poll vouches for a view for a bound after it
    // starts, and the check right after a poll must fall inside that even on a loaded machine.
    const { agent, gated, directory, feed } = await feedOnHand(
      'Vouched agent',
      null,
      { ceilingMs: 4_000, maxLagMs: 60_000 },
      2_000,
    );
    const pastTheBound = () => sleep(2_100);
    try {
      await feed.poll();
      expect((await directory.access.session(agent.id))?.status).toBe('ACTIVE');
      expect(gated.state.describes).toBe(1);

      await pastTheBound(); // a poll that saw no change vouches for the view
      await feed.poll();
      expect((await directory.access.session(agent.id))?.status).toBe('ACTIVE');
      expect(gated.state.describes).toBe(1);

      // Polls fail (visibility down): nothing is vouched for, and the view is read again once a bound old.
      gated.state.listsFail = true;
      await expect(feed.poll()).rejects.toThrow(/visibility unavailable/);
      await pastTheBound();
      expect((await directory.access.session(agent.id))?.status).toBe('ACTIVE');
      expect(gated.state.describes).toBe(2);

      // A change made while polls failed is reported by the first poll that succeeds.
      await directoryOn(stack.client).commands.suspend(human(), agent.id, 'feed test: while polls failed');
      gated.state.listsFail = false;
      await pastTheBound();
      await untilVisible(agent.id);
      await feed.poll();
      expect((await directory.access.session(agent.id))?.status).toBe('SUSPENDED');
      expect(gated.state.describes).toBe(3);

      // Vouched for or not, a view is read again once it is as old as the ceiling.
      await sleep(4_100);
      await feed.poll();
      expect((await directory.access.session(agent.id))?.status).toBe('SUSPENDED');
      expect(gated.state.describes).toBe(4);
    } finally {
      await directory.access.stopAccessFeed();
    }
  });

  it('a poll that reports more changes than it can follow drops every cached view', async () => {
    const {
      agent,
      other: bystander,
      gated,
      directory,
      feed,
    } = await feedOnHand('Overflowed agent', 'Bystander agent', { maxChanges: 0 });
    try {
      expect((await directory.access.session(agent.id))?.status).toBe('ACTIVE');
      expect(gated.state.describes).toBe(1);
      await directoryOn(stack.client).commands.suspend(human(), bystander.id, 'feed test: someone else changed');
      await untilVisible(bystander.id);
      await feed.poll();
      expect((await directory.access.session(agent.id))?.status).toBe('ACTIVE');
      expect(gated.state.describes).toBe(2); // dropped, though its own agent did not change
    } finally {
      await directory.access.stopAccessFeed();
    }
  });

  it('a change that shows up a poll late makes the feed stop vouching: views are read again once a bound old', async () => {
    // Other test files change their agents on the same server: a lag bound well above what a loaded machine's
    // visibility shows (~300 ms), and a planted lag well above the bound.
    const {
      agent,
      other: late,
      gated,
      directory,
      feed,
    } = await feedOnHand('Lag-watched agent', 'Late agent', { maxLagMs: 600 });
    try {
      await feed.poll();
      expect((await directory.access.session(agent.id))?.status).toBe('ACTIVE');
      gated.state.hiddenFromLists = late.id;
      await directoryOn(stack.client).commands.suspend(human(), late.id, 'feed test: visibility lags behind this');
      await untilVisible(late.id);
      await sleep(900);
      await feed.poll(); // visibility (as this feed sees it) does not have the change yet
      expect(feed.lagging).toBe(false);
      gated.state.hiddenFromLists = null;
      await sleep(1_100);
      await feed.poll(); // now it does: 200+ ms after the previous poll could have seen it
      expect(feed.lagging).toBe(true);
      expect((await directory.access.session(agent.id))?.status).toBe('ACTIVE');
      expect(gated.state.describes).toBe(2); // its view was a bound old, and the feed no longer vouches
    } finally {
      await directory.access.stopAccessFeed();
    }
  });
});

describe('the revocation broadcast', () => {
  const human = () => person(`admin-${stack.tag}@example.com`, ['admin']);
  /** A directory (views good for a minute, no feed) on the deployment's broadcast, or on a queue no worker polls. */
  const onBroadcast = (taskQueue = stack.config.temporal.taskQueue, sessionCacheMs = 60_000) => {
    const directory = directoryOn(stack.client, undefined, sessionCacheMs);
    const broadcast = new RevocationBroadcast(stack.client, { taskQueue, waitMs: 5_000 });
    directory.access.joinBroadcast(broadcast);
    return { ...directory, broadcast };
  };
  const statusAt = async (directory: { access: AgentAccess }, agentId: string) =>
    (await directory.access.session(agentId))?.status;
  type OnBroadcast = ReturnType<typeof onBroadcast>;
  /** Two processes on the deployment's broadcast, the other one listening already; both stop after. */
  const twoProcesses = async (body: (deciding: OnBroadcast, other: OnBroadcast) => Promise<void>) => {
    const deciding = onBroadcast();
    const other = onBroadcast();
    try {
      await eventually(async () => other.broadcast.connected);
      await body(deciding, other);
    } finally {
      await Promise.all([deciding.broadcast.stop(), other.broadcast.stop()]);
    }
  };

  it("another process holds a contained agent suspended as soon as it is told, before its view expires and before the agent's workflow records it", async () => {
    const agent = await newAgent('Contained elsewhere');
    await twoProcesses(async (deciding, other) => {
      expect(await statusAt(other, agent.id)).toBe('ACTIVE'); // now cached for a minute
      const at = Date.now();
      await deciding.access.contained(agent.id, at);
      const held = { status: 'SUSPENDED', revokedBefore: new Date(at).toISOString() };
      expect(await deciding.access.session(agent.id)).toMatchObject(held);
      // Nothing else could tell the other process: no feed, its view is good for a minute, and the agent's
      // workflow has recorded nothing.
      await eventually(async () => (await statusAt(other, agent.id)) === 'SUSPENDED');
      expect(await other.access.session(agent.id)).toMatchObject(held);
      expect((await other.access.signIn(agent.id)).signIn?.status).toBe('SUSPENDED');
      expect((await stack.api.services.agents.get(agent.id)).status).toBe('ACTIVE');

      // Its workflow records the containment (a logout after it, announced as a change): the hold gives way
      // to the view, which says the same; once a person resumes the agent, both processes let it work again.
      await deciding.commands.suspend(human(), agent.id, 'contained: recorded');
      await eventually(async () => {
        const session = await other.access.session(agent.id);
        return session?.status === 'SUSPENDED' && Date.parse(session.revokedBefore!) > at;
      });
      await deciding.commands.resume(human(), agent.id, 'approved');
      await eventually(async () => (await statusAt(other, agent.id)) === 'ACTIVE');
      expect(await statusAt(deciding, agent.id)).toBe('ACTIVE');
    });
  });

  it('a change made through one process is re-read by the others as soon as it is announced', async () => {
    const agent = await newAgent('Logged out elsewhere');
    await twoProcesses(async (deciding, other) => {
      expect((await other.access.session(agent.id))?.revokedBefore).toBeNull();
      const state = await deciding.commands.universalLogout(human(), agent.id, 'broadcast test: every token out');
      await eventually(async () => (await other.access.session(agent.id))?.revokedBefore === state.revokedBefore);
    });
  });

  it("a notice that is not Warden's is dropped: nobody holds the agent", async () => {
    const forged = await newAgent('Forged containment');
    const genuine = await newAgent('Genuine containment');
    const plain = new Client({ connection: stack.connection, namespace: stack.config.temporal.namespace });
    await twoProcesses(async (deciding, other) => {
      expect(await statusAt(other, forged.id)).toBe('ACTIVE');
      await plain.workflow
        .getHandle(revocationBroadcastWorkflowId(stack.config.temporal.taskQueue))
        .signal(announceRevocationSignal, { agentId: forged.id, kind: 'contained', at: new Date().toISOString() });
      // A genuine notice sent after it arrives: the forged one, numbered before it, would have too.
      await deciding.access.contained(genuine.id, Date.now());
      await eventually(async () => (await statusAt(other, genuine.id)) === 'SUSPENDED');
      expect(await statusAt(other, forged.id)).toBe('ACTIVE');
    });
  });

  it('with the broadcast down, a process still honours a change within its bound', async () => {
    const agent = await newAgent('Logged out while the broadcast is down');
    // Its broadcast is on a task queue no worker polls: it never hears anything.
    const deaf = onBroadcast(`nobody-polls-${stack.tag}`, 1_000);
    try {
      expect((await deaf.access.session(agent.id))?.revokedBefore).toBeNull();
      const state = await directoryOn(stack.client).commands.universalLogout(human(), agent.id, 'broadcast down');
      await new Promise((r) => setTimeout(r, 1_050));
      expect((await deaf.access.session(agent.id))?.revokedBefore).toBe(state.revokedBefore);
      expect(deaf.broadcast.connected).toBe(false);
    } finally {
      await deaf.broadcast.stop();
    }
  });

  it('listens for as long as it runs without keeping its past long-polls: no listener piles up on its stop signal', async () => {
    // The same client, counting the long-polls it is asked to make.
    let polls = 0;
    const counting = new Proxy(stack.client, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (key === 'withAbortSignal') polls++;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const broadcast = new RevocationBroadcast(counting, { taskQueue: stack.config.temporal.taskQueue, waitMs: 50 });
    const heard: string[] = [];
    broadcast.listen({ onNotice: (n) => heard.push(n.agentId), onGap: () => {} });
    try {
      // Node warns past 10 listeners on one signal: a dozen long-polls and more.
      await eventually(async () => polls >= 12, 20_000);
      const stopSignal = (broadcast as unknown as { abort: AbortController }).abort.signal;
      expect(getEventListeners(stopSignal, 'abort').length).toBeLessThanOrEqual(1);
      const agent = await newAgent('Heard after many long-polls');
      expect(await broadcast.announce({ agentId: agent.id, kind: 'changed', at: new Date().toISOString() })).toBe(true);
      await eventually(async () => heard.includes(agent.id));
    } finally {
      await broadcast.stop();
    }
  });

  it('an announcement Temporal cannot take is said, and the decision goes on: it holds here all the same', async () => {
    const agent = await newAgent('Contained while Temporal is away');
    const connection = await Connection.connect({ address: stack.config.temporal.address });
    await connection.close();
    const away = new Client({ connection, namespace: stack.config.temporal.namespace });
    const broadcast = new RevocationBroadcast(away, { taskQueue: stack.config.temporal.taskQueue });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const at = new Date().toISOString();
      expect(await broadcast.announce({ agentId: agent.id, kind: 'contained', at })).toBe(false);
      expect(await broadcast.announce({ agentId: agent.id, kind: 'changed', at })).toBe(false);
      // Said once, not at every announcement.
      expect(warn.mock.calls.filter(([m]) => String(m).includes('could not announce'))).toHaveLength(1);
      // A process whose announcement fails still holds the agent itself.
      const deciding = directoryOn(stack.client);
      deciding.access.joinBroadcast(broadcast);
      await deciding.access.contained(agent.id, Date.parse(at));
      expect(await deciding.access.session(agent.id)).toMatchObject({ status: 'SUSPENDED', revokedBefore: at });
    } finally {
      warn.mockRestore();
      await broadcast.stop();
    }
  });

  it('keeps its numbering across continue-as-new, and tells a subscriber from another epoch or ahead of it that it has a gap', async () => {
    const workflowId = `revocations-test-${stack.tag}`;
    const handle = await stack.client.workflow.start(revocationBroadcastWorkflow, {
      workflowId,
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ continueAsNewAfterEvents: 40 }],
    });
    const poll = (cursor: RevocationCursor | null, waitMs = 0) =>
      handle.executeUpdate(awaitRevocationsUpdate, { args: [{ cursor, waitMs }] });
    const first = await poll(null);
    expect(first).toMatchObject({ cursor: { seq: 0 }, notices: [], gap: false });
    const agent = await newAgent('Announced often');
    const at = new Date().toISOString();
    let cursor = first.cursor;
    const seen: number[] = [];
    for (let i = 0; i < 30; i++) {
      await handle.signal(announceRevocationSignal, { agentId: agent.id, kind: 'changed', at });
      if (i % 3 === 2) {
        const batch = await poll(cursor, 5_000);
        expect(batch.gap).toBe(false);
        seen.push(...batch.notices.map((n) => n.seq));
        cursor = batch.cursor;
      }
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(cursor).toEqual({ epoch: first.cursor.epoch, seq: 30 });
    expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
    expect(await poll({ epoch: 'another', seq: 3 })).toMatchObject({ gap: true, notices: [], cursor });
    expect(await poll({ epoch: cursor.epoch, seq: 31 })).toMatchObject({ gap: true, notices: [], cursor });
    // Held open when nothing is new, answered when something is.
    const held = poll(cursor, 20_000);
    await handle.signal(announceRevocationSignal, { agentId: agent.id, kind: 'contained', at });
    expect((await held).notices).toEqual([{ agentId: agent.id, kind: 'contained', at, seq: 31 }]);
    await handle.terminate('test over');
  });
});

describe("a platform's peer statistics", () => {
  it('are gathered from its running agents, served stale while they are gathered again, and kept when that fails', async () => {
    const platform = `peers-${stack.tag}`.toLowerCase();
    for (let i = 0; i < 3; i++)
      await registerTestAgent(stack, admin, {
        name: `Peer ${i}`,
        ownerEmail: `owner-${stack.tag}@example.com`,
        platform,
        allowedTools: [],
      });
    const gated = heldDescribes(stack.client);
    const peers = new PeerStatistics(gated.client, stack.config.temporal.taskQueue, { cacheMs: 200 });
    const first = await eventually(async () => {
      const stats = await peers.of(platform);
      return stats?.agents === 3 && stats;
    });

    // Once they are old, a decision gets them at once while the new gathering hangs on visibility…
    gated.state.listsHeld = true;
    await new Promise((r) => setTimeout(r, 250));
    expect(await peers.of(platform)).toBe(first);
    // So does every decision after it while that gathering still hangs (none waits for it).
    expect(await peers.of(platform)).toBe(first);
    // …and when that gathering fails, the last ones stay.
    gated.release();
    gated.state.listsHeld = false;
    gated.state.listsFail = true;
    await new Promise((r) => setTimeout(r, 250));
    expect(await peers.of(platform)).toBe(first);
    // A platform never gathered, with visibility down: none (novelty is then scored without peers).
    expect(await peers.of(`none-${stack.tag}`.toLowerCase())).toBeUndefined();
  });
});
