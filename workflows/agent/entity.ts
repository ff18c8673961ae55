/**
 * The agent as its workflow holds it: its state, what it carries across continue-as-new, and the few
 * things every handler does — check who asked, record a change (and publish it), tell the owner.
 */
import { setCurrentDetails, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ActionRecord } from '../../domain/actions.js';
import {
  accessOf,
  agentMemo,
  agentWorkflowId,
  applyEvent,
  canTransition,
  describeActor,
  transitionRefusal,
  validateReason,
  type Actor,
  type AgentEventKind,
  type AgentState,
  type AgentStatus,
} from '../../domain/agents.js';
import { AGENT_COMMANDS, refusalFor, type AgentCommand, type StatementPrincipal } from '../../domain/authority.js';
import type { AssertionRecord } from '../../domain/credentials.js';
import { raisedSources } from '../../domain/discovery.js';
import { ErrorCode } from '../../domain/errors.js';
import type { Notification } from '../../domain/notifications.js';
import { emptyBaseline, type Baseline } from '../../risk/baseline.js';
import type { PolicyOverride } from '../../risk/policy.js';
import {
  AgentAccessChangedAt,
  AgentId,
  AgentLastSeen,
  AgentName,
  AgentOwner,
  AgentPlatform,
  AgentStatus as AgentStatusAttribute,
  DiscoverySources,
} from '../../temporal/search-attributes.js';
import { refuse } from '../refuse.js';
import { CommandGate, fromWarden, validAnchor } from '../trust.js';
import type { AgentLifecycleArgs, StatusChangeRequest } from './messages.js';

export const SYSTEM: Actor = { kind: 'system', id: 'warden' };
// A short history keeps the first workflow task after a worker restart (or a cache eviction, with thousands
// of agents) a fast replay: roll over every AGENT_HISTORY_EVENTS events (~300 routine decisions).
const AGENT_HISTORY_EVENTS = 2_000;

export class AgentEntity {
  state: AgentState;
  readonly gate: CommandGate;
  /** Client-assertion ids still inside their lifetime (a replay is refused). */
  assertions: AssertionRecord[];
  readonly seenJtis: Set<string>;
  /** Notifications waiting to be delivered. */
  readonly outbox: Notification[];
  /** Decisions waiting to be handed to the audit trail. */
  readonly auditOutbox: ActionRecord[];
  baseline: Baseline;
  learnedActions: string[];
  riskPolicy: PolicyOverride | null;
  routine: ActionRecord[];
  escalatedKeys: string[];
  /** A successor key is being issued (a rotation completes in a handler, and changes the state). */
  issuingSuccessor = false;
  /** The state last published to the memo and search attributes. */
  published: AgentState | null = null;
  /** This run rolls over into a new one (continue-as-new) after this many history events. */
  readonly historyCap: number;
  private accessKey: string | null = null;
  private accessChangedAt: number;

  /** Only Warden starts an agent, and only the agent the workflow id names. */
  static start(input: AgentLifecycleArgs): AgentEntity {
    const args = fromWarden(input, 'the agent workflow input', {
      operation: 'agentLifecycleWorkflow',
      agentId: workflowInfo().workflowId.slice('agent:'.length),
    });
    if (!args?.state || agentWorkflowId(args.state.id) !== workflowInfo().workflowId || !validAnchor(args.trust)) {
      refuse(ErrorCode.BAD_USER_INPUT, 'Refused: this input is not the state of the agent this workflow id names.');
    }
    return new AgentEntity(args);
  }

  private constructor(private readonly args: AgentLifecycleArgs) {
    this.state = args.state;
    this.gate = new CommandGate(args.trust, args.usedStatements, args.state.id);
    this.assertions = args.assertions ?? [];
    this.seenJtis = new Set(this.assertions.map((a) => a.jti));
    this.outbox = [...(args.outbox ?? [])];
    this.baseline = args.baseline ?? emptyBaseline();
    this.learnedActions = args.learnedActions ?? [];
    this.riskPolicy = args.riskPolicy ?? null;
    this.routine = args.routine ?? [];
    this.escalatedKeys = args.escalatedKeys ?? [];
    this.auditOutbox = [...(args.auditOutbox ?? [])];
    this.accessChangedAt = workflowInfo().typedSearchAttributes.get(AgentAccessChangedAt)?.getTime() ?? 0;
    this.historyCap = args.continueAsNewAfterEvents ?? AGENT_HISTORY_EVENTS;
  }

  /** What the next run starts from. */
  carryOver(): AgentLifecycleArgs {
    return {
      ...this.args,
      trust: this.gate.state.anchor,
      usedStatements: this.gate.state.used,
      state: this.state,
      assertions: this.assertions,
      outbox: this.outbox,
      baseline: this.baseline,
      learnedActions: this.learnedActions,
      riskPolicy: this.riskPolicy,
      routine: this.routine,
      escalatedKeys: this.escalatedKeys,
      auditOutbox: this.auditOutbox,
    };
  }

  /** Facts only Warden's processes report: anything else is refused, and audited. */
  reported<T>(value: T, what: string, operation: string): T {
    return fromWarden(value, what, { operation, agentId: this.state.id });
  }

  /** A command's request and who made it (in a validator), refusing what the principal may not do. */
  authorized<T>(command: AgentCommand, arg: unknown): { request: T; by: StatementPrincipal } {
    const { request, by } = this.gate.verify<T>(arg, command);
    const refusal = refusalFor(AGENT_COMMANDS[command], by, {
      ownerEmail: this.state.ownerEmail,
      agentId: this.state.id,
    });
    if (refusal) this.gate.forbid(command, by, refusal);
    return { request, by };
  }

  /** Validators run before anything is written to history: a refused change leaves no trace but the error. */
  checkTransition(to: AgentStatus, request: StatusChangeRequest): void {
    const problems = validateReason(request?.reason);
    if (problems.length) refuse(ErrorCode.BAD_USER_INPUT, problems.join('; '));
    if (!canTransition(this.state.status, to))
      refuse(ErrorCode.CONFLICT, transitionRefusal(this.state.id, this.state.status, to));
  }

  /** Records one change of the agent (who, when, why) and publishes the new state. */
  record(
    kind: AgentEventKind,
    to: AgentStatus,
    actor: Actor,
    reason: string,
    patch: Partial<AgentState> = {},
    details?: Record<string, string>,
  ): AgentState {
    const state = this.state;
    this.state = applyEvent(
      state,
      {
        kind,
        at: new Date().toISOString(),
        actor,
        reason: reason.trim(),
        fromStatus: state.status,
        toStatus: to,
        ...(details ? { details } : {}),
      },
      patch,
    );
    this.publish();
    return this.state;
  }

  notifyOwner(subject: string, text: string): void {
    const { id, ownerEmail } = this.state;
    if (ownerEmail)
      this.outbox.push({ kind: 'agent', agentId: id, to: [ownerEmail], subject, text, at: new Date().toISOString() });
  }

  notifySecurity(subject: string, text: string): void {
    this.outbox.push({ kind: 'security', agentId: this.state.id, to: [], subject, text, at: new Date().toISOString() });
  }

  /** Universal logout: every token issued so far is refused from now on; an active agent is suspended. */
  logOut(kind: 'UNIVERSAL_LOGOUT' | 'SUSPENDED', actor: Actor, reason: string): AgentState {
    const at = new Date().toISOString();
    const to: AgentStatus = this.state.status === 'ACTIVE' ? 'SUSPENDED' : this.state.status;
    const details = kind === 'SUSPENDED' ? { tokensRevokedBefore: at } : undefined;
    const { name, id } = this.record(kind, to, actor, reason, { revokedBefore: at }, details);
    this.notifyOwner(
      kind === 'SUSPENDED'
        ? `Agent ${name} was suspended and logged out everywhere`
        : `Agent ${name} was logged out everywhere`,
      `Every token of agent ${name} (${id}) issued before ${at} is revoked and the agent is ${to}. Reason: ${reason.trim()} (by ${describeActor(actor)}).`,
    );
    this.outbox.push({
      kind: 'session-revoked',
      agentId: id,
      to: [],
      subject: 'session-revoked',
      text: reason.trim(),
      at,
    });
    return this.state;
  }

  /**
   * The directory's view: search attributes and memo (what lists and token checks read without a worker),
   * and the details the Temporal UI shows.
   */
  publish(): void {
    const state = this.state;
    const sources = raisedSources(state.discovery ?? null);
    upsertSearchAttributes([
      ...this.accessStamp(),
      { key: AgentId, value: state.id },
      { key: AgentName, value: state.name },
      { key: AgentStatusAttribute, value: state.status },
      { key: AgentOwner, value: state.ownerEmail ?? null },
      { key: AgentPlatform, value: state.platform },
      { key: AgentLastSeen, value: state.discovery ? new Date(state.discovery.lastSeenAt) : null },
      { key: DiscoverySources, value: sources.length ? sources : null },
    ]);
    upsertMemo(agentMemo(state));
    this.published = state;
    setCurrentDetails(detailsOf(state));
  }

  /**
   * API processes learn of access changes from visibility (AgentAccessChangedAt) rather than re-reading
   * every agent they serve. Each run stamps its first view afresh, and a stamp is strictly later than the
   * one before it, so no two versions share one.
   */
  private accessStamp() {
    const { name, platform, ownerEmail, status } = this.state;
    const key = JSON.stringify([name, platform, ownerEmail, status, accessOf(this.state)]);
    if (key === this.accessKey) return [];
    this.accessKey = key;
    this.accessChangedAt = Math.max(Date.now(), this.accessChangedAt + 1);
    return [{ key: AgentAccessChangedAt, value: new Date(this.accessChangedAt) }];
  }
}

function detailsOf(state: AgentState): string {
  const { credential, successor, discovery } = state;
  const last = state.events.at(-1);
  return [
    `**${state.status}** · owner: ${state.ownerEmail ?? '_none (shadow agent)_'} · platform: ${state.platform}`,
    credential
      ? `Credential ${credential.kid} expires ${credential.expiresAt}${successor ? ` · successor ${successor.kid} issued` : ''}`
      : '',
    state.revokedBefore ? `Tokens issued before ${state.revokedBefore} are revoked.` : '',
    discovery
      ? `Discovered by sweep ${discovery.discoveredBySweep} · last seen ${discovery.lastSeenAt} · ` +
        `${discovery.findings.length} finding(s) from ${[...new Set(discovery.findings.map((f) => f.sourceName))].join(', ')}` +
        `${discovery.proposedOwnerEmail ? ` · proposed owner ${discovery.proposedOwnerEmail}` : ''}`
      : '',
    last ? `Last change: ${last.kind} by ${describeActor(last.actor)} at ${last.at} — ${last.reason}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** The actor a change is recorded under: who the verified statement says asked. */
export const actorOf = (by: StatementPrincipal): Actor => ({ kind: by.kind, id: by.id });
