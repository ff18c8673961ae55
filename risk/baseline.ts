/* eslint-disable max-lines -- the baseline's shape, learning and reading change together (risk/README.md). */
/**
 * An agent's behavioural baseline: plain, bounded JSON learned from its allowed or approved actions.
 *
 * It lives in the agent's workflow state, so `learn` is deterministic (time comes from the facts), never
 * mutates its input (copy-on-write), and keeps every list capped (see `Policy.limits`): after any number
 * of learns the baseline stays a few kilobytes.
 *
 * What it remembers:
 * - counts per tool, audience and `tool:op` (with how often something new showed up, for novelty);
 * - per `tool:op`, robust statistics of log(1+volume) and log(1+amount): a Huber-clipped EWMA centre and
 *   mean absolute deviation. The first samples of a key (and everything during warm-up) are learned at
 *   full weight; afterwards each update's weight is capped and the centre may move only
 *   `maxDriftPerDay` per elapsed day, so a slow creep cannot teach the detector to accept an attack;
 * - Markov transition counts between consecutive operations of a thread (`tool:op` → `tool:op`, `^` =
 *   session start; threads are told apart by the delegating person);
 * - recent request timestamps (one rate window) and the busiest window of each recent day;
 * - an hour-of-day histogram and the usual values of each context key (source network, delegating
 *   person, client software).
 *
 * Values chosen by agents (context values, tool and operation names) are kept in lists of
 * `[key, value]` pairs, not as object keys: no prototype surprises, no hidden-class churn, a stable order.
 */
import { cleanValue } from './format.js';
import type { ActionFacts, PeerStats } from './types.js';
import type { ContextKeyPolicy, Policy } from './policy.js';
import { clamp } from './numbers.js';

export { cleanValue };

export const DAY_MS = 86_400_000;
/** Transition source for the first request of a session. */
export const SESSION_START = '^';

/** `[key, value]` pairs with distinct keys. Pairs are never modified in place (copy-on-write). */
export type Entries<T> = Array<[string, T]>;

/** Counts of the values of one categorical feature, and how often a never-seen value appeared. */
export interface Categorical {
  n: Entries<number>;
  /** Observations (halved with the counts; includes values since evicted). */
  tot: number;
  /** How many observations were a value not in `n` at the time (halved with the counts). */
  nov: number;
}

/** Robust running statistics of log(1 + x). */
export interface Dist {
  /** Samples learned (not halved). */
  n: number;
  /** Centre (≈ median of log(1+x)). */
  c: number;
  /** Spread (mean absolute deviation of clipped residuals, log units). */
  s: number;
  /** Time of the last update, epoch ms (for the drift cap). */
  t: number;
  /** How long and how far recent values ran above the centre (spread·days, `volume.creep`); absent is 0. */
  u?: number;
  /**
   * The highest value a person approved (log(1+x)) and when (`volume.approval`): a level they let through is not
   * held again while the approval is fresh. Absent: none.
   */
  a?: [level: number, at: number];
  /**
   * The values seen, as a histogram of log(1+x) in `volume.tail.bins` bins of `volume.tail.binWidth` (the last one
   * also counts anything larger): `[first bin kept, its count, the next bin's count, …]`, from the lowest counted bin
   * to the highest. Counts halve (rounded down) past `volume.tail.halveAt`, so old extremes fade. Absent: none yet.
   */
  h?: number[];
}

/**
 * A thread's session marked suspect (risk/session.ts): the context points of its most unusual request that was still
 * allowed, and when. Absent: none.
 */
export type SessionMark = [points: number, at: number];

export interface OpStats {
  vol: Dist;
  /** Only requests with amount > 0. */
  amt?: Dist;
  /** How busy this operation is now and on its busiest days (`rate.operation`); absent until learned with it. */
  rate?: OpRate;
}

/**
 * One operation's pace: a leaky count of its requests (each decays with time constant `rate.windowMs`, so a run of
 * requests within one window counts about as many), and the highest that count reached on each recent day. O(1)
 * per operation, where timestamps per operation would grow with every busy one.
 */
export interface OpRate {
  /** The leaky count just after the request at `t`. */
  x: number;
  t: number;
  /** The day (as `dayOf`) `today` belongs to. */
  day: number;
  /** The highest count so far that day. */
  today: number;
  /** The highest count of each earlier day (most recent last, quiet days 0), at most `rate.days`. */
  peaks: number[];
  /** The pace a person approved and when (`rate.approval`). Absent: none. */
  a?: [level: number, at: number];
}

export interface Baseline {
  learned: number;
  firstSeen: number | null;
  lastSeen: number | null;
  tools: Categorical;
  audiences: Categorical;
  /** Keyed `tool:op`. */
  ops: Categorical;
  /** Keyed `tool:op` (the keys of `ops.n`). */
  stats: Entries<OpStats>;
  /** prev `tool:op` (or `^`) → next `tool:op` → count. */
  trans: Entries<Entries<number>>;
  /**
   * prev `tool:op` (or `^`) → the counts its full row evicted (halved with the row): next steps it did make that
   * the row no longer lists, so a step missing from a busy row is not taken for one never made. Absent: none.
   */
  transLost?: Entries<number>;
  /**
   * The last operation of each recent thread (threads are told apart by the context key
   * `policy.sequence.threadKey`, by default the delegating person), so interleaved work for different
   * people does not look like odd sequences. Bounded: the most recent `limits.threads`.
   */
  threads: Entries<{ op: string; at: number; s?: SessionMark }>;
  /** Timestamps of learned requests within one rate window of the newest, ascending. */
  recent: number[];
  /**
   * The busiest window of each of the last `rate.days` days (most recent last): the most requests any
   * window ending at a learned request held that day. A burst that slipped through inflates one day only.
   */
  ratePeaks: number[];
  /** The day (epoch day, UTC + offset) `rateToday` belongs to. */
  rateDay: number | null;
  /** The busiest window so far today. */
  rateToday: number;
  /** The agent's pace (requests in the window) a person approved and when (`rate.approval`). Absent: none. */
  rateApproved?: [level: number, at: number];
  /** Requests per hour of day (UTC + policy offset). */
  hours: number[];
  /** Per context key (policy `context.keys`). */
  context: Entries<Categorical>;
}

export function emptyBaseline(): Baseline {
  return {
    learned: 0,
    firstSeen: null,
    lastSeen: null,
    tools: emptyCategorical(),
    audiences: emptyCategorical(),
    ops: emptyCategorical(),
    stats: [],
    trans: [],
    threads: [],
    recent: [],
    ratePeaks: [],
    rateDay: null,
    rateToday: 0,
    hours: Array.from({ length: 24 }, () => 0),
    context: [],
  };
}

export function emptyCategorical(): Categorical {
  return { n: [], tot: 0, nov: 0 };
}

// ---------------------------------------------------------------------------------------------- helpers

/** The value for `key`, if present. */
export function entry<T>(list: Entries<T>, key: string): T | undefined {
  for (const [k, v] of list) if (k === key) return v;
  return undefined;
}

/** A copy of `list` with `key` set to `value` (appended when new). */
export function withEntry<T>(list: Entries<T>, key: string, value: T): Entries<T> {
  const i = list.findIndex(([k]) => k === key);
  const out = list.slice();
  if (i < 0) out.push([key, value]);
  else out[i] = [key, value];
  return out;
}

/** Reads an own property only (a key such as "constructor" must not find Object's). */
export function own<T>(map: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

export function opKey(facts: Pick<ActionFacts, 'tool' | 'operation'>): string {
  return cleanValue(`${facts.tool}:${facts.operation}`);
}

export function hourOf(at: number, policy: Policy): number {
  const local = at + policy.context.utcOffsetMinutes * 60_000;
  return ((Math.floor(local / 3_600_000) % 24) + 24) % 24;
}

/** A context key's value for a request, cleaned; a derived key (domainOf, productOf, scopeOf) reads its source. */
export function contextValue(facts: Pick<ActionFacts, 'context'>, k: ContextKeyPolicy): string {
  if (k.domainOf !== undefined) {
    const source = own(facts.context, k.domainOf);
    const at = typeof source === 'string' ? source.lastIndexOf('@') : -1;
    return cleanValue(at >= 0 ? (source as string).slice(at + 1).toLowerCase() : undefined);
  }
  if (k.productOf !== undefined) {
    const source = own(facts.context, k.productOf);
    return cleanValue(typeof source === 'string' ? source.trim().split(/[\s/]/, 1)[0]!.toLowerCase() : undefined);
  }
  if (k.scopeOf !== undefined) {
    const source = own(facts.context, k.scopeOf);
    return cleanValue(typeof source === 'string' ? addressScope(source) : undefined);
  }
  return cleanValue(own(facts.context, k.key));
}

/** `private`, `loopback`, `link-local` or `public` for an IPv4/IPv6 address or CIDR; undefined when it is neither. */
export function addressScope(value: string): string | undefined {
  const address = value.trim().split('/', 1)[0]!.toLowerCase();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if ([a, b, Number(v4[3]), Number(v4[4])].some((n) => n > 255)) return undefined;
    if (a === 127) return 'loopback';
    if (a === 169 && b === 254) return 'link-local';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127))
      return 'private';
    return 'public';
  }
  if (!/^[0-9a-f:.]+$/.test(address) || !address.includes(':')) return undefined;
  if (address === '::1') return 'loopback';
  if (/^fe[89ab]/.test(address)) return 'link-local';
  if (/^f[cd]/.test(address)) return 'private';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  return mapped ? addressScope(mapped[1]!) : 'public';
}

/** The thread a request belongs to (for sequences): the value of `policy.sequence.threadKey`. */
export function threadOf(facts: Pick<ActionFacts, 'context'>, policy: Policy): string {
  return policy.sequence.threadKey ? cleanValue(own(facts.context, policy.sequence.threadKey)) : '(all)';
}

/**
 * The operation this request follows in its thread (what `learn` records), or `^` when the thread is new or was idle
 * too long.
 */
export function previousOperation(b: Baseline, facts: ActionFacts, policy: Policy): string {
  const last = entry(b.threads, threadOf(facts, policy));
  if (
    !last ||
    facts.at < last.at ||
    facts.at - last.at > policy.sequence.sessionGapMs ||
    entry(b.ops.n, last.op) === undefined
  )
    return SESSION_START;
  return last.op;
}

/**
 * What the scorer compares with: the previous operation, and also `^` after a pause longer than
 * `pauseMs` (the request may as well start a new session; the less surprising reading wins).
 */
export function previousOperations(b: Baseline, facts: ActionFacts, policy: Policy): string[] {
  const from = previousOperation(b, facts, policy);
  if (from === SESSION_START) return [SESSION_START];
  const last = entry(b.threads, threadOf(facts, policy))!;
  return facts.at - last.at > policy.sequence.pauseMs ? [from, SESSION_START] : [from];
}

export function isWarmingUp(b: Baseline, at: number, policy: Policy): boolean {
  return b.learned < policy.warmup.actions || b.firstSeen === null || at - b.firstSeen < policy.warmup.days * DAY_MS;
}

/** Probability that the next observation is a value never seen before (how often that has happened). */
export function newValueProbability(cat: Categorical): number {
  return (cat.nov + 1) / (cat.tot + 2);
}

/** Whole days since the epoch, at UTC + the policy's offset. */
export function dayOf(at: number, policy: Policy): number {
  return Math.floor((at + policy.context.utcOffsetMinutes * 60_000) / DAY_MS);
}

/**
 * The agent's usual busiest window: the (`ignoreTopDays` + 1)-th largest daily peak of the kept days
 * (today's included), so the odd exceptional day does not set the bar. Few days of history: at least
 * `defaultUsual`.
 */
export function usualBusiest(b: Baseline, at: number, policy: Policy): { usual: number; days: number } {
  const { usual, days } = usualPeak(b.rateDay, b.rateToday, b.ratePeaks, at, policy);
  return { usual: Math.max(usual, approvedPace(b.rateApproved, at, policy)), days };
}

/** The pace a person approved within `rate.approval.memoryMs` before `at` (0: none): usual until it lapses. */
export function approvedPace(a: [number, number] | undefined, at: number, policy: Policy): number {
  const memory = policy.rate.approval.memoryMs;
  if (!a || !(memory > 0)) return 0;
  const age = at - a[1];
  return age >= 0 && age <= memory ? a[0] : 0;
}

/** The usual busiest window of some daily peaks (`day`'s running peak `today` included when `at` is that day). */
function usualPeak(
  day: number | null,
  today: number,
  kept: number[],
  at: number,
  policy: Policy,
): { usual: number; days: number } {
  const R = policy.rate;
  const peaks = [...kept];
  if (day !== null && dayOf(at, policy) === day) peaks.push(today);
  const sorted = peaks.sort((x, y) => y - x);
  let usual = sorted[Math.min(R.ignoreTopDays, sorted.length - 1)] ?? 0;
  if (peaks.length < R.minDays) usual = Math.max(usual, R.defaultUsual);
  return { usual: Math.max(usual, R.minUsual), days: peaks.length };
}

/**
 * The operation's usual busiest window, read like the agent's (`usualBusiest`) from its own daily peaks; `count` is its
 * leaky count now, this request included.
 */
export function usualOperationPace(
  r: OpRate | undefined,
  at: number,
  policy: Policy,
): { count: number; usual: number } {
  const { usual } = usualPeak(r?.day ?? null, r?.today ?? 0, r?.peaks ?? [], at, policy);
  return { count: leakyCount(r, at, policy) + 1, usual: Math.max(usual, approvedPace(r?.a, at, policy)) };
}

/** The operation's leaky count at `at`, before a request then. */
export function leakyCount(r: OpRate | undefined, at: number, policy: Policy): number {
  if (!r) return 0;
  return r.x * Math.exp(-Math.max(0, at - r.t) / policy.rate.windowMs);
}

/** Requests of the baseline in the window (at - windowMs, at]. */
export function requestsInWindow(b: Baseline, at: number, windowMs: number): number {
  let c = 0;
  for (const t of b.recent) if (t > at - windowMs && t <= at) c++;
  return c;
}

/**
 * The creep a value at `at` would leave on `d`: spread·days run above the centre (upward CUSUM, each value
 * weighted by the time since the previous one, at most a day). 0 while the agent warms up or the key is new,
 * and when the policy gives the creep no weight (nothing is kept for a signal that is off).
 */
export function creepAfter(
  d: Dist,
  x: number,
  at: number,
  policy: Policy,
  agentWarm: boolean,
): { u: number; rising: boolean } {
  const V = policy.volume;
  if (agentWarm || d.n < V.minKeySamples || !(V.creep.weight > 0)) return { u: 0, rising: false };
  const z = (Math.log1p(Math.max(0, x)) - d.c) / clamp(d.s, V.minSpread, V.maxSpread);
  const days = clamp((at - d.t) / DAY_MS, 0, 1);
  // Clipped like learning's residuals: one outlier (the volume signal's business) or a one-day peak does not make a
  // creep; only days on end above the centre do.
  const step = (Math.min(z, policy.learning.clip) - V.creep.slack) * days;
  return { u: clamp((d.u ?? 0) + step, 0, 4 * V.creep.to), rising: z > V.creep.slack };
}

/**
 * The observed tail of `d` (`volume.tail`): log(1+x) at the top edge of the bin holding its `quantile`, and how many
 * values the histogram holds; null while it holds fewer than `minSamples` (or the policy turns it off).
 */
export function observedTail(d: Dist, policy: Policy): { logUpper: number; count: number } | null {
  const T = policy.volume.tail;
  if (!(T.minSamples > 0) || !d.h || d.h.length < 2) return null;
  const first = d.h[0]!;
  const counts = d.h.slice(1);
  const total = counts.reduce((a, c) => a + c, 0);
  if (total < T.minSamples) return null;
  const allowed = Math.floor((1 - T.quantile) * total);
  let above = 0;
  for (let i = counts.length - 1; i >= 0; i--) {
    above += counts[i]!;
    if (above > allowed) return { logUpper: (first + i + 1) * T.binWidth, count: total };
  }
  return { logUpper: (first + 1) * T.binWidth, count: total };
}

/** The level (log(1+x)) a person approved on `d` within `volume.approval.memoryMs` before `at`, if any. */
export function approvedLevel(d: Dist, at: number, policy: Policy): number | undefined {
  const memory = policy.volume.approval.memoryMs;
  if (!d.a || !(memory > 0)) return undefined;
  const age = at - d.a[1];
  return age >= 0 && age <= memory ? d.a[0] : undefined;
}

// ---------------------------------------------------------------------------------------------- ranges

export interface UsualRange {
  /** Typical value (exp of the centre, minus 1). */
  typical: number;
  /** Largest value still considered usual. */
  upper: number;
  samples: number;
}

/**
 * log(1+x) of the most the values actually seen allow (`volume.tail`): their top quantile × `margin`, the margin
 * widened by 1 + smallSampleWiden/√count for a short history. Null while too few were seen.
 */
export function observedUpper(d: Dist, policy: Policy): number | null {
  const tail = observedTail(d, policy);
  if (!tail) return null;
  const V = policy.volume;
  const widen = 1 + V.smallSampleWiden / Math.sqrt(tail.count);
  return tail.logUpper + Math.log(V.tail.margin * widen);
}

/**
 * The usual range of a distribution: centre + k·spread in log space, widened for few samples — or, where the values
 * actually seen end lower (`volume.tail`: their top quantile × `margin`), that; with floors.
 */
export function usualRange(d: Dist, policy: Policy, kind: 'volume' | 'amount'): UsualRange {
  const V = policy.volume;
  const s = clamp(d.s, V.minSpread, V.maxSpread);
  const widen = 1 + V.smallSampleWiden / Math.sqrt(Math.max(1, Math.min(d.n, 400)));
  let logUpper = d.c + Math.max(V.k * s * widen, Math.log(V.minRatio));
  const observed = observedUpper(d, policy);
  if (observed !== null) logUpper = Math.min(logUpper, Math.max(observed, d.c + Math.log(V.minRatio)));
  const typical = Math.expm1(d.c);
  const upper = Math.max(Math.expm1(logUpper), typical + (kind === 'volume' ? V.minAbsVolume : V.minAbsAmount));
  return { typical, upper, samples: d.n };
}

/** How many agents (of one platform) use each tool and operation, from their baselines. */
export function peerStatsOf(baselines: Baseline[]): PeerStats {
  const toolUsers: Record<string, number> = {};
  const operationUsers: Record<string, number> = {};
  for (const b of baselines) {
    for (const [t] of b.tools.n) if (t !== '__proto__') toolUsers[t] = (own(toolUsers, t) ?? 0) + 1;
    for (const [o] of b.ops.n) if (o !== '__proto__') operationUsers[o] = (own(operationUsers, o) ?? 0) + 1;
  }
  return { agents: baselines.length, toolUsers, operationUsers };
}
