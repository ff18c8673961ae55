/**
 * The rate signal: how busy the agent is right now against its usual busiest window, both for this operation (a
 * leaky count against the operation's own daily peaks, `rate.operation`) and for the agent as a whole (requests in
 * the sliding window against its busiest window of a usual day). The stronger reading counts.
 *
 * Per operation, because a burst is one thing done over and over: while it runs, the agent's other, routine
 * requests are not out of pace, and a legitimate peak (breaking news, a storm) raises every step of the work
 * together rather than one step far past its own busiest days.
 */
import { entry, requestsInWindow, usualBusiest, usualOperationPace, type Baseline } from './baseline.js';
import { formatNumber } from './format.js';
import type { ActionFacts, Reason } from './types.js';
import type { Policy } from './policy.js';
import { clamp } from './numbers.js';

/** Points for `count` against `usual`: above `tolerance` × usual, up to `weight` at `doublings` doublings past it. */
function pacePoints(count: number, usual: number, p: { tolerance: number; doublings: number; weight: number }): number {
  const pts = p.weight * clamp(Math.log2(count / (p.tolerance * usual)) / p.doublings, 0, 1);
  return pts > 0 ? pts : 0;
}

export function rate(b: Baseline, f: ActionFacts, key: string, policy: Policy, out: Reason[]): void {
  const R = policy.rate;
  const minutes = formatNumber(R.windowMs / 60_000);

  const count = requestsInWindow(b, f.at, R.windowMs) + 1;
  const { usual } = usualBusiest(b, f.at, policy);
  const agentPts = pacePoints(count, usual, R);

  const op = usualOperationPace(entry(b.stats, key)?.rate, f.at, policy);
  const opPts = pacePoints(op.count, op.usual, R.operation);

  if (opPts > agentPts) {
    out.push({
      signal: 'rate',
      contribution: opPts,
      detail: `About ${formatNumber(Math.round(op.count))} requests for ${key} in the last ${minutes} minutes; this agent's busiest ${minutes} minutes for ${key} usually hold at most ${formatNumber(Math.round(op.usual))}.`,
    });
  } else if (agentPts > 0) {
    out.push({
      signal: 'rate',
      contribution: agentPts,
      detail: `${formatNumber(count)} requests in the last ${minutes} minutes; this agent's busiest ${minutes} minutes usually hold at most ${formatNumber(usual)}.`,
    });
  }
}
