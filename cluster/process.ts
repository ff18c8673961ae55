/**
 * The cluster's programs (PostgreSQL, each Temporal service, the Web UI) run as child processes, each
 * appending its output to its own log file; short commands (initdb, psql, the schema tool, go install)
 * run to completion and fail with the end of what they printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface RunAs {
  uid: number;
  gid: number;
}

export interface ServiceProcessOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Another system user to run as (PostgreSQL refuses to run as root). */
  runAs?: RunAs;
  /** What asks it to finish (SIGTERM; PostgreSQL's fast shutdown is SIGINT). */
  stopSignal?: NodeJS.Signals;
  /** How long `stop` waits before SIGKILL. */
  graceMs?: number;
}

export interface ServiceProcess {
  name: string;
  pid: number | undefined;
  logFile: string;
  exited(): boolean;
  /** Resolves when it has exited, whoever ended it. */
  whenExited: Promise<void>;
  /** Why it ended, once it has; undefined while it runs (for readiness waits). */
  death(): string | undefined;
  /** The end of its log file. */
  tail(lines?: number): string;
  /** Asks it to finish, then SIGKILL after the grace period. Resolves once it is gone. */
  stop(): Promise<void>;
  /** SIGKILL: no chance to finish anything. Resolves once it is gone. */
  kill(): Promise<void>;
}

export function tailOf(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export function startServiceProcess(o: ServiceProcessOptions): ServiceProcess {
  fs.mkdirSync(path.dirname(o.logFile), { recursive: true });
  const out = fs.openSync(o.logFile, 'a');
  fs.writeSync(out, `\n--- ${new Date().toISOString()} starting ${o.command} ${o.args.join(' ')}\n`);
  const child: ChildProcess = spawn(o.command, o.args, {
    stdio: ['ignore', out, out],
    env: o.env ?? process.env,
    ...(o.cwd ? { cwd: o.cwd } : {}),
    ...(o.runAs ? { uid: o.runAs.uid, gid: o.runAs.gid } : {}),
  });
  fs.closeSync(out);
  let death: string | undefined;
  const gone = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      death = `${o.name} exited (${signal ?? `code ${code}`}); see ${o.logFile}:\n${tailOf(o.logFile, 15)}`;
      resolve();
    });
    // A program that cannot be launched at all emits 'error' and no 'exit'; unhandled, it would crash us.
    child.once('error', (err) => {
      death = `could not run ${o.command}: ${err.message}`;
      resolve();
    });
  });
  const exited = () => death !== undefined;
  const end = async (signal: NodeJS.Signals, graceMs: number) => {
    if (exited()) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  };
  return {
    name: o.name,
    pid: child.pid,
    logFile: o.logFile,
    exited,
    whenExited: gone,
    death: () => death,
    tail: (lines) => tailOf(o.logFile, lines),
    stop: () => end(o.stopSignal ?? 'SIGTERM', o.graceMs ?? 15_000),
    kill: () => end('SIGKILL', 0),
  };
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  runAs?: RunAs;
  /** Written to its standard input. */
  input?: string;
  /** Where its output goes as well (a long build); otherwise only kept for the error. */
  logFile?: string;
}

/** Runs a command to completion; resolves with its standard output, rejects with the end of its output. */
export function runCommand(command: string, args: string[], o: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: o.env ?? process.env,
      ...(o.cwd ? { cwd: o.cwd } : {}),
      ...(o.runAs ? { uid: o.runAs.uid, gid: o.runAs.gid } : {}),
    });
    if (o.logFile) fs.mkdirSync(path.dirname(o.logFile), { recursive: true });
    const log = o.logFile ? fs.createWriteStream(o.logFile, { flags: 'a' }) : undefined;
    log?.on('error', () => {}); // a log that cannot be written must not crash the caller
    let stdout = '';
    let all = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      all += d;
      log?.write(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      all += d;
      log?.write(d);
    });
    child.once('error', (err) => {
      log?.end();
      reject(new Error(`could not run ${command}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      log?.end();
      if (code === 0) return resolve(stdout);
      const tail = all.trimEnd().split('\n').slice(-15).join('\n');
      reject(new Error(`${path.basename(command)} ${args.join(' ')} failed (${signal ?? `code ${code}`}):\n${tail}`));
    });
    child.stdin.on('error', () => {}); // a command that exits (or never starts) before reading its input
    child.stdin.end(o.input ?? '');
  });
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable of that name on PATH. */
export function onPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** Polls `ready` until it resolves true, the process dies, or the time runs out. */
export async function waitUntil(
  what: string,
  ready: () => Promise<boolean>,
  timeoutMs: number,
  died: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const death = died();
    if (death) throw new Error(death);
    try {
      if (await ready()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} was not ready in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

/** Refuses early and clearly when another program (an earlier run's leftover?) holds a port we need. */
export async function assertPortsFree(what: string, ports: number[]): Promise<void> {
  for (const port of ports) {
    await new Promise<void>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new Error(`${what}: port 127.0.0.1:${port} is already in use`) : err),
      );
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
  }
}

/** What the cluster's programs inherit: no TEMPORAL_* setting from the caller's shell changes how they load. */
export function withoutTemporalSettings(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('TEMPORAL_')));
}
