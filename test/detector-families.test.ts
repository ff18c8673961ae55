/**
 * The detector bench's trace families: the second one is deterministic, carries every kind of
 * incident (odd sequences on MEDIUM and HIGH operations), has agents without a thread key, and its odd sequences
 * really are never seen before; the report cannot pass a trace that lacks a kind; the sweep leaves the policy alone.
 */
import { describe, expect, it } from 'vitest';
import { generateSecondFamily } from '../bench/detector/families/second.js';
import { FAMILIES } from '../bench/detector/families/index.js';
import type { TraceLine } from '../bench/detector/generate-traces.js';
import { evaluate, JUDGED_KINDS, replay } from '../bench/detector/replay.js';
import { sweep } from '../bench/detector/sweep.js';
import { DEFAULT_POLICY } from '../risk/policy.js';

const small = { seed: 5, agentsPerArchetype: 2, days: 35 };

describe('second trace family', () => {
  const lines = generateSecondFamily(small);

  it('is deterministic, in time order, and seeded', () => {
    expect(generateSecondFamily(small)).toEqual(lines);
    expect(generateSecondFamily({ ...small, seed: 6 })).not.toEqual(lines);
    expect(lines.every((l, i) => i === 0 || l.time >= lines[i - 1]!.time)).toBe(true);
  });

  it('plants every judged kind, odd sequences on MEDIUM and HIGH operations', () => {
    const kinds = new Set<string>();
    for (const l of lines)
      if (l.incident) kinds.add(l.label === 'odd_sequence' ? `odd_sequence ${l.sensitivity}` : l.label);
    expect([...kinds].sort()).toEqual([...JUDGED_KINDS].sort());
    expect(lines.some((l) => l.incident?.startsWith('post_drift_bulk'))).toBe(true);
    // No incident before day 10 (after the default warm-up).
    const first = Date.parse(lines[0]!.time);
    expect(lines.filter((l) => l.incident).every((l) => Date.parse(l.time) - first >= 9 * 86_400_000)).toBe(true);
  });

  it('has agents that name no delegating person (no thread key) beside agents that do', () => {
    const byArchetype = (a: string) => lines.filter((l) => l.archetype === a);
    for (const a of ['it_ops', 'research']) expect(byArchetype(a).some((l) => 'onBehalfOf' in l.context)).toBe(false);
    for (const a of ['hr', 'marketing']) expect(byArchetype(a).every((l) => 'onBehalfOf' in l.context)).toBe(true);
  });

  it('an odd sequence is a step never taken after the previous one, repeated back to back', () => {
    const seen = new Map<string, Set<string>>();
    const last = new Map<string, string>();
    const incidents = new Map<string, TraceLine[]>();
    for (const l of lines) {
      const op = `${l.tool}:${l.operation}`;
      const prev = last.get(l.agent);
      if (l.label === 'odd_sequence') {
        incidents.set(l.incident!, [...(incidents.get(l.incident!) ?? []), l]);
        expect(seen.get(l.agent)?.has(`${prev}>${op}`) ?? false).toBe(false);
      } else if (l.label === 'normal' && prev) seen.set(l.agent, (seen.get(l.agent) ?? new Set()).add(`${prev}>${op}`));
      last.set(l.agent, op);
    }
    expect(incidents.size).toBe(16); // one MEDIUM and one HIGH per agent
    for (const ls of incidents.values()) {
      expect(ls).toHaveLength(2);
      expect(ls[0]!.operation).toBe(ls[1]!.operation);
    }
  });
});

describe('detector report', () => {
  it('a trace without incidents reports n/a and misses its targets', () => {
    const quiet = FAMILIES.second!.generate(small).filter((l) => l.label === 'normal');
    const report = evaluate(quiet, replay(quiet, DEFAULT_POLICY));
    expect(report.traces.incidents).toBe(0);
    for (const kind of JUDGED_KINDS)
      expect(report.judged[kind]).toMatchObject({ incidents: 0, recall: null, met: false });
    expect(report.targets.met).toBe(false);
    expect(report.targets.missed).toContain('drift recall n/a (target ≥ 0.98)');
  });

  it('the first family has no odd sequence on a MEDIUM operation, so it cannot meet the targets', () => {
    const lines = FAMILIES.first!.generate({ seed: 2, agentsPerArchetype: 1, days: 30 });
    const report = evaluate(lines, replay(lines, DEFAULT_POLICY));
    expect(report.judged['odd_sequence MEDIUM']).toMatchObject({ incidents: 0, recall: null, met: false });
    expect(report.judged['odd_sequence HIGH']!.incidents).toBeGreaterThan(0);
  });

  it('the sweep moves one review threshold at a time and leaves the policy as it was', () => {
    const lines = generateSecondFamily({ seed: 5, agentsPerArchetype: 1, days: 12 });
    const before = JSON.stringify(DEFAULT_POLICY);
    const rows = sweep(lines, DEFAULT_POLICY);
    expect(JSON.stringify(DEFAULT_POLICY)).toBe(before);
    expect(rows.filter((r) => r.current).map((r) => [r.sensitivity, r.review])).toEqual([
      ['LOW', 60],
      ['MEDIUM', 45],
      ['HIGH', 35],
      ['CRITICAL', 25],
    ]);
    // A review threshold stays between zero and the containment threshold.
    expect(rows.filter((r) => r.sensitivity === 'CRITICAL').map((r) => r.review)).toEqual([5, 10, 15, 20, 25, 30, 35]);
    expect(rows.filter((r) => r.sensitivity === 'HIGH').map((r) => r.review)).toEqual([15, 20, 25, 30, 35, 40, 45]);
  }, 120_000);
});
