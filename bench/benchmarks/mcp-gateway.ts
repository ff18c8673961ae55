/**
 * The MCP gateway: a LOW `tools/call` (a read-only MCP tool, allowed: Warden's routine path) through
 * Warden's MCP endpoint, against the same call straight to the upstream MCP server and through a published
 * peer gateway (FastMCP's proxy, from PyPI), side by side in one run, with the same load client:
 *
 * - latency at one caller (p50/p99), rounds interleaving the four kinds: direct, Warden, peer, and Warden's
 *   routine `requestAction` (GraphQL) — the decision the MCP call makes, for the "added ≤ requestAction + 3 ms"
 *   target; `tools/list` added latency the same way;
 * - calls/s at 1, 8 and 32 callers for direct, Warden and the peer.
 *
 * The upstream (the official TypeScript SDK) and the peer run in processes of their own; Warden's agents
 * (one per caller) are warmed first. The peer authenticates nobody and decides nothing.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../launcher/ports.js';
import { closedLoop, type RawLoopResult } from '../lib/load.js';
import { fmtMs, fmtX, target, writeResult, type Target } from '../lib/report.js';
import { ms, ratio, summarize } from '../lib/stats.js';
import { actionOf, CRM, type BenchAgent } from '../lib/warden.js';
import { McpSession } from '../mcp/session.js';
import type { BenchContext } from './context.js';

const TOOL = 'bench-mcp';
const FASTMCP = '4.2.3';
const run = promisify(execFile);

/** FastMCP in a venv under .warden/tools, made once (the machine reaches PyPI). */
async function fastmcpPython(): Promise<string> {
  const venv = path.resolve('.warden/tools', `python-fastmcp-${FASTMCP}`);
  const python = path.join(venv, 'bin', 'python');
  if (!fs.existsSync(path.join(venv, '.installed'))) {
    await run('python3', ['-m', 'venv', '--clear', venv]);
    await run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `fastmcp==${FASTMCP}`]);
    fs.writeFileSync(path.join(venv, '.installed'), FASTMCP);
  }
  return python;
}

async function untilListening(url: string, what: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode})`);
    try {
      await fetch(url, { method: 'GET' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${what} did not start listening in 60 s`);
}

export async function mcpGateway(ctx: BenchContext): Promise<Target[]> {
  const { stack, warden, sizes, quick } = ctx;
  const upstreamPort = await freePort();
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}/mcp`;
  ctx.log('mcp gateway: starting the upstream MCP server and the peer gateway (FastMCP) in processes of their own');
  await stack.startPart('mcp-upstream', 'bench/mcp/upstream.ts', {
    ...stack.env,
    MCP_UPSTREAM_PORT: String(upstreamPort),
  });
  const peerPort = await freePort();
  const peerUrl = `http://127.0.0.1:${peerPort}/mcp`;
  const python = await fastmcpPython();
  const peer = spawn(python, [path.resolve('bench/mcp/peer_proxy.py'), upstreamUrl, String(peerPort)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let peerErr = '';
  peer.stderr!.on('data', (c: Buffer) => (peerErr = (peerErr + c.toString()).slice(-2000)));
  try {
    await untilListening(peerUrl, 'the FastMCP peer', peer);

    // Warden: the upstream registered as an MCP tool; one agent per caller, allowed its read-only tool.
    await warden
      .gql(
        `mutation($t: RegisterToolInput!) { registerTool(input: $t) { tool { name } } }`,
        { t: { name: TOOL, authMode: 'MCP', upstreamUrl, upstreamAuth: 'NONE', operations: [] } },
        warden.admin,
      )
      .then((r) => {
        if (r.errors) throw new Error(`registerTool: ${r.errors[0]!.message}`);
      });
    const endpoint = `${stack.config.api.publicUrl.replace(/\/$/, '')}/mcp/${TOOL}`;
    const callers = 32;
    const agents: BenchAgent[] = [];
    for (let i = 0; i < callers; i++) {
      const agent = await warden.registerAgent(`Bench MCP agent ${i}`);
      const set = await warden.gql(
        `mutation($id: ID!, $t: [AllowedToolInput!]!) { setAgentAllowedTools(input: { agentId: $id, tools: $t }) { agent { id } } }`,
        {
          id: agent.id,
          t: [
            { tool: CRM, operations: ['read_customer', 'update_ticket'] },
            { tool: TOOL, operations: ['get_item'] },
          ],
        },
        warden.admin,
      );
      if (set.errors) throw new Error(`setAgentAllowedTools: ${set.errors[0]!.message}`);
      agents.push(agent);
    }
    const mcpToken = async (agent: BenchAgent) => {
      const res = await warden.http.post(
        `${stack.apiUrl}/oauth/token`,
        new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: await agent.assertion(),
          resource: endpoint,
        }).toString(),
        { 'content-type': 'application/x-www-form-urlencoded' },
      );
      const token = (JSON.parse(res.body) as { access_token?: string }).access_token;
      if (!token) throw new Error(`no MCP token: ${res.body.slice(0, 200)}`);
      return token;
    };
    const sessions = {
      direct: await Promise.all(agents.map(async () => new McpSession(upstreamUrl))),
      warden: await Promise.all(agents.map(async (a) => new McpSession(endpoint, await mcpToken(a)))),
      peer: await Promise.all(agents.map(async () => new McpSession(peerUrl))),
    };
    type Kind = keyof typeof sessions;
    const kinds: Kind[] = ['direct', 'warden', 'peer'];
    for (const k of kinds) await Promise.all(sessions[k].map((s) => s.initialize()));
    let seq = 0;
    const args = () => ({ id: `item-${++seq % 97}` });
    // Warm: each agent's first calls (its workflow's first decisions, the upstream connection), every path.
    ctx.log('mcp gateway: warming up (each agent 4 calls through Warden)');
    await Promise.all(
      sessions.warden.map(async (s) => {
        for (let i = 0; i < 4; i++) await s.call('get_item', args());
      }),
    );
    for (const k of kinds) for (let i = 0; i < 20; i++) await sessions[k][0]!.call('get_item', args());

    // 1. Latency at one caller, rounds interleaving the kinds (and requestAction, and tools/list).
    const rounds = Math.max(2, Math.floor(sizes.latencyRounds / 2));
    const batch = sizes.latencyBatch;
    const samples: Record<string, number[]> = {};
    const time = async (name: string, op: () => Promise<unknown>) => {
      const t = process.hrtime.bigint();
      await op();
      (samples[name] ??= []).push(ms(t));
    };
    const agent0 = agents[0]!;
    const token0 = await agent0.token();
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < batch; i++) {
        for (const k of kinds) await time(`call.${k}`, () => sessions[k][0]!.call('get_item', args()));
        await time('requestAction.routine', async () => {
          const a = actionOf(
            await warden.request(agent0, { operation: 'update_ticket', resourceId: `t-${i}` }, token0),
          );
          if (a.status !== 'ALLOWED') throw new Error(`routine requestAction was ${a.status}`);
        });
        await time('list.direct', () => sessions.direct[0]!.list());
        await time('list.warden', () => sessions.warden[0]!.list());
      }
    }
    const latency = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
    const p50 = (k: string) => latency[k]!.p50;
    const added = p50('call.warden') - p50('call.direct');
    const addedList = p50('list.warden') - p50('list.direct');

    // 2. Calls/s at 1, 8 and 32 callers.
    const levels = [1, 8, 32];
    const throughput: Record<Kind, Record<number, RawLoopResult>> = { direct: {}, warden: {}, peer: {} };
    const windowMs = quick ? 1_500 : 2_500;
    for (const c of levels)
      for (const k of kinds) {
        throughput[k][c] = await closedLoop(c, windowMs, 500, (_i, caller) =>
          sessions[k][caller]!.call('get_item', args()),
        );
        if (throughput[k][c].failed)
          ctx.log(`mcp gateway: ${k} @${c}: ${throughput[k][c].failed} failed (${throughput[k][c].firstError})`);
      }
    const perSecond = (k: Kind, c: number) => throughput[k][c]!.perSecond;
    const overPeer = ratio(perSecond('warden', 32), perSecond('peer', 32));

    const targets = [
      target(
        'added p50 of a routine tools/call',
        '≤ routine requestAction p50 + 3 ms',
        Math.round(added * 100) / 100,
        Math.round((p50('requestAction.routine') + 3) * 100) / 100,
        'max',
        `Warden ${fmtMs(p50('call.warden'))} − direct ${fmtMs(p50('call.direct'))}; requestAction ${fmtMs(p50('requestAction.routine'))}`,
      ),
      target('added p50 of tools/list', '≤ 3 ms', Math.round(addedList * 100) / 100, 3, 'max'),
      target('calls/s at 32 callers over the peer gateway', '≥ 0.8×', overPeer, 0.8, 'min'),
    ];
    const file = writeResult('mcp-gateway', {
      benchmark: 'mcp-gateway',
      machine: ctx.machine,
      quick,
      method:
        'One MCP client implementation (2025-11-25, one keep-alive socket per caller, initialize once) for all three servers. ' +
        'Latency: one caller, rounds interleaving direct, Warden, peer and a routine requestAction, plus tools/list direct and through Warden. ' +
        `Throughput: closed loops of 1, 8, 32 callers for ${windowMs} ms after 500 ms warm-up, each caller its own agent (Warden) and session. ` +
        `Upstream: the official TypeScript SDK (stateless handler) in its own process; peer: FastMCP ${FASTMCP} proxy with one connected upstream client.`,
      latency,
      addedMs: { call: Math.round(added * 100) / 100, list: Math.round(addedList * 100) / 100 },
      callsPerSecond: Object.fromEntries(
        kinds.map((k) => [k, Object.fromEntries(levels.map((c) => [c, perSecond(k, c)]))]),
      ),
      ratios: {
        wardenOverPeerAt32: overPeer,
        wardenOverDirectAt32: ratio(perSecond('warden', 32), perSecond('direct', 32)),
      },
      failures: Object.fromEntries(kinds.map((k) => [k, levels.reduce((n, c) => n + throughput[k][c]!.failed, 0)])),
      targets,
    });
    ctx.log(`mcp gateway → ${file}`);
    ctx.summary.push(
      {
        benchmark: 'mcp-gateway',
        figure: 'LOW tools/call p50 (added)',
        value: fmtMs(p50('call.warden')),
        baseline: `direct ${fmtMs(p50('call.direct'))}`,
        ratio: `+${fmtMs(added)}`,
        target: `≤ +${fmtMs(p50('requestAction.routine') + 3)}`,
      },
      {
        benchmark: 'mcp-gateway',
        figure: 'tools/list p50 (added)',
        value: fmtMs(p50('list.warden')),
        baseline: `direct ${fmtMs(p50('list.direct'))}`,
        ratio: `+${fmtMs(addedList)}`,
        target: '≤ +3 ms',
      },
      {
        benchmark: 'mcp-gateway',
        figure: 'tools/call per s @32',
        value: `${perSecond('warden', 32)}/s`,
        baseline: `peer ${perSecond('peer', 32)}/s`,
        ratio: fmtX(overPeer),
        target: '≥ 0.80×',
      },
    );
    for (const k of kinds) for (const s of sessions[k]) s.close();
    return targets;
  } catch (err) {
    if (peerErr) ctx.log(`mcp gateway: the peer said: ${peerErr}`);
    throw err;
  } finally {
    peer.kill('SIGTERM');
  }
}
