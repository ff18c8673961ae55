/** One place that turns Warden's Temporal settings into SDK connection options, for clients and workers. */
import fs from 'node:fs/promises';
import { trace } from '@opentelemetry/api';
import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { TemporalSettings } from '../config/config.js';

interface TlsOptions {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

async function tlsOptions(settings: TemporalSettings): Promise<TlsOptions | undefined> {
  if (!settings.tls) return undefined;
  const { clientCertPath, clientKeyPath, serverCaCertPath, serverName } = settings.tls;
  const tls: TlsOptions = {};
  if (serverName) tls.serverNameOverride = serverName;
  if (serverCaCertPath) tls.serverRootCACertificate = await fs.readFile(serverCaCertPath);
  if (clientCertPath || clientKeyPath) {
    if (!clientCertPath || !clientKeyPath) {
      throw new Error('TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH must be set together');
    }
    tls.clientCertPair = { crt: await fs.readFile(clientCertPath), key: await fs.readFile(clientKeyPath) };
  }
  return tls;
}

/**
 * Temporal's client interceptor for calls made under a span (a request being served, a traced activity):
 * background calls — the revocation long-poll, key reads, audit shipping — start no trace of their own.
 */
function tracedCallsOnly(otel: WorkflowClientInterceptor): WorkflowClientInterceptor {
  return new Proxy(otel, {
    get(target, method, receiver) {
      const call: unknown = Reflect.get(target, method, receiver);
      if (typeof call !== 'function') return call;
      return (input: unknown, next: (input: unknown) => unknown) =>
        trace.getActiveSpan()
          ? (call as (this: unknown, i: unknown, n: typeof next) => unknown).call(target, input, next)
          : next(input);
    },
  });
}

/**
 * A client; pass Warden's data converter (vault/key-rings.ts) so payloads are encrypted. With `traced`,
 * each call carries the active span's context in its Temporal headers (observability/tracing.ts).
 */
export async function connectClient(
  settings: TemporalSettings,
  dataConverter?: DataConverter,
  { traced = false }: { traced?: boolean } = {},
): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({
    address: settings.address,
    tls: (await tlsOptions(settings)) ?? false,
    apiKey: settings.apiKey,
  });
  const client = new Client({
    connection,
    namespace: settings.namespace,
    ...(dataConverter ? { dataConverter } : {}),
    ...(traced ? { interceptors: { workflow: [tracedCallsOnly(new OpenTelemetryWorkflowClientInterceptor())] } } : {}),
  });
  return { client, connection };
}

export async function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: settings.address,
    tls: (await tlsOptions(settings)) ?? false,
    apiKey: settings.apiKey,
  });
}
