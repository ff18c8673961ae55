/**
 * What every detector trace family promises alike (bench/detector/README.md, "Trace format"): reproducible for a
 * seed, in time order within its six weeks, valid labels, incident ids and tool resources, one label and one agent
 * per incident, nothing planted before day 10. Each family's test adds what only that family promises.
 */
import { expect } from 'vitest';
import type { FamilyOptions } from '../../bench/detector/families/index.js';
import { ANOMALY_KINDS, type TraceLine } from '../../bench/detector/generate-traces.js';
import { judgedKindOf } from '../../bench/detector/replay.js';

/** Monday 2025-03-03, where every family starts. */
export const T0 = Date.parse('2025-03-03T00:00:00Z');
export const dayOf = (l: TraceLine) => Math.floor((Date.parse(l.time) - T0) / 86_400_000);
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const setOf = (ls: TraceLine[], f: (l: TraceLine) => string | undefined) => new Set(ls.map(f));

/** A family's normal lines: an agent's, and an agent's within days [from, to). */
export function normalLines(lines: TraceLine[]) {
  const normal = lines.filter((l) => l.label === 'normal');
  const of = (agent: string) => normal.filter((l) => l.agent === agent);
  const during = (agent: string, from: number, to: number) =>
    of(agent).filter((l) => dayOf(l) >= from && dayOf(l) < to);
  return { of, during };
}

/** The lines of each incident, by incident id, in trace order. */
export function incidentsOf(lines: TraceLine[]): Map<string, TraceLine[]> {
  const incidents = new Map<string, TraceLine[]>();
  for (const l of lines) if (l.incident) incidents.set(l.incident, [...(incidents.get(l.incident) ?? []), l]);
  return incidents;
}

/** Incidents per judged kind (odd sequences by the sensitivity of their operation), as bench:detector counts them. */
export function judgedCounts(incidents: Map<string, TraceLine[]>): Map<string, number> {
  const count = new Map<string, number>();
  for (const [first] of incidents.values()) {
    const kind = judgedKindOf(first!.label, first!.sensitivity);
    count.set(kind, (count.get(kind) ?? 0) + 1);
  }
  return count;
}

/** The same seed gives the same trace, another seed another; `lines` (the full trace) is in time order. */
export function expectReproducible(
  generate: (o: FamilyOptions) => TraceLine[],
  small: FamilyOptions,
  lines: TraceLine[],
): void {
  const one = generate(small);
  expect(generate(small)).toEqual(one);
  expect(generate({ ...small, seed: small.seed + 1 })).not.toEqual(one);
  expect(lines.every((l, i) => i === 0 || l.time >= lines[i - 1]!.time)).toBe(true);
  expect(lines[0]!.time >= '2025-03-03T00:00:00.000Z').toBe(true);
  expect(lines[lines.length - 1]!.time < '2025-04-14T00:00:00.000Z').toBe(true);
}

/** Valid labels, resources and sensitivities; incident ids `<label>-<n>` (post-drift ones `postDriftId`, bulk). */
export function expectWellFormed(lines: TraceLine[], incidents: Map<string, TraceLine[]>, postDriftId: RegExp): void {
  const labels = new Set<string>(['normal', ...ANOMALY_KINDS]);
  const bad = lines.filter(
    (l) =>
      !labels.has(l.label) ||
      (l.incident === null) !== (l.label === 'normal') ||
      !/^https:\/\//.test(l.toolResource ?? '') ||
      !['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].includes(l.sensitivity),
  );
  expect(bad).toEqual([]);
  for (const [id, ls] of incidents) {
    expect(new Set(ls.map((l) => l.label)).size).toBe(1);
    expect(new Set(ls.map((l) => l.agent)).size).toBe(1);
    const label = ls[0]!.label;
    if (id.startsWith('post_drift')) {
      expect(id).toMatch(postDriftId);
      expect(label).toBe('bulk_volume');
    } else expect(id).toMatch(new RegExp(`^${label}-\\d+$`));
    expect(ls.every((l) => dayOf(l) >= 10)).toBe(true);
  }
}
