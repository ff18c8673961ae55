/**
 * The third detector trace family (bench/detector/families/third.ts): deterministic for a seed, in time order,
 * valid labels and incident ids, every judged kind planted (16 odd sequences on MEDIUM and 16 on HIGH operations),
 * and its odd sequences really are orders never taken in the agent's normal traffic.
 */
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../bench/detector/families/index.js';
import { generateThirdFamily } from '../bench/detector/families/third.js';
import type { TraceLine } from '../bench/detector/generate-traces.js';
import { JUDGED_KINDS } from '../bench/detector/replay.js';
import { expectReproducible, expectWellFormed, incidentsOf, judgedCounts } from './helpers/trace-family.js';

const full = { seed: 1, agentsPerArchetype: 4, days: 42 };
const small = { seed: 5, agentsPerArchetype: 1, days: 30 };

describe('third trace family', () => {
  const lines = generateThirdFamily(full);
  const incidents = incidentsOf(lines);

  it('is deterministic, seeded and in time order', () => {
    expectReproducible(generateThirdFamily, small, lines);
    expect(FAMILIES.third).toMatchObject({ generator: 'bench/detector/families/third.ts', tunedOn: true });
  });

  it('labels lines with known kinds and groups each incident under one label', () => {
    expectWellFormed(lines, incidents, /^post_drift_bulk-\d+$/);
  });

  it('plants every judged kind, with 16 odd sequences on MEDIUM and 16 on HIGH operations', () => {
    const count = judgedCounts(incidents);
    for (const kind of JUDGED_KINDS) expect(count.get(kind) ?? 0).toBeGreaterThan(0);
    expect(count.get('odd_sequence MEDIUM')).toBeGreaterThanOrEqual(16);
    expect(count.get('odd_sequence HIGH')).toBeGreaterThanOrEqual(16);
    expect(count.get('bulk_volume')).toBeGreaterThanOrEqual(24);
    expect(count.get('drift')).toBe(8);
    expect([...incidents.keys()].filter((id) => id.startsWith('post_drift_bulk'))).toHaveLength(8);
    for (const kind of ['new_tool', 'burst', 'odd_context']) expect(count.get(kind)).toBe(16);
  });

  it('an odd sequence is a known operation after a step it never follows, repeated back to back', () => {
    const thread = (l: TraceLine) => `${l.agent}|${l.context.onBehalfOf ?? ''}`;
    const seen = new Set<string>();
    const last = new Map<string, TraceLine>();
    for (const l of lines) {
      const prev = last.get(thread(l));
      if (prev && prev.label === 'normal' && l.label === 'normal')
        seen.add(`${l.agent}|${prev.operation}>${l.operation}`);
      last.set(thread(l), l);
    }
    const known = new Set(lines.filter((l) => l.label === 'normal').map((l) => `${l.agent}|${l.operation}`));
    last.clear();
    for (const l of lines) {
      const prev = last.get(thread(l));
      if (l.label === 'odd_sequence' && prev?.label === 'normal') {
        expect(seen.has(`${l.agent}|${prev.operation}>${l.operation}`)).toBe(false);
        expect(known.has(`${l.agent}|${l.operation}`)).toBe(true);
      }
      last.set(thread(l), l);
    }
    for (const ls of incidents.values()) {
      if (ls[0]!.label !== 'odd_sequence') continue;
      expect(ls.length).toBeGreaterThanOrEqual(2);
      expect(ls.length).toBeLessThanOrEqual(3);
      expect(new Set(ls.map((l) => l.operation)).size).toBe(1);
      expect(Date.parse(ls[ls.length - 1]!.time) - Date.parse(ls[0]!.time)).toBeLessThanOrEqual(120_000);
    }
  });

  it('has agents that name nobody beside agents that interleave several people', () => {
    const byAgent = (agent: string) => lines.filter((l) => l.agent === agent);
    expect(byAgent('data-eng-1').some((l) => 'onBehalfOf' in l.context)).toBe(false);
    // One person's session, another's request in the middle of it, then the first person's again.
    const overlapping = byAgent('clinic-1').some((l, i, ls) => {
      const [b, c] = [ls[i + 1], ls[i + 2]];
      const who = (x?: TraceLine) => x?.context.onBehalfOf;
      return !!c && who(l) === who(c) && who(b) !== who(l) && Date.parse(c.time) - Date.parse(l.time) < 5 * 60_000;
    });
    expect(overlapping).toBe(true);
  });
});
