/**
 * Google Vertex AI Agent Engine: `projects.locations.reasoningEngines.list`.
 *
 *   GET https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/reasoningEngines?pageSize=&pageToken=
 *   → { reasoningEngines: [{ name, displayName, description, createTime, updateTime, spec, labels, … }],
 *       nextPageToken }
 *
 * The API does not say who created an engine; the proposed owner comes from a label (`cloud.ownerLabelKeys`;
 * label values cannot hold `@`, so a bare user name becomes `<name>@<ownerEmailDomain>`).
 */
import { ownerEmailFor, type DiscoveryConfig } from '../config.js';
import { parseTime, ScanState } from '../progress.js';
import { redactText } from '../redact.js';
import type { ProgressCallback, ScanResult, SourceProgress } from '../types.js';
import type { Finding } from '../../domain/discovery.js';
import { CloudRequestError, pageThrough, type Page } from './cloud.js';

export interface VertexTarget {
  project: string;
  location: string;
}

export interface VertexInput {
  targets: VertexTarget[];
  /** Replaces `https://{location}-aiplatform.googleapis.com` (tests, private endpoints). */
  baseUrl?: string;
  /** An OAuth access token (e.g. from google-auth-library / the metadata server). */
  getToken: () => string | Promise<string>;
  fetch?: typeof fetch;
  /** Scan time (the findings' last seen). */
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

const NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/reasoningEngines\/([^/]+)$/;

export async function scanVertex(
  input: VertexInput,
  config: DiscoveryConfig,
  resumeFrom?: SourceProgress,
  onProgress?: ProgressCallback,
): Promise<ScanResult> {
  const state = new ScanState(resumeFrom, config, onProgress);
  const doFetch = input.fetch ?? fetch;
  const now = () => (input.now?.() ?? new Date()).toISOString();
  const pageSize = Math.max(1, Math.min(config.cloud.pageSize, 100));

  return pageThrough(state, config, {
    targets: input.targets.map((t) => `vertex projects/${t.project}/locations/${t.location}`),
    sleep: input.sleep,
    fetchPage: async (i, token, signal) => {
      const t = input.targets[i]!;
      const base = (input.baseUrl ?? `https://${encodeURIComponent(t.location)}-aiplatform.googleapis.com`).replace(
        /\/+$/,
        '',
      );
      const url = new URL(
        `${base}/v1/projects/${encodeURIComponent(t.project)}/locations/${encodeURIComponent(t.location)}/reasoningEngines`,
      );
      url.searchParams.set('pageSize', String(pageSize));
      if (token) url.searchParams.set('pageToken', token);
      let accessToken: string;
      try {
        accessToken = await input.getToken();
      } catch (err) {
        throw new CloudRequestError(`could not get an access token: ${(err as Error)?.message ?? err}`, false);
      }
      const res = await doFetch(url, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        signal,
      });
      const text = await res.text();
      if (!res.ok) {
        let detail = '';
        try {
          const e = (JSON.parse(text) as { error?: { status?: string; message?: string } }).error;
          detail = [e?.status, e?.message].filter(Boolean).join(': ');
        } catch {
          // not JSON
        }
        throw new CloudRequestError(
          `HTTP ${res.status}${detail ? ` ${detail.slice(0, 200)}` : ''}`,
          res.status >= 500 || res.status === 429,
        );
      }
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
      const b = body as { reasoningEngines?: unknown; nextPageToken?: unknown };
      if (b.reasoningEngines !== undefined && !Array.isArray(b.reasoningEngines)) {
        state.progress.malformed++;
        throw new CloudRequestError('"reasoningEngines" is not an array', false);
      }
      const page: Page = { items: (b.reasoningEngines as unknown[] | undefined) ?? [] };
      if (typeof b.nextPageToken === 'string' && b.nextPageToken) page.nextToken = b.nextPageToken;
      return page;
    },
    onItem: (_i, item) => {
      const f = vertexFinding(config, item, now());
      if (!f) return false;
      state.add(f);
      return true;
    },
  });
}

export function vertexFinding(config: DiscoveryConfig, item: unknown, seen: string): Finding | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const e = item as Record<string, unknown>;
  const name = typeof e.name === 'string' ? e.name : '';
  const m = NAME.exec(name);
  if (!m) return undefined;
  const displayName = typeof e.displayName === 'string' && e.displayName.trim() ? e.displayName.trim() : m[3]!;
  const evidence: Record<string, string> = {
    resourceName: name,
    project: m[1]!,
    location: m[2]!,
    logs: 'vertex-reasoningEngines.list',
  };
  const createTime = parseTime(e.createTime);
  const updateTime = parseTime(e.updateTime);
  if (createTime) evidence.createTime = createTime;
  if (updateTime) evidence.updateTime = updateTime;
  if (typeof e.description === 'string' && e.description)
    evidence.description = redactText(e.description).slice(0, 200);
  const spec = e.spec && typeof e.spec === 'object' ? (e.spec as Record<string, unknown>) : {};
  if (typeof spec.agentFramework === 'string') evidence.agentFramework = spec.agentFramework.slice(0, 60);
  const pkg =
    spec.packageSpec && typeof spec.packageSpec === 'object' ? (spec.packageSpec as Record<string, unknown>) : {};
  if (typeof pkg.pythonVersion === 'string') evidence.pythonVersion = pkg.pythonVersion.slice(0, 20);
  const labels = e.labels && typeof e.labels === 'object' ? (e.labels as Record<string, unknown>) : {};
  let owner: string | undefined;
  for (const key of config.cloud.ownerLabelKeys) {
    const v = labels[key];
    if (typeof v === 'string' && v) {
      evidence.ownerLabel = `${key}=${v.slice(0, 80)}`;
      owner = ownerEmailFor(config, v);
      break;
    }
  }
  const f: Finding = {
    source: 'CLOUD',
    kind: 'vertex-reasoning-engine',
    fingerprint: `vertex:${name}`,
    agentName: displayName.slice(0, 120),
    platform: 'vertex-ai',
    evidence,
    firstSeen: seen,
    lastSeen: seen,
    count: 1,
  };
  if (owner) f.proposedOwnerEmail = owner;
  return f;
}
