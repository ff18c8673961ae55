/**
 * The cluster's edge, in the main suite (`npm run test:cluster` runs the whole cluster; its first run builds
 * Temporal from source, which is longer than CI's budget): the real HAProxy `npm run cluster` writes the
 * configuration of, in front of two real HTTP backends — traffic only to a ready backend, a refused
 * connection sent to the other, a request that reached a backend never sent twice, /metrics never served —
 * and a real Prometheus scraping a Warden API process's /metrics, with a decision's histogram queried back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLoadBalancer, type LoadBalancer } from '../cluster/load-balancer.js';
import { startPrometheus, type Prometheus } from '../cluster/prometheus.js';
import { freePort } from '../launcher/ports.js';
import { listen, type TestServer } from './helpers/http-servers.js';
import { agentWithTool } from './helpers/agents.js';
import { eventually, startStack, type Stack } from './helpers/stack.js';

interface Backend {
  name: string;
  server: TestServer;
  port: number;
  ready: boolean;
  /** Every request that reached it: method and path. */
  seen: string[];
  /** Answers /slow only after this long (a request in flight when it dies). */
  slowMs: number;
}

async function backend(name: string): Promise<Backend> {
  const b: Backend = { name, server: undefined as never, port: 0, ready: true, seen: [], slowMs: 0 };
  b.server = await listen(async (req, res) => {
    const p = (req.url ?? '/').split('?')[0]!;
    if (p !== '/readyz') b.seen.push(`${req.method} ${p}`);
    if (p === '/readyz') return void res.writeHead(b.ready ? 200 : 503).end();
    if (p === '/slow') await new Promise((r) => setTimeout(r, b.slowMs));
    res.writeHead(200, { 'content-type': 'text/plain' }).end(name);
  });
  b.port = Number(new URL(b.server.url).port);
  return b;
}

describe('HAProxy in front of the API processes', () => {
  let one: Backend;
  let two: Backend;
  let lb: LoadBalancer;

  beforeAll(async () => {
    [one, two] = [await backend('one'), await backend('two')];
    lb = await startLoadBalancer({
      dir: path.join(inject('runDir'), `haproxy-${process.pid}`),
      port: await freePort(),
      backends: [
        { name: 'api-1', port: one.port },
        { name: 'api-2', port: two.port },
      ],
    });
  });

  afterAll(async () => {
    await lb?.stop();
    await one?.server.close();
    await two?.server.close();
  });

  const answer = async (p = '/graphql', init: RequestInit = {}) => {
    const res = await fetch(`${lb.url}${p}`, init);
    return { status: res.status, body: await res.text() };
  };

  it('spreads requests over the ready processes, and never serves /metrics', async () => {
    const bodies = new Set<string>();
    for (let i = 0; i < 6; i++) bodies.add((await answer()).body);
    expect([...bodies].sort()).toEqual(['one', 'two']);
    for (const p of ['/metrics', '/metrics/', '/metrics?x=1']) expect((await answer(p)).status, p).toBe(404);
    expect([...one.seen, ...two.seen].filter((s) => s.includes('/metrics'))).toEqual([]);
  });

  it('takes a process that is not ready out of the rotation, and back when it is', async () => {
    one.ready = false;
    await eventually(async () => {
      const bodies = await Promise.all([0, 1, 2, 3].map(() => answer().then((a) => a.body)));
      return bodies.every((b) => b === 'two');
    });
    one.ready = true;
    await eventually(async () => (await Promise.all([0, 1, 2, 3].map(() => answer()))).some((a) => a.body === 'one'));
  });

  it('answers a request whose process died under it with an error, never sending it again; a refused connection goes to the other process', async () => {
    one.slowMs = two.slowMs = 5_000;
    one.seen.length = two.seen.length = 0;
    const inFlight = answer('/slow', { method: 'POST', body: '{}' });
    const holder = await eventually(async () => [one, two].find((b) => b.seen.includes('POST /slow')));
    const other = holder === one ? two : one;
    await holder.server.close(); // cuts the connection HAProxy holds, and refuses new ones
    // HAProxy answers 502, or closes the client's connection as the backend closed its own.
    expect([502, 'closed']).toContain(
      await inFlight.then(
        (a) => a.status,
        () => 'closed',
      ),
    );
    expect([...one.seen, ...two.seen].filter((r) => r === 'POST /slow')).toHaveLength(1);

    other.seen.length = 0;
    const answers = await Promise.all([0, 1, 2, 3, 4, 5].map(() => answer('/graphql', { method: 'POST', body: '{}' })));
    expect(answers.map((a) => a.body)).toEqual(Array(6).fill(other.name));
    expect(other.seen).toEqual(Array(6).fill('POST /graphql'));
  });
});

describe('Prometheus scraping an API process', () => {
  let stack: Stack;
  let prometheus: Prometheus;

  beforeAll(async () => {
    stack = await startStack();
    const dir = path.join(inject('runDir'), `prometheus-${process.pid}`);
    fs.mkdirSync(dir, { recursive: true });
    prometheus = await startPrometheus({
      dir,
      port: await freePort(),
      scrapeIntervalSeconds: 1,
      jobs: [{ name: 'warden-api', targets: [new URL(stack.api.url).host] }],
    });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await stack?.stop();
  });

  it("reads a routine decision's latency histogram back from Prometheus", async () => {
    const admin = await stack.token(`admin-${stack.tag}@example.com`, ['admin']);
    const { agent, tool } = await agentWithTool(stack, admin, {
      name: `edge-${stack.tag}`,
      operations: [{ name: 'update_ticket', sensitivity: 'LOW' }],
    });
    for (let i = 0; i < 3; i++) {
      const r = await agent.gql(
        `mutation($input: RequestActionInput!) { requestAction(input: $input) { action { decision } } }`,
        {
          input: {
            tool,
            operation: 'update_ticket',
            volume: 1,
            amount: 0,
            justification: 'edge',
            idempotencyKey: `e-${i}`,
          },
        },
      );
      expect(r.data?.requestAction.action.decision).toBe('ALLOW');
    }
    const series = await eventually(async () => {
      const r = await prometheus.query(
        'warden_decision_duration_seconds_count{job="warden-api",path="routine",sensitivity="LOW",outcome="ALLOW"}',
      );
      return r.length > 0 && Number(r[0]!.value[1]) >= 3 && r;
    }, 30_000);
    expect(series[0]!.metric.instance).toBe(new URL(stack.api.url).host);
    const p50 = await prometheus.query(
      'histogram_quantile(0.5, sum by (le) (warden_decision_duration_seconds_bucket{path="routine"}))',
    );
    expect(Number(p50[0]!.value[1])).toBeGreaterThan(0);
  });
});
