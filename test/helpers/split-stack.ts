/**
 * A Warden stack whose worker is a real child process (`node --import tsx worker/main.ts`), so a test can
 * SIGKILL it mid-flight and start another: the API, client and data folder are this test process's own,
 * as in stack.ts, but no in-process worker is started.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import { startApiServer, type ApiServer } from '../../api/server.js';
import { PROJECT_ROOT, type WardenConfig } from '../../config/config.js';
import { dataConverterFor } from '../../vault/key-rings.js';
import type { Role } from '../../domain/people.js';
import { connectClient } from '../../temporal/connection.js';
import { apiCaller, testDeployment, type GraphQLResponse } from './stack.js';

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr, for failure messages. */
  output(): string;
  /** SIGKILL: no chance to finish anything. Resolves once the process is gone. */
  kill(): Promise<void>;
}

export interface SplitStack {
  config: WardenConfig;
  client: Client;
  connection: Connection;
  api: ApiServer;
  tag: string;
  /** The worker process currently running, if any. */
  worker: WorkerProcess | undefined;
  /** Starts a worker process with this stack's settings; resolves once it polls the task queue. */
  startWorker(): Promise<WorkerProcess>;
  token(email: string, roles: Role[], ttlSeconds?: number): Promise<string>;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<GraphQLResponse<T>>;
  /** Kills the worker (if any), closes the API and the client. */
  stop(): Promise<void>;
}

export async function startSplitStack(options: { env?: Record<string, string> } = {}): Promise<SplitStack> {
  // The worker process gets exactly these settings (nothing Temporal- or Warden-related leaks in from the
  // environment), so it and the in-process API agree on task queue, keys, intervals and receivers.
  const { tag, env, config } = await testDeployment('split', options.env);
  const { client, connection } = await connectClient(config.temporal, dataConverterFor(config));
  const api = await startApiServer(config, client);
  const { token, gql } = await apiCaller(config, api, api.services.people);

  const stack: SplitStack = {
    config,
    client,
    connection,
    api,
    tag,
    worker: undefined,
    async startWorker() {
      if (stack.worker && stack.worker.child.exitCode === null && stack.worker.child.signalCode === null) {
        throw new Error('a worker process is already running');
      }
      const started = forkWorker(env);
      stack.worker = started.worker; // registered before it is ready, so stop() kills it whatever happens
      await started.ready;
      return started.worker;
    },
    token,
    gql,
    async stop() {
      await stack.worker?.kill();
      await api.close();
      await connection.close();
    },
  };
  return stack;
}

function forkWorker(settings: Record<string, string>): { worker: WorkerProcess; ready: Promise<void> } {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(TEMPORAL_|WARDEN_)/.test(name)),
  );
  const child = fork(path.join(PROJECT_ROOT, 'worker', 'main.ts'), [], {
    cwd: PROJECT_ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...inherited, ...settings, WARDEN_WORKFLOW_BUNDLE: inject('workflowBundle') },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const worker: WorkerProcess = {
    child,
    output: () => out,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message) => {
      if ((message as { ready?: string } | null)?.ready === 'worker') resolve();
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`worker exited (${signal ?? `code ${code}`}) before it was ready:\n${out}`)),
    );
  });
  return { worker, ready };
}
