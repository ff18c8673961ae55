/**
 * A worker killed (SIGKILL) in the middle of a discovery sweep: the Vertex AI scan has read page 1 and is
 * waiting for page 2 when the worker dies. A new worker finishes the sweep: the scan resumes from its last
 * heartbeat (page 1 is not read again), and the directory holds each agent once, with one alert each.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
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
} from './helpers/discovery.js';
import { startReceiver } from './helpers/http-servers.js';
import { startSplitStack, type SplitStack } from './helpers/split-stack.js';
import { eventually } from './helpers/stack.js';

let stack: SplitStack;
let vertex: CloudServer;
let bedrock: Awaited<ReturnType<typeof startBedrock>>;
let webhook: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  vertex = await startVertex();
  bedrock = await startBedrock();
  webhook = await startReceiver();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-discovery-crash-'));
  const sources = writeSourcesFile(dir, { vertexUrl: vertex.url, bedrockUrl: bedrock.url });
  stack = await startSplitStack({
    env: {
      ...CLOUD_ENV,
      WARDEN_DISCOVERY_SOURCES: sources,
      WARDEN_DISCOVERY_INTERVAL: '12h',
      WARDEN_NOTIFY_WEBHOOK_URL: webhook.url,
    },
  });
  await stack.startWorker();
});

afterAll(async () => {
  vertex?.release();
  await stack?.stop();
  await Promise.all([vertex?.close(), bedrock?.close(), webhook?.close()]);
});

it(
  'SIGKILL of the worker mid-sweep: the sweep completes after restart, resumes from its heartbeat, and duplicates nothing',
  { timeout: 180_000 },
  async () => {
    const security = await stack.token(`sec-${stack.tag}@example.com`, ['security']);
    vertex.mode = 'hold-page-2';
    const { id, started } = await runSweep(stack.gql, security);
    expect(started).toBe(true);
    await vertex.held;

    // The scan's heartbeat (page 1 read, its findings) has reached the server before the kill.
    await eventually(async () => {
      const d = await stack.client.workflow
        .getHandle(id.slice(0, id.lastIndexOf('/')), id.slice(id.lastIndexOf('/') + 1))
        .describe();
      const scan = d.raw.pendingActivities?.find(
        (a) => a.activityType?.name === 'scanDiscoverySource' && a.heartbeatDetails?.payloads?.length,
      );
      return scan ?? undefined;
    }, 30_000);
    const firstWorker = stack.worker!;
    await firstWorker.kill();
    expect(firstWorker.child.signalCode).toBe('SIGKILL');
    vertex.release();
    vertex.mode = 'pages';

    await stack.startWorker();
    const sweep = await sweepUntilDone(stack.gql, security, id, 150_000);
    expect(sweep.status).toBe('COMPLETED');
    expect(sweep.findings).toBe(24);
    expect(sweep.newAgentCount).toBe(22);
    expect(sweep.sources.find((s: any) => s.name === 'vertex')).toMatchObject({
      state: 'DONE',
      findings: 3,
      malformed: 1,
      errors: [],
    });

    // Resumed, not restarted: page 1 was fetched once; page 2 twice (the request the dead worker made, and the retry).
    const pages = vertex.requests.map((r) => r.pageToken ?? 'page-1');
    expect(pages.filter((p) => p === 'page-1')).toHaveLength(1);
    expect(pages.filter((p) => p === 'CgRwYWdlMg')).toHaveLength(2);

    // No duplicate: each planted agent once, each finding once, one alert per new agent.
    const findings = await eventually(async () => {
      const f = await allFindings(stack.gql, security);
      return f.length === 24 ? f : undefined;
    });
    expect([...new Set(findings.map((f) => f.fingerprint))].sort()).toEqual(PLANTED_FINGERPRINTS);
    expect(new Set(findings.map((f) => f.id)).size).toBe(24);
    const alerts = await eventually(async () => {
      const a = webhook.received
        .map((r) => JSON.parse(r.body) as { subject: string; agentId: string })
        .filter((n) => n.subject.startsWith('Shadow agent discovered'));
      return a.length >= 22 ? a : undefined;
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(webhook.received.filter((r) => r.body.includes('Shadow agent discovered'))).toHaveLength(22);
    expect(new Set(alerts.map((a) => a.agentId)).size).toBe(22);
  },
);
