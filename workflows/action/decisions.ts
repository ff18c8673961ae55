/**
 * Who hears the decision, and who may make a held action's: the requester (and any retry of its
 * idempotency key) waits for the workflow's decision; the people its approval route names — as the signed
 * statement says Warden read them at the moment of deciding (roles, the agent's owner, delegations) —
 * approve or deny, one vote each, until the quorum is reached or someone denies.
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { WardenActivities } from '../../activities/index.js';
import { FINAL_STATUSES, type ApprovalRequest } from '../../domain/actions.js';
import { standingOf, voteRefusal, type ApprovalVote } from '../../domain/approval-policy.js';
import type { StatementPrincipal } from '../../domain/authority.js';
import { ErrorCode } from '../../domain/errors.js';
import type { Signed } from '../../tokens/statements.js';
import { refuse } from '../refuse.js';
import type { ActionEntity } from './entity.js';
import { fromWarden } from '../trust.js';
import {
  approveActionUpdate,
  claimCallUpdate,
  decideActionUpdate,
  denyActionUpdate,
  getActionQuery,
} from './messages.js';

const { recordAudit } = proxyActivities<WardenActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const standing = (by: StatementPrincipal) =>
  standingOf({ email: by.id, roles: by.roles, delegators: by.delegators ?? [] }, by.agentOwner);

export function handleDecisions(entity: ActionEntity): void {
  const { gate } = entity;
  setHandler(getActionQuery, () => entity.action);
  setHandler(decideActionUpdate, async () => {
    await condition(() => entity.decided);
    return entity.action;
  });

  /** Verifies the decision's statement and the decider's authority *now*, then the action's state. */
  const validator = (command: 'approveAction' | 'denyAction') => (arg: Signed<ApprovalRequest>) => {
    const { request, by } = gate.verify<ApprovalRequest>(arg, command);
    if (by.kind !== 'human')
      gate.forbid(
        command,
        by,
        'Only a person can decide an approval; an agent never approves, least of all its own request.',
      );
    const { action } = entity;
    if (action.status !== 'PENDING_APPROVAL')
      refuse(ErrorCode.CONFLICT, `Action ${action.id} is ${action.status}: there is nothing left to decide.`);
    if (entity.outcome) refuse(ErrorCode.CONFLICT, `Action ${action.id} is already decided.`);
    if (action.approval && Date.now() >= Date.parse(action.approval.deadline))
      refuse(ErrorCode.CONFLICT, `The approval deadline of action ${action.id} has passed; it is EXPIRED.`);
    if (typeof request?.comment !== 'string') refuse(ErrorCode.BAD_USER_INPUT, 'comment must be a string');
    if (request.comment.length > 1000) refuse(ErrorCode.BAD_USER_INPUT, 'comment must be at most 1000 characters');
    if (command === 'denyAction' && !request.comment.trim())
      refuse(ErrorCode.BAD_USER_INPUT, 'a reason is required to deny');
    const { route, level, votes } = action.approval!;
    const why = voteRefusal(route, level, votes, standing(by), by.id, command === 'approveAction' ? 'APPROVE' : 'DENY');
    if (why?.code === 'FORBIDDEN') gate.forbid(command, by, why.message);
    if (why) refuse(ErrorCode.CONFLICT, why.message);
  };
  /**
   * Records the vote at once (a concurrent vote's validator sees it); the deciding vote answers once the
   * action has its outcome, any other once its audit record is written.
   */
  const decide = (approve: boolean) => async (arg: Signed<ApprovalRequest>) => {
    const { request, by } = gate.accept<ApprovalRequest>(arg, approve ? 'approveAction' : 'denyAction');
    const { capacities, onBehalfOf } = standing(by);
    const vote: ApprovalVote = {
      by: by.id,
      capacities,
      onBehalfOf,
      decision: approve ? 'APPROVE' : 'DENY',
      comment: request.comment.trim() || null,
      at: new Date().toISOString(),
    };
    entity.vote(vote);
    if (entity.outcome) {
      await condition(() => FINAL_STATUSES.includes(entity.action.status));
      return entity.action;
    }
    entity.publish();
    const recorded = entity.action;
    await recordAudit({ kind: 'action.voted', action: recorded });
    return recorded;
  };
  setHandler(approveActionUpdate, decide(true), { validator: validator('approveAction') });
  setHandler(denyActionUpdate, decide(false), { validator: validator('denyAction') });

  // An MCP call is forwarded once per decision: the first claim wins, every later one is refused.
  setHandler(
    claimCallUpdate,
    () => {
      entity.claimed = true;
      return entity.action;
    },
    {
      validator: (claim) => {
        fromWarden(claim, 'a claim of an MCP call', { operation: 'claimCall' });
        const { action } = entity;
        if (!action.call || claim?.argumentsSha256 !== action.call.argumentsSha256)
          refuse(ErrorCode.BAD_USER_INPUT, `Action ${action.id} is not for this MCP call.`);
        if (action.status !== 'ALLOWED' && action.status !== 'APPROVED')
          refuse(ErrorCode.CONFLICT, `Action ${action.id} is ${action.status}: there is nothing to forward.`);
        if (entity.claimed) refuse(ErrorCode.CONFLICT, `The call of action ${action.id} was already forwarded.`);
      },
    },
  );
}
