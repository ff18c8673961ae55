/**
 * The policy that tunes risk scoring: thresholds per sensitivity, each signal's knobs, the baseline's bounds and the
 * hard rules; Warden's defaults (`DEFAULT_POLICY`) and how an override (a platform's, an agent's) merges into them.
 * Plain JSON, like everything in `risk/`.
 */
import type { Sensitivity } from './types.js';

export interface Thresholds {
  /** Score at or above which the action waits for a person. */
  review: number;
  /** Score at or above which the agent is contained (suspended, tokens revoked) while it waits. */
  contain: number;
}

export interface ContextKeyPolicy {
  /** The key in `ActionFacts.context`. */
  key: string;
  /** How a person calls it, e.g. "source network". */
  label: string;
  /** Points when the value is new for this agent and this agent rarely sees new values. */
  weight: number;
  /**
   * Derived: the value is the domain (after the last "@") of this other key's value, e.g. the delegating
   * person's organisation. A stranger from the agent's own organisation is one thing, from outside another.
   */
  domainOf?: string;
  /**
   * Derived: the value is the program named by this other key's value (a User-Agent's first token, without its
   * version): a new version of the agent's own client is routine, a script calling with its token is not.
   */
  productOf?: string;
  /**
   * Derived: the kind of address this other key's value (an IP address or CIDR) is: `private`, `public`,
   * `loopback` or `link-local`. A new office subnet is one thing, the public internet another.
   */
  scopeOf?: string;
}

export interface Policy {
  /** Per tool-operation sensitivity. */
  thresholds: Record<Sensitivity, Thresholds>;
  /**
   * Warm-up: until the baseline has learned `actions` actions AND spans `days` days. During warm-up the
   * baseline learns at full weight, and every statistical signal is multiplied by `signalFactor`
   * ("conservative but not paranoid": a strong deviation still holds the one action, but statistics
   * alone do not contain an agent that has barely been seen). Hard rules apply in full.
   */
  warmup: { actions: number; days: number; signalFactor: number };
  learning: {
    /** A tool+operation's first samples are learned at full weight (running mean). */
    keyWarmupSamples: number;
    /** After that (and after the agent's warm-up) each update's weight is at most this. */
    maxWeight: number;
    /** ...and its centre may move at most this many natural-log units per elapsed day (0.02 ≈ 2 %/day). */
    maxDriftPerDay: number;
    /** ...and its spread may change at most this many log units per elapsed day. */
    maxSpreadChangePerDay: number;
    /** Residuals are clipped at this many spreads before they are learned (Huber-style). */
    clip: number;
  };
  novelty: {
    /** Points for a tool this agent never used, by sensitivity of the requested operation. */
    tool: Record<Sensitivity, number>;
    /** A new operation on a known tool gets this fraction of the tool points. */
    operationFactor: number;
    /**
     * Probation: a tool, operation or context value seen fewer than this many times still counts as
     * partly new (points × (1 − count/probation)), so one request that slipped through does not make
     * the next ones look familiar.
     */
    probation: number;
  };
  volume: {
    /** Upper usual bound = centre + k·spread (log space). */
    k: number;
    /** Spread floor (natural-log units): a very regular agent is not flagged for tiny changes. */
    minSpread: number;
    /** Spread ceiling. */
    maxSpread: number;
    /** The usual upper bound is at least this multiple of the centre... */
    minRatio: number;
    /** ...and at least the centre plus this many records... */
    minAbsVolume: number;
    /** ...or this much money. */
    minAbsAmount: number;
    /** A tool+operation with few samples widens its bound by 1 + smallSampleWiden/√n. */
    smallSampleWiden: number;
    /** A tool+operation seen fewer times than this is compared with the agent's other operations. */
    minKeySamples: number;
    /** New operation: records allowed up to this multiple of the agent's largest usual volume. */
    newKeyVolumeRatio: number;
    /** New operation: money allowed up to this multiple of the agent's largest usual amount. */
    newKeyAmountRatio: number;
    /** An agent that never moved money: its first amount is compared with this allowance. */
    firstMoneyAllowance: number;
    /** Points approach `max` as log10(value / usual upper bound) grows past `scale`. */
    scale: number;
    max: number;
    /**
     * A slow rise no single request gives away: an upward CUSUM of the residuals in spreads, each request
     * weighted by the time since the previous one (at most a day), so it counts spread·days of running
     * above the centre (each residual clipped at `learning.clip` spreads), less `slack` per day. Points rise from
     * `from` to `to` spread·days, up to `weight`. A request a person approved starts the count again.
     */
    creep: { slack: number; from: number; to: number; weight: number };
    /**
     * A level a person approved: for `memoryMs` after the approval, a value up to `headroom` × the approved one on
     * the same operation is not held for its size (a storm day, a quarter-end run: one approval, not one per
     * request). 0: off.
     */
    approval: { memoryMs: number; headroom: number };
    /**
     * The values actually seen: once an operation's histogram (`Dist.h`) holds `minSamples` values, the usual upper
     * bound is at most the top edge of the bin holding its `quantile`, times `margin` (never under `minRatio` × the
     * centre). Centre + k·spread assumes a log-normal spread; where the agent's values end sooner, a request far past
     * anything it ever sent says so. `bins` × `binWidth` log units cover every value that matters (96 × 0.25: up to
     * ~2.6·10¹⁰). `minSamples` 0: off.
     */
    tail: { minSamples: number; quantile: number; margin: number; binWidth: number; bins: number; halveAt: number };
  };
  sequence: {
    /**
     * Smoothing pseudo-count spread over the agent's operation mix: at least this, or (Witten–Bell) the number of
     * different steps already seen after the predecessor, so a branching procedure expects new branches more.
     */
    alpha: number;
    /** Pseudo-count per different step already seen after the predecessor (1: Witten–Bell; 0: `alpha` only). */
    alphaPerBranch: number;
    /** Whether what a full row evicted (`Baseline.transLost`) counts for the steps it no longer lists. */
    evictedCounts: boolean;
    /** A gap longer than this starts a new session (transition from "start"). */
    sessionGapMs: number;
    /** After a pause longer than this (but within the session gap) a new session is also plausible. */
    pauseMs: number;
    /**
     * Context key that tells threads of work apart (an agent working for several people interleaves
     * their sessions); '' treats all requests as one thread.
     */
    threadKey: string;
    /** Points rise linearly from `bitsFrom` to `bitsTo` bits of surprise, up to `weight`. */
    bitsFrom: number;
    bitsTo: number;
    weight: number;
    /**
     * A sensitive operation repeated back to back (same thread, no pause) when this agent has never, or
     * barely, repeated it: points by sensitivity. Looping a sensitive step is how scripted abuse looks.
     * Full weight once the operation is an established predecessor (`evidence`); it fades out over
     * `novelty.probation` repeats seen.
     */
    repeat: Record<Sensitivity, number>;
    /**
     * An operation followed by something this many times is an established predecessor: a never-seen step
     * after it, or a repeat of it, says something in full (fewer follows say proportionally less).
     */
    evidence: number;
    /**
     * How much the agent's other steps count towards a repeat's `evidence`, per follow of a step it has never repeated
     * (at most `evidence` in all): an agent that never repeats its steps back to back makes a repeat of a rarely-taken
     * sensitive step say something too. 0: the step's own follows only.
     */
    pooledEvidence: number;
    /** `weight` is multiplied by this per sensitivity of the step's operation (odd orders of LOW reads matter less). */
    sensitivityFactor: Record<Sensitivity, number>;
  };
  rate: {
    windowMs: number;
    /** Daily peaks kept (one number per day). */
    days: number;
    /** The usual busiest window is the (ignoreTopDays + 1)-th busiest day's peak. */
    ignoreTopDays: number;
    /** Never consider the usual busiest window lower than this. */
    minUsual: number;
    /** With fewer than `minDays` days of history, assume at least `defaultUsual`. */
    minDays: number;
    defaultUsual: number;
    /** Points start above `tolerance` × usual and reach `weight` at `tolerance` × usual × 2^`doublings`. */
    tolerance: number;
    doublings: number;
    weight: number;
    /**
     * The same reading for the request's operation alone: its leaky count (time constant `windowMs`) against its own
     * busiest days (`days`, `ignoreTopDays`, `minUsual`, `minDays`, `defaultUsual` as above). Weight 0: off.
     */
    operation: { tolerance: number; doublings: number; weight: number };
    /**
     * A pace a person approved: for `memoryMs` after the approval it counts as usual, for the operation and for the
     * agent (a monthly statement run, a powder day: one approval, not one per request). 0: off.
     */
    approval: { memoryMs: number };
  };
  context: {
    keys: ContextKeyPolicy[];
    /** Points for a request at an hour this agent is (almost) never active. */
    hourWeight: number;
    /**
     * A session marked suspect (risk/session.ts): a request allowed with at least this many context points (after
     * warm-up) makes the rest of its thread's session, for `sequence.sessionGapMs` after it, score at least that much
     * on context while still unusual in context, until a person approves a request of the thread. 0: off.
     */
    sessionCarry: number;
    /** Hours are taken at UTC + this offset (for the histogram and the sentences). */
    utcOffsetMinutes: number;
  };
  /** Bounds on the baseline's size (it lives in workflow state). */
  limits: {
    tools: number;
    operations: number;
    transitionsPerOperation: number;
    contextValues: number;
    recentTimestamps: number;
    /** Threads whose last operation is remembered (see `sequence.threadKey`). */
    threads: number;
    /** Counts are halved (rounded up) when a map's total passes this: old habits fade, numbers stay small. */
    halveAt: number;
  };
  rules: {
    /** A CRITICAL operation on a tool the agent never used: at least this decision. */
    criticalOnNewTool: 'REVIEW' | 'DENY' | 'OFF';
    /**
     * A HIGH operation on a tool the agent never used, after warm-up: at least this decision. In warm-up every tool
     * is new; after it, a sensitive tool the agent has never touched is how a takeover reaches further.
     */
    highOnNewTool: 'REVIEW' | 'DENY' | 'OFF';
    /**
     * A CRITICAL operation in a step this agent has never made (after an established predecessor, or starting a
     * session, after warm-up): at least this decision. Read invoice → wire transfer.
     */
    criticalOnNewStep: 'REVIEW' | 'DENY' | 'OFF';
    /** An amount above this is always denied (null: no ceiling). */
    amountCeiling: number | null;
    /** A volume above this is always denied (null: no ceiling). */
    volumeCeiling: number | null;
    /** `tool:op` (or `tool:*`) always denied. */
    denyOperations: string[];
    /** `tool:op` (or `tool:*`) always reviewed. */
    reviewOperations: string[];
    /** A hard DENY also contains the agent. */
    containOnHardDeny: boolean;
  };
}

export const DEFAULT_POLICY: Policy = {
  thresholds: {
    LOW: { review: 60, contain: 90 },
    MEDIUM: { review: 45, contain: 85 },
    HIGH: { review: 35, contain: 70 },
    CRITICAL: { review: 25, contain: 55 },
  },
  warmup: { actions: 60, days: 7, signalFactor: 0.5 },
  learning: { keyWarmupSamples: 30, maxWeight: 0.02, maxDriftPerDay: 0.02, maxSpreadChangePerDay: 0.01, clip: 3 },
  novelty: {
    tool: { LOW: 10, MEDIUM: 25, HIGH: 40, CRITICAL: 55 },
    operationFactor: 0.7,
    probation: 4,
  },
  volume: {
    k: 3.5,
    minSpread: 0.2,
    maxSpread: 1.5,
    minRatio: 3,
    minAbsVolume: 10,
    minAbsAmount: 100,
    smallSampleWiden: 2,
    minKeySamples: 5,
    newKeyVolumeRatio: 10,
    newKeyAmountRatio: 3,
    firstMoneyAllowance: 10_000,
    scale: 0.4,
    max: 100,
    creep: { slack: 1, from: 6, to: 12, weight: 60 },
    approval: { memoryMs: 48 * 3_600_000, headroom: 1.5 },
    tail: { minSamples: 3, quantile: 0.998, margin: 2, binWidth: 0.25, bins: 96, halveAt: 2000 },
  },
  sequence: {
    alpha: 0.5,
    alphaPerBranch: 1,
    evictedCounts: true,
    sessionGapMs: 30 * 60_000,
    pauseMs: 5 * 60_000,
    threadKey: 'onBehalfOf',
    bitsFrom: 8,
    bitsTo: 12,
    weight: 40,
    repeat: { LOW: 0, MEDIUM: 50, HIGH: 50, CRITICAL: 55 },
    evidence: 4,
    pooledEvidence: 1,
    sensitivityFactor: { LOW: 0.5, MEDIUM: 1, HIGH: 1, CRITICAL: 1 },
  },
  rate: {
    windowMs: 10 * 60_000,
    days: 28,
    ignoreTopDays: 2,
    minUsual: 4,
    minDays: 7,
    defaultUsual: 20,
    tolerance: 4,
    doublings: 1.5,
    weight: 70,
    operation: { tolerance: 2.5, doublings: 1.5, weight: 70 },
    approval: { memoryMs: 48 * 3_600_000 },
  },
  context: {
    keys: [
      { key: 'sourceNetwork', label: 'source network', weight: 40 },
      { key: 'sourceNetwork.scope', label: 'kind of source network', weight: 30, scopeOf: 'sourceNetwork' },
      { key: 'onBehalfOf', label: 'delegating person', weight: 25 },
      { key: 'onBehalfOf.domain', label: "delegating person's organisation", weight: 25, domainOf: 'onBehalfOf' },
      { key: 'userAgent', label: 'client software', weight: 10 },
      { key: 'userAgent.product', label: 'client program', weight: 70, productOf: 'userAgent' },
    ],
    hourWeight: 30,
    sessionCarry: 45,
    utcOffsetMinutes: 0,
  },
  limits: {
    tools: 32,
    operations: 48,
    transitionsPerOperation: 12,
    contextValues: 48,
    recentTimestamps: 200,
    threads: 16,
    halveAt: 50_000,
  },
  rules: {
    criticalOnNewTool: 'REVIEW',
    highOnNewTool: 'REVIEW',
    criticalOnNewStep: 'REVIEW',
    amountCeiling: 5_000_000,
    volumeCeiling: null,
    denyOperations: [],
    reviewOperations: [],
    containOnHardDeny: true,
  },
};

/** A partial policy: any subset of fields, at any depth. Arrays replace, they do not merge. */
export type PolicyOverride = { [K in keyof Policy]?: DeepPartial<Policy[K]> };
type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    out[k] = merge(base[k], v);
  }
  return out;
}

/** The effective policy of one agent: `base` with each override (e.g. platform, then agent) merged in order. */
export function policyFor(base: Policy, ...overrides: Array<PolicyOverride | null | undefined>): Policy {
  let p: unknown = base;
  for (const o of overrides) if (o) p = merge(p, o);
  return p as Policy;
}
