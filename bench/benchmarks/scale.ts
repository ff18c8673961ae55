/**
 * Scale: 1,000 and 10,000 registered agents, each its running lifecycle workflow with its credential
 * rotation timer pending — registered through the real API (registerAgent, 32 at a time). At each size:
 * resident memory of the worker, the API and the Temporal server; the Temporal database (SQLite with WAL);
 * and the latency of `agents(filter)` (a visibility query), beside a GraphQL query that touches no
 * workflow measured alternately with it.
 */
import { Floor } from '../lib/floor.js';
import { closedLoop, within } from '../lib/load.js';
import { fmtMs, fmtX, target, writeResult, type Target } from '../lib/report.js';
import { cpuMeter, quiesce, rssMb, sqliteBytes, untilFirstTask } from '../lib/stack.js';
import { ms, ratio, summarize } from '../lib/stats.js';
import { OWNER, CRM } from '../lib/warden.js';
import type { BenchContext } from './context.js';

const PLATFORMS = ['support', 'finance', 'coding', 'supply-chain'];
/** A page of 20, as the console's list asks for. */
const PAGE = 20;
const LIST = `query($f: AgentFilter) { agents(first: ${PAGE}, filter: $f) { edges { node { id name status } } pageInfo { hasNextPage endCursor } } }`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
/** At most this long for the server and worker to settle after registering, before measuring. */
const SETTLE_MAX_S = 5;
/** Bounds that keep the run within its budget whatever the stack does at this size. */
const CATCH_UP_MAX_S = 60;
const CALL_MAX_S = 10;
const ROUTINE_MAX_S = 15;

const FLOOR_REGISTRATIONS = 320;

/** Temporal's floor for registering agents on this stack: floorTimerWorkflow starts, 32 at a time. */
async function floorRegistrations(ctx: BenchContext) {
  const { stack } = ctx;
  ctx.log(`scale: Temporal's floor for registration (${FLOOR_REGISTRATIONS} timer workflows, 32 at a time)`);
  const floor = new Floor(stack.client);
  await quiesce(stack);
  const meter = cpuMeter(stack);
  const { seconds, caughtUp } = await floor.startTimers(FLOOR_REGISTRATIONS, 32, CATCH_UP_MAX_S * 1000);
  const { worker: _w, api: _a, ...cpuMsPerStart } = meter.since(FLOOR_REGISTRATIONS);
  await floor.stopTimers();
  return {
    starts: FLOOR_REGISTRATIONS,
    caughtUp,
    seconds: Math.round(seconds * 10) / 10,
    perSecond: Math.round((FLOOR_REGISTRATIONS / seconds) * 10) / 10,
    cpuMsPerStart,
  };
}

export async function scale(ctx: BenchContext): Promise<Target[]> {
  const { warden, stack, sizes } = ctx;
  // Measured on the embedded server, whose database is one file (a cluster's is not measured here).
  const dbFile = stack.dbFile;
  if (!dbFile) throw new Error('the scale benchmark runs on the embedded dev server');
  const countAgents = async () =>
    (await stack.client.workflow.count(`WorkflowType = 'agentLifecycleWorkflow' AND ExecutionStatus = 'Running'`))
      .count;
  const memory = () => ({
    workerRssMb: rssMb(stack.parts.worker.pid),
    apiRssMb: rssMb(stack.parts.api.pid),
    temporalRssMb: rssMb(stack.devServer?.pid),
    temporalDbBytes: sqliteBytes(dbFile),
  });
  const before = { agents: await countAgents(), ...memory() };
  const registrationFloor = await floorRegistrations(ctx);
  const points: Record<string, unknown>[] = [];
  let targets: Target[] = [];
  let n = 0;

  for (const size of sizes.scaleAgents) {
    const have = await countAgents();
    const toRegister = Math.max(0, size - have);
    ctx.log(`scale: registering ${toRegister} agents through the API (32 at a time) to reach ${size}`);
    let left = toRegister;
    let cutShort = false;
    // Leave time to measure at this size and stop the stack within the run's budget.
    const stopRegisteringAt =
      ctx.deadline -
      (sizes.scaleListSeconds + SETTLE_MAX_S + CATCH_UP_MAX_S + 4 * CALL_MAX_S + ROUTINE_MAX_S + 30) * 1000;
    let lastId: string | null = null;
    const t = process.hrtime.bigint();
    const meter = cpuMeter(stack);
    const errors: string[] = [];
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (left > 0) {
          if (performance.now() > stopRegisteringAt) {
            cutShort = true;
            return;
          }
          left--;
          const i = n++;
          const r = await warden.gql(
            `mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { agent { id } } }`,
            {
              input: {
                name: `Scale agent ${i}`,
                ownerEmail: OWNER,
                platform: PLATFORMS[i % PLATFORMS.length],
                allowedTools: [{ tool: CRM, operations: ['update_ticket'] }],
              },
            },
            warden.admin,
          );
          if (!r.errors?.length) lastId = r.data.registerAgent.agent.id;
          if (r.errors?.length) {
            if (errors.length < 5) errors.push(JSON.stringify(r.errors).slice(0, 200));
            left++;
            await sleep(50);
          }
        }
      }),
    );
    const answeredSeconds = ms(t) / 1000;
    // registerAgent answers once the agent's workflow is started; the worker runs its first task after.
    // Sustained means both: wait (bounded) until the last agent registered has had its first task.
    const tCatchUp = Date.now();
    const caughtUp = lastId === null || (await untilFirstTask(stack.client, `agent:${lastId}`, CATCH_UP_MAX_S * 1000));
    const catchUpSeconds = Math.round((Date.now() - tCatchUp) / 100) / 10;
    const registerSeconds = ms(t) / 1000;
    const registered = toRegister - Math.max(0, left);
    const reached = have + registered;
    // No time left to register any at this size: the last size measured stands (its rate is not 0/s).
    if (cutShort && registered === 0 && points.length > 0) {
      ctx.log(`scale: the time budget allows no agent beyond ${reached}; the figures at ${reached} stand`);
      break;
    }
    if (cutShort)
      ctx.log(`scale: the time budget allows ${reached} agents, not ${size}; measuring there (the JSON says so)`);
    // Visibility is eventually consistent: wait until every agent is listed as running.
    const stage = { visibilityWaitS: 0, listS: 0, routineCheckS: 0 };
    const tVisible = Date.now();
    const deadline = Date.now() + 30_000;
    let visible = await countAgents();
    while (visible < reached && Date.now() < deadline) {
      await sleep(500);
      visible = await countAgents();
    }
    stage.visibilityWaitS = Math.round((Date.now() - tVisible) / 100) / 10;
    // Let the worker and server finish the new agents' first workflow tasks and visibility updates.
    const settledMs = await quiesce(stack, SETTLE_MAX_S * 1000, 0.25);
    // CPU per registration, the new workflows' first tasks and visibility included.
    const { floorWorker: _f, ...cpuPerRegistration } = meter.since(Math.max(1, registered));
    const mem = memory();

    ctx.log(`scale: ${visible} agents; agents(filter) latency, alternating with a query that touches no workflow`);
    const filtered: number[] = [];
    const all: number[] = [];
    const plain: number[] = [];
    const raw: number[] = [];
    const rawOwner: number[] = [];
    const listErrors: string[] = [];
    // Temporal's own visibility list, with the same query and page size as each agents(filter) (the page and
    // one more, to tell whether there is a next page).
    const running = `WorkflowType = 'agentLifecycleWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${stack.config.temporal.taskQueue}'`;
    const rawList = async (query: string) => {
      let k = 0;
      for await (const _ of stack.client.workflow.list({ query, pageSize: PAGE + 1 })) if (++k >= PAGE + 1) break;
      if (k < PAGE) throw new Error(`scale: the raw visibility list returned fewer than ${PAGE} agents`);
    };
    // Four measurements per sample, in a rotating order (a query can warm SQLite's page cache for the next).
    const measures: [number[], () => Promise<void>][] = [
      [
        filtered,
        async () => {
          const r = await warden.gql(LIST, { f: { platform: 'finance', status: 'ACTIVE' } }, warden.admin);
          if (r.errors || r.data.agents.edges.length !== PAGE)
            throw new Error(`scale: agents(filter) failed: ${JSON.stringify(r.errors).slice(0, 300)}`);
        },
      ],
      [
        all,
        async () => {
          const r = await warden.gql(LIST, { f: { ownerEmail: OWNER } }, warden.admin);
          if (r.errors || r.data.agents.edges.length !== PAGE)
            throw new Error(`scale: agents(filter) failed: ${JSON.stringify(r.errors).slice(0, 300)}`);
        },
      ],
      [
        plain,
        async () => {
          const r = await warden.gql(`{ viewer { kind subject } }`, undefined, await ctx.agents[0]!.token());
          if (r.errors) throw new Error(`scale: viewer failed: ${JSON.stringify(r.errors).slice(0, 300)}`);
        },
      ],
      [raw, () => rawList(`${running} AND AgentStatus = 'ACTIVE' AND AgentPlatform = 'finance'`)],
      [rawOwner, () => rawList(`${running} AND AgentOwner = '${OWNER}'`)],
    ];
    const tList = Date.now();
    const MEASURE_NAMES = [
      'agentsFilterPlatformStatus',
      'agentsFilterOwner',
      'graphqlNoWorkflow',
      'temporalVisibilityList',
      'temporalVisibilityListOwner',
    ];
    const warmupMs: Record<string, number> = {};
    const listUntil = performance.now() + sizes.scaleListSeconds * 1000;
    // Rounds until the samples or the time run out (at least one), after one warm-up round at the first size.
    // A warm-up round at every size: the first list after thousands of registrations reads a cold database.
    const warmup = 1;
    let rounds = 0;
    for (let s = 0; s < sizes.scaleListSamples + warmup; s++) {
      if (s > warmup && performance.now() > listUntil) break;
      for (let k = 0; k < measures.length; k++) {
        // Lists can take seconds each at this size on a busy machine: a round may end early.
        if (s > warmup && performance.now() > listUntil + 5_000) break;
        const [into, run] = measures[(k + s) % measures.length]!;
        const t1 = process.hrtime.bigint();
        try {
          await within(CALL_MAX_S * 1000, run(), 'list call');
          if (s >= warmup) into.push(ms(t1));
          else warmupMs[MEASURE_NAMES[(k + s) % measures.length]!] = Math.round(ms(t1));
        } catch (err) {
          // A failure at this size is a finding, not a reason to lose the run: it goes into the JSON.
          if (listErrors.length < 10)
            listErrors.push(`${Math.round(ms(t1))} ms: ${String((err as Error).message).slice(0, 300)}`);
        }
      }
      if (s >= warmup) rounds++;
    }
    stage.listS = Math.round((Date.now() - tList) / 100) / 10;
    const tRoutine = Date.now();
    // A rough check that the stack still decides promptly at this size (routine path, 2 s, 8 callers).
    const few = ctx.agents.slice(0, 8);
    const tokens = await Promise.all(few.map((a) => a.token()));
    const decisions = await within(
      ROUTINE_MAX_S * 1000,
      closedLoop(8, 2_000, 500, async (i, caller) => {
        const r = await warden.request(
          few[caller % few.length]!,
          { operation: 'update_ticket', resourceId: `ticket-${i % 17}` },
          tokens[caller % few.length],
        );
        if (r.errors) await sleep(20);
        return r.data?.requestAction?.action?.status === 'ALLOWED';
      }),
      'routine check',
    ).catch((err: Error) => ({ error: err.message, latencies: [] }));
    const { latencies: _raw, ...routine } = decisions;
    stage.routineCheckS = Math.round((Date.now() - tRoutine) / 100) / 10;
    ctx.log(
      `scale: at ${visible} agents — the worker caught up ${catchUpSeconds} s after the last answer, visibility in ${stage.visibilityWaitS} s, settled in ${Math.round(settledMs / 100) / 10} s, lists took ${stage.listS} s, the routine check ${stage.routineCheckS} s`,
    );

    const fs = summarize(filtered);
    const as = summarize(all);
    const ps = summarize(plain);
    const vs = summarize(raw);
    const vo = summarize(rawOwner);
    const point = {
      agents: visible,
      requestedAgents: size,
      ...(cutShort
        ? {
            cutShort: `registration stopped at ${reached} of ${size} agents to keep the whole run within its time budget (BENCH_BUDGET_SECONDS), at ${Math.round(registered / registerSeconds)} registrations/s on this machine`,
          }
        : {}),
      registered,
      registrationSeconds: Math.round(registerSeconds * 10) / 10,
      registrationAnsweredSeconds: Math.round(answeredSeconds * 10) / 10,
      workerCatchUpSeconds: catchUpSeconds,
      workerCaughtUp: caughtUp,
      registrationsPerSecond: Math.round((registered / registerSeconds) * 10) / 10,
      registrationsOverTemporalFloor: ratio(registered / registerSeconds, registrationFloor.perSecond),
      registrationErrors: errors,
      listRounds: rounds,
      listErrors,
      cpuMsPerRegistration: cpuPerRegistration,
      settleSecondsAfterRegistration: Math.round(settledMs / 100) / 10,
      stageSeconds: stage,
      warmupMs,
      ...mem,
      temporalDbMb: Math.round((mem.temporalDbBytes / 2 ** 20) * 10) / 10,
      agentsFilterPlatformStatusMs: fs,
      agentsFilterOwnerMs: as,
      graphqlNoWorkflowMs: ps,
      temporalVisibilityListMs: vs,
      temporalVisibilityListOwnerMs: vo,
      ratios: {
        platformStatusP50OverNoWorkflow: ratio(fs.p50, ps.p50),
        ownerP50OverNoWorkflow: ratio(as.p50, ps.p50),
        platformStatusP99OverNoWorkflow: ratio(fs.p99, ps.p99),
        platformStatusP50OverTemporalList: ratio(fs.p50, vs.p50),
        platformStatusP99OverTemporalList: ratio(fs.p99, vs.p99),
        ownerP50OverTemporalList: ratio(as.p50, vo.p50),
      },
      routineDecisionsAt8Callers: routine,
    };
    points.push(point);
    ctx.summary.push(
      {
        benchmark: 'scale',
        figure: `${visible} agents: worker / API RSS`,
        value: `${mem.workerRssMb} / ${mem.apiRssMb} MB`,
        baseline: `${before.agents} agents: ${before.workerRssMb} / ${before.apiRssMb} MB`,
        ratio: fmtX(ratio(mem.workerRssMb ?? NaN, before.workerRssMb ?? NaN)),
      },
      {
        benchmark: 'scale',
        figure: `${visible} agents: Temporal DB`,
        value: `${point.temporalDbMb} MB`,
        baseline: `${before.agents} agents: ${Math.round((before.temporalDbBytes / 2 ** 20) * 10) / 10} MB`,
        ratio: fmtX(ratio(mem.temporalDbBytes, before.temporalDbBytes)),
      },
      {
        benchmark: 'scale',
        figure: `${visible} agents: agents(platform, status) p50`,
        value: fmtMs(fs.p50),
        baseline: `Temporal list ${fmtMs(vs.p50)}`,
        ratio: fmtX(point.ratios.platformStatusP50OverTemporalList),
        target: '≤ 1.30×',
      },
      {
        benchmark: 'scale',
        figure: `${visible} agents: agents(platform, status) p99`,
        value: fmtMs(fs.p99),
        baseline: `Temporal list ${fmtMs(vs.p99)}`,
        ratio: fmtX(point.ratios.platformStatusP99OverTemporalList),
        target: '≤ 200 ms',
      },
      {
        benchmark: 'scale',
        figure: `${visible} agents: agents(ownerEmail) p50`,
        value: fmtMs(as.p50),
        baseline: `Temporal list ${fmtMs(vo.p50)}`,
        ratio: fmtX(point.ratios.ownerP50OverTemporalList),
        target: '≤ 1.30×',
      },
      {
        benchmark: 'scale',
        figure: `${visible} agents: registrations/s`,
        value: `${point.registrationsPerSecond}/s`,
        baseline: `Temporal's floor ${registrationFloor.perSecond}/s`,
        ratio: fmtX(point.registrationsOverTemporalFloor),
        target: '≥ 100/s',
      },
    );
    // Issue 20's targets, judged at the largest size reached (10,000 agents with npm run bench:scale).
    targets = [
      target(`worker RSS at ${visible} agents (MiB)`, '< 1 GiB', mem.workerRssMb ?? NaN, 1023.99, 'max'),
      target(
        `agents(platform, status) p50 / Temporal's list p50 at ${visible} agents`,
        '≤ 1.3×',
        point.ratios.platformStatusP50OverTemporalList,
        1.3,
        'max',
      ),
      target(
        `agents(ownerEmail) p50 / Temporal's list p50 at ${visible} agents`,
        '≤ 1.3×',
        point.ratios.ownerP50OverTemporalList,
        1.3,
        'max',
      ),
      target(
        `a page of ${PAGE} p99 at ${visible} agents (ms, either filter)`,
        '≤ 200 ms',
        Math.max(fs.p99, as.p99),
        200,
        'max',
      ),
      target(
        `registrations/s to ${visible} agents`,
        '≥ 100/s',
        point.registrationsPerSecond,
        100,
        'min',
        `Temporal's own floor for it on this machine, in this run: ${registrationFloor.perSecond}/s (${fmtX(point.registrationsOverTemporalFloor)})`,
      ),
    ];
    if (cutShort) break;
  }
  const file = writeResult('scale', {
    benchmark: 'scale',
    machine: ctx.machine,
    method: {
      registration:
        "registerAgent over HTTP GraphQL as an admin, 32 concurrent; Warden generates each key pair; each agent is a running agentLifecycleWorkflow with its credential rotation timer pending (WARDEN_AGENT_CREDENTIAL_MAX_AGE 24 h: successor at 18 h). registrationsPerSecond is sustained: until the worker has run the last agent's first workflow task (workerCatchUpSeconds, at most 60 s); registrationAnsweredSeconds is when the API had answered all",
      registrationFloor: `Temporal's floor for a registration, measured before the first size: ${FLOOR_REGISTRATIONS} workflows started 32 at a time with an agent-sized memo and two search attributes, each waiting on an 18-hour timer (floorTimerWorkflow on the floor worker), until the last had run its first task; they are stopped afterwards`,
      sizes: sizes.scaleAgents,
      memory:
        'VmRSS of the worker, API and Temporal dev server processes after registration settles (visibility lists every agent, then the server and worker fall under a quarter of a core, at most 5 s: settleSecondsAfterRegistration = 5 means they were still busy)',
      database: "the dev server's SQLite file with its -wal and -shm",
      list: `agents(first: ${PAGE}, filter: {platform: "finance", status: ACTIVE}) and agents(first: ${PAGE}, filter: {ownerEmail}) as an admin, alternating with { viewer } (a query that touches no workflow) and with Temporal's own visibility list for each (client.workflow.list, the same query, page size ${PAGE + 1}) as baselines`,
      samples: `up to ${sizes.scaleListSamples} rounds of the five (rotating order), or as many as fit in ${sizes.scaleListSeconds} s (at least one; listRounds says how many), after one warm-up round at each size (its figures are in warmupMs)`,
      note: 'the agents of the other benchmarks (≈40, with long histories) are counted in each size',
    },
    before,
    registrationFloor,
    points,
    targets,
  });
  ctx.log(`scale → ${file}`);
  return targets;
}
