/**
 * What the later detector trace families (ninth on) promise alike about their incidents (bench/detector/README.md):
 * how many of each kind, their shapes, bulk requests 30–300× the usual, odd sequences that are new transitions of
 * known operations, never-seen tools and contexts, drifts ending in a jump at ~80× the original level. Each
 * family's test passes what it promises where the families differ, and adds what only it promises.
 */
import { expect, it } from 'vitest';
import { FAMILIES, type FamilyOptions } from '../../bench/detector/families/index.js';
import type { TraceLine } from '../../bench/detector/generate-traces.js';
import { JUDGED_KINDS } from '../../bench/detector/replay.js';
import { dayOf, expectReproducible, expectWellFormed, incidentsOf, judgedCounts, median } from './trace-family.js';

const PRIVATE = /^(10|172\.(1[6-9]|2\d|3[01])|192\.168)\./;
const MINUTE = 60_000;

/** Requests per day (as `dayOf`) of some lines. */
export function perDay(ls: TraceLine[]): Map<number, number> {
  const days = new Map<number, number>();
  for (const l of ls) days.set(dayOf(l), (days.get(dayOf(l)) ?? 0) + 1);
  return days;
}

export interface PlantedSpec {
  /** Whether new tools, bursts and odd contexts number exactly 16 (or at least 16). */
  exactly16: boolean;
  /** A burst's requests and minutes, [least, most]. */
  burstLines: [number, number];
  burstMinutes: [number, number];
}

/**
 * Every judged kind planted: ≥ 24 bulk requests (besides the 8 post-drift jumps), ≥ 16 odd sequences on MEDIUM and
 * on HIGH operations, 16 new tools, bursts and odd contexts, 8 drifts; one request per bulk incident, at most three
 * per new tool, a burst of one LOW or MEDIUM operation, an odd sequence of one operation 2–3 times within 2 minutes.
 */
export function expectPlanted(incidents: Map<string, TraceLine[]>, spec: PlantedSpec): void {
  const judged = judgedCounts(incidents);
  for (const kind of JUDGED_KINDS) expect(judged.get(kind) ?? 0).toBeGreaterThan(0);
  const count = new Map<string, number>();
  for (const [id, [l]] of incidents) {
    const kind = id.startsWith('post_drift')
      ? 'post_drift'
      : l!.label === 'odd_sequence'
        ? `odd_sequence ${l!.sensitivity}`
        : l!.label;
    count.set(kind, (count.get(kind) ?? 0) + 1);
  }
  expect(count.get('odd_sequence MEDIUM')).toBeGreaterThanOrEqual(16);
  expect(count.get('odd_sequence HIGH')).toBeGreaterThanOrEqual(16);
  expect(count.get('bulk_volume')).toBeGreaterThanOrEqual(24);
  expect(count.get('drift')).toBe(8);
  expect(count.get('post_drift')).toBe(8);
  for (const kind of ['new_tool', 'burst', 'odd_context']) {
    if (spec.exactly16) expect(count.get(kind)).toBe(16);
    else expect(count.get(kind)).toBeGreaterThanOrEqual(16);
  }
  for (const ls of incidents.values()) {
    const span = Date.parse(ls[ls.length - 1]!.time) - Date.parse(ls[0]!.time);
    const label = ls[0]!.label;
    if (label === 'burst') {
      expect(ls.length).toBeGreaterThanOrEqual(spec.burstLines[0]);
      expect(ls.length).toBeLessThanOrEqual(spec.burstLines[1]);
      expect(span).toBeGreaterThanOrEqual(spec.burstMinutes[0] * MINUTE);
      expect(span).toBeLessThanOrEqual(spec.burstMinutes[1] * MINUTE);
      expect(new Set(ls.map((l) => l.operation)).size).toBe(1);
      expect(['LOW', 'MEDIUM']).toContain(ls[0]!.sensitivity);
    }
    if (label === 'bulk_volume') expect(ls).toHaveLength(1);
    if (label === 'new_tool') expect(ls.length).toBeLessThanOrEqual(3);
    if (label === 'odd_sequence') {
      expect(ls.length).toBeGreaterThanOrEqual(2);
      expect(ls.length).toBeLessThanOrEqual(3);
      expect(new Set(ls.map((l) => l.operation)).size).toBe(1);
      expect(span).toBeLessThanOrEqual(2 * MINUTE);
    }
  }
}

/**
 * Each bulk request (not a post-drift jump) is 30–300× the usual items or money of an operation the agent uses at
 * least `minUses` times.
 */
export function expectBulkRatios(
  incidents: Map<string, TraceLine[]>,
  normal: TraceLine[],
  { minUses }: { minUses: number },
): void {
  let checked = 0;
  for (const [id, [l]] of incidents) {
    if (l!.label !== 'bulk_volume' || id.startsWith('post_drift')) continue;
    const same = normal.filter((x) => x.agent === l!.agent && x.operation === l!.operation);
    expect(same.length).toBeGreaterThanOrEqual(Math.max(1, minUses));
    const ratio = Math.max(
      l!.volume / Math.max(1, median(same.map((x) => x.volume))),
      l!.amount > 0 ? l!.amount / median(same.map((x) => x.amount)) : 0,
    );
    expect(ratio).toBeGreaterThanOrEqual(30);
    expect(ratio).toBeLessThanOrEqual(300);
    checked++;
  }
  expect(checked).toBeGreaterThanOrEqual(24);
}

/**
 * Each odd sequence's first line is a routine MEDIUM or HIGH operation (≥ 8 uses) right after a normal step it never
 * follows in that thread (agent and delegating person), in that step's context; the operation never follows itself
 * there either. `oncePerAgent`: no agent gets the same out-of-order transition twice.
 */
export function expectOddSequencesAreNew(
  lines: TraceLine[],
  incidents: Map<string, TraceLine[]>,
  { oncePerAgent }: { oncePerAgent: boolean },
): void {
  const normal = lines.filter((l) => l.label === 'normal');
  const thread = (l: TraceLine) => `${l.agent}|${l.context.onBehalfOf ?? ''}`;
  const seen = new Set<string>();
  const last = new Map<string, TraceLine>();
  for (const l of lines) {
    const prev = last.get(thread(l));
    if (prev && prev.label === 'normal' && l.label === 'normal')
      seen.add(`${thread(l)}|${prev.operation}>${l.operation}`);
    last.set(thread(l), l);
  }
  const uses = new Map<string, number>();
  for (const l of normal) uses.set(`${l.agent}|${l.operation}`, (uses.get(`${l.agent}|${l.operation}`) ?? 0) + 1);
  last.clear();
  const planted = new Set<string>();
  let checked = 0;
  for (const l of lines) {
    const prev = last.get(thread(l));
    if (l.label === 'odd_sequence' && prev?.label === 'normal') {
      expect(prev.operation).not.toBe(l.operation);
      expect(seen.has(`${thread(l)}|${prev.operation}>${l.operation}`)).toBe(false);
      expect(seen.has(`${thread(l)}|${l.operation}>${l.operation}`)).toBe(false);
      expect(uses.get(`${l.agent}|${l.operation}`) ?? 0).toBeGreaterThanOrEqual(8);
      expect(['MEDIUM', 'HIGH']).toContain(l.sensitivity);
      expect(l.context).toEqual(prev.context);
      if (oncePerAgent) {
        const key = `${l.agent}|${prev.operation}>${l.operation}`;
        expect(planted.has(key)).toBe(false);
        planted.add(key);
      }
      checked++;
    }
    last.set(thread(l), l);
  }
  expect(checked).toBe([...incidents.values()].filter((ls) => ls[0]!.label === 'odd_sequence').length);
}

export interface NoveltySpec {
  /** Whether an odd context keeps one context over all its requests. */
  sameContext: boolean;
  /** Least incidents of each odd-context variant (network, client, person). */
  perVariant: number;
  /** Whether a new tool is new to every agent of the family (not only to this one), and never reused by the agent. */
  newToFamily: boolean;
}

/**
 * New tools (HIGH or CRITICAL) are never used in the agent's ordinary traffic; an odd context has exactly one
 * novelty — a public network never seen, a `curl`/`python-requests` client never seen, or a person never seen at
 * hours the agent is never active — and every variant is planted.
 */
export function expectNeverSeen(normal: TraceLine[], incidents: Map<string, TraceLine[]>, spec: NoveltySpec): void {
  const seenBy = (f: (l: TraceLine) => string | undefined) => {
    const m = new Map<string, Set<string | undefined>>();
    for (const l of normal) m.set(l.agent, (m.get(l.agent) ?? new Set()).add(f(l)));
    return m;
  };
  const tools = seenBy((l) => l.tool);
  const networks = seenBy((l) => l.context.sourceNetwork);
  const clients = seenBy((l) => l.context.userAgent);
  const people = seenBy((l) => l.context.onBehalfOf);
  const hours = seenBy((l) => l.time.slice(11, 13));
  const anyTool = new Set(normal.map((l) => l.tool));
  const newToolsOf = new Map<string, string[]>();
  const variants = new Map<string, number>();
  for (const ls of incidents.values()) {
    const [l, agent] = [ls[0]!, ls[0]!.agent];
    if (l.label === 'new_tool') {
      for (const x of ls) {
        expect(['HIGH', 'CRITICAL']).toContain(x.sensitivity);
        expect(tools.get(agent)!.has(x.tool)).toBe(false);
        if (spec.newToFamily) expect(anyTool.has(x.tool)).toBe(false);
      }
      newToolsOf.set(agent, [...(newToolsOf.get(agent) ?? []), l.tool]);
    }
    if (l.label === 'odd_context') {
      expect(ls.length).toBeGreaterThanOrEqual(2);
      if (spec.sameContext) {
        expect(ls.every((x) => JSON.stringify(x.context) === JSON.stringify(l.context))).toBe(true);
      }
      const network = !networks.get(agent)!.has(l.context.sourceNetwork);
      const client = !clients.get(agent)!.has(l.context.userAgent);
      const person =
        !people.get(agent)!.has(l.context.onBehalfOf) && ls.every((x) => !hours.get(agent)!.has(x.time.slice(11, 13)));
      expect([network, client, person].filter(Boolean)).toHaveLength(1);
      if (network) expect(l.context.sourceNetwork).not.toMatch(PRIVATE);
      if (client) expect(l.context.userAgent).toMatch(/^(curl|python-requests)\//);
      const variant = network ? 'network' : client ? 'client' : 'person';
      variants.set(variant, (variants.get(variant) ?? 0) + 1);
    }
  }
  expect([...variants.keys()].sort()).toEqual(['client', 'network', 'person']);
  for (const n of variants.values()) expect(n).toBeGreaterThanOrEqual(spec.perVariant);
  if (spec.newToFamily) for (const ts of newToolsOf.values()) expect(new Set(ts).size).toBe(ts.length);
}

/**
 * Each drift is one operation of one agent rising for at least three days, ending in a request at 70–90× the
 * operation's level before day 10 (its `post_drift` jump), after which the operation is back to normal.
 * `perDayAtLeast`: how often the drifting operation runs, per day of the trace, at least.
 */
export function expectDriftJumps(
  normal: TraceLine[],
  incidents: Map<string, TraceLine[]>,
  { perDayAtLeast }: { perDayAtLeast: number },
): void {
  for (const [id, [jump]] of incidents) {
    if (!id.startsWith('post_drift')) continue;
    const drift = [...incidents.values()].find(
      (d) => d[0]!.label === 'drift' && d[0]!.agent === jump!.agent && d[0]!.operation === jump!.operation,
    )!;
    expect(drift.every((l) => l.operation === jump!.operation && l.agent === jump!.agent)).toBe(true);
    expect(drift[drift.length - 1]!.time < jump!.time).toBe(true);
    expect(dayOf(drift[drift.length - 1]!) - dayOf(drift[0]!)).toBeGreaterThanOrEqual(3);
    const same = normal.filter((l) => l.agent === jump!.agent && l.operation === jump!.operation);
    expect(same.length / 42).toBeGreaterThanOrEqual(perDayAtLeast);
    const usual = median(same.filter((l) => dayOf(l) < 10).map((l) => l.volume));
    expect(jump!.volume / usual).toBeGreaterThan(70);
    expect(jump!.volume / usual).toBeLessThan(90);
    expect(median(drift.map((l) => l.volume)) / usual).toBeGreaterThan(3);
    const after = same.filter((l) => l.time > jump!.time);
    expect(after.length).toBeGreaterThan(0);
    expect(median(after.map((l) => l.volume)) / usual).toBeLessThan(1.5);
  }
}

/** What a later family (ninth on) promises where the families differ, for `itKeepsTheFamilyPromises`. */
export interface FamilyPromises {
  /** Its key in `FAMILIES`. */
  family: string;
  generate: (o: FamilyOptions) => TraceLine[];
  tunedOn: boolean;
  archetypes: string[];
  planted: PlantedSpec;
  /** `expectBulkRatios`' `minUses`. */
  bulkMinUses: number;
  /** `expectOddSequencesAreNew`'s `oncePerAgent`. */
  oncePerAgent: boolean;
  novelty: NoveltySpec;
  /** `expectDriftJumps`' `perDayAtLeast`. */
  driftPerDay: number;
}

/**
 * Declares, inside a family's `describe`, the tests every later family keeps alike: reproducible and registered,
 * well formed, every judged kind planted, bulk ratios, odd sequences that are new, never-seen novelties, drift jumps.
 */
export function itKeepsTheFamilyPromises(lines: TraceLine[], p: FamilyPromises): void {
  const normal = lines.filter((l) => l.label === 'normal');
  const incidents = incidentsOf(lines);
  const registered = p.tunedOn ? 'tuned on since its held-out run' : 'held out';

  it(`is deterministic for a seed, differs across seeds, is in time order and registered as ${registered}`, () => {
    const small = { seed: 3, agentsPerArchetype: 1, days: 30 };
    expectReproducible(p.generate, small, lines);
    expect(FAMILIES[p.family]).toMatchObject({
      generator: `bench/detector/families/${p.family}.ts`,
      tunedOn: p.tunedOn,
    });
    const tiny = { seed: 1, agentsPerArchetype: 1, days: 14 };
    expect(FAMILIES[p.family]!.generate(tiny)).toEqual(p.generate(tiny));
    expect(new Set(lines.map((l) => l.archetype))).toEqual(new Set(p.archetypes));
    expect(new Set(lines.map((l) => l.agent)).size).toBe(4 * p.archetypes.length);
  });

  it('uses valid labels and ids, one label and one agent per incident, all from day 10 on', () => {
    expectWellFormed(lines, incidents, /^post_drift-\d+$/);
  });

  it('plants every judged kind: ≥ 24 bulk, ≥ 16 odd sequences on MEDIUM and on HIGH, 16 of each other, 8 drifts', () => {
    expectPlanted(incidents, p.planted);
  });

  it('bulk requests are 30–300× the usual items or money of their operation for the agent', () => {
    expectBulkRatios(incidents, normal, { minUses: p.bulkMinUses });
  });

  it('an odd sequence is a routine operation right after a step it never follows, in the same context', () => {
    expectOddSequencesAreNew(lines, incidents, { oncePerAgent: p.oncePerAgent });
  });

  it('new tools, networks, clients, people and hours are never seen in the agent’s ordinary traffic', () => {
    expectNeverSeen(normal, incidents, p.novelty);
  });

  it('a drift rises for days and ends in one request at ~80× the original level, then returns to normal', () => {
    expectDriftJumps(normal, incidents, { perDayAtLeast: p.driftPerDay });
  });
}
