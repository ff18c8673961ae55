/**
 * The agent's life: DISCOVERED (shadow, no owner) → ACTIVE (owned by a known person) ⇄ SUSPENDED →
 * DECOMMISSIONED (final). Every change is an Update whose validator refuses an impossible transition, or a
 * person without the authority for it, before anything is written; each accepted change records who, when
 * and why.
 */
import { proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { WardenActivities } from '../../activities/index.js';
import type { AllowedTool } from '../../domain/agents.js';
import { ErrorCode } from '../../domain/errors.js';
import { isValidEmail, normalizeEmail } from '../../domain/people.js';
import { refuse } from '../refuse.js';
import { actorOf, type AgentEntity } from './entity.js';
import {
  decommissionAgentUpdate,
  getAgentQuery,
  resumeAgentUpdate,
  setAllowedToolsUpdate,
  suspendAgentUpdate,
  transferAgentOwnershipUpdate,
  type OwnershipTransferRequest,
  type SetAllowedToolsRequest,
  type StatusChangeRequest,
  type SuspendRequest,
} from './messages.js';

const { findPerson } = proxyLocalActivities<WardenActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5 },
});

export function handleLifecycle(agent: AgentEntity): void {
  setHandler(getAgentQuery, () => agent.state);

  setHandler(
    suspendAgentUpdate,
    (command) => {
      const { request, by } = agent.gate.accept<SuspendRequest>(command, 'suspendAgent');
      if (request.revokeTokens === false) return agent.record('SUSPENDED', 'SUSPENDED', actorOf(by), request.reason);
      return agent.logOut('SUSPENDED', actorOf(by), request.reason);
    },
    {
      validator: (command) => {
        const { request } = agent.authorized<SuspendRequest>('suspendAgent', command);
        agent.checkTransition('SUSPENDED', request);
        if (request.revokeTokens !== undefined && typeof request.revokeTokens !== 'boolean')
          refuse(ErrorCode.BAD_USER_INPUT, 'revokeTokens must be true or false');
      },
    },
  );

  setHandler(
    resumeAgentUpdate,
    (command) => {
      const { request, by } = agent.gate.accept<StatusChangeRequest>(command, 'resumeAgent');
      return agent.record('RESUMED', 'ACTIVE', actorOf(by), request.reason);
    },
    {
      validator: (command) => {
        const { request } = agent.authorized<StatusChangeRequest>('resumeAgent', command);
        agent.checkTransition('ACTIVE', request);
        const { id, status } = agent.state;
        if (status !== 'SUSPENDED')
          refuse(ErrorCode.CONFLICT, `Agent ${id} is ${status}, not SUSPENDED: only a suspended agent can be resumed.`);
      },
    },
  );

  setHandler(
    decommissionAgentUpdate,
    (command) => {
      const { request, by } = agent.gate.accept<StatusChangeRequest>(command, 'decommissionAgent');
      return agent.record('DECOMMISSIONED', 'DECOMMISSIONED', actorOf(by), request.reason, { successor: null });
    },
    {
      validator: (command) =>
        agent.checkTransition(
          'DECOMMISSIONED',
          agent.authorized<StatusChangeRequest>('decommissionAgent', command).request,
        ),
    },
  );

  const transferable = () => {
    const { id, status } = agent.state;
    if (status !== 'ACTIVE' && status !== 'SUSPENDED')
      refuse(
        ErrorCode.CONFLICT,
        `Agent ${id} is ${status}: ownership can only be transferred while it is ACTIVE or SUSPENDED.`,
      );
  };
  setHandler(
    transferAgentOwnershipUpdate,
    async (command) => {
      const { request, by } = agent.gate.accept<OwnershipTransferRequest>(command, 'transferAgentOwnership');
      const ownerEmail = normalizeEmail(request.ownerEmail);
      // The owner must be a person in the directory; checked here (an activity) because validators cannot do I/O.
      const person = await findPerson(ownerEmail);
      if (!person)
        refuse(ErrorCode.BAD_USER_INPUT, `${ownerEmail} is not a known person: add them with upsertPerson first.`);
      // The state may have moved while we looked the person up.
      transferable();
      const previous = agent.state.ownerEmail ?? '';
      return agent.record(
        'OWNER_TRANSFERRED',
        agent.state.status,
        actorOf(by),
        request.reason?.trim() || `ownership transferred from ${previous} to ${ownerEmail}`,
        { ownerEmail },
        { previousOwner: previous, newOwner: ownerEmail },
      );
    },
    {
      validator: (command) => {
        const { request } = agent.authorized<OwnershipTransferRequest>('transferAgentOwnership', command);
        const email = typeof request?.ownerEmail === 'string' ? normalizeEmail(request.ownerEmail) : '';
        if (!isValidEmail(email))
          refuse(
            ErrorCode.BAD_USER_INPUT,
            `"${String(request?.ownerEmail).slice(0, 80)}" is not a valid email address.`,
          );
        if (request.reason !== undefined && (typeof request.reason !== 'string' || request.reason.trim().length > 500))
          refuse(ErrorCode.BAD_USER_INPUT, 'reason must be at most 500 characters');
        transferable();
        if (agent.state.ownerEmail === email)
          refuse(ErrorCode.CONFLICT, `Agent ${agent.state.id} is already owned by ${email}.`);
      },
    },
  );

  setHandler(
    setAllowedToolsUpdate,
    (command) => {
      const { request, by } = agent.gate.accept<SetAllowedToolsRequest>(command, 'setAllowedTools');
      const tools = request.tools
        .map((t: AllowedTool) => ({ tool: t.tool, operations: [...new Set(t.operations)].sort() }))
        .sort((a, b) => a.tool.localeCompare(b.tool));
      return agent.record(
        'ALLOWED_TOOLS_CHANGED',
        agent.state.status,
        actorOf(by),
        `allowed tools: ${tools.map((t) => `${t.tool}(${t.operations.join(',')})`).join(' ') || 'none'}`,
        { allowedTools: tools },
      );
    },
    {
      validator: (command) => {
        const { request } = agent.authorized<SetAllowedToolsRequest>('setAllowedTools', command);
        if (agent.state.status === 'DECOMMISSIONED')
          refuse(ErrorCode.CONFLICT, `Agent ${agent.state.id} is DECOMMISSIONED.`);
        const wellFormed = (t: AllowedTool) =>
          typeof t?.tool === 'string' &&
          Array.isArray(t.operations) &&
          t.operations.every((o) => typeof o === 'string');
        if (!Array.isArray(request?.tools) || !request.tools.every(wellFormed))
          refuse(ErrorCode.BAD_USER_INPUT, 'tools must be a list of {tool, operations}');
        const names = request.tools.map((t: AllowedTool) => t.tool);
        if (new Set(names).size !== names.length) refuse(ErrorCode.BAD_USER_INPUT, 'each tool may appear once');
      },
    },
  );
}
