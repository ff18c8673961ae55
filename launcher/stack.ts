/**
 * A Warden deployment brought up on this machine: a Temporal dev server when asked for one (or the server
 * the settings name), a client on it with Warden's search attributes registered, and its parts — the
 * worker, API processes, anything else — started, restarted and stopped as processes (launcher/part.ts).
 */
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { loadConfig, type WardenConfig } from '../config/config.js';
import type { FailpointName } from '../temporal/failpoints.js';
import { connectClient } from '../temporal/connection.js';
import { startDevServer, type DevServer, type DevServerOptions } from '../temporal/dev-server.js';
import { ensureSearchAttributes } from '../temporal/namespace.js';
import { dataConverterFor } from '../vault/key-rings.js';
import { startPart, type Part, type PartOptions } from './part.js';

/** Warden's own parts, by name; other parts name their entry point. */
const ENTRIES: Record<string, string> = { worker: 'worker/main.ts', api: 'api/main.ts' };

export interface LaunchOptions {
  /** The deployment's settings: every part's whole environment (TEMPORAL_ADDRESS is set to a dev server's). */
  env: NodeJS.ProcessEnv;
  /** A dev server to start first; without one, TEMPORAL_ADDRESS in `env` names the server. */
  devServer?: Omit<DevServerOptions, 'namespace'>;
  /** Where each part's output goes. */
  output: (name: string) => PartOptions['output'];
  /** Where failpoint files go, for parts started with failpoints (the fault suite). */
  failpointDir?: string;
  onUnexpectedExit?: PartOptions['onUnexpectedExit'];
  log?: (line: string) => void;
}

export interface LaunchedStack {
  config: WardenConfig;
  env: NodeJS.ProcessEnv;
  devServer: DevServer | undefined;
  client: Client;
  connection: Connection;
  /** Search attributes this launch registered (none when the namespace had them). */
  registered: string[];
  /** The parts started so far, oldest first (a restarted part appears again). */
  parts: Part[];
  /** Starts a part (await its `ready`); it is stopped with the stack whatever happens. */
  start(
    name: string,
    options?: { entry?: string; env?: NodeJS.ProcessEnv; failpoints?: FailpointName[]; execArgv?: string[] },
  ): Part;
  /** Stops every part (SIGTERM, then SIGKILL), the client and the dev server. */
  stop(): Promise<void>;
}

export async function launchStack(o: LaunchOptions): Promise<LaunchedStack> {
  const log = o.log ?? (() => {});
  const config0 = loadConfig(o.env);
  const devServer = o.devServer
    ? await startDevServer({ ...o.devServer, namespace: config0.temporal.namespace, log })
    : undefined;
  const env = devServer ? { ...o.env, TEMPORAL_ADDRESS: devServer.address } : o.env;
  const config = loadConfig(env);
  let connected: Awaited<ReturnType<typeof connectClient>>;
  let registered: string[];
  try {
    connected = await connectClient(config.temporal, dataConverterFor(config));
    registered = await ensureSearchAttributes(connected.connection, config.temporal.namespace);
  } catch (err) {
    await devServer?.stop();
    throw err;
  }
  const parts: Part[] = [];
  let forks = 0;

  const stack: LaunchedStack = {
    config,
    env,
    devServer,
    ...connected,
    registered,
    parts,
    start(name, options = {}) {
      const entry = options.entry ?? ENTRIES[name];
      if (!entry) throw new Error(`no entry point for a part named ${name}`);
      const failpoints = options.failpoints
        ? {
            file: path.join(o.failpointDir ?? config.dataDir, `failpoints-${name}-${++forks}`),
            armed: options.failpoints,
          }
        : undefined;
      const part = startPart({
        name,
        entry,
        env: { ...env, ...options.env },
        output: o.output(name),
        ...(failpoints ? { failpoints } : {}),
        ...(options.execArgv ? { execArgv: options.execArgv } : {}),
        ...(o.onUnexpectedExit ? { onUnexpectedExit: o.onUnexpectedExit } : {}),
      });
      parts.push(part);
      return part;
    },
    async stop() {
      await Promise.all(parts.map((p) => p.stop()));
      await connected.connection.close();
      await devServer?.stop();
    },
  };
  return stack;
}
