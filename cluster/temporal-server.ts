/**
 * A Temporal cluster on this machine, built from the server's Go module: the schema tool creates or
 * upgrades both PostgreSQL schemas, then frontend, history, matching and the internal worker start as four
 * processes, each with its own log, each stoppable, killable and restartable on its own (the fault tests
 * SIGKILL history and bring it back). Ready means serving: the frontend answers, every history shard
 * answers, matching answers, and the namespace has Warden's search attributes.
 */
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { ensureSearchAttributes } from '../temporal/namespace.js';
import { WARDEN_SEARCH_ATTRIBUTES } from '../temporal/search-attributes.js';
import { waitForFrontend } from '../temporal/dev-server.js';
import { ensureTemporalServer } from './go-tools.js';
import {
  assertPortsFree,
  runCommand,
  startServiceProcess,
  waitUntil,
  withoutTemporalSettings,
  type ServiceProcess,
} from './process.js';
import {
  NUM_HISTORY_SHARDS,
  TEMPORAL_SERVICES,
  temporalPorts,
  writeServerConfig,
  type StoreLogin,
  type TemporalPorts,
  type TemporalService,
} from './temporal-config.js';

export { TEMPORAL_SERVICES, temporalPorts, type TemporalPorts, type TemporalService } from './temporal-config.js';

export interface TemporalClusterOptions {
  /** Its folder: `config/` (server and dynamic config) and `logs/` (one file per service, the schema tool's). */
  dir: string;
  /** Warden's data folder: the server is built into `<dataDir>/tools` the first time. */
  dataDir: string;
  /** The database (cluster/postgres.ts's `Postgres` is one). */
  postgres: StoreLogin;
  /** Default `temporalPorts()`: frontend on 7333. */
  ports?: TemporalPorts;
  /** Created when missing (default `default`), with Warden's search attributes. */
  namespace?: string;
  /** A new namespace's retention of closed workflows (default 3 days). */
  retentionDays?: number;
  logLevel?: string;
  /** Dynamic-config keys laid over Warden's (temporal-config.ts). */
  dynamicConfig?: Record<string, unknown>;
  /** Told when a service exits without being asked to. */
  onUnexpectedExit?: (service: TemporalService, how: string) => void;
  log?: (line: string) => void;
}

export interface TemporalServiceHandle {
  name: TemporalService;
  /** The current process (a new one after each start). */
  readonly process: ServiceProcess | undefined;
  logFile: string;
  /** Its Prometheus endpoint. */
  metricsUrl: string;
  running(): boolean;
  /** Starts it when it is not running, and waits until the cluster serves again. */
  start(): Promise<void>;
  /** SIGTERM: it hands its shards or task queues over, then exits. */
  stop(): Promise<void>;
  /** SIGKILL. */
  kill(): Promise<void>;
  /** `stop` then `start`. */
  restart(): Promise<void>;
}

export interface TemporalCluster {
  /** The frontend, for TEMPORAL_ADDRESS. */
  address: string;
  namespace: string;
  ports: TemporalPorts;
  services: Record<TemporalService, TemporalServiceHandle>;
  /** Search attributes this start registered (none when the namespace had them all). */
  registered: string[];
  /** Resolves when the frontend, every history shard and matching answer. */
  waitUntilServing(timeoutMs?: number): Promise<void>;
  /** Stops every service. */
  stop(): Promise<void>;
}

interface Handle extends TemporalServiceHandle {
  /** Starts its process without waiting. */
  launch(): Promise<void>;
  unexpectedDeath(): string | undefined;
}

const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;
const codeOf = (err: unknown) => (err as { code?: number } | null)?.code;

/** `setup-schema -v 0.0` makes the version table (idempotent); `update-schema` applies what is newer. */
async function setupSchemas(sqlTool: string, store: StoreLogin, logFile: string): Promise<void> {
  for (const [database, schema] of [
    [store.databases.persistence, 'postgresql/v12/temporal'],
    [store.databases.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    // Through the environment, so the password is not on a command line `ps` shows.
    const env = {
      ...process.env,
      SQL_PLUGIN: 'postgres12',
      SQL_HOST: store.host,
      SQL_PORT: String(store.port),
      SQL_USER: store.user,
      SQL_PASSWORD: store.password,
      SQL_DATABASE: database,
    };
    await runCommand(sqlTool, ['setup-schema', '-v', '0.0'], { env, logFile });
    // The schema files are embedded in the tool: no dependency on Go's module cache.
    await runCommand(sqlTool, ['update-schema', '--schema-name', schema], { env, logFile });
  }
}

/** Workflow ids enough to land on every shard: 16 per shard miss one of 4 with odds of about 1 in 25 million. */
const PROBE_IDS = Array.from({ length: NUM_HISTORY_SHARDS * 16 }, (_, i) => `warden-cluster-probe-${i}`);

/**
 * Workflow-free checks that each service answers: describing workflows that do not exist reaches the
 * history shard owning each id (NOT_FOUND is its answer); describing a task queue reaches matching.
 */
async function serving(connection: Connection, namespace: string): Promise<boolean> {
  return connection.withDeadline(Date.now() + 5000, async () => {
    const answers = await Promise.all(
      PROBE_IDS.map((workflowId) =>
        connection.workflowService
          .describeWorkflowExecution({ namespace, execution: { workflowId } })
          .then(() => true)
          // The workflow's NOT_FOUND, not the namespace's (a frontend that does not know it yet).
          .catch((err: unknown) => codeOf(err) === GRPC_NOT_FOUND && !/namespace/i.test(String(err))),
      ),
    );
    if (!answers.every(Boolean)) return false;
    await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: 'warden-cluster-probe' },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    });
    return true;
  });
}

/** Registers the namespace when missing; waits until the frontend knows it (its namespace cache). */
async function ensureNamespace(connection: Connection, namespace: string, retentionDays: number): Promise<boolean> {
  let created = false;
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(retentionDays * 86_400_000),
    });
    created = true;
  } catch (err) {
    if (codeOf(err) !== GRPC_ALREADY_EXISTS) throw err;
  }
  await waitUntil(
    `namespace ${namespace}`,
    async () => {
      await connection.operatorService.listSearchAttributes({ namespace });
      return true;
    },
    30_000,
  );
  return created;
}

/**
 * New search attributes reach each service's namespace cache at its next refresh (every 2 s): waits until
 * the frontend accepts a visibility query naming all of them, so Warden's first workflow does not race it.
 */
async function waitForSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const query = WARDEN_SEARCH_ATTRIBUTES.map((k) => `${k.name} IS NULL`).join(' AND ');
  await waitUntil(
    'Warden’s search attributes',
    async () => {
      await connection.workflowService.countWorkflowExecutions({ namespace, query });
      return true;
    },
    30_000,
  );
}

export async function startTemporalCluster(o: TemporalClusterOptions): Promise<TemporalCluster> {
  const log = o.log ?? (() => {});
  const ports = o.ports ?? temporalPorts();
  const namespace = o.namespace ?? 'default';
  const logs = path.join(o.dir, 'logs');
  const { server, sqlTool } = await ensureTemporalServer({
    dataDir: o.dataDir,
    logFile: path.join(logs, 'go-install.log'),
    log,
  });
  const configs = writeServerConfig({
    dir: path.join(o.dir, 'config'),
    store: o.postgres,
    ports,
    ...(o.logLevel ? { logLevel: o.logLevel } : {}),
    ...(o.dynamicConfig ? { dynamicConfig: o.dynamicConfig } : {}),
  });
  // The server ignores an unknown key or a value of the wrong type (a warning in each service's log): say so here.
  const checked = await runCommand(server, [
    'validate-dynamic-config',
    path.join(o.dir, 'config', 'dynamic-config.yaml'),
  ]);
  for (const line of checked.split('\n').filter((l) => /warning|error/.test(l))) log(`dynamic config: ${line.trim()}`);
  log(`creating or upgrading Temporal's schemas in PostgreSQL 127.0.0.1:${o.postgres.port}`);
  await setupSchemas(sqlTool, o.postgres, path.join(logs, 'schema.log'));

  const address = `127.0.0.1:${ports.grpc.frontend}`;
  let connection: Connection | undefined;
  const waitUntilServing = async (timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    await waitForFrontend(address, timeoutMs, died);
    connection ??= await Connection.connect({ address });
    const c = connection;
    await waitUntil('the Temporal cluster', () => serving(c, namespace), deadline - Date.now(), died);
  };

  /** A service that exited without being asked to: waiting for the cluster to serve is pointless. */
  const died = () => TEMPORAL_SERVICES.map((s) => handles[s].unexpectedDeath()).find(Boolean);

  const handle = (name: TemporalService): Handle => {
    let current: ServiceProcess | undefined;
    let ending = false;
    const logFile = path.join(logs, `${name}.log`);
    const running = () => current !== undefined && !current.exited();
    const launch = async () => {
      if (running()) return;
      const own = [ports.grpc[name], ports.membership[name], ports.metrics[name]];
      await assertPortsFree(`Temporal ${name}`, name === 'frontend' ? [...own, ports.frontendHttp] : own);
      ending = false;
      const proc = startServiceProcess({
        name: `Temporal ${name}`,
        command: server,
        // No authorizer (as on the dev server): it listens on 127.0.0.1 only. Locking the namespace down
        // (docs/security.md) is for a cluster other machines can reach.
        args: ['--config-file', configs[name], '--allow-no-auth', 'start', '--service', name],
        logFile,
        env: withoutTemporalSettings(),
        cwd: o.dir,
        graceMs: 20_000,
      });
      current = proc;
      void proc.whenExited.then(() => {
        if (!ending && current === proc) o.onUnexpectedExit?.(name, proc.death() ?? 'exited');
      });
    };
    const h: Handle = {
      name,
      launch,
      unexpectedDeath: () => (ending ? undefined : current?.death()),
      get process() {
        return current;
      },
      logFile,
      metricsUrl: `http://127.0.0.1:${ports.metrics[name]}/metrics`,
      running,
      async start() {
        await launch();
        await waitUntilServing();
      },
      async stop() {
        ending = true;
        await current?.stop();
      },
      async kill() {
        ending = true;
        await current?.kill();
      },
      async restart() {
        await h.stop();
        await h.start();
      },
    };
    return h;
  };
  const handles = Object.fromEntries(TEMPORAL_SERVICES.map((s) => [s, handle(s)])) as Record<TemporalService, Handle>;
  const stop = async () => {
    await connection?.close();
    connection = undefined;
    // In reverse order: each stops while those it calls still answer, so shutdown logs only its own steps.
    for (const s of [...TEMPORAL_SERVICES].reverse()) await handles[s].stop();
  };

  try {
    log(`starting Temporal ${TEMPORAL_SERVICES.join(', ')} (${server}); frontend on ${address}, logs in ${logs}`);
    // The frontend first, alone: each service writes the cluster's metadata on its first start, and on a
    // fresh database four doing it at once can fail one of them ("failed to initialize current cluster
    // metadata"); once the frontend answers, the metadata is there and the others only read it.
    await handles.frontend.launch();
    await waitForFrontend(address, 120_000, died);
    for (const s of TEMPORAL_SERVICES) await handles[s].launch();
    connection = await Connection.connect({ address });
    // The probes name the namespace: it must exist first.
    if (await ensureNamespace(connection, namespace, o.retentionDays ?? 3)) log(`registered namespace ${namespace}`);
    await waitUntilServing();
    const registered = await ensureSearchAttributes(connection, namespace);
    if (registered.length) log(`registered search attributes ${registered.join(', ')} on ${namespace}`);
    await waitForSearchAttributes(connection, namespace);
    return { address, namespace, ports, services: handles, registered, waitUntilServing, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
