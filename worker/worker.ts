/** Builds the Warden worker: every workflow and activity on Warden's task queue. */
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Context as ActivityContext } from '@temporalio/activity';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  type OpenTelemetryWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import { TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation.js';
import {
  Worker,
  type ActivityInboundCallsInterceptor,
  type InjectedSink,
  type InjectedSinks,
  type NativeConnection,
} from '@temporalio/worker';
import { submitAudit } from '../services/audit-trail.js';
import { createActivities } from '../activities/index.js';
import type { WardenConfig } from '../config/config.js';
import { dataConverterFor, vaultKeyRing } from '../vault/key-rings.js';
import { failpoint } from '../temporal/failpoints.js';
import type { FailpointSinks } from '../workflows/failpoints.js';
import type { RefusalSinks } from '../workflows/trust.js';
import { SHARED_WORKFLOW_MODULES, WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from './bundle.js';
import type { Tracing } from '../observability/tracing.js';

/** Failpoints that workflow code reaches stop this process here (a no-op unless a fault test armed them). */
const failpointSinks: InjectedSinks<FailpointSinks> = {
  failpoints: { reached: { fn: (_info, name) => failpoint(name), callDuringReplay: false } },
};

/**
 * A command or message a workflow refused for want of proof or authority becomes an `access.denied` audit
 * record (validators cannot do I/O; they report it through this sink). Never during replay: a refused
 * Update leaves no history to replay.
 */
function refusalSinks(client: Client, taskQueue: string): InjectedSinks<RefusalSinks> {
  return {
    refusals: {
      refused: {
        fn: (info, refusal) => {
          const claimed = refusal.claimed ? ` (the sender claimed to be ${refusal.claimed})` : '';
          submitAudit(client, taskQueue, [
            {
              id: randomUUID(),
              at: new Date().toISOString(),
              input: {
                kind: 'access.denied',
                agentId: refusal.agentId ?? 'warden',
                actor: { kind: 'system', id: 'unverified' },
                message: `${refusal.operation} refused on ${info.workflowId}${claimed}: ${refusal.message}`.slice(
                  0,
                  1000,
                ),
                operation: refusal.operation,
                code: refusal.code,
                workflowId: info.workflowId,
                runId: info.runId,
              },
            },
          ]).catch((err) => console.warn(`worker: a refusal could not be audited: ${(err as Error).message}`));
        },
        callDuringReplay: false,
      },
    },
  };
}

export interface WardenWorkerOptions {
  config: WardenConfig;
  connection: NativeConnection;
  /** Client the activities use to talk to Temporal (e.g. to read the people directory). */
  client: Client;
  /** Path of a prebuilt workflow bundle; without one the worker bundles the workflows itself. */
  workflowBundlePath?: string;
  /** This process's traces (observability/tracing.ts), when a collector is configured. */
  tracing?: Tracing | null;
}

/**
 * Traces: activities continue the span context their workflow sent, and workflows' spans leave the
 * sandbox through the `exporter` sink. Every bundle has the workflow side (workflows/tracing.ts), so the
 * sink is always there: without a collector it drops what a traced message would make.
 */
function tracingOptions(tracing: Tracing | null | undefined) {
  if (!tracing)
    return {
      sinks: {
        exporter: {
          export: { fn: () => {}, callDuringReplay: false },
        } satisfies InjectedSink<OpenTelemetryWorkflowExporter>,
      },
      activityInterceptors: [],
    };
  return {
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
    activityInterceptors: [
      (ctx: ActivityContext) => {
        const traced = new OpenTelemetryActivityInboundInterceptor(ctx);
        return {
          // Only what its workflow scheduled under a span: the worker starts no trace of its own.
          inbound: {
            execute: (input, next) => (TRACE_HEADER in input.headers ? traced.execute(input, next) : next(input)),
          } satisfies ActivityInboundCallsInterceptor,
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        };
      },
    ],
  };
}

export async function createWardenWorker(o: WardenWorkerOptions): Promise<Worker> {
  const traces = tracingOptions(o.tracing);
  return Worker.create({
    connection: o.connection,
    namespace: o.config.temporal.namespace,
    taskQueue: o.config.temporal.taskQueue,
    ...(o.workflowBundlePath
      ? { workflowBundle: { codePath: o.workflowBundlePath } }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: SHARED_WORKFLOW_MODULES } }),
    interceptors: {
      // With a prebuilt bundle the workflow side is in it already (worker/bundle.ts).
      ...(o.workflowBundlePath ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
      activity: traces.activityInterceptors,
    },
    dataConverter: dataConverterFor(o.config),
    // Bounded so memory is set by configuration, not by how many agents there are (the SDK's default
    // grows with the heap limit: about 2,300 workflows, ~1 GB of cached agents, on a 4 GB heap).
    maxCachedWorkflows: o.config.worker.cachedWorkflows,
    activities: createActivities({ client: o.client, config: o.config, vault: vaultKeyRing(o.config) }),
    sinks: { ...failpointSinks, ...refusalSinks(o.client, o.config.temporal.taskQueue), ...traces.sinks },
  });
}
