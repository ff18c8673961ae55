/**
 * Workflow interceptors for traces (in every workflow bundle): Temporal's OpenTelemetry interceptors, but
 * only for what arrives with a span context in its Temporal headers (observability/tracing.ts: an API
 * process with a collector sends one) and for what a traced handler then schedules. Untraced work — every
 * workflow when no collector is configured, and the recorded histories the replay tests run — passes
 * straight through, and Temporal's tracer is not even created.
 */
import { trace } from '@opentelemetry/api';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import type {
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** Where Temporal's interceptors carry the span context (`TRACE_HEADER` in the interceptors package). */
const TRACE_HEADER = '_tracer-data';

type Headers = Record<string, unknown>;
type Outbound = Required<WorkflowOutboundCallsInterceptor>;
const traced = (headers: Headers) => TRACE_HEADER in headers;
/** Inside a traced handler: its span is active (Temporal's context manager, set up with the tracer). */
const inTracedHandler = () => trace.getActiveSpan() !== undefined;

/** Temporal's interceptors are made on first use: a workflow that is never traced never builds a tracer. */
function lazy<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

type Inbound = Required<WorkflowInboundCallsInterceptor>;

class TracedInbound implements WorkflowInboundCallsInterceptor {
  private readonly otel = lazy(() => new OpenTelemetryInboundInterceptor());

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
  private readonly otel = lazy(() => new OpenTelemetryOutboundInterceptor());

  scheduleActivity: Outbound['scheduleActivity'] = (input, next) =>
    inTracedHandler() ? this.otel().scheduleActivity(input, next) : next(input);

  scheduleLocalActivity: Outbound['scheduleLocalActivity'] = (input, next) =>
    inTracedHandler() ? this.otel().scheduleLocalActivity(input, next) : next(input);

  startChildWorkflowExecution: Outbound['startChildWorkflowExecution'] = (input, next) =>
    inTracedHandler() ? this.otel().startChildWorkflowExecution(input, next) : next(input);

  signalWorkflow: Outbound['signalWorkflow'] = (input, next) =>
    inTracedHandler() ? this.otel().signalWorkflow(input, next) : next(input);
}

export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new TracedInbound()],
  outbound: [new TracedOutbound()],
  // Ends the spans of a workflow evicted mid-handler; a no-op for one that never traced.
  internals: [new OpenTelemetryInternalsInterceptor()],
});
