/**
 * What this API process knows of each agent's access — its status, revocation point, keys and allowed
 * tools — for token checks and request routing: read from the agent workflow's memo with
 * DescribeWorkflowExecution (answered by the server alone, no worker), kept at most a revocation bound
 * (`sessionCacheMs`), and re-read sooner when the revocation feed (visibility) or the revocation broadcast
 * (another API process, at once) reports a change. A containment announced on the broadcast holds the
 * agent suspended here until its own view shows it.
 */
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import {
  accessOf,
  agentWorkflowId,
  isAgentMemo,
  isValidAgentId,
  type AgentAccessView,
  type AgentState,
  type AgentStatus,
} from '../../domain/agents.js';
import { notFound } from '../../domain/errors.js';
import * as SA from '../../temporal/search-attributes.js';
import { AccessFeed } from './access-feed.js';
import type { RevocationBroadcast } from './revocation-broadcast.js';
import { viaTemporal } from './temporal-errors.js';
import { containmentSeconds } from '../../observability/metrics.js';
import { HeldContainments } from './held-containments.js';
import type { RevocationNotice } from '../../workflows/revocation-broadcast.js';

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
  keys: AgentAccessView['keys'];
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
function accessEntry(agent: AgentBasics, access: AgentAccessView): AccessEntry {
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

/**
 * How long the revocation feed may vouch for a view without it being read again, by default, as a
 * multiple of the bound: the backstop for a change the feed did not see (visibility lagging past the
 * feed's margin).
 */
export const FEED_CEILING_FACTOR = 10;

/**
 * The view as it must be while a containment is known here but not yet in the view: suspended, every token
 * up to the containment refused.
 */
function heldContained(entry: AccessEntry, revokedBeforeMs: number): AccessEntry {
  const status: AgentStatus = 'SUSPENDED';
  const revokedBefore = new Date(
    Math.max(revokedBeforeMs, entry.session.revokedBefore ? Date.parse(entry.session.revokedBefore) : 0),
  ).toISOString();
  return {
    session: { ...entry.session, status, revokedBefore },
    view: { ...entry.view, status },
    signIn: { ...entry.signIn, status },
  };
}

interface CachedAccess {
  entry: AccessEntry | null;
  /** When the read that produced it started (this process's clock). */
  at: number;
  /** The agent's AgentAccessChangedAt as read; null when unknown (not yet stamped, or a change of our own). */
  changedAt: number | null;
}

export class AgentAccess {
  private feed: AccessFeed | null = null;
  private feedCeilingMs = 0;
  private broadcast: RevocationBroadcast | null = null;
  /** Containments known here that the agent's view did not show yet. */
  private readonly containments = new HeldContainments();

  constructor(
    private readonly client: Client,
    private readonly sessionCacheMs: number,
  ) {}

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
      const info = await viaTemporal(
        () => this.client.workflow.getHandle(agentWorkflowId(agentId)).describe(),
        'missing',
      );
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
    if (!fresh && hit && this.isFresh(hit)) return { entry: this.withContainment(agentId, hit.entry), cached: true };
    // Requests of one agent that find its view expired together share one read (a fresh read — after a
    // change this process must see — never joins one that may have started before it).
    if (fresh) return { entry: this.withContainment(agentId, await this.readAccess(agentId)), cached: false };
    let reading = this.reading.get(agentId);
    if (!reading) {
      reading = this.readAccess(agentId).finally(() => this.reading.delete(agentId));
      this.reading.set(agentId, reading);
    }
    return { entry: this.withContainment(agentId, await reading), cached: false };
  }

  /** The view, held contained while a containment known here is not in it yet (and forgotten once it is). */
  private withContainment(agentId: string, entry: AccessEntry | null): AccessEntry | null {
    const revokedBeforeMs = this.containments.revokedBefore(agentId);
    if (revokedBeforeMs === undefined) return entry;
    const shown = entry?.session.revokedBefore ? Date.parse(entry.session.revokedBefore) : -Infinity;
    // No agent (nothing is accepted for it anyway), or its workflow has recorded the containment.
    if (!entry) {
      this.containments.release(agentId);
      return entry;
    }
    if (this.containments.releasedBy(agentId, shown)) return entry;
    return heldContained(entry, revokedBeforeMs);
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
      onOverflow: () => this.forgetAll(),
    });
    this.feed.start();
    return this.feed;
  }

  /**
   * Joins the deployment's revocation broadcast: this process announces its containments and changes there,
   * and takes every other process's at once (api/server.ts does; without it, changes made elsewhere reach
   * this process within the revocation bound).
   */
  joinBroadcast(broadcast: RevocationBroadcast): void {
    this.broadcast = broadcast;
    broadcast.listen({
      onNotice: (notice, via) => this.heard(notice, via),
      onGap: () => this.forgetAll(),
    });
  }

  /**
   * A decision here contained the agent as of `revokedBeforeMs` (its workflow records it right after): from
   * now on this process, and every process the broadcast reaches, refuses its tokens issued up to then and
   * holds it suspended until its view shows the containment. Awaited before the decision is answered.
   */
  async contained(agentId: string, revokedBeforeMs: number): Promise<void> {
    const notice = { agentId, kind: 'contained', at: new Date(revokedBeforeMs).toISOString() } as const;
    this.heard(notice, 'decided');
    await this.broadcast?.announce(notice);
  }

  /**
   * This process scored a request with its workflow's rules and they contain: the agent is held here at once,
   * and on every other process as soon as the announcement reaches it, while the workflow decides.
   */
  async containing(agentId: string, at: number): Promise<void> {
    const notice = { agentId, kind: 'containing', at: new Date(at).toISOString() } as const;
    this.heard(notice, 'decided');
    await this.broadcast?.announce(notice);
  }

  /** The workflow did not contain on what this process foresaw at `at`: that hold goes, here and everywhere. */
  async notContained(agentId: string, at: number): Promise<void> {
    const notice = { agentId, kind: 'cleared', at: new Date(at).toISOString() } as const;
    this.heard(notice, 'decided');
    await this.broadcast?.announce(notice);
  }

  /** A change this process made to the agent's access: known here at once, and told to the other processes. */
  async madeChange(agentId: string, state: AgentState): Promise<void> {
    this.remember(agentId, state);
    await this.broadcast?.announce({ agentId, kind: 'changed', at: new Date().toISOString() });
  }

  /**
   * A notice, this process's own or another's. A containment leaves the cached view in place (held, it refuses
   * what it must without a read); the view is read again once a bound old, and the hold gives way when a read
   * shows the containment.
   */
  private heard({ agentId, kind, at }: RevocationNotice, via: 'decided' | 'broadcast' | 'pushed'): void {
    const atMs = Date.parse(at);
    if (!isValidAgentId(agentId) || !Number.isFinite(atMs)) return;
    if (kind === 'changed') return this.forget(agentId);
    if (kind === 'cleared') return this.containments.cleared(agentId, atMs);
    const news =
      kind === 'contained' ? this.containments.decided(agentId, atMs) : this.containments.foreseen(agentId, atMs);
    if (news) containmentSeconds.observe({ via }, Math.max(0, Date.now() - atMs) / 1000);
  }

  private forgetAll(): void {
    for (const agentId of this.sessions.keys()) this.changed(agentId);
    this.sessions.clear();
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

  /** Drops what this process knows of an agent's session (it changed elsewhere, e.g. containment). */
  forget(agentId: string): void {
    this.changed(agentId);
    this.sessions.delete(agentId);
  }

  /** What this process knows of an agent right now (its answer to a change it just made). */
  remember(agentId: string, state: AgentState | null): void {
    this.changed(agentId);
    // Its AgentAccessChangedAt is not known here: the feed does not vouch for it, and re-reads it at its
    // next change report (this very change, within the feed's margin).
    this.store(agentId, state ? accessEntry(state, accessOf(state)) : null, Date.now(), null);
  }

  private store(agentId: string, entry: AccessEntry | null, at: number, changedAt: number | null) {
    if (this.sessions.size > 50_000) this.sessions.clear();
    this.sessions.set(agentId, { entry, at, changedAt });
  }
}
