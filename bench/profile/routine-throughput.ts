/**
 * tsx bench/profile/routine-throughput.ts — routine (LOW) decisions under load: 32 agents, a closed loop
 * of 32 callers (one per agent), and the CPU each process used per decision (the audit trail's and the
 * agents' work after the answers included). BENCH_CPU_PROF=<dir> writes V8 CPU profiles of every part.
 * Env: BENCH_PROFILE_SECONDS (default 6), BENCH_PROFILE_CALLERS (default 32).
 */
import { closedLoop } from '../lib/load.js';
import { cpuMeter, quiesce } from '../lib/stack.js';
import { actionOf, Warden } from '../lib/warden.js';
import { withProfileStack } from './steps.js';

const SECONDS = Number(process.env.BENCH_PROFILE_SECONDS ?? 6);
const CALLERS = Number(process.env.BENCH_PROFILE_CALLERS ?? 32);
await withProfileStack(async (stack) => {
  const warden = new Warden(stack);
  await warden.setup();
  const agents = await Promise.all(
    Array.from({ length: CALLERS }, (_, i) => warden.registerAgent(`Routine agent ${i}`)),
  );
  // Past warm-up, as in npm run bench.
  await Promise.all(
    agents.map(async (a) => {
      for (let i = 0; i < 22; i++)
        actionOf(await warden.request(a, { operation: 'update_ticket', resourceId: `t-${i}` }));
    }),
  );
  await Promise.all(agents.map((a) => a.token()));
  await quiesce(stack, 10_000);
  const meter = cpuMeter(stack);
  const r = await closedLoop(
    CALLERS,
    SECONDS * 1000,
    1000,
    async (i, caller) =>
      actionOf(await warden.request(agents[caller]!, { operation: 'update_ticket', resourceId: `ticket-${i % 17}` }))
        .status === 'ALLOWED',
  );
  const drained = await quiesce(stack, 10_000);
  console.table({
    [`LOW @${CALLERS}`]: {
      perSecond: r.perSecond,
      p50: r.latency.p50,
      p99: r.latency.p99,
      failed: r.failed,
      drainMs: drained,
      ...meter.since(r.allFinished),
    },
  });
});
