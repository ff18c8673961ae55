/**
 * The benchmark's own Warden, as production runs it on the embedded default: a Temporal dev server
 * (SQLite file in a fresh data folder), one worker process, one API process — plus, for the baselines, the
 * floor's worker process (bench/floor) and node-oidc-provider (bench/oidc), each in its own process.
 * Ports are free ones, so the benchmark never meets another Temporal server or test run on this machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadDevIssuerKey } from '../../api/auth/dev-issuer.js';
import { devTokenMinter } from '../../api/auth/dev-tokens.js';
import { createServices } from '../../api/services/index.js';
import type { Services } from '../../api/context.js';
import { loadConfig, PROJECT_ROOT, type WardenConfig } from '../../config/config.js';
import type { Role } from '../../domain/people.js';
import type { Part } from '../../launcher/part.js';
import { freePort } from '../../launcher/ports.js';
import { launchStack, type LaunchedStack } from '../../launcher/stack.js';
import type { DevServer } from '../../temporal/dev-server.js';
import { generateKeySpec } from '../../vault/envelope.js';
import { buildWorkflowBundle } from '../../worker/bundle.js';

export const FLOOR_TASK_QUEUE = 'bench-floor';

export interface BenchStack {
  dataDir: string;
  config: WardenConfig;
  env: NodeJS.ProcessEnv;
  apiUrl: string;
  graphqlUrl: string;
  /** Another API process of the same deployment, when the stack runs one (a cluster's second). */
  secondApiGraphqlUrl?: string;
  client: Client;
  connection: Connection;
  /** The embedded dev server; undefined on a cluster (bench/lib/cluster-stack.ts). */
  devServer: DevServer | undefined;
  parts: Record<'worker' | 'api' | 'floor', Part>;
  /** Temporal's processes (the dev server; a cluster's services and its database), for CPU and memory. */
  temporalPids(): number[];
  /** The dev server's SQLite file; undefined on a cluster. */
  dbFile: string | undefined;
  token(email: string, roles: Role[], ttlSeconds?: number): Promise<string>;
  /** Warden's service layer in this process (over the stack's client): commands, the directory. */
  services: Services;
  /** Starts another process (an API, oidc-provider) that is stopped with the stack. */
  startPart(name: string, entry: string, env: NodeJS.ProcessEnv): Promise<Part>;
  stop(): Promise<void>;
}

const quiet = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };

export async function startBenchStack(log: (line: string) => void): Promise<BenchStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-bench-'));
  const [temporalPort, uiPort] = [await freePort(), await freePort()];
  const dbFile = path.join(dataDir, 'temporal.db');
  const floorBundle = path.join(dataDir, 'floor-bundle.js');
  const wardenBundle = path.join(dataDir, 'workflow-bundle.js');
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    WARDEN_DATA_DIR: dataDir,
    WARDEN_CODEC_KEYS: generateKeySpec('bench-codec'),
    WARDEN_VAULT_KEYS: generateKeySpec('bench-vault'),
    WARDEN_WORKFLOW_BUNDLE: wardenBundle,
    WARDEN_LOG_LEVEL: 'WARN',
    BENCH_FLOOR_TASK_QUEUE: FLOOR_TASK_QUEUE,
    BENCH_FLOOR_BUNDLE: floorBundle,
  };
  delete baseEnv.NODE_ENV;
  delete baseEnv.TEMPORAL_ADDRESS;
  delete baseEnv.WARDEN_FAILPOINTS;
  delete baseEnv.WARDEN_FAILPOINTS_FILE;
  let stopping = false;

  log(`data folder ${dataDir}; building workflow bundles and starting the Temporal dev server`);
  const [launch, ...bundles] = await Promise.allSettled([
    launchStack({
      env: baseEnv,
      // The CLI is looked up (or installed) as `npm start` does; the database is the benchmark's own.
      devServer: {
        dataDir: path.join(PROJECT_ROOT, '.warden'),
        dbFile,
        ip: '127.0.0.1',
        port: temporalPort,
        uiPort,
        logFile: path.join(dataDir, 'logs', 'temporal.log'),
      },
      output: (name) => ({ file: path.join(dataDir, 'logs', `${name}.log`) }),
      onUnexpectedExit: (part, how) => {
        if (!stopping) console.error(`bench: the ${part.name} process exited (${how}); its log:\n${part.output()}`);
      },
    }),
    buildWorkflowBundle(wardenBundle),
    bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../floor/workflows.ts', import.meta.url)),
      logger: quiet,
    }).then(({ code }) => fs.writeFileSync(floorBundle, code)),
  ]);
  const notStarted = [launch, ...bundles].find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (notStarted) {
    if (launch.status === 'fulfilled') await launch.value.stop();
    throw notStarted.reason;
  }
  const launched = (launch as PromiseFulfilledResult<LaunchedStack>).value;

  // Picked once the server is up: it takes free ports of its own for its internal services as it starts,
  // and one picked before could be gone by the time the API listens.
  const apiPort = await freePort();
  const apiEnv = { WARDEN_API_PORT: String(apiPort), WARDEN_PUBLIC_URL: `http://127.0.0.1:${apiPort}` };
  const env: NodeJS.ProcessEnv = { ...launched.env, ...apiEnv };
  const config = loadConfig(env);
  const stopAll = async () => {
    stopping = true;
    await launched.stop();
  };

  log('starting the worker, the API and the floor worker (separate processes)');
  // BENCH_CPU_PROF=<dir>: each part writes V8 CPU profiles there when it exits (one per thread).
  const profileDir = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;
  const execArgv = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : undefined;
  const [worker, api, floor] = [
    launched.start('worker', { env: apiEnv, ...(execArgv ? { execArgv } : {}) }),
    launched.start('api', { env: apiEnv, ...(execArgv ? { execArgv } : {}) }),
    launched.start('floor', { entry: 'bench/floor/worker.ts', env: apiEnv }),
  ];
  const started = await Promise.allSettled([worker.ready, api.ready, floor.ready]);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // Nothing is left running behind a stack that never started (it would skew every later measurement).
    await stopAll();
    throw failed.reason;
  }

  // The directory says what a person may do: the bench's people are put there with the roles they need.
  const services = createServices(launched.client, config);
  const token = devTokenMinter(services.people, await loadDevIssuerKey(dataDir), config.humans, 3600);

  const apiUrl = `http://127.0.0.1:${apiPort}`;
  return {
    dataDir,
    config,
    env,
    apiUrl,
    graphqlUrl: `${apiUrl}/graphql`,
    client: launched.client,
    connection: launched.connection,
    devServer: launched.devServer!,
    temporalPids: () => [launched.devServer!.pid].filter((p): p is number => p !== undefined),
    parts: { worker, api, floor },
    dbFile,
    token,
    services,
    async startPart(name, entry, partEnv) {
      const part = launched.start(name, { entry, env: partEnv });
      await part.ready;
      return part;
    },
    stop: stopAll,
  };
}

/** The process and its descendants (the Temporal CLI may run the server as a child of a launcher). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      /* gone */
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  return tree;
}

/** Resident memory of a process and its descendants (MB), from /proc; null where /proc is not there. */
export function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    let kb = 0;
    for (const p of processTree(pid)) {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      kb += m ? Number(m[1]) : 0;
    }
    return Math.round(kb / 102.4) / 10;
  } catch {
    return null;
  }
}

/** CPU time (user + system, ms) used so far by a process and its descendants; NaN without /proc. */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    let ticks = 0;
    for (const p of processTree(pid)) {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    }
    return ticks * 10; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** CPU use of the stack's processes: snapshot now, and what each used since the snapshot. */
export function cpuMeter(stack: Pick<BenchStack, 'parts' | 'temporalPids'>) {
  const temporalPids = stack.temporalPids();
  const pids = {
    temporal: temporalPids[0],
    worker: stack.parts.worker.pid,
    api: stack.parts.api.pid,
    floorWorker: stack.parts.floor.pid,
    loadGenerator: process.pid,
  };
  // This process alone (its children are the other parts).
  const self = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const read = () =>
    Object.fromEntries(
      Object.entries(pids).map(([k, pid]) => [
        k,
        k === 'loadGenerator' ? self() : k === 'temporal' ? temporalPids.reduce((t, p) => t + cpuMs(p), 0) : cpuMs(pid),
      ]),
    ) as Record<keyof typeof pids, number>;
  const start = read();
  return {
    /** CPU ms used by each process since the meter started, divided by `per` (e.g. per decision). */
    since(per = 1) {
      const now = read();
      return Object.fromEntries(
        Object.entries(now).map(([k, v]) => [k, Math.round(((v - start[k as keyof typeof pids]) / per) * 100) / 100]),
      ) as Record<keyof typeof pids, number>;
    },
  };
}

/**
 * Waits (at most `maxMs`) until the workflow has run its first task (its history has the task's completion),
 * as a registration is sustained only once the worker has caught up. Returns whether it had.
 */
export async function untilFirstTask(client: Client, workflowId: string, maxMs: number): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const d = await client.workflow
      .getHandle(workflowId)
      .describe()
      .catch(() => null);
    if ((d?.historyLength ?? 0) >= 4) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Bytes of a SQLite database with its WAL and shared-memory files. */
export function sqliteBytes(dbFile: string): number {
  let total = 0;
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) {
    try {
      total += fs.statSync(f).size;
    } catch {
      /* not there */
    }
  }
  return total;
}

/**
 * Waits (at most `maxMs`) until the work left behind by the previous run — audit records, learning,
 * activity retries — has drained: the Temporal server and Warden's worker together use less than
 * `busyShare` of one core over a 250 ms window. Returns how long it waited.
 */
export async function quiesce(
  stack: Pick<BenchStack, 'temporalPids' | 'parts'>,
  maxMs = 4_000,
  busyShare = 0.15,
): Promise<number> {
  const start = performance.now();
  const used = () => stack.temporalPids().reduce((t, p) => t + cpuMs(p), 0) + cpuMs(stack.parts.worker.pid);
  while (performance.now() - start < maxMs) {
    const before = used();
    await new Promise((r) => setTimeout(r, 250));
    if (used() - before < 250 * busyShare) break;
  }
  return Math.round(performance.now() - start);
}
