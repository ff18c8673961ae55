/**
 * tsx bench/profile/eviction.ts — what an evicted workflow costs a decision. The worker keeps
 * WARDEN_WORKER_CACHED_WORKFLOWS workflows in memory (this profile sets 60 unless given); an agent's
 * routine decision is an Update on its workflow, and when that workflow was evicted the worker first
 * replays its history. Hot agents (8) are used every other call and stay cached; cold agents (one and a
 * half times the cache) take turns, so each was evicted since its last call. Every agent first gets the same
 * history (BENCH_PROFILE_HISTORY routine decisions each, default 10, made while it is cached); the table
 * gives both latencies and the history length that was replayed.
 */
import { inLanes } from '../lib/load.js';
import { cpuMeter, quiesce } from '../lib/stack.js';
import { summarize } from '../lib/stats.js';
import { actionOf, Warden, type BenchAgent } from '../lib/warden.js';
import { withProfileStack } from './steps.js';

process.env.WARDEN_WORKER_CACHED_WORKFLOWS ??= '60';
const CACHE = Number(process.env.WARDEN_WORKER_CACHED_WORKFLOWS);
const HISTORY = Number(process.env.BENCH_PROFILE_HISTORY ?? 10);
const SAMPLES = Number(process.env.BENCH_PROFILE_SAMPLES ?? 60);

await withProfileStack(async (stack) => {
  const warden = new Warden(stack);
  await warden.setup();
  const register = (n: number, kind: string) =>
    Promise.all(Array.from({ length: n }, (_, i) => warden.registerAgent(`${kind} agent ${i}`)));
  const hot = await register(8, 'Hot');
  const cold = await register(Math.ceil(1.5 * CACHE), 'Cold');
  let seq = 0;
  const decide = async (agent: BenchAgent) => {
    const t = performance.now();
    const a = actionOf(await warden.request(agent, { operation: 'update_ticket', resourceId: `ticket-${seq++ % 17}` }));
    if (a.status !== 'ALLOWED') throw new Error(`a routine decision was ${a.status}`);
    return performance.now() - t;
  };
  console.log(`building a history of ${HISTORY} routine decisions on each of ${hot.length + cold.length} agents`);
  const all = [...hot, ...cold];
  // Eight lanes, each agent's decisions back to back (so it stays cached while its history grows).
  await inLanes(all.length, 8, async (a) => {
    for (let k = 0; k < HISTORY; k++) await decide(all[a]!);
  });
  // Tokens first, so the measured calls are decisions only.
  await Promise.all(all.map((a) => a.token()));
  const historyLength = (await stack.client.workflow.getHandle(`agent:${cold[0]!.id}`).describe()).historyLength;
  await quiesce(stack);
  const times = { hot: [] as number[], cold: [] as number[] };
  const meter = cpuMeter(stack);
  for (let i = 0; i < SAMPLES; i++) {
    times.hot.push(await decide(hot[i % hot.length]!));
    times.cold.push(await decide(cold[i % cold.length]!));
  }
  const cpu = meter.since(2 * SAMPLES);
  console.log(
    `cache ${CACHE} workflows; each agent's history ${historyLength} events; ${SAMPLES} decisions of each kind, alternating`,
  );
  console.table({ hot: summarize(times.hot), cold: summarize(times.cold) });
  console.log('CPU ms per decision (both kinds together), by process:');
  console.table(cpu);
});
