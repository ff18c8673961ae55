/**
 * AWS Bedrock Agents: `ListAgents` through the AWS SDK v3 (`@aws-sdk/client-bedrock-agent`).
 * (The wire call is `POST /agents/` with `{ maxResults, nextToken }` → `{ agentSummaries: [{ agentId,
 * agentName, agentStatus, description, updatedAt, latestAgentVersion }], nextToken }`.)
 *
 * The SDK's own retries are switched off (`maxAttempts: 1`) so the shared paging rules apply: timeouts,
 * bounded backoff on 5xx / throttling, a page limit, the next token as the resume cursor.
 * ListAgents does not name a creator; findings carry no proposed owner (tags would need ListTagsForResource).
 */
import { BedrockAgentClient, ListAgentsCommand } from '@aws-sdk/client-bedrock-agent';
import type { DiscoveryConfig } from '../config.js';
import { ScanState } from '../progress.js';
import { redactText } from '../redact.js';
import type { ProgressCallback, ScanResult, SourceProgress } from '../types.js';
import type { Finding } from '../../domain/discovery.js';
import { CloudRequestError, pageThrough, type Page } from './cloud.js';

export interface BedrockTarget {
  region: string;
  /** For evidence only (the summary carries no ARN). */
  accountId?: string;
}

export interface BedrockInput {
  targets: BedrockTarget[];
  /** Endpoint override (tests, VPC endpoints), e.g. `http://127.0.0.1:4566`. */
  endpoint?: string;
  /** Static credentials (tests) — otherwise the SDK's default provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Build the client yourself (credential providers, proxies); `endpoint` / `credentials` are then ignored. */
  client?: (region: string) => BedrockAgentClient;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

const AGENT_ID = /^[0-9a-zA-Z]{10}$/;

export async function scanBedrock(
  input: BedrockInput,
  config: DiscoveryConfig,
  resumeFrom?: SourceProgress,
  onProgress?: ProgressCallback,
): Promise<ScanResult> {
  const state = new ScanState(resumeFrom, config, onProgress);
  const now = () => (input.now?.() ?? new Date()).toISOString();
  const clients = new Map<string, BedrockAgentClient>();
  const clientFor = (region: string): BedrockAgentClient => {
    let c = clients.get(region);
    if (!c) {
      c =
        input.client?.(region) ??
        new BedrockAgentClient({
          region,
          maxAttempts: 1,
          ...(input.endpoint ? { endpoint: input.endpoint } : {}),
          ...(input.credentials ? { credentials: input.credentials } : {}),
        });
      clients.set(region, c);
    }
    return c;
  };
  const maxResults = Math.max(1, Math.min(config.cloud.pageSize, 1000));
  try {
    return await pageThrough(state, config, {
      targets: input.targets.map((t) => `bedrock ${t.accountId ? `${t.accountId}/` : ''}${t.region}`),
      sleep: input.sleep,
      fetchPage: async (i, token, signal) => {
        const t = input.targets[i]!;
        let out;
        try {
          out = await clientFor(t.region).send(
            new ListAgentsCommand({ maxResults, ...(token ? { nextToken: token } : {}) }),
            { abortSignal: signal },
          );
        } catch (err) {
          throw classify(err, signal);
        }
        if (out.agentSummaries !== undefined && !Array.isArray(out.agentSummaries))
          throw new CloudRequestError('"agentSummaries" is not an array', false);
        const page: Page = { items: out.agentSummaries ?? [] };
        if (out.nextToken) page.nextToken = out.nextToken;
        return page;
      },
      onItem: (i, item) => {
        const f = bedrockFinding(item, input.targets[i]!, now());
        if (!f) return false;
        state.add(f);
        return true;
      },
    });
  } finally {
    if (!input.client) for (const c of clients.values()) c.destroy();
  }
}

function classify(err: unknown, signal: AbortSignal): CloudRequestError {
  const e = err as {
    name?: string;
    message?: string;
    $fault?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    code?: string;
  };
  if (signal.aborted || e?.name === 'AbortError' || e?.name === 'TimeoutError') {
    const wrapped = new CloudRequestError('timed out', true);
    wrapped.name = 'TimeoutError';
    return wrapped;
  }
  const status = e?.$metadata?.httpStatusCode;
  const retryable =
    e?.$fault === 'server' ||
    Boolean(e?.$retryable) ||
    e?.name === 'ThrottlingException' ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'].includes(e?.code ?? '');
  const what = `${e?.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${redactText(String(e?.message ?? err)).slice(0, 200)}`;
  return new CloudRequestError(what, retryable);
}

export function bedrockFinding(item: unknown, target: BedrockTarget, seen: string): Finding | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const a = item as {
    agentId?: unknown;
    agentName?: unknown;
    agentStatus?: unknown;
    description?: unknown;
    updatedAt?: unknown;
    latestAgentVersion?: unknown;
  };
  if (
    typeof a.agentId !== 'string' ||
    !AGENT_ID.test(a.agentId) ||
    typeof a.agentName !== 'string' ||
    !a.agentName.trim()
  )
    return undefined;
  const evidence: Record<string, string> = { agentId: a.agentId, region: target.region, logs: 'bedrock-ListAgents' };
  if (target.accountId) evidence.agentArn = `arn:aws:bedrock:${target.region}:${target.accountId}:agent/${a.agentId}`;
  if (typeof a.agentStatus === 'string') evidence.agentStatus = a.agentStatus.slice(0, 40);
  if (typeof a.latestAgentVersion === 'string') evidence.latestAgentVersion = a.latestAgentVersion.slice(0, 20);
  if (typeof a.description === 'string' && a.description)
    evidence.description = redactText(a.description).slice(0, 200);
  if (a.updatedAt instanceof Date && Number.isFinite(a.updatedAt.getTime()))
    evidence.updatedAt = a.updatedAt.toISOString();
  return {
    source: 'CLOUD',
    kind: 'bedrock-agent',
    fingerprint: `bedrock:${target.region}:${a.agentId}`,
    agentName: a.agentName.trim().slice(0, 120),
    platform: 'aws-bedrock',
    evidence,
    firstSeen: seen,
    lastSeen: seen,
    count: 1,
  };
}
