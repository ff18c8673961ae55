/**
 * Fault injection during a discovery sweep: the worker is SIGKILLed after a batch of findings was recorded
 * in the directory (new shadow agents' workflows started, the security team's alerts queued) and before the
 * sweep heard. The retried batch records the same sightings again; the sweep completes with the right
 * counts, and the directory holds each planted agent once, with one alert each.
 * (test/discovery-crash.test.ts kills the worker mid-scan; this kills it mid-reconciliation.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  allFindings,
  CLOUD_ENV,
  PLANTED_FINGERPRINTS,
  runSweep,
  startBedrock,
  startVertex,
  sweepUntilDone,
  writeSourcesFile,
  type CloudServer,
} from '../helpers/discovery.js';
import { startReceiver } from '../helpers/http-servers.js';
import { eventually } from '../helpers/stack.js';
import { distinctNotices, killAndRestartWorker, LONG, startFaultStack, type FaultStack } from './helpers.js';

let stack: FaultStack;
let vertex: CloudServer;
let bedrock: Awaited<ReturnType<typeof startBedrock>>;
let webhook: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  [vertex, bedrock, webhook] = await Promise.all([startVertex(), startBedrock(), startReceiver()]);
  const dir = fs.mkdtempSync(path.join(inject('runDir'), 'faults-discovery-'));
  const sources = writeSourcesFile(dir, { vertexUrl: vertex.url, bedrockUrl: bedrock.url });
  stack = await startFaultStack({
    env: {
      ...CLOUD_ENV,
      WARDEN_DISCOVERY_SOURCES: sources,
      WARDEN_DISCOVERY_INTERVAL: '12h',
      WARDEN_NOTIFY_WEBHOOK_URL: webhook.url,
    },
  });
  await stack.startWorker();
  await stack.startApi();
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([vertex?.close(), bedrock?.close(), webhook?.close()]);
});

beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(stack.outputs())));

/** Shadow-agent alerts, each once (delivery is at least once: see distinctNotices). */
const alerts = () => distinctNotices(webhook).filter((n) => n.subject.startsWith('Shadow agent discovered'));

describe('kill point during a discovery sweep', () => {
  it('SIGKILL worker after a batch of findings is recorded in the directory, before the sweep hears [discovery.sightings-recorded]: the sweep completes, each agent once, one alert each', async () => {
    const security = await stack.token(`security-${stack.tag}@example.com`, ['security']);
    stack.worker!.arm('discovery.sightings-recorded');
    const { id, started } = await runSweep(stack.gql, security);
    expect(started).toBe(true);
    await stack.worker!.reached('discovery.sightings-recorded');
    await killAndRestartWorker(stack);

    const sweep = await sweepUntilDone(stack.gql, security, id, 150_000);
    expect(sweep).toMatchObject({ status: 'COMPLETED', findings: 24, newAgentCount: 22 });
    expect(new Set(sweep.newAgents.map((a: { agentId: string }) => a.agentId)).size).toBe(22);
    expect(sweep.sources.every((s: { state: string }) => s.state === 'DONE')).toBe(true);

    // The directory: each planted agent once (one workflow per fingerprint), each finding once.
    const findings = await eventually(async () => {
      const f = await allFindings(stack.gql, security);
      return f.length === 24 ? f : undefined;
    }, LONG);
    expect([...new Set(findings.map((f) => f.fingerprint))].sort()).toEqual(PLANTED_FINGERPRINTS);
    expect(new Set(findings.map((f) => f.agentId)).size).toBe(22);
    for (const agentId of new Set(findings.map((f) => f.agentId as string))) {
      expect((await stack.client.workflow.count(`WorkflowId = 'agent:${agentId}'`)).count).toBeLessThanOrEqual(1);
    }
    const discovered = await eventually(async () => {
      const { count } = await stack.client.workflow.count(
        `WorkflowType = 'agentLifecycleWorkflow' AND AgentStatus = 'DISCOVERED' AND TaskQueue = '${stack.config.temporal.taskQueue}'`,
      );
      return count === 22 ? count : undefined;
    }, LONG);
    expect(discovered).toBe(22);

    // One alert per new agent, though a batch was recorded twice.
    await eventually(async () => alerts().length >= 22, LONG);
    await new Promise((r) => setTimeout(r, 1000));
    expect(alerts()).toHaveLength(22);
    expect(new Set(alerts().map((a) => a.agentId)).size).toBe(22);
  });
});
