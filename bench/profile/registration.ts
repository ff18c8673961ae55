/**
 * tsx bench/profile/registration.ts — what registering an agent costs, beside Temporal's floor for it: the
 * floor starts workflows with an agent-sized memo and search attributes that do nothing but wait on an
 * 18-hour timer (floorTimerWorkflow), 32 at a time; Warden registers agents over GraphQL, 32 at a time. Each
 * is timed until the last workflow has run its first task, with the CPU every process used per workflow.
 * BENCH_PROFILE_AGENTS (default 400) per run.
 */
import { Floor } from '../lib/floor.js';
import { inLanes } from '../lib/load.js';
import { cpuMeter, quiesce, rssMb, untilFirstTask, type BenchStack } from '../lib/stack.js';
import { OWNER, CRM, Warden } from '../lib/warden.js';
import { withProfileStack } from './steps.js';

const N = Number(process.env.BENCH_PROFILE_AGENTS ?? 400);
const CONCURRENCY = 32;

async function timed(stack: BenchStack, start: (i: number) => Promise<string>) {
  await quiesce(stack);
  const rss = () => ({ worker: rssMb(stack.parts.worker.pid) ?? NaN, floor: rssMb(stack.parts.floor.pid) ?? NaN });
  const rssBefore = rss();
  const meter = cpuMeter(stack);
  const t = performance.now();
  const last = await inLanes(N, CONCURRENCY, start);
  const answeredS = (performance.now() - t) / 1000;
  if (last && !(await untilFirstTask(stack.client, last, 120_000)))
    throw new Error(`${last} had not run its first task two minutes after it was started`);
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
  const floor = new Floor(stack.client);
  const rows: Record<string, unknown> = {};
  for (let round = 0; round < 2; round++) {
    rows[`floor ${round + 1}`] = await timed(stack, (i) => floor.startTimer(i));
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
  await floor.stopTimers();
  console.log(`${N} workflows per run, ${CONCURRENCY} at a time; CPU ms per workflow by process:`);
  console.table(rows);
});
