/**
 * PostgreSQL for the Temporal cluster: Debian's package (installed with apt-get when missing), a data
 * directory of its own under the folder given (kept across runs), listening on 127.0.0.1 only, with the
 * two databases Temporal needs and a login for it. PostgreSQL refuses to run as root, so as root it runs
 * as the package's `postgres` user; otherwise as whoever runs this.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aptInstall, isRoot } from './debian-packages.js';
import {
  assertPortsFree,
  isExecutable,
  runCommand,
  startServiceProcess,
  waitUntil,
  type RunAs,
  type ServiceProcess,
} from './process.js';

/** The databases Temporal's two stores live in. */
export const TEMPORAL_DATABASES = { persistence: 'temporal', visibility: 'temporal_visibility' } as const;

export interface PostgresOptions {
  /** Its folder: data directory, socket folder, log, and the Temporal login's password. */
  dir: string;
  port: number;
  /** The login Temporal uses (default `temporal`). */
  user?: string;
  /** Where initdb, pg_ctl, postgres are (default: the newest /usr/lib/postgresql/<version>/bin). */
  binDir?: string;
  log?: (line: string) => void;
}

export interface Postgres {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  databases: typeof TEMPORAL_DATABASES;
  /** postgres://user:password@127.0.0.1:port/temporal */
  url: string;
  process: ServiceProcess;
  /** Fast shutdown (what `pg_ctl stop -m fast` sends): open transactions roll back, nothing is lost. */
  stop(): Promise<void>;
}

function newestDebianBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => isExecutable(path.join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

export async function ensurePostgresInstalled(log: (line: string) => void = () => {}): Promise<string> {
  const found = newestDebianBinDir();
  if (found) return found;
  await aptInstall(['postgresql'], log);
  const installed = newestDebianBinDir();
  if (!installed) throw new Error('apt-get installed postgresql, but no /usr/lib/postgresql/<version>/bin/postgres');
  return installed;
}

/** The system user PostgreSQL runs as: `postgres` when we are root, else ourselves (undefined). */
function runAsFor(): { runAs: RunAs | undefined; superuser: string } {
  if (!isRoot()) return { runAs: undefined, superuser: os.userInfo().username };
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error('no postgres system user (the postgresql package creates it)');
  return { runAs: { uid: Number(uid), gid: Number(gid) }, superuser: 'postgres' };
}

/** PostgreSQL's user must be able to walk down to its folder: say which folder stops it, not initdb's riddle. */
function assertReachable(dir: string): void {
  for (let at = dir; ; at = path.dirname(at)) {
    if ((fs.statSync(at).mode & 0o001) === 0)
      throw new Error(
        `PostgreSQL runs as the postgres user, which cannot enter ${at} (mode ${(fs.statSync(at).mode & 0o777).toString(8)}); put the cluster's folder where it can (WARDEN_CLUSTER_DIR) or chmod o+x ${at}`,
      );
    if (at === path.dirname(at)) return;
  }
}

/** A folder only PostgreSQL's user may enter (initdb and postgres insist on it for the data directory). */
function privateDir(dir: string, runAs: RunAs | undefined): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  if (runAs) fs.chownSync(dir, runAs.uid, runAs.gid);
}

/** Made once, kept beside the data directory it belongs to (readable by this user only). */
function temporalPassword(dir: string): string {
  const file = path.join(dir, 'temporal-password');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('hex');
  fs.writeFileSync(file, password, { mode: 0o600 });
  return password;
}

/**
 * initdb into a scratch folder that becomes the data directory only once complete, so an interrupted
 * first run starts over instead of finding half a cluster. Local connections are checked against the
 * system user (peer); TCP ones need a password (scram-sha-256).
 */
async function initDataDir(bin: string, data: string, runAs: RunAs | undefined, superuser: string): Promise<boolean> {
  if (fs.existsSync(path.join(data, 'PG_VERSION'))) return false;
  const scratch = `${data}.init`;
  fs.rmSync(scratch, { recursive: true, force: true });
  privateDir(scratch, runAs);
  await runCommand(
    path.join(bin, 'initdb'),
    ['-D', scratch, '-U', superuser, '-E', 'UTF8', '--locale=C', '--auth-local=peer', '--auth-host=scram-sha-256'],
    { runAs, cwd: path.dirname(data) },
  );
  fs.rmSync(data, { recursive: true, force: true });
  fs.renameSync(scratch, data);
  return true;
}

/** The login and both databases, created when missing; the password is set at every start. */
function provisioningSql(user: string, password: string): string {
  const lines = [
    `SELECT 'CREATE ROLE ${user} LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}')\\gexec`,
    `ALTER ROLE ${user} WITH LOGIN PASSWORD '${password}';`,
  ];
  for (const db of Object.values(TEMPORAL_DATABASES)) {
    lines.push(
      `SELECT 'CREATE DATABASE ${db} OWNER ${user}' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${db}')\\gexec`,
    );
  }
  return lines.join('\n') + '\n';
}

export async function startPostgres(o: PostgresOptions): Promise<Postgres> {
  const log = o.log ?? (() => {});
  const user = o.user ?? 'temporal';
  if (!/^[a-z_][a-z0-9_]*$/.test(user)) throw new Error(`not a plain PostgreSQL role name: ${user}`);
  const bin = o.binDir ?? (await ensurePostgresInstalled(log));
  const { runAs, superuser } = runAsFor();
  // Its user must be able to reach the data directory through this folder.
  fs.mkdirSync(o.dir, { recursive: true, mode: 0o755 });
  if (runAs) assertReachable(path.resolve(o.dir));
  const data = path.join(o.dir, 'data');
  const socket = path.join(o.dir, 'socket');
  if (await initDataDir(bin, data, runAs, superuser)) log(`initialized a PostgreSQL data directory in ${data}`);
  privateDir(socket, runAs);
  const password = temporalPassword(o.dir);

  // Else pg_isready could be answered by another server (an earlier run's) while ours fails to bind.
  await assertPortsFree('PostgreSQL', [o.port]);
  log(`starting PostgreSQL (${bin}) on 127.0.0.1:${o.port}, data in ${data}`);
  const proc = startServiceProcess({
    name: 'PostgreSQL',
    command: path.join(bin, 'postgres'),
    args: [
      ['-D', data],
      ['-p', String(o.port)],
      ['-c', 'listen_addresses=127.0.0.1'],
      ['-c', `unix_socket_directories=${socket}`],
      // Four Temporal processes, each with a pool per store (temporal-config.ts), and the schema tool.
      ['-c', 'max_connections=200'],
    ].flat(),
    logFile: path.join(o.dir, 'postgres.log'),
    cwd: o.dir,
    runAs,
    stopSignal: 'SIGINT',
    graceMs: 30_000,
  });
  try {
    await waitUntil(
      'PostgreSQL',
      async () => {
        await runCommand(path.join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(o.port)]);
        return true;
      },
      60_000,
      proc.death,
    );
    await runCommand(
      path.join(bin, 'psql'),
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', socket, '-p', String(o.port), '-U', superuser, '-d', 'postgres'],
      { runAs, cwd: o.dir, input: provisioningSql(user, password) },
    );
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    host: '127.0.0.1',
    port: o.port,
    user,
    password,
    databases: TEMPORAL_DATABASES,
    url: `postgres://${user}:${password}@127.0.0.1:${o.port}/${TEMPORAL_DATABASES.persistence}`,
    process: proc,
    stop: () => proc.stop(),
  };
}
