/**
 * Throughput: sustained decisions per second with 1, 8 and 32 concurrent callers (a closed loop; each
 * caller has its own agent, as agents are separate identities), against the floor's Updates per second
 * with the same callers on as many running workflows. Floor and Warden alternate; what completes inside
 * each window counts. The routine (LOW) path against (a) is the target; the sensitive path against (b) is
 * reported beside it.
 */
import { closedLoop, mergeRuns, type LoopResult, type RawLoopResult } from '../lib/load.js';
import { fmtX, target, writeResult, type Target } from '../lib/report.js';
import { cpuMeter, quiesce } from '../lib/stack.js';
import { ratio } from '../lib/stats.js';
import { actionOf } from '../lib/warden.js';
import { AUDIT_FLUSH_MS } from '../../workflows/agent/outboxes.js';
import type { BenchContext } from './context.js';

export async function throughput(ctx: BenchContext): Promise<Target[]> {
  const { warden, floor, sizes, agents } = ctx;
  const levels = [1, 8, 32];
  const outcomes: Record<string, number> = {};
  const count = (k: string) => (outcomes[k] = (outcomes[k] ?? 0) + 1);
  const tokensReady = () => Promise.all(agents.map((a) => a.token()));

  const lowOp = async (i: number, caller: number) => {
    const agent = agents[caller % agents.length]!;
    const a = actionOf(await warden.request(agent, { operation: 'update_ticket', resourceId: `ticket-${i % 17}` }));
    const ok = a.status === 'ALLOWED' && a.workflowId.startsWith('agent:');
    if (!ok) count(`low: ${a.status} in ${a.workflowId.split(':')[0]}`);
    return ok;
  };
  const sensitiveOp = async (i: number, caller: number) => {
    const agent = agents[caller % agents.length]!;
    const a = actionOf(await warden.request(agent, { operation: 'read_customer', resourceId: `cust-${i % 17}` }));
    const ok = a.status === 'ALLOWED' && a.workflowId.startsWith('action:');
    if (!ok) count(`sensitive: ${a.status}`);
    return ok;
  };
  const pingOp = async (i: number, caller: number) => (await floor.ping(i, caller), true);
  const uwsOp = async (i: number) => (await floor.startNoop(i), true);

  // CPU each process spends per operation (warm-up included): which process the work lands on. A Warden
  // run leaves work behind (its agents hand their audit records over up to AUDIT_FLUSH_MS later): it is
  // waited for and counted with that run, so it never lands in the next run's window.
  const cpu: Record<string, Record<number, Record<string, number>>> = {
    floorUpdate: {},
    low: {},
    floorUpdateWithStart: {},
    sensitive: {},
  };
  const metered = async (kind: string, c: number, run: () => Promise<RawLoopResult>) => {
    await quiesce(ctx.stack);
    const meter = cpuMeter(ctx.stack);
    const r = await run();
    if (kind === 'low' || kind === 'sensitive') {
      await new Promise((resolve) => setTimeout(resolve, AUDIT_FLUSH_MS + 500));
      await quiesce(ctx.stack);
    }
    const perOp = meter.since(r.allFinished);
    const prev = cpu[kind]![c];
    // Several runs: keep the mean.
    cpu[kind]![c] = prev
      ? Object.fromEntries(Object.entries(perOp).map(([k, v]) => [k, Math.round(((prev[k]! + v) / 2) * 100) / 100]))
      : perOp;
    return r;
  };

  const results: Record<string, Record<number, LoopResult & { runs: number }>> = {
    floorUpdate: {},
    low: {},
    floorUpdateWithStart: {},
    sensitive: {},
  };
  for (const c of levels) {
    const a: RawLoopResult[] = [];
    const low: RawLoopResult[] = [];
    for (let rep = 0; rep < sizes.throughputReps; rep++) {
      ctx.log(`throughput: concurrency ${c}, run ${rep + 1}/${sizes.throughputReps}: floor (a), then LOW`);
      a.push(
        await metered('floorUpdate', c, () => closedLoop(c, sizes.throughputMs, sizes.throughputWarmupMs, pingOp)),
      );
      await tokensReady();
      low.push(await metered('low', c, () => closedLoop(c, sizes.throughputMs, sizes.throughputWarmupMs, lowOp)));
    }
    results.floorUpdate![c] = mergeRuns(a);
    results.low![c] = mergeRuns(low);
  }
  // The sensitive path at 1 caller is its latency (decision-latency); here 8 and 32.
  for (const c of levels.slice(1)) {
    ctx.log(`throughput: concurrency ${c}: floor (b), then sensitive`);
    const b = await metered('floorUpdateWithStart', c, () =>
      closedLoop(c, sizes.throughputMs, sizes.throughputWarmupMs, uwsOp),
    );
    await tokensReady();
    const s = await metered('sensitive', c, () =>
      closedLoop(c, sizes.throughputMs, sizes.throughputWarmupMs, sensitiveOp),
    );
    results.floorUpdateWithStart![c] = mergeRuns([b]);
    results.sensitive![c] = mergeRuns([s]);
  }

  const ratios = Object.fromEntries(
    levels.map((c) => [
      c,
      {
        lowOverFloorUpdate: ratio(results.low![c]!.perSecond, results.floorUpdate![c]!.perSecond),
        ...(results.sensitive![c]
          ? {
              sensitiveOverFloorUpdateWithStart: ratio(
                results.sensitive![c]!.perSecond,
                results.floorUpdateWithStart![c]!.perSecond,
              ),
            }
          : {}),
      },
    ]),
  ) as Record<number, { lowOverFloorUpdate: number; sensitiveOverFloorUpdateWithStart?: number }>;
  const targets = [
    target(
      'LOW decisions/s ÷ floor (a) Updates/s at concurrency 32',
      '≥ 0.5×',
      ratios[32]!.lowOverFloorUpdate,
      0.5,
      'min',
    ),
  ];
  const file = writeResult('throughput', {
    benchmark: 'throughput',
    machine: ctx.machine,
    method: {
      load: 'closed loop: N callers, each sends its next request when the last one answers; completions inside the window count',
      callers: 'caller k acts as agent k (32 agents) / updates floor workflow k (32 running floor workflows)',
      windowSeconds: sizes.throughputMs / 1000,
      warmupSeconds: sizes.throughputWarmupMs / 1000,
      repetitions: { lowAndFloorUpdate: sizes.throughputReps, sensitiveAndFloorUpdateWithStart: 1 },
      order: `per concurrency: floor (a) then LOW; then at 8 and 32 callers floor (b) then sensitive (at 1 caller the sensitive path is its latency); before each run the previous run's background work drains (server + worker under 15% of a core, at most 4 s); after a Warden run, its agents' deferred audit hand-overs (up to ${AUDIT_FLUSH_MS / 1000} s later) are waited for first`,
      decisions: 'ALLOW path only; any other outcome is counted under unexpected and not as a decision',
      cpuMsPerOperation:
        'CPU time (user+system, /proc) each process used during a run (warm-up included, and for Warden runs until their deferred audit work is done) divided by the operations that finished in it; the work behind a decision that happens after its answer (audit, learning) lands here too',
    },
    perSecond: Object.fromEntries(
      Object.entries(results).map(([k, byC]) => [
        k,
        Object.fromEntries(Object.entries(byC).map(([c, r]) => [c, r.perSecond])),
      ]),
    ),
    ratios,
    cpuMsPerOperation: cpu,
    runs: results,
    unexpected: outcomes,
    targets,
  });
  ctx.log(`throughput → ${file}`);
  for (const c of levels) {
    ctx.summary.push({
      benchmark: 'throughput',
      figure: `LOW decisions/s @${c}`,
      value: `${results.low![c]!.perSecond}/s`,
      baseline: `(a) ${results.floorUpdate![c]!.perSecond}/s`,
      ratio: fmtX(ratios[c]!.lowOverFloorUpdate),
      ...(c === 32 ? { target: '≥ 0.50×' } : {}),
    });
  }
  for (const c of levels.slice(1)) {
    ctx.summary.push({
      benchmark: 'throughput',
      figure: `sensitive decisions/s @${c}`,
      value: `${results.sensitive![c]!.perSecond}/s`,
      baseline: `(b) ${results.floorUpdateWithStart![c]!.perSecond}/s`,
      ratio: fmtX(ratios[c]!.sensitiveOverFloorUpdateWithStart!),
    });
  }
  return targets;
}
