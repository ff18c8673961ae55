/**
 * tsx bench/profile/token-endpoint.ts — where the token endpoint's time goes under load, on the same kind
 * of stack as npm run bench: client_credentials tokens at concurrency 1, 8 and 32 (assertions signed
 * beforehand), with the CPU each process used per token (the audit trail's work after the answer included).
 * BENCH_CPU_PROF=<dir> writes V8 CPU profiles of every part (see bench/lib/stack.ts).
 */
import { closedLoop } from '../lib/load.js';
import { cpuMeter, quiesce } from '../lib/stack.js';
import { FORM, tokenForm, Warden } from '../lib/warden.js';
import { withProfileStack } from './steps.js';

const SECONDS = Number(process.env.BENCH_PROFILE_SECONDS ?? 4);
await withProfileStack(async (stack) => {
  const warden = new Warden(stack);
  await warden.setup();
  const agents = await Promise.all(Array.from({ length: 32 }, (_, i) => warden.registerAgent(`Token agent ${i}`)));
  const rows: Record<string, Record<string, number>> = {};
  for (const c of (process.env.BENCH_PROFILE_LEVELS ?? '1,8,32').split(',').map(Number)) {
    const pools = await Promise.all(
      agents
        .slice(0, c)
        .map((a) =>
          Promise.all(Array.from({ length: Math.ceil((1500 * (SECONDS + 1)) / c) + 20 }, () => a.assertion(120))),
        ),
    );
    await quiesce(stack);
    const meter = cpuMeter(stack);
    const r = await closedLoop(c, SECONDS * 1000, 500, async (_i, caller) => {
      const res = await warden.http.post(`${stack.apiUrl}/oauth/token`, tokenForm(pools[caller]!.pop()!), FORM);
      return res.status === 200;
    });
    const drained = await quiesce(stack, 10_000);
    rows[`@${c}`] = {
      perSecond: r.perSecond,
      p50: r.latency.p50,
      p99: r.latency.p99,
      failed: r.failed,
      drainMs: drained,
      ...meter.since(r.allFinished),
    };
  }
  console.log('tokens/s, latency (ms) and CPU ms per token by process (work until drained included):');
  console.table(rows);
});
