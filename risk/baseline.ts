/**
 * An agent's behavioural baseline: plain, bounded JSON learned from its allowed or approved actions.
 *
 * It lives in the agent's workflow state, so `learn` is deterministic (time comes from the facts), never
 * mutates its input, and keeps every map capped (see `Policy.limits`): after any number of learns the
 * baseline stays a few kilobytes.
 *
 * What it remembers:
 * - counts per tool, audience and `tool:op` (with how often something new showed up, for novelty);
 * - per `tool:op`, robust statistics of log(1+volume) and log(1+amount): a Huber-clipped EWMA centre and
 *   mean absolute deviation. The first samples of a key (and everything during warm-up) are learned at
 *   full weight; afterwards each update's weight is capped and the centre may move only
 *   `maxDriftPerDay` per elapsed day, so a slow creep cannot teach the detector to accept an attack;
 * - Markov transition counts between consecutive operations of a thread (`tool:op` → `tool:op`, `^` =
 *   session start; threads are told apart by the delegating person);
 * - recent request timestamps (one rate window) and a histogram of how many requests a window held;
 * - an hour-of-day histogram and the usual values of each context key (source network, delegating
 *   person, client software).
 */
import { cleanValue } from './format.js';
import type { ActionFacts, PeerStats, Policy } from './types.js';

export { cleanValue };

export const DAY_MS = 86_400_000;
/** Transition source for the first request of a session. */
export const SESSION_START = '^';
/** Upper edges of the rate histogram buckets (requests per window); the last bucket is open. */
export const RATE_BUCKETS = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 160, 200] as const;

/** Counts of the values of one categorical feature, and how often a never-seen value appeared. */
export interface Categorical {
  n: Record<string, number>;
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
}

export interface OpStats {
  vol: Dist;
  /** Only requests with amount > 0. */
  amt?: Dist;
}

export interface Baseline {
  v: 1;
  learned: number;
  firstSeen: number | null;
  lastSeen: number | null;
  tools: Categorical;
  audiences: Categorical;
  /** Keyed `tool:op`. */
  ops: Categorical;
  /** Keyed `tool:op` (same keys as `ops.n`). */
  stats: Record<string, OpStats>;
  /** prev `tool:op` (or `^`) → next `tool:op` → count. */
  trans: Record<string, Record<string, number>>;
  /**
   * The last operation of each recent thread (threads are told apart by the context key
   * `policy.sequence.threadKey`, by default the delegating person), so interleaved work for different
   * people does not look like odd sequences. Bounded: the most recent `limits.threads`.
   */
  threads: Record<string, { op: string; at: number }>;
  /** Timestamps of learned requests within one rate window of the newest, ascending. */
  recent: number[];
  /**
   * Histogram (buckets `RATE_BUCKETS`) of the number of requests in the window ending at a learned
   * request, sampled at most once per window (so a burst that slips through adds one sample, not hundreds).
   */
  rate: number[];
  /** When `rate` was last sampled. */
  rateAt: number | null;
  /** Requests per hour of day (UTC + policy offset). */
  hours: number[];
  /** Per context key (policy `context.keys`). */
  context: Record<string, Categorical>;
}

export function emptyBaseline(): Baseline {
  return {
    v: 1,
    learned: 0,
    firstSeen: null,
    lastSeen: null,
    tools: emptyCategorical(),
    audiences: emptyCategorical(),
    ops: emptyCategorical(),
    stats: {},
    trans: {},
    threads: {},
    recent: [],
    rate: RATE_BUCKETS.map(() => 0),
    rateAt: null,
    hours: Array.from({ length: 24 }, () => 0),
    context: {},
  };
}

function emptyCategorical(): Categorical {
  return { n: {}, tot: 0, nov: 0 };
}

// ---------------------------------------------------------------------------------------------- helpers

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

/** The thread a request belongs to (for sequences): the value of `policy.sequence.threadKey`. */
export function threadOf(facts: Pick<ActionFacts, 'context'>, policy: Policy): string {
  return policy.sequence.threadKey ? cleanValue(own(facts.context, policy.sequence.threadKey)) : '(all)';
}

/** The operation this request follows in its thread, or `^` when the thread is new or was idle too long. */
export function previousOperation(b: Baseline, facts: ActionFacts, policy: Policy): string {
  const last = own(b.threads, threadOf(facts, policy));
  if (!last || facts.at < last.at || facts.at - last.at > policy.sequence.sessionGapMs || own(b.ops.n, last.op) === undefined) return SESSION_START;
  return last.op;
}

export function isWarmingUp(b: Baseline, at: number, policy: Policy): boolean {
  return b.learned < policy.warmup.actions || b.firstSeen === null || at - b.firstSeen < policy.warmup.days * DAY_MS;
}

/** Probability that the next observation is a value never seen before (how often that has happened). */
export function newValueProbability(cat: Categorical): number {
  return (cat.nov + 1) / (cat.tot + 2);
}

export function rateBucket(count: number): number {
  for (let i = 0; i < RATE_BUCKETS.length; i++) if (count <= RATE_BUCKETS[i]!) return i;
  return RATE_BUCKETS.length - 1;
}

/** Requests of the baseline in the window (at - windowMs, at]. */
export function requestsInWindow(b: Baseline, at: number, windowMs: number): number {
  let c = 0;
  for (const t of b.recent) if (t > at - windowMs && t <= at) c++;
  return c;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function cloneCategorical(c: Categorical): Categorical {
  return { n: { ...c.n }, tot: c.tot, nov: c.nov };
}

function cloneBaseline(b: Baseline): Baseline {
  const stats: Record<string, OpStats> = {};
  for (const [k, s] of Object.entries(b.stats)) stats[k] = s.amt ? { vol: { ...s.vol }, amt: { ...s.amt } } : { vol: { ...s.vol } };
  const trans: Record<string, Record<string, number>> = {};
  for (const [k, row] of Object.entries(b.trans)) trans[k] = { ...row };
  const threads: Record<string, { op: string; at: number }> = {};
  for (const [k, t] of Object.entries(b.threads)) threads[k] = { ...t };
  const context: Record<string, Categorical> = {};
  for (const [k, c] of Object.entries(b.context)) context[k] = cloneCategorical(c);
  return {
    v: 1,
    learned: b.learned,
    firstSeen: b.firstSeen,
    lastSeen: b.lastSeen,
    tools: cloneCategorical(b.tools),
    audiences: cloneCategorical(b.audiences),
    ops: cloneCategorical(b.ops),
    stats,
    trans,
    threads,
    recent: [...b.recent],
    rate: [...b.rate],
    rateAt: b.rateAt,
    hours: [...b.hours],
    context,
  };
}

/** Halves every count (rounding up, so nothing known is forgotten by halving alone). */
function halve(map: Record<string, number>): number {
  let tot = 0;
  for (const k of Object.keys(map)) {
    const v = Math.ceil(map[k]! / 2);
    map[k] = v;
    tot += v;
  }
  return tot;
}

/** Removes the least-counted keys (ties: the lexicographically last) until `cap` remain, never `keep`. */
function evict(map: Record<string, number>, cap: number, keep: string): string[] {
  const removed: string[] = [];
  let keys = Object.keys(map);
  while (keys.length > cap) {
    let victim: string | null = null;
    for (const k of keys) {
      if (k === keep) continue;
      if (victim === null || map[k]! < map[victim]! || (map[k] === map[victim] && k > victim)) victim = k;
    }
    if (victim === null) break;
    delete map[victim];
    removed.push(victim);
    keys = Object.keys(map);
  }
  return removed;
}

function observe(cat: Categorical, key: string, cap: number, halveAt: number): string[] {
  const had = own(cat.n, key);
  if (had === undefined) cat.nov += 1;
  cat.n[key] = (had ?? 0) + 1;
  cat.tot += 1;
  if (cat.tot > halveAt) {
    halve(cat.n);
    cat.tot = Math.ceil(cat.tot / 2);
    cat.nov = Math.ceil(cat.nov / 2);
  }
  // `tot` keeps the mass of evicted values, so the rate of new values stays honest.
  return evict(cat.n, cap, key);
}

/**
 * One robust update of a log-space distribution. Full weight (running mean) while the key is young or
 * the agent is warming up; afterwards weight ≤ maxWeight, residual clipped at `clip` spreads, and the
 * centre/spread rate-limited per elapsed day.
 */
function updateDist(d: Dist | undefined, x: number, at: number, policy: Policy, agentWarm: boolean): Dist {
  const y = Math.log1p(Math.max(0, x));
  if (!d) return { n: 1, c: round4(y), s: 0, t: at };
  const L = policy.learning;
  const n = d.n + 1;
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
  return {
    n: Math.min(n, 1e9),
    c: round4(d.c + dc),
    s: round4(clamp(d.s + ds, 0, policy.volume.maxSpread)),
    t: Math.max(at, d.t),
  };
}

// ------------------------------------------------------------------------------------------------ learn

/**
 * Learns one allowed or approved action. Pure: returns a new baseline, leaves `baseline` untouched.
 * Call it only for actions that were allowed, or approved by a person.
 */
export function learn(baseline: Baseline, facts: ActionFacts, policy: Policy): Baseline {
  const b = cloneBaseline(baseline);
  const at = facts.at;
  const lim = policy.limits;
  const warm = isWarmingUp(baseline, at, policy);
  const key = opKey(facts);

  observe(b.tools, cleanValue(facts.tool), lim.tools, lim.halveAt);
  observe(b.audiences, cleanValue(facts.toolResource), lim.tools, lim.halveAt);
  for (const gone of observe(b.ops, key, lim.operations, lim.halveAt)) {
    delete b.stats[gone];
    delete b.trans[gone];
  }

  // Volume and amount statistics.
  const prev = own(b.stats, key);
  const vol = updateDist(prev?.vol, facts.volume, at, policy, warm);
  const amt = facts.amount > 0 ? updateDist(prev?.amt, facts.amount, at, policy, warm) : prev?.amt;
  b.stats[key] = amt ? { vol, amt } : { vol };

  // Sequence, within the request's thread.
  const thread = threadOf(facts, policy);
  const last = own(b.threads, thread);
  if (!last || at >= last.at) {
    const from = previousOperation(b, facts, policy);
    const row = own(b.trans, from) ?? {};
    row[key] = (own(row, key) ?? 0) + 1;
    let sum = 0;
    for (const v of Object.values(row)) sum += v;
    if (sum > lim.halveAt) halve(row);
    evict(row, lim.transitionsPerOperation, key);
    b.trans[from] = row;
    b.threads[thread] = { op: key, at };
    const names = Object.keys(b.threads);
    if (names.length > lim.threads) {
      names.sort((x, y) => b.threads[x]!.at - b.threads[y]!.at || (x < y ? -1 : 1));
      for (const old of names.slice(0, names.length - lim.threads)) if (old !== thread) delete b.threads[old];
    }
  }

  // Rate: how many requests the window ending now holds (this one included), sampled once per window.
  if (b.rateAt === null || at - b.rateAt >= policy.rate.windowMs || at < b.rateAt) {
    const bucket = rateBucket(requestsInWindow(b, at, policy.rate.windowMs) + 1);
    b.rate[bucket] = (b.rate[bucket] ?? 0) + 1;
    if (b.rate.reduce((a, v) => a + v, 0) > lim.halveAt) b.rate = b.rate.map((v) => Math.ceil(v / 2));
    b.rateAt = at;
  }
  let i = b.recent.length;
  while (i > 0 && b.recent[i - 1]! > at) i--;
  b.recent.splice(i, 0, at);
  const newest = b.recent[b.recent.length - 1]!;
  b.recent = b.recent.filter((t) => t > newest - policy.rate.windowMs).slice(-lim.recentTimestamps);

  // Context.
  const h = hourOf(at, policy);
  b.hours[h] = (b.hours[h] ?? 0) + 1;
  if (b.hours.reduce((a, v) => a + v, 0) > lim.halveAt) b.hours = b.hours.map((v) => Math.ceil(v / 2));
  for (const { key: ck } of policy.context.keys) {
    const cat = own(b.context, ck) ?? emptyCategorical();
    observe(cat, cleanValue(own(facts.context, ck)), lim.contextValues, lim.halveAt);
    b.context[ck] = cat;
  }

  b.learned += 1;
  b.firstSeen = b.firstSeen === null ? at : Math.min(b.firstSeen, at);
  b.lastSeen = b.lastSeen === null ? at : Math.max(b.lastSeen, at);
  return b;
}

// ---------------------------------------------------------------------------------------------- ranges

export interface UsualRange {
  /** Typical value (exp of the centre, minus 1). */
  typical: number;
  /** Largest value still considered usual. */
  upper: number;
  samples: number;
}

/** The usual range of a distribution: centre + k·spread in log space, widened for few samples, with floors. */
export function usualRange(d: Dist, policy: Policy, kind: 'volume' | 'amount'): UsualRange {
  const V = policy.volume;
  const s = clamp(d.s, V.minSpread, V.maxSpread);
  const widen = 1 + V.smallSampleWiden / Math.sqrt(Math.max(1, Math.min(d.n, 400)));
  const logUpper = d.c + Math.max(V.k * s * widen, Math.log(V.minRatio));
  const typical = Math.expm1(d.c);
  const upper = Math.max(Math.expm1(logUpper), typical + (kind === 'volume' ? V.minAbsVolume : V.minAbsAmount));
  return { typical, upper, samples: d.n };
}

/** How many agents (of one platform) use each tool and operation, from their baselines. */
export function peerStatsOf(baselines: Baseline[]): PeerStats {
  const toolUsers: Record<string, number> = {};
  const operationUsers: Record<string, number> = {};
  for (const b of baselines) {
    for (const t of Object.keys(b.tools.n)) toolUsers[t] = (own(toolUsers, t) ?? 0) + 1;
    for (const o of Object.keys(b.ops.n)) operationUsers[o] = (own(operationUsers, o) ?? 0) + 1;
  }
  return { agents: baselines.length, toolUsers, operationUsers };
}
