/**
 * An agent's life, as one entity workflow per agent (`agent:<id>`):
 *
 *   DISCOVERED (shadow, no owner) → ACTIVE (owned by a known person) ⇄ SUSPENDED → DECOMMISSIONED (final)
 *
 * Every change is an Update whose validator refuses impossible transitions before anything is written;
 * each accepted change records who, when and why. The directory is this workflow's search attributes and
 * memo; its full state is the `getAgent` Query. History rolls over with continue-as-new, keeping state.
 */
import {
  ApplicationFailure,
  continueAsNew,
  defineQuery,
  defineUpdate,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { WardenActivities } from '../activities/index.js';
import {
  applyEvent,
  canTransition,
  describeActor,
  transitionRefusal,
  validateReason,
  type Actor,
  type AgentEventKind,
  type AgentState,
  type AgentStatus as Status,
} from '../domain/agents.js';
import { ErrorCode } from '../domain/errors.js';
import { isValidEmail, normalizeEmail } from '../domain/people.js';
import { AgentId, AgentName, AgentOwner, AgentPlatform, AgentStatus } from '../temporal/search-attributes.js';
import { untilContinueAsNew } from './continue-as-new.js';

export interface AgentLifecycleArgs {
  state: AgentState;
  continueAsNewAfterEvents?: number;
}

export interface StatusChangeRequest {
  actor: Actor;
  reason: string;
}

export interface OwnershipTransferRequest {
  actor: Actor;
  ownerEmail: string;
  reason?: string;
}

export const suspendAgentUpdate = defineUpdate<AgentState, [StatusChangeRequest]>('suspendAgent');
export const resumeAgentUpdate = defineUpdate<AgentState, [StatusChangeRequest]>('resumeAgent');
export const decommissionAgentUpdate = defineUpdate<AgentState, [StatusChangeRequest]>('decommissionAgent');
export const transferAgentOwnershipUpdate = defineUpdate<AgentState, [OwnershipTransferRequest]>('transferAgentOwnership');
export const getAgentQuery = defineQuery<AgentState>('getAgent');

const { findPerson } = proxyLocalActivities<WardenActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5 },
});

function refuse(type: ErrorCode, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

export async function agentLifecycleWorkflow(args: AgentLifecycleArgs): Promise<void> {
  let state = args.state;

  const publish = () => {
    upsertSearchAttributes([
      { key: AgentId, value: state.id },
      { key: AgentName, value: state.name },
      { key: AgentStatus, value: state.status },
      { key: AgentOwner, value: state.ownerEmail ?? null },
      { key: AgentPlatform, value: state.platform },
    ]);
    upsertMemo({
      name: state.name,
      platform: state.platform,
      description: state.description,
      status: state.status,
      ownerEmail: state.ownerEmail,
      statusReason: state.statusReason,
      createdAt: state.createdAt,
      updatedAt: state.updatedAt,
    });
    const last = state.events.at(-1);
    setCurrentDetails(
      [
        `**${state.status}** · owner: ${state.ownerEmail ?? '_none (shadow agent)_'} · platform: ${state.platform}`,
        last ? `Last change: ${last.kind} by ${describeActor(last.actor)} at ${last.at} — ${last.reason}` : '',
      ].join('\n\n'),
    );
  };

  const change = (kind: AgentEventKind, to: Status, request: StatusChangeRequest, patch: Partial<AgentState> = {}, details?: Record<string, string>) => {
    state = applyEvent(
      state,
      { kind, at: new Date().toISOString(), actor: request.actor, reason: request.reason.trim(), fromStatus: state.status, toStatus: to, ...(details ? { details } : {}) },
      patch,
    );
    publish();
    return state;
  };

  /** Validators run before anything is written to history: a refused change leaves no trace but the error. */
  const transitionValidator = (to: Status) => (request: StatusChangeRequest) => {
    const problems = validateReason(request.reason);
    if (problems.length) refuse(ErrorCode.BAD_USER_INPUT, problems.join('; '));
    if (!canTransition(state.status, to)) refuse(ErrorCode.CONFLICT, transitionRefusal(state.id, state.status, to));
  };

  publish();
  setHandler(getAgentQuery, () => state);

  setHandler(suspendAgentUpdate, (r) => change('SUSPENDED', 'SUSPENDED', r), { validator: transitionValidator('SUSPENDED') });
  setHandler(resumeAgentUpdate, (r) => change('RESUMED', 'ACTIVE', r), {
    validator: (r) => {
      transitionValidator('ACTIVE')(r);
      if (state.status !== 'SUSPENDED') refuse(ErrorCode.CONFLICT, `Agent ${state.id} is ${state.status}, not SUSPENDED: only a suspended agent can be resumed.`);
    },
  });
  setHandler(decommissionAgentUpdate, (r) => change('DECOMMISSIONED', 'DECOMMISSIONED', r), {
    validator: transitionValidator('DECOMMISSIONED'),
  });

  setHandler(
    transferAgentOwnershipUpdate,
    async (request) => {
      const ownerEmail = normalizeEmail(request.ownerEmail);
      // The owner must be a person in the directory; checked here (an activity) because validators cannot do I/O.
      const person = await findPerson(ownerEmail);
      if (!person) refuse(ErrorCode.BAD_USER_INPUT, `${ownerEmail} is not a known person: add them with upsertPerson first.`);
      // The state may have moved while we looked the person up.
      if (state.status !== 'ACTIVE' && state.status !== 'SUSPENDED') {
        refuse(ErrorCode.CONFLICT, `Agent ${state.id} is ${state.status}: ownership can only be transferred while it is ACTIVE or SUSPENDED.`);
      }
      const previous = state.ownerEmail ?? '';
      return change(
        'OWNER_TRANSFERRED',
        state.status,
        { actor: request.actor, reason: request.reason?.trim() || `ownership transferred from ${previous} to ${ownerEmail}` },
        { ownerEmail },
        { previousOwner: previous, newOwner: ownerEmail },
      );
    },
    {
      validator: (request) => {
        const email = normalizeEmail(request.ownerEmail);
        if (!isValidEmail(email)) refuse(ErrorCode.BAD_USER_INPUT, `"${request.ownerEmail.slice(0, 80)}" is not a valid email address.`);
        if (request.reason !== undefined && request.reason.trim().length > 500) refuse(ErrorCode.BAD_USER_INPUT, 'reason must be at most 500 characters');
        if (state.status !== 'ACTIVE' && state.status !== 'SUSPENDED') {
          refuse(ErrorCode.CONFLICT, `Agent ${state.id} is ${state.status}: ownership can only be transferred while it is ACTIVE or SUSPENDED.`);
        }
        if (state.ownerEmail === email) refuse(ErrorCode.CONFLICT, `Agent ${state.id} is already owned by ${email}.`);
      },
    },
  );

  // A decommissioned agent keeps its workflow open: it stays listable, queryable and answers late
  // requests with a clear CONFLICT rather than "workflow not found".
  await untilContinueAsNew(args.continueAsNewAfterEvents);
  await continueAsNew<typeof agentLifecycleWorkflow>({ ...args, state });
}
