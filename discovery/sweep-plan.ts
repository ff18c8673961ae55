/**
 * Which sources a discovery sweep reads: the sources file (`WARDEN_DISCOVERY_SOURCES`, JSON), read by the
 * worker each time a sweep starts so an edit takes effect at the next sweep. Relative paths are relative
 * to the file. Secrets never live in it: a Vertex token comes from an environment variable (or the GCE
 * metadata server), AWS credentials from the AWS SDK's default provider chain, an Azure token from an
 * environment variable (or the Azure instance metadata service's managed identity).
 *
 * {
 *   "rules": { ...DiscoveryConfigOverrides },          // endpoints, user agents, ignore lists, owner domain…
 *   "sources": [
 *     { "name": "zeek",    "type": "zeek",    "files": ["/var/log/zeek/current/ssl.log", "…/http.log"],
 *       "longLivedSeconds": 300 },                      // conn.log: how long a connection must last to count
 *     { "name": "squid",   "type": "squid",   "files": ["/var/log/squid/access.log"], "logformat": "combined" },
 *     { "name": "suricata", "type": "suricata", "files": ["/var/log/suricata/eve.json"], "dns": true },
 *     { "name": "osquery", "type": "osquery", "files": ["/var/log/osquery/osqueryd.results.log"] },
 *     { "name": "mcp",     "type": "mcp-configs", "root": "/srv/collected-configs" },
 *     { "name": "vertex",  "type": "vertex",  "targets": [{ "project": "p", "location": "us-central1" }],
 *       "accessTokenEnv": "VERTEX_TOKEN" },
 *     { "name": "bedrock", "type": "bedrock", "targets": [{ "region": "us-east-1" }] },
 *     { "name": "foundry", "type": "azure-foundry",
 *       "targets": [{ "endpoint": "https://acme.services.ai.azure.com/api/projects/agents" }],
 *       "accessTokenEnv": "AZURE_ACCESS_TOKEN" }
 *   ]
 * }
 */
import fs from 'node:fs';
import path from 'node:path';
import { discoveryConfig, type DiscoveryConfig, type DiscoveryConfigOverrides } from './config.js';
import type { AzureFoundryTarget } from './sources/azure-foundry.js';
import type { BedrockTarget } from './sources/bedrock.js';
import type { OsqueryFile } from './sources/osquery.js';
import { compileSquidLogFormat, SquidLogFormatError } from './sources/squid-logformat.js';
import type { VertexTarget } from './sources/vertex.js';
import type { DiscoverySource } from '../domain/discovery.js';

export type SourceType =
  'zeek' | 'squid' | 'osquery' | 'mcp-configs' | 'vertex' | 'bedrock' | 'azure-foundry' | 'suricata';

export const SOURCE_KINDS: Record<SourceType, DiscoverySource[]> = {
  zeek: ['NETWORK'],
  squid: ['NETWORK'],
  suricata: ['NETWORK'],
  osquery: ['BROWSER', 'ENDPOINT'],
  'mcp-configs': ['ENDPOINT'],
  vertex: ['CLOUD'],
  bedrock: ['CLOUD'],
  'azure-foundry': ['CLOUD'],
};

interface Named {
  name: string;
}
export type SourceSpec = Named &
  (
    | { type: 'zeek'; files: string[]; credentialFields?: string[]; longLivedSeconds?: number }
    | { type: 'squid'; files: string[]; logformat?: string }
    | { type: 'suricata'; files: string[]; dns?: boolean }
    | { type: 'osquery'; files: Array<string | OsqueryFile> }
    | { type: 'mcp-configs'; root: string; observedAt?: string }
    | { type: 'vertex'; targets: VertexTarget[]; baseUrl?: string; accessTokenEnv?: string }
    | { type: 'bedrock'; targets: BedrockTarget[]; endpoint?: string }
    | { type: 'azure-foundry'; targets: AzureFoundryTarget[]; apiVersion?: string; accessTokenEnv?: string }
  );

export interface SweepPlan {
  rules: DiscoveryConfig;
  sources: SourceSpec[];
}

/** What the sweep workflow sees of a source: no paths, no endpoints, just what to call it. */
export interface PlannedSource {
  name: string;
  type: SourceType;
  covers: DiscoverySource[];
}

export class SweepPlanError extends Error {
  override name = 'SweepPlanError';
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const MAX_SOURCES = 64;

/** Reads and checks the sources file; no file configured means a sweep with no sources. */
export function loadSweepPlan(file: string | undefined): SweepPlan {
  if (!file) return { rules: discoveryConfig(), sources: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SweepPlanError(`Cannot read the discovery sources file ${file}: ${(err as Error).message}`);
  }
  return parseSweepPlan(raw, path.dirname(path.resolve(file)));
}

export function parseSweepPlan(raw: unknown, baseDir: string): SweepPlan {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new SweepPlanError('The discovery sources file must hold a JSON object with "sources".');
  const { rules, sources } = raw as { rules?: unknown; sources?: unknown };
  if (rules !== undefined && (typeof rules !== 'object' || rules === null || Array.isArray(rules)))
    throw new SweepPlanError('"rules" must be an object.');
  if (!Array.isArray(sources)) throw new SweepPlanError('"sources" must be an array.');
  if (sources.length > MAX_SOURCES) throw new SweepPlanError(`At most ${MAX_SOURCES} sources.`);
  const resolve = (p: unknown, where: string): string => {
    if (typeof p !== 'string' || !p) throw new SweepPlanError(`${where} must be a path.`);
    return path.resolve(baseDir, p);
  };
  const names = new Set<string>();
  const specs = sources.map((s, i): SourceSpec => {
    const where = `sources[${i}]`;
    if (!s || typeof s !== 'object') throw new SweepPlanError(`${where} must be an object.`);
    const o = s as Record<string, unknown>;
    if (typeof o.name !== 'string' || !NAME.test(o.name))
      throw new SweepPlanError(`${where}.name must be 1–63 letters, digits, "_" or "-".`);
    if (names.has(o.name)) throw new SweepPlanError(`Two sources are named "${o.name}".`);
    names.add(o.name);
    const files = (key = 'files') => {
      if (!Array.isArray(o[key]) || (o[key] as unknown[]).length === 0)
        throw new SweepPlanError(`${where}.${key} must list at least one file.`);
      return o[key] as unknown[];
    };
    switch (o.type) {
      case 'zeek':
        if (
          o.longLivedSeconds !== undefined &&
          !(typeof o.longLivedSeconds === 'number' && o.longLivedSeconds > 0 && o.longLivedSeconds <= 7 * 86_400)
        )
          throw new SweepPlanError(`${where}.longLivedSeconds must be a number of seconds above 0 and at most a week.`);
        return {
          name: o.name,
          type: 'zeek',
          files: files().map((f, j) => resolve(f, `${where}.files[${j}]`)),
          ...(Array.isArray(o.credentialFields) ? { credentialFields: o.credentialFields.map(String) } : {}),
          ...(o.longLivedSeconds !== undefined ? { longLivedSeconds: o.longLivedSeconds } : {}),
        };
      case 'squid':
        return {
          name: o.name,
          type: 'squid',
          files: files().map((f, j) => resolve(f, `${where}.files[${j}]`)),
          ...(o.logformat !== undefined ? { logformat: squidLogFormat(o.logformat, where) } : {}),
        };
      case 'suricata':
        if (o.dns !== undefined && typeof o.dns !== 'boolean')
          throw new SweepPlanError(`${where}.dns must be true or false.`);
        return {
          name: o.name,
          type: 'suricata',
          files: files().map((f, j) => resolve(f, `${where}.files[${j}]`)),
          ...(o.dns !== undefined ? { dns: o.dns } : {}),
        };
      case 'osquery':
        return {
          name: o.name,
          type: 'osquery',
          files: files().map((f, j) =>
            typeof f === 'string'
              ? resolve(f, `${where}.files[${j}]`)
              : { ...(f as OsqueryFile), path: resolve((f as OsqueryFile)?.path, `${where}.files[${j}].path`) },
          ),
        };
      case 'mcp-configs':
        return {
          name: o.name,
          type: 'mcp-configs',
          root: resolve(o.root, `${where}.root`),
          ...(typeof o.observedAt === 'string' ? { observedAt: o.observedAt } : {}),
        };
      case 'vertex': {
        const targets = o.targets as VertexTarget[];
        if (
          !Array.isArray(targets) ||
          targets.length === 0 ||
          targets.some((t) => typeof t?.project !== 'string' || typeof t?.location !== 'string')
        ) {
          throw new SweepPlanError(`${where}.targets must list { project, location }.`);
        }
        return {
          name: o.name,
          type: 'vertex',
          targets: targets.map((t) => ({ project: t.project, location: t.location })),
          ...(typeof o.baseUrl === 'string' ? { baseUrl: o.baseUrl } : {}),
          ...(typeof o.accessTokenEnv === 'string' ? { accessTokenEnv: o.accessTokenEnv } : {}),
        };
      }
      case 'bedrock': {
        const targets = o.targets as BedrockTarget[];
        if (!Array.isArray(targets) || targets.length === 0 || targets.some((t) => typeof t?.region !== 'string'))
          throw new SweepPlanError(`${where}.targets must list { region }.`);
        return {
          name: o.name,
          type: 'bedrock',
          targets: targets.map((t) => ({
            region: t.region,
            ...(typeof t.accountId === 'string' ? { accountId: t.accountId } : {}),
          })),
          ...(typeof o.endpoint === 'string' ? { endpoint: o.endpoint } : {}),
        };
      }
      case 'azure-foundry':
        return azureFoundrySpec(o.name, o, where);
      default:
        throw new SweepPlanError(`${where}.type must be one of ${Object.keys(SOURCE_KINDS).join(', ')}.`);
    }
  });
  return { rules: discoveryConfig((rules ?? {}) as DiscoveryConfigOverrides), sources: specs };
}

/**
 * The bearer token goes to each endpoint: https only (plain http only to this machine, for tests and
 * local proxies), no credentials or query in the URL.
 */
function azureFoundrySpec(name: string, o: Record<string, unknown>, where: string): SourceSpec {
  const targets = o.targets as AzureFoundryTarget[];
  const endpointOk = (e: unknown): boolean => {
    if (typeof e !== 'string') return false;
    try {
      const u = new URL(e);
      const local = u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
      return (u.protocol === 'https:' || local) && !u.username && !u.password && !u.search && !u.hash;
    } catch {
      return false;
    }
  };
  if (!Array.isArray(targets) || targets.length === 0 || targets.some((t) => !endpointOk(t?.endpoint)))
    throw new SweepPlanError(
      `${where}.targets must list { endpoint: "https://<resource>.services.ai.azure.com/api/projects/<project>" }.`,
    );
  if (o.apiVersion !== undefined && (typeof o.apiVersion !== 'string' || !/^[A-Za-z0-9.-]{1,40}$/.test(o.apiVersion)))
    throw new SweepPlanError(`${where}.apiVersion must be an api-version such as "2025-05-01".`);
  if (
    o.accessTokenEnv !== undefined &&
    (typeof o.accessTokenEnv !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(o.accessTokenEnv))
  )
    throw new SweepPlanError(`${where}.accessTokenEnv must name an environment variable.`);
  return {
    name,
    type: 'azure-foundry',
    targets: targets.map((t) => ({ endpoint: t.endpoint })),
    ...(typeof o.apiVersion === 'string' ? { apiVersion: o.apiVersion } : {}),
    ...(typeof o.accessTokenEnv === 'string' ? { accessTokenEnv: o.accessTokenEnv } : {}),
  };
}

/** The squid source's `logformat`: a built-in format name, or a specification whose codes Squid documents. */
function squidLogFormat(value: unknown, where: string): string {
  if (typeof value !== 'string' || !value.trim())
    throw new SweepPlanError(`${where}.logformat must be a built-in format name or a format specification.`);
  try {
    compileSquidLogFormat(value);
  } catch (err) {
    if (err instanceof SquidLogFormatError) throw new SweepPlanError(`${where}.logformat: ${err.message}`);
    throw err;
  }
  return value;
}

export function plannedSources(plan: SweepPlan): PlannedSource[] {
  return plan.sources.map((s) => ({ name: s.name, type: s.type, covers: SOURCE_KINDS[s.type] }));
}
