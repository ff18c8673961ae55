/**
 * The Temporal Web UI (temporalio/ui-server, built from its Go module, its pages embedded) on 127.0.0.1,
 * pointed at the cluster's frontend, decoding payloads through Warden's codec endpoint. This UI has no
 * sign-in of its own, so by default it sends the browser's cookies to the codec endpoint (Warden's codec
 * session cookie, api/codec-session.ts) instead of an access token it does not have.
 */
import path from 'node:path';
import fs from 'node:fs';
import { stringify } from 'yaml';
import { ensureTemporalUi } from './go-tools.js';
import {
  assertPortsFree,
  startServiceProcess,
  waitUntil,
  withoutTemporalSettings,
  type ServiceProcess,
} from './process.js';

export interface TemporalUiOptions {
  /** Its folder: `config/warden.yaml` and `ui.log`. */
  dir: string;
  /** Warden's data folder: the UI server is built into `<dataDir>/tools` the first time. */
  dataDir: string;
  /** The cluster's frontend, host:port. */
  temporalAddress: string;
  /** Default 8333 (the dev server's UI is on 8233). */
  port?: number;
  /** Warden's codec endpoint, e.g. `<public URL>/codec`; its CORS origins must include this UI's URL. */
  codecEndpoint?: string;
  /** Send the browser's cookies with codec calls (default true). */
  codecIncludeCredentials?: boolean;
  /** Send the UI's own access token with codec calls (default false: it signs no one in). */
  codecPassAccessToken?: boolean;
  defaultNamespace?: string;
  /**
   * Host name of the returned URL (default 127.0.0.1; it listens there either way). Give the API's public
   * host name (`localhost`) so the UI and the codec endpoint are one site and the codec cookie is sent.
   */
  urlHost?: string;
  log?: (line: string) => void;
}

export interface TemporalUi {
  url: string;
  process: ServiceProcess;
  stop(): Promise<void>;
}

export function uiConfig(o: TemporalUiOptions, port: number): Record<string, unknown> {
  return {
    temporalGrpcAddress: o.temporalAddress,
    host: '127.0.0.1',
    port,
    enableUi: true,
    defaultNamespace: o.defaultNamespace ?? 'default',
    // No calls to the internet from a local cluster's pages.
    disableNewsFetch: true,
    codec: {
      endpoint: o.codecEndpoint ?? '',
      passAccessToken: o.codecPassAccessToken ?? false,
      includeCredentials: o.codecIncludeCredentials ?? true,
    },
  };
}

export async function startTemporalUi(o: TemporalUiOptions): Promise<TemporalUi> {
  const log = o.log ?? (() => {});
  const port = o.port ?? 8333;
  const binary = await ensureTemporalUi({ dataDir: o.dataDir, logFile: path.join(o.dir, 'go-install.log'), log });
  // The server reads <root>/<config>/<env>.yaml.
  fs.mkdirSync(path.join(o.dir, 'config'), { recursive: true });
  fs.writeFileSync(
    path.join(o.dir, 'config', 'warden.yaml'),
    `# Written by cluster/temporal-ui.ts at every start; edits are lost.\n${stringify(uiConfig(o, port))}`,
  );
  await assertPortsFree('Temporal UI', [port]);
  const url = `http://${o.urlHost ?? '127.0.0.1'}:${port}`;
  log(`starting the Temporal UI (${binary}) on ${url} for ${o.temporalAddress}`);
  const proc = startServiceProcess({
    name: 'Temporal UI',
    command: binary,
    args: ['--root', o.dir, '--config', 'config', '--env', 'warden', 'start'],
    logFile: path.join(o.dir, 'ui.log'),
    env: withoutTemporalSettings(),
    cwd: o.dir,
    graceMs: 5_000,
  });
  try {
    // The settings the pages load first: served once the server is up, and they carry the codec endpoint.
    await waitUntil(
      'the Temporal UI',
      async () => (await fetch(`http://127.0.0.1:${port}/api/v1/settings`)).ok,
      30_000,
      proc.death,
    );
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { url, process: proc, stop: () => proc.stop() };
}
