/**
 * Azure AI Foundry Agent Service: list agents of a Foundry project (the Assistants-compatible protocol).
 *
 *   GET {endpoint}/assistants?api-version=2025-05-01&limit=&order=asc&after=
 *     endpoint = https://{resource}.services.ai.azure.com/api/projects/{project}
 *     Authorization: Bearer <Microsoft Entra token for the scope https://ai.azure.com/.default>
 *   → { object: "list", data: [{ id, object: "assistant", created_at, name, description, model,
 *       instructions, tools: [{ type, … }], tool_resources, metadata }], first_id, last_id, has_more }
 *   errors → { error: { code, message, … } }; 429 and 503 may carry Retry-After / retry-after-ms.
 *
 * Paging passes the page's `last_id` as `after` while `has_more` is true. The API does not say who created
 * an agent; the proposed owner comes from a metadata key (`cloud.ownerLabelKeys`), as Vertex's labels.
 * Instructions are never kept (they are prompts, often with secrets pasted in); tools only by type and name.
 */
import { ownerEmailFor, type DiscoveryConfig } from '../config.js';
import { parseTime, ScanState } from '../progress.js';
import { redactText } from '../redact.js';
import type { ProgressCallback, ScanResult, SourceProgress } from '../types.js';
import type { Finding } from '../../domain/discovery.js';
import { CloudRequestError, pageThrough, retryAfterMs, type Page } from './cloud.js';

export interface AzureFoundryTarget {
  /** The project endpoint, `https://{resource}.services.ai.azure.com/api/projects/{project}`. */
  endpoint: string;
}

export interface AzureFoundryInput {
  targets: AzureFoundryTarget[];
  /** The Agent Service's `api-version` (default `2025-05-01`, the GA version of the agents API). */
  apiVersion?: string;
  /** A Microsoft Entra access token for `https://ai.azure.com/.default` (e.g. `az account get-access-token`). */
  getToken: () => string | Promise<string>;
  fetch?: typeof fetch;
  /** Scan time (the findings' last seen). */
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export const AZURE_FOUNDRY_API_VERSION = '2025-05-01';
const AGENT_ID = /^[A-Za-z0-9_-]{1,128}$/;
const MAX_TOOLS = 20;

/** `<host>/api/projects/<project>` of a project endpoint (the identity of the project in fingerprints). */
export function foundryProjectId(endpoint: string): string {
  const u = new URL(endpoint);
  return `${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
}

export async function scanAzureFoundry(
  input: AzureFoundryInput,
  config: DiscoveryConfig,
  resumeFrom?: SourceProgress,
  onProgress?: ProgressCallback,
): Promise<ScanResult> {
  const state = new ScanState(resumeFrom, config, onProgress);
  const doFetch = input.fetch ?? fetch;
  const now = () => (input.now?.() ?? new Date()).toISOString();
  const limit = Math.max(1, Math.min(config.cloud.pageSize, 100)); // the API allows 1..100
  const apiVersion = input.apiVersion ?? AZURE_FOUNDRY_API_VERSION;

  const labels = input.targets.map((t) => `azure-foundry ${foundryProjectId(t.endpoint)}`);
  return pageThrough(state, config, {
    targets: labels,
    sleep: input.sleep,
    fetchPage: async (i, after, signal) => {
      const t = input.targets[i]!;
      const url = new URL(`${t.endpoint.replace(/\/+$/, '')}/assistants`);
      url.searchParams.set('api-version', apiVersion);
      url.searchParams.set('limit', String(limit));
      url.searchParams.set('order', 'asc'); // oldest first: agents created during the scan land on later pages
      if (after) url.searchParams.set('after', after);
      let accessToken: string;
      try {
        accessToken = await input.getToken();
      } catch (err) {
        throw new CloudRequestError(`could not get an access token: ${(err as Error)?.message ?? err}`, false);
      }
      // No redirects: the bearer token goes to the configured endpoint only.
      const res = await doFetch(url, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        redirect: 'error',
        signal,
      });
      const text = await res.text();
      if (!res.ok) throw httpError(res, text);
      return parsePage(state, text, labels[i]!);
    },
    onItem: (i, item) => {
      const f = azureFoundryFinding(config, input.targets[i]!.endpoint, item, now());
      if (!f) return false;
      state.add(f);
      return true;
    },
  });
}

function httpError(res: Response, text: string): CloudRequestError {
  let detail = '';
  try {
    const e = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    detail = [e?.code, e?.message].filter((v) => typeof v === 'string' && v).join(': ');
  } catch {
    // not JSON
  }
  const hint =
    res.status === 401
      ? ' (the access token was refused: it must be a current Microsoft Entra token for https://ai.azure.com/.default)'
      : res.status === 403
        ? ' (the identity has no role on this project that may list agents, e.g. Azure AI User)'
        : '';
  const retryable = res.status >= 500 || res.status === 429;
  return new CloudRequestError(
    `HTTP ${res.status}${hint}${detail ? ` ${detail.slice(0, 200)}` : ''}`,
    retryable,
    retryable ? retryAfterMs(res.headers) : undefined,
  );
}

function parsePage(state: ScanState, text: string, label: string): Page {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    state.progress.malformed++;
    throw new CloudRequestError('the response is not JSON', false);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    state.progress.malformed++;
    throw new CloudRequestError('the response is not a JSON object', false);
  }
  const b = body as { data?: unknown; has_more?: unknown; last_id?: unknown };
  if (!Array.isArray(b.data)) {
    state.progress.malformed++;
    throw new CloudRequestError('"data" is not an array', false);
  }
  const page: Page = { items: b.data };
  if (b.has_more === true) {
    // A next page we cannot ask for: the items of this page still count, the target stops here.
    if (typeof b.last_id !== 'string' || !b.last_id) {
      state.error(`${label}: the response says has_more but gives no last_id; stopped listing this project`);
    } else page.nextToken = b.last_id;
  }
  return page;
}

/** One finding per agent; undefined when the item is not an agent object. */
export function azureFoundryFinding(
  config: DiscoveryConfig,
  endpoint: string,
  item: unknown,
  seen: string,
): Finding | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const a = item as Record<string, unknown>;
  if (typeof a.id !== 'string' || !AGENT_ID.test(a.id)) return undefined;
  if (a.object !== undefined && a.object !== 'assistant') return undefined;
  const project = foundryProjectId(endpoint);
  const name = typeof a.name === 'string' && a.name.trim() ? redactText(a.name.trim()) : a.id;
  const evidence: Record<string, string> = {
    agentId: a.id,
    project,
    logs: 'azure-foundry-assistants.list',
  };
  const createdAt = parseTime(a.created_at);
  if (createdAt) evidence.createdAt = createdAt;
  if (typeof a.model === 'string' && a.model) evidence.model = redactText(a.model).slice(0, 100);
  if (typeof a.description === 'string' && a.description)
    evidence.description = redactText(a.description).slice(0, 200);
  const tools = Array.isArray(a.tools) ? a.tools.map(toolLabel).filter((v): v is string => !!v) : [];
  if (tools.length) evidence.tools = [...new Set(tools)].slice(0, MAX_TOOLS).join(', ');
  const metadata = a.metadata && typeof a.metadata === 'object' ? (a.metadata as Record<string, unknown>) : {};
  let owner: string | undefined;
  for (const key of config.cloud.ownerLabelKeys) {
    const v = metadata[key];
    if (typeof v === 'string' && v.trim()) {
      evidence.ownerLabel = `${key}=${redactText(v.trim()).slice(0, 80)}`;
      owner = ownerEmailFor(config, v.trim());
      break;
    }
  }
  const f: Finding = {
    source: 'CLOUD',
    kind: 'azure-foundry-agent',
    fingerprint: `azure-foundry:${project}:${a.id}`,
    agentName: name.slice(0, 120),
    platform: 'azure-ai-foundry',
    evidence,
    firstSeen: seen,
    lastSeen: seen,
    count: 1,
  };
  if (owner) f.proposedOwnerEmail = owner;
  return f;
}

/**
 * `type` or `type:name` of a tool (a function's or OpenAPI tool's name, an MCP server's label, a connected
 * agent's name). Connection ids, URLs, auth settings and specs are left out; what is kept is redacted.
 */
function toolLabel(tool: unknown): string | undefined {
  if (!tool || typeof tool !== 'object') return undefined;
  const t = tool as Record<string, unknown>;
  if (typeof t.type !== 'string' || !/^[a-z0-9_.-]{1,60}$/i.test(t.type)) return undefined;
  const inner = t[t.type] && typeof t[t.type] === 'object' ? (t[t.type] as Record<string, unknown>) : {};
  const label = [inner.name, t.server_label, t.name].find((v) => typeof v === 'string' && v.trim());
  return label ? redactText(`${t.type}:${(label as string).trim().slice(0, 60)}`) : t.type;
}
