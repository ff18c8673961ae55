/**
 * One sensitive action, as one workflow (`action:<id>`), started by Update-with-Start so the caller gets
 * its decision synchronously and a retried request finds the same action:
 *
 *   score → ALLOW (record the grant the API offered, bound to exactly this request; the API signs it)
 *         → DENY (with the reasons)
 *         → REVIEW: hold for a human — and above the containment threshold, first suspend the agent,
 *           revoke its tokens and tell the security team. The approval has a deadline; at the deadline
 *           the action is EXPIRED, which means denied. Approve → a grant for exactly this request.
 *
 * A person's decision arrives with a signed statement (workflows/trust.ts): who decided, their roles and
 * the agent's owner, as Warden read them at the moment of deciding. Every step is recorded in the audit
 * trail; the agent's baseline learns only from allowed or approved actions (a signal to the agent's
 * workflow, deduplicated there). No grant token is ever in this workflow's history: it records a grant's
 * terms, and the API signs them when it hands the grant out.
 */
import {
  ApplicationFailure,
  condition,
  defineQuery,
  defineUpdate,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { WardenActivities } from '../activities/index.js';
import { agentWorkflowId } from '../domain/agents.js';
import {
  actionWorkflowId,
  FINAL_STATUSES,
  isRecordedGrant,
  type ActionRecord,
  type ApprovalRequest,
  type RecordedGrant,
} from '../domain/actions.js';
import { APPROVAL_RULE, refusalFor } from '../domain/authority.js';
import { ErrorCode } from '../domain/errors.js';
import { ActionStatus, AgentId, AgentOwner, RiskScore, ToolName } from '../temporal/search-attributes.js';
import { assessAction, type RiskProfile } from '../risk/assess-action.js';
import type { PeerStats } from '../risk/types.js';
import type { Signed, TrustAnchor } from '../tokens/statements.js';
import type { StatementPrincipal } from '../domain/authority.js';
import { learnActionSignal } from './agent/messages.js';
import { failpoints } from './failpoints.js';
import { CommandGate, fromWarden, handleTrustAnchorRefresh, validAnchor } from './trust.js';

export interface SensitiveActionArgs {
  action: ActionRecord;
  /** Warden's issuer and signing keys: what approvers' statements are verified against. */
  trust: TrustAnchor;
  /** How long an approval may wait before the action expires (default 24 h). */
  approvalTimeoutMs: number;
  /** Approving a contained agent's action resumes the agent. */
  resumeOnApprove: boolean;
  /** The agent's baseline and policy as the API read them with the agent (one query): what the decision is made on. */
  profile: RiskProfile;
  /** The grant to record if the action is allowed outright (key id, `jti`, lifetime; the API signs it). */
  offeredGrant: RecordedGrant;
  /** The platform's peer statistics the API gathered (null when it has none yet). */
  peers: PeerStats | null;
}

/** The list view (no grant, no justification): what the API's action lists show without a query each. */
export function actionListMemo(action: ActionRecord): Record<string, unknown> {
  return {
    agentName: action.agentName,
    tool: action.tool,
    operation: action.operation,
    sensitivity: action.sensitivity,
    volume: action.volume,
    amount: action.amount,
    status: action.status,
    decision: action.decision,
    score: action.risk?.score ?? null,
    requestedAt: action.requestedAt,
    decidedAt: action.decidedAt,
    // What approvers' lists show, so a list never has to ask each workflow (one that is slow to answer
    // would fail the whole list).
    approval: action.approval,
    contained: action.contained,
    resourceId: action.resourceId,
  };
}

export const decideActionUpdate = defineUpdate<ActionRecord, []>('decideAction');
export const approveActionUpdate = defineUpdate<ActionRecord, [Signed<ApprovalRequest>]>('approveAction');
export const denyActionUpdate = defineUpdate<ActionRecord, [Signed<ApprovalRequest>]>('denyAction');
export const getActionQuery = defineQuery<ActionRecord>('getAction');

const { offerActionGrant } = proxyLocalActivities<WardenActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '30 seconds' },
});
// Unlimited retries: a containment must happen, however long it takes.
const { containAgent, resumeContainedAgent, recordAudit } = proxyActivities<WardenActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const { deliverNotification } = proxyActivities<WardenActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 },
});

function refuse(type: ErrorCode, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

export async function sensitiveActionWorkflow(input: SensitiveActionArgs): Promise<ActionRecord> {
  // Only Warden starts an action, and only the action the workflow id names, on a baseline it read.
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
  let action = args.action;
  let decided = false;
  let approval: { request: ApprovalRequest; by: StatementPrincipal; approve: boolean } | null = null;
  const gate = new CommandGate(args.trust, [], action.agentId);
  handleTrustAnchorRefresh(gate, action.agentId);

  const publish = () => {
    upsertSearchAttributes([
      { key: AgentId, value: action.agentId },
      { key: ToolName, value: action.tool },
      { key: ActionStatus, value: action.status },
      { key: RiskScore, value: action.risk?.score ?? 0 },
      { key: AgentOwner, value: action.ownerEmail },
    ]);
    upsertMemo(actionListMemo(action));
    showDetails();
  };
  const showDetails = () =>
    setCurrentDetails(
      [
        `**${action.status}** · ${action.agentName} asked ${action.tool}.${action.operation} (${action.sensitivity})` +
          `${action.volume ? ` for ${action.volume} records` : ''}${action.amount ? `, amount ${action.amount}` : ''}${action.resourceId ? ` on ${action.resourceId}` : ''}`,
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

  setHandler(getActionQuery, () => action);
  // Whoever asks — the first request or a retry with the same idempotency key — gets the decision.
  setHandler(decideActionUpdate, async () => {
    await condition(() => decided);
    return action;
  });

  /** Verifies the decision's statement and the decider's authority *now*, then the action's state. */
  const approvalValidator = (command: string) => (arg: Signed<ApprovalRequest>) => {
    const { request, by } = gate.verify<ApprovalRequest>(arg, command);
    const refusal = refusalFor(APPROVAL_RULE, by, { ownerEmail: by.agentOwner });
    if (refusal)
      gate.forbid(
        command,
        by,
        by.kind === 'human'
          ? "Only the agent's owner or the security team may decide this approval."
          : 'Only a person can decide an approval; an agent never approves, least of all its own request.',
      );
    if (action.status !== 'PENDING_APPROVAL')
      refuse(ErrorCode.CONFLICT, `Action ${action.id} is ${action.status}: there is nothing left to decide.`);
    if (approval) refuse(ErrorCode.CONFLICT, `Action ${action.id} is already being decided.`);
    if (action.approval && Date.now() >= Date.parse(action.approval.deadline))
      refuse(ErrorCode.CONFLICT, `The approval deadline of action ${action.id} has passed; it is EXPIRED.`);
    if (typeof request?.comment !== 'string') refuse(ErrorCode.BAD_USER_INPUT, 'comment must be a string');
    if (request.comment.length > 1000) refuse(ErrorCode.BAD_USER_INPUT, 'comment must be at most 1000 characters');
    if (command === 'denyAction' && !request.comment.trim())
      refuse(ErrorCode.BAD_USER_INPUT, 'a reason is required to deny');
  };
  const decide = (approve: boolean) => async (arg: Signed<ApprovalRequest>) => {
    const { request, by } = gate.accept<ApprovalRequest>(arg, approve ? 'approveAction' : 'denyAction');
    approval = { request, by, approve };
    await condition(() => FINAL_STATUSES.includes(action.status));
    return action;
  };
  setHandler(approveActionUpdate, decide(true), { validator: approvalValidator('approveAction') });
  setHandler(denyActionUpdate, decide(false), { validator: approvalValidator('denyAction') });

  const learn = (audit = false) =>
    getExternalWorkflowHandle(agentWorkflowId(action.agentId)).signal(learnActionSignal, {
      actionId: action.id,
      action,
      ...(audit ? { audit } : {}),
    });

  // The starter set the search attributes and the list view.
  showDetails();

  // 1. Score and decide, in this workflow's code on what its input holds (the rules are pure functions).
  const assessment = assessAction(args.profile, action, args.peers ?? undefined);
  failpoints.reached('action.scoring');
  const now = new Date().toISOString();
  action = {
    ...action,
    risk: { score: assessment.score, reasons: assessment.reasons },
    decision: assessment.decision,
    decidedAt: now,
  };

  if (assessment.decision === 'ALLOW') {
    action = { ...action, status: 'ALLOWED', recordedGrant: args.offeredGrant };
  } else if (assessment.decision === 'DENY') {
    // A hard rule (e.g. an amount ceiling) may deny and contain at once.
    if (assessment.contain) {
      await containAgent({
        agentId: action.agentId,
        actionId: action.id,
        reason: `contained by Warden: ${action.tool}.${action.operation} denied by policy`,
      });
      action = { ...action, contained: true };
    }
    action = { ...action, status: 'DENIED' };
  } else {
    if (assessment.contain) {
      // Containment completes before the caller hears back: every earlier token is dead by then.
      await containAgent({
        agentId: action.agentId,
        actionId: action.id,
        reason: `contained by Warden: ${action.tool}.${action.operation} scored ${assessment.score}/100`,
      });
      action = { ...action, contained: true };
    }
    action = {
      ...action,
      status: 'PENDING_APPROVAL',
      approval: {
        deadline: new Date(Date.now() + args.approvalTimeoutMs).toISOString(),
        decidedBy: null,
        decision: null,
        comment: null,
        decidedAt: null,
      },
    };
  }
  decided = true;
  publish();
  if (action.status === 'ALLOWED') {
    // Allowed outright: the agent's workflow learns it and audits it with its routine decisions, batched.
    await learn(true);
    return action;
  }
  await recordAudit({ kind: 'action.decided', action });
  if (action.status !== 'PENDING_APPROVAL') return action;

  // 2. Hold for a human.
  const reasons = action.risk!.reasons.map((r) => `• ${r.detail}`).join('\n');
  // Sent alongside the wait, so a slow or broken webhook never delays a decision.
  const notified = (async () => {
    try {
      await deliverNotification({
        kind: 'security',
        agentId: action.agentId,
        to: action.ownerEmail ? [action.ownerEmail] : [],
        subject: `${action.contained ? 'Agent contained' : 'Approval needed'}: ${action.agentName} → ${action.tool}.${action.operation}`,
        text: `${action.agentName} asked for ${action.tool}.${action.operation} (risk ${action.risk!.score}/100). ${action.contained ? 'The agent is suspended and its tokens are revoked. ' : ''}Decide before ${action.approval!.deadline}.\n${reasons}`,
        at: new Date().toISOString(),
      });
    } catch (err) {
      log.warn('approval notification not delivered', { error: String(err) });
    }
  })();

  const deadline = Date.parse(action.approval!.deadline);
  const answered = await condition(() => approval !== null, Math.max(0, deadline - Date.now()));
  const decidedAt = new Date().toISOString();
  if (!answered) {
    action = { ...action, status: 'EXPIRED', approval: { ...action.approval!, decision: 'EXPIRE', decidedAt } };
  } else {
    const { request, by, approve } = approval!;
    action = {
      ...action,
      status: approve ? 'APPROVED' : 'DENIED',
      approval: {
        ...action.approval!,
        decidedBy: by.id,
        decision: approve ? 'APPROVE' : 'DENY',
        comment: request.comment.trim() || null,
        decidedAt,
      },
    };
    if (approve) {
      if (action.contained && args.resumeOnApprove)
        await resumeContainedAgent({ agentId: action.agentId, actionId: action.id, approver: by.id });
      action = { ...action, recordedGrant: await offerActionGrant() };
      await learn();
    }
  }
  publish();
  await recordAudit({ kind: 'action.resolved', action });
  await notified;
  return action;
}
