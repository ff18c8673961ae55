/**
 * Configuration from the environment, read once. Every setting has a default that runs the embedded
 * platform on one machine; the README lists them all.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TASK_QUEUE } from '../temporal/task-queues.js';

/** `iss` of Warden's built-in development issuer for human tokens (local use only). */
export const DEV_ISSUER = 'urn:warden:dev-issuer';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface TemporalSettings {
  /** host:port of the frontend; when it came from TEMPORAL_ADDRESS, Warden starts no server. */
  address: string;
  external: boolean;
  namespace: string;
  taskQueue: string;
  apiKey?: string;
  tls?: {
    clientCertPath?: string;
    clientKeyPath?: string;
    serverCaCertPath?: string;
    serverName?: string;
  };
  /** Embedded dev server only. */
  dev: { port: number; uiPort: number; dbFile: string; ip: string };
}

export interface HumanIssuerSettings {
  /** `iss` expected on human tokens. */
  issuer: string;
  /** Remote JWKS of an external OIDC issuer; absent means Warden's built-in development issuer. */
  jwksUrl?: string;
  audience: string;
  algorithms: string[];
  rolesClaim: string;
  emailClaim: string;
}

export interface WardenConfig {
  production: boolean;
  dataDir: string;
  temporal: TemporalSettings;
  api: { host: string; port: number; publicUrl: string };
  humans: HumanIssuerSettings;
  peopleSeedFile: string;
  /** Lets tests exercise continue-as-new without thousands of events; unset in normal use. */
  continueAsNewAfterEvents?: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function list(raw: string | undefined, fallback: string[]): string[] {
  if (!raw) return fallback;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): WardenConfig {
  const production = env.NODE_ENV === 'production';
  const dataDir = path.resolve(env.WARDEN_DATA_DIR ?? path.join(PROJECT_ROOT, '.warden'));
  const devPort = int(env, 'TEMPORAL_DEV_PORT', 7233);
  const devIp = env.TEMPORAL_DEV_IP ?? '127.0.0.1';
  const apiPort = int(env, 'WARDEN_API_PORT', 4000);
  const apiHost = env.WARDEN_API_HOST ?? '127.0.0.1';
  const publicUrl = (env.WARDEN_PUBLIC_URL ?? `http://localhost:${apiPort}`).replace(/\/$/, '');

  const tlsWanted =
    env.TEMPORAL_TLS === 'true' ||
    Boolean(env.TEMPORAL_TLS_CLIENT_CERT_PATH || env.TEMPORAL_TLS_SERVER_CA_CERT_PATH || env.TEMPORAL_API_KEY);
  const tls = tlsWanted
    ? {
        clientCertPath: env.TEMPORAL_TLS_CLIENT_CERT_PATH,
        clientKeyPath: env.TEMPORAL_TLS_CLIENT_KEY_PATH,
        serverCaCertPath: env.TEMPORAL_TLS_SERVER_CA_CERT_PATH,
        serverName: env.TEMPORAL_TLS_SERVER_NAME,
      }
    : undefined;

  const jwksUrl = env.WARDEN_OIDC_JWKS_URL || undefined;
  if (production && !jwksUrl && env.WARDEN_ALLOW_DEV_ISSUER !== 'true') {
    throw new Error(
      'NODE_ENV=production needs WARDEN_OIDC_ISSUER and WARDEN_OIDC_JWKS_URL (the development issuer is off in production; set WARDEN_ALLOW_DEV_ISSUER=true to override)',
    );
  }

  const cae = env.WARDEN_CONTINUE_AS_NEW_AFTER_EVENTS ? int(env, 'WARDEN_CONTINUE_AS_NEW_AFTER_EVENTS', 0) : undefined;

  return {
    production,
    dataDir,
    temporal: {
      address: env.TEMPORAL_ADDRESS || `${devIp}:${devPort}`,
      external: Boolean(env.TEMPORAL_ADDRESS),
      namespace: env.TEMPORAL_NAMESPACE || 'default',
      taskQueue: env.WARDEN_TASK_QUEUE || DEFAULT_TASK_QUEUE,
      apiKey: env.TEMPORAL_API_KEY || undefined,
      tls,
      dev: {
        port: devPort,
        uiPort: int(env, 'TEMPORAL_UI_PORT', devPort + 1000),
        dbFile: path.resolve(env.TEMPORAL_DB_FILE ?? path.join(dataDir, 'temporal.db')),
        ip: devIp,
      },
    },
    api: { host: apiHost, port: apiPort, publicUrl },
    humans: {
      issuer: env.WARDEN_OIDC_ISSUER ?? DEV_ISSUER,
      jwksUrl,
      audience: env.WARDEN_OIDC_AUDIENCE ?? 'warden-api',
      algorithms: list(env.WARDEN_OIDC_ALGORITHMS, ['ES256', 'RS256', 'EdDSA']),
      rolesClaim: env.WARDEN_OIDC_ROLES_CLAIM ?? 'roles',
      emailClaim: env.WARDEN_OIDC_EMAIL_CLAIM ?? 'email',
    },
    peopleSeedFile: path.resolve(env.WARDEN_PEOPLE_FILE ?? path.join(PROJECT_ROOT, 'config', 'people.json')),
    continueAsNewAfterEvents: cae,
  };
}
