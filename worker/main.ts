/**
 * `npm run worker`: one worker process. Run as many as you like against one cluster; Temporal spreads the
 * work. Stops cleanly on SIGINT/SIGTERM (in-flight tasks finish, nothing is lost if it is killed instead).
 */
import fs from 'node:fs';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { loadConfig } from '../config/config.js';
import { dataConverterFor } from '../vault/key-rings.js';
import { connectClient, connectWorker } from '../temporal/connection.js';
import { ensureDiscoverySchedule } from '../services/discovery-schedule.js';
import { requireSearchAttributes } from '../temporal/namespace.js';
import { createWardenWorker } from './worker.js';
import { serveWorkerHttp } from './http.js';
import { installTracing } from '../observability/tracing.js';

const config = loadConfig();
Runtime.install({
  logger: new DefaultLogger((process.env.WARDEN_LOG_LEVEL as 'INFO' | undefined) ?? 'WARN'),
  // The SDK's own worker metrics (task and activity latencies, slots, the sticky cache), for Prometheus.
  ...(config.worker.sdkMetricsAddress
    ? {
        telemetryOptions: {
          metrics: {
            prometheus: { bindAddress: config.worker.sdkMetricsAddress, useSecondsForDurations: true },
          },
        },
      }
    : {}),
});

const bundle = process.env.WARDEN_WORKFLOW_BUNDLE;
if (bundle && !fs.existsSync(bundle)) throw new Error(`WARDEN_WORKFLOW_BUNDLE=${bundle} does not exist`);

const tracing = installTracing('warden-worker');
const connection = await connectWorker(config.temporal);
const { client, connection: clientConnection } = await connectClient(config.temporal, dataConverterFor(config), {
  traced: Boolean(tracing),
});
await requireSearchAttributes(clientConnection, config.temporal.namespace);
const worker = await createWardenWorker({ config, connection, client, workflowBundlePath: bundle, tracing });
await ensureDiscoverySchedule(client, config);
const http = config.worker.httpAddress
  ? await serveWorkerHttp(config.worker.httpAddress, worker, client, config.temporal.namespace)
  : null;

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
console.log(
  `worker: polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address} (namespace ${config.temporal.namespace})`,
);
// The launcher may have gone meanwhile (it stops when another part fails to start).
if (process.connected) process.send?.({ ready: 'worker' });
await worker.run();
await http?.close();
await tracing?.shutdown();
await clientConnection.close();
await connection.close();
console.log('worker: stopped');
