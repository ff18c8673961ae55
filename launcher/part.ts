/**
 * A part of Warden — the worker, an API process, or a process the bench adds — run as its own Node process
 * (`node --import tsx <entry>`) with exactly the environment it is given, ready when it says so over IPC.
 * `npm start`, the tests, the fault suite and the bench start every process here.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/config.js';
import type { FailpointName } from '../temporal/failpoints.js';

export interface PartOptions {
  name: string;
  /** The entry point, relative to the project root: worker/main.ts, api/main.ts, … */
  entry: string;
  /** The process's whole environment. */
  env: NodeJS.ProcessEnv;
  /** Where its output goes: this terminal, a log file, or kept in memory for the caller. */
  output: 'inherit' | 'capture' | { file: string };
  /** Failpoints to arm from the start (temporal/failpoints.ts); the part can be armed later with `arm`. */
  failpoints?: { file: string; armed: FailpointName[] };
  execArgv?: string[];
  /** Told when the part exits before `stop` or `kill` was asked for. */
  onUnexpectedExit?: (part: Part, how: string) => void;
}

export interface Part {
  name: string;
  child: ChildProcess;
  pid: number | undefined;
  /** Resolves when the part reports ready; rejects if it exits (or cannot start) first. */
  ready: Promise<void>;
  /** Everything it wrote (captured output), or the tail of its log file. */
  output(): string;
  exited(): boolean;
  /** Arms failpoints in the running part (it re-reads its failpoint file at every point). */
  arm(...points: FailpointName[]): void;
  /** Resolves when the part says it stopped at `point`; rejects if it exits first or the time runs out. */
  reached(point: FailpointName, timeoutMs?: number): Promise<void>;
  /** SIGKILL: no chance to finish anything. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function startPart(o: PartOptions): Part {
  if (o.failpoints) fs.writeFileSync(o.failpoints.file, o.failpoints.armed.join('\n'));
  const out = typeof o.output === 'object' ? fs.openSync(o.output.file, 'a') : null;
  const child = fork(path.join(PROJECT_ROOT, o.entry), [], {
    cwd: PROJECT_ROOT,
    execArgv: ['--import', 'tsx', ...(o.execArgv ?? [])],
    env: { ...o.env, ...(o.failpoints ? { WARDEN_FAILPOINTS_FILE: o.failpoints.file } : {}) },
    stdio: [
      'ignore',
      out ?? (o.output === 'inherit' ? 'inherit' : 'pipe'),
      out ?? (o.output === 'inherit' ? 'inherit' : 'pipe'),
      'ipc',
    ],
  });
  if (out !== null) fs.closeSync(out);
  let captured = '';
  const listeners = new Set<() => void>();
  const onOutput = (d: Buffer) => {
    captured += d;
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  let ending = false;
  const output = () =>
    typeof o.output === 'object' && fs.existsSync(o.output.file)
      ? fs.readFileSync(o.output.file, 'utf8').split('\n').slice(-40).join('\n')
      : captured;

  const part: Part = {
    name: o.name,
    child,
    pid: child.pid,
    ready: new Promise<void>((resolve, reject) => {
      child.on('message', (message) => {
        if ((message as { ready?: unknown } | null)?.ready) resolve();
      });
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(new Error(`the ${o.name} exited (${signal ?? `code ${code}`}) before it was ready:\n${output()}`)),
      );
    }),
    output,
    exited: gone,
    arm(...points) {
      if (!o.failpoints) throw new Error(`the ${o.name} was started without a failpoint file`);
      fs.writeFileSync(o.failpoints.file, points.join('\n'));
    },
    reached(point, timeoutMs = 90_000) {
      return new Promise<void>((resolve, reject) => {
        const marker = `warden-failpoint: ${point} reached`;
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', died);
        };
        const check = () => {
          if (!captured.includes(marker)) return;
          done();
          resolve();
        };
        const died = () => {
          done();
          reject(new Error(`the ${o.name} exited before it reached ${point}:\n${output()}`));
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`the ${o.name} did not reach ${point} in ${timeoutMs} ms:\n${output()}`));
        }, timeoutMs);
        listeners.add(check);
        child.once('exit', died);
        check();
      });
    },
    async kill() {
      ending = true;
      if (gone()) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 15_000) {
      ending = true;
      if (gone()) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  part.ready.catch(() => {}); // a caller that never awaits it learns of the exit from onUnexpectedExit
  child.once('exit', (code, signal) => {
    if (!ending) o.onUnexpectedExit?.(part, signal ?? `code ${code}`);
  });
  return part;
}

/**
 * This process's environment without Temporal or Warden settings: what a part inherits (PATH, HOME, …)
 * before its own deployment's settings are laid over it, so nothing leaks in from the caller's shell.
 */
export function neutralEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(TEMPORAL_|WARDEN_|BENCH_)/.test(name)));
}
