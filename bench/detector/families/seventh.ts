/**
 * The seventh trace family, written independently of the other six (no shared code, archetypes, randomness or
 * tuning, and nothing of the scorer read) as the held-out test once `first` … `sixth` are all tuned on. Same trace
 * format; described in bench/detector/README.md.
 *
 * An airline's operations desk, a newsroom, a manufacturing plant's execution system and a residential-leasing
 * company, in seven time zones (with the 2025 daylight-saving switches), run step programs with optional steps,
 * weighted branches, loops and retries. Bots name nobody and run scheduled jobs (wire polls every 8 minutes,
 * historian reads every 10, a publishing run every 20, a nightly listing refresh); assistants serve one person or
 * interleave a team's work, some in shifts. Legitimate peaks: thunderstorms at the hub, breaking news, a line
 * changeover, month-end move-outs and month-start signings. Slow legitimate change: tools adopted gradually, client
 * upgrades, an office moving to a new network, new colleagues, a growing portfolio.
 *
 *   tsx bench/detector/families/seventh.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { TraceLine } from '../generate-traces.js';
import { AIRLINE } from './seventh-airline.js';
import { Ids, planDrift, plantIncidents, type AgentRun } from './seventh-incidents.js';
import { LEASING } from './seventh-leasing.js';
import { MES } from './seventh-mes.js';
import { NEWSROOM } from './seventh-newsroom.js';
import { generateAgentTraffic, makeAgent } from './seventh-traffic.js';

export interface SeventhOptions {
  seed?: number;
  agentsPerArchetype?: number;
  days?: number;
}

export const SEVENTH_DESKS = [AIRLINE, NEWSROOM, MES, LEASING];
const VARIANTS = ['network', 'client', 'person'] as const;

export function generateSeventhFamily(options: SeventhOptions = {}): TraceLine[] {
  const seed = options.seed ?? 1;
  const perDesk = options.agentsPerArchetype ?? 4;
  const days = options.days ?? 42;
  const ids = new Ids();
  const runs: AgentRun[] = [];
  for (const desk of SEVENTH_DESKS)
    for (let i = 0; i < perDesk; i++) {
      const agent = makeAgent(desk, i, seed);
      agent.drift = planDrift(agent, seed, days);
      runs.push({ agent, ...generateAgentTraffic(agent, seed, days) });
    }
  runs.forEach((run, i) => plantIncidents(run, seed, days, ids, VARIANTS[i % 3]!));
  const lines = runs.flatMap((r) => r.lines).sort((a, b) => a.t - b.t);
  return lines.map((l) => ({
    time: new Date(l.t).toISOString(),
    agent: l.agent.id,
    archetype: l.agent.desk.archetype,
    platform: l.agent.seat.platform,
    tool: l.tool,
    toolResource: l.uri,
    operation: l.op,
    sensitivity: l.sens,
    volume: l.volume,
    amount: l.amount,
    context: { ...l.ctx },
    label: l.label,
    incident: l.incident,
  }));
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const lines = generateSeventhFamily({
    seed: Number(arg(argv, '--seed') ?? 1),
    agentsPerArchetype: Number(arg(argv, '--agents') ?? 4),
    days: Number(arg(argv, '--days') ?? 42),
  });
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : '');
  const out = arg(argv, '--out');
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l.label, (counts.get(l.label) ?? 0) + 1);
  process.stderr.write(`${lines.length} lines: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
}
