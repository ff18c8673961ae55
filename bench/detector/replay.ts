/**
 * Replays a trace through the live path's pure code — `assess` → `decide` → `learn` — and measures it.
 *
 * Learning follows the live rules: the baseline learns a request that was ALLOWED, and a REVIEW whose
 * line is labelled `normal` (a person approving a false hold). Flagged anomalies and every DENY are
 * never learned. The scorer never sees labels; they are used only here, after the decision, to model
 * the human approver and to count.
 */
import { emptyBaseline, peerStatsOf, type Baseline } from '../../risk/baseline.js';
import { decide } from '../../risk/decide.js';
import { learn } from '../../risk/learn.js';
import { assess } from '../../risk/score.js';
import type { ActionFacts, Decision, PeerStats, Reason, Sensitivity } from '../../risk/types.js';
import type { Policy } from '../../risk/policy.js';
import { ANOMALY_KINDS, type TraceLine } from './generate-traces.js';

export interface LineResult {
  /** 1-based position in the input. */
  line: number;
  score: number;
  decision: Decision;
  contain: boolean;
  reasons: Reason[];
  ruleHits: string[];
  warmingUp: boolean;
}

export interface ReplayOptions {
  /**
   * Give `assess` peer statistics (agents of the same platform, from their current baselines). Off by default: the live
   * path passes none.
   */
  peers?: boolean;
}

export function factsOfLine(l: TraceLine): ActionFacts {
  return {
    agentId: l.agent,
    platform: l.platform,
    tool: l.tool,
    toolResource: l.toolResource ?? `https://${l.tool}.example.com/`,
    operation: l.operation,
    sensitivity: l.sensitivity,
    volume: l.volume,
    amount: l.amount,
    context: l.context ?? {},
    at: Date.parse(l.time),
  };
}

/** Time order, ties in input order; returns indexes into `lines`. */
export function timeOrder(lines: TraceLine[]): number[] {
  const at = lines.map((l) => Date.parse(l.time));
  return lines.map((_, i) => i).sort((a, b) => at[a]! - at[b]! || a - b);
}

export function replay(lines: TraceLine[], policy: Policy, options: ReplayOptions = {}): LineResult[] {
  const baselines = new Map<string, Baseline>();
  const platformOf = new Map<string, string>();
  const results: LineResult[] = new Array(lines.length);
  for (const i of timeOrder(lines)) {
    const l = lines[i]!;
    const facts = factsOfLine(l);
    const baseline = baselines.get(l.agent) ?? emptyBaseline();
    platformOf.set(l.agent, l.platform);
    let peers: PeerStats | undefined;
    if (options.peers) {
      const others = [...baselines.entries()]
        .filter(([a]) => a !== l.agent && platformOf.get(a) === l.platform)
        .map(([, b]) => b);
      peers = peerStatsOf(others);
    }
    const assessment = assess(baseline, facts, policy, peers);
    const outcome = decide(assessment, facts, policy);
    results[i] = {
      line: i + 1,
      score: assessment.score,
      decision: outcome.decision,
      contain: outcome.contain,
      reasons: assessment.reasons,
      ruleHits: outcome.ruleHits,
      warmingUp: assessment.flags?.warmingUp ?? false,
    };
    const approved = outcome.decision === 'REVIEW' && l.label === 'normal';
    baselines.set(
      l.agent,
      outcome.decision === 'ALLOW' || approved ? learn(baseline, facts, policy, approved) : baseline,
    );
  }
  return results;
}

// ---------------------------------------------------------------------------------------------- metrics

const flagged = (r: LineResult) => r.decision !== 'ALLOW' || r.contain;

export interface KindReport {
  incidents: number;
  detected: number;
  /** null ("n/a") when the trace has no incident of this kind. */
  recall: number | null;
  contained: number;
  /** Lines of the incident up to and including the first flagged one (detected incidents only). */
  linesToDetect: { median: number | null; max: number | null };
  /** Minutes from the incident's first line to its first flagged line. */
  minutesToDetect: { median: number | null; max: number | null };
  missed: string[];
}

export interface DetectorReport {
  traces: {
    lines: number;
    agents: number;
    agentDays: number;
    normalLines: number;
    anomalousLines: number;
    incidents: number;
  };
  decisions: { ALLOW: number; REVIEW: number; DENY: number; contained: number };
  precision: number;
  recall: number;
  falseHolds: number;
  falseHoldsPerAgentDay: number;
  falseHoldsAfterWarmup: number;
  falseHoldsPerAgentDayAfterWarmup: number;
  falseContainments: number;
  /** Normal requests held while the same agent was in the middle of an injected incident (e.g. during a burst). */
  falseHoldsDuringIncidents: number;
  falseHoldsBySignal: Record<string, number>;
  falseHoldsByAgent: Record<string, number>;
  perKind: Record<string, KindReport>;
  /**
   * Recall per judged kind: the labels, with odd sequences split by the sensitivity of the operation that
   * was out of order. Every kind in JUDGED_KINDS is listed; one without incidents is n/a and misses its target.
   */
  judged: Record<string, JudgedKind>;
  /** Real bulk requests injected right after a slow drift (must still be caught). */
  postDriftAttacks: { incidents: number; detected: number };
  targets: {
    recallPerKind: number;
    falseHoldsPerAgentDay: number;
    falseContainments: number;
    /** The targets not met, in words; empty when all are. */
    missed: string[];
    met: boolean;
  };
}

export interface JudgedKind {
  incidents: number;
  detected: number;
  recall: number | null;
  met: boolean;
}

/** Every kind must be present in a trace and caught at TARGETS.recallPerKind. */
export const JUDGED_KINDS = [
  'bulk_volume',
  'new_tool',
  'odd_sequence MEDIUM',
  'odd_sequence HIGH',
  'burst',
  'odd_context',
  'drift',
] as const;
export const TARGETS = { recallPerKind: 0.98, falseHoldsPerAgentDay: 0.05, falseContainments: 0 } as const;
const SENSITIVITY_RANK: Record<Sensitivity, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

/** The kind an incident is judged as: odd sequences by the sensitivity of their operations. */
export function judgedKindOf(label: string, sensitivity: Sensitivity): string {
  return label === 'odd_sequence' ? `odd_sequence ${sensitivity}` : label;
}

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

export function evaluate(lines: TraceLine[], results: LineResult[]): DetectorReport {
  const agentsDays = new Map<string, Set<string>>();
  const incidents = new Map<string, { kind: string; lines: number[]; sensitivity: Sensitivity }>();
  let normalLines = 0;
  const decisions = { ALLOW: 0, REVIEW: 0, DENY: 0, contained: 0 };
  let tp = 0;
  let fp = 0;
  let fpAfterWarmup = 0;
  let falseContainments = 0;
  const bySignal: Record<string, number> = {};
  const byAgent: Record<string, number> = {};

  // When each agent is in the middle of an incident: from its first line to 10 minutes after its last.
  const spans = new Map<string, Array<[number, number]>>();
  {
    const byId = new Map<string, { agent: string; from: number; to: number }>();
    for (const l of lines) {
      if (!l.incident || l.label === 'drift') continue;
      const t = Date.parse(l.time);
      const s = byId.get(l.incident) ?? { agent: l.agent, from: t, to: t };
      s.from = Math.min(s.from, t);
      s.to = Math.max(s.to, t);
      byId.set(l.incident, s);
    }
    for (const s of byId.values()) spans.set(s.agent, [...(spans.get(s.agent) ?? []), [s.from, s.to + 10 * 60_000]]);
  }
  let duringIncidents = 0;

  for (const i of timeOrder(lines)) {
    const l = lines[i]!;
    const r = results[i]!;
    const days = agentsDays.get(l.agent) ?? new Set<string>();
    days.add(l.time.slice(0, 10));
    agentsDays.set(l.agent, days);
    decisions[r.decision]++;
    if (r.contain) decisions.contained++;
    if (l.label === 'normal') normalLines++;
    if (l.incident) {
      const inc = incidents.get(l.incident) ?? { kind: l.label, lines: [], sensitivity: l.sensitivity };
      inc.lines.push(i);
      if (SENSITIVITY_RANK[l.sensitivity] > SENSITIVITY_RANK[inc.sensitivity]) inc.sensitivity = l.sensitivity;
      incidents.set(l.incident, inc);
    }
    if (!flagged(r)) continue;
    if (l.label === 'normal') {
      fp++;
      if (!r.warmingUp) fpAfterWarmup++;
      if (r.contain) falseContainments++;
      const t = Date.parse(l.time);
      if ((spans.get(l.agent) ?? []).some(([a, b]) => t >= a && t <= b)) duringIncidents++;
      byAgent[l.agent] = (byAgent[l.agent] ?? 0) + 1;
      const top = r.reasons[0]?.signal ?? (r.ruleHits.length ? 'rule' : 'none');
      bySignal[top] = (bySignal[top] ?? 0) + 1;
    } else tp++;
  }

  const agentDays = [...agentsDays.values()].reduce((a, s) => a + s.size, 0);
  const perKind: Record<string, KindReport> = {};
  let detectedTotal = 0;
  const postDrift = { incidents: 0, detected: 0 };
  for (const kind of ANOMALY_KINDS) {
    perKind[kind] = {
      incidents: 0,
      detected: 0,
      recall: 0,
      contained: 0,
      linesToDetect: { median: null, max: null },
      minutesToDetect: { median: null, max: null },
      missed: [],
    };
  }
  const ttdLines: Record<string, number[]> = {};
  const ttdMinutes: Record<string, number[]> = {};
  const judged: Record<string, JudgedKind> = {};
  for (const kind of JUDGED_KINDS) judged[kind] = { incidents: 0, detected: 0, recall: null, met: false };
  for (const [id, inc] of incidents) {
    const j = (judged[judgedKindOf(inc.kind, inc.sensitivity)] ??= {
      incidents: 0,
      detected: 0,
      recall: null,
      met: false,
    });
    j.incidents++;
    if (inc.lines.some((i) => flagged(results[i]!))) j.detected++;
    const k = (perKind[inc.kind] ??= {
      incidents: 0,
      detected: 0,
      recall: 0,
      contained: 0,
      linesToDetect: { median: null, max: null },
      minutesToDetect: { median: null, max: null },
      missed: [],
    });
    k.incidents++;
    const first = inc.lines.findIndex((i) => flagged(results[i]!));
    const isPostDrift = id.startsWith('post_drift');
    if (isPostDrift) postDrift.incidents++;
    if (first < 0) {
      k.missed.push(id);
      continue;
    }
    k.detected++;
    detectedTotal++;
    if (isPostDrift) postDrift.detected++;
    if (inc.lines.some((i) => results[i]!.contain)) k.contained++;
    (ttdLines[inc.kind] ??= []).push(first + 1);
    const t0 = Date.parse(lines[inc.lines[0]!]!.time);
    (ttdMinutes[inc.kind] ??= []).push((Date.parse(lines[inc.lines[first]!]!.time) - t0) / 60_000);
  }
  for (const [kind, k] of Object.entries(perKind)) {
    k.recall = k.incidents ? round(k.detected / k.incidents) : null;
    const tl = ttdLines[kind] ?? [];
    const tm = ttdMinutes[kind] ?? [];
    k.linesToDetect = { median: median(tl), max: tl.length ? Math.max(...tl) : null };
    const mm = median(tm);
    k.minutesToDetect = {
      median: mm === null ? null : round(mm, 1),
      max: tm.length ? round(Math.max(...tm), 1) : null,
    };
  }

  for (const j of Object.values(judged)) {
    j.recall = j.incidents ? round(j.detected / j.incidents) : null;
    j.met = j.recall !== null && j.recall >= TARGETS.recallPerKind;
  }

  const recall = incidents.size ? round(detectedTotal / incidents.size) : 0;
  const perDay = agentDays ? round(fp / agentDays) : 0;
  const missed = [
    ...Object.entries(judged)
      .filter(([, j]) => !j.met)
      .map(([kind, j]) => `${kind} recall ${j.recall ?? 'n/a'} (target ≥ ${TARGETS.recallPerKind})`),
    ...(perDay > TARGETS.falseHoldsPerAgentDay
      ? [`${perDay} false holds per agent-day (target ≤ ${TARGETS.falseHoldsPerAgentDay})`]
      : []),
    ...(falseContainments > TARGETS.falseContainments ? [`${falseContainments} false containments (target 0)`] : []),
  ];
  return {
    traces: {
      lines: lines.length,
      agents: agentsDays.size,
      agentDays,
      normalLines,
      anomalousLines: lines.length - normalLines,
      incidents: incidents.size,
    },
    decisions,
    precision: tp + fp ? round(tp / (tp + fp)) : 1,
    recall,
    falseHolds: fp,
    falseHoldsPerAgentDay: perDay,
    falseHoldsAfterWarmup: fpAfterWarmup,
    falseHoldsPerAgentDayAfterWarmup: agentDays ? round(fpAfterWarmup / agentDays) : 0,
    falseContainments,
    falseHoldsDuringIncidents: duringIncidents,
    falseHoldsBySignal: bySignal,
    falseHoldsByAgent: byAgent,
    perKind,
    judged,
    postDriftAttacks: postDrift,
    targets: { ...TARGETS, missed, met: missed.length === 0 },
  };
}
