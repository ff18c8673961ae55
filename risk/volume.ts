/**
 * The volume signal: records and money against this agent's usual range for the tool+operation (or, for an
 * operation it barely used, against the most it usually touches or moves in any request), and a slow rise
 * no single request gives away (`volume.creep`).
 */
import { approvedLevel, creepAfter, entry, observedUpper, usualRange, type Baseline, type Dist } from './baseline.js';
import { formatNumber, formatRatio } from './format.js';
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
    const most = largestUsual(b, policy, 'volume');
    const own = stats ? observedUpper(stats.vol, policy) : null;
    let agentWide = Math.max(most ? most.upper : 0, V.minAbsVolume) * V.newKeyVolumeRatio;
    if (own !== null) agentWide = Math.min(agentWide, Math.max(Math.expm1(own), V.minAbsVolume));
    const { upper } = bar(stats?.vol, agentWide, f, policy);
    const pts = volumePoints(x, upper, policy);
    if (pts > 0) {
      out.push({
        signal: 'volume',
        contribution: pts,
        detail: most
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
  const most = largestUsual(b, policy, 'amount');
  const ownAmt = stats?.amt ? observedUpper(stats.amt, policy) : null;
  let allowance = most ? Math.max(most.upper, V.minAbsAmount) * V.newKeyAmountRatio : V.firstMoneyAllowance;
  if (ownAmt !== null) allowance = Math.min(allowance, Math.max(Math.expm1(ownAmt), V.minAbsAmount));
  const { upper } = bar(stats?.amt, allowance, f, policy);
  const pts = volumePoints(amount, upper, policy);
  if (pts > 0) {
    out.push({
      signal: 'volume',
      contribution: pts,
      detail: most
        ? `Amount ${formatNumber(amount)} on ${key}, where this agent has rarely or never moved money, is ${formatRatio(amount / Math.max(most.upper, 1))}× the largest amount it usually moves (${formatNumber(most.upper)}, on ${most.key}).`
        : `Amount ${formatNumber(amount)} from an agent that has never moved money (a first amount above ${formatNumber(upper)} is unusual).`,
    });
  }
}
