/**
 * A Warden stack whose worker is a real child process (launcher/part.ts), so a test can SIGKILL it
 * mid-flight and start another: the API, client and data folder are this test process's own, as in
 * stack.ts, but no in-process worker is started.
 */
import type { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import { startApiServer, type ApiServer } from '../../api/server.js';
import type { WardenConfig } from '../../config/config.js';
import type { Role } from '../../domain/people.js';
import { neutralEnvironment, startPart, type Part } from '../../launcher/part.js';
import { connectClient } from '../../temporal/connection.js';
import { dataConverterFor } from '../../vault/key-rings.js';
import { apiCaller, testDeployment, type GraphQLResponse } from './stack.js';

export interface SplitStack {
  config: WardenConfig;
  client: Client;
  connection: Connection;
  api: ApiServer;
  tag: string;
  /** The worker process currently running, if any. */
  worker: Part | undefined;
  /** Starts a worker process with this stack's settings; resolves once it polls the task queue. */
  startWorker(): Promise<Part>;
  token(email: string, roles: Role[], ttlSeconds?: number): Promise<string>;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<GraphQLResponse<T>>;
  /** Kills the worker (if any), closes the API and the client. */
  stop(): Promise<void>;
}

export async function startSplitStack(
  options: { env?: Record<string, string>; traced?: boolean } = {},
): Promise<SplitStack> {
  // The worker process gets exactly these settings (nothing Temporal- or Warden-related leaks in from the
  // environment), so it and the in-process API agree on task queue, keys, intervals and receivers.
  const { tag, env, config } = await testDeployment('split', options.env);
  const { client, connection } = await connectClient(config.temporal, dataConverterFor(config), {
    traced: options.traced ?? false,
  });
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
      if (stack.worker && !stack.worker.exited()) throw new Error('a worker process is already running');
      const worker = startPart({
        name: 'worker',
        entry: 'worker/main.ts',
        env: { ...neutralEnvironment(), ...env, WARDEN_WORKFLOW_BUNDLE: inject('workflowBundle') },
        output: 'capture',
      });
      stack.worker = worker; // registered before it is ready, so stop() kills it whatever happens
      await worker.ready;
      return worker;
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
