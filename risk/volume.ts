/**
 * The volume signal: records and money against this agent's usual range for the tool+operation (or, for an
 * operation it barely used, against the most it usually touches or moves in any request), and a slow rise
 * no single request gives away (`volume.creep`).
 */
import {
  approvedLevel,
  creepAfter,
  entry,
  observedTail,
  observedUpper,
  usualRange,
  type Baseline,
  type Dist,
} from './baseline.js';
import { formatNumber, formatRatio, times } from './format.js';
import type { ActionFacts, Reason } from './types.js';
import type { Policy } from './policy.js';
import { clamp } from './numbers.js';

function volumePoints(value: number, upper: number, policy: Policy): number {
  const excess = Math.log10((value + 1) / (upper + 1));
  if (!(excess > 0)) return 0;
  return policy.volume.max * (1 - Math.exp(-excess / policy.volume.scale));
}

/** The largest usual upper bound among the agent's operations (volume or amount). */
function largestUsual(b: Baseline, policy: Policy, kind: 'volume' | 'amount'): { upper: number; key: string } | null {
  let best: { upper: number; key: string } | null = null;
  for (const [k, s] of b.stats) {
    const d: Dist | undefined = kind === 'volume' ? s.vol : s.amt;
    if (!d) continue;
    const r = usualRange(d, policy, kind);
    if (!best || r.upper > best.upper) best = { upper: r.upper, key: k };
  }
  return best;
}

/** Points for a slow rise of `d` that this value continues (`volume.creep`). */
function creep(
  d: Dist,
  value: number,
  f: ActionFacts,
  key: string,
  what: 'Records' | 'Amounts',
  policy: Policy,
  warm: boolean,
  out: Reason[],
): void {
  const C = policy.volume.creep;
  const { u, rising } = creepAfter(d, value, f.at, policy, warm);
  if (!rising) return;
  const pts = C.weight * clamp((u - C.from) / (C.to - C.from), 0, 1);
  if (!(pts > 0)) return;
  const r = usualRange(d, policy, what === 'Records' ? 'volume' : 'amount');
  out.push({
    signal: 'volume',
    contribution: pts,
    detail: `${what} on ${key} keep running above this agent's usual level (median ${formatNumber(r.typical)}; now ${formatNumber(value)}): a sustained rise of ${formatNumber(u)} spread·days, where ${formatNumber(C.from)} is already unusual.`,
  });
}

/**
 * The bar a value must pass to say anything: `upper`, or `headroom` × what a person approved on this operation within
 * `volume.approval.memoryMs` if that is higher — with the words that say so.
 */
function bar(d: Dist | undefined, upper: number, f: ActionFacts, policy: Policy): { upper: number; note: string } {
  const level = d ? approvedLevel(d, f.at, policy) : undefined;
  if (level === undefined) return { upper, note: '' };
  const approved = Math.expm1(level);
  const raised = approved * policy.volume.approval.headroom;
  if (raised <= upper) return { upper, note: '' };
  const hours = formatNumber(Math.round(policy.volume.approval.memoryMs / 3_600_000));
  return { upper: raised, note: `; a person approved ${formatNumber(approved)} in the last ${hours} hours` };
}

/**
 * The bar for an operation the agent has barely used (fewer than `minKeySamples` values): the most it usually moves
 * on any operation × `newKey…Ratio` (or the first-money allowance), or — when that is lower — what its own few values
 * allow (`volume.tail`), which is then the reason given (`own`: how many values, the most of them).
 */
function rarelyUsedBar(
  b: Baseline,
  d: Dist | undefined,
  kind: 'volume' | 'amount',
  f: ActionFacts,
  policy: Policy,
): { upper: number; own: { count: number; most: number } | null; most: { upper: number; key: string } | null } {
  const V = policy.volume;
  const floor = kind === 'volume' ? V.minAbsVolume : V.minAbsAmount;
  const most = largestUsual(b, policy, kind);
  const agentWide =
    kind === 'volume'
      ? Math.max(most ? most.upper : 0, floor) * V.newKeyVolumeRatio
      : most
        ? Math.max(most.upper, floor) * V.newKeyAmountRatio
        : V.firstMoneyAllowance;
  const tail = d ? observedTail(d, policy) : null;
  const ownUpper = d && tail ? Math.max(Math.expm1(observedUpper(d, policy)!), floor) : Infinity;
  const own = tail && ownUpper < agentWide ? { count: tail.count, most: Math.expm1(tail.logUpper) } : null;
  return { upper: bar(d, Math.min(agentWide, ownUpper), f, policy).upper, own, most };
}

export function volume(b: Baseline, f: ActionFacts, key: string, policy: Policy, warm: boolean, out: Reason[]): void {
  const V = policy.volume;
  const stats = entry(b.stats, key);
  const x = Math.max(0, f.volume);
  // Records.
  if (stats && stats.vol.n >= V.minKeySamples) {
    creep(stats.vol, x, f, key, 'Records', policy, warm, out);
    const r = usualRange(stats.vol, policy, 'volume');
    const { upper, note } = bar(stats.vol, r.upper, f, policy);
    const pts = volumePoints(x, upper, policy);
    if (pts > 0) {
      out.push({
        signal: 'volume',
        contribution: pts,
        detail: `Volume ${formatNumber(x)} records is ${formatRatio(x / Math.max(r.typical, 1))}× this agent's median of ${formatNumber(r.typical)} for ${key} (usually at most ${formatNumber(r.upper)}${note}).`,
      });
    }
  } else {
    const { upper, own, most } = rarelyUsedBar(b, stats?.vol, 'volume', f, policy);
    const pts = volumePoints(x, upper, policy);
    if (pts > 0) {
      out.push({
        signal: 'volume',
        contribution: pts,
        detail: own
          ? `Volume ${formatNumber(x)} records on ${key}, which this agent has used only ${times(own.count)}, is ${formatRatio(x / Math.max(own.most, 1))}× the top of what it touched there (${formatNumber(own.most)}).`
          : most
            ? `Volume ${formatNumber(x)} records on ${key}, which this agent has rarely or never used, is ${formatRatio(x / Math.max(most.upper, 1))}× the most it usually touches in one request (${formatNumber(most.upper)}, on ${most.key}).`
            : `Volume ${formatNumber(x)} records from an agent with no history yet (more than ${formatNumber(upper)} is unusual for a first request).`,
      });
    }
  }
  // Money.
  const amount = Math.max(0, f.amount);
  if (!(amount > 0)) return;
  if (stats?.amt && stats.amt.n >= V.minKeySamples) {
    creep(stats.amt, amount, f, key, 'Amounts', policy, warm, out);
    const r = usualRange(stats.amt, policy, 'amount');
    const { upper, note } = bar(stats.amt, r.upper, f, policy);
    const pts = volumePoints(amount, upper, policy);
    if (pts > 0) {
      out.push({
        signal: 'volume',
        contribution: pts,
        detail: `Amount ${formatNumber(amount)} is ${formatRatio(amount / Math.max(r.typical, 1))}× this agent's median of ${formatNumber(r.typical)} for ${key} (usually at most ${formatNumber(r.upper)}${note}).`,
      });
    }
    return;
  }
  const { upper, own, most } = rarelyUsedBar(b, stats?.amt, 'amount', f, policy);
  const pts = volumePoints(amount, upper, policy);
  if (pts > 0) {
    out.push({
      signal: 'volume',
      contribution: pts,
      detail: own
        ? `Amount ${formatNumber(amount)} on ${key}, where this agent has moved money only ${times(own.count)}, is ${formatRatio(amount / Math.max(own.most, 1))}× the top of what it moved there (${formatNumber(own.most)}).`
        : most
          ? `Amount ${formatNumber(amount)} on ${key}, where this agent has rarely or never moved money, is ${formatRatio(amount / Math.max(most.upper, 1))}× the largest amount it usually moves (${formatNumber(most.upper)}, on ${most.key}).`
          : `Amount ${formatNumber(amount)} from an agent that has never moved money (a first amount above ${formatNumber(upper)} is unusual).`,
    });
  }
}
