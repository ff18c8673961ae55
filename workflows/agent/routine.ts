/**
 * Routine decisions and the baseline: the fastest durable path for routine work is one Update on the
 * agent's (already running) workflow, which scores the request, records its grant and learns from it in one
 * workflow task. Anything that is not a plain ALLOW goes to its own sensitive-action workflow — and so does
 * every retry of that idempotency key. Scored here, on this workflow's own baseline and policy (the rules are
 * pure functions), with no activity. Peer statistics (a refinement of novelty) are left to sensitive actions.
 */
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { isRecordedGrant, type ActionRecord, type RecordedGrant } from '../../domain/actions.js';
import { ErrorCode } from '../../domain/errors.js';
import { assessAction } from '../../risk/assess-action.js';
import { learn } from '../../risk/learn.js';
import { policyOverrideProblem } from '../../risk/policy-check.js';
import { factsOf } from '../../risk/facts.js';
import { scoringPolicy } from '../../risk/revisions.js';
import type { PolicyOverride } from '../../risk/policy.js';
import { isForeign } from '../../temporal/payload-origin.js';
import { failpoints } from '../failpoints.js';
import { refuse } from '../refuse.js';
import { scoringRevision } from '../scoring.js';
import { reportRefusedSignal } from '../trust.js';
import { actorOf, type AgentEntity } from './entity.js';
import {
  decideRoutineActionUpdate,
  getDecisionContextQuery,
  getRiskProfileQuery,
  getRoutineActionQuery,
  learnActionSignal,
  listRoutineActionsQuery,
  setRiskPolicyUpdate,
} from './messages.js';

const ROUTINE_KEPT = 200;
const KEYS_KEPT = 500;

export function handleRoutineWork(agent: AgentEntity): void {
  setHandler(getRiskProfileQuery, () => ({ baseline: agent.baseline, policy: agent.riskPolicy }));
  setHandler(getDecisionContextQuery, (idempotencyKey) => ({
    agent: agent.state,
    profile: { baseline: agent.baseline, policy: agent.riskPolicy },
    routine: agent.routine.find((a) => a.idempotencyKey === idempotencyKey) ?? null,
  }));
  setHandler(getRoutineActionQuery, (actionId) => agent.routine.find((a) => a.id === actionId) ?? null);
  setHandler(listRoutineActionsQuery, () => agent.routine);

  const escalate = (idempotencyKey: string) => {
    agent.escalatedKeys = [...agent.escalatedKeys.slice(-(KEYS_KEPT - 1)), idempotencyKey];
    return null;
  };
  /** Each action is learned once, however often it arrives. */
  const learnOnce = (action: ActionRecord, actionId = action.id) => {
    if (agent.learnedActions.includes(actionId)) return false;
    agent.learnedActions = [...agent.learnedActions.slice(-(KEYS_KEPT - 1)), actionId];
    const policy = scoringPolicy(scoringRevision(), agent.riskPolicy);
    agent.baseline = learn(agent.baseline, factsOf(action), policy, action.status === 'APPROVED');
    return true;
  };

  setHandler(
    decideRoutineActionUpdate,
    (request: ActionRecord, offeredGrant: RecordedGrant) => {
      const known = agent.routine.find((a) => a.idempotencyKey === request.idempotencyKey);
      if (known) return known;
      if (agent.escalatedKeys.includes(request.idempotencyKey)) return null;
      // The API routes routine work from a view of this agent that may be a moment old: what it may use,
      // and who it is, come from this workflow's own state (its status: the validator).
      const { state } = agent;
      if (!state.allowedTools.some((t) => t.tool === request.tool && t.operations.includes(request.operation)))
        return escalate(request.idempotencyKey);
      const action: ActionRecord = {
        ...request,
        agentName: state.name,
        platform: state.platform,
        ownerEmail: state.ownerEmail,
      };
      const assessment = assessAction(
        { baseline: agent.baseline, policy: agent.riskPolicy },
        action,
        undefined,
        scoringRevision(),
      );
      failpoints.reached('action.routine.scoring');
      if (assessment.decision !== 'ALLOW') return escalate(action.idempotencyKey);
      const decided: ActionRecord = {
        ...action,
        decision: 'ALLOW',
        status: 'ALLOWED',
        risk: { score: assessment.score, reasons: assessment.reasons },
        recordedGrant: offeredGrant,
        decidedAt: new Date().toISOString(),
        workflowId: workflowInfo().workflowId,
      };
      agent.routine = [...agent.routine.slice(-(ROUTINE_KEPT - 1)), decided];
      learnOnce(decided);
      agent.auditOutbox.push(decided);
      return decided;
    },
    {
      validator: (request: ActionRecord, offeredGrant: RecordedGrant) => {
        const { state } = agent;
        agent.reported(request, 'a routine request', 'decideRoutineAction');
        agent.reported(offeredGrant, 'an offered grant', 'decideRoutineAction');
        if (state.status !== 'ACTIVE')
          refuse(ErrorCode.FORBIDDEN, `Agent ${state.id} is ${state.status}: it cannot request actions.`);
        if (typeof request !== 'object' || request === null || request.agentId !== state.id)
          refuse(ErrorCode.BAD_USER_INPUT, `This request is not for agent ${state.id}.`);
        if (!isRecordedGrant(offeredGrant))
          refuse(
            ErrorCode.BAD_USER_INPUT,
            'The offered grant is not a recorded grant (kid, issuer, jti, whole-second iat < exp).',
          );
      },
    },
  );

  // Only allowed or approved actions reach here (from their action workflows). A signal has no validator:
  // what is not Warden's is dropped, and said so.
  setHandler(learnActionSignal, (signal) => {
    if (isForeign(signal) || signal?.action?.agentId !== agent.state.id) {
      reportRefusedSignal(
        'learnAction',
        `Refused: a learnAction signal ${isForeign(signal) ? "that is not Warden's" : 'about another agent'} was dropped; the baseline learns only what Warden allowed.`,
        agent.state.id,
      );
      return;
    }
    const { actionId, action, audit } = signal;
    if (learnOnce(action, actionId) && audit) agent.auditOutbox.push(action);
  });

  setHandler(
    setRiskPolicyUpdate,
    (command) => {
      const { request, by } = agent.gate.accept<{ policy: PolicyOverride | null }>(command, 'setRiskPolicy');
      agent.riskPolicy = request.policy;
      agent.record(
        'RISK_POLICY_CHANGED',
        agent.state.status,
        actorOf(by),
        request.policy ? 'risk policy set for this agent' : 'risk policy reset to the defaults',
      );
      return agent.riskPolicy;
    },
    {
      validator: (command) => {
        const { request } = agent.authorized<{ policy: PolicyOverride | null }>('setRiskPolicy', command);
        const policy = request?.policy;
        if (policy === undefined || (policy !== null && (typeof policy !== 'object' || Array.isArray(policy))))
          refuse(ErrorCode.BAD_USER_INPUT, 'policy must be an object');
        if (JSON.stringify(policy ?? {}).length > 8192)
          refuse(ErrorCode.BAD_USER_INPUT, 'policy must be at most 8 KiB of JSON');
        const problem = policyOverrideProblem(policy);
        if (problem) refuse(ErrorCode.BAD_USER_INPUT, `Invalid risk policy: ${problem}.`);
      },
    },
  );
}
