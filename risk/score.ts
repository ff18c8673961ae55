/**
 * Scores one request against the agent's baseline: pure, deterministic and explained.
 *
 * Five signals, each giving points (0 to its weight) and a sentence:
 * - novelty: a tool, audience or operation the agent never used. Points by the operation's sensitivity,
 *   scaled by how rarely this agent starts using something new (a Good-Turing-style estimate, so a young
 *   baseline, where everything is new, gives few points) and, if peer statistics are given, by how rare
 *   the tool is among agents of the same platform. A value seen fewer than `novelty.probation` times
 *   still counts as partly new, so one request that slipped through does not vouch for the next;
 * - volume: records and money against this agent's usual range for that tool+operation, bounded by the values it
 *   actually saw (or, for an operation it barely used, also against the most it usually touches or moves in any
 *   request);
 * - sequence: surprise (bits) of this operation after the previous one in the same thread (delegating
 *   person), from Markov transition counts smoothed towards the agent's operation mix; after a pause the
 *   less surprising of "continues the thread" and "starts a session" is used. A sensitive operation repeated
 *   back to back that this agent never repeats scores by its sensitivity instead, when that is higher;
 * - rate: how busy this operation, and the agent, is now against its usual busiest window (a robust daily peak, or
 *   a pace a person approved);
 * - context: a source network, delegating person or client never (or barely) seen for this agent,
 *   weighted by how often this agent sees new values, and an hour at which it is almost never active; in a session
 *   that already looked unusual, at least what its most unusual request scored (session.ts).
 *
 * The score is the sum of the (rounded) contributions, capped at 100. While the baseline warms up
 * every contribution is multiplied by `policy.warmup.signalFactor`.
 */
import {
  SESSION_START,
  entry,
  previousOperations,
  isWarmingUp,
  newValueProbability,
  opKey,
  own,
  type Baseline,
} from './baseline.js';
import { context } from './context.js';
import { noveltySurprise, unfamiliarity } from './familiarity.js';
import { cleanValue, formatNumber, quote, times } from './format.js';
import type { ActionFacts, AssessmentFlags, PeerStats, Reason, RiskAssessment, Signal } from './types.js';
import type { Policy } from './policy.js';
import { rate } from './rate.js';
import { contextPointsOf, sessionCarry } from './session.js';
import { volume } from './volume.js';
import { clamp } from './numbers.js';

const SIGNAL_ORDER: Signal[] = ['rule', 'novelty', 'volume', 'sequence', 'rate', 'context'];

// -------------------------------------------------------------------------------------------- signals

function novelty(
  b: Baseline,
  f: ActionFacts,
  key: string,
  policy: Policy,
  peers: PeerStats | undefined,
  out: Reason[],
  flags: AssessmentFlags,
): void {
  const tool = cleanValue(f.tool);
  const audience = cleanValue(f.toolResource);
  const toolCount = entry(b.tools.n, tool);
  const audienceCount = entry(b.audiences.n, audience);
  const opCount = entry(b.ops.n, key);
  flags.novelTool = toolCount === undefined;
  flags.novelAudience = audienceCount === undefined;
  flags.novelOperation = opCount === undefined;
  const toolU = Math.max(unfamiliarity(toolCount, policy), unfamiliarity(audienceCount, policy));
  const opU = unfamiliarity(opCount, policy);
  if (toolU <= 0 && opU <= 0) return;

  const base = policy.novelty.tool[f.sensitivity] ?? policy.novelty.tool.CRITICAL;
  let peerNote = '';
  let peerMult = 1;
  if (peers && peers.agents > 0) {
    const users = toolU > 0 ? (own(peers.toolUsers, tool) ?? 0) : (own(peers.operationUsers, key) ?? 0);
    const share = clamp(users / peers.agents, 0, 1);
    peerMult = 1.4 - 0.8 * share;
    peerNote = `; ${formatNumber(users)} of ${formatNumber(peers.agents)} agents on platform ${quote(cleanValue(f.platform))} use it`;
  }
  if (toolU > 0) {
    const points =
      base * toolU * noveltySurprise(flags.novelTool || !flags.novelAudience ? b.tools : b.audiences) * peerMult;
    const what = `a ${f.sensitivity} operation (${f.operation})`;
    const detail = flags.novelTool
      ? `First use of tool ${tool} (audience ${audience}) by this agent, for ${what}${peerNote}.`
      : flags.novelAudience
        ? `First use of audience ${audience} for tool ${tool} by this agent, for ${what}${peerNote}.`
        : `Tool ${tool} is still new for this agent (used ${times(Math.min(toolCount ?? 0, audienceCount ?? 0))} before), for ${what}${peerNote}.`;
    out.push({ signal: 'novelty', contribution: points, detail });
    return;
  }
  const points = base * policy.novelty.operationFactor * opU * noveltySurprise(b.ops) * peerMult;
  const detail = flags.novelOperation
    ? `First use of operation ${f.operation} on ${tool} (${f.sensitivity}) by this agent${peerNote}.`
    : `Operation ${f.operation} on ${tool} (${f.sensitivity}) is still new for this agent (used ${times(opCount ?? 0)} before)${peerNote}.`;
  out.push({ signal: 'novelty', contribution: points, detail });
}

/**
 * What a thread's transition row says about `from` → `key`: its count, everything that followed `from`, and how
 * many of the counts a full row evicted (`transLost`) were likely this step's (by its share of the operations
 * the row no longer lists): a step missing from a busy row, or listed again with a restarted count, may be one.
 */
function rowView(b: Baseline, from: string, key: string, policy: Policy) {
  const row = entry(b.trans, from) ?? [];
  let listedCount = 0;
  for (const [, v] of row) listedCount += v;
  const count = entry(row, key) ?? 0;
  const pNew = newValueProbability(b.ops);
  const prior = (op: string) => {
    const n = entry(b.ops.n, op);
    return n === undefined || b.ops.tot === 0 ? pNew : (1 - pNew) * (n / b.ops.tot);
  };
  const p0 = prior(key);
  const lost = policy.sequence.evictedCounts && b.transLost ? (entry(b.transLost, from) ?? 0) : 0;
  let listed = 0;
  if (lost > 0) for (const [k] of row) if (k !== key) listed += prior(k);
  const evicted = lost > 0 ? lost * Math.min(1, p0 / Math.max(1e-9, 1 - listed)) : 0;
  return { branches: row.length, count, evicted, follows: listedCount + lost, p0 };
}

function transitionSurprise(
  b: Baseline,
  from: string,
  key: string,
  policy: Policy,
): { bits: number; count: number; evicted: number; nPrev: number } {
  const { branches, count, evicted, follows, p0 } = rowView(b, from, key, policy);
  // Witten–Bell: a predecessor already followed by many different steps is more likely to see another one.
  const alpha = Math.max(policy.sequence.alpha, policy.sequence.alphaPerBranch * branches);
  const p = (count + evicted + alpha * p0) / (follows + alpha);
  return { bits: -Math.log2(p), count, evicted, nPrev: follows };
}

/** Follows of the agent's other steps that it has never repeated back to back (at most `cap`). */
function neverRepeatedFollows(b: Baseline, key: string, cap: number): number {
  let n = 0;
  for (const [from, row] of b.trans) {
    if (from === key || from === SESSION_START || entry(row, from) !== undefined) continue;
    if (b.transLost && (entry(b.transLost, from) ?? 0) > 0) continue;
    for (const [, v] of row) n += v;
    if (n >= cap) return cap;
  }
  return n;
}

/**
 * Points for a sensitive operation repeated back to back that this agent (almost) never repeats; null when the
 * request does not repeat the thread's last operation, or came after a pause.
 */
function repeatPoints(
  b: Baseline,
  f: ActionFacts,
  key: string,
  policy: Policy,
): { points: number; count: number; follows: number } | null {
  const S = policy.sequence;
  const from = previousOperations(b, f, policy);
  if (from.length !== 1 || from[0] !== key) return null;
  const weight = S.repeat[f.sensitivity] ?? S.repeat.CRITICAL;
  const { count, evicted, follows } = rowView(b, key, key, policy);
  const evidence = clamp(
    (follows + S.pooledEvidence * neverRepeatedFollows(b, key, S.evidence)) / Math.max(1, S.evidence),
    0,
    1,
  );
  const points = weight * unfamiliarity(count + evicted, policy) * evidence;
  return points > 0 ? { points, count, follows } : null;
}

function sequence(
  b: Baseline,
  f: ActionFacts,
  key: string,
  policy: Policy,
  out: Reason[],
  flags: AssessmentFlags,
): void {
  const S = policy.sequence;
  // After a pause the request may continue the thread or start a new session: take the less surprising.
  let best: { from: string; bits: number; count: number; evicted: number; nPrev: number } | null = null;
  for (const from of previousOperations(b, f, policy)) {
    const t = transitionSurprise(b, from, key, policy);
    if (!best || t.bits < best.bits) best = { from, ...t };
  }
  if (!best) return;
  const { from, bits, count, evicted, nPrev } = best;
  // Never made: not listed, and not likely among what a full row evicted either.
  flags.novelStep = !flags.warmingUp && count === 0 && evicted < 1 && nPrev >= S.evidence;
  const factor = S.sensitivityFactor[f.sensitivity] ?? S.sensitivityFactor.CRITICAL;
  const pts = S.weight * factor * clamp((bits - S.bitsFrom) / (S.bitsTo - S.bitsFrom), 0, 1);
  // The same evidence read as a loop: the step repeats the thread's last operation with no pause.
  const repeat = repeatPoints(b, f, key, policy);
  if (repeat && repeat.points > pts) {
    out.push({
      signal: 'sequence',
      contribution: repeat.points,
      detail:
        repeat.count === 0
          ? `${key} again right after ${key}: this agent has never repeated it back to back (${formatNumber(repeat.follows)} steps seen after it).`
          : `${key} again right after ${key}: this agent has rarely repeated it back to back (${formatNumber(repeat.count)} of ${formatNumber(repeat.follows)} steps after it).`,
    });
    return;
  }
  if (!(pts > 0)) return;
  const what =
    from === SESSION_START
      ? count === 0
        ? `Starting a session with ${key}: this agent has never done that (${formatNumber(nPrev)} sessions seen).`
        : `Starting a session with ${key} is rare for this agent (${formatNumber(count)} of ${formatNumber(nPrev)} sessions).`
      : count === 0
        ? `Step ${from} → ${key}: this agent has never made it (${formatNumber(nPrev)} steps seen after ${from}).`
        : `Step ${from} → ${key} is rare for this agent (${formatNumber(count)} of ${formatNumber(nPrev)} times after ${from}).`;
  out.push({ signal: 'sequence', contribution: pts, detail: what });
}

// ---------------------------------------------------------------------------------------------- assess

/** Scores a request. Pure and deterministic: the same baseline, facts, policy and peers give the same answer. */
export function assess(baseline: Baseline, facts: ActionFacts, policy: Policy, peers?: PeerStats): RiskAssessment {
  const key = opKey(facts);
  const warm = isWarmingUp(baseline, facts.at, policy);
  const flags: AssessmentFlags = {
    novelTool: true,
    novelAudience: true,
    novelOperation: true,
    warmingUp: warm,
    novelStep: false,
  };
  const raw: Reason[] = [];
  novelty(baseline, facts, key, policy, peers, raw, flags);
  volume(baseline, facts, key, policy, warm, raw);
  sequence(baseline, facts, key, policy, raw, flags);
  rate(baseline, facts, key, policy, raw);
  const unusual: Reason[] = [];
  context(baseline, facts, policy, unusual);
  raw.push(...unusual);
  const carried = sessionCarry(baseline, facts, policy, contextPointsOf(unusual));
  if (carried) raw.push(carried);

  const factor = warm ? policy.warmup.signalFactor : 1;
  const reasons: Reason[] = raw
    .map((r) => ({ ...r, contribution: Math.round(r.contribution * factor) }))
    .filter((r) => r.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution || SIGNAL_ORDER.indexOf(a.signal) - SIGNAL_ORDER.indexOf(b.signal));
  const score = Math.min(
    100,
    reasons.reduce((a, r) => a + r.contribution, 0),
  );
  if (warm && reasons.length > 0) {
    const days = baseline.firstSeen === null ? 0 : Math.max(0, (facts.at - baseline.firstSeen) / 86_400_000);
    reasons.push({
      signal: 'rule',
      contribution: 0,
      detail: `This agent's baseline is still warming up (${formatNumber(baseline.learned)} of ${formatNumber(policy.warmup.actions)} actions, ${formatNumber(Math.floor(days))} of ${formatNumber(policy.warmup.days)} days): statistical signals count ${formatNumber(factor * 100)}%.`,
    });
  }
  return { score, reasons, flags };
}
