/**
 * OpenTelemetry traces, exported over OTLP/HTTP when the standard OTel variables name a collector
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`; `OTEL_TRACES_EXPORTER=none` turns
 * it off). One trace follows a request from the API's HTTP span through the Temporal client's call (the
 * span context rides in Temporal headers) into the workflow (workflows/tracing.ts) and its activities —
 * Temporal's OpenTelemetry interceptors. Without a collector nothing is set up and spans cost nothing.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface Tracing {
  resource: Resource;
  spanProcessor: SpanProcessor;
  /** Exports what is still buffered, then stops. */
  shutdown(): Promise<void>;
}

let installed: Tracing | null | undefined;

/** Whether the environment names an OTLP collector for traces. */
export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT);
}

/**
 * Installs this process's tracer provider (once; later calls return the same) when a collector is
 * configured, else null. `service` names the process (`OTEL_SERVICE_NAME` overrides it).
 */
export function installTracing(service: string, env: NodeJS.ProcessEnv = process.env): Tracing | null {
  if (installed !== undefined) return installed;
  if (!tracingWanted(env)) return (installed = null);
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME || service });
  // The exporter reads the OTLP endpoint, headers and timeout from the standard variables itself.
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // The global tracer and async-local context. W3C trace context only: a caller's baggage is not carried
  // into Temporal headers (and histories), only the trace it asks to be part of.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return (installed = { resource, spanProcessor, shutdown: () => provider.shutdown() });
}

const tracer = () => trace.getTracer('warden');

/**
 * Runs an incoming HTTP request in a server span named after its route, continuing the caller's trace
 * when it sent `traceparent`. A no-op tracer (no collector) makes this a plain call.
 */
export function inRequestSpan<T>(
  name: string,
  headers: Record<string, string | string[] | undefined>,
  handle: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(context.active(), headers);
  return tracer().startActiveSpan(name, { kind: SpanKind.SERVER }, parent, async (span) => {
    try {
      return await handle(span);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}
