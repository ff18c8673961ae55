/**
 * The floor's worker: its own process, its own task queue, Warden's data converter (the same payload
 * codec and keys as the production worker), default worker options like the production worker.
 * Started by bench/run.ts with the same environment as Warden's processes; reports ready over IPC.
 */
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../../config/config.js';
import { dataConverterFor } from '../../vault/key-rings.js';
import { connectWorker } from '../../temporal/connection.js';
import { floorActivities } from './activities.js';

const taskQueue = process.env.BENCH_FLOOR_TASK_QUEUE;
if (!taskQueue) throw new Error('BENCH_FLOOR_TASK_QUEUE is required');
const bundle = process.env.BENCH_FLOOR_BUNDLE;

const config = loadConfig();
Runtime.install({ logger: new DefaultLogger('WARN') });
const connection = await connectWorker(config.temporal);
const worker = await Worker.create({
  connection,
  namespace: config.temporal.namespace,
  taskQueue,
  ...(bundle
    ? { workflowBundle: { codePath: bundle } }
    : { workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)) }),
  dataConverter: dataConverterFor(config),
  activities: floorActivities,
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
process.send?.({ ready: 'floor-worker' });
await worker.run();
await connection.close();
