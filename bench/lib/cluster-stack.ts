/**
 * The benchmark's Warden on a real Temporal cluster (`BENCH_CLUSTER=<APIs>x<workers>`, e.g. 1x1 or 2x2):
 * cluster/warden-cluster.ts in a fresh folder — PostgreSQL, Temporal's services as separate processes,
 * Warden's workers and API processes, HAProxy — and the floor's worker on the same cluster, so every ratio
 * compares Warden with the same floor workflows on the same Temporal. Agents reach the first API process
 * directly (the benchmarks time one process's decision; the load balancer adds its own hop), and the
 * containment benchmark probes the second one when there is one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadDevIssuerKey } from '../../api/auth/dev-issuer.js';
import { devTokenMinter } from '../../api/auth/dev-tokens.js';
import { createServices } from '../../api/services/index.js';
import { startWardenCluster } from '../../cluster/warden-cluster.js';
import { PROJECT_ROOT } from '../../config/config.js';
import { freePort } from '../../launcher/ports.js';
import { buildWorkflowBundle } from '../../worker/bundle.js';
import { FLOOR_TASK_QUEUE, type BenchStack } from './stack.js';

const quiet = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };

/** "2x2" → 2 API processes and 2 workers. */
export function clusterShape(raw: string): { apis: number; workers: number } {
  const m = /^([1-4])x([1-4])$/.exec(raw);
  if (!m) throw new Error(`BENCH_CLUSTER must be <APIs>x<workers> with 1 to 4 of each (e.g. 1x1, 2x2), got "${raw}"`);
  return { apis: Number(m[1]), workers: Number(m[2]) };
}

export async function startClusterBenchStack(
  log: (line: string) => void,
  shape: { apis: number; workers: number },
): Promise<BenchStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-bench-cluster-'));
  fs.chmodSync(dir, 0o755); // PostgreSQL runs as its own user and must reach its folder inside
  const floorBundle = path.join(dir, 'floor-bundle.js');
  log(`cluster folder ${dir}; building workflow bundles, then PostgreSQL, Temporal, ${shape.apis}+${shape.workers}`);
  const [wardenBundle] = await Promise.all([
    buildWorkflowBundle(path.join(dir, 'workflow-bundle.js')),
    bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../floor/workflows.ts', import.meta.url)),
      logger: quiet,
    }).then(({ code }) => fs.writeFileSync(floorBundle, code)),
  ]);
  const base = 20_000 + (process.pid % 500) * 20;
  const cluster = await startWardenCluster({
    dir,
    toolsDataDir: path.join(PROJECT_ROOT, '.warden'),
    ...shape,
    ports: {
      postgres: await freePort(),
      temporal: base,
      ui: await freePort(),
      public: await freePort(),
      apis: base + 100,
      workers: base + 200,
      prometheus: await freePort(),
    },
    workflowBundle: wardenBundle,
    env: { WARDEN_LOG_LEVEL: 'WARN', BENCH_FLOOR_TASK_QUEUE: FLOOR_TASK_QUEUE, BENCH_FLOOR_BUNDLE: floorBundle },
    log,
  });
  const floor = cluster.stack.start('floor', { entry: 'bench/floor/worker.ts' });
  try {
    await floor.ready;
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  const config = cluster.stack.config;
  const services = createServices(cluster.stack.client, config);
  const token = devTokenMinter(services.people, await loadDevIssuerKey(config.dataDir), config.humans, 3600);
  const apiUrl = cluster.apiUrl(0);
  return {
    dataDir: dir,
    config,
    env: cluster.env,
    apiUrl,
    graphqlUrl: `${apiUrl}/graphql`,
    ...(shape.apis > 1 ? { secondApiGraphqlUrl: `${cluster.apiUrl(1)}/graphql` } : {}),
    client: cluster.stack.client,
    connection: cluster.stack.connection,
    devServer: undefined,
    temporalPids: () =>
      [...Object.values(cluster.temporal.services).map((s) => s.process?.pid), cluster.postgres.process.pid].filter(
        (p): p is number => p !== undefined,
      ),
    parts: { worker: cluster.workers[0]!, api: cluster.apis[0]!, floor },
    dbFile: undefined,
    token,
    services,
    async startPart(name, entry, partEnv) {
      const part = cluster.stack.start(name, { entry, env: partEnv });
      await part.ready;
      return part;
    },
    stop: () => cluster.stop(),
  };
}
