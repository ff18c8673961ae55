/**
 * One sensitive action, as one workflow (`action:<id>`), started by Update-with-Start so the caller gets
 * its decision synchronously and a retried request finds the same action:
 *
 *   score → ALLOW (record the grant the API offered, bound to exactly this request; the API signs it)
 *         → DENY (with the reasons)
 *         → REVIEW: hold for people — and above the containment threshold, suspend the agent and revoke
 *           its tokens (answered first: the API processes refuse them from the answer on) and tell the
 *           security team. The approval route (the routing policy's rule, in the input) says who decides
 *           and how many must approve; undecided after each tier's delay, the next tier is notified and may
 *           decide too (a timer each); any decider's denial ends it; at the deadline the action is EXPIRED,
 *           which means denied. Approved → a grant for exactly this request.
 *
 * Every step is recorded in the audit trail; the agent's baseline learns only from allowed or approved
 * actions (a signal to the agent's workflow, deduplicated there). No grant token is ever in this workflow's
 * history: it records a grant's terms, and the API signs them when it hands the grant out.
 */
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
} from '@temporalio/workflow';
import type { WardenActivities } from '../../activities/index.js';
import type { ActionRecord } from '../../domain/actions.js';
import { OWNER, waitingFor } from '../../domain/approval-policy.js';
import { agentWorkflowId } from '../../domain/agents.js';
import { assessAction } from '../../risk/assess-action.js';
import { learnActionSignal } from '../agent/messages.js';
import { failpoints } from '../failpoints.js';
import { scoringRevision } from '../scoring.js';
import { handleTrustAnchorRefresh } from '../trust.js';
import { handleDecisions } from './decisions.js';
import { ActionEntity } from './entity.js';
import type { SensitiveActionArgs } from './messages.js';

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

export async function sensitiveActionWorkflow(input: SensitiveActionArgs): Promise<ActionRecord> {
  const { entity, args } = ActionEntity.start(input);
  handleTrustAnchorRefresh(entity.gate, entity.action.agentId);
  handleDecisions(entity);
  // The starter set the search attributes and the list view.
  entity.showDetails();

  // 1. Score and decide, in this workflow's code on what its input holds (the rules are pure functions).
  const assessment = assessAction(args.profile, entity.action, args.peers ?? undefined, scoringRevision());
  let containAfterAnswer: { agentId: string; actionId: string; reason: string } | null = null;
  failpoints.reached('action.scoring');
  entity.action = {
    ...entity.action,
    risk: { score: assessment.score, reasons: assessment.reasons },
    decision: assessment.decision,
    decidedAt: new Date().toISOString(),
  };
  if (assessment.decision === 'ALLOW') {
    entity.action = { ...entity.action, status: 'ALLOWED', recordedGrant: args.offeredGrant };
  } else {
    // A hard rule (e.g. an amount ceiling) may deny and contain at once. The caller hears of a containment
    // as soon as it is decided — the API processes refuse every earlier token from then on, told by the one
    // that asked (api/services/revocation-broadcast.ts) — and the agent's workflow records it right after.
    if (assessment.contain) {
      const { agentId, id: actionId, tool, operation } = entity.action;
      const why = assessment.decision === 'DENY' ? 'denied by policy' : `scored ${assessment.score}/100`;
      const containment = { agentId, actionId, reason: `contained by Warden: ${tool}.${operation} ${why}` };
      // Histories recorded before contain-after-answer contained first, then answered.
      if (patched('contain-after-answer')) containAfterAnswer = containment;
      else await containAgent(containment);
      entity.action = { ...entity.action, contained: true };
    }
    entity.action =
      assessment.decision === 'DENY'
        ? { ...entity.action, status: 'DENIED' }
        : {
            ...entity.action,
            status: 'PENDING_APPROVAL',
            approval: {
              deadline: new Date(Date.now() + args.route.deadlineMs).toISOString(),
              decidedBy: null,
              decision: null,
              comment: null,
              decidedAt: null,
              route: args.route,
              heldAt: new Date().toISOString(),
              level: 0,
              votes: [],
            },
          };
  }
  const action = entity.action;
  entity.decided = true;
  entity.publish();
  if (containAfterAnswer) await containAgent(containAfterAnswer);
  const learn = (audit = false) =>
    getExternalWorkflowHandle(agentWorkflowId(action.agentId)).signal(learnActionSignal, {
      actionId: action.id,
      action: entity.action,
      ...(audit ? { audit } : {}),
    });
  if (action.status === 'ALLOWED') {
    // Allowed outright: the agent's workflow learns it and audits it with its routine decisions, batched.
    await learn(true);
    await awaitCallClaim(entity);
    return entity.action;
  }
  await recordAudit({ kind: 'action.decided', action });
  if (action.status !== 'PENDING_APPROVAL') return action;

  // 2. Hold for people: the first tier is told (alongside the wait, so a slow or broken webhook never delays
  // a decision); each vote arrives as an Update (./decisions.ts). Undecided when a later tier's delay is up,
  // that tier is told too and may decide; undecided at the deadline, the action expires.
  const { route, heldAt } = action.approval!;
  const notified = [notifyApprovers(action, 0)];
  /** true once a vote decided it, false when `until` came first. */
  const decidedBefore = async (until: number) =>
    until <= Date.now() ? entity.outcome !== null : condition(() => entity.outcome !== null, until - Date.now());
  for (let level = 1; level < route.tiers.length; level++) {
    if (await decidedBefore(Date.parse(heldAt) + route.tiers[level]!.afterMs)) break;
    entity.escalate(level);
    await recordAudit({ kind: 'action.escalated', action: entity.action });
    // A vote may have decided it while the record was written: then nobody new is asked to decide.
    if (entity.outcome) break;
    notified.push(notifyApprovers(entity.action, level));
  }
  const answered = await decidedBefore(Date.parse(action.approval!.deadline));
  const decidedAt = new Date().toISOString();
  const approval = entity.action.approval!;
  if (!answered) {
    entity.action = { ...entity.action, status: 'EXPIRED', approval: { ...approval, decision: 'EXPIRE', decidedAt } };
  } else {
    const { approve, vote } = entity.outcome!;
    entity.action = {
      ...entity.action,
      status: approve ? 'APPROVED' : 'DENIED',
      approval: {
        ...approval,
        decidedBy: vote.by,
        decision: approve ? 'APPROVE' : 'DENY',
        comment: vote.comment,
        decidedAt,
      },
    };
    if (approve) {
      if (action.contained && args.resumeOnApprove)
        await resumeContainedAgent({ agentId: action.agentId, actionId: action.id, approver: vote.by });
      entity.action = { ...entity.action, recordedGrant: await offerActionGrant() };
      await learn();
    }
  }
  entity.publish();
  await recordAudit({ kind: 'action.resolved', action: entity.action });
  await Promise.all(notified);
  await awaitCallClaim(entity);
  // Votes still writing their audit records (one cast just before the deadline) finish first.
  await condition(allHandlersFinished);
  return entity.action;
}

/**
 * An MCP call allowed or approved stays claimable while its grant lives: the agent's retry (after a person
 * approved it, or after the API died before forwarding) finds it open, and the first claim forwards it.
 */
async function awaitCallClaim(entity: ActionEntity): Promise<void> {
  const { call, recordedGrant } = entity.action;
  if (!call || !recordedGrant) return;
  await condition(() => entity.claimed, Math.max(0, recordedGrant.exp * 1000 - Date.now()));
}

/** Tells a tier of deciders: the first when the action is held, each later one when it escalates. */
async function notifyApprovers(action: ActionRecord, level: number): Promise<void> {
  const reasons = action.risk!.reasons.map((r) => `• ${r.detail}`).join('\n');
  const { route, votes, deadline } = action.approval!;
  const deciders = route.tiers[level]!.deciders;
  const to = deciders.flatMap((d) =>
    d === OWNER ? (action.ownerEmail ? [action.ownerEmail] : []) : d.includes('@') ? [d] : [],
  );
  const what = level === 0 ? (action.contained ? 'Agent contained' : 'Approval needed') : 'Escalated, approval needed';
  try {
    await deliverNotification({
      kind: 'security',
      agentId: action.agentId,
      actionId: action.id,
      to,
      deciders,
      subject: `${what}: ${action.agentName} → ${action.tool}.${action.operation}`,
      text: `${action.agentName} asked for ${action.tool}.${action.operation} (risk ${action.risk!.score}/100). ${action.contained ? 'The agent is suspended and its tokens are revoked. ' : ''}Waiting for ${waitingFor(route, level, votes)}; now deciding: ${deciders.join(', ')}. Decide before ${deadline}.\n${reasons}`,
      at: new Date().toISOString(),
    });
  } catch (err) {
    log.warn('approval notification not delivered', { error: String(err) });
  }
}
