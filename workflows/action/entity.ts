/** A sensitive action as its workflow holds it, and how it shows in lists and in the Temporal UI. */
import { setCurrentDetails, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  actionMemo,
  actionWorkflowId,
  isRecordedGrant,
  type ActionRecord,
  type ApprovalRequest,
} from '../../domain/actions.js';
import type { StatementPrincipal } from '../../domain/authority.js';
import { ErrorCode } from '../../domain/errors.js';
import { ActionStatus, AgentId, AgentOwner, RiskScore, ToolName } from '../../temporal/search-attributes.js';
import { refuse } from '../refuse.js';
import { CommandGate, fromWarden, validAnchor } from '../trust.js';
import type { SensitiveActionArgs } from './messages.js';

/** A person's decision, once a verified statement brought it. */
export interface Approval {
  request: ApprovalRequest;
  by: StatementPrincipal;
  approve: boolean;
}

export class ActionEntity {
  action: ActionRecord;
  /** The decision is made: the requester (and any retry) may have it. */
  decided = false;
  approval: Approval | null = null;
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
        action.approval?.decidedBy
          ? `${action.approval.decision} by ${action.approval.decidedBy}${action.approval.comment ? `: ${action.approval.comment}` : ''}`
          : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
  }
}
