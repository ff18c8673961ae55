/**
 * The Temporal server's configuration for a cluster on this machine: PostgreSQL as both the persistence
 * and the visibility store, four history shards, frontend, history, matching and the internal worker as
 * separate processes on 127.0.0.1, finding each other through the membership table in the database.
 * Each service gets its own file, identical but for its metrics port (one Prometheus endpoint per process),
 * and all of them read one dynamic-config file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

export type TemporalService = 'frontend' | 'history' | 'matching' | 'worker';

/** In the order they are started: the frontend's clients find history and matching up. */
export const TEMPORAL_SERVICES: readonly TemporalService[] = ['history', 'matching', 'frontend', 'worker'];

/** Fixed once a cluster's database exists: Temporal refuses to start with another count. */
export const NUM_HISTORY_SHARDS = 4;

export interface TemporalPorts {
  /** gRPC: the frontend's is the cluster's address; the others serve the services among themselves. */
  grpc: Record<TemporalService, number>;
  /** Ringpop gossip between the services. */
  membership: Record<TemporalService, number>;
  /** Prometheus metrics of each process (`/metrics`). */
  metrics: Record<TemporalService, number>;
  /** The frontend's HTTP API (Nexus callbacks, the HTTP/JSON API). */
  frontendHttp: number;
}

/**
 * Temporal's own layout shifted by `base - 7233`: frontend 7333, history 7334, matching 7335, worker
 * 7339, frontend HTTP 7343; membership 20 above each gRPC port, metrics 30 above. Clear of the embedded
 * dev server (7233, UI 8233).
 */
export function temporalPorts(base = 7333): TemporalPorts {
  const grpc = { frontend: base, history: base + 1, matching: base + 2, worker: base + 6 };
  const shift = (by: number) =>
    Object.fromEntries(Object.entries(grpc).map(([s, p]) => [s, p + by])) as Record<TemporalService, number>;
  return { grpc, membership: shift(20), metrics: shift(30), frontendHttp: base + 10 };
}

export interface StoreLogin {
  host: string;
  port: number;
  user: string;
  password: string;
  databases: { persistence: string; visibility: string };
}

export interface ServerConfigOptions {
  /** Where the files go: `<dir>/<service>.yaml` and `<dir>/dynamic-config.yaml`. */
  dir: string;
  store: StoreLogin;
  ports: TemporalPorts;
  /** debug, info, warn, error (default info: startup, membership and shard movements are worth keeping). */
  logLevel?: string;
  /** Dynamic-config keys laid over Warden's defaults (`{ 'history.maxInFlightUpdates': 20 }`). */
  dynamicConfig?: Record<string, unknown>;
}

/**
 * What Warden changes from Temporal's defaults. Its API processes list agents and poll visibility for
 * access changes (the revocation feed); the packaged 10 visibility requests/s per namespace per frontend
 * would throttle a few of them. The dev server Warden is developed on allows 100.
 */
export const WARDEN_DYNAMIC_CONFIG: Record<string, unknown> = {
  'frontend.namespaceRPS.visibility': 100,
};

function datastore(store: StoreLogin, database: string, maxConns: number) {
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `${store.host}:${store.port}`,
      connectProtocol: 'tcp',
      user: store.user,
      password: store.password,
      // Per process; postgres.ts allows 200 connections for all four.
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

export function serverConfig(o: ServerConfigOptions, service: TemporalService): Record<string, unknown> {
  const services = Object.fromEntries(
    (['frontend', 'history', 'matching', 'worker'] as const).map((s) => [
      s,
      {
        rpc: {
          grpcPort: o.ports.grpc[s],
          membershipPort: o.ports.membership[s],
          bindOnLocalHost: true,
          ...(s === 'frontend' ? { httpPort: o.ports.frontendHttp } : {}),
        },
      },
    ]),
  );
  const frontend = `127.0.0.1:${o.ports.grpc.frontend}`;
  return {
    log: { stdout: true, level: o.logLevel ?? 'info' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: NUM_HISTORY_SHARDS,
      datastores: {
        'postgres-default': datastore(o.store, o.store.databases.persistence, 20),
        'postgres-visibility': datastore(o.store, o.store.databases.visibility, 10),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: {
        prometheus: {
          framework: 'tally',
          timerType: 'histogram',
          listenAddress: `127.0.0.1:${o.ports.metrics[service]}`,
        },
      },
    },
    services,
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: frontend,
          httpAddress: `127.0.0.1:${o.ports.frontendHttp}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: path.join(o.dir, 'dynamic-config.yaml'), pollInterval: '10s' },
  };
}

/** Dynamic config's file format: every key a list of values, each with optional constraints. */
export function dynamicConfigYaml(values: Record<string, unknown>): string {
  return stringify(Object.fromEntries(Object.entries(values).map(([k, value]) => [k, [{ value }]])));
}

/** Writes every service's file and the dynamic config; returns the file of each service. */
export function writeServerConfig(o: ServerConfigOptions): Record<TemporalService, string> {
  fs.mkdirSync(o.dir, { recursive: true });
  const files = {} as Record<TemporalService, string>;
  // Holds the database password: readable by this user only.
  const write = (file: string, text: string) => fs.writeFileSync(file, text, { mode: 0o600 });
  write(path.join(o.dir, 'dynamic-config.yaml'), dynamicConfigYaml({ ...WARDEN_DYNAMIC_CONFIG, ...o.dynamicConfig }));
  for (const service of TEMPORAL_SERVICES) {
    files[service] = path.join(o.dir, `${service}.yaml`);
    write(
      files[service],
      `# Written by cluster/temporal-config.ts at every start; edits are lost.\n${stringify(serverConfig(o, service))}`,
    );
  }
  return files;
}
