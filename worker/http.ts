/**
 * A worker's own small HTTP listener (WARDEN_WORKER_HTTP_PORT): /healthz, /readyz — ready while it polls
 * its task queue and Temporal answers — and /metrics, its process metrics for Prometheus. The Temporal
 * SDK's worker metrics (task latencies, slots, sticky cache) are served by the SDK itself on
 * WARDEN_WORKER_SDK_METRICS_PORT (worker/main.ts).
 */
import http from 'node:http';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { createHealthEndpoints, readiness, ReadinessFailure, temporalCheck } from '../observability/health.js';
import { serveMetrics } from '../observability/metrics.js';

export async function serveWorkerHttp(
  address: string,
  worker: Worker,
  client: Client,
  namespace: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const health = createHealthEndpoints(
    readiness([
      {
        name: 'polling',
        failure: 'the worker is not polling',
        run: async () => {
          if (worker.getState() !== 'RUNNING') throw new ReadinessFailure(`the worker is ${worker.getState()}`);
        },
      },
      temporalCheck(client, namespace),
    ]),
  );
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (await health(res, path)) {
        // answered
      } else if (path === '/metrics') {
        await serveMetrics(res);
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      }
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const [host, port] = [
    address.slice(0, address.lastIndexOf(':')),
    Number(address.slice(address.lastIndexOf(':') + 1)),
  ];
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as { port: number };
  return {
    url: `http://${host}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
