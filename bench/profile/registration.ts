/**
 * tsx bench/profile/registration.ts — what registering an agent costs, beside Temporal's floor for it: the
 * floor starts workflows with an agent-sized memo and search attributes that do nothing but wait on an
 * 18-hour timer (floorTimerWorkflow), 32 at a time; Warden registers agents over GraphQL, 32 at a time. Each
 * is timed until the last workflow has run its first task, with the CPU every process used per workflow.
 * BENCH_PROFILE_AGENTS (default 400) per run.
 */
import { randomUUID } from 'node:crypto';
import { TypedSearchAttributes } from '@temporalio/common';
import { floorTimerWorkflow } from '../floor/workflows.js';
import { cpuMeter, FLOOR_TASK_QUEUE, quiesce, rssMb, type BenchStack } from '../lib/stack.js';
import { OWNER, CRM, Warden } from '../lib/warden.js';
import { AgentName, AgentPlatform } from '../../temporal/search-attributes.js';
import { withProfileStack } from './steps.js';

const N = Number(process.env.BENCH_PROFILE_AGENTS ?? 400);
const CONCURRENCY = 32;

async function timed(stack: BenchStack, start: (i: number) => Promise<string>) {
  await quiesce(stack);
  const rss = () => ({ worker: rssMb(stack.parts.worker.pid) ?? NaN, floor: rssMb(stack.parts.floor.pid) ?? NaN });
  const rssBefore = rss();
  const meter = cpuMeter(stack);
  const t = performance.now();
  let next = 0;
  let last = '';
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) last = await start(next++);
    }),
  );
  const answeredS = (performance.now() - t) / 1000;
  // Until the last one's first workflow task has run.
  while (((await stack.client.workflow.getHandle(last).describe()).historyLength ?? 0) < 4)
    await new Promise((r) => setTimeout(r, 50));
  const seconds = (performance.now() - t) / 1000;
  await quiesce(stack, 10_000, 0.25);
  const cpu = meter.since(N);
  const rssAfter = rss();
  // Resident memory each new workflow added to the worker that ran it (KiB), while it stays cached.
  const kibPerWorkflow = (k: 'worker' | 'floor') => Math.round(((rssAfter[k] - rssBefore[k]) * 1024) / N);
  return {
    perSecond: Math.round((N / seconds) * 10) / 10,
    answeredS: Math.round(answeredS * 10) / 10,
    seconds: Math.round(seconds * 10) / 10,
    ...cpu,
    workerKiBPerWorkflow: kibPerWorkflow('worker'),
    floorWorkerKiBPerWorkflow: kibPerWorkflow('floor'),
  };
}

await withProfileStack(async (stack) => {
  const warden = new Warden(stack);
  await warden.setup();
  const memo = { agent: { id: randomUUID(), name: 'Floor agent', description: '', padding: 'x'.repeat(600) } };
  const rows: Record<string, unknown> = {};
  for (let round = 0; round < 2; round++) {
    rows[`floor ${round + 1}`] = await timed(stack, async (i) => {
      const workflowId = `bench-floor-timer-${round}-${i}-${randomUUID().slice(0, 8)}`;
      await stack.client.workflow.start(floorTimerWorkflow, {
        workflowId,
        taskQueue: FLOOR_TASK_QUEUE,
        memo,
        typedSearchAttributes: new TypedSearchAttributes([
          { key: AgentName, value: `Floor agent ${i}` },
          { key: AgentPlatform, value: 'floor' },
        ]),
      });
      return workflowId;
    });
    rows[`registerAgent ${round + 1}`] = await timed(stack, async (i) => {
      const r = await warden.gql(
        `mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { agent { id } } }`,
        {
          input: {
            name: `Profile agent ${round}-${i}`,
            ownerEmail: OWNER,
            platform: 'support',
            allowedTools: [{ tool: CRM, operations: ['update_ticket'] }],
          },
        },
        warden.admin,
      );
      if (r.errors?.length) throw new Error(JSON.stringify(r.errors));
      return `agent:${r.data.registerAgent.agent.id}`;
    });
  }
  console.log(`${N} workflows per run, ${CONCURRENCY} at a time; CPU ms per workflow by process:`);
  console.table(rows);
});
