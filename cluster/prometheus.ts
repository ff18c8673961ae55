/**
 * Prometheus (Debian's package) scraping every process of the cluster: each API and worker's /metrics,
 * each worker's Temporal SDK metrics, and the Temporal services' own. Its data lives under the cluster's
 * folder, so graphs survive a restart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureProgram } from './debian-packages.js';
import { runCommand, startServiceProcess, waitUntil, type ServiceProcess } from './process.js';

export interface ScrapeJob {
  name: string;
  /** host:port of each process; the path is /metrics. */
  targets: string[];
}

export interface PrometheusOptions {
  dir: string;
  port: number;
  jobs: ScrapeJob[];
  scrapeIntervalSeconds?: number;
  log?: (line: string) => void;
}

export function prometheusConfig(o: Pick<PrometheusOptions, 'jobs' | 'scrapeIntervalSeconds'>): string {
  const interval = `${o.scrapeIntervalSeconds ?? 5}s`;
  const jobs = o.jobs
    .filter((j) => j.targets.length)
    .map(
      (j) => `  - job_name: ${j.name}
    static_configs:
      - targets: [${j.targets.map((t) => `'${t}'`).join(', ')}]`,
    );
  return `# Written by cluster/prometheus.ts at every start; edit that file instead.
global:
  scrape_interval: ${interval}
  evaluation_interval: ${interval}
scrape_configs:
${jobs.join('\n')}
`;
}

export interface Prometheus {
  url: string;
  process: ServiceProcess;
  /** An instant query through Prometheus's HTTP API: the result vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(o: PrometheusOptions): Promise<Prometheus> {
  const log = o.log ?? (() => {});
  const prometheus = await ensureProgram('/usr/bin/prometheus', 'prometheus', log);
  fs.mkdirSync(path.join(o.dir, 'data'), { recursive: true });
  const file = path.join(o.dir, 'prometheus.yml');
  fs.writeFileSync(file, prometheusConfig(o));
  await runCommand('/usr/bin/promtool', ['check', 'config', file]);
  const proc = startServiceProcess({
    name: 'prometheus',
    command: prometheus,
    args: [
      `--config.file=${file}`,
      `--storage.tsdb.path=${path.join(o.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${o.port}`,
      '--storage.tsdb.retention.time=15d',
    ],
    logFile: path.join(o.dir, 'prometheus.log'),
    graceMs: 10_000,
  });
  const url = `http://127.0.0.1:${o.port}`;
  try {
    await waitUntil(
      'Prometheus',
      async () => (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) })).ok,
      30_000,
      () => proc.death(),
    );
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    url,
    process: proc,
    async query(promql) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success') throw new Error(`Prometheus refused ${promql}: ${body.error}`);
      return body.data!.result;
    },
    stop: () => proc.stop(),
  };
}
