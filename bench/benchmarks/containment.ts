/**
 * Containment time: from sending the anomalous request (10,000 records where the agent's baseline has
 * single records) to the moment every earlier token of the agent is rejected — probed with a token issued
 * just before, on the API process that decided AND on a second API process, which hears of it on the
 * revocation broadcast (without it, within WARDEN_REVOCATION_CACHE, 500 ms by default). The time for a sample
 * is the later of the two first rejections (each probe's answer time: an upper bound, probes ~5 ms apart).
 * Baseline: Temporal's floor (b), Update-with-Start of a do-nothing workflow, one per sample.
 */
import { gql } from '../lib/http.js';
import { fmtMs, fmtX, target, writeResult, type Target } from '../lib/report.js';
import { freePort } from '../../launcher/ports.js';
import { ms, ratio, summarize } from '../lib/stats.js';
import { actionOf, type BenchAgent } from '../lib/warden.js';
import type { BenchContext } from './context.js';

const VIEWER = `{ viewer { kind } }`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

export async function containment(ctx: BenchContext): Promise<Target[]> {
  const { warden, floor, sizes, stack } = ctx;
  let api2 = stack.secondApiGraphqlUrl;
  if (!api2) {
    const port = await freePort();
    ctx.log('containment: starting a second API process (the revocation view of "another" API)');
    await stack.startPart('api-2', 'api/main.ts', { ...stack.env, WARDEN_API_PORT: String(port) });
    api2 = `http://127.0.0.1:${port}/graphql`;
  }
  const api1 = stack.graphqlUrl;

  const viewerStatus = async (url: string, token: string) =>
    (await gql(warden.http, url, VIEWER, undefined, token)).status;
  const resume = async (agent: BenchAgent) => {
    const r = await warden.gql(
      `mutation($i: AgentStatusChangeInput!) { resumeAgent(input: $i) { agent { status } } }`,
      { i: { agentId: agent.id, reason: 'bench: ready for the next containment sample' } },
      warden.admin,
    );
    if (r.errors?.length && r.errors[0]?.extensions?.code !== 'CONFLICT')
      throw new Error(`resume failed: ${JSON.stringify(r.errors)}`);
  };
  /** Sends probes with `token` to `url` until one is refused; its answer time since `t0`. */
  const firstRejection = async (url: string, token: string, t0: bigint): Promise<number> => {
    for (;;) {
      const status = await viewerStatus(url, token);
      const at = ms(t0);
      if (status === 401) return at;
      if (at > 15_000) return NaN;
      await sleep(5);
    }
  };

  const samples: {
    total: number;
    sameApi: number;
    otherApi: number;
    decision: number;
    floorUpdateWithStart: number;
  }[] = [];
  const problems: string[] = [];
  const agents = ctx.warmAgents;
  ctx.log(
    `containment: ${sizes.containmentSamples} samples over ${agents.length} agents (resumed between samples; their baselines do not learn held actions)`,
  );
  for (let s = 0; s < sizes.containmentSamples + 2; s++) {
    const agent = agents[s % agents.length]!;
    await resume(agent);
    const earlier = await agent.freshToken();
    // Both API processes accept the earlier token now (and have the agent's session in their caches).
    for (const url of [api1, api2]) {
      const deadline = Date.now() + 5_000;
      while ((await viewerStatus(url, earlier)) !== 200) {
        if (Date.now() > deadline) throw new Error('containment: a fresh token was not accepted within 5 s');
        await sleep(20);
      }
    }
    const tf = process.hrtime.bigint();
    await floor.startNoop(s);
    const floorMs = ms(tf);

    const t0 = process.hrtime.bigint();
    let decisionMs = NaN;
    const decided = warden
      .request(agent, { operation: 'read_customer', volume: 10_000, justification: 'quarterly export' }, earlier)
      .then((r) => {
        decisionMs = ms(t0);
        return r;
      });
    const [sameApi, otherApi] = await Promise.all([
      firstRejection(api1, earlier, t0),
      firstRejection(api2, earlier, t0),
    ]);
    const action = actionOf(await decided);
    if (!action.contained || action.status !== 'PENDING_APPROVAL') {
      problems.push(`sample ${s}: ${action.status}, contained ${action.contained}`);
      continue;
    }
    if (s < 2) continue; // warm-up
    samples.push({
      total: Math.max(sameApi, otherApi),
      sameApi,
      otherApi,
      decision: decisionMs,
      floorUpdateWithStart: floorMs,
    });
  }

  // Leave the agents usable for the benchmarks that follow.
  for (const agent of agents) await resume(agent);

  const total = summarize(samples.map((x) => x.total));
  const sameApi = summarize(samples.map((x) => x.sameApi));
  const otherApi = summarize(samples.map((x) => x.otherApi));
  const decision = summarize(samples.map((x) => x.decision));
  const floorB = summarize(samples.map((x) => x.floorUpdateWithStart));
  const targets = [
    target(
      'containment p99 (every earlier token rejected, both API processes)',
      '< 250 ms',
      total.p99,
      250,
      'max',
      `${samples.length} samples: p99 is close to the maximum`,
    ),
  ];
  const file = writeResult('containment', {
    benchmark: 'containment',
    machine: ctx.machine,
    method: {
      anomaly:
        "read_customer with volume 10,000 by an agent whose baseline holds single-record reads: REVIEW above the containment threshold → answered at once; the deciding API refuses every earlier token and announces it on the revocation broadcast before it answers, the agent's workflow records the suspension right after, approval opened",
      probe:
        '{ viewer { kind } } with an access token issued just before the request, on API process 1 (which decided) and API process 2, ~5 ms apart, until HTTP 401',
      sampleTime:
        'max(first rejection on API 1, first rejection on API 2), measured from sending the anomalous request',
      revocationCacheMs: stack.config.credentials.revocationCacheMs,
      samples: samples.length,
      warmupSamples: 2,
      baseline: "Temporal's floor (b), one Update-with-Start of a do-nothing workflow per sample, just before it",
    },
    containmentMs: total,
    firstRejectionSameApiMs: sameApi,
    firstRejectionOtherApiMs: otherApi,
    decisionMs: decision,
    floorUpdateWithStartMs: floorB,
    ratios: {
      p50OverFloorUpdateWithStart: ratio(total.p50, floorB.p50),
      p99OverFloorUpdateWithStart: ratio(total.p99, floorB.p99),
      decisionP50OverFloorUpdateWithStart: ratio(decision.p50, floorB.p50),
    },
    problems,
    targets,
  });
  ctx.log(`containment → ${file}`);
  ctx.summary.push(
    {
      benchmark: 'containment',
      figure: 'all earlier tokens rejected p50',
      value: fmtMs(total.p50),
      baseline: `(b) ${fmtMs(floorB.p50)}`,
      ratio: fmtX(ratio(total.p50, floorB.p50)),
    },
    {
      benchmark: 'containment',
      figure: 'all earlier tokens rejected p99',
      value: fmtMs(total.p99),
      baseline: `(b) ${fmtMs(floorB.p99)}`,
      ratio: fmtX(ratio(total.p99, floorB.p99)),
      target: '< 250 ms',
    },
    {
      benchmark: 'containment',
      figure: '  … on the deciding API p50',
      value: fmtMs(sameApi.p50),
      baseline: `decision ${fmtMs(decision.p50)}`,
      ratio: fmtX(ratio(sameApi.p50, decision.p50)),
    },
  );
  return targets;
}
