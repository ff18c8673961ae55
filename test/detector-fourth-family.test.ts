/**
 * The fourth detector trace family (bench/detector/families/fourth.ts): deterministic for a seed, in time order,
 * valid labels and incident ids, every judged kind planted (16 odd sequences on MEDIUM and 16 on HIGH operations),
 * odd sequences that are orders never taken in the agent's normal traffic, and new tools the agent never used.
 */
import { describe, expect, it } from 'vitest';
import { generateFourthFamily } from '../bench/detector/families/fourth.js';
import { FAMILIES } from '../bench/detector/families/index.js';
import type { TraceLine } from '../bench/detector/generate-traces.js';
import { JUDGED_KINDS } from '../bench/detector/replay.js';
import { expectReproducible, expectWellFormed, incidentsOf, judgedCounts } from './helpers/trace-family.js';

const full = { seed: 1, agentsPerArchetype: 4, days: 42 };
const small = { seed: 5, agentsPerArchetype: 1, days: 30 };

describe('fourth trace family', () => {
  const lines = generateFourthFamily(full);
  const incidents = incidentsOf(lines);

  it('is deterministic, seeded, in time order and registered as held out', () => {
    expectReproducible(generateFourthFamily, small, lines);
    expect(FAMILIES.fourth).toMatchObject({ generator: 'bench/detector/families/fourth.ts', tunedOn: true });
    expect(new Set(lines.map((l) => l.archetype))).toEqual(
      new Set(['insurance_claims', 'procurement', 'soc_analyst', 'education_admin']),
    );
  });

  it('labels lines with known kinds and groups each incident under one label, from day 10 on', () => {
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
    for (const ls of incidents.values())
      if (ls[0]!.label === 'burst') {
        expect(ls.length).toBeGreaterThanOrEqual(150);
        expect(ls.length).toBeLessThanOrEqual(600);
        expect(Date.parse(ls[ls.length - 1]!.time) - Date.parse(ls[0]!.time)).toBeLessThanOrEqual(15 * 60_000);
      }
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
    let checked = 0;
    for (const l of lines) {
      const prev = last.get(thread(l));
      if (l.label === 'odd_sequence' && prev?.label === 'normal') {
        expect(seen.has(`${l.agent}|${prev.operation}>${l.operation}`)).toBe(false);
        expect(seen.has(`${l.agent}|${l.operation}>${l.operation}`)).toBe(false);
        expect(known.has(`${l.agent}|${l.operation}`)).toBe(true);
        checked++;
      }
      last.set(thread(l), l);
    }
    expect(checked).toBe(32);
    for (const ls of incidents.values()) {
      if (ls[0]!.label !== 'odd_sequence') continue;
      expect(ls.length).toBeGreaterThanOrEqual(2);
      expect(ls.length).toBeLessThanOrEqual(3);
      expect(new Set(ls.map((l) => l.operation)).size).toBe(1);
      expect(Date.parse(ls[ls.length - 1]!.time) - Date.parse(ls[0]!.time)).toBeLessThanOrEqual(120_000);
    }
  });

  it('a new tool is a sensitive tool the agent never used; a drift ends in a jump of ~80× its start', () => {
    const tools = new Map<string, Set<string>>();
    for (const l of lines) if (l.label === 'normal') tools.set(l.agent, (tools.get(l.agent) ?? new Set()).add(l.tool));
    for (const ls of incidents.values()) {
      if (ls[0]!.label !== 'new_tool') continue;
      for (const l of ls) {
        expect(['HIGH', 'CRITICAL']).toContain(l.sensitivity);
        expect(tools.get(l.agent)!.has(l.tool)).toBe(false);
      }
    }
    for (const [id, ls] of incidents) {
      if (!id.startsWith('post_drift')) continue;
      const jump = ls[0]!;
      const drift = [...incidents.values()].find((d) => d[0]!.label === 'drift' && d[0]!.agent === jump.agent)!;
      expect(drift[0]!.operation).toBe(jump.operation);
      expect(drift[drift.length - 1]!.time < jump.time).toBe(true);
    }
  });

  it('has bots that name nobody beside desks that interleave several people', () => {
    const byAgent = (agent: string) => lines.filter((l) => l.agent === agent);
    for (const bot of ['claims-4', 'procure-4', 'soc-2', 'edu-4'])
      expect(byAgent(bot).some((l) => 'onBehalfOf' in l.context)).toBe(false);
    const overlapping = byAgent('claims-1').some((l, i, ls) => {
      const [b, c] = [ls[i + 1], ls[i + 2]];
      const who = (x?: TraceLine) => x?.context.onBehalfOf;
      return !!c && who(l) === who(c) && who(b) !== who(l) && Date.parse(c.time) - Date.parse(l.time) < 5 * 60_000;
    });
    expect(overlapping).toBe(true);
    // The SOC works around the clock: every UTC hour has traffic on soc-1.
    expect(new Set(byAgent('soc-1').map((l) => l.time.slice(11, 13))).size).toBe(24);
  });
});
