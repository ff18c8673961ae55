/** Builds the Warden worker: every workflow and activity on Warden's task queue. */
import type { Client } from '@temporalio/client';
import { Worker, type InjectedSinks, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import type { WardenConfig } from '../config/config.js';
import { dataConverterFor, vaultKeyRing } from '../config/keys.js';
import { failpoint } from '../temporal/failpoints.js';
import type { FailpointSinks } from '../workflows/failpoints.js';
import { WORKFLOWS_PATH } from './bundle.js';

/** Failpoints that workflow code reaches stop this process here (a no-op unless a fault test armed them). */
const failpointSinks: InjectedSinks<FailpointSinks> = {
  failpoints: { reached: { fn: (_info, name) => failpoint(name), callDuringReplay: false } },
};

export interface WardenWorkerOptions {
  config: WardenConfig;
  connection: NativeConnection;
  /** Client the activities use to talk to Temporal (e.g. to read the people directory). */
  client: Client;
  /** Path of a prebuilt workflow bundle; without one the worker bundles the workflows itself. */
  workflowBundlePath?: string;
}

export async function createWardenWorker(o: WardenWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.config.temporal.namespace,
    taskQueue: o.config.temporal.taskQueue,
    ...(o.workflowBundlePath ? { workflowBundle: { codePath: o.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    dataConverter: dataConverterFor(o.config),
    activities: createActivities({ client: o.client, config: o.config, vault: vaultKeyRing(o.config) }),
    sinks: failpointSinks,
  });
}
