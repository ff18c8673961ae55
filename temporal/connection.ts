/** One place that turns Warden's Temporal settings into SDK connection options, for clients and workers. */
import fs from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
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
    ...(traced ? { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } } : {}),
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
