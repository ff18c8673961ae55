/**
 * Programs the cluster takes from Debian's packages (PostgreSQL, HAProxy, Prometheus): found where the
 * package puts them, or installed with apt-get (through sudo unless we are root), as `.ci/run` installs
 * Chromium.
 */
import fs from 'node:fs';
import { runCommand, isExecutable } from './process.js';

export const isRoot = () => process.getuid?.() === 0;

/** Installs the packages with apt-get (one update, one install). */
export async function aptInstall(packages: string[], log: (line: string) => void): Promise<void> {
  log(`installing Debian's ${packages.join(', ')} with apt-get`);
  const [command, prefix] = isRoot() ? ['apt-get', []] : ['sudo', ['apt-get']];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runCommand(command, [...prefix, 'update', '-qq'], { env });
  await runCommand(command, [...prefix, 'install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
}

/** The program at `file` (where its package installs it), installing `pkg` first when it is missing. */
export async function ensureProgram(file: string, pkg: string, log: (line: string) => void): Promise<string> {
  if (isExecutable(file)) return file;
  await aptInstall([pkg], log);
  if (!fs.existsSync(file)) throw new Error(`apt-get installed ${pkg}, but there is no ${file}`);
  return file;
}
