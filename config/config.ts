/**
 * Configuration from the environment, read once. Every setting has a default that runs the embedded
 * platform on one machine; docs/configuration.md lists them all.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One task queue serves every Warden workflow and activity of a deployment unless configured otherwise. */
export const DEFAULT_TASK_QUEUE = 'warden';

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

export interface CredentialSettings {
  /** `iss` of every token Warden issues (its public URL). */
  issuer: string;
  /** `aud` of agent access tokens for the Warden API (RFC 8707 resource of the API). */
  apiAudience: string;
  /** Token endpoint URL: client assertions must name it (or the issuer) as audience. */
  tokenEndpoint: string;
  accessTokenTtlSeconds: number;
  grantTtlSeconds: number;
  /** Agent credentials' maximum age, and the share of it after which a successor is issued. */
  agentCredentialMaxAgeMs: number;
  agentCredentialRotateAt: number;
  signingKeyRotationMs: number;
  /** How stale an API process's view of an agent's revocation point may be (universal logout bound). */
  revocationCacheMs: number;
  /**
   * Where a client assertion's `jti` is remembered: `process` (this API process; exact with one API
   * process, as node-oidc-provider's default) or `deployment` (also durably in the agent's workflow, so
   * every API process refuses a replay — one Temporal Update per token).
   */
  assertionReplay: 'process' | 'deployment';
  /** Key rings ("kid:base64,…"; first encrypts); unset in development = generated files in the data folder. */
  vaultKeys?: string;
  codecKeys?: string;
  /** Upstream vaulted secrets: rotation interval and grace period before the old one is revoked. */
  vaultRotationMs: number;
  vaultGraceMs: number;
}

export interface NotificationSettings {
  /** Webhook for people-facing notifications (owners, security): JSON; Slack-compatible when `slack`. */
  webhookUrl?: string;
  webhookFormat: 'json' | 'slack';
  /** Shared Signals (CAEP) receivers that get session-revoked events pushed (RFC 8935). */
  ssfReceivers: string[];
  /** Signing secret of the Slack app whose Approve/Deny buttons call Warden; unset = no Slack callbacks. */
  slackSigningSecret?: string;
  /** Origins a click's `response_url` may point at (Warden posts the outcome there): Slack's by default. */
  slackResponseOrigins: string[];
  /** The Slack workspace (team id) whose clicks are taken; unset = any workspace the app is installed in. */
  slackTeamId?: string;
}

export interface EnforcementSettings {
  /** How long a held action waits for a person before it EXPIRES (= denied), unless its routing rule says. */
  approvalTimeoutMs: number;
  /** The approval routing policy (YAML): who decides which held actions, how many, escalation, deadline. */
  approvalPolicyFile: string;
  /** Approving a contained agent's action resumes the agent. */
  resumeOnApprove: boolean;
  /** How long an MCP `tools/call` held for approval waits for the decision before it answers "held". */
  mcpApprovalWaitMs: number;
  /** How long Warden waits for an MCP upstream's answer. */
  mcpUpstreamTimeoutMs: number;
}

export interface AuditSettings {
  /** The JSON-lines file the audit trail is written to (hash-chained). */
  file: string;
  /** Also send each batch here (CloudEvents batch, or plain OCSF). */
  webhookUrl?: string;
  webhookFormat: 'cloudevents' | 'ocsf';
  /** Names this Warden in each event's `source` (urn:warden:<deployment>). */
  deployment: string;
}

export interface DiscoverySettings {
  /** The sources file (JSON, see discovery/sweep-plan.ts); unset = sweeps with no sources. */
  sourcesFile?: string;
  /** How often the schedule runs a sweep. */
  intervalMs: number;
}

/** The approvers' web console served at `<public URL>/console` (api/web/console.ts). */
export interface ConsoleSettings {
  /** The built console (`npm run build:console`). */
  dir: string;
  /** OpenID Connect client id of the console (authorization code + PKCE); unset = no OIDC sign-in. */
  clientId?: string;
  /** Scopes the console asks the OpenID provider for. */
  scope: string;
  /** RFC 8707 resource the console asks its access token for, when the provider needs one to mint the API's. */
  resource?: string;
  /** The Temporal Web UI, for links to workflows (the dev server's with `npm start`); unset = no links. */
  temporalUiUrl?: string;
  /**
   * Who may use the development sign-in (no OIDC issuer): `loopback` = requests from this machine only;
   * `network` = anyone who reaches the API, who can then sign in as anyone, admins included.
   */
  devSignIn: 'loopback' | 'network';
}

export interface WardenConfig {
  production: boolean;
  console: ConsoleSettings;
  discovery: DiscoverySettings;
  audit: AuditSettings;
  enforcement: EnforcementSettings;
  credentials: CredentialSettings;
  notifications: NotificationSettings;
  dataDir: string;
  temporal: TemporalSettings;
  api: {
    host: string;
    port: number;
    publicUrl: string;
    /**
     * Where the other API processes push revocation notices to this one (its own address, not a load
     * balancer's); unset = its listening address (the host name when it listens on every interface). Checked
     * when the API starts (api/services/revocation-push.ts).
     */
    pushUrl: string | null;
    /** Web origins (the Temporal UI) allowed to call the codec server. */
    codecOrigins: string[];
  };
  humans: HumanIssuerSettings;
  peopleSeedFile: string;
  /** Lets tests exercise continue-as-new without thousands of events; unset in normal use. */
  continueAsNewAfterEvents?: number;
  worker: {
    /**
     * Workflows a worker keeps in memory between tasks (the SDK's maxCachedWorkflows). One that was
     * evicted replays its history on its next task (what that costs: docs/operations.md).
     */
    cachedWorkflows: number;
    /** Where the worker serves /healthz, /readyz and /metrics (host:port); unset = not served. */
    httpAddress?: string;
    /** Where the Temporal SDK serves its own worker metrics for Prometheus (host:port); unset = not served. */
    sdkMetricsAddress?: string;
  };
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** host:port to listen on when the port is set (the host defaults to loopback, as the API's does). */
function listenAddress(env: NodeJS.ProcessEnv, portName: string, hostName: string): string | undefined {
  if (!env[portName]) return undefined;
  const port = int(env, portName, 0);
  if (port > 65535) throw new Error(`${portName} must be a TCP port, got "${env[portName]}"`);
  return `${env[hostName] || '127.0.0.1'}:${port}`;
}

/** Durations like 900, 15m, 1h, 24h, 2d, 500ms (a bare number is seconds). */
export function parseDuration(raw: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(raw.trim());
  if (!m) throw new Error(`${name} must be a duration like 30s, 15m, 1h or 1d, got "${raw}"`);
  return Math.round(
    Number(m[1]) *
      { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h' | 'd'],
  );
}

function duration(env: NodeJS.ProcessEnv, name: string, fallback: string): number {
  return parseDuration(env[name] || fallback, name);
}

function oneOf<const T extends readonly string[]>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: T,
  fallback: T[number],
): T[number] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T[number];
}

function list(raw: string | undefined, fallback: string[]): string[] {
  if (!raw) return fallback;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A comma-separated list of web origins (scheme://host[:port], nothing after), each as the URL parser writes it. */
function origins(env: NodeJS.ProcessEnv, name: string, fallback: string[]): string[] {
  return list(env[name], fallback).map((raw) => {
    const url = URL.canParse(raw) ? new URL(raw) : null;
    if (!url || !/^https?:$/.test(url.protocol) || url.href !== `${url.origin}/`)
      throw new Error(`${name} must list web origins like https://hooks.slack.com (no path), got "${raw}"`);
    return url.origin;
  });
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

  const webhookFormat = env.WARDEN_NOTIFY_WEBHOOK_FORMAT ?? 'json';
  if (webhookFormat !== 'json' && webhookFormat !== 'slack')
    throw new Error('WARDEN_NOTIFY_WEBHOOK_FORMAT must be json or slack');
  if (production && (!env.WARDEN_VAULT_KEYS || !env.WARDEN_CODEC_KEYS)) {
    throw new Error(
      'NODE_ENV=production needs WARDEN_VAULT_KEYS and WARDEN_CODEC_KEYS (key rings "kid:base64key,…"; see docs/configuration.md)',
    );
  }

  const auditFormat = env.WARDEN_AUDIT_WEBHOOK_FORMAT ?? 'cloudevents';
  if (auditFormat !== 'cloudevents' && auditFormat !== 'ocsf')
    throw new Error('WARDEN_AUDIT_WEBHOOK_FORMAT must be cloudevents or ocsf');

  return {
    production,
    console: {
      dir: path.resolve(env.WARDEN_CONSOLE_DIR ?? path.join(PROJECT_ROOT, '.warden', 'console')),
      clientId: env.WARDEN_CONSOLE_CLIENT_ID || undefined,
      scope: env.WARDEN_CONSOLE_SCOPE || 'openid email profile',
      resource: env.WARDEN_CONSOLE_RESOURCE || undefined,
      temporalUiUrl:
        (env.WARDEN_TEMPORAL_UI_URL || '').replace(/\/$/, '') ||
        // The embedded dev server's UI, on the API's host name (as `npm start` prints it).
        (env.TEMPORAL_ADDRESS
          ? undefined
          : `http://${new URL(publicUrl).hostname}:${int(env, 'TEMPORAL_UI_PORT', devPort + 1000)}`),
      devSignIn: oneOf(env, 'WARDEN_CONSOLE_DEV_SIGNIN', ['loopback', 'network'] as const, 'loopback'),
    },
    discovery: {
      sourcesFile: env.WARDEN_DISCOVERY_SOURCES ? path.resolve(env.WARDEN_DISCOVERY_SOURCES) : undefined,
      intervalMs: duration(env, 'WARDEN_DISCOVERY_INTERVAL', '1h'),
    },
    audit: {
      file: path.resolve(env.WARDEN_AUDIT_FILE ?? path.join(dataDir, 'audit', 'events.jsonl')),
      webhookUrl: env.WARDEN_AUDIT_WEBHOOK_URL || undefined,
      webhookFormat: auditFormat,
      deployment: env.WARDEN_DEPLOYMENT ?? 'default',
    },
    enforcement: {
      approvalTimeoutMs: duration(env, 'WARDEN_APPROVAL_TIMEOUT', '24h'),
      approvalPolicyFile: path.resolve(
        env.WARDEN_APPROVAL_POLICY ?? path.join(PROJECT_ROOT, 'config', 'approval-policy.yaml'),
      ),
      resumeOnApprove: env.WARDEN_RESUME_ON_APPROVE !== 'false',
      mcpApprovalWaitMs: duration(env, 'WARDEN_MCP_APPROVAL_WAIT', '30s'),
      mcpUpstreamTimeoutMs: duration(env, 'WARDEN_MCP_UPSTREAM_TIMEOUT', '30s'),
    },
    credentials: {
      issuer: publicUrl,
      apiAudience: `${publicUrl}/graphql`,
      tokenEndpoint: `${publicUrl}/oauth/token`,
      accessTokenTtlSeconds: Math.round(duration(env, 'WARDEN_ACCESS_TOKEN_TTL', '5m') / 1000),
      grantTtlSeconds: Math.round(duration(env, 'WARDEN_GRANT_TTL', '5m') / 1000),
      agentCredentialMaxAgeMs: duration(env, 'WARDEN_AGENT_CREDENTIAL_MAX_AGE', '24h'),
      agentCredentialRotateAt: 0.75,
      signingKeyRotationMs: duration(env, 'WARDEN_SIGNING_KEY_ROTATION', '24h'),
      revocationCacheMs: duration(env, 'WARDEN_REVOCATION_CACHE', '500ms'),
      assertionReplay: oneOf(env, 'WARDEN_ASSERTION_REPLAY', ['process', 'deployment'] as const, 'process'),
      vaultKeys: env.WARDEN_VAULT_KEYS || undefined,
      codecKeys: env.WARDEN_CODEC_KEYS || undefined,
      vaultRotationMs: duration(env, 'WARDEN_VAULT_ROTATION', '24h'),
      vaultGraceMs: duration(env, 'WARDEN_VAULT_GRACE', '10m'),
    },
    notifications: {
      webhookUrl: env.WARDEN_NOTIFY_WEBHOOK_URL || undefined,
      webhookFormat,
      ssfReceivers: list(env.WARDEN_SSF_RECEIVERS, []),
      slackSigningSecret: env.WARDEN_SLACK_SIGNING_SECRET || undefined,
      slackResponseOrigins: origins(env, 'WARDEN_SLACK_RESPONSE_ORIGINS', ['https://hooks.slack.com']),
      slackTeamId: env.WARDEN_SLACK_TEAM_ID || undefined,
    },
    dataDir,
    worker: {
      cachedWorkflows: int(env, 'WARDEN_WORKER_CACHED_WORKFLOWS', 1000),
      httpAddress: listenAddress(env, 'WARDEN_WORKER_HTTP_PORT', 'WARDEN_WORKER_HTTP_HOST'),
      sdkMetricsAddress: listenAddress(env, 'WARDEN_WORKER_SDK_METRICS_PORT', 'WARDEN_WORKER_HTTP_HOST'),
    },
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
    api: {
      host: apiHost,
      port: apiPort,
      publicUrl,
      pushUrl: env.WARDEN_API_PUSH_URL || null,
      codecOrigins: list(env.WARDEN_CODEC_CORS_ORIGINS, [
        `http://localhost:${int(env, 'TEMPORAL_UI_PORT', devPort + 1000)}`,
        `http://127.0.0.1:${int(env, 'TEMPORAL_UI_PORT', devPort + 1000)}`,
      ]),
    },
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
