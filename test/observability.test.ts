/**
 * What operators and load balancers read off each process: /healthz and /readyz on the API and on a worker
 * (a real child process), /metrics in Prometheus's text format with decisions, tokens and refusals counted
 * as they happen, and the Temporal SDK's own worker metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msToTs } from '@temporalio/common/lib/time.js';
import { freePort } from '../launcher/ports.js';
import { readiness, searchAttributesCheck, temporalCheck } from '../observability/health.js';
import { agentWithTool, type TestAgent } from './helpers/agents.js';
import { startSplitStack, type SplitStack } from './helpers/split-stack.js';
import { eventually } from './helpers/stack.js';

let stack: SplitStack;
let workerUrl: string;
let sdkMetricsUrl: string;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus's text format, one sample per line (comments skipped). */
function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
      if (!m) throw new Error(`not a sample: ${line}`);
      const labels = Object.fromEntries(
        [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
      );
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

/** The sum of a metric's samples whose labels include `labels` (0 when there are none yet). */
function valueOf(all: Sample[], name: string, labels: Record<string, string> = {}): number {
  return all
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return samples(await res.text());
}

async function readyz(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  const [httpPort, sdkPort] = [await freePort(), await freePort()];
  stack = await startSplitStack({
    env: { WARDEN_WORKER_HTTP_PORT: String(httpPort), WARDEN_WORKER_SDK_METRICS_PORT: String(sdkPort) },
  });
  workerUrl = `http://127.0.0.1:${httpPort}`;
  sdkMetricsUrl = `http://127.0.0.1:${sdkPort}/metrics`;
});

afterAll(async () => {
  await stack?.stop();
});

describe('health and readiness', () => {
  it('an API process is live at once, and ready only once a worker has handed it the signing keys', async () => {
    const live = await fetch(`${stack.api.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });

    // No worker yet: Temporal answers and the namespace is complete, but no signing keys can be read.
    const before = await readyz(stack.api.url);
    expect(before.status).toBe(503);
    expect(before.body.status).toBe('not_ready');
    const byName = Object.fromEntries(before.body.checks.map((c: any) => [c.name, c]));
    expect(byName.temporal.ok).toBe(true);
    expect(byName.searchAttributes.ok).toBe(true);
    expect(byName.signingKeys).toMatchObject({ ok: false, message: expect.stringMatching(/no answer within/) });

    await stack.startWorker();
    const after = await eventually(async () => {
      const r = await readyz(stack.api.url);
      return r.status === 200 && r;
    });
    expect(after.body).toEqual({
      status: 'ready',
      checks: [
        { name: 'temporal', ok: true },
        { name: 'signingKeys', ok: true },
        { name: 'searchAttributes', ok: true },
      ],
    });
  });

  it('a worker process is ready while it polls its task queue, and says so on its own port', async () => {
    if (!stack.worker) await stack.startWorker();
    expect((await fetch(`${workerUrl}/healthz`)).status).toBe(200);
    const ready = await eventually(async () => {
      const r = await readyz(workerUrl);
      return r.status === 200 && r;
    });
    expect(ready.body.checks.map((c: any) => [c.name, c.ok])).toEqual([
      ['polling', true],
      ['temporal', true],
    ]);
    expect((await fetch(`${workerUrl}/elsewhere`)).status).toBe(404);
    expect((await fetch(`${workerUrl}/readyz`, { method: 'POST' })).status).toBe(405);
  });

  it("a namespace without Warden's search attributes, or none at all, is named as the reason", async () => {
    const bare = `bare-${stack.tag}`;
    await stack.client.workflowService.registerNamespace({
      namespace: bare,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    const checks = await eventually(async () => {
      const r = await readiness([temporalCheck(stack.client, bare), searchAttributesCheck(stack.client, bare)])();
      return r[0]!.ok && r;
    });
    expect(checks[1]).toMatchObject({ name: 'searchAttributes', ok: false });
    expect(checks[1]!.message).toMatch(new RegExp(`namespace ${bare} lacks .*AgentId`));

    // Temporal's own error (with addresses and internals) goes to the log; /readyz says what failed.
    const [missing] = await readiness([temporalCheck(stack.client, `nowhere-${stack.tag}`)])();
    expect(missing).toEqual({
      name: 'temporal',
      ok: false,
      message: "Temporal does not answer for the namespace; the process's log says why",
    });
  });
});

describe('metrics', () => {
  let agent: TestAgent;
  let admin: string;
  const tool = () => `crm-${stack.tag}`;

  beforeAll(async () => {
    if (!stack.worker) await stack.startWorker();
    admin = await stack.token(`admin-${stack.tag}@example.com`, ['admin']);
    ({ agent } = await agentWithTool(stack, admin, {
      name: `metrics-${stack.tag}`,
      operations: [
        { name: 'update_ticket', sensitivity: 'LOW' },
        { name: 'export_all', sensitivity: 'HIGH' },
      ],
    }));
  });

  const REQUEST = `mutation($input: RequestActionInput!) { requestAction(input: $input) { action { status decision contained } } }`;
  let seq = 0;
  const request = (operation: string) =>
    agent.gql(REQUEST, {
      input: {
        tool: tool(),
        operation,
        volume: 1,
        amount: 0,
        justification: 'metrics test',
        idempotencyKey: `m-${++seq}`,
      },
    });

  it('counts each decision by path, sensitivity and outcome, with its latency', async () => {
    const name = 'warden_decision_duration_seconds_count';
    const routine = { path: 'routine', sensitivity: 'LOW', outcome: 'ALLOW' };
    const before = await scrape(`${stack.api.url}/metrics`);
    const low = await request('update_ticket');
    expect(low.data?.requestAction.action.decision).toBe('ALLOW');
    const high = (await request('export_all')).data?.requestAction.action;
    expect(['ALLOW', 'REVIEW', 'DENY']).toContain(high.decision);
    const outcome = high.contained ? 'CONTAINED' : (high.decision as string);
    const refused = await agent.gql(REQUEST, {
      input: {
        tool: tool(),
        operation: 'nothing_here',
        volume: 1,
        amount: 0,
        justification: 'x',
        idempotencyKey: 'n-1',
      },
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const after = await scrape(`${stack.api.url}/metrics`);
    expect(valueOf(after, name, routine) - valueOf(before, name, routine)).toBe(1);
    const sensitive = { path: 'workflow', sensitivity: 'HIGH' };
    expect(valueOf(after, name, sensitive) - valueOf(before, name, sensitive)).toBe(1);
    expect(valueOf(after, name, { ...sensitive, outcome }) - valueOf(before, name, { ...sensitive, outcome })).toBe(1);
    const badInput = { sensitivity: 'unknown', outcome: 'BAD_USER_INPUT' };
    expect(valueOf(after, name, badInput) - valueOf(before, name, badInput)).toBe(1);
    // The latency went into the histogram's buckets, and its +Inf bucket equals its count.
    const inf = valueOf(after, 'warden_decision_duration_seconds_bucket', { ...routine, le: '+Inf' });
    expect(inf).toBe(valueOf(after, name, routine));
    expect(valueOf(after, 'warden_decision_duration_seconds_sum', routine)).toBeGreaterThan(0);
  });

  it('counts tokens issued, requests refused at the token endpoint and tokens refused where presented', async () => {
    const before = await scrape(`${stack.api.url}/metrics`);
    await agent.tokenFor(`${stack.config.api.publicUrl}/graphql`);
    const wrongGrant = await fetch(`${stack.api.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: 'a', password: 'b' }),
    });
    expect(wrongGrant.status).toBe(400);
    // A token from Warden's issuer whose signature does not verify: refused where it is presented.
    const token = await agent.token();
    const [h, p] = token.split('.');
    const forged = await stack.gql(`{ __typename }`, {}, `${h}.${p}.${'A'.repeat(86)}`);
    expect(forged.status).toBe(401);

    const after = await scrape(`${stack.api.url}/metrics`);
    const delta = (n: string, l: Record<string, string>) => valueOf(after, n, l) - valueOf(before, n, l);
    expect(delta('warden_tokens_issued_total', { grant_type: 'client_credentials' })).toBe(1);
    expect(delta('warden_token_requests_refused_total', { grant_type: 'other', error: 'unsupported_grant_type' })).toBe(
      1,
    );
    expect(delta('warden_tokens_refused_total', { kind: 'access', code: 'token_signature' })).toBe(1);
  });

  it('reads approvals waiting and the audit spool at scrape time, and the process metrics every dashboard expects', async () => {
    const all = await scrape(`${stack.api.url}/metrics`);
    expect(all.some((s) => s.name === 'warden_approvals_pending' && Number.isFinite(s.value))).toBe(true);
    expect(all.some((s) => s.name === 'warden_audit_spool_records' && s.value >= 0)).toBe(true);
    expect(valueOf(all, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(all.some((s) => s.name === 'nodejs_eventloop_lag_p99_seconds')).toBe(true);
  });

  it('a worker serves its process metrics, and the Temporal SDK its own worker metrics', async () => {
    const own = await scrape(`${workerUrl}/metrics`);
    expect(valueOf(own, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    const sdk = await eventually(async () => {
      const text = await (await fetch(sdkMetricsUrl)).text();
      return /^temporal_workflow_task_\w+\{/m.test(text) && text;
    });
    expect(sdk).toMatch(new RegExp(`task_queue="${stack.config.temporal.taskQueue}"`));
  });
});
