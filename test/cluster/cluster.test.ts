/**
 * Warden on a real Temporal cluster (PostgreSQL; frontend, history, matching and worker as separate
 * processes; 4 history shards), two workers and two API processes behind HAProxy, Prometheus scraping them:
 * the whole story through the load balancer's one URL, then one API process, one worker and Temporal's
 * history service SIGKILLed while decisions are in flight — nothing lost, nothing decided twice, no grant
 * after a deny, and every containment honoured by both API processes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../api/services/index.js';
import { actionIdFor } from '../../api/services/action-ids.js';
import { startWardenCluster, type WardenCluster } from '../../cluster/warden-cluster.js';
import { PROJECT_ROOT } from '../../config/config.js';
import { actionWorkflowId } from '../../domain/actions.js';
import { agentWorkflowId } from '../../domain/agents.js';
import { listRoutineActionsQuery } from '../../workflows/agent/messages.js';
import { buildWorkflowBundle } from '../../worker/bundle.js';
import { FIXTURES, runSweep, sweepUntilDone } from '../helpers/discovery.js';
import { apiCaller, eventually } from '../helpers/stack.js';
import {
  ALLOW_AND_REVIEW_POLICY,
  buildWorld,
  denyPolicy,
  requestAction,
  REQUEST_ACTION,
  GET_ACTION,
  type ActionView,
  type World,
  type WorldStack,
} from '../faults/helpers.js';
import type { TestAgent } from '../helpers/agents.js';

let cluster: WardenCluster;
let stack: WorldStack;
let world: World;
let dir: string;
const REVOCATION_CACHE_MS = 500;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-cluster-'));
  fs.chmodSync(dir, 0o755); // PostgreSQL runs as its own user, and must reach its folder inside
  const sources = path.join(dir, 'discovery-sources.json');
  fs.writeFileSync(
    sources,
    JSON.stringify({
      rules: { ownerEmailDomain: 'example.com' },
      sources: [{ name: 'zeek', type: 'zeek', files: [path.join(FIXTURES, 'zeek/ssl.log')] }],
    }),
  );
  cluster = await startWardenCluster({
    dir,
    toolsDataDir: path.join(PROJECT_ROOT, '.warden'),
    // Clear of a cluster `npm run cluster` may be running.
    ports: { postgres: 5533, temporal: 7433, ui: 8433, public: 4200, apis: 4201, workers: 9564, prometheus: 9190 },
    workflowBundle: await buildWorkflowBundle(path.join(dir, 'workflow-bundle.js')),
    env: {
      WARDEN_DISCOVERY_SOURCES: sources,
      // The signing keys' rotation timer fires during the run.
      WARDEN_SIGNING_KEY_ROTATION: '1m',
      WARDEN_REVOCATION_CACHE: `${REVOCATION_CACHE_MS}ms`,
      // One approval by the owner or security (the default policy asks some actions for two).
      WARDEN_APPROVAL_POLICY: path.join(PROJECT_ROOT, 'test', 'fixtures', 'approval-policies', 'single.yaml'),
    },
    log: (line) => console.log(`[cluster] ${line}`),
  });
  const config = cluster.stack.config;
  const api = { url: cluster.url, graphqlUrl: `${cluster.url}/graphql` };
  const { token, gql } = await apiCaller(config, api, createServices(cluster.stack.client, config).people);
  stack = { tag: path.basename(dir).slice(-6).toLowerCase(), config, api, token, gql };
  world = await buildWorld(stack);
});

afterAll(async () => {
  await cluster?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true }); // its database, logs and key rings
});

const viewer = async (url: string, token: string) =>
  (
    await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"query":"{ viewer { kind } }"}',
    })
  ).status;

describe('the story, through the load balancer', () => {
  it('serves one URL from both API processes, and keeps /metrics off it', async () => {
    expect((await fetch(`${cluster.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${cluster.url}/metrics`)).status).toBe(404);
    for (const i of [0, 1]) expect((await fetch(`${cluster.apiUrl(i)}/readyz`)).status).toBe(200);
  });

  it('registers an agent whose token works on every API process, and decides routine and sensitive work', async () => {
    const agent = await world.agent('story');
    const token = await agent.token();
    for (const i of [0, 1]) expect(await viewer(cluster.apiUrl(i), token)).toBe(200);
    const routine = await requestAction(agent, { tool: world.crm, operation: 'update_ticket', idempotencyKey: 's-1' });
    expect(routine).toMatchObject({ status: 'ALLOWED', decision: 'ALLOW' });
    const sensitive = await requestAction(agent, {
      tool: world.crm,
      operation: 'read_customer',
      resourceId: 'cust-1',
      idempotencyKey: 's-2',
    });
    expect(sensitive).toMatchObject({ status: 'ALLOWED', decision: 'ALLOW' });
    expect(sensitive.grant?.token).toBeTruthy();
  });

  it('holds an action for a person, and applies the approval', async () => {
    const agent = await world.agent('approval');
    const held = await requestAction(agent, { tool: world.bank, operation: 'transfer', idempotencyKey: 'a-1' });
    expect(held).toMatchObject({ status: 'PENDING_APPROVAL', decision: 'REVIEW' });
    const approved = await stack.gql<any>(
      `mutation($id: ID!) { approveAction(input: { actionId: $id, comment: "cluster" }) { action { status grant { token } } } }`,
      { id: held.id },
      world.ownerToken,
    );
    expect(approved.errors).toBeUndefined();
    expect(approved.data.approveAction.action.status).toBe('APPROVED');
    // The grant is the agent's, on its next read of the action.
    const read = await agent.gql<any>(GET_ACTION, { id: held.id });
    expect(read.data.actionRequest).toMatchObject({ status: 'APPROVED', decision: 'REVIEW' });
    expect(read.data.actionRequest.grant.token).toBeTruthy();
  });

  it('contains an agent, and both API processes refuse its earlier token within the revocation bound', async () => {
    const agent = await world.agent('contained', {
      ...ALLOW_AND_REVIEW_POLICY,
      thresholds: { ...ALLOW_AND_REVIEW_POLICY.thresholds, MEDIUM: { review: 0, contain: 0 } },
    });
    const before = await agent.token();
    for (const i of [0, 1]) expect(await viewer(cluster.apiUrl(i), before)).toBe(200);
    const decided = Date.now();
    const action = await requestAction(agent, {
      tool: world.crm,
      operation: 'read_customer',
      resourceId: 'cust-1',
      idempotencyKey: 'c-1',
    });
    expect(action).toMatchObject({ status: 'PENDING_APPROVAL', contained: true });
    // Both API processes polled from the decision on, and beside them how long this cluster's visibility
    // takes to show the containment (the bound's second term), measured at the same time.
    const [refused1, refused2, visibleAt] = await Promise.all([
      ...[0, 1].map((i) =>
        eventually(async () => (await viewer(cluster.apiUrl(i), before)) === 401 && Date.now(), 30_000),
      ),
      eventually(async () => {
        const { count } = await cluster.stack.client.workflow.count(
          `WorkflowId = '${agentWorkflowId(agent.id)}' AND AgentStatus = 'SUSPENDED'`,
        );
        return count > 0 && Date.now();
      }, 30_000),
    ]);
    const refusedAt = [refused1!, refused2!];
    const shownAt = visibleAt!;
    const bound = REVOCATION_CACHE_MS + (shownAt - decided);
    console.log(
      `[cluster] containment refused by the API processes after ${refusedAt.map((t) => t - decided).join(' and ')} ms; visibility showed it after ${shownAt - decided} ms`,
    );
    for (const at of refusedAt) expect(at - decided).toBeLessThanOrEqual(bound);
  });

  it('runs a discovery sweep over the configured sources', async () => {
    const { id } = await runSweep(stack.gql, world.admin);
    const sweep = await sweepUntilDone(stack.gql, world.admin, id);
    expect(sweep.status).toBe('COMPLETED');
    expect(sweep.findings).toBeGreaterThan(0);
  });

  it("fires the signing keys' rotation timer: a new key signs, the old one is still published", async () => {
    const kids = async () =>
      ((await (await fetch(`${cluster.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys.map(
        (k) => k.kid,
      );
    const first = await kids();
    const rotated = await eventually(async () => {
      const now = await kids();
      return now.some((k) => !first.includes(k)) && now;
    }, 150_000);
    expect(rotated.filter((k) => first.includes(k)).length).toBeGreaterThan(0);
  });

  it("a decision's latency histogram is in Prometheus, scraped from the API processes", async () => {
    const result = await eventually(async () => {
      const r = await cluster.prometheus.query('sum by (path) (warden_decision_duration_seconds_count)');
      return r.length >= 2 && r;
    }, 60_000);
    const byPath = Object.fromEntries(result.map((s) => [s.metric.path, Number(s.value[1])]));
    expect(byPath.routine).toBeGreaterThan(0);
    expect(byPath.workflow).toBeGreaterThan(0);
    const p99 = await cluster.prometheus.query(
      'histogram_quantile(0.99, sum by (le) (warden_decision_duration_seconds_bucket))',
    );
    expect(Number(p99[0]?.value[1])).toBeGreaterThan(0);
  });
});

/** When each request was in flight (first attempt to answer), to show the faults struck while some were. */
const flights: { from: number; to: number }[] = [];
const inFlightAt = (t: number) => flights.filter((f) => f.from < t && t < f.to).length;

/** One request, sent again with the same idempotency key until it has an answer (what a careful agent does). */
async function decide(agent: TestAgent, input: Record<string, unknown>, deadline: number) {
  const flight = { from: Date.now(), to: Infinity };
  flights.push(flight);
  try {
    return await attempt(agent, input, deadline);
  } finally {
    flight.to = Date.now();
  }
}

async function attempt(agent: TestAgent, input: Record<string, unknown>, deadline: number) {
  let attempts = 0;
  for (;;) {
    attempts++;
    let token: string | null = null;
    try {
      token = await agent.token();
    } catch (err) {
      // Refused its token (a contained agent): an answer. A broken connection is not.
      if (/no token for agent/.test((err as Error).message)) return { refused: 'no_token', attempts };
    }
    try {
      if (!token) throw new Error('no token yet');
      const res = await fetch(`${cluster.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: REQUEST_ACTION,
          variables: { input: { volume: 1, amount: 0, justification: 'cluster faults', ...input } },
        }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = res.headers.get('content-type')?.includes('json') ? ((await res.json()) as any) : null;
      const code = body?.errors?.[0]?.extensions?.code as string | undefined;
      if (body?.data?.requestAction) return { action: body.data.requestAction.action as ActionView, attempts };
      if (code === 'FORBIDDEN' || code === 'BAD_USER_INPUT' || code === 'CONFLICT' || code === 'UNAUTHENTICATED')
        return { refused: code, attempts };
    } catch {
      // The connection broke (the API process died under it): send it again.
    }
    if (Date.now() > deadline) throw new Error(`no answer for ${JSON.stringify(input)} after ${attempts} attempts`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('faults: an API process, a worker and the history service SIGKILLed while decisions are in flight', () => {
  it('loses nothing, decides nothing twice, grants nothing after a deny', async () => {
    const lanes = await Promise.all([0, 1, 2, 3].map((i) => world.agent(`lane-${i}`)));
    const denied = await world.agent('denied', denyPolicy(world.bank));
    const deniedToken = await denied.token(); // issued before the containment
    const deadline = Date.now() + 240_000;
    const perLane = 30;
    const requests = lanes.map((agent, lane) =>
      (async () => {
        const answers = [];
        for (let n = 0; n < perLane; n++) {
          const key = `f-${lane}-${n}`;
          const input =
            n % 2 === 0
              ? { tool: world.crm, operation: 'update_ticket', idempotencyKey: key }
              : { tool: world.crm, operation: 'read_customer', resourceId: `cust-${n}`, idempotencyKey: key };
          answers.push({ key, input, ...(await decide(agent, input, deadline)) });
        }
        return answers;
      })(),
    );
    const denials = (async () => {
      const answers = [];
      for (let n = 0; n < 6; n++) {
        const input =
          n === 1
            ? { tool: world.bank, operation: 'transfer', idempotencyKey: 'd-transfer' }
            : { tool: world.crm, operation: 'read_customer', resourceId: 'cust-9', idempotencyKey: `d-${n}` };
        answers.push({ n, ...(await decide(denied, input, deadline)) });
      }
      return answers;
    })();

    // The faults, one after another while the lanes run.
    const killedAt: number[] = [];
    await new Promise((r) => setTimeout(r, 1_500));
    killedAt.push(Date.now());
    await cluster.apis[0]!.kill();
    await new Promise((r) => setTimeout(r, 1_500));
    killedAt.push(Date.now());
    await cluster.workers[0]!.kill();
    await new Promise((r) => setTimeout(r, 1_500));
    killedAt.push(Date.now());
    await cluster.temporal.services.history.kill();
    await new Promise((r) => setTimeout(r, 3_000));
    await cluster.temporal.services.history.start();
    await Promise.all([cluster.restartApi(0), cluster.restartWorker(0)]);

    const answered = (await Promise.all(requests)).flat();
    const denyAnswers = await denials;

    // Each kill struck while decisions were in flight.
    for (const at of killedAt) expect(inFlightAt(at)).toBeGreaterThan(0);
    // Nothing lost: every request has its decision.
    expect(answered).toHaveLength(lanes.length * perLane);
    for (const a of answered) expect(a.action?.status, `${a.key}: ${JSON.stringify(a)}`).toBe('ALLOWED');
    // Nothing decided twice: one action per idempotency key, recorded once where Temporal keeps it.
    for (const [lane, agent] of lanes.entries()) {
      const mine = answered.filter((a) => a.key.startsWith(`f-${lane}-`));
      for (const a of mine) expect(a.action!.id).toBe(actionIdFor(agent.id, a.key));
      const routine = await cluster.stack.client.workflow
        .getHandle(agentWorkflowId(agent.id))
        .query(listRoutineActionsQuery);
      for (const a of mine.filter((x) => x.input.operation === 'update_ticket'))
        expect(routine.filter((r) => r.id === a.action!.id)).toHaveLength(1);
      for (const a of mine.filter((x) => x.input.operation === 'read_customer')) {
        const { count } = await cluster.stack.client.workflow.count(`WorkflowId = '${actionWorkflowId(a.action!.id)}'`);
        expect(count).toBe(1);
      }
    }
    // No grant after a deny: the transfer is denied (without a grant), and the contained agent gets none.
    const [beforeDeny, transfer, ...afterDeny] = denyAnswers;
    expect(beforeDeny!.action?.status).toBe('ALLOWED');
    // (An answer lost with its API process is refused on the retry: the agent is contained by then.)
    expect(transfer!.action?.grant ?? null, JSON.stringify(denyAnswers)).toBeNull();
    const recorded = await stack.gql<any>(GET_ACTION, { id: actionIdFor(denied.id, 'd-transfer') }, world.admin);
    expect(recorded.data.actionRequest).toMatchObject({
      status: 'DENIED',
      decision: 'DENY',
      contained: true,
      grant: null,
    });
    for (const a of afterDeny) {
      expect(a.action?.grant ?? null).toBeNull();
      expect(a.refused).toBeTruthy();
    }
    // The containment holds on both API processes, the one killed and started again included.
    for (const i of [0, 1]) expect(await viewer(cluster.apiUrl(i), deniedToken)).toBe(401);
    console.log(
      `[cluster] ${answered.length + denyAnswers.length} requests answered; ${answered.filter((a) => a.attempts > 1).length} needed more than one attempt; in flight at the kills: ${killedAt.map(inFlightAt).join(', ')}`,
    );
  });
});
