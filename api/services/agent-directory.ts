/**
 * The agent directory over Temporal: each agent is its lifecycle workflow (`agent:<id>`); listing and
 * filtering are visibility queries on Warden's search attributes. Knows nothing of GraphQL: callers pass
 * an already-authorized actor, and get domain objects or WardenErrors back.
 */
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  agentWorkflowId,
  AGENT_STATUSES,
  isValidAgentId,
  validateAgentRegistration,
  validateReason,
  type Actor,
  type AgentEvent,
  type AgentRegistration,
  type AgentState,
  type AgentStatus,
} from '../../domain/agents.js';
import { badInput, notFound } from '../../domain/errors.js';
import { isValidEmail, normalizeEmail } from '../../domain/people.js';
import * as SA from '../../temporal/search-attributes.js';
import {
  agentLifecycleWorkflow,
  decommissionAgentUpdate,
  getAgentQuery,
  resumeAgentUpdate,
  suspendAgentUpdate,
  transferAgentOwnershipUpdate,
} from '../../workflows/agent-lifecycle.js';
import type { PeopleDirectory } from './people-directory.js';
import { viaTemporal } from './temporal-errors.js';

/** An agent as the directory lists it; `events` is present when the full state was read. */
export type AgentRecord = Omit<AgentState, 'events'> & { events?: AgentEvent[] };

export interface AgentFilter {
  status?: AgentStatus | null;
  ownerEmail?: string | null;
  platform?: string | null;
}

export interface AgentDirectoryOptions {
  taskQueue: string;
  continueAsNewAfterEvents?: number;
}

/** Lists page by offset over visibility; deeper pages cost more, so depth is capped. */
export const MAX_LIST_OFFSET = 10_000;

/** Visibility query values are quoted; inputs are validated first, and quotes are escaped besides. */
function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export class AgentDirectory {
  constructor(
    private readonly client: Client,
    private readonly people: PeopleDirectory,
    private readonly options: AgentDirectoryOptions,
  ) {}

  private handle(agentId: string) {
    if (!isValidAgentId(agentId)) throw notFound(`No agent with id "${agentId.slice(0, 64)}".`);
    return this.client.workflow.getHandle<typeof agentLifecycleWorkflow>(agentWorkflowId(agentId));
  }

  async register(actor: Actor, input: AgentRegistration): Promise<AgentState> {
    const registration = { ...input, name: input.name.trim(), ownerEmail: normalizeEmail(input.ownerEmail), description: input.description.trim() };
    const problems = validateAgentRegistration(registration);
    if (!isValidEmail(registration.ownerEmail)) problems.push(`"${input.ownerEmail.slice(0, 80)}" is not a valid email address`);
    if (problems.length) throw badInput(problems.join('; '));
    if (!(await this.people.find(registration.ownerEmail))) {
      throw badInput(`${registration.ownerEmail} is not a known person: add them with upsertPerson first.`);
    }

    const id = randomUUID();
    const now = new Date().toISOString();
    const state: AgentState = {
      id,
      name: registration.name,
      platform: registration.platform,
      description: registration.description,
      status: 'ACTIVE',
      ownerEmail: registration.ownerEmail,
      statusReason: 'registered',
      createdAt: now,
      updatedAt: now,
      events: [{ kind: 'REGISTERED', at: now, actor, reason: 'registered', fromStatus: null, toStatus: 'ACTIVE' }],
    };
    await viaTemporal(
      () =>
        this.client.workflow.start(agentLifecycleWorkflow, {
          workflowId: agentWorkflowId(id),
          taskQueue: this.options.taskQueue,
          args: [{ state, ...(this.options.continueAsNewAfterEvents ? { continueAsNewAfterEvents: this.options.continueAsNewAfterEvents } : {}) }],
          workflowIdConflictPolicy: 'FAIL',
          typedSearchAttributes: new TypedSearchAttributes([
            { key: SA.AgentId, value: id },
            { key: SA.AgentName, value: state.name },
            { key: SA.AgentStatus, value: state.status },
            { key: SA.AgentOwner, value: registration.ownerEmail },
            { key: SA.AgentPlatform, value: state.platform },
          ]),
          staticSummary: `Agent «${state.name}» (${state.platform})`,
          staticDetails: `Lifecycle of agent ${id}. Registered by ${actor.id} at ${now}.`,
        }),
      `No agent ${id}.`,
    );
    return state;
  }

  /** The agent's full state, or null when there is no such agent. */
  async find(agentId: string): Promise<AgentState | null> {
    if (!isValidAgentId(agentId)) return null;
    try {
      return await viaTemporal(() => this.handle(agentId).query(getAgentQuery), 'missing');
    } catch (err) {
      if ((err as { code?: string }).code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  async get(agentId: string): Promise<AgentState> {
    const agent = await this.find(agentId);
    if (!agent) throw notFound(`No agent with id "${agentId.slice(0, 64)}".`);
    return agent;
  }

  async ownerOf(agentId: string): Promise<string | null> {
    return (await this.find(agentId))?.ownerEmail ?? null;
  }

  /** Agents matching the filter, from visibility (newest run first), `limit` from `offset`. */
  async list(filter: AgentFilter, limit: number, offset: number): Promise<AgentRecord[]> {
    if (offset > MAX_LIST_OFFSET) throw badInput(`Paging deeper than ${MAX_LIST_OFFSET} agents is not supported; narrow the filter instead.`);
    const clauses = [`WorkflowType = 'agentLifecycleWorkflow'`, `ExecutionStatus != 'ContinuedAsNew'`];
    if (filter.status) {
      if (!(AGENT_STATUSES as readonly string[]).includes(filter.status)) throw badInput(`unknown status ${filter.status}`);
      clauses.push(`AgentStatus = ${quote(filter.status)}`);
    }
    if (filter.ownerEmail) {
      const email = normalizeEmail(filter.ownerEmail);
      if (!isValidEmail(email)) throw badInput(`"${filter.ownerEmail.slice(0, 80)}" is not a valid email address`);
      clauses.push(`AgentOwner = ${quote(email)}`);
    }
    if (filter.platform) {
      if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(filter.platform)) throw badInput('platform must be lowercase letters, digits, ".", "_" or "-"');
      clauses.push(`AgentPlatform = ${quote(filter.platform)}`);
    }
    const agents: AgentRecord[] = [];
    const seen = new Set<string>();
    let index = 0;
    for await (const info of this.client.workflow.list({ query: clauses.join(' AND '), pageSize: Math.min(offset + limit, 1000) })) {
      const record = recordFromVisibility(info);
      if (!record || seen.has(record.id)) continue;
      seen.add(record.id);
      if (index++ < offset) continue;
      agents.push(record);
      if (agents.length >= limit) break;
    }
    return agents;
  }

  async suspend(actor: Actor, agentId: string, reason: string): Promise<AgentState> {
    return this.statusChange(agentId, () => this.handle(agentId).executeUpdate(suspendAgentUpdate, { args: [{ actor, reason }] }), reason);
  }

  async resume(actor: Actor, agentId: string, reason: string): Promise<AgentState> {
    return this.statusChange(agentId, () => this.handle(agentId).executeUpdate(resumeAgentUpdate, { args: [{ actor, reason }] }), reason);
  }

  async decommission(actor: Actor, agentId: string, reason: string): Promise<AgentState> {
    return this.statusChange(agentId, () => this.handle(agentId).executeUpdate(decommissionAgentUpdate, { args: [{ actor, reason }] }), reason);
  }

  async transferOwnership(actor: Actor, agentId: string, ownerEmail: string, reason?: string): Promise<AgentState> {
    const email = normalizeEmail(ownerEmail);
    if (!isValidEmail(email)) throw badInput(`"${ownerEmail.slice(0, 80)}" is not a valid email address`);
    return viaTemporal(
      () => this.handle(agentId).executeUpdate(transferAgentOwnershipUpdate, { args: [{ actor, ownerEmail: email, ...(reason ? { reason } : {}) }] }),
      `No agent with id "${agentId}".`,
    );
  }

  private async statusChange(agentId: string, call: () => Promise<AgentState>, reason: string): Promise<AgentState> {
    const problems = validateReason(reason);
    if (problems.length) throw badInput(problems.join('; '));
    return viaTemporal(call, `No agent with id "${agentId.slice(0, 64)}".`);
  }
}

function recordFromVisibility(info: WorkflowExecutionInfo): AgentRecord | null {
  const id = info.typedSearchAttributes.get(SA.AgentId);
  const memo = (info.memo ?? {}) as Partial<AgentState>;
  if (!id || !memo.name) return null;
  return {
    id,
    name: memo.name,
    platform: memo.platform ?? info.typedSearchAttributes.get(SA.AgentPlatform) ?? '',
    description: memo.description ?? '',
    status: (info.typedSearchAttributes.get(SA.AgentStatus) as AgentStatus | undefined) ?? memo.status ?? 'ACTIVE',
    ownerEmail: info.typedSearchAttributes.get(SA.AgentOwner) ?? null,
    statusReason: memo.statusReason ?? '',
    createdAt: memo.createdAt ?? info.startTime.toISOString(),
    updatedAt: memo.updatedAt ?? info.startTime.toISOString(),
  };
}
