/**
 * A Warden stack for one test file, on the run's real Temporal server: a worker on its own task queue
 * (so test files never steal each other's tasks), the real API over real HTTP, and its own data folder
 * (so its development issuer key is its own).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { loadDevIssuerKey } from '../../api/auth/dev-issuer.js';
import { devTokenMinter } from '../../api/auth/dev-tokens.js';
import type { PeopleDirectory } from '../../api/services/people-directory.js';
import { startApiServer, type ApiServer } from '../../api/server.js';
import { PROJECT_ROOT, loadConfig, type WardenConfig } from '../../config/config.js';
import { dataConverterFor } from '../../vault/key-rings.js';
import { freePort } from '../../launcher/ports.js';
import type { Role } from '../../domain/people.js';
import { connectClient, connectWorker } from '../../temporal/connection.js';
import { createWardenWorker } from '../../worker/worker.js';

let runtimeInstalled = false;
function quietRuntime() {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  runtimeInstalled = true;
}

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string } }[];
}

export interface Stack {
  config: WardenConfig;
  client: Client;
  connection: Connection;
  api: ApiServer;
  /** A unique suffix for names and emails in this file, so visibility filters see only its own data. */
  tag: string;
  token(email: string, roles: Role[], ttlSeconds?: number): Promise<string>;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<GraphQLResponse<T>>;
  /** Stops this stack's worker for good (the API and Temporal stay up): for what must work without one. */
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
}

/** What every test deployment shares: its own task queue, data folder, port and the run's key rings. */
export async function testDeployment(prefix: string, extra: Record<string, string> = {}) {
  const tag = randomUUID().slice(0, 8);
  const dataDir = path.join(inject('runDir'), `${prefix}-${tag}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    WARDEN_TASK_QUEUE: `warden-${prefix}-${tag}`,
    WARDEN_DATA_DIR: dataDir,
    WARDEN_API_PORT: String(port),
    WARDEN_PUBLIC_URL: `http://127.0.0.1:${port}`,
    WARDEN_CODEC_KEYS: inject('codecKeys'),
    WARDEN_VAULT_KEYS: inject('vaultKeys'),
    WARDEN_CONSOLE_DIR: inject('consoleDir'),
    // One approval by the owner or security, as before routing policies; tests of routing name their own.
    WARDEN_APPROVAL_POLICY: path.join(PROJECT_ROOT, 'test', 'fixtures', 'approval-policies', 'single.yaml'),
    ...extra,
  };
  return { tag, dataDir, env, config: loadConfig(env) };
}

/**
 * A development-issuer token minter (the person is put in the directory with the roles asked for: the
 * directory, not the token, says what they may do) and a GraphQL-over-HTTP caller for one API server.
 */
export async function apiCaller(config: WardenConfig, api: Pick<ApiServer, 'graphqlUrl'>, people: PeopleDirectory) {
  const token: (email: string, roles: Role[], ttlSeconds?: number) => Promise<string> = devTokenMinter(
    people,
    await loadDevIssuerKey(config.dataDir),
    config.humans,
  );
  const gql = async <T>(
    query: string,
    variables?: Record<string, unknown>,
    bearer?: string | null,
  ): Promise<GraphQLResponse<T>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const res = await fetch(api.graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as Omit<GraphQLResponse<T>, 'status' | 'headers'>;
    return { status: res.status, headers: res.headers, ...body };
  };
  return { token, gql };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  quietRuntime();
  const { tag, config } = await testDeployment('test', options.env);
  const { client, connection } = await connectClient(config.temporal, dataConverterFor(config));
  const workerConnection = await connectWorker(config.temporal);
  const worker: Worker = await createWardenWorker({
    config,
    connection: workerConnection,
    client,
    workflowBundlePath: inject('workflowBundle'),
  });
  const running = worker.run();
  const api = await startApiServer(config, client);
  const { token, gql } = await apiCaller(config, api, api.services.people);

  return {
    config,
    client,
    connection,
    api,
    tag,
    token,
    gql,
    async stopWorker() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
    async stop() {
      await api.close();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await workerConnection.close();
      await connection.close();
    },
  };
}

/** Polls until `check` returns a truthy value (visibility is eventually consistent). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}
