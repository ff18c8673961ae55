/**
 * The Prometheus metrics of one Warden process (prom-client), served at /metrics: what an operator graphs
 * and alerts on. Metrics belong to the process, as Prometheus scrapes it, so they are defined once here;
 * what only a running API can measure (approvals waiting, the audit spool) is read from sources it adds
 * while it runs. docs/operations.md lists them with the questions they answer.
 */
import type { ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
// Process CPU, memory, event-loop lag and GC, under the names every Node.js dashboard expects.
collectDefaultMetrics({ register: registry });

/** Seconds: from a few milliseconds (a cached routine decision) to a held request's long wait. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.35, 0.5, 0.75, 1, 2.5, 5, 10];

export const decisionSeconds = new Histogram({
  name: 'warden_decision_duration_seconds',
  help:
    'An action request from its arrival at this API process to its decision. path: routine (one Update on the ' +
    "agent's workflow), workflow (the action's own workflow) or none (refused before either); outcome: ALLOW, " +
    'REVIEW, DENY, CONTAINED, or the error code the request was refused with.',
  labelNames: ['path', 'sensitivity', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const containmentSeconds = new Histogram({
  name: 'warden_containment_seconds',
  help:
    "From a containment (foreseen by the deciding process, or decided) to this process refusing the agent's " +
    'earlier tokens. via: decided (this process decided or foresaw it), pushed (another process pushed it here) ' +
    'or broadcast (another process announced it on the broadcast workflow).',
  labelNames: ['via'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const revocationPushPeers = new Gauge({
  name: 'warden_revocation_push_peers',
  help: 'Other API processes this one pushes revocation notices to, as the revocation broadcast last named them.',
  registers: [registry],
});

export const revocationPushes = new Counter({
  name: 'warden_revocation_pushes_total',
  help: 'Revocation notices pushed to another API process, by outcome (taken, failed: the broadcast delivers it).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const tokensIssued = new Counter({
  name: 'warden_tokens_issued_total',
  help: 'Tokens issued at /oauth/token, by grant type (client_credentials, token_exchange).',
  labelNames: ['grant_type'] as const,
  registers: [registry],
});

export const tokenRequestsRefused = new Counter({
  name: 'warden_token_requests_refused_total',
  help: 'Requests /oauth/token refused, by grant type and OAuth error code.',
  labelNames: ['grant_type', 'error'] as const,
  registers: [registry],
});

export const tokensRefused = new Counter({
  name: 'warden_tokens_refused_total',
  help: "Agents' access tokens and grants refused where they were presented, by kind and the reason's code.",
  labelNames: ['kind', 'code'] as const,
  registers: [registry],
});

export const gatewayCalls = new Counter({
  name: 'warden_gateway_calls_total',
  help:
    'Calls through Warden to tools: gateway (VAULTED_SECRET HTTP tools: forwarded, refused, upstream_error, error) ' +
    'and mcp (tools/call on an MCP tool: forwarded, held, denied, refused, failed).',
  labelNames: ['via', 'outcome'] as const,
  registers: [registry],
});

type Source = () => Promise<number> | number;

/**
 * A gauge read from its sources at scrape time (each running API adds one): `sum` for what each process
 * holds, `max` for what each reads of the whole deployment. NaN when a source cannot be read just now.
 */
function sourcedGauge(name: string, help: string, combine: 'sum' | 'max'): { add(source: Source): () => void } {
  const sources = new Set<Source>();
  new Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      const values = await Promise.all([...sources].map(async (read) => read()).map((v) => v.catch(() => NaN)));
      this.set(combine === 'sum' ? values.reduce((a, v) => a + v, 0) : Math.max(0, ...values));
    },
  });
  return {
    add(source) {
      sources.add(source);
      return () => sources.delete(source);
    },
  };
}

export const approvalsPending = sourcedGauge(
  'warden_approvals_pending',
  'Held actions waiting for a person, deployment-wide (read from Temporal visibility, at most 15 s old).',
  'max',
);

export const auditSpoolRecords = sourcedGauge(
  'warden_audit_spool_records',
  "Audit records this process has spooled and not yet shipped to the audit trail's workflow.",
  'sum',
);

/** Answers a scrape: the text Prometheus reads. */
export async function serveMetrics(res: ServerResponse): Promise<void> {
  const body = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body);
}
