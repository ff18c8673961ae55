/**
 * The context signal: a source network, delegating person or client never (or barely) seen for this agent, weighted
 * by how often this agent sees new values, and an hour at which it is almost never active.
 */
import { contextValue, entry, hourOf, type Baseline } from './baseline.js';
import { mostCommon, noveltySurprise, unfamiliarity } from './familiarity.js';
import { formatNumber, quote, times } from './format.js';
import type { Policy } from './policy.js';
import type { ActionFacts, Reason } from './types.js';
import { clamp } from './numbers.js';

export function context(b: Baseline, f: ActionFacts, policy: Policy, out: Reason[]): void {
  for (const k of policy.context.keys) {
    const { key, label, weight } = k;
    const cat = entry(b.context, key);
    if (!cat || cat.tot === 0) continue;
    const value = contextValue(f, k);
    const count = entry(cat.n, value);
    const pts = weight * unfamiliarity(count, policy) * noveltySurprise(cat);
    if (!(pts > 0)) continue;
    const usual = mostCommon(cat);
    const seen = count === undefined ? '' : ` (seen only ${times(count)} before)`;
    const detail =
      key === 'onBehalfOf' && value !== '(none)'
        ? `Acting for ${quote(value)}, a person this agent has ${count === undefined ? 'not acted for before' : `acted for only ${times(count)} before`}${usual && usual !== '(none)' ? ` (most often it acts for ${quote(usual)})` : ''}.`
        : `${label[0]!.toUpperCase()}${label.slice(1)} ${quote(value)} is new for this agent${seen}${usual ? `; usually ${quote(usual)}` : ''}.`;
    out.push({ signal: 'context', contribution: pts, detail });
  }
  const tot = b.hours.reduce((a, v) => a + v, 0);
  if (tot > 0) {
    const h = hourOf(f.at, policy);
    const at = (i: number) => b.hours[(i + 24) % 24] ?? 0;
    const p = (at(h) + 0.25 * (at(h - 1) + at(h + 1)) + 0.5) / (1.5 * tot + 12);
    const pts = policy.context.hourWeight * clamp((-Math.log10(p) - 1.5) / 1.5, 0, 1);
    if (pts > 0) {
      const off = policy.context.utcOffsetMinutes;
      const zone =
        off === 0
          ? 'UTC'
          : `UTC${off > 0 ? '+' : '-'}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`;
      const share = (100 * at(h)) / tot;
      out.push({
        signal: 'context',
        contribution: pts,
        detail: `Request at ${String(h).padStart(2, '0')}:00 ${zone}, an hour when this agent is rarely active (${share < 0.1 ? (share === 0 ? 'none' : 'under 0.1%') : `${formatNumber(share)}%`} of its requests).`,
      });
    }
  }
}
