/**
 * Learning: an allowed or approved action folded into the agent's baseline (risk/baseline.ts) — its tools and
 * operations, volume and amount statistics, steps, pace, hours and context values, and its thread's session.
 *
 * Pure and deterministic like everything in `risk/`: time comes from the facts, the input is never mutated
 * (copy-on-write) and every list stays within `Policy.limits`.
 */
import {
  DAY_MS,
  approvedLevel,
  approvedPace,
  cleanValue,
  contextValue,
  creepAfter,
  dayOf,
  emptyCategorical,
  entry,
  hourOf,
  isWarmingUp,
  leakyCount,
  opKey,
  previousOperation,
  requestsInWindow,
  threadOf,
  withEntry,
  type Baseline,
  type Categorical,
  type Dist,
  type Entries,
  type OpRate,
  type SessionMark,
} from './baseline.js';
import type { Policy } from './policy.js';
import { sessionAfter } from './session.js';
import type { ActionFacts } from './types.js';
import { clamp, round4 } from './numbers.js';

/**
 * Learns one allowed or approved action. Pure: returns a new baseline and leaves `baseline` untouched
 * (unchanged parts are shared). Call it only for actions that were allowed, or approved by a person
 * (`approved`: a person looked at this one and let it through).
 */
export function learn(baseline: Baseline, facts: ActionFacts, policy: Policy, approved = false): Baseline {
  const b: Baseline = { ...baseline };
  const at = facts.at;
  const lim = policy.limits;
  const warm = isWarmingUp(baseline, at, policy);
  const key = opKey(facts);

  b.tools = observe(b.tools, cleanValue(facts.tool), lim.tools, lim.halveAt).cat;
  b.audiences = observe(b.audiences, cleanValue(facts.toolResource), lim.tools, lim.halveAt).cat;
  const ops = observe(b.ops, key, lim.operations, lim.halveAt);
  b.ops = ops.cat;
  if (ops.removed.length) {
    b.stats = b.stats.filter(([k]) => !ops.removed.includes(k));
    b.trans = b.trans.filter(([k]) => !ops.removed.includes(k));
    if (b.transLost) b.transLost = b.transLost.filter(([k]) => !ops.removed.includes(k));
  }

  // Volume and amount statistics.
  const prev = entry(b.stats, key);
  const vol = updateDist(prev?.vol, facts.volume, at, policy, warm, approved);
  const amt = facts.amount > 0 ? updateDist(prev?.amt, facts.amount, at, policy, warm, approved) : prev?.amt;
  const rate = opRateAfter(prev?.rate, at, policy, approved);
  b.stats = withEntry(b.stats, key, { vol, ...(amt ? { amt } : {}), rate });

  // Sequence, within the request's thread.
  const thread = threadOf(facts, policy);
  const last = entry(b.threads, thread);
  if (!last || at >= last.at) {
    const from = previousOperation(b, facts, policy);
    let row = entry(b.trans, from) ?? [];
    const had = entry(row, key);
    let lost = (b.transLost ? entry(b.transLost, from) : undefined) ?? 0;
    row = withEntry(row, key, (had ?? 0) + 1);
    if (row.reduce((a, [, v]) => a + v, 0) > lim.halveAt) {
      row = halve(row);
      lost = Math.ceil(lost / 2);
    }
    if (had === undefined) {
      const kept = evict(row, lim.transitionsPerOperation, key).list;
      for (const [k, v] of row) if (!kept.some(([j]) => j === k)) lost += v;
      lost = Math.min(lost, lim.halveAt);
      row = kept;
    }
    b.trans = withEntry(b.trans, from, row);
    if (lost > 0) b.transLost = withEntry(b.transLost ?? [], from, lost);
    const mark = sessionAfter(baseline, facts, policy, approved);
    let threads = withEntry(b.threads, thread, { op: key, at, ...(mark ? { s: mark } : {}) });
    if (threads.length > lim.threads) {
      const oldest = threads.reduce(
        (o, e) => (e[0] !== thread && (!o || e[1].at < o[1].at) ? e : o),
        null as [string, { op: string; at: number; s?: SessionMark }] | null,
      );
      if (oldest) threads = threads.filter((e) => e !== oldest);
    }
    b.threads = threads;
  }

  // Rate: how many requests the window ending now holds (this one included); keep each day's busiest.
  const inWindow = requestsInWindow(b, at, policy.rate.windowMs) + 1;
  const day = dailyPeaksAfter(b.rateDay, b.rateToday, b.ratePeaks, at, inWindow, policy);
  b.rateDay = day.day;
  b.rateToday = day.today;
  b.ratePeaks = day.peaks;
  const paceApproved = approvedPaceAfter(b.rateApproved, inWindow, at, policy, approved);
  if (paceApproved) b.rateApproved = paceApproved;
  else delete b.rateApproved;
  const recent = b.recent.slice();
  let i = recent.length;
  while (i > 0 && recent[i - 1]! > at) i--;
  recent.splice(i, 0, at);
  const newest = recent[recent.length - 1]!;
  b.recent = recent.filter((t) => t > newest - policy.rate.windowMs).slice(-lim.recentTimestamps);

  // Context.
  const h = hourOf(at, policy);
  let hours = b.hours.slice();
  hours[h] = (hours[h] ?? 0) + 1;
  if (hours.reduce((a, v) => a + v, 0) > lim.halveAt) hours = hours.map((v) => Math.ceil(v / 2));
  b.hours = hours;
  for (const k of policy.context.keys) {
    const cat = entry(b.context, k.key) ?? emptyCategorical();
    b.context = withEntry(b.context, k.key, observe(cat, contextValue(facts, k), lim.contextValues, lim.halveAt).cat);
  }

  b.learned += 1;
  b.firstSeen = b.firstSeen === null ? at : Math.min(b.firstSeen, at);
  b.lastSeen = b.lastSeen === null ? at : Math.max(b.lastSeen, at);
  return b;
}

// ------------------------------------------------------------------------------------------- helpers

/**
 * One robust update of a log-space distribution. Full weight (running mean) while the key is young or
 * the agent is warming up; afterwards weight ≤ maxWeight, residual clipped at `clip` spreads, and the
 * centre/spread rate-limited per elapsed day.
 */
function updateDist(
  d: Dist | undefined,
  x: number,
  at: number,
  policy: Policy,
  agentWarm: boolean,
  approved: boolean,
): Dist {
  const y = Math.log1p(Math.max(0, x));
  if (!d) return { n: 1, c: round4(y), s: 0, t: at, h: histogramWith(undefined, y, policy) };
  const L = policy.learning;
  const n = d.n + 1;
  // A person approved this request, level and all: the rise so far is accepted and the count starts again (if
  // it goes on, they are asked again). The centre still learns only within the caps.
  const u = approved ? 0 : creepAfter(d, x, at, policy, agentWarm).u;
  const young = agentWarm || d.n < L.keyWarmupSamples;
  const r = y - d.c;
  let dc: number;
  let ds: number;
  if (young) {
    const w = 1 / n;
    dc = w * r;
    ds = w * (Math.abs(r) - d.s);
  } else {
    const w = Math.min(1 / n, L.maxWeight);
    const lim = L.clip * clamp(d.s, policy.volume.minSpread, policy.volume.maxSpread);
    dc = w * clamp(r, -lim, lim);
    ds = w * (Math.min(Math.abs(r), lim) - d.s);
    const days = Math.max(0, at - d.t) / DAY_MS;
    dc = clamp(dc, -L.maxDriftPerDay * days, L.maxDriftPerDay * days);
    ds = clamp(ds, -L.maxSpreadChangePerDay * days, L.maxSpreadChangePerDay * days);
  }
  const a = approved
    ? ([round4(Math.max(y, approvedLevel(d, at, policy) ?? y)), Math.max(at, d.a?.[1] ?? at)] as [number, number])
    : d.a;
  return {
    n: Math.min(n, 1e9),
    c: round4(d.c + dc),
    s: round4(clamp(d.s + ds, 0, policy.volume.maxSpread)),
    t: Math.max(at, d.t),
    ...(u > 0 ? { u: round4(u) } : {}),
    ...(a && approvedLevel({ ...d, a }, at, policy) !== undefined ? { a } : {}),
    h: histogramWith(d.h, y, policy),
  };
}

/** `h` (see `Dist.h`) with one more value `y` = log(1+x) counted. */
function histogramWith(h: number[] | undefined, y: number, policy: Policy): number[] {
  const T = policy.volume.tail;
  // Bins cover [0, bins × binWidth) in log space; anything larger counts in the last one.
  const bin = clamp(Math.floor(y / T.binWidth), 0, Math.max(1, T.bins) - 1);
  if (!h || h.length < 2) return [bin, 1];
  let first = h[0]!;
  let counts = h.slice(1);
  if (bin < first) {
    counts = [...new Array<number>(first - bin).fill(0), ...counts];
    first = bin;
  }
  const i = bin - first;
  while (counts.length <= i) counts.push(0);
  counts[i] = counts[i]! + 1;
  if (counts.reduce((a, c) => a + c, 0) > T.halveAt) counts = counts.map((c) => Math.floor(c / 2));
  // Only the span between the lowest and the highest counted bin is kept (a halving may empty either end).
  let lo = 0;
  let hi = counts.length;
  while (lo < hi && counts[lo] === 0) lo++;
  while (hi > lo && counts[hi - 1] === 0) hi--;
  return lo === hi ? [bin, 1] : [first + lo, ...counts.slice(lo, hi)];
}

/** An operation's pace after one more request at `at`. A request older than the last one counts as at the last. */
function opRateAfter(r: OpRate | undefined, at: number, policy: Policy, approved: boolean): OpRate {
  const t = r ? Math.max(r.t, at) : at;
  const x = round4(leakyCount(r, t, policy) + 1);
  const day = dailyPeaksAfter(r?.day ?? null, r?.today ?? 0, r?.peaks ?? [], t, x, policy);
  const a = approvedPaceAfter(r?.a, x, t, policy, approved);
  return { x, t, day: day.day!, today: day.today, peaks: day.peaks, ...(a ? { a } : {}) };
}

/**
 * The approved pace after a request at pace `pace`: raised to it when a person approved this one, kept while fresh,
 * dropped once it lapses (or when the policy keeps none).
 */
function approvedPaceAfter(
  a: [number, number] | undefined,
  pace: number,
  at: number,
  policy: Policy,
  approved: boolean,
): [number, number] | undefined {
  const fresh = approvedPace(a, at, policy);
  if (approved && policy.rate.approval.memoryMs > 0) return [round4(Math.max(pace, fresh)), Math.max(at, a?.[1] ?? at)];
  return fresh > 0 ? a : undefined;
}

/**
 * Each day's busiest window after a new reading `value` at `at`: a new day closes the previous one into `peaks`, days
 * without any learned request counting as quiet days (peak 0), up to the kept number of days.
 */
function dailyPeaksAfter(
  day: number | null,
  today: number,
  peaks: number[],
  at: number,
  value: number,
  policy: Policy,
): { day: number | null; today: number; peaks: number[] } {
  const now = dayOf(at, policy);
  if (day === null || now > day) {
    if (day === null) return { day: now, today: value, peaks };
    const closed = [...peaks, today];
    for (let d = day + 1; d < now && d - day <= policy.rate.days; d++) closed.push(0);
    return { day: now, today: value, peaks: closed.slice(-policy.rate.days) };
  }
  return now === day ? { day, today: Math.max(today, value), peaks } : { day, today, peaks };
}

/** Halves every count (rounding up, so nothing known is forgotten by halving alone). */
function halve(list: Entries<number>): Entries<number> {
  return list.map(([k, v]) => [k, Math.ceil(v / 2)]);
}

/** Removes the least-counted keys (ties: the lexicographically last) until `cap` remain, never `keep`. */
function evict(list: Entries<number>, cap: number, keep: string): { list: Entries<number>; removed: string[] } {
  const removed: string[] = [];
  let out = list;
  while (out.length > cap) {
    let victim = -1;
    for (let i = 0; i < out.length; i++) {
      const [k, v] = out[i]!;
      if (k === keep) continue;
      const w = victim < 0 ? null : out[victim]!;
      if (!w || v < w[1] || (v === w[1] && k > w[0])) victim = i;
    }
    if (victim < 0) break;
    removed.push(out[victim]![0]);
    out = out.filter((_, i) => i !== victim);
  }
  return { list: out, removed };
}

/** Counts one observation; returns the new categorical and the keys evicted to stay within `cap`. */
function observe(cat: Categorical, key: string, cap: number, halveAt: number): { cat: Categorical; removed: string[] } {
  const had = entry(cat.n, key);
  let n = withEntry(cat.n, key, (had ?? 0) + 1);
  let tot = cat.tot + 1;
  let nov = cat.nov + (had === undefined ? 1 : 0);
  if (tot > halveAt) {
    n = halve(n);
    tot = Math.ceil(tot / 2);
    nov = Math.ceil(nov / 2);
  }
  // `tot` keeps the mass of evicted values, so the rate of new values stays honest. Only a new key can overflow.
  const { list, removed } = had === undefined ? evict(n, cap, key) : { list: n, removed: [] };
  return { cat: { n: list, tot, nov }, removed };
}
