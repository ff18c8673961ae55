/**
 * The recall / false-hold trade-off of the REVIEW threshold: for each sensitivity, the trace is replayed with
 * that sensitivity's review threshold moved over a small grid (everything else as `base`), through a policy
 * override — the defaults are not changed.
 */
import { type Sensitivity } from '../../risk/types.js';
import { policyFor, type Policy } from '../../risk/policy.js';
import type { TraceLine } from './generate-traces.js';
import { evaluate, replay } from './replay.js';

export const SWEEP_OFFSETS = [-20, -15, -10, -5, 0, 5, 10] as const;

export interface SweepRow {
  sensitivity: Sensitivity;
  review: number;
  /** Whether this is `base`'s own threshold. */
  current: boolean;
  recall: number;
  sequenceMedium: number | null;
  sequenceHigh: number | null;
  /** Kinds (of JUDGED_KINDS) under their recall target. */
  kindsMissed: number;
  falseHoldsPerAgentDay: number;
  falseContainments: number;
}

export function sweep(lines: TraceLine[], base: Policy): SweepRow[] {
  const rows: SweepRow[] = [];
  for (const sensitivity of ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const) {
    const { review, contain } = base.thresholds[sensitivity];
    for (const offset of SWEEP_OFFSETS) {
      const value = review + offset;
      // A review threshold must stay above zero and below the containment threshold.
      if (value <= 0 || value >= contain) continue;
      const policy = policyFor(base, { thresholds: { [sensitivity]: { review: value } } });
      const report = evaluate(lines, replay(lines, policy));
      rows.push({
        sensitivity,
        review: value,
        current: offset === 0,
        recall: report.recall,
        sequenceMedium: report.judged['odd_sequence MEDIUM']!.recall,
        sequenceHigh: report.judged['odd_sequence HIGH']!.recall,
        kindsMissed: Object.values(report.judged).filter((j) => !j.met).length,
        falseHoldsPerAgentDay: report.falseHoldsPerAgentDay,
        falseContainments: report.falseContainments,
      });
    }
  }
  return rows;
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)} %`);

/** A Markdown table (also readable in a terminal). */
export function sweepTable(rows: SweepRow[]): string {
  const head = [
    '| sensitivity | review at | recall (all) | sequence MEDIUM | sequence HIGH | kinds under target | false holds / agent-day | false containments |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  return [
    ...head,
    ...rows.map(
      (r) =>
        `| ${r.sensitivity} | ${r.review}${r.current ? ' (default)' : ''} | ${pct(r.recall)} | ${pct(r.sequenceMedium)} | ${pct(r.sequenceHigh)} | ${r.kindsMissed} | ${r.falseHoldsPerAgentDay.toFixed(3)} | ${r.falseContainments} |`,
    ),
  ].join('\n');
}
