/**
 * The agent lifecycle as plain data and functions: which transitions exist, what an agent's state
 * holds, and how input is checked. The lifecycle workflow applies these; nothing here does I/O, so it
 * runs unchanged inside the workflow sandbox and in unit tests.
 */

export const AGENT_STATUSES = ['DISCOVERED', 'ACTIVE', 'SUSPENDED', 'DECOMMISSIONED'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export type AgentEventKind =
  | 'REGISTERED'
  | 'CREDENTIAL_ROTATION_STARTED'
  | 'CREDENTIAL_ROTATED'
  | 'CREDENTIAL_ROTATION_MISSED'
  | 'UNIVERSAL_LOGOUT'
  | 'ALLOWED_TOOLS_CHANGED'
  | 'RISK_POLICY_CHANGED'
  | 'DISCOVERED'
  | 'CLAIMED'
  | 'FINDING_DISMISSED'
  | 'SUSPENDED'
  | 'RESUMED'
  | 'DECOMMISSIONED'
  | 'OWNER_TRANSFERRED';

/** Who did something: a person (by email), an agent, or Warden itself. */
export interface Actor {
  kind: 'human' | 'agent' | 'system';
  id: string;
}

export interface AgentEvent {
  kind: AgentEventKind;
  at: string;
  actor: Actor;
  reason: string;
  fromStatus: AgentStatus | null;
  toStatus: AgentStatus;
  /** Extra facts, e.g. the previous and new owner of a transfer. */
  details?: Record<string, string>;
}

export interface AgentState {
  id: string;
  name: string;
  platform: string;
  description: string;
  status: AgentStatus;
  ownerEmail: string | null;
  statusReason: string;
  createdAt: string;
  updatedAt: string;
  /** Most recent events, oldest first; the full record is the workflow history and the audit trail. */
  events: AgentEvent[];
  /** The key the agent signs client assertions with (null for a shadow agent). */
  credential: AgentCredential | null;
  /** A successor during a rotation's overlap window. */
  successor: PendingSuccessor | null;
  /** Universal logout: every token issued at or before this instant is refused. */
  revokedBefore: string | null;
  /** Single tokens revoked (RFC 7009), kept until they would have expired anyway. */
  revokedTokens: { jti: string; expiresAtMs: number }[];
  /** Tools (by name) and the operations on each that this agent may be granted. */
  allowedTools: AllowedTool[];
  credentialPolicy: CredentialPolicy;
  /** What discovery has seen of this agent (absent for an agent never seen by a sweep). */
  discovery?: AgentDiscovery | null;
}

export interface AllowedTool {
  tool: string;
  operations: string[];
}

import type { AgentCredential, CredentialPolicy, Jwk, PendingSuccessor } from './credentials.js';
import type { AgentDiscovery } from './discovery.js';

/** Events kept in workflow state; older ones stay in history (and, later, the audit trail). */
export const MAX_EVENTS_IN_STATE = 200;

/** The lifecycle: DISCOVERED → ACTIVE ⇄ SUSPENDED, and any live state → DECOMMISSIONED (terminal). */
const TRANSITIONS: Record<AgentStatus, readonly AgentStatus[]> = {
  DISCOVERED: ['ACTIVE', 'DECOMMISSIONED'],
  ACTIVE: ['SUSPENDED', 'DECOMMISSIONED'],
  SUSPENDED: ['ACTIVE', 'DECOMMISSIONED'],
  DECOMMISSIONED: [],
};

export function canTransition(from: AgentStatus, to: AgentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** A sentence for a refused transition, naming what would be allowed instead. */
export function transitionRefusal(agentId: string, from: AgentStatus, to: AgentStatus): string {
  const allowed = TRANSITIONS[from];
  const next = allowed.length ? `from ${from} it can only become ${allowed.join(' or ')}` : `${from} is final`;
  return `Agent ${agentId} is ${from} and cannot become ${to}: ${next}.`;
}

export const LIMITS = {
  nameMax: 120,
  platformMax: 64,
  descriptionMax: 2000,
  reasonMax: 500,
} as const;

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._\-/:@()]*$/u;
const PLATFORM = /^[a-z0-9][a-z0-9._-]*$/;

export interface AgentRegistration {
  name: string;
  platform: string;
  description: string;
  ownerEmail: string;
}

export function validateAgentRegistration(input: AgentRegistration): string[] {
  const problems: string[] = [];
  const name = input.name.trim();
  if (name.length === 0 || name.length > LIMITS.nameMax)
    problems.push(`name must be 1 to ${LIMITS.nameMax} characters`);
  else if (!NAME.test(name)) problems.push('name may contain letters, digits, spaces and . _ - / : @ ( ) only');
  if (input.platform.length === 0 || input.platform.length > LIMITS.platformMax || !PLATFORM.test(input.platform)) {
    problems.push(
      `platform must be 1 to ${LIMITS.platformMax} lowercase letters, digits, '.', '_' or '-' (e.g. "vertex-ai", "bedrock", "custom")`,
    );
  }
  if (input.description.length > LIMITS.descriptionMax)
    problems.push(`description must be at most ${LIMITS.descriptionMax} characters`);
  return problems;
}

export function validateReason(reason: unknown): string[] {
  if (typeof reason !== 'string') return ['a reason is required'];
  const trimmed = reason.trim();
  if (trimmed.length === 0) return ['a reason is required'];
  if (trimmed.length > LIMITS.reasonMax) return [`reason must be at most ${LIMITS.reasonMax} characters`];
  return [];
}

/** Agent ids are UUIDs chosen by Warden; anything else is refused before it reaches Temporal. */
const AGENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isValidAgentId(id: string): boolean {
  return AGENT_ID.test(id);
}

export function agentWorkflowId(agentId: string): string {
  return `agent:${agentId}`;
}

/** Returns a new state with the event applied; the caller has already checked the transition. */
export function applyEvent(state: AgentState, event: AgentEvent, patch: Partial<AgentState> = {}): AgentState {
  const events = [...state.events, event];
  return {
    ...state,
    ...patch,
    status: event.toStatus,
    statusReason: event.reason,
    updatedAt: event.at,
    events: events.length > MAX_EVENTS_IN_STATE ? events.slice(events.length - MAX_EVENTS_IN_STATE) : events,
  };
}

export function describeActor(actor: Actor): string {
  return actor.kind === 'system' ? 'Warden' : `${actor.kind} ${actor.id}`;
}

/** What token checks need to know of an agent, published in its workflow's memo (public keys and token ids only). */
export interface AgentAccessView {
  revokedBefore: string | null;
  revokedTokens: string[];
  allowedTools: AllowedTool[];
  /** The current key and a successor in its overlap window. */
  keys: { kid: string; publicJwk: Jwk; expiresAt: string }[];
  /** A successor's kid while the agent has not used it yet. */
  successorNotTakenUp: string | null;
}

/**
 * The agent's workflow memo: what lists and token checks read with visibility or DescribeWorkflowExecution
 * (no worker, no replay). Set when the workflow starts and re-published on every change. The access view
 * holds public keys and token ids only — nothing secret.
 */
// A type, not an interface: memos are Record<string, unknown> to the SDK.
export type AgentMemo = Pick<
  AgentState,
  'name' | 'platform' | 'description' | 'status' | 'ownerEmail' | 'statusReason' | 'createdAt' | 'updatedAt'
> & {
  lastSeenAt: string | null;
  proposedOwnerEmail: string | null;
  access: AgentAccessView;
};

export function agentMemo(state: AgentState): AgentMemo {
  return {
    name: state.name,
    platform: state.platform,
    description: state.description,
    status: state.status,
    ownerEmail: state.ownerEmail,
    statusReason: state.statusReason,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    lastSeenAt: state.discovery?.lastSeenAt ?? null,
    proposedOwnerEmail: state.discovery?.proposedOwnerEmail ?? null,
    access: accessOf(state),
  };
}

export function accessOf(state: AgentState, nowMs = Date.now()): AgentAccessView {
  return {
    revokedBefore: state.revokedBefore,
    revokedTokens: state.revokedTokens.filter((t) => t.expiresAtMs > nowMs).map((t) => t.jti),
    allowedTools: state.allowedTools,
    keys: [state.credential, state.successor]
      .filter((c) => c !== null)
      .map((c) => ({ kid: c.kid, publicJwk: c.publicJwk, expiresAt: c.expiresAt })),
    successorNotTakenUp: state.successor && !state.successor.takenUpAt ? state.successor.kid : null,
  };
}

/**
 * A memo as Warden writes it (agentMemo). Anything else — a workflow someone else started, whose memo the
 * codec marks foreign — is not an agent of this deployment.
 */
export function isAgentMemo(memo: unknown): memo is AgentMemo {
  const m = memo as Partial<Record<keyof AgentMemo, unknown>> | null | undefined;
  return (
    typeof m?.name === 'string' &&
    typeof m.platform === 'string' &&
    typeof m.status === 'string' &&
    (AGENT_STATUSES as readonly string[]).includes(m.status) &&
    typeof m.access === 'object' &&
    m.access !== null &&
    Array.isArray((m.access as AgentAccessView).keys)
  );
}
