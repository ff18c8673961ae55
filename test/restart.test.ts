/**
 * Restart: the directory lives in Temporal's database file, not in any process. A real worker process and
 * a real Temporal dev server of this file's own (not the run's shared one) are stopped — the worker always
 * killed outright, Temporal once stopped gracefully and once killed — and started again on the same
 * database file and ports; every agent and person must be exactly where it was, new changes must work,
 * and a change requested while no worker was running must complete once one is back.
 *
 * The `it`s run in order and build on each other: each restart checks what the previous steps left.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Services } from '../api/context.js';
import { createServices } from '../api/services/index.js';
import type { AgentRecord } from '../api/services/agent-directory.js';
import { loadConfig, PROJECT_ROOT, type WardenConfig } from '../config/config.js';
import { dataConverterFor } from '../vault/key-rings.js';
import type { AgentState } from '../domain/agents.js';
import type { Person } from '../domain/people.js';
import { connectClient } from '../temporal/connection.js';
import { startDevServer, type DevServer } from '../temporal/dev-server.js';
import { freePort } from '../launcher/ports.js';
import { eventually } from './helpers/stack.js';
import { person } from '../services/commands.js';

const admin = person('admin@example.com', ['admin']);
/** Visibility catches up asynchronously, and more slowly right after a restart. */
const VISIBILITY_TIMEOUT_MS = 60_000;
/** Each step starts processes and waits for visibility; generous, and never asserted on. */
const STEP_TIMEOUT_MS = 180_000;

let dataDir: string;
let ports: { port: number; uiPort: number };
let config: WardenConfig;
let temporal: DevServer | undefined;
let worker: WorkerProcess | undefined;
let connection: Connection | undefined;
let services: Services;

// ---------------------------------------------------------------------------------------------------------
// Processes

function startTemporal(): Promise<DevServer> {
  return startDevServer({
    dataDir,
    dbFile: path.join(dataDir, 'temporal.db'), // the same file every time: that is the point
    ip: '127.0.0.1',
    ...ports,
    namespace: 'default',
    logFile: path.join(dataDir, 'temporal.log'),
    env: { ...process.env, TEMPORAL_CLI: inject('temporalCli') },
  });
}

/** Kills the server outright (no chance to flush or shut down) and waits until its process and port are gone. */
async function killTemporal(server: DevServer): Promise<void> {
  const pid = server.pid;
  if (pid === undefined) throw new Error('the dev server has no pid (started through the SDK download?)');
  process.kill(pid, 'SIGKILL');
  await eventually(async () => !isAlive(pid), 30_000);
  await eventually(() => portIsFree(ports.port), 30_000);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
}

/** `node --import tsx worker/main.ts` as a real child process; resolves once it says it is polling. */
async function startWorker(): Promise<WorkerProcess> {
  // Only this test's settings: nothing Temporal- or Warden-related leaks in from the environment.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(TEMPORAL_|WARDEN_)/.test(name)),
  );
  const child = fork(path.join(PROJECT_ROOT, 'worker', 'main.ts'), [], {
    cwd: PROJECT_ROOT,
    execArgv: ['--import', 'tsx'],
    env: {
      ...inherited,
      TEMPORAL_ADDRESS: config.temporal.address,
      WARDEN_TASK_QUEUE: config.temporal.taskQueue,
      WARDEN_DATA_DIR: dataDir,
      WARDEN_WORKFLOW_BUNDLE: inject('workflowBundle'),
      // The run's key rings, as a deployment shares them: the worker must decrypt what this file's client wrote.
      WARDEN_CODEC_KEYS: inject('codecKeys'),
      WARDEN_VAULT_KEYS: inject('vaultKeys'),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const started: WorkerProcess = { child, output: () => out };
  worker = started; // registered before it is ready, so afterAll kills it even if it never gets there
  await new Promise<void>((resolve, reject) => {
    child.on('message', (message) => {
      if ((message as { ready?: string } | null)?.ready === 'worker') resolve();
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`worker exited (${signal ?? `code ${code}`}) before it was ready:\n${out}`)),
    );
  });
  return started;
}

/** SIGKILL: the worker gets no chance to finish anything; Temporal must not need it to. */
async function killWorker(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((resolve) => w.child.once('exit', resolve));
  w.child.kill('SIGKILL');
  await exited;
}

// ---------------------------------------------------------------------------------------------------------
// The directory as it should be

const people: { one?: Person; two?: Person } = {};
const ids = { suspended: '', decommissioned: '', transferred: '' };
/** Each agent's full state as last seen, kept up to date by the steps below. */
const expected = new Map<string, AgentState>();

/** Full states, read from the workflows themselves (so, after a restart, rebuilt by replaying their history). */
async function fullStates(agentIds: string[]): Promise<AgentState[]> {
  return Promise.all(agentIds.map((id) => services.agents.get(id)));
}

/** What a listing shows of each agent (from search attributes and memo); the events only the full state has. */
const LISTED_FIELDS = [
  'id',
  'name',
  'platform',
  'description',
  'status',
  'ownerEmail',
  'statusReason',
  'createdAt',
  'updatedAt',
] as const;
function listed(agent: AgentRecord): Pick<AgentRecord, (typeof LISTED_FIELDS)[number]> {
  return Object.fromEntries(LISTED_FIELDS.map((field) => [field, agent[field]])) as Pick<
    AgentRecord,
    (typeof LISTED_FIELDS)[number]
  >;
}

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

/** Polls the listing (visibility) until it shows exactly the expected agents; the last mismatch is the error. */
async function expectListing(): Promise<void> {
  await eventually(async () => {
    const rows = await services.agents.list({}, 50, 0);
    expect(rows.map(listed).sort(byId)).toEqual([...expected.values()].map(listed).sort(byId));
    return true;
  }, VISIBILITY_TIMEOUT_MS);
}

/** Every agent's full state, events included, is exactly as expected. */
async function expectFullStates(): Promise<void> {
  expect(await fullStates([...expected.keys()])).toEqual([...expected.values()]);
}

/** Tracks whether a promise has settled, to show that something is still waiting. */
function track(promise: Promise<unknown>): { settled: boolean } {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

async function expectPeople(): Promise<void> {
  expect(await services.people.find(people.one!.email)).toEqual(people.one);
  expect(await services.people.find(people.two!.email)).toEqual(people.two);
  expect(await services.people.find('nobody@example.com')).toBeNull();
}

/** Starts a call now and lets it be awaited later, without an "unhandled rejection" if it fails meanwhile. */
function later<T>(call: Promise<T>): Promise<T> {
  call.catch(() => {});
  return call;
}

// ---------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(inject('runDir'), 'restart-'));
  ports = { port: await freePort(), uiPort: await freePort() };
  temporal = await startTemporal();
  config = loadConfig({
    TEMPORAL_ADDRESS: temporal.address,
    WARDEN_TASK_QUEUE: `warden-restart-${randomUUID().slice(0, 8)}`,
    WARDEN_DATA_DIR: dataDir,
    WARDEN_CODEC_KEYS: inject('codecKeys'),
    WARDEN_VAULT_KEYS: inject('vaultKeys'),
  });
  await startWorker();
  // One client for the whole file: it reconnects by itself when the server comes back on the same port.
  const connected = await connectClient(config.temporal, dataConverterFor(config));
  connection = connected.connection;
  services = createServices(connected.client, config);
});

// When a step fails, show what the processes said: a worker that cannot run a workflow task only says so there.
beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    const log = path.join(dataDir, 'temporal.log');
    // Without the lines every stop produces (its internal workers losing their connections).
    const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n') : ['(no log)'];
    const temporalTail = lines
      .filter((l) => !/Failed to poll for task|network dial error/.test(l))
      .slice(-30)
      .join('\n');
    console.error(
      `--- worker output ---\n${worker?.output() ?? '(no worker)'}\n--- end of ${log} ---\n${temporalTail}`,
    );
  });
});

afterAll(async () => {
  // Runs whatever happened above: nothing this file started may outlive it.
  if (worker) await killWorker(worker);
  await temporal?.stop();
  await connection?.close();
});

describe('restart: stop worker and Temporal, start them again on the same database file, the directory is intact', () => {
  it(
    'builds a directory: two people, three agents (one suspended, one decommissioned, one transferred)',
    async () => {
      people.one = await services.people.upsert(admin, {
        email: 'owner.one@example.com',
        displayName: 'Owner One',
        roles: ['approver'],
      });
      people.two = await services.people.upsert(admin, {
        email: 'owner.two@example.com',
        displayName: 'Owner Two',
        roles: [],
      });

      const register = async (name: string) =>
        (
          await services.agentCommands.register(admin, {
            name,
            platform: 'custom',
            description: `${name}, restarted twice`,
            ownerEmail: people.one!.email,
          })
        ).agent.id;
      ids.suspended = await register('Suspended agent');
      ids.decommissioned = await register('Decommissioned agent');
      ids.transferred = await register('Transferred agent');

      expect((await services.agentCommands.suspend(admin, ids.suspended, 'under investigation')).status).toBe(
        'SUSPENDED',
      );
      expect((await services.agentCommands.decommission(admin, ids.decommissioned, 'retired')).status).toBe(
        'DECOMMISSIONED',
      );
      const transferred = await services.agentCommands.transferOwnership(
        admin,
        ids.transferred,
        people.two.email,
        'team change',
      );
      expect(transferred).toMatchObject({ status: 'ACTIVE', ownerEmail: people.two.email });

      for (const state of await fullStates([ids.suspended, ids.decommissioned, ids.transferred]))
        expected.set(state.id, state);
      expect([...expected.values()].map((s) => s.events.at(-1)?.kind)).toEqual([
        'SUSPENDED',
        'DECOMMISSIONED',
        'OWNER_TRANSFERRED',
      ]);
      await expectListing();
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'survives a graceful Temporal stop and a killed worker; an update sent while no worker runs completes once one is back',
    async () => {
      expect(expected.size, 'the directory was not built').toBe(3);
      await killWorker(worker!);
      await temporal!.stop();

      temporal = await startTemporal();
      expect(temporal.address).toBe(config.temporal.address);

      // Requested while no worker is running; Temporal holds it until one polls the task queue.
      const pending = later(
        services.agentCommands.suspend(admin, ids.transferred, 'requested while the worker was down'),
      );
      const progress = track(pending);
      // Listing is visibility, served by Temporal alone: it is intact before any worker is back.
      await expectListing();
      expect(progress.settled).toBe(false); // nothing can run the update without a worker
      await startWorker();
      const suspended = await pending;

      const before = expected.get(ids.transferred)!;
      expect(suspended).toMatchObject({
        status: 'SUSPENDED',
        ownerEmail: people.two!.email,
        statusReason: 'requested while the worker was down',
      });
      expect(suspended.events.slice(0, -1)).toEqual(before.events);
      expect(suspended.events.at(-1)).toMatchObject({
        kind: 'SUSPENDED',
        actor: { kind: 'human', id: admin.id },
        fromStatus: 'ACTIVE',
        toStatus: 'SUSPENDED',
      });
      expected.set(ids.transferred, suspended);

      // Every agent's full state, as the new worker rebuilds it from history, is what it was.
      await expectFullStates();
      await expectPeople();

      // And the directory takes new changes.
      const resumed = await services.agentCommands.resume(admin, ids.suspended, 'cleared after restart');
      expect(resumed).toMatchObject({ status: 'ACTIVE', ownerEmail: people.one!.email });
      expect(resumed.events.slice(0, -1)).toEqual(expected.get(ids.suspended)!.events);
      expect(resumed.events.at(-1)).toMatchObject({
        kind: 'RESUMED',
        fromStatus: 'SUSPENDED',
        toStatus: 'ACTIVE',
        reason: 'cleared after restart',
      });
      expected.set(ids.suspended, resumed);
      await expectListing();
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'survives a killed Temporal server and a killed worker, with the same guarantees',
    async () => {
      expect(expected.size, 'the directory was not built').toBe(3);
      await killWorker(worker!);
      await killTemporal(temporal!);

      temporal = await startTemporal();
      expect(temporal.address).toBe(config.temporal.address);

      // An ownership transfer also runs an activity (the new owner must exist): it too waits for the worker.
      const pending = later(
        services.agentCommands.transferOwnership(admin, ids.transferred, people.one!.email, 'back to the first owner'),
      );
      const progress = track(pending);
      await expectListing();
      expect(progress.settled).toBe(false);
      await startWorker();
      const transferred = await pending;

      const before = expected.get(ids.transferred)!;
      expect(transferred).toMatchObject({ status: 'SUSPENDED', ownerEmail: people.one!.email });
      expect(transferred.events.slice(0, -1)).toEqual(before.events);
      expect(transferred.events.at(-1)).toMatchObject({
        kind: 'OWNER_TRANSFERRED',
        details: { previousOwner: people.two!.email, newOwner: people.one!.email },
      });
      expected.set(ids.transferred, transferred);

      await expectFullStates();
      await expectPeople();

      // New transitions work, and the decommissioned agent still refuses to come back.
      const resumed = await services.agentCommands.resume(admin, ids.transferred, 'cleared after the crash');
      expect(resumed).toMatchObject({ status: 'ACTIVE', ownerEmail: people.one!.email });
      expected.set(ids.transferred, resumed);
      await expect(services.agentCommands.resume(admin, ids.decommissioned, 'try to revive')).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expectFullStates(); // the refusal changed nothing
      await expectListing();
    },
    STEP_TIMEOUT_MS,
  );
});
