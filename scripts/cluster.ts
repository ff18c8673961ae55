/**
 * `npm run cluster`: Warden on a real Temporal cluster on this machine (cluster/warden-cluster.ts) —
 * PostgreSQL, Temporal's services as separate processes built from its Go module, the Temporal UI, two
 * workers and two API processes behind HAProxy, Prometheus — then seeds the people directory and prints
 * where everything is. Ctrl-C stops it all cleanly; its state stays in `.warden/cluster` for next time.
 * The first start builds the Temporal server and UI (a few minutes) and may install Debian's packages.
 */
import path from 'node:path';
import { loadDevIssuerKey, signDevToken } from '../api/auth/dev-issuer.js';
import { createServices } from '../api/services/index.js';
import { startWardenCluster, type WardenCluster } from '../cluster/warden-cluster.js';
import { loadConfig, PROJECT_ROOT } from '../config/config.js';
import { buildWorkflowBundle } from '../worker/bundle.js';
import { ensureConsole } from './build-console.js';
import { seedPeople } from './seed-people.js';
import { stopOnSignal } from './stop-on-signal.js';

const say = (line: string) => console.log(`cluster: ${line}`);
const dataDir = loadConfig().dataDir;
const dir = path.resolve(process.env.WARDEN_CLUSTER_DIR ?? path.join(dataDir, 'cluster'));
let cluster: WardenCluster | undefined;
/** A stop asked for while starting: the start stops what it started, then rejects. */
const starting = new AbortController();
let start: Promise<WardenCluster> | undefined;
const stopper = stopOnSignal(say, async () => {
  starting.abort();
  await start?.catch(() => {});
  await cluster?.stop();
});
const { stopAll } = stopper;

try {
  const started = Date.now();
  const base = loadConfig({ ...process.env, WARDEN_DATA_DIR: path.join(dir, 'warden') });
  await ensureConsole(base.console.dir, say);
  const workflowBundle = await buildWorkflowBundle(path.join(dir, 'warden', 'workflow-bundle.js'));
  start = startWardenCluster({
    dir,
    toolsDataDir: dataDir,
    workflowBundle,
    signal: starting.signal,
    log: say,
    onUnexpectedExit: (part, how) => {
      if (stopper.stopping) return;
      console.error(`cluster: ${part.name} exited unexpectedly (${how}); see ${path.join(dir, 'logs')}`);
    },
  });
  cluster = await start;
  const config = cluster.stack.config;
  const seeded = await seedPeople(createServices(cluster.stack.client, config).people, config.peopleSeedFile);
  if (seeded.length)
    say(
      `added ${seeded.join(', ')} to the people directory (from ${path.relative(PROJECT_ROOT, config.peopleSeedFile)})`,
    );

  say(
    `up in ${Math.round((Date.now() - started) / 1000)} s; state, logs and key rings in ${path.relative(PROJECT_ROOT, dir)}/`,
  );
  say(`GraphQL      ${cluster.url}/graphql  (HAProxy over ${cluster.apis.length} API processes)`);
  say(`Console      ${cluster.url}/console`);
  say(`Temporal UI  ${cluster.uiUrl}`);
  say(
    `Temporal     ${cluster.temporal.address}  namespace ${cluster.temporal.namespace}  (PostgreSQL on 127.0.0.1:${cluster.postgres.port})`,
  );
  say(`Prometheus   ${cluster.prometheus.url}`);
  for (const [i, api] of cluster.apis.entries()) say(`  ${api.name}     ${cluster.apiUrl(i)}  (/readyz, /metrics)`);
  for (const [i, worker] of cluster.workers.entries())
    say(
      `  ${worker.name}  http://127.0.0.1:${cluster.ports.workers + 2 * i}  (/readyz, /metrics; SDK metrics on the next port)`,
    );
  const token = await signDevToken(await loadDevIssuerKey(config.dataDir), {
    email: 'alice@example.com',
    issuer: config.humans.issuer,
    audience: config.humans.audience,
    ttlSeconds: 8 * 3600,
  });
  say('a development token for alice@example.com (8 h; roles from the people directory):');
  console.log(`\n  Authorization: Bearer ${token}\n`);
  say('ready. Ctrl-C stops everything.');
} catch (err) {
  console.error(`cluster: could not start: ${(err as Error).message}`);
  await stopAll(1);
}
