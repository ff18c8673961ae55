/**
 * Workflow interceptors for traces (in every workflow bundle): Temporal's OpenTelemetry interceptors, but
 * only for what arrives with a span context in its Temporal headers (observability/tracing.ts: an API
 * process with a collector sends one) and for what a traced handler then schedules. Untraced work — every
 * workflow when no collector is configured, and the recorded histories the replay tests run — passes
 * straight through, and Temporal's tracer is not even created.
 */
import type {
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowInternalsInterceptor,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** Where Temporal's interceptors carry the span context (`TRACE_HEADER` in the interceptors package). */
const TRACE_HEADER = '_tracer-data';

type Headers = Record<string, unknown>;
type Inbound = Required<WorkflowInboundCallsInterceptor>;
type Outbound = Required<WorkflowOutboundCallsInterceptor>;
type Otel = typeof import('@temporalio/interceptors-opentelemetry/lib/workflow/index.js');
type OtelApi = typeof import('@opentelemetry/api');

/**
 * Temporal's interceptors and the OpenTelemetry SDK, loaded by the first traced message. Each workflow
 * evaluates its own copy of every module it loads (they keep per-workflow state and cannot be shared), so a
 * workflow that is never traced never pays for them: about 250 KiB and 10 ms of worker CPU per workflow.
 */
let loaded: { otel: Otel; api: OtelApi } | undefined;
function load(): { otel: Otel; api: OtelApi } {
  /* eslint-disable @typescript-eslint/no-require-imports -- evaluated on first use only (see above) */
  return (loaded ??= {
    otel: require('@temporalio/interceptors-opentelemetry/lib/workflow/index.js') as Otel,
    api: require('@opentelemetry/api') as OtelApi,
  });
  /* eslint-enable @typescript-eslint/no-require-imports */
}

const traced = (headers: Headers) => TRACE_HEADER in headers;
/** Inside a traced handler: its span is active (Temporal's context manager, set up with the tracer). */
const inTracedHandler = () => loaded !== undefined && loaded.api.trace.getActiveSpan() !== undefined;

/** Made on first use: a workflow that is never traced never builds a tracer. */
function lazy<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

class TracedInbound implements WorkflowInboundCallsInterceptor {
  private readonly otel = lazy(() => new (load().otel.OpenTelemetryInboundInterceptor)());

  execute: Inbound['execute'] = (input, next) =>
    traced(input.headers) ? this.otel().execute(input, next) : next(input);

  handleSignal: Inbound['handleSignal'] = (input, next) =>
    traced(input.headers) ? this.otel().handleSignal(input, next) : next(input);

  handleUpdate: Inbound['handleUpdate'] = (input, next) =>
    traced(input.headers) ? this.otel().handleUpdate(input, next) : next(input);

  validateUpdate: Inbound['validateUpdate'] = (input, next) =>
    traced(input.headers) ? this.otel().validateUpdate(input, next) : next(input);
}

class TracedOutbound implements WorkflowOutboundCallsInterceptor {
  private readonly otel = lazy(() => new (load().otel.OpenTelemetryOutboundInterceptor)());

  scheduleActivity: Outbound['scheduleActivity'] = (input, next) =>
    inTracedHandler() ? this.otel().scheduleActivity(input, next) : next(input);

  scheduleLocalActivity: Outbound['scheduleLocalActivity'] = (input, next) =>
    inTracedHandler() ? this.otel().scheduleLocalActivity(input, next) : next(input);

  startChildWorkflowExecution: Outbound['startChildWorkflowExecution'] = (input, next) =>
    inTracedHandler() ? this.otel().startChildWorkflowExecution(input, next) : next(input);

  signalWorkflow: Outbound['signalWorkflow'] = (input, next) =>
    inTracedHandler() ? this.otel().signalWorkflow(input, next) : next(input);
}

/** Stops the tracing context of a workflow leaving the cache; nothing to do for one never traced. */
class TracedInternals implements WorkflowInternalsInterceptor {
  dispose: Required<WorkflowInternalsInterceptor>['dispose'] = (input, next) =>
    loaded ? new loaded.otel.OpenTelemetryInternalsInterceptor().dispose(input, next) : next(input);
}

export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new TracedInbound()],
  outbound: [new TracedOutbound()],
  internals: [new TracedInternals()],
});
