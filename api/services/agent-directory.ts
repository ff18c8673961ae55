/**
 * Reading the agent directory: each agent is its lifecycle workflow (`agent:<id>`); its full state is a
 * Query, lists and filters are visibility queries on Warden's search attributes and memo. Knows nothing
 * of GraphQL; callers get domain objects or WardenErrors back.
 */
import { QueryNotRegisteredError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import {
  AGENT_STATUSES,
  agentWorkflowId,
  isAgentMemo,
  isValidAgentId,
  type AgentState,
  type AgentStatus,
} from '../../domain/agents.js';
import { badInput, notFound } from '../../domain/errors.js';
import { isValidEmail, normalizeEmail } from '../../domain/people.js';
import * as SA from '../../temporal/search-attributes.js';
import { isForeign } from '../../temporal/payload-origin.js';
import { deploymentClauses, visibilityString } from '../../temporal/visibility.js';
import {
  getAgentQuery,
  getDecisionContextQuery,
  getRiskProfileQuery,
  type DecisionContext,
} from '../../workflows/agent/messages.js';
import type { RiskProfile } from '../../risk/assess-action.js';
import type { agentLifecycleWorkflow } from '../../workflows/agent/workflow.js';
import { seesAllAgents, type HumanPrincipal } from '../auth/principal.js';
import type { AgentAccess } from './agent-access.js';
import { viaTemporal } from './temporal-errors.js';

/** An agent as the directory lists it (from visibility); the rest is present when the full state was read. */
export type AgentRecord = Pick<
  AgentState,
  'id' | 'name' | 'platform' | 'description' | 'status' | 'ownerEmail' | 'statusReason' | 'createdAt' | 'updatedAt'
> &
  Partial<AgentState>;

export interface AgentFilter {
  status?: AgentStatus | null;
  ownerEmail?: string | null;
  platform?: string | null;
}

/** Lists page by offset over visibility; deeper pages cost more, so depth is capped. */
export const MAX_LIST_OFFSET = 10_000;

export class AgentDirectory {
  constructor(
    private readonly client: Client,
    private readonly access: AgentAccess,
    private readonly taskQueue: string,
  ) {}

  /** Which agents a person sees: admins and the security team all, anyone else the agents they own. */
  visibleTo(viewer: HumanPrincipal, filter: AgentFilter = {}): AgentFilter {
    return seesAllAgents(viewer) ? filter : { ...filter, ownerEmail: viewer.email };
  }

  private handle(agentId: string) {
    if (!isValidAgentId(agentId)) throw notFound(`No agent with id "${agentId.slice(0, 64)}".`);
    return this.client.workflow.getHandle<typeof agentLifecycleWorkflow>(agentWorkflowId(agentId));
  }

  /** The agent's full state, or null when there is no such agent (or its workflow is not Warden's). */
  async find(agentId: string): Promise<AgentState | null> {
    if (!isValidAgentId(agentId)) return null;
    try {
      const state = await viaTemporal(() => this.handle(agentId).query(getAgentQuery), 'missing');
      return isForeign(state) || state?.id !== agentId ? null : state;
    } catch (err) {
      // A workflow that refused its start (not Warden's) never registered the query.
      if ((err as { code?: string }).code === 'NOT_FOUND' || err instanceof QueryNotRegisteredError) return null;
      throw err;
    }
  }

  async get(agentId: string): Promise<AgentState> {
    const agent = await this.find(agentId);
    if (!agent) throw notFound(`No agent with id "${agentId.slice(0, 64)}".`);
    return agent;
  }

  /** The agent as it is now and its baseline, in one query: what a sensitive decision is made on. */
  async decisionContext(agentId: string, idempotencyKey: string): Promise<DecisionContext> {
    const context: DecisionContext = await viaTemporal(
      () => this.handle(agentId).query(getDecisionContextQuery, idempotencyKey),
      `No agent with id "${agentId.slice(0, 64)}".`,
    );
    if (isForeign(context) || context?.agent?.id !== agentId)
      throw notFound(`No agent with id "${agentId.slice(0, 64)}".`);
    this.access.remember(agentId, context.agent);
    return context;
  }

  /** The agent's risk profile (baseline and policy override), as its workflow holds it now. */
  async riskProfile(agentId: string): Promise<RiskProfile> {
    const profile = await viaTemporal(
      () => this.handle(agentId).query(getRiskProfileQuery),
      `No agent with id "${agentId.slice(0, 64)}".`,
    );
    if (isForeign(profile) || !profile?.baseline) throw notFound(`No agent with id "${agentId.slice(0, 64)}".`);
    return profile;
  }

  /** The ids of the agents this person owns now (visibility: their workflows' AgentOwner), at most 10,000. */
  async idsOwnedBy(ownerEmail: string): Promise<string[]> {
    const email = normalizeEmail(ownerEmail);
    if (!isValidEmail(email)) return [];
    const ids: string[] = [];
    const query = [
      ...deploymentClauses('agentLifecycleWorkflow', this.taskQueue),
      `AgentOwner = ${visibilityString(email)}`,
    ].join(' AND ');
    for await (const info of this.client.workflow.list({ query, pageSize: 1000 })) {
      const id = info.typedSearchAttributes.get(SA.AgentId);
      if (id && info.workflowId === agentWorkflowId(id) && isValidAgentId(id)) ids.push(id);
      if (ids.length >= MAX_LIST_OFFSET) break;
    }
    return ids;
  }

  /** Agents matching the filter, from visibility (newest run first), `limit` from `offset`. */
  async list(filter: AgentFilter, limit: number, offset: number): Promise<AgentRecord[]> {
    if (offset > MAX_LIST_OFFSET)
      throw badInput(`Paging deeper than ${MAX_LIST_OFFSET} agents is not supported; narrow the filter instead.`);
    // This deployment's agents only (a namespace may hold several Warden deployments, one task queue each).
    const clauses = deploymentClauses('agentLifecycleWorkflow', this.taskQueue);
    if (filter.status) {
      if (!(AGENT_STATUSES as readonly string[]).includes(filter.status))
        throw badInput(`unknown status ${filter.status}`);
      clauses.push(`AgentStatus = ${visibilityString(filter.status)}`);
    }
    if (filter.ownerEmail) {
      const email = normalizeEmail(filter.ownerEmail);
      if (!isValidEmail(email)) throw badInput(`"${filter.ownerEmail.slice(0, 80)}" is not a valid email address`);
      clauses.push(`AgentOwner = ${visibilityString(email)}`);
    }
    if (filter.platform) {
      if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(filter.platform))
        throw badInput('platform must be lowercase letters, digits, ".", "_" or "-"');
      clauses.push(`AgentPlatform = ${visibilityString(filter.platform)}`);
    }
    const agents: AgentRecord[] = [];
    const seen = new Set<string>();
    let index = 0;
    for await (const info of this.client.workflow.list({
      query: clauses.join(' AND '),
      pageSize: Math.min(offset + limit, 1000),
    })) {
      const record = recordFromVisibility(info);
      if (!record || seen.has(record.id)) continue;
      seen.add(record.id);
      if (index++ < offset) continue;
      agents.push(record);
      if (agents.length >= limit) break;
    }
    return agents;
  }
}

function recordFromVisibility(info: WorkflowExecutionInfo): AgentRecord | null {
  const id = info.typedSearchAttributes.get(SA.AgentId);
  // Only an agent whose workflow Warden started, under its own id, with the memo Warden wrote.
  if (!id || info.workflowId !== agentWorkflowId(id) || !isAgentMemo(info.memo)) return null;
  const { name, platform, description, status, ownerEmail, statusReason, createdAt, updatedAt } = info.memo;
  return { id, name, platform, description, status, ownerEmail, statusReason, createdAt, updatedAt };
}
