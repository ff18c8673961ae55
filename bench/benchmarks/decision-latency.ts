/**
 * Decision latency of requestAction on the ALLOW path, over HTTP GraphQL to the API process, against
 * Temporal's floor through the same server (kinds interleaved round by round, so background load on a
 * shared machine hits every kind alike):
 *  - LOW (routine): one Update on the agent's running workflow;
 *    floor (a): a bare Update on a running workflow;
 *  - sensitive (MEDIUM): Update-with-Start of `action:<id>`;
 *    floor (b): Update-with-Start of a do-nothing workflow;
 *  - (c) a GraphQL query that touches no workflow (`viewer`, the agent's token): HTTP + GraphQL + auth alone.
 */
import { ms, ratio, summarize } from '../lib/stats.js';
import { fmtMs, fmtX, target, writeResult } from '../lib/report.js';
import { actionOf } from '../lib/warden.js';
import type { BenchContext } from './context.js';

type Kind = 'floorUpdate' | 'floorUpdateWithStart' | 'graphqlNoWorkflow' | 'low' | 'sensitive';
const KINDS: Kind[] = ['floorUpdate', 'low', 'floorUpdateWithStart', 'sensitive', 'graphqlNoWorkflow'];

export async function decisionLatency(ctx: BenchContext) {
  const { warden, floor, sizes, warmAgents: agents } = ctx;
  const samples: Record<Kind, number[]> = {
    floorUpdate: [],
    floorUpdateWithStart: [],
    graphqlNoWorkflow: [],
    low: [],
    sensitive: [],
  };
  const unexpected: Record<string, number> = {};
  const note = (what: string) => (unexpected[what] = (unexpected[what] ?? 0) + 1);
  let n = 0;

  // Each op prepares outside the timing (the agent's cached token) and returns its latency, or null.
  const ops: Record<Kind, (i: number) => Promise<number | null>> = {
    floorUpdate: async (i) => {
      const t = process.hrtime.bigint();
      await floor.ping(i);
      return ms(t);
    },
    floorUpdateWithStart: async (i) => {
      const t = process.hrtime.bigint();
      await floor.startNoop(i);
      return ms(t);
    },
    graphqlNoWorkflow: async (i) => {
      const agent = agents[i % agents.length]!;
      const token = await agent.token();
      const t = process.hrtime.bigint();
      const r = await warden.gql(`{ viewer { kind subject } }`, undefined, token);
      const elapsed = ms(t);
      if (r.data?.viewer?.kind !== 'AGENT')
        return (note(`viewer: ${JSON.stringify(r.errors ?? r.data).slice(0, 120)}`), null);
      return elapsed;
    },
    low: async (i) => {
      const agent = agents[i % agents.length]!;
      const token = await agent.token();
      const t = process.hrtime.bigint();
      const r = await warden.request(agent, { operation: 'update_ticket', resourceId: `ticket-${i % 17}` }, token);
      const elapsed = ms(t);
      const a = actionOf(r);
      if (a.status !== 'ALLOWED' || !a.workflowId.startsWith('agent:'))
        return (note(`low: ${a.status} in ${a.workflowId.split(':')[0]}`), null);
      return elapsed;
    },
    sensitive: async (i) => {
      const agent = agents[i % agents.length]!;
      const token = await agent.token();
      const t = process.hrtime.bigint();
      const r = await warden.request(agent, { operation: 'read_customer', resourceId: `cust-${i % 17}` }, token);
      const elapsed = ms(t);
      const a = actionOf(r);
      if (a.status !== 'ALLOWED' || !a.workflowId.startsWith('action:')) return (note(`sensitive: ${a.status}`), null);
      return elapsed;
    },
  };

  ctx.log(`decision latency: warm-up ${sizes.latencyWarmup} of each kind`);
  for (const kind of KINDS) for (let w = 0; w < sizes.latencyWarmup; w++) await ops[kind](n++);

  ctx.log(`decision latency: ${sizes.latencyRounds} rounds × ${sizes.latencyBatch} samples of each kind, interleaved`);
  const started = performance.now();
  for (let r = 0; r < sizes.latencyRounds; r++) {
    const order = KINDS.map((_, k) => KINDS[(k + r) % KINDS.length]!);
    for (const kind of order) {
      for (let b = 0; b < sizes.latencyBatch; b++) {
        const x = await ops[kind](n++);
        if (x !== null) samples[kind].push(x);
      }
    }
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;

  const s = Object.fromEntries(KINDS.map((k) => [k, summarize(samples[k])])) as Record<
    Kind,
    ReturnType<typeof summarize>
  >;
  const ratios = {
    lowOverFloorUpdate: {
      p50: ratio(s.low.p50, s.floorUpdate.p50),
      p95: ratio(s.low.p95, s.floorUpdate.p95),
      p99: ratio(s.low.p99, s.floorUpdate.p99),
    },
    sensitiveOverFloorUpdateWithStart: {
      p50: ratio(s.sensitive.p50, s.floorUpdateWithStart.p50),
      p95: ratio(s.sensitive.p95, s.floorUpdateWithStart.p95),
      p99: ratio(s.sensitive.p99, s.floorUpdateWithStart.p99),
    },
    graphqlNoWorkflowOverFloorUpdate: { p50: ratio(s.graphqlNoWorkflow.p50, s.floorUpdate.p50) },
    /** What Warden adds over (a), less what HTTP + GraphQL + auth alone costs (c). */
    lowMinusGraphqlOverFloorUpdate: { p50: ratio(s.low.p50 - s.graphqlNoWorkflow.p50, s.floorUpdate.p50) },
    sensitiveMinusGraphqlOverFloorUpdateWithStart: {
      p50: ratio(s.sensitive.p50 - s.graphqlNoWorkflow.p50, s.floorUpdateWithStart.p50),
    },
  };
  const targets = [
    target('LOW p50 / floor (a) p50', '≤ 1.25×', ratios.lowOverFloorUpdate.p50, 1.25, 'max'),
    target('LOW p99 / floor (a) p99', '≤ 2×', ratios.lowOverFloorUpdate.p99, 2, 'max'),
    target('sensitive p50 / floor (b) p50', '≤ 1.5×', ratios.sensitiveOverFloorUpdateWithStart.p50, 1.5, 'max'),
    target('sensitive p99 / floor (b) p99', '≤ 1.5×', ratios.sensitiveOverFloorUpdateWithStart.p99, 1.5, 'max'),
  ];
  const file = writeResult('decision-latency', {
    benchmark: 'decision-latency',
    machine: ctx.machine,
    method: {
      warden:
        'requestAction over HTTP GraphQL (keep-alive) to the API process, as the agent (its access token); ALLOW path only (any other outcome is counted under unexpected and left out)',
      low: "update_ticket (LOW, allowed): one Update (decideRoutineAction) on the agent's running workflow",
      sensitive: 'read_customer (MEDIUM, allowed, volume 1): Update-with-Start of its own action:<id> workflow',
      floorUpdate:
        "(a) Temporal client → executeUpdate on an already-running workflow whose handler returns at once (bench/floor), same server, Warden's data converter (AES-GCM codec), its own worker process",
      floorUpdateWithStart:
        '(b) Temporal client → executeUpdateWithStart of a workflow that only answers the Update and finishes',
      graphqlNoWorkflow:
        "(c) { viewer { kind subject } } with the agent's access token: HTTP + GraphQL + token check (revocation cache warm), no workflow",
      agents: agents.length,
      floorWorkflows: floor.waiters.length,
      samplesPerKind: sizes.latencyRounds * sizes.latencyBatch,
      warmupPerKind: sizes.latencyWarmup,
      interleaving: `${sizes.latencyRounds} rounds; each round runs ${sizes.latencyBatch} sequential samples (concurrency 1) of every kind, in a rotating order`,
      seconds,
    },
    latencyMs: s,
    ratios,
    unexpected,
    targets,
  });
  ctx.log(`decision latency → ${file}`);
  ctx.summary.push(
    {
      benchmark: 'decision-latency',
      figure: 'LOW p50',
      value: fmtMs(s.low.p50),
      baseline: `(a) ${fmtMs(s.floorUpdate.p50)}`,
      ratio: fmtX(ratios.lowOverFloorUpdate.p50),
      target: '≤ 1.25×',
    },
    {
      benchmark: 'decision-latency',
      figure: 'LOW p95',
      value: fmtMs(s.low.p95),
      baseline: `(a) ${fmtMs(s.floorUpdate.p95)}`,
      ratio: fmtX(ratios.lowOverFloorUpdate.p95),
    },
    {
      benchmark: 'decision-latency',
      figure: 'LOW p99',
      value: fmtMs(s.low.p99),
      baseline: `(a) ${fmtMs(s.floorUpdate.p99)}`,
      ratio: fmtX(ratios.lowOverFloorUpdate.p99),
      target: '≤ 2.00×',
    },
    {
      benchmark: 'decision-latency',
      figure: 'sensitive p50',
      value: fmtMs(s.sensitive.p50),
      baseline: `(b) ${fmtMs(s.floorUpdateWithStart.p50)}`,
      ratio: fmtX(ratios.sensitiveOverFloorUpdateWithStart.p50),
      target: '≤ 1.50×',
    },
    {
      benchmark: 'decision-latency',
      figure: 'sensitive p95',
      value: fmtMs(s.sensitive.p95),
      baseline: `(b) ${fmtMs(s.floorUpdateWithStart.p95)}`,
      ratio: fmtX(ratios.sensitiveOverFloorUpdateWithStart.p95),
    },
    {
      benchmark: 'decision-latency',
      figure: 'sensitive p99',
      value: fmtMs(s.sensitive.p99),
      baseline: `(b) ${fmtMs(s.floorUpdateWithStart.p99)}`,
      ratio: fmtX(ratios.sensitiveOverFloorUpdateWithStart.p99),
      target: '≤ 1.50×',
    },
    {
      benchmark: 'decision-latency',
      figure: '(c) GraphQL, no workflow p50',
      value: fmtMs(s.graphqlNoWorkflow.p50),
      baseline: `(a) ${fmtMs(s.floorUpdate.p50)}`,
      ratio: fmtX(ratios.graphqlNoWorkflowOverFloorUpdate.p50),
    },
  );
  return { latency: s, targets };
}
