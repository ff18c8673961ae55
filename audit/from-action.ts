/**
 * From a sensitive action's record to its audit inputs. Typed structurally (the fields of
 * domain/actions.ts `ActionRecord` it needs), so any ActionRecord can be passed as it is.
 */
import type { AuditActor, AuditDecision, AuditInput, AuditReason } from './events.js';

export interface ActionLike {
  id: string;
  agentId: string;
  agentName?: string;
  ownerEmail?: string | null;
  tool: string;
  operation: string;
  resourceId?: string | null;
  volume: number;
  amount: number;
  decision: AuditDecision | null;
  status: string;
  risk: { score: number; reasons: AuditReason[] } | null;
  contained: boolean;
  approval: {
    decidedBy: string | null;
    decision: 'APPROVE' | 'DENY' | 'EXPIRE' | null;
    comment: string | null;
    level?: number;
    route?: { tiers: { deciders: string[] }[] };
    votes?: {
      by: string;
      capacities: string[];
      onBehalfOf: string[];
      decision: string;
      comment: string | null;
      at: string;
    }[];
  } | null;
  workflowId: string;
}

export interface ActionAuditContext {
  runId?: string;
  /** Policy id (optionally `id@version`) the decision applied. */
  policy?: string;
  /** Who contained the agent (default Warden itself). */
  containedBy?: AuditActor;
}

const WARDEN: AuditActor = { kind: 'system', id: 'warden' };

/**
 * `decided`: the decision (and, when it contained the agent, the containment);
 * `voted`: one approval of a quorum not complete yet (the latest vote);
 * `escalated`: the next tier of deciders was notified (the level the approval is at now);
 * `resolved`: the approval or denial that ended it (with every vote), or the expiry at the deadline.
 */
export function actionAuditInputs(
  a: ActionLike,
  step: 'decided' | 'voted' | 'escalated' | 'resolved',
  ctx: ActionAuditContext = {},
): AuditInput[] {
  const common = {
    agentId: a.agentId,
    ...(a.agentName ? { agentName: a.agentName } : {}),
    ownerEmail: a.ownerEmail ?? null,
    tool: a.tool,
    operation: a.operation,
    resourceId: a.resourceId ?? null,
    volume: a.volume,
    amount: a.amount,
    status: a.status,
    actionId: a.id,
    workflowId: a.workflowId,
    ...(ctx.runId ? { runId: ctx.runId } : {}),
    ...(ctx.policy ? { policy: ctx.policy } : {}),
    ...(a.risk ? { score: a.risk.score, reasons: a.risk.reasons } : {}),
  };
  const what = `${a.tool} ${a.operation} (volume ${a.volume}${a.amount ? `, amount ${a.amount}` : ''})`;
  if (step === 'decided') {
    if (!a.decision) throw new TypeError(`action ${a.id} has no decision yet`);
    const out: AuditInput[] = [
      {
        ...common,
        kind: 'action.decided',
        decision: a.decision,
        actor: { kind: 'agent', id: a.agentId },
        message: `${a.decision === 'ALLOW' ? 'Allowed' : a.decision === 'DENY' ? 'Denied' : 'Held for approval'}: ${what}${a.risk ? `, risk ${a.risk.score}` : ''}`,
      },
    ];
    if (a.contained) {
      out.push({
        ...common,
        kind: 'agent.contained',
        status: 'SUSPENDED',
        actor: ctx.containedBy ?? WARDEN,
        message: `Agent ${a.agentName ?? a.agentId} suspended and every token revoked after ${what}${a.risk ? ` scored ${a.risk.score}` : ''}`,
      });
    }
    return out;
  }
  const ap = a.approval;
  const votes = (ap?.votes ?? []).map(({ comment: _comment, ...v }) => v);
  if (step === 'voted') {
    const vote = ap?.votes?.at(-1);
    if (!vote) throw new TypeError(`action ${a.id} has no vote yet`);
    return [
      {
        ...common,
        kind: 'action.voted',
        actor: { kind: 'human', id: vote.by },
        approver: vote.by,
        approverCapacities: vote.capacities,
        onBehalfOf: vote.onBehalfOf,
        votes,
        ...(vote.comment ? { comment: vote.comment } : {}),
        message: `Approved by ${vote.by} (as ${vote.capacities.filter((c) => !c.includes('@')).join(', ') || 'named decider'}), more approvals needed: ${what}`,
      },
    ];
  }
  if (step === 'escalated') {
    const level = ap?.level ?? 0;
    const deciders = ap?.route?.tiers[level]?.deciders ?? [];
    return [
      {
        ...common,
        kind: 'action.escalated',
        actor: WARDEN,
        level,
        deciders,
        message: `Undecided, escalated to ${deciders.join(', ')}: ${what}`,
      },
    ];
  }
  if (!ap?.decision) throw new TypeError(`action ${a.id} has no approval decision yet`);
  if (ap.decision === 'EXPIRE') {
    return [
      {
        ...common,
        kind: 'action.expired',
        actor: WARDEN,
        ...(votes.length ? { votes } : {}),
        message: `Approval deadline passed, denied: ${what}`,
      },
    ];
  }
  if (!ap.decidedBy) throw new TypeError(`action ${a.id}: approval without an approver`);
  const last = ap.votes?.at(-1);
  return [
    {
      ...common,
      kind: ap.decision === 'APPROVE' ? 'action.approved' : 'action.denied',
      actor: { kind: 'human', id: ap.decidedBy },
      approver: ap.decidedBy,
      ...(last ? { approverCapacities: last.capacities, onBehalfOf: last.onBehalfOf } : {}),
      ...(votes.length ? { votes } : {}),
      ...(ap.comment ? { comment: ap.comment } : {}),
      message: `${ap.decision === 'APPROVE' ? 'Approved' : 'Denied'} by ${ap.decidedBy}: ${what}`,
    },
  ];
}
