/**
 * Traces over OTLP: an OTLP/HTTP collector (a real HTTP server taking the exporter's JSON) receives one
 * trace for a sensitive request — the API's HTTP span (continuing the caller's `traceparent`), the Temporal
 * client's Update-with-Start, and from the worker process the Update's handler, the workflow's run, the
 * activity it scheduled and the activity's run — all with the caller's trace id. Work that reaches the
 * worker untraced starts no trace there.
 */
import { randomBytes } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { actionIdFor } from '../api/services/action-ids.js';
import { actionWorkflowId } from '../domain/actions.js';
import { agentWorkflowId } from '../domain/agents.js';
import { installTracing, type Tracing } from '../observability/tracing.js';
import { connectClient } from '../temporal/connection.js';
import { dataConverterFor } from '../vault/key-rings.js';
import { getSigningKeysQuery, signingKeysWorkflow, signingKeysWorkflowId } from '../workflows/signing-keys.js';
import { listen, type TestServer } from './helpers/http-servers.js';
import { agentWithTool, type TestAgent } from './helpers/agents.js';
import { startSplitStack, type SplitStack } from './helpers/split-stack.js';
import { eventually } from './helpers/stack.js';

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
}

let collector: TestServer;
const received: ReceivedSpan[] = [];
let tracing: Tracing | null;
let stack: SplitStack;
let agent: TestAgent;
let admin: string;
const tool = () => `crm-${stack.tag}`;

/** OTLP/HTTP's JSON encoding (ids in hex), as @opentelemetry/exporter-trace-otlp-http sends it. */
function collect(body: string) {
  const doc = JSON.parse(body) as {
    resourceSpans: {
      resource: { attributes: { key: string; value: { stringValue?: string } }[] };
      scopeSpans: { spans: { traceId: string; spanId: string; parentSpanId?: string; name: string }[] }[];
    }[];
  };
  for (const rs of doc.resourceSpans) {
    const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
    for (const ss of rs.scopeSpans)
      for (const s of ss.spans) received.push({ service, ...s, parentSpanId: s.parentSpanId ?? '' });
  }
}

beforeAll(async () => {
  collector = await listen(async (req, res, body) => {
    if (req.method === 'POST' && req.url === '/v1/traces') collect(body);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' };
  Object.assign(process.env, otel); // this test file's process is the API's: its exporter reads them
  tracing = installTracing('warden-api');
  stack = await startSplitStack({ env: otel, traced: true });
  await stack.startWorker();
  admin = await stack.token(`admin-${stack.tag}@example.com`, ['admin']);
  ({ agent } = await agentWithTool(stack, admin, {
    name: `traced-${stack.tag}`,
    operations: [{ name: 'export_all', sensitivity: 'HIGH' }],
  }));
  // Every export is held for a person (never contained): the action's workflow audits it in an activity.
  const policy = await stack.gql(
    `mutation($id: ID!, $p: JSON) { setAgentRiskPolicy(input: { agentId: $id, policy: $p }) }`,
    { id: agent.id, p: { thresholds: { HIGH: { review: 0, contain: 1000 } } } },
    admin,
  );
  expect(policy.errors).toBeUndefined();
});

afterAll(async () => {
  await stack?.stop();
  await tracing?.shutdown();
  await collector?.close();
});

describe('traces', () => {
  it('follow a sensitive request from the API through Temporal into the workflow and its activity', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const res = await fetch(`${stack.api.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await agent.token()}`,
        traceparent: `00-${traceId}-${callerSpan}-01`,
      },
      body: JSON.stringify({
        query: `mutation($input: RequestActionInput!) { requestAction(input: $input) { action { id status } } }`,
        variables: {
          input: {
            tool: tool(),
            operation: 'export_all',
            volume: 1,
            amount: 0,
            justification: 'traced',
            idempotencyKey: 'traced-1',
          },
        },
      }),
    });
    const body = (await res.json()) as { data?: { requestAction: { action: { id: string } } } };
    expect(body.data?.requestAction.action.id).toBeTruthy();

    const inTrace = () => received.filter((s) => s.traceId === traceId);
    const named = (service: string, name: string) => inTrace().find((s) => s.service === service && s.name === name);
    // Held for a person: the workflow audits it in an activity, and waits.
    const [ran, http, client, scheduled] = await eventually(async () => {
      const spans = [
        named('warden-worker', 'RunActivity:recordAudit'),
        named('warden-api', 'POST /graphql'),
        named('warden-api', 'UpdateWithStartWorkflow:decideAction'),
        named('warden-worker', 'StartActivity:recordAudit'),
      ];
      return spans.every(Boolean) && (spans as ReceivedSpan[]);
    }, 30_000);
    expect(http!.parentSpanId).toBe(callerSpan);
    expect(client!.parentSpanId).toBe(http!.spanId);
    expect(named('warden-worker', 'HandleUpdate:decideAction')?.parentSpanId).toBe(client!.spanId);
    expect(ran!.parentSpanId).toBe(scheduled!.spanId);

    // Once the action is decided its workflow ends, and its run's span (the activity's parent) is exported.
    const denied = await stack.gql(
      `mutation($id: ID!) { denyAction(input: { actionId: $id, reason: "traced" }) { action { status } } }`,
      { id: body.data!.requestAction.action.id },
      await stack.token(`owner-${stack.tag}@example.com`, ['approver']),
    );
    expect(denied.errors).toBeUndefined();
    const run = await eventually(async () => named('warden-worker', 'RunWorkflow:sensitiveActionWorkflow'), 30_000);
    expect(run.parentSpanId).toBe(client!.spanId);
    expect(scheduled!.parentSpanId).toBe(run.spanId);
  });

  it("traced histories replay on the same workflows: the agent's and the held action's", async () => {
    const sink = { fn: () => {}, callDuringReplay: false };
    const options = {
      workflowBundle: { codePath: inject('workflowBundle') },
      dataConverter: dataConverterFor(stack.config),
      sinks: { failpoints: { reached: sink }, refusals: { refused: sink }, exporter: { export: sink } },
    };
    const actionId = actionIdFor(agent.id, 'traced-1');
    for (const workflowId of [agentWorkflowId(agent.id), actionWorkflowId(actionId)]) {
      const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
      // Traced: the span context is in the headers the workflow received.
      const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
      expect(started?.header?.fields?.['_tracer-data'], workflowId).toBeTruthy();
      await Worker.runReplayHistory(options, history, workflowId);
    }
  });

  it('are not made for work that arrives untraced: the worker starts no trace of its own', async () => {
    const { client, connection } = await connectClient(stack.config.temporal, dataConverterFor(stack.config));
    try {
      const handle = await client.workflow.start(signingKeysWorkflow, {
        workflowId: signingKeysWorkflowId(`untraced-${stack.tag}`),
        taskQueue: stack.config.temporal.taskQueue,
        args: [{ ring: null, issuer: 'urn:untraced', rotationIntervalMs: 3_600_000 }],
      });
      // Its first key made (an activity ran), and the worker's exports flushed.
      await eventually(async () => (await handle.query(getSigningKeysQuery)) !== null, 30_000);
      await new Promise((r) => setTimeout(r, 1_000));
      await handle.terminate('test done');
    } finally {
      await connection.close();
    }
    // Every span the worker made descends from a span the API made: none is a root.
    const worker = received.filter((s) => s.service === 'warden-worker');
    expect(worker.length).toBeGreaterThan(0);
    expect(worker.filter((s) => !s.parentSpanId)).toEqual([]);
    // And the API's own background calls (the revocation long-poll, key reads, audit shipping) start none:
    // every trace begins with a request the API served.
    expect(received.filter((s) => !s.parentSpanId && !/^(GET|POST) \//.test(s.name))).toEqual([]);
  });
});
