/**
 * The fifth trace family, written independently of the other four (no shared code, archetypes, randomness or
 * tuning, and nothing of the scorer read) as the held-out test once `first` … `fourth` are all tuned on. Same
 * trace format; described in bench/detector/README.md.
 *
 * Logistics-dispatch, treasury, developer-relations and pharmacy-inventory desks in nine time zones run branching
 * procedures (optional steps, loops, choices, retries). A dispatch orchestrator works many shipments at once,
 * around the clock, naming nobody; quiet desks make 10–40 requests a day; treasury runs a Friday payment batch;
 * each desk loses its main system for one day and catches up the next morning. Slow legitimate change: a tool
 * adopted gradually, client upgrades, offices moving to new networks, new colleagues, a growing community.
 *
 *   tsx bench/detector/families/fifth.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { TraceLine } from '../generate-traces.js';
import { plantIncidents } from './fifth-incidents.js';
import { DAY_MS, iso, START_MS } from './fifth-random.js';
import { buildAgents, normalSessions } from './fifth-traffic.js';

export interface FifthFamilyOptions {
  seed: number;
  /** Agents per archetype (profiles repeat after four). */
  agentsPerArchetype: number;
  /** Days from Monday 2025-03-03 (UTC); incidents need at least 17. */
  days: number;
}

export function generateFifthFamily({ seed, agentsPerArchetype, days }: FifthFamilyOptions): TraceLine[] {
  const agents = buildAgents(seed, agentsPerArchetype);
  const sessions = agents.map((agent) => normalSessions(agent, days, seed));
  const extra = plantIncidents(agents, sessions, days, seed);
  const [from, to] = [iso(START_MS), iso(START_MS + days * DAY_MS)];
  return [...sessions.flat().flatMap((s) => s.lines), ...extra]
    .filter((l) => l.time >= from && l.time < to)
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const lines = generateFifthFamily({
    seed: Number(arg('--seed') ?? 1),
    agentsPerArchetype: Number(arg('--agents') ?? 4),
    days: Number(arg('--days') ?? 42),
  });
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const out = arg('--out');
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  const incidents = new Map<string, Set<string>>();
  for (const l of lines) if (l.incident) incidents.set(l.label, (incidents.get(l.label) ?? new Set()).add(l.incident));
  const summary = [...incidents].map(([kind, ids]) => `${kind} ${ids.size}`).join(', ');
  console.error(`${lines.length} lines, ${new Set(lines.map((l) => l.agent)).size} agents; incidents: ${summary}`);
}
