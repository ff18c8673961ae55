/**
 * Reading sensitive actions: each is its own `action:<id>` workflow (routine ones live in their agent's
 * workflow); lists are visibility queries on Warden's search attributes and memo. Who may see and who may
 * decide which actions is said here, once, and subscriptions poll from here.
 */
import { QueryNotRegisteredError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import {
  actionWorkflowId,
  ACTION_STATUSES,
  FINAL_STATUSES,
  mcpCallKey,
  type ActionGrant,
  type ActionRecord,
  type ActionStatus,
  type McpCallBinding,
} from '../../domain/actions.js';
import { badInput, notFound } from '../../domain/errors.js';
import { isForeign } from '../../temporal/payload-origin.js';
import * as SA from '../../temporal/search-attributes.js';
import { agentWorkflowId } from '../../domain/agents.js';
import { getRoutineActionQuery, listRoutineActionsQuery } from '../../workflows/agent/messages.js';
import { getActionQuery } from '../../workflows/action/messages.js';
import type { AgentDirectory } from './agent-directory.js';
import { viaTemporal } from './temporal-errors.js';
import { seesAllAgents, type HumanPrincipal, type Principal } from '../auth/principal.js';
import { whileAuthorized, type Watcher } from './subscriptions.js';
import type { ViewerStanding } from './approval-standing.js';
import { deploymentClauses, visibilityString } from '../../temporal/visibility.js';

/** An action as lists show it (from visibility); the full record comes from the workflow. */
export type ActionSummary = Pick<
  ActionRecord,
  | 'id'
  | 'agentId'
  | 'agentName'
  | 'tool'
  | 'operation'
  | 'sensitivity'
  | 'volume'
  | 'amount'
  | 'status'
  | 'decision'
  | 'requestedAt'
  | 'decidedAt'
  | 'ownerEmail'
  | 'approval'
  | 'contained'
  | 'resourceId'
> &
  Partial<DecidedAction>;

/** An action as the API answers the agent that asked: with its grant signed, when it has one. */
export type DecidedAction = ActionRecord & { grant: ActionGrant | null };

export interface ActionFilter {
  agentId?: string | null;
  status?: ActionStatus | null;
  /** Restricts to actions of agents this person owns. */
  ownerEmail?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const POLL_MS = 500;
/** Held actions are read in pages of this many for one approver's list, and at most MAX_HELD_SCANNED of them. */
const HELD_PAGE = 500;
const MAX_HELD_SCANNED = 10_000;

export class ActionDirectory {
  constructor(
    private readonly client: Client,
    private readonly agents: AgentDirectory,
    private readonly taskQueue: string,
  ) {}

  /** Which actions a caller sees: an agent its own, admins and the security team all, a person their agents'. */
  visibleTo(viewer: Principal, filter: Pick<ActionFilter, 'agentId' | 'status'> = {}): ActionFilter {
    if (viewer.kind === 'agent') return { ...filter, agentId: viewer.agentId, ownerEmail: null };
    return { ...filter, ownerEmail: seesAllAgents(viewer) ? null : viewer.email };
  }

  /**
   * The held actions a person may vote on now, newest first: held actions from visibility, a page at a time
   * until the page asked for is full (at most MAX_HELD_SCANNED), each checked against its approval route and
   * votes as the person stands now — their roles, the agents they own, the approvals delegated to them.
   */
  async heldFor(viewer: ViewerStanding, limit: number, offset: number): Promise<ActionSummary[]> {
    const mine: ActionSummary[] = [];
    for (let scanned = 0; mine.length < offset + limit && scanned < MAX_HELD_SCANNED; scanned += HELD_PAGE) {
      const page = await this.list({ status: 'PENDING_APPROVAL' }, HELD_PAGE, scanned);
      const waits = await Promise.all(page.map((a) => viewer.waitsFor(a)));
      mine.push(...page.filter((_a, i) => waits[i]));
      if (page.length < HELD_PAGE) break;
    }
    return mine.slice(offset, offset + limit);
  }

  /** An action by id, as `viewer` looks for it: an agent's routine actions are found in its own workflow. */
  getAs(viewer: Principal, actionId: string): Promise<ActionRecord> {
    return this.get(actionId, viewer.kind === 'agent' ? viewer.agentId : undefined);
  }

  /**
   * The action now, then again whenever its status or its approval changes (a vote, an escalation: who may
   * decide it changes with them), until it is final.
   */
  watchDecision(watcher: Watcher, actionId: string): AsyncGenerator<ActionRecord> {
    let last = '';
    return whileAuthorized(watcher, POLL_MS, async (viewer) => {
      const action = await this.getAs(viewer, actionId);
      const now = `${action.status} ${action.approval?.level ?? 0} ${action.approval?.votes.length ?? 0}`;
      const changed = now !== last;
      last = now;
      return { emit: changed ? [action] : [], done: FINAL_STATUSES.includes(action.status) };
    });
  }

  /** Each action that starts waiting for a decision the watcher may make (as the directory says at each poll). */
  watchApprovals(
    watcher: Watcher & { principal: HumanPrincipal },
    standing: (viewer: HumanPrincipal) => ViewerStanding,
  ): AsyncGenerator<ActionSummary> {
    let seen: Set<string> | null = null;
    return whileAuthorized(watcher, POLL_MS * 2, async (viewer) => {
      if (viewer.kind !== 'human') return { emit: [], done: true };
      // Escalations and votes change who an action waits for: one that reaches this person later is fresh then.
      const pending = await this.heldFor(standing(viewer), 100, 0);
      const fresh = seen ? pending.filter((a) => !seen!.has(a.id)) : [];
      seen = new Set([...(seen ?? []), ...pending.map((a) => a.id)]);
      return { emit: fresh };
    });
  }

  /**
   * An action by id: its own workflow, or — for routine actions, which have none — the agent's workflow
   * when the caller knows the agent (the agent itself, or a list that already named it).
   */
  async find(actionId: string, agentId?: string): Promise<ActionRecord | null> {
    if (!UUID.test(actionId)) return null;
    // Only what Warden's own workflows answer: a workflow someone else started refused its input and
    // registered no query.
    const ours = (a: ActionRecord | null) => (isForeign(a) || (a && a.id !== actionId) ? null : a);
    try {
      return ours(
        await viaTemporal(
          () => this.client.workflow.getHandle(actionWorkflowId(actionId)).query(getActionQuery),
          'missing',
        ),
      );
    } catch (err) {
      if ((err as { code?: string }).code !== 'NOT_FOUND' && !(err instanceof QueryNotRegisteredError)) throw err;
    }
    if (!agentId || !UUID.test(agentId)) return null;
    try {
      return ours(
        await viaTemporal(
          () => this.client.workflow.getHandle(agentWorkflowId(agentId)).query(getRoutineActionQuery, actionId),
          'missing',
        ),
      );
    } catch (err) {
      if ((err as { code?: string }).code === 'NOT_FOUND' || err instanceof QueryNotRegisteredError) return null;
      throw err;
    }
  }

  /** The open action of an MCP call (held, or allowed and not yet forwarded), if there is one. */
  async openCall(agentId: string, tool: string, call: McpCallBinding): Promise<ActionRecord | null> {
    const query = [
      ...deploymentClauses('sensitiveActionWorkflow', this.taskQueue),
      `AgentId = ${visibilityString(agentId)}`,
      `McpCall = ${visibilityString(mcpCallKey(tool, call))}`,
    ].join(' AND ');
    for await (const info of this.client.workflow.list({ query, pageSize: 5 })) {
      const action = await this.find(info.workflowId.slice('action:'.length), agentId);
      if (
        action &&
        (action.status === 'PENDING_APPROVAL' || action.status === 'ALLOWED' || action.status === 'APPROVED')
      )
        return action;
    }
    return null;
  }

  async get(actionId: string, agentId?: string): Promise<ActionRecord> {
    const action = await this.find(actionId, agentId);
    if (!action) throw notFound(`No action with id "${actionId.slice(0, 64)}".`);
    return action;
  }

  async list(filter: ActionFilter, limit: number, offset: number): Promise<ActionSummary[]> {
    if (offset > 10_000)
      throw badInput('Paging deeper than 10000 actions is not supported; narrow the filter instead.');
    // This deployment's actions only (a namespace may hold several Warden deployments, one task queue each).
    const clauses = deploymentClauses('sensitiveActionWorkflow', this.taskQueue, true);
    if (filter.agentId) {
      if (!UUID.test(filter.agentId)) throw badInput('agentId must be an agent id (a UUID)');
      clauses.push(`AgentId = ${visibilityString(filter.agentId)}`);
    }
    if (filter.status) {
      if (!(ACTION_STATUSES as readonly string[]).includes(filter.status))
        throw badInput(`unknown status ${filter.status}`);
      clauses.push(`ActionStatus = ${visibilityString(filter.status)}`);
    }
    // An owner's actions are those of the agents they own now: an action's own AgentOwner is who owned
    // its agent when it was asked for, and ownership moves.
    let owned: string[] | null = null;
    if (filter.ownerEmail) {
      owned = (await this.agents.idsOwnedBy(filter.ownerEmail)).filter(
        (id) => !filter.agentId || id === filter.agentId,
      );
      if (owned.length === 0) return [];
    }
    const want = offset + limit;
    const queries = owned
      ? chunks(owned, OWNED_PER_QUERY).map((ids) => [
          ...clauses,
          `AgentId IN (${ids.map(visibilityString).join(', ')})`,
        ])
      : [clauses];
    const all: ActionSummary[] = [];
    for (const query of queries) {
      let taken = 0;
      for await (const info of this.client.workflow.list({
        query: query.join(' AND '),
        pageSize: Math.min(want, 1000),
      })) {
        const summary = summaryOf(info);
        if (summary) all.push(summary);
        if (++taken >= want) break;
      }
    }
    // One agent's list also holds its recent routine actions (decided in its own workflow).
    if (filter.agentId && (!filter.status || filter.status === 'ALLOWED')) {
      try {
        const routine = await this.client.workflow
          .getHandle(agentWorkflowId(filter.agentId))
          .query(listRoutineActionsQuery);
        if (!isForeign(routine)) all.push(...routine);
      } catch {
        /* no such agent: nothing routine to add */
      }
    }
    // Newest first across the queries (visibility lists each one newest first).
    if (queries.length > 1 || filter.agentId) all.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
    return all.slice(offset, offset + limit);
  }
}

/** Agent ids per visibility query: an owner's agents are asked for in groups this size. */
const OWNED_PER_QUERY = 200;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** An action as its workflow's search attributes and memo show it (read from the server alone, no worker). */
export function summaryOf(
  info: Pick<WorkflowExecutionInfo, 'workflowId' | 'memo' | 'typedSearchAttributes' | 'startTime'>,
): ActionSummary | null {
  const memo = (info.memo ?? {}) as Record<string, unknown>;
  if (!info.workflowId.startsWith('action:') || typeof memo.tool !== 'string') return null;
  return {
    id: info.workflowId.slice('action:'.length),
    agentId: info.typedSearchAttributes.get(SA.AgentId) ?? '',
    agentName: String(memo.agentName ?? ''),
    ownerEmail: info.typedSearchAttributes.get(SA.AgentOwner) ?? null,
    tool: memo.tool,
    operation: String(memo.operation),
    sensitivity: memo.sensitivity as ActionRecord['sensitivity'],
    volume: Number(memo.volume ?? 0),
    amount: Number(memo.amount ?? 0),
    status:
      (info.typedSearchAttributes.get(SA.ActionStatus) as ActionStatus | undefined) ?? (memo.status as ActionStatus),
    decision: (memo.decision as ActionRecord['decision']) ?? null,
    requestedAt: String(memo.requestedAt ?? info.startTime.toISOString()),
    decidedAt: (memo.decidedAt as string | null) ?? null,
    approval: (memo.approval as ActionRecord['approval']) ?? null,
    contained: memo.contained === true,
    resourceId: (memo.resourceId as string | null) ?? null,
  };
}
