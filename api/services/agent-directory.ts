/**
 * The agent directory over Temporal: each agent is its lifecycle workflow (`agent:<id>`); listing and
 * filtering are visibility queries on Warden's search attributes. Knows nothing of GraphQL: callers pass
 * an already-authorized actor, and get domain objects or WardenErrors back.
 */
import { randomUUID } from 'node:crypto';
import {
  QueryNotRegisteredError,
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import { isForeign } from '../../temporal/payload-origin.js';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  accessOf,
  agentMemo,
  isAgentMemo,
  agentWorkflowId,
  AGENT_STATUSES,
  isValidAgentId,
  validateAgentRegistration,
  validateReason,
  type AgentAccess,
  type AgentRegistration,
  type AgentState,
  type AgentStatus,
  type AllowedTool,
} from '../../domain/agents.js';
import { badInput, conflict, notFound } from '../../domain/errors.js';
import { isValidEmail, normalizeEmail } from '../../domain/people.js';
import * as SA from '../../temporal/search-attributes.js';
import {
  agentKeyAad,
  newCredential,
  publicOnly,
  validatePublicJwk,
  type CredentialPolicy,
  type Jwk,
} from '../../domain/credentials.js';
import { generateAgentKey, thumbprintOf } from '../../tokens/agent-keys.js';
import { openSecret, type KeyRing, type SealedSecret } from '../../vault/envelope.js';
import { agentLifecycleWorkflow } from '../../workflows/agent/workflow.js';
import {
  authenticateAgentUpdate,
  claimAgentUpdate,
  collectSuccessorUpdate,
  revokeTokenUpdate,
  setRiskPolicyUpdate,
  rotateCredentialUpdate,
  setAllowedToolsUpdate,
  universalLogoutUpdate,
  type AuthenticateRequest,
  type AuthenticateResult,
  type DecisionContext,
  decommissionAgentUpdate,
  getAgentQuery,
  getDecisionContextQuery,
  resumeAgentUpdate,
  suspendAgentUpdate,
  transferAgentOwnershipUpdate,
} from '../../workflows/agent/messages.js';
import type { PeopleDirectory } from './people-directory.js';
import type { ToolRegistry } from './tool-registry.js';
import { viaTemporal } from './temporal-errors.js';
import { AccessFeed } from './access-feed.js';
import { agent as agentCommander, type Commander, type Commands } from '../../services/commands.js';
import { deploymentClauses, visibilityString } from '../../temporal/visibility.js';

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

export interface AgentDirectoryOptions {
  taskQueue: string;
  continueAsNewAfterEvents?: number;
  credentialPolicy: CredentialPolicy;
}

export interface AgentRegistrationInput extends AgentRegistration {
  /** The agent's own public key; without one Warden generates a key pair and returns the private key once. */
  publicJwk?: unknown;
  allowedTools?: AllowedTool[];
}

export interface RegisteredAgent {
  agent: AgentState;
  credential: { clientId: string; kid: string; expiresAt: string; privateJwk: Jwk | null };
}

/** What token checks need to know about an agent, cached briefly per API process. */
export interface AgentSession {
  status: AgentStatus;
  revokedBefore: string | null;
  revokedTokens: string[];
  ownerEmail: string | null;
}

/** What the token endpoint checks a client assertion against (cached with the session). */
export interface AgentSignIn {
  status: AgentStatus;
  /** The current key and a successor in its overlap window, each until it expires. */
  keys: AgentAccess['keys'];
  /** A successor's kid while the agent has not used it yet: its first use is recorded in the agent's workflow. */
  successorNotTakenUp: string | null;
}

/** What routing a request needs to know about an agent (cached with its session). */
export type AgentView = Pick<AgentState, 'id' | 'name' | 'platform' | 'ownerEmail' | 'status' | 'allowedTools'>;

interface AccessEntry {
  session: AgentSession;
  view: AgentView;
  signIn: AgentSignIn;
}

type AgentBasics = Pick<AgentState, 'id' | 'name' | 'platform' | 'ownerEmail' | 'status'>;

/** One mapping, whether the agent was read whole (a Query, an Update's answer) or from its memo. */
function accessEntry(agent: AgentBasics, access: AgentAccess): AccessEntry {
  const { id, name, platform, ownerEmail, status } = agent;
  return {
    session: { status, revokedBefore: access.revokedBefore, revokedTokens: access.revokedTokens, ownerEmail },
    view: { id, name, platform, ownerEmail, status, allowedTools: access.allowedTools },
    signIn: { status, keys: access.keys, successorNotTakenUp: access.successorNotTakenUp },
  };
}

/**
 * The same from the workflow's memo: null unless the workflow runs and its memo is Warden's (a workflow
 * anyone else started has no access view, only a ForeignPayload where it would be).
 */
function accessEntryFromMemo(agentId: string, info: WorkflowExecutionDescription): AccessEntry | null {
  if (info.status.name !== 'RUNNING' || !isAgentMemo(info.memo)) return null;
  const { name, platform, ownerEmail, status, access } = info.memo;
  return accessEntry({ id: agentId, name, platform, ownerEmail, status }, access);
}

/** Lists page by offset over visibility; deeper pages cost more, so depth is capped. */
export const MAX_LIST_OFFSET = 10_000;

/**
 * How long the revocation feed may vouch for a view without it being read again, by default, as a
 * multiple of the bound: the backstop for a change the feed did not see (visibility lagging past the
 * feed's margin).
 */
export const FEED_CEILING_FACTOR = 10;

interface CachedAccess {
  entry: AccessEntry | null;
  /** When the read that produced it started (this process's clock). */
  at: number;
  /** The agent's AgentAccessChangedAt as read; null when unknown (not yet stamped, or a change of our own). */
  changedAt: number | null;
}

export class AgentDirectory {
  private readonly sessionCacheMs: number;
  private feed: AccessFeed | null = null;
  private feedCeilingMs = 0;

  constructor(
    private readonly client: Client,
    private readonly commands: Commands,
    private readonly people: PeopleDirectory,
    private readonly tools: ToolRegistry,
    private readonly vault: KeyRing,
    private readonly options: AgentDirectoryOptions & { sessionCacheMs: number },
  ) {
    this.sessionCacheMs = options.sessionCacheMs;
  }

  private handle(agentId: string) {
    if (!isValidAgentId(agentId)) throw notFound(`No agent with id "${agentId.slice(0, 64)}".`);
    return this.client.workflow.getHandle<typeof agentLifecycleWorkflow>(agentWorkflowId(agentId));
  }

  private sessions = new Map<string, CachedAccess>();

  /**
   * What token checks and routing need of an agent, read afresh: from its workflow's memo through
   * DescribeWorkflowExecution (answered by the server alone — no worker, no history replay, so a busy or
   * absent worker never slows a token check). The memo is set when the workflow starts.
   */
  private async readAccess(agentId: string): Promise<AccessEntry | null> {
    if (!isValidAgentId(agentId)) return null;
    const generation = this.changes.get(agentId) ?? 0;
    const at = Date.now();
    let entry: AccessEntry | null;
    let changedAt: number | null = null;
    try {
      const info = await viaTemporal(() => this.handle(agentId).describe(), 'missing');
      entry = accessEntryFromMemo(agentId, info);
      if (entry) changedAt = info.typedSearchAttributes.get(SA.AgentAccessChangedAt)?.getTime() ?? null;
    } catch (err) {
      if ((err as { code?: string }).code === 'NOT_FOUND') entry = null;
      else throw err;
    }
    // This process changed the agent (or dropped its view, e.g. on containment) while the read was under
    // way: the read may predate that change, so it must not become the cached view.
    if ((this.changes.get(agentId) ?? 0) !== generation) return this.sessions.get(agentId)?.entry ?? entry;
    this.store(agentId, entry, at, changedAt);
    return entry;
  }

  /** Counts this process's own changes per agent, so a read that started before one is not cached. */
  private readonly changes = new Map<string, number>();
  private changed(agentId: string) {
    if (this.changes.size > 50_000) this.changes.clear();
    this.changes.set(agentId, (this.changes.get(agentId) ?? 0) + 1);
  }

  private async access(agentId: string, fresh = false): Promise<{ entry: AccessEntry | null; cached: boolean }> {
    const hit = this.sessions.get(agentId);
    if (!fresh && hit && this.isFresh(hit)) return { entry: hit.entry, cached: true };
    // Requests of one agent that find its view expired together share one read (a fresh read — after a
    // change this process must see — never joins one that may have started before it).
    if (fresh) return { entry: await this.readAccess(agentId), cached: false };
    let reading = this.reading.get(agentId);
    if (!reading) {
      reading = this.readAccess(agentId).finally(() => this.reading.delete(agentId));
      this.reading.set(agentId, reading);
    }
    return { entry: await reading, cached: false };
  }

  private readonly reading = new Map<string, Promise<AccessEntry | null>>();

  /**
   * A view is good for `sessionCacheMs` after it was read; with the revocation feed, also for as long as
   * the feed's latest poll (at most `sessionCacheMs` ago) found no change to it — up to the ceiling.
   */
  private isFresh(hit: CachedAccess, now = Date.now()): boolean {
    if (now - hit.at < this.sessionCacheMs) return true;
    if (!this.feed || hit.changedAt === null || now - hit.at >= this.feedCeilingMs) return false;
    const confirmedAt = this.feed.confirmedAt(hit.at);
    return confirmedAt !== null && now - confirmedAt < this.sessionCacheMs;
  }

  /**
   * Starts this process's revocation feed (api/server.ts does; a directory without one re-reads each view
   * once it is `sessionCacheMs` old). Polls every half bound, so a change seen by visibility reaches this
   * process well within the bound.
   */
  startAccessFeed(
    options: { pollMs?: number; marginMs?: number; maxLagMs?: number; ceilingMs?: number; maxChanges?: number } = {},
  ): AccessFeed {
    if (this.feed) return this.feed;
    this.feedCeilingMs = options.ceilingMs ?? this.sessionCacheMs * FEED_CEILING_FACTOR;
    this.feed = new AccessFeed(this.client, {
      pollMs: options.pollMs ?? Math.max(50, Math.floor(this.sessionCacheMs / 2)),
      marginMs: options.marginMs ?? Math.max(2_000, this.sessionCacheMs),
      // A view may be this late with the feed: half a bound between polls, plus half a bound of lag.
      maxLagMs: options.maxLagMs ?? Math.floor(this.sessionCacheMs / 2),
      ...(options.maxChanges !== undefined ? { maxChanges: options.maxChanges } : {}),
      onChange: (agentId, changedAt) => {
        const hit = this.sessions.get(agentId);
        if (hit && (hit.changedAt === null || changedAt > hit.changedAt)) this.forget(agentId);
      },
      onOverflow: () => {
        for (const agentId of this.sessions.keys()) this.changed(agentId);
        this.sessions.clear();
      },
    });
    this.feed.start();
    return this.feed;
  }

  async stopAccessFeed(): Promise<void> {
    await this.feed?.stop();
    this.feed = null;
  }

  /**
   * An agent's status and revocation point, at most `sessionCacheMs` old. This bound is how long another
   * API process may take to honour a universal logout; the process that performed it knows at once.
   */
  async session(agentId: string): Promise<AgentSession | null> {
    return (await this.access(agentId)).entry?.session ?? null;
  }

  /**
   * The agent as this process saw it at most `sessionCacheMs` ago — what the caller's token was just
   * checked against — or a fresh read (`cached: false`). For routing a request only: the agent's workflow
   * decides on its own state.
   */
  async recent(agentId: string): Promise<{ agent: AgentView; cached: boolean }> {
    const { entry, cached } = await this.access(agentId);
    if (!entry) throw notFound(`No agent with id "${agentId.slice(0, 64)}".`);
    return { agent: entry.view, cached };
  }

  /**
   * The agent's keys and status for checking a client assertion: at most `sessionCacheMs` old, or a
   * fresh read (`fresh`), e.g. when the assertion names a key this view does not have yet.
   */
  async signIn(agentId: string, fresh = false): Promise<{ signIn: AgentSignIn | null; cached: boolean }> {
    const { entry, cached } = await this.access(agentId, fresh);
    return { signIn: entry?.signIn ?? null, cached };
  }

  /** Drops what this process knows of an agent's session (it changed elsewhere, e.g. containment). */
  forget(agentId: string): void {
    this.changed(agentId);
    this.sessions.delete(agentId);
  }

  /** What this process knows of an agent right now (its answer to a change it just made). */
  private remember(agentId: string, state: AgentState | null) {
    this.changed(agentId);
    // Its AgentAccessChangedAt is not known here: the feed does not vouch for it, and re-reads it at its
    // next change report (this very change, within the feed's margin).
    this.store(agentId, state ? accessEntry(state, accessOf(state)) : null, Date.now(), null);
  }

  private store(agentId: string, entry: AccessEntry | null, at: number, changedAt: number | null) {
    if (this.sessions.size > 50_000) this.sessions.clear();
    this.sessions.set(agentId, { entry, at, changedAt });
  }

  /** Checks requested tools and operations against the registry. */
  private async checkAllowedTools(tools: AllowedTool[]): Promise<AllowedTool[]> {
    const problems: string[] = [];
    const out: AllowedTool[] = [];
    if (tools.length > 100) throw badInput('at most 100 tools per agent');
    for (const entry of tools) {
      const tool = await this.tools.find(entry.tool);
      if (!tool) {
        problems.push(`no tool named "${entry.tool.slice(0, 64)}"`);
        continue;
      }
      const known = new Set(tool.operations.map((o) => o.name));
      const unknown = entry.operations.filter((o) => !known.has(o));
      if (unknown.length)
        problems.push(`tool ${tool.name} has no operation ${unknown.map((o) => `"${o.slice(0, 64)}"`).join(', ')}`);
      if (entry.operations.length === 0) problems.push(`name at least one operation of ${tool.name}`);
      out.push({ tool: tool.name, operations: [...new Set(entry.operations)].sort() });
    }
    if (new Set(tools.map((t) => t.tool)).size !== tools.length) problems.push('each tool may appear once');
    if (problems.length) throw badInput(problems.join('; '));
    return out;
  }

  async register(by: Commander, input: AgentRegistrationInput): Promise<RegisteredAgent> {
    const registration = {
      ...input,
      name: input.name.trim(),
      ownerEmail: normalizeEmail(input.ownerEmail),
      description: input.description.trim(),
    };
    const problems = validateAgentRegistration(registration);
    if (!isValidEmail(registration.ownerEmail))
      problems.push(`"${input.ownerEmail.slice(0, 80)}" is not a valid email address`);
    if (problems.length) throw badInput(problems.join('; '));
    const own = await ownKey(input.publicJwk);
    if (!(await this.people.find(registration.ownerEmail))) {
      throw badInput(`${registration.ownerEmail} is not a known person: add them with upsertPerson first.`);
    }
    const allowedTools = await this.checkAllowedTools(input.allowedTools ?? []);
    const generated = own ? null : await generateAgentKey();
    const key = own ?? { publicJwk: generated!.publicJwk, kid: generated!.kid };

    const id = randomUUID();
    const nowMs = Date.now();
    const now = new Date(nowMs).toISOString();
    const credential = newCredential(key.publicJwk, key.kid, nowMs, this.options.credentialPolicy, !own);
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
      events: [
        {
          kind: 'REGISTERED',
          at: now,
          actor: { kind: by.kind, id: by.id },
          reason: 'registered',
          fromStatus: null,
          toStatus: 'ACTIVE',
        },
      ],
      credential,
      successor: null,
      revokedBefore: null,
      revokedTokens: [],
      allowedTools,
      credentialPolicy: this.options.credentialPolicy,
    };
    const trust = await this.commands.anchor();
    await viaTemporal(
      () =>
        this.client.workflow.start(agentLifecycleWorkflow, {
          workflowId: agentWorkflowId(id),
          taskQueue: this.options.taskQueue,
          args: [
            {
              state,
              trust,
              ...(this.options.continueAsNewAfterEvents
                ? { continueAsNewAfterEvents: this.options.continueAsNewAfterEvents }
                : {}),
            },
          ],
          workflowIdConflictPolicy: 'FAIL',
          typedSearchAttributes: new TypedSearchAttributes([
            { key: SA.AgentId, value: id },
            { key: SA.AgentName, value: state.name },
            { key: SA.AgentStatus, value: state.status },
            { key: SA.AgentOwner, value: registration.ownerEmail },
            { key: SA.AgentPlatform, value: state.platform },
          ]),
          // Readable at once (lists, token checks), before the worker has run the workflow's first task.
          memo: agentMemo(state),
          staticSummary: `Agent «${state.name}» (${state.platform})`,
          staticDetails: `Lifecycle of agent ${id}. Registered by ${by.id} at ${now}.`,
        }),
      `No agent ${id}.`,
    );
    this.remember(id, state);
    return {
      agent: state,
      credential: {
        clientId: id,
        kid: credential.kid,
        expiresAt: credential.expiresAt,
        privateJwk: generated?.privateJwk ?? null,
      },
    };
  }

  /**
   * Claims a discovered (shadow) agent: it gets an owner, allowed tools and a credential, and is ACTIVE from
   * then on, like a registered one. Without the agent's own public key Warden generates a pair and returns
   * the private key this once.
   */
  async claim(
    by: Commander,
    agentId: string,
    input: { ownerEmail: string; allowedTools: AllowedTool[]; publicJwk?: unknown; reason?: string },
  ): Promise<RegisteredAgent> {
    const ownerEmail = normalizeEmail(input.ownerEmail);
    if (!isValidEmail(ownerEmail)) throw badInput(`"${input.ownerEmail.slice(0, 80)}" is not a valid email address`);
    if (input.reason !== undefined) {
      const problems = input.reason.trim() ? validateReason(input.reason) : [];
      if (problems.length) throw badInput(problems.join('; '));
    }
    const own = await ownKey(input.publicJwk);
    const current = await this.get(agentId);
    if (current.status !== 'DISCOVERED')
      throw conflict(`Agent ${agentId} is ${current.status}: only a DISCOVERED agent can be claimed.`);
    if (!(await this.people.find(ownerEmail)))
      throw badInput(`${ownerEmail} is not a known person: add them with upsertPerson first.`);
    const allowedTools = await this.checkAllowedTools(input.allowedTools);
    const generated = own ? null : await generateAgentKey();
    const key = own ?? { publicJwk: generated!.publicJwk, kid: generated!.kid };
    const agent = await viaTemporal(
      () =>
        this.commands.send(
          this.handle(agentId).workflowId,
          claimAgentUpdate,
          {
            ownerEmail,
            allowedTools,
            publicJwk: key.publicJwk,
            kid: key.kid,
            generatedByWarden: !own,
            ...(input.reason?.trim() ? { reason: input.reason } : {}),
          },
          by,
        ),
      `No agent with id "${agentId.slice(0, 64)}".`,
    );
    this.remember(agentId, agent);
    return {
      agent,
      credential: {
        clientId: agentId,
        kid: agent.credential!.kid,
        expiresAt: agent.credential!.expiresAt,
        privateJwk: generated?.privateJwk ?? null,
      },
    };
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
    this.remember(agentId, context.agent);
    return context;
  }

  /**
   * The agent's owner, read now (for a decision): from its memo, which the server answers with no worker,
   * so a person can decide while workers restart. Null for an agent without one, or no agent.
   */
  async ownerOf(agentId: string): Promise<string | null> {
    if (!isValidAgentId(agentId)) return null;
    return (await this.access(agentId, true)).entry?.view.ownerEmail ?? null;
  }

  /** The agent's owner as this process saw it at most a revocation bound ago (for authorizing reads). */
  async recentOwnerOf(agentId: string): Promise<string | null> {
    if (!isValidAgentId(agentId)) return null;
    return (await this.access(agentId)).entry?.view.ownerEmail ?? null;
  }

  /** The ids of the agents this person owns now (visibility: their workflows' AgentOwner), at most 10,000. */
  async idsOwnedBy(ownerEmail: string): Promise<string[]> {
    const email = normalizeEmail(ownerEmail);
    if (!isValidEmail(email)) return [];
    const ids: string[] = [];
    const query = [
      ...deploymentClauses('agentLifecycleWorkflow', this.options.taskQueue),
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
    const clauses = deploymentClauses('agentLifecycleWorkflow', this.options.taskQueue);
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

  /**
   * Suspends an ACTIVE agent. By default every token it holds is revoked too (so a later resume needs new
   * tokens); `revokeTokens: false` only pauses it: earlier tokens are refused while it is suspended and
   * work again after a resume until they expire.
   */
  async suspend(by: Commander, agentId: string, reason: string, revokeTokens = true): Promise<AgentState> {
    return this.statusChange(
      agentId,
      () => this.commands.send(this.handle(agentId).workflowId, suspendAgentUpdate, { reason, revokeTokens }, by),
      reason,
    );
  }

  async resume(by: Commander, agentId: string, reason: string): Promise<AgentState> {
    return this.statusChange(
      agentId,
      () => this.commands.send(this.handle(agentId).workflowId, resumeAgentUpdate, { reason }, by),
      reason,
    );
  }

  async decommission(by: Commander, agentId: string, reason: string): Promise<AgentState> {
    return this.statusChange(
      agentId,
      () => this.commands.send(this.handle(agentId).workflowId, decommissionAgentUpdate, { reason }, by),
      reason,
    );
  }

  async transferOwnership(by: Commander, agentId: string, ownerEmail: string, reason?: string): Promise<AgentState> {
    const email = normalizeEmail(ownerEmail);
    if (!isValidEmail(email)) throw badInput(`"${ownerEmail.slice(0, 80)}" is not a valid email address`);
    const state = await viaTemporal(
      () =>
        this.commands.send(
          this.handle(agentId).workflowId,
          transferAgentOwnershipUpdate,
          { ownerEmail: email, ...(reason ? { reason } : {}) },
          by,
        ),
      `No agent with id "${agentId}".`,
    );
    this.remember(agentId, state);
    return state;
  }

  /** Records a verified client assertion: refuses a replayed jti, a retired key or an inactive agent. */
  async authenticate(agentId: string, request: AuthenticateRequest): Promise<AuthenticateResult> {
    return viaTemporal(
      () => this.handle(agentId).executeUpdate(authenticateAgentUpdate, { args: [request] }),
      `No agent with id "${agentId}".`,
    );
  }

  /** Sets (or with null, clears) the agent's risk policy over Warden's defaults. */
  async setRiskPolicy(by: Commander, agentId: string, policy: unknown): Promise<unknown> {
    if (policy !== null && (typeof policy !== 'object' || Array.isArray(policy)))
      throw badInput('policy must be a JSON object (or null for the defaults)');
    if (JSON.stringify(policy ?? {}).length > 8192) throw badInput('policy must be at most 8 KiB of JSON');
    return viaTemporal(
      () => this.commands.send(this.handle(agentId).workflowId, setRiskPolicyUpdate, { policy: policy as never }, by),
      `No agent with id "${agentId}".`,
    );
  }

  /** Revokes one of the agent's tokens (RFC 7009), at the agent's own request. */
  async revokeToken(agentId: string, jti: string, expiresAt: Date): Promise<void> {
    const state = await viaTemporal(
      () =>
        this.commands.send(
          this.handle(agentId).workflowId,
          revokeTokenUpdate,
          { jti, expiresAtMs: expiresAt.getTime() },
          agentCommander(agentId),
        ),
      `No agent with id "${agentId}".`,
    );
    this.remember(agentId, state);
  }

  /** From the moment this returns, every token issued to the agent before is refused. */
  async universalLogout(by: Commander, agentId: string, reason: string): Promise<AgentState> {
    const problems = validateReason(reason);
    if (problems.length) throw badInput(problems.join('; '));
    const state = await viaTemporal(
      () => this.commands.send(this.handle(agentId).workflowId, universalLogoutUpdate, { reason }, by),
      `No agent with id "${agentId}".`,
    );
    this.remember(agentId, state);
    return state;
  }

  async rotateCredential(by: Commander, agentId: string, publicJwk?: unknown): Promise<AgentState> {
    const own = await ownKey(publicJwk);
    return viaTemporal(
      () => this.commands.send(this.handle(agentId).workflowId, rotateCredentialUpdate, { ...(own ?? {}) }, by),
      `No agent with id "${agentId}".`,
    );
  }

  /** Hands the agent its Warden-generated successor private key, exactly once. */
  async collectSuccessor(agentId: string): Promise<{ kid: string; privateJwk: Jwk; expiresAt: string }> {
    const collected = await viaTemporal(
      () => this.commands.send(this.handle(agentId).workflowId, collectSuccessorUpdate, {}, agentCommander(agentId)),
      `No agent with id "${agentId}".`,
    );
    const privateJwk = JSON.parse(
      openSecret(this.vault, collected.sealedPrivateJwk as SealedSecret, agentKeyAad(agentId)),
    ) as Jwk;
    return { kid: collected.kid, privateJwk, expiresAt: collected.expiresAt };
  }

  async setAllowedTools(by: Commander, agentId: string, tools: AllowedTool[]): Promise<AgentState> {
    const checked = await this.checkAllowedTools(tools);
    const state = await viaTemporal(
      () => this.commands.send(this.handle(agentId).workflowId, setAllowedToolsUpdate, { tools: checked }, by),
      `No agent with id "${agentId}".`,
    );
    this.remember(agentId, state); // this process knows at once; others within sessionCacheMs
    return state;
  }

  private async statusChange(agentId: string, call: () => Promise<AgentState>, reason: string): Promise<AgentState> {
    const problems = validateReason(reason);
    if (problems.length) throw badInput(problems.join('; '));
    const state = await viaTemporal(call, `No agent with id "${agentId.slice(0, 64)}".`);
    this.remember(agentId, state);
    return state;
  }
}

/** The agent's own public key (checked, public members only) and its thumbprint; null when none was given. */
async function ownKey(publicJwk: unknown): Promise<{ publicJwk: Jwk; kid: string } | null> {
  if (publicJwk === undefined || publicJwk === null) return null;
  const problems = validatePublicJwk(publicJwk);
  if (problems.length) throw badInput(problems.join('; '));
  const key = publicOnly(publicJwk as Jwk);
  return { publicJwk: key, kid: await thumbprintOf(key) };
}

function recordFromVisibility(info: WorkflowExecutionInfo): AgentRecord | null {
  const id = info.typedSearchAttributes.get(SA.AgentId);
  // Only an agent whose workflow Warden started, under its own id, with the memo Warden wrote.
  if (!id || info.workflowId !== agentWorkflowId(id) || !isAgentMemo(info.memo)) return null;
  const { name, platform, description, status, ownerEmail, statusReason, createdAt, updatedAt } = info.memo;
  return { id, name, platform, description, status, ownerEmail, statusReason, createdAt, updatedAt };
}
