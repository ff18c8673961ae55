/**
 * The sixth trace family, written independently of the other five (no shared code, archetypes, randomness or
 * tuning, and nothing of the scorer read) as the held-out test once `first` … `fifth` are all tuned on. Same trace
 * format; described in bench/detector/README.md.
 *
 * Mortgage-underwriting, energy-grid, retail e-commerce and government-benefits offices in seven time zones (with
 * their daylight-saving switches) run branching playbooks (optional steps, branches, loops, retries). Bots name
 * nobody and run scheduled jobs (meter reads every 15 minutes, nightly repricing, payment files); assistants serve
 * one person at a time or interleave a team's work. Legitimate peaks: a gale and a storm for the grid, a flash sale,
 * a month-start payment cycle, a month-end closing push. Slow legitimate change: tools adopted gradually, client
 * upgrades, offices moving to new networks, new colleagues, a growing meter fleet and catalogue.
 *
 *   tsx bench/detector/families/sixth.ts [--seed 1] [--agents 4] [--days 42] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { TraceLine } from '../generate-traces.js';
import { plantIncidents } from './sixth-incidents.js';
import { generateTraffic, staff } from './sixth-traffic.js';

export interface SixthFamilyOptions {
  seed: number;
  /** Agents per archetype (seats are reused, re-addressed, beyond four). */
  agentsPerArchetype: number;
  days: number;
}

export function generateSixthFamily({ seed, agentsPerArchetype, days }: SixthFamilyOptions): TraceLine[] {
  const agents = staff(seed, agentsPerArchetype);
  const sessions = generateTraffic(seed, agents, days);
  const extra = plantIncidents(seed, days, agents, sessions);
  const lines = [...sessions.flatMap((s) => s.lines), ...extra];
  const keyed = lines.map((line, i) => ({ ms: Date.parse(line.time), i, line }));
  keyed.sort((a, b) => a.ms - b.ms || a.i - b.i);
  return keyed.map((k) => k.line);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const lines = generateSixthFamily({
    seed: Number(arg('--seed') ?? 1),
    agentsPerArchetype: Number(arg('--agents') ?? 4),
    days: Number(arg('--days') ?? 42),
  });
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const out = arg('--out');
  if (out) {
    writeFileSync(out, text);
    console.error(`${lines.length} lines → ${out}`);
  } else process.stdout.write(text);
}
