/**
 * The Temporal server, its SQL schema tool and the Web UI server, built from their Go modules (the Go
 * module proxy is their registry) into the project's tools folder the first time they are needed; later
 * runs find them there. Versions are pinned: newer ones need a newer Go than CI's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isExecutable, onPath, runCommand } from './process.js';

/** Server 1.32 and UI 2.54: what the pinned Temporal CLI (temporal/cli.ts, 1.9.1) embeds. */
export const TEMPORAL_SERVER_VERSION = '1.32.0';
export const TEMPORAL_UI_VERSION = '2.54.1';

interface GoTool {
  /** Folder under `<dataDir>/tools`. */
  folder: string;
  /** Packages built together, and the binaries they leave (named after their last path element). */
  packages: string[];
  binaries: string[];
}

const SERVER: GoTool = {
  folder: `temporal-server-${TEMPORAL_SERVER_VERSION}`,
  packages: [
    `go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
    `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
  ],
  binaries: ['server', 'sql'],
};

const UI: GoTool = {
  folder: `temporal-ui-${TEMPORAL_UI_VERSION}`,
  packages: [`github.com/temporalio/ui-server/v2/cmd/server@v${TEMPORAL_UI_VERSION}`],
  binaries: ['server'],
};

export interface GoToolOptions {
  /** Warden's data folder: binaries go to `<dataDir>/tools/<tool>-<version>/bin`. */
  dataDir: string;
  /** Where the build's output goes (it takes minutes the first time). */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

function findGo(env: NodeJS.ProcessEnv): string {
  const go = env.GO ?? onPath('go', env.PATH) ?? '/usr/local/go/bin/go';
  if (!isExecutable(go)) {
    throw new Error(
      'no Go toolchain (go on PATH, /usr/local/go/bin/go or GO=…): needed once to build the Temporal server',
    );
  }
  return go;
}

async function ensureGoTool(tool: GoTool, o: GoToolOptions): Promise<string> {
  const bin = path.join(o.dataDir, 'tools', tool.folder, 'bin');
  if (tool.binaries.every((b) => isExecutable(path.join(bin, b)))) return bin;
  const env = o.env ?? process.env;
  const go = findGo(env);
  fs.mkdirSync(bin, { recursive: true });
  fs.mkdirSync(path.dirname(o.logFile), { recursive: true });
  (o.log ?? (() => {}))(`building ${tool.packages.join(' ')} with ${go} (once; several minutes), log in ${o.logFile}`);
  const started = Date.now();
  // -trimpath: no paths of this machine in the binaries. No cgo (as Temporal's own releases): every plugin
  // used is pure Go, and a machine with Go but no C toolchain builds the same static binary.
  await runCommand(go, ['install', ...tool.packages], {
    env: { ...env, GOBIN: bin, GOFLAGS: `${env.GOFLAGS ?? ''} -trimpath`.trim(), CGO_ENABLED: '0' },
    logFile: o.logFile,
  });
  (o.log ?? (() => {}))(`built ${tool.folder} in ${Math.round((Date.now() - started) / 1000)} s`);
  return bin;
}

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
}

export async function ensureTemporalServer(o: GoToolOptions): Promise<TemporalServerBinaries> {
  const bin = await ensureGoTool(SERVER, o);
  return { server: path.join(bin, 'server'), sqlTool: path.join(bin, 'sql') };
}

export async function ensureTemporalUi(o: GoToolOptions): Promise<string> {
  return path.join(await ensureGoTool(UI, o), 'server');
}
