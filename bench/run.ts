/**
 * npm run bench — Warden's performance against baselines measured in the same run.
 *
 * Starts its own stack on the embedded default (a Temporal dev server on a fresh SQLite file, a worker
 * process, an API process — as `npm start` does — plus the floor's worker and node-oidc-provider in
 * processes of their own), runs each benchmark after a warm-up, writes bench/results/<name>.json and
 * prints one summary table. Every machine-dependent figure sits beside its same-run baseline as a ratio.
 *
 *   BENCH_QUICK=1          small sample sizes (development; the figures are not meaningful)
 *   BENCH_ONLY=a,b         run only these benchmarks (decision-latency, throughput, containment,
 *                          token-endpoint, grant-verification, scoring, mcp-gateway, scale)
 *   BENCH_KEEP=1           keep the data folder (logs, database) afterwards
 *   BENCH_RESULTS_DIR      write the result files there instead of bench/results
 *   BENCH_BUDGET_SECONDS   the run's time budget (default 645): the scale benchmark registers fewer
 *                          agents rather than overrun it, and says so in its JSON
 *   BENCH_CLUSTER=2x2      on a real Temporal cluster instead (bench/lib/cluster-stack.ts) with that many API
 *                          processes and workers: decision latency, throughput and containment against the
 *                          floor on the same cluster, written to bench/results/cluster/<shape>
 *                          (`npm run bench:cluster` runs 1x1, then 2x2)
 */
import fs from 'node:fs';
import { containment } from './benchmarks/containment.js';
import { FULL, QUICK, type BenchContext } from './benchmarks/context.js';
import { decisionLatency } from './benchmarks/decision-latency.js';
import { grantVerification, scoring } from './benchmarks/in-process.js';
import { mcpGateway } from './benchmarks/mcp-gateway.js';
import { scale } from './benchmarks/scale.js';
import { throughput } from './benchmarks/throughput.js';
import { tokenEndpoint } from './benchmarks/token-endpoint.js';
import { Floor } from './lib/floor.js';
import { machineInfo, printTable, writeResult, type SummaryRow, type Target } from './lib/report.js';
import { startBenchStack, type BenchStack } from './lib/stack.js';
import { clusterShape, startClusterBenchStack } from './lib/cluster-stack.js';
import { actionOf, Warden, type BenchAgent } from './lib/warden.js';
import { writeReadme } from './readme.js';

const ALL = [
  'grant-verification',
  'scoring',
  'decision-latency',
  'throughput',
  'containment',
  'token-endpoint',
  'mcp-gateway',
  'scale',
] as const;
type Name = (typeof ALL)[number];

const quick = process.env.BENCH_QUICK === '1';
const cluster = process.env.BENCH_CLUSTER ? clusterShape(process.env.BENCH_CLUSTER) : null;
/** On a cluster: what a cluster changes (the in-process figures, tokens and scale are the dev server's run's). */
const ON_A_CLUSTER = ['decision-latency', 'throughput', 'containment'];
const only = new Set(
  (process.env.BENCH_ONLY ?? (cluster ? ON_A_CLUSTER : ALL).join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
for (const n of only)
  if (!(cluster ? ON_A_CLUSTER : (ALL as readonly string[])).includes(n))
    throw new Error(
      `BENCH_ONLY: unknown benchmark "${n}"${cluster ? ' on a cluster' : ''} (known: ${(cluster ? ON_A_CLUSTER : ALL).join(', ')})`,
    );
const wants = (n: Name) => only.has(n);
/** What the MCP gateway benchmark needs of the budget (it runs last). */
const MCP_RESERVE_MS = 75_000;

const t0 = performance.now();
/** The whole run's time budget: ten minutes on 2 cores, and the MCP gateway's minute and a quarter. */
const budgetSeconds = Number(process.env.BENCH_BUDGET_SECONDS ?? 645);
const log = (line: string) =>
  console.log(`bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)}s  ${line}`);
const sizes = quick ? QUICK : FULL;
const machine = machineInfo();
const summary: SummaryRow[] = [];
const targets: (Target & { benchmark: string })[] = [];
log(
  `${quick ? 'QUICK run (small samples; figures not meaningful)' : 'full run'}${cluster ? ` on a Temporal cluster, ${cluster.apis} API + ${cluster.workers} worker processes,` : ''} on ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}`,
);

let stack: BenchStack | undefined;
let exitCode = 0;
try {
  // In-process benchmarks first, while nothing else runs in this process.
  if (wants('grant-verification'))
    targets.push(...tag('grant-verification', await grantVerification({ sizes, machine, log, summary })));
  if (wants('scoring')) targets.push(...tag('scoring', await scoring({ sizes, machine, log, summary })));

  const needsStack = ALL.some((n) => n !== 'grant-verification' && n !== 'scoring' && wants(n));
  if (needsStack) {
    stack = cluster ? await startClusterBenchStack(log, cluster) : await startBenchStack(log);
    const warden = new Warden(stack);
    await warden.setup();
    const floor = new Floor(stack.client);
    await floor.startWaiters(32);

    const warmCount = quick ? 4 : 8;
    log(`registering ${warmCount} agents and warming their baselines (24 routine requests each)`);
    const warmAgents = await Promise.all(
      Array.from({ length: warmCount }, (_, i) => warden.registerAgent(`Bench warm agent ${i}`)),
    );
    await Promise.all(warmAgents.map((a) => warmUp(warden, a, 24)));
    const ctx: BenchContext = {
      stack,
      warden,
      floor,
      sizes,
      quick,
      machine,
      warmAgents,
      agents: [...warmAgents],
      log,
      summary,
      deadline: t0 + budgetSeconds * 1000,
    };
    const ensureAgents = async (n: number) => {
      const more = await Promise.all(
        Array.from({ length: Math.max(0, n - ctx.agents.length) }, (_, i) =>
          warden.registerAgent(`Bench agent ${ctx.agents.length + i}`),
        ),
      );
      ctx.agents.push(...more);
    };

    if (wants('decision-latency')) targets.push(...tag('decision-latency', (await decisionLatency(ctx)).targets));
    if (wants('throughput')) {
      await ensureAgents(32);
      targets.push(...tag('throughput', await throughput(ctx)));
    }
    if (wants('containment')) targets.push(...tag('containment', await containment(ctx)));
    if (wants('token-endpoint')) {
      await ensureAgents(32);
      targets.push(...tag('token-endpoint', await tokenEndpoint(ctx)));
    }
    // Scale fills what is left of the budget, so the MCP gateway (about a minute) runs after it, on a reserve.
    if (wants('scale'))
      targets.push(
        ...tag('scale', await scale({ ...ctx, deadline: ctx.deadline - (wants('mcp-gateway') ? MCP_RESERVE_MS : 0) })),
      );
    if (wants('mcp-gateway')) targets.push(...tag('mcp-gateway', await mcpGateway(ctx)));
    await floor.stopWaiters();
  }
} catch (err) {
  exitCode = 1;
  console.error('bench: failed:', err);
} finally {
  if (stack) {
    log('stopping the stack');
    await stack.stop().catch((err) => console.error('bench: stopping:', err));
    if (process.env.BENCH_KEEP === '1') log(`kept ${stack.dataDir}`);
    else fs.rmSync(stack.dataDir, { recursive: true, force: true });
  }
}

const totalSeconds = Math.round((performance.now() - t0) / 1000);
console.log('');
const table = printTable(summary);
console.log('');
for (const t of targets)
  console.log(
    `${t.met ? 'MET   ' : 'MISSED'} ${t.benchmark}: ${t.name} ${t.target} — ${t.value}${t.note ? ` (${t.note})` : ''}`,
  );
writeResult('summary', {
  benchmark: 'summary',
  machine,
  quick,
  ...(cluster ? { temporal: `cluster: ${cluster.apis} API + ${cluster.workers} worker processes` } : {}),
  totalSeconds,
  table,
  targets,
});
// A full run into bench/results is the one bench/README.md shows.
if (!quick && !cluster && !process.env.BENCH_RESULTS_DIR && !process.env.BENCH_ONLY && exitCode === 0) writeReadme();
log(`done in ${totalSeconds} s${quick ? ' (QUICK)' : ''}`);
process.exit(exitCode);

function tag(benchmark: string, ts: Target[]) {
  return ts.map((t) => ({ ...t, benchmark }));
}

/**
 * Weeks of routine work, compressed: single-record reads (sensitive path) and ticket updates (routine path),
 * in every order the benchmarks then use — reads back to back too, or the sequence signal rightly holds the
 * second of two reads in a row from an agent that never made one.
 */
async function warmUp(warden: Warden, agent: BenchAgent, n: number): Promise<void> {
  const cycle = ['read_customer', 'read_customer', 'update_ticket', 'read_customer', 'update_ticket', 'update_ticket'];
  for (let i = 0; i < n; i++) {
    const a = actionOf(
      await warden.request(agent, {
        operation: cycle[i % cycle.length]!,
        resourceId: `cust-${i % 17}`,
      }),
    );
    if (a.status !== 'ALLOWED') throw new Error(`warm-up request ${i} of agent ${agent.id} was ${a.status}`);
  }
}
