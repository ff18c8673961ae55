/**
 * Warden on a real Temporal cluster, on this machine: PostgreSQL, the Temporal services as separate
 * processes, the Temporal Web UI, Warden's workers and API processes (two of each by default) behind
 * HAProxy on one public URL, and Prometheus scraping all of them. `npm run cluster` (scripts/cluster.ts)
 * and `npm run test:cluster` bring it up here. Everything it keeps is under its folder (`.warden/cluster`
 * by default): the database, logs, key rings, Prometheus's data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { launchStack, type LaunchedStack } from '../launcher/stack.js';
import { neutralEnvironment, type Part, type PartOptions } from '../launcher/part.js';
import { generateKeySpec } from '../vault/envelope.js';
import { startLoadBalancer, type LoadBalancer } from './load-balancer.js';
import { startPostgres, type Postgres } from './postgres.js';
import { startPrometheus, type Prometheus } from './prometheus.js';
import { assertPortsFree, waitUntil } from './process.js';
import { startTemporalCluster, temporalPorts, type TemporalCluster } from './temporal-server.js';
import { startTemporalUi, type TemporalUi } from './temporal-ui.js';

/** Ports on 127.0.0.1, clear of `npm start`'s (API 4000, Temporal 7233, UI 8233). */
export interface ClusterPorts {
  postgres: number;
  /** The Temporal frontend; the other services' ports follow it (cluster/temporal-config.ts). */
  temporal: number;
  ui: number;
  /** The load balancer: Warden's public URL. */
  public: number;
  /** API process i listens on apis + i. */
  apis: number;
  /** Worker i serves /healthz, /readyz, /metrics on workers + 2i and the SDK's metrics on workers + 2i + 1. */
  workers: number;
  prometheus: number;
}

export const DEFAULT_CLUSTER_PORTS: ClusterPorts = {
  postgres: 5433,
  temporal: 7333,
  ui: 8333,
  public: 4100,
  apis: 4101,
  workers: 9464,
  prometheus: 9090,
};

export interface WardenClusterOptions {
  /** The cluster's folder. */
  dir: string;
  /** Warden's data folder: where the Temporal server and UI are built once (`<dataDir>/tools`). */
  toolsDataDir: string;
  ports?: Partial<ClusterPorts>;
  apis?: number;
  workers?: number;
  /** A prebuilt workflow bundle for the workers (else each bundles on start). */
  workflowBundle?: string;
  /** Settings laid over the cluster's for every Warden process. */
  env?: NodeJS.ProcessEnv;
  /** Where each Warden process's output goes (default: `<dir>/logs/<name>.log`). */
  output?: (name: string) => PartOptions['output'];
  onUnexpectedExit?: PartOptions['onUnexpectedExit'];
  /** Aborted while starting: what was started is stopped, and the start rejects. */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface WardenCluster {
  /** Warden's public URL (the load balancer). */
  url: string;
  uiUrl: string;
  ports: ClusterPorts;
  /** What every Warden process was started with. */
  env: NodeJS.ProcessEnv;
  postgres: Postgres;
  temporal: TemporalCluster;
  ui: TemporalUi;
  loadBalancer: LoadBalancer;
  prometheus: Prometheus;
  /** Warden's processes: the client, and the parts started so far. */
  stack: LaunchedStack;
  /** The current process of API i / worker i (a restart replaces it). */
  apis: Part[];
  workers: Part[];
  /** Starts API i again (after a kill), and waits until it is ready. */
  restartApi(i: number): Promise<Part>;
  restartWorker(i: number): Promise<Part>;
  /** The URL of API i itself, past the load balancer. */
  apiUrl(i: number): string;
  /** Stops everything, Warden's processes first. */
  stop(): Promise<void>;
}

/** Key rings made once for this cluster and kept in its folder (mode 0600), as an operator keeps theirs. */
function keyRings(dir: string): { WARDEN_VAULT_KEYS: string; WARDEN_CODEC_KEYS: string } {
  const file = path.join(dir, 'key-rings.json');
  if (!fs.existsSync(file)) {
    const rings = { WARDEN_VAULT_KEYS: generateKeySpec('vault-1'), WARDEN_CODEC_KEYS: generateKeySpec('codec-1') };
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(rings), { mode: 0o600 });
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as { WARDEN_VAULT_KEYS: string; WARDEN_CODEC_KEYS: string };
}

async function ready(url: string): Promise<boolean> {
  return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(3_000) })).ok;
}

export async function startWardenCluster(o: WardenClusterOptions): Promise<WardenCluster> {
  const log = o.log ?? (() => {});
  const ports = { ...DEFAULT_CLUSTER_PORTS, ...o.ports };
  const apis = o.apis ?? 2;
  const workers = o.workers ?? 2;
  const apiPort = (i: number) => ports.apis + i;
  const workerPort = (i: number) => ports.workers + 2 * i;
  await assertPortsFree('cluster', [
    ports.public,
    ports.ui,
    ports.prometheus,
    ...Array.from({ length: apis }, (_, i) => apiPort(i)),
    ...Array.from({ length: workers }, (_, i) => [workerPort(i), workerPort(i) + 1]).flat(),
  ]);
  fs.mkdirSync(o.dir, { recursive: true });
  const started: { stop(): Promise<void> }[] = [];
  // Last started, first stopped: Prometheus and the load balancer, Warden's processes, the UI, Temporal, PostgreSQL.
  const stopAll = async () => {
    for (const part of [...started].reverse()) await part.stop().catch(() => {});
  };
  const step = <T extends { stop(): Promise<void> }>(part: T): T => {
    started.push(part);
    o.signal?.throwIfAborted();
    return part;
  };
  try {
    log('PostgreSQL…');
    const postgres = step(await startPostgres({ dir: path.join(o.dir, 'postgres'), port: ports.postgres, log }));
    log('Temporal (frontend, history, matching, worker)…');
    const temporal = step(
      await startTemporalCluster({
        dir: path.join(o.dir, 'temporal'),
        dataDir: o.toolsDataDir,
        postgres,
        ports: temporalPorts(ports.temporal),
        onUnexpectedExit: (service, how) => log(`Temporal's ${service} service exited (${how})`),
        log,
      }),
    );
    const url = `http://127.0.0.1:${ports.public}`;
    log('Temporal UI…');
    const ui = await startTemporalUi({
      dir: path.join(o.dir, 'ui'),
      dataDir: o.toolsDataDir,
      temporalAddress: temporal.address,
      port: ports.ui,
      // The UI and Warden's public URL on one host name: one site, so the codec session cookie is sent.
      codecEndpoint: `${url}/codec`,
      log,
    });
    step(ui);

    const env: NodeJS.ProcessEnv = {
      ...neutralEnvironment(),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      WARDEN_DATA_DIR: path.join(o.dir, 'warden'),
      WARDEN_PUBLIC_URL: url,
      ...keyRings(o.dir),
      // Every API process refuses a client assertion another one has seen, and each learns of revocations
      // from the revocation feed and broadcast (on in every API process).
      WARDEN_ASSERTION_REPLAY: 'deployment',
      WARDEN_CODEC_CORS_ORIGINS: ui.url,
      WARDEN_TEMPORAL_UI_URL: ui.url,
      ...(o.workflowBundle ? { WARDEN_WORKFLOW_BUNDLE: o.workflowBundle } : {}),
      ...o.env,
    };
    const logs = path.join(o.dir, 'logs');
    fs.mkdirSync(logs, { recursive: true });
    const stack = await launchStack({
      env,
      output: o.output ?? ((name) => ({ file: path.join(logs, `${name}.log`) })),
      ...(o.onUnexpectedExit ? { onUnexpectedExit: o.onUnexpectedExit } : {}),
      log,
    });
    step(stack);

    const cluster = {} as WardenCluster;
    const startWorker = (i: number) =>
      stack.start(`worker-${i + 1}`, {
        entry: 'worker/main.ts',
        env: {
          WARDEN_WORKER_HTTP_PORT: String(workerPort(i)),
          WARDEN_WORKER_SDK_METRICS_PORT: String(workerPort(i) + 1),
        },
      });
    const startApi = (i: number) =>
      stack.start(`api-${i + 1}`, {
        entry: 'api/main.ts',
        env: { WARDEN_API_HOST: '127.0.0.1', WARDEN_API_PORT: String(apiPort(i)) },
      });
    const apiUrl = (i: number) => `http://127.0.0.1:${apiPort(i)}`;
    const workerUrl = (i: number) => `http://127.0.0.1:${workerPort(i)}`;
    /** Starts process i of a kind and resolves once it says ready and its /readyz answers 200. */
    const startReady = async (start: (i: number) => Part, url: (i: number) => string, i: number) => {
      const part = start(i);
      await part.ready;
      const died = () => (part.exited() ? `${part.name} exited; its log:\n${part.output()}` : undefined);
      await waitUntil(`Warden ${part.name}`, () => ready(url(i)), 60_000, died);
      return part;
    };
    /** Stops process i of a kind if it runs, and puts a ready new one in its place. */
    const restart = async (parts: Part[], start: (i: number) => Part, url: (i: number) => string, i: number) => {
      if (!parts[i]!.exited()) await parts[i]!.stop();
      parts[i] = await startReady(start, url, i);
      return parts[i];
    };
    log(`${workers} Warden workers and ${apis} API processes…`);
    const [workerParts, apiParts] = await Promise.all([
      Promise.all(Array.from({ length: workers }, (_, i) => startReady(startWorker, workerUrl, i))),
      Promise.all(Array.from({ length: apis }, (_, i) => startReady(startApi, apiUrl, i))),
    ]);

    const loadBalancer = await startLoadBalancer({
      dir: path.join(o.dir, 'haproxy'),
      port: ports.public,
      backends: apiParts.map((p, i) => ({ name: p.name, port: apiPort(i) })),
      log,
    });
    step(loadBalancer);
    await waitUntil(
      'the load balancer',
      () => ready(url),
      30_000,
      () => loadBalancer.process.death(),
    );

    const prometheus = await startPrometheus({
      dir: path.join(o.dir, 'prometheus'),
      port: ports.prometheus,
      jobs: [
        { name: 'warden-api', targets: apiParts.map((_, i) => `127.0.0.1:${apiPort(i)}`) },
        { name: 'warden-worker', targets: workerParts.map((_, i) => `127.0.0.1:${workerPort(i)}`) },
        { name: 'temporal-sdk', targets: workerParts.map((_, i) => `127.0.0.1:${workerPort(i) + 1}`) },
        {
          name: 'temporal-server',
          targets: Object.values(temporal.services).map((s) => new URL(s.metricsUrl).host),
        },
      ],
      log,
    });
    step(prometheus);

    Object.assign(cluster, {
      url,
      uiUrl: ui.url,
      ports,
      env,
      postgres,
      temporal,
      ui,
      loadBalancer,
      prometheus,
      stack,
      apis: apiParts,
      workers: workerParts,
      apiUrl,
      restartApi: (i: number) => restart(apiParts, startApi, apiUrl, i),
      restartWorker: (i: number) => restart(workerParts, startWorker, workerUrl, i),
      stop: stopAll,
    } satisfies WardenCluster);
    return cluster;
  } catch (err) {
    await stopAll();
    throw err;
  }
}
