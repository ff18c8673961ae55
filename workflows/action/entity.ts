/** A sensitive action as its workflow holds it, and how it shows in lists and in the Temporal UI. */
import { setCurrentDetails, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { actionMemo, actionWorkflowId, isRecordedGrant, type ActionRecord } from '../../domain/actions.js';
import { isApprovalRoute, quorumReached, waitingFor, type ApprovalVote } from '../../domain/approval-policy.js';
import { ErrorCode } from '../../domain/errors.js';
import { ActionStatus, AgentId, AgentOwner, RiskScore, ToolName } from '../../temporal/search-attributes.js';
import { refuse } from '../refuse.js';
import { CommandGate, fromWarden, validAnchor } from '../trust.js';
import type { SensitiveActionArgs } from './messages.js';

/** The vote that ended a held action: the last approval its quorum needed, or a denial. */
export interface Outcome {
  approve: boolean;
  vote: ApprovalVote;
}

export class ActionEntity {
  action: ActionRecord;
  /** The decision is made: the requester (and any retry) may have it. */
  decided = false;
  /**
   * Set by the Update handler that casts the deciding vote, in the same step: a vote arriving at the same
   * moment is validated after it and refused (CONFLICT), so a quorum is reached exactly once.
   */
  outcome: Outcome | null = null;
  /** MCP calls: the endpoint claimed the allowed call to forward it (once). */
  claimed = false;
  readonly gate: CommandGate;

  /** Only Warden starts an action, and only the action the workflow id names, on a baseline it read. */
  static start(input: SensitiveActionArgs): { entity: ActionEntity; args: SensitiveActionArgs } {
    const args = fromWarden(input, 'the action workflow input', { operation: 'sensitiveActionWorkflow' });
    if (
      !args?.action ||
      actionWorkflowId(args.action.id) !== workflowInfo().workflowId ||
      !validAnchor(args.trust) ||
      !isRecordedGrant(args.offeredGrant) ||
      !isApprovalRoute(args.route) ||
      typeof args.profile !== 'object' ||
      args.profile === null
    ) {
      refuse(ErrorCode.BAD_USER_INPUT, 'Refused: this input is not a request for the action this workflow id names.');
    }
    return { entity: new ActionEntity(args), args };
  }

  private constructor(args: SensitiveActionArgs) {
    this.action = args.action;
    this.gate = new CommandGate(args.trust, [], args.action.agentId);
  }

  /** Records a verified vote; the one that completes the quorum, or any denial, decides. */
  vote(vote: ApprovalVote): void {
    const approval = this.action.approval!;
    const votes = [...approval.votes, vote];
    this.action = { ...this.action, approval: { ...approval, votes } };
    if (vote.decision === 'DENY' || quorumReached(approval.route, votes))
      this.outcome = { approve: vote.decision === 'APPROVE', vote };
  }

  /** The next tier of deciders may decide from now on. */
  escalate(level: number): void {
    this.action = { ...this.action, approval: { ...this.action.approval!, level } };
    this.publish();
  }

  /** Search attributes and memo (what lists read), and the details the Temporal UI shows. */
  publish(): void {
    const { action } = this;
    upsertSearchAttributes([
      { key: AgentId, value: action.agentId },
      { key: ToolName, value: action.tool },
      { key: ActionStatus, value: action.status },
      { key: RiskScore, value: action.risk?.score ?? 0 },
      { key: AgentOwner, value: action.ownerEmail },
    ]);
    upsertMemo(actionMemo(action));
    this.showDetails();
  }

  showDetails(): void {
    const { action } = this;
    setCurrentDetails(
      [
        `**${action.status}** · ${action.agentName} asked ${action.tool}.${action.operation} (${action.sensitivity})` +
          `${action.volume ? ` for ${action.volume} records` : ''}${action.amount ? `, amount ${action.amount}` : ''}` +
          `${action.resourceId ? ` on ${action.resourceId}` : ''}`,
        action.risk
          ? `Risk ${action.risk.score}/100: ${action.risk.reasons.map((r) => `${r.signal} +${r.contribution}`).join(', ') || 'nothing unusual'}`
          : '',
        action.contained ? 'The agent was contained: suspended, every token revoked.' : '',
        action.approval && action.status === 'PENDING_APPROVAL'
          ? `Routed by rule "${action.approval.route.rule}": ${waitingFor(action.approval.route, action.approval.level, action.approval.votes)}, before ${action.approval.deadline}.`
          : '',
        ...(action.approval?.votes ?? []).map(
          (v) =>
            `${v.decision === 'APPROVE' ? 'Approved' : 'Denied'} by ${v.by} as ${v.capacities.filter((c) => !c.includes('@')).join(', ') || 'named decider'}${v.onBehalfOf.length ? ` (for ${v.onBehalfOf.join(', ')})` : ''} at ${v.at}${v.comment ? `: ${v.comment}` : ''}`,
        ),
        action.approval?.decision === 'EXPIRE' ? `Expired at ${action.approval.decidedAt}: denied.` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
  }
}
