/**
 * The values an operation actually saw (`volume.tail`, `Dist.h`): the usual upper bound is at most their top quantile
 * × a margin (wider for a short history), where centre + k·spread, which assumes a log-normal spread, allows far more;
 * and an operation used only a few times is compared with its own values, not only with the agent's busiest one.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../bench/detector/generate-traces.js';
import { emptyBaseline, entry, observedTail, usualRange, type Baseline } from '../risk/baseline.js';
import { decide } from '../risk/decide.js';
import { learn } from '../risk/learn.js';
import { policyFor } from '../risk/policy.js';
import { scoringPolicy } from '../risk/revisions.js';
import { assess } from '../risk/score.js';
import type { ActionFacts } from '../risk/types.js';
import { MIN, P, T0, facts, history, monday, step } from './helpers/risk.js';

const decision = (b: Baseline, f: ActionFacts, policy = P) => decide(assess(b, f, policy), f, policy).decision;

describe('an operation whose values end sooner than a log-normal spread would say', () => {
  // Searches touching 10 to 400 records, spread evenly in log space: a wide spread, a hard end.
  const r = mulberry32(11);
  const { baseline, end } = history('analyst-1', [
    { tool: 'warehouse', operation: 'search', sensitivity: 'MEDIUM', volume: () => Math.round(10 * 40 ** r()) },
    { tool: 'tickets', operation: 'update_ticket', sensitivity: 'LOW', volume: () => 1 },
  ]);
  const search = (volume: number) => facts('analyst-1', step('warehouse', 'search', 'MEDIUM', volume), monday(end));
  const d = entry(baseline.stats, 'warehouse:search')!.vol;

  it('bounds the usual range by the values seen, not only by centre + k·spread', () => {
    const now = usualRange(d, P, 'volume');
    const before = usualRange(d, scoringPolicy(3, null), 'volume');
    expect(before.upper).toBeGreaterThan(1_200);
    expect(now.upper).toBeLessThan(before.upper * 0.75);
    expect(now.upper).toBeGreaterThan(400 * P.volume.tail.margin); // never under what was seen, times the margin
  });

  it('holds a request far past anything the operation ever touched, which revision 3 let through', () => {
    expect(decision(baseline, search(1_800), scoringPolicy(3, null))).toBe('ALLOW');
    const a = assess(baseline, search(1_800), P);
    expect(decide(a, search(1_800), P).decision).toBe('REVIEW');
    expect(a.reasons[0]!.detail).toMatch(
      /^Volume 1,800 records is [\d.]+× this agent's median of [\d.]+ for warehouse:search \(usually at most [\d,]+\)\.$/,
    );
    // Its own busiest requests still pass.
    expect(decision(baseline, search(400))).toBe('ALLOW');
  });
});

describe('an operation used only a few times', () => {
  // A SOC agent whose searches touch ~100,000 events; it exported a report of 3–6 pages three times.
  const { baseline, end } = history('soc-1', [
    { tool: 'siem', operation: 'search_events', sensitivity: 'LOW', volume: () => 100_000 },
    { tool: 'tickets', operation: 'update_ticket', sensitivity: 'LOW', volume: () => 1 },
  ]);
  let b = baseline;
  for (const [i, pages] of [3, 6, 4].entries())
    b = learn(b, facts('soc-1', step('reports', 'export_report', 'MEDIUM', pages), monday(end, i * 60)), P);
  const exportReport = (pages: number) =>
    facts('soc-1', step('reports', 'export_report', 'MEDIUM', pages), monday(end, 240));

  it('is compared with its own few values, not only with the agent’s busiest operation', () => {
    expect(decision(b, exportReport(2_000), scoringPolicy(3, null))).toBe('ALLOW');
    expect(decision(b, exportReport(2_000))).toBe('REVIEW');
    // And says so: measured against its own values, not the agent's 100,000-event searches.
    expect(assess(b, exportReport(2_000), P).reasons[0]!.detail).toMatch(
      /^Volume 2,000 records on reports:export_report, which this agent has used only 3 times, is [\d,]+× the top of what it touched there \([\d.]+\)\.$/,
    );
    // A short history is given a wide margin: a few times its largest is still usual.
    expect(decision(b, exportReport(20))).toBe('ALLOW');
  });
});

describe('the histogram of values seen', () => {
  it('spans only the bins counted, lets old extremes fade, and is read only past `minSamples`', () => {
    const tight = policyFor(P, { volume: { tail: { halveAt: 100 } } });
    let b = emptyBaseline();
    const f = (volume: number, i: number) => facts('a', step('t', 'op', 'LOW', volume), T0 + i * MIN);
    b = learn(b, f(5_000_000, 0), tight); // one huge value first
    for (let i = 1; i <= 300; i++) b = learn(b, f(1 + (i % 50), i), tight);
    const d = entry(b.stats, 't:op')!.vol;
    expect(d.h![0]).toBe(Math.floor(Math.log1p(1) / P.volume.tail.binWidth));
    // The 5,000,000 is gone: the span ends at the bin of 50.
    expect(d.h!.length - 1).toBeLessThanOrEqual(Math.ceil(Math.log1p(51) / P.volume.tail.binWidth));
    expect(d.h!.slice(1).reduce((a, c) => a + c, 0)).toBeLessThanOrEqual(100);
    // The early 5,000,000 faded with the halvings: the tail read is about the recent values (at most 50).
    expect(Math.expm1(observedTail(d, tight)!.logUpper)).toBeLessThan(100);

    const few = learn(learn(emptyBaseline(), f(10, 0), P), f(12, 1), P);
    expect(observedTail(entry(few.stats, 't:op')!.vol, P)).toBeNull(); // 2 < minSamples
    expect(
      observedTail(entry(few.stats, 't:op')!.vol, policyFor(P, { volume: { tail: { minSamples: 0 } } })),
    ).toBeNull();
  });
});
