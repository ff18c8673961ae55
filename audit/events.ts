/* eslint-disable max-lines -- one OCSF mapping for every audit kind, in one place so each kind maps alike. */
/**
 * Warden's audit events: an OCSF 1.6.0 event (the `data`) inside a CloudEvents 1.0 structured JSON
 * envelope. Pure data, no Node APIs, so the types (and, given an explicit `id`, the builder) are safe in
 * workflow code; chaining (SHA-256) lives in ./chain.ts.
 *
 * OCSF class per kind — each event says who (actor.user / user / entity), what (api, resources, entity,
 * privileges), why (risk_score, risk_details, policy, authorizations, action_id, disposition_id), when
 * (time) and which Temporal workflow (unmapped.warden.workflow_id / run_id; metadata.correlation_uid ties
 * every record about one action together):
 *
 * - action.decided — API Activity (6003), activity Create/Read/Update/Delete/Other from the operation;
 *   actor the agent; api = tool + operation, resources = the tool's resource and the agent (with its owner).
 * - action.approved, action.denied — Entity Management (3004), Update (3); actor the approver; entity = the
 *   action request.
 * - action.expired — Entity Management (3004), Update (3); actor Warden (system); entity = the action request.
 * - action.voted — Entity Management (3004), Update (3); actor the approver; one approval of a quorum that is
 *   not complete yet, with the capacities it counted in (owner, security, …) and whom it spoke for.
 * - action.escalated — Entity Management (3004), Update (3); actor Warden; the next tier of deciders was
 *   notified and may decide.
 * - agent.contained — Entity Management (3004), Suspend (12); actor Warden or a person; entity = the agent.
 * - agent.resumed — Entity Management (3004), Resume (13); actor the person; entity = the agent.
 * - agent.logout — Authentication (3002), Logoff (2); actor who triggered it; user = the agent.
 * - token.issued / token.refused — Authentication (3002), Logon (1), OAuth 2.0; actor the agent; user = the
 *   agent, service = Warden.
 * - grant.issued / grant.refused — Authorize Session (3003), Assign Privileges (1); actor the agent (or the
 *   delegating person); user = the agent, privileges = the operations.
 * - mcp.call — API Activity (6003) from the operation; actor the agent; api = `tools/call` on the MCP tool,
 *   with the argument hash (never the arguments), Warden's decision, the upstream's outcome and the latency.
 * - person.delegated / person.delegation_ended — Entity Management (3004), Create (1) / Delete (4); actor the
 *   person (or admin) who changed it; entity = the delegation of the delegator's approvals to the delegate.
 * - tool.definition.quarantined — Entity Management (3004), Update (3); actor Warden; entity = the MCP tool's
 *   definition, with what changed and the old and new hashes.
 *
 * The decision itself is the Security Control profile (in OCSF's base event): `action_id` (Allowed /
 * Denied / Other for REVIEW), `disposition_id` (Allowed, Blocked, Delayed, Approved, Rejected, Access
 * Revoked, Unauthorized), `is_alert`, `policy`, `risk_score` / `risk_level_id` / `risk_details`.
 * Agents are OCSF users of type Service (4); people are type User (1); Warden itself is System (3).
 * OCSF has no field for "the human who owns this service account", so the owner is the `owner` of the
 * agent's resource entry (API Activity), in the entity's `data` (Entity Management), and always in
 * `unmapped.warden.owner_email`. `unmapped.warden` is a flat, class-independent view of every Warden fact
 * (kind, agent, owner, approver, tool, operation, volume, amount, decision, status, score, reasons,
 * policy, action id, workflow id, run id) so consumers need not know each class.
 */

export const OCSF_VERSION = '1.6.0';
export const WARDEN_PRODUCT = { name: 'Warden', vendor_name: 'Warden', uid: 'warden' } as const;

// ---------------------------------------------------------------------------------------------------
// Input

export type AuditDecision = 'ALLOW' | 'REVIEW' | 'DENY';

/** Who did something: a person (by email), an agent, or Warden itself (same shape as domain `Actor`). */
export interface AuditActor {
  kind: 'human' | 'agent' | 'system';
  id: string;
}

export interface AuditReason {
  signal: string;
  contribution: number;
  detail: string;
}

/** Fields every kind may carry. Kind-specific required fields are in the union members below. */
export interface AuditInputCommon {
  agentId: string;
  agentName?: string;
  ownerEmail?: string | null;
  /** Who performed the activity this record describes. */
  actor: AuditActor;
  /** One sentence a person understands. */
  message: string;
  tool?: string;
  /** An operation, or for grants the granted scope (space-separated operations). */
  operation?: string;
  /** The tool operation's HTTP method, when known (maps API Activity to Create/Read/Update/Delete). */
  httpMethod?: string | null;
  volume?: number;
  amount?: number;
  resourceId?: string | null;
  decision?: AuditDecision;
  /** The action's status after this event (ActionStatus), or the agent's (AgentStatus). */
  status?: string;
  score?: number;
  reasons?: AuditReason[];
  /** Policy id (and optionally a version after '@', e.g. "default@3"). */
  policy?: string;
  /** Email of the person who approved or denied. */
  approver?: string;
  /** The capacities the approver decided in (owner, a role, their own address), per the routing policy. */
  approverCapacities?: string[];
  /** People whose delegated approvals the approver used. */
  onBehalfOf?: string[];
  /** Every vote of the action's approval so far (resolved and voted records). */
  votes?: { by: string; capacities: string[]; onBehalfOf: string[]; decision: string; at: string }[];
  comment?: string;
  workflowId?: string;
  runId?: string;
  actionId?: string;
  /** `jti` of a token or grant (an identifier, never the token). */
  jti?: string;
  /** Where the request came from, when known. */
  sourceIp?: string;
}

export interface ActionDecidedInput extends AuditInputCommon {
  kind: 'action.decided';
  tool: string;
  operation: string;
  decision: AuditDecision;
  actionId: string;
}

export interface ActionApprovalInput extends AuditInputCommon {
  kind: 'action.approved' | 'action.denied';
  tool: string;
  operation: string;
  actionId: string;
  approver: string;
}

export interface ActionVotedInput extends AuditInputCommon {
  kind: 'action.voted';
  tool: string;
  operation: string;
  actionId: string;
  approver: string;
}

export interface ActionEscalatedInput extends AuditInputCommon {
  kind: 'action.escalated';
  tool: string;
  operation: string;
  actionId: string;
  /** The escalation level reached, and who may decide from now on. */
  level: number;
  deciders: string[];
}

export interface ActionExpiredInput extends AuditInputCommon {
  kind: 'action.expired';
  tool: string;
  operation: string;
  actionId: string;
}

/** Containment: the agent is suspended and every token it held is revoked. */
export interface AgentContainedInput extends AuditInputCommon {
  kind: 'agent.contained';
}

export interface AgentResumedInput extends AuditInputCommon {
  kind: 'agent.resumed';
}

/** Universal logout: every token and grant of the agent dies at once. */
export interface AgentLogoutInput extends AuditInputCommon {
  kind: 'agent.logout';
}

export interface TokenInput extends AuditInputCommon {
  kind: 'token.issued' | 'token.refused';
}

export interface GrantInput extends AuditInputCommon {
  kind: 'grant.issued' | 'grant.refused';
}

/**
 * A request refused for want of proof or authority: an authenticated caller asking for what their roles
 * or ownership do not cover, or a command reaching a workflow without a valid signed statement (forged,
 * replayed, unsigned, unencrypted). `agentId` is the agent concerned, or `warden` for the platform itself.
 */
export interface AccessDeniedInput extends AuditInputCommon {
  kind: 'access.denied';
  /** What was asked for: a GraphQL field, an Update or Signal name, an HTTP route. */
  operation: string;
  /** The stable code of the refusal (UNAUTHENTICATED, FORBIDDEN, …). */
  code: string;
}

/** A person handed their approvals to another for a window, or took them back (`agentId` is `warden`). */
export interface PersonDelegationInput extends AuditInputCommon {
  kind: 'person.delegated' | 'person.delegation_ended';
  delegator: string;
  delegate: string;
  from?: string;
  until?: string;
}

/** One MCP `tools/call` through Warden's endpoint: what was asked, decided and answered. */
export interface McpCallInput extends AuditInputCommon {
  kind: 'mcp.call';
  tool: string;
  /** The MCP tool (the Warden operation it maps to). */
  operation: string;
  /** SHA-256 (base64url) of the canonical JSON of the call's arguments. */
  argumentsSha256: string;
  /** `forwarded`, or why not: `refused`, `denied`, `held`, `failed`. */
  outcome: 'forwarded' | 'refused' | 'denied' | 'held' | 'failed';
  /** The upstream's answer: `ok`, `tool_error` (isError), a JSON-RPC error code, or why it gave none. */
  upstreamStatus?: string;
  latencyMs: number;
}

/** An MCP upstream changed a tool's definition (or added one): quarantined until an admin accepts it. */
export interface DefinitionQuarantinedInput extends AuditInputCommon {
  kind: 'tool.definition.quarantined';
  tool: string;
  operation: string;
  changes: string[];
  pinnedSha256: string | null;
  seenSha256: string;
}

export type AuditInput =
  | McpCallInput
  | DefinitionQuarantinedInput
  | ActionDecidedInput
  | ActionApprovalInput
  | ActionVotedInput
  | ActionEscalatedInput
  | ActionExpiredInput
  | AgentContainedInput
  | AgentResumedInput
  | AgentLogoutInput
  | TokenInput
  | GrantInput
  | AccessDeniedInput
  | PersonDelegationInput;

export type AuditKind = AuditInput['kind'];

export const AUDIT_KINDS: readonly AuditKind[] = [
  'action.decided',
  'action.approved',
  'action.denied',
  'action.expired',
  'action.voted',
  'action.escalated',
  'person.delegated',
  'person.delegation_ended',
  'agent.contained',
  'agent.resumed',
  'agent.logout',
  'token.issued',
  'token.refused',
  'grant.issued',
  'grant.refused',
  'access.denied',
  'mcp.call',
  'tool.definition.quarantined',
];

/** The CloudEvents `type` of each kind: `io.warden.<kind>`. */
export type AuditEventType = `io.warden.${AuditKind}`;

export function auditEventType(kind: AuditKind): AuditEventType {
  return `io.warden.${kind}`;
}

// ---------------------------------------------------------------------------------------------------
// OCSF shapes (the subset Warden emits)

export interface OcsfUser {
  uid: string;
  name?: string;
  email_addr?: string;
  type_id: 0 | 1 | 2 | 3 | 4 | 99;
  type: string;
}

export interface OcsfPolicy {
  uid: string;
  name: string;
  version?: string;
  is_applied?: boolean;
}

export interface OcsfMetadata {
  version: string;
  product: { name: string; vendor_name: string; uid: string; version?: string };
  uid: string;
  event_code: AuditKind;
  log_name: string;
  profiles: string[];
  correlation_uid?: string;
  tenant_uid?: string;
}

export interface WardenUnmapped {
  kind: AuditKind;
  agent_id: string;
  agent_name?: string;
  owner_email?: string;
  actor: AuditActor;
  approver?: string;
  tool?: string;
  operation?: string;
  resource_id?: string;
  volume?: number;
  amount?: number;
  decision?: AuditDecision;
  status?: string;
  score?: number;
  reasons?: AuditReason[];
  policy?: string;
  comment?: string;
  action_id?: string;
  workflow_id?: string;
  run_id?: string;
  jti?: string;
  /** access.denied: the stable code of the refusal. */
  code?: string;
  /** mcp.call: the argument hash, what became of the call, the upstream's answer and the latency. */
  arguments_sha256?: string;
  outcome?: string;
  upstream_status?: string;
  latency_ms?: number;
  /** Approvals: the capacities the approver decided in, whom they spoke for, and every vote so far. */
  approver_capacities?: string[];
  on_behalf_of?: string[];
  votes?: { by: string; capacities: string[]; onBehalfOf: string[]; decision: string; at: string }[];
  /** action.escalated: the level reached and who may decide now. */
  escalation_level?: number;
  deciders?: string[];
  /** person.delegated / person.delegation_ended: whose approvals, to whom, for when. */
  delegator?: string;
  delegate?: string;
  from?: string;
  until?: string;
  /** tool.definition.quarantined: what changed, and the pinned and seen hashes. */
  changes?: string[];
  pinned_sha256?: string | null;
  seen_sha256?: string;
}

/** Attributes every Warden OCSF event has. */
export interface OcsfEventBase {
  category_uid: 3 | 6;
  category_name: string;
  class_uid: 3002 | 3003 | 3004 | 6003;
  class_name: string;
  activity_id: number;
  activity_name: string;
  type_uid: number;
  type_name: string;
  time: number;
  severity_id: 1 | 2 | 3 | 4 | 5;
  severity: string;
  status_id: 0 | 1 | 2 | 99;
  status: string;
  status_detail?: string;
  message: string;
  metadata: OcsfMetadata;
  actor: { user: OcsfUser; app_name?: string };
  // Security Control profile
  action_id: 0 | 1 | 2 | 3 | 4 | 99;
  action: string;
  disposition_id: number;
  disposition: string;
  is_alert: boolean;
  policy?: OcsfPolicy;
  authorizations?: { decision: string; policy?: OcsfPolicy }[];
  risk_score?: number;
  risk_level_id?: 0 | 1 | 2 | 3 | 4;
  risk_level?: string;
  risk_details?: string;
  unmapped: { warden: WardenUnmapped };
  // class-specific (present per class as in the table above)
  api?: {
    operation: string;
    service: { name: string; uid?: string };
    request?: { uid: string };
    response?: { code?: number; error?: string; message: string };
  };
  resources?: { uid: string; name?: string; type: string; owner?: OcsfUser; data?: Record<string, unknown> }[];
  src_endpoint?: { uid?: string; name?: string; ip?: string };
  /** API Activity: how long the call took, in milliseconds. */
  duration?: number;
  dst_endpoint?: { svc_name?: string; uid?: string; name?: string };
  entity?: OcsfManagedEntity;
  entity_result?: OcsfManagedEntity;
  comment?: string;
  user?: OcsfUser;
  service?: { name: string; uid?: string };
  auth_protocol_id?: number;
  auth_protocol?: string;
  session?: { uid?: string; issuer?: string; expiration_reason?: string };
  privileges?: string[];
}

export interface OcsfManagedEntity {
  uid: string;
  name?: string;
  type_id: 2 | 99;
  type: string;
  user?: OcsfUser;
  data?: Record<string, unknown>;
}

export type OcsfEvent = OcsfEventBase;

// ---------------------------------------------------------------------------------------------------
// CloudEvents envelope

/** A CloudEvents 1.0 event (structured JSON mode) before it is chained. */
export interface AuditEventUnchained {
  specversion: '1.0';
  id: string;
  /** `urn:warden:<deployment>` */
  source: string;
  type: AuditEventType;
  time: string;
  /** The agent's id. */
  subject: string;
  datacontenttype: 'application/json';
  /** The OCSF class's schema page, e.g. https://schema.ocsf.io/1.6.0/classes/api_activity */
  dataschema: string;
  data: OcsfEvent;
}

/** A chained audit event: the Warden extension attributes make the trail tamper-evident (./chain.ts). */
export interface ChainedAuditEvent extends AuditEventUnchained {
  /** 1, 2, 3, … without gaps. */
  wardenseq: number;
  /** `wardenhash` of the previous event (GENESIS_HASH for the first). */
  wardenprevhash: string;
  /** SHA-256 (hex) of the canonical JSON of this event without `wardenhash`. */
  wardenhash: string;
}

export interface AuditEventOptions {
  /** The CloudEvents id; default a random UUID. Pass a deterministic one (e.g. from the workflow id and
   *  the step) when a retried activity may build the same event twice, so receivers can dedupe. */
  id?: string;
  /** Names the source `urn:warden:<deployment>`; default "default". */
  deployment?: string;
  /** Warden's version, for metadata.product.version. */
  productVersion?: string;
}

// ---------------------------------------------------------------------------------------------------
// Builder

const SEVERITY = ['Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical'] as const;
const RISK_LEVEL = ['Info', 'Low', 'Medium', 'High', 'Critical'] as const;
const ACTION_NAME = { 0: 'Unknown', 1: 'Allowed', 2: 'Denied', 3: 'Observed', 4: 'Modified', 99: 'Other' } as const;
const DISPOSITION = {
  1: 'Allowed',
  2: 'Blocked',
  8: 'Approved',
  14: 'Delayed',
  24: 'Access Revoked',
  25: 'Rejected',
  26: 'Unauthorized',
  99: 'Other',
} as const;
type DispositionId = keyof typeof DISPOSITION;

const CLASSES = {
  6003: { name: 'API Activity', category: 6, categoryName: 'Application Activity', schema: 'api_activity' },
  3002: { name: 'Authentication', category: 3, categoryName: 'Identity & Access Management', schema: 'authentication' },
  3003: {
    name: 'Authorize Session',
    category: 3,
    categoryName: 'Identity & Access Management',
    schema: 'authorize_session',
  },
  3004: {
    name: 'Entity Management',
    category: 3,
    categoryName: 'Identity & Access Management',
    schema: 'entity_management',
  },
} as const;
type ClassUid = keyof typeof CLASSES;

const API_ACTIVITY = { 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete', 99: 'Other' } as const;

/** API Activity's activity from the HTTP method when known, else from the operation's leading verb. */
export function apiActivityId(operation: string, httpMethod?: string | null): 1 | 2 | 3 | 4 | 99 {
  switch (httpMethod?.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      return 2;
    case 'POST':
      return 1;
    case 'PUT':
    case 'PATCH':
      return 3;
    case 'DELETE':
      return 4;
  }
  const verb =
    operation
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .split(/[^a-z]+/)
      .find(Boolean) ?? '';
  if (/^(read|get|list|fetch|search|query|view|export|download|describe|lookup)$/.test(verb)) return 2;
  if (/^(create|add|new|insert|post|upload|send|submit|issue|wire|transfer|pay)$/.test(verb)) return 1;
  if (/^(update|set|modify|edit|patch|put|change|adjust|rename)$/.test(verb)) return 3;
  if (/^(delete|remove|destroy|purge|erase|drop)$/.test(verb)) return 4;
  return 99;
}

/** OCSF risk level from a 0–100 score. */
export function riskLevelId(score: number): 0 | 1 | 2 | 3 | 4 {
  if (score >= 90) return 4;
  if (score >= 70) return 3;
  if (score >= 40) return 2;
  if (score >= 15) return 1;
  return 0;
}

function severityFor(
  kind: AuditKind,
  decision: AuditDecision | undefined,
  score: number | undefined,
): 1 | 2 | 3 | 4 | 5 {
  const fromScore = score === undefined ? 1 : (Math.min(5, riskLevelId(score) + 1) as 1 | 2 | 3 | 4 | 5);
  let floor: 1 | 2 | 3 | 4 | 5 = 1;
  if (kind === 'agent.contained') floor = 4;
  else if (
    kind === 'agent.logout' ||
    kind === 'action.denied' ||
    kind === 'grant.refused' ||
    kind === 'token.refused' ||
    kind === 'access.denied'
  )
    floor = 3;
  else if (kind === 'tool.definition.quarantined') floor = 4;
  else if (kind === 'action.escalated') floor = 3;
  else if (kind === 'mcp.call' && decision !== undefined && decision !== 'ALLOW') floor = 3;
  else if (kind === 'action.decided' && decision === 'DENY') floor = 3;
  else if (kind === 'action.decided' && decision === 'REVIEW') floor = 3;
  return Math.max(floor, fromScore) as 1 | 2 | 3 | 4 | 5;
}

function person(email: string): OcsfUser {
  return { uid: email, name: email, email_addr: email, type_id: 1, type: 'User' };
}

function agentUser(input: AuditInput): OcsfUser {
  return { uid: input.agentId, ...(input.agentName ? { name: input.agentName } : {}), type_id: 4, type: 'Service' };
}

function actorUser(input: AuditInput): OcsfUser {
  const a = input.actor;
  if (a.kind === 'human') return person(a.id);
  if (a.kind === 'system') return { uid: a.id, name: 'Warden', type_id: 3, type: 'System' };
  if (a.id === input.agentId) return agentUser(input);
  return { uid: a.id, type_id: 4, type: 'Service' };
}

function policyOf(policy: string | undefined): OcsfPolicy | undefined {
  if (!policy) return undefined;
  const at = policy.lastIndexOf('@');
  const [uid, version] = at > 0 ? [policy.slice(0, at), policy.slice(at + 1)] : [policy, undefined];
  return { uid, name: uid, ...(version ? { version } : {}), is_applied: true };
}

/** Drops `undefined` properties, so what is hashed is exactly what JSON stores. */
function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

interface Outcome {
  actionId: 0 | 1 | 2 | 3 | 4 | 99;
  action?: string;
  disposition: DispositionId;
  statusId: 0 | 1 | 2 | 99;
  status?: string;
  alert: boolean;
}

function outcomeOf(input: AuditInput): Outcome {
  switch (input.kind) {
    case 'action.decided':
      if (input.decision === 'ALLOW') return { actionId: 1, disposition: 1, statusId: 1, alert: false };
      if (input.decision === 'DENY') return { actionId: 2, disposition: 2, statusId: 2, alert: true };
      return {
        actionId: 99,
        action: 'Held for approval',
        disposition: 14,
        statusId: 99,
        status: 'Pending approval',
        alert: true,
      };
    case 'action.approved':
      return { actionId: 1, disposition: 8, statusId: 1, alert: false };
    case 'action.denied':
      return { actionId: 2, disposition: 25, statusId: 1, alert: false };
    case 'action.expired':
      return { actionId: 2, disposition: 2, statusId: 1, alert: false };
    case 'action.voted':
      return {
        actionId: 99,
        action: 'Approval recorded',
        disposition: 14,
        statusId: 99,
        status: 'Pending approval',
        alert: false,
      };
    case 'action.escalated':
      return {
        actionId: 99,
        action: 'Escalated',
        disposition: 14,
        statusId: 99,
        status: 'Pending approval',
        alert: true,
      };
    case 'agent.contained':
      return { actionId: 2, disposition: 24, statusId: 1, alert: true };
    case 'agent.resumed':
      return { actionId: 1, disposition: 1, statusId: 1, alert: false };
    case 'agent.logout':
      return { actionId: 2, disposition: 24, statusId: 1, alert: true };
    case 'token.issued':
    case 'grant.issued':
      return { actionId: 1, disposition: 1, statusId: 1, alert: false };
    case 'token.refused':
    case 'grant.refused':
      return { actionId: 2, disposition: 26, statusId: 2, alert: false };
    case 'access.denied':
      return { actionId: 2, disposition: 2, statusId: 2, alert: true };
    case 'mcp.call':
      if (input.outcome === 'forwarded')
        return { actionId: 1, disposition: 1, statusId: input.upstreamStatus === 'ok' ? 1 : 2, alert: false };
      if (input.outcome === 'held')
        return {
          actionId: 99,
          action: 'Held for approval',
          disposition: 14,
          statusId: 99,
          status: 'Pending approval',
          alert: true,
        };
      if (input.outcome === 'failed') return { actionId: 1, disposition: 1, statusId: 2, alert: false };
      return { actionId: 2, disposition: 2, statusId: 2, alert: true };
    case 'tool.definition.quarantined':
      return { actionId: 2, disposition: 2, statusId: 1, alert: true };
    case 'person.delegated':
    case 'person.delegation_ended':
      return { actionId: 1, disposition: 1, statusId: 1, alert: false };
  }
}

const STATUS_NAME = { 0: 'Unknown', 1: 'Success', 2: 'Failure', 99: 'Other' } as const;

/** The agent-side facts of an action request, as OCSF resource/entity data. */
function requestData(input: AuditInput): Record<string, unknown> {
  return compact({
    agent_id: input.agentId,
    owner_email: input.ownerEmail ?? undefined,
    tool: input.tool,
    operation: input.operation,
    resource_id: input.resourceId ?? undefined,
    volume: input.volume,
    amount: input.amount,
  });
}

function classPart(input: AuditInput): {
  classUid: ClassUid;
  activityId: number;
  activityName: string;
  fields: Partial<OcsfEventBase>;
} {
  const agent = agentUser(input);
  const srcEndpoint = compact({ uid: input.agentId, name: input.agentName, ip: input.sourceIp });
  switch (input.kind) {
    case 'action.decided': {
      const activityId = apiActivityId(input.operation, input.httpMethod);
      const owner = input.ownerEmail ? person(input.ownerEmail) : undefined;
      return {
        classUid: 6003,
        activityId,
        activityName: activityId === 99 ? input.operation : API_ACTIVITY[activityId],
        fields: {
          api: { operation: input.operation, service: { name: input.tool }, request: { uid: input.actionId } },
          resources: [
            compact({
              uid: input.resourceId ?? `${input.tool}:${input.operation}`,
              name: input.tool,
              type: 'Tool Resource',
              data: compact({ operation: input.operation, volume: input.volume, amount: input.amount }),
            }),
            compact({ uid: input.agentId, name: input.agentName, type: 'AI Agent', owner }),
          ],
          src_endpoint: srcEndpoint,
          dst_endpoint: { svc_name: input.tool },
        },
      };
    }
    case 'action.approved':
    case 'action.denied':
    case 'action.voted':
    case 'action.escalated':
    case 'action.expired': {
      const entity: OcsfManagedEntity = {
        uid: input.actionId,
        name: `${input.tool} ${input.operation}`,
        type_id: 99,
        type: 'Warden Action Request',
        data: requestData(input),
      };
      const result =
        input.kind === 'action.approved'
          ? 'APPROVED'
          : input.kind === 'action.denied'
            ? 'DENIED'
            : input.kind === 'action.expired'
              ? 'EXPIRED'
              : 'PENDING_APPROVAL';
      return {
        classUid: 3004,
        activityId: 3,
        activityName: 'Update',
        fields: compact({
          entity,
          entity_result: { ...entity, data: { ...entity.data, status: input.status ?? result } },
          comment: input.comment,
        }),
      };
    }
    case 'agent.contained':
    case 'agent.resumed': {
      const entity: OcsfManagedEntity = compact({
        uid: input.agentId,
        name: input.agentName,
        type_id: 2 as const,
        type: 'User',
        user: agent,
        data: compact({ owner_email: input.ownerEmail ?? undefined }),
      });
      const status = input.status ?? (input.kind === 'agent.contained' ? 'SUSPENDED' : 'ACTIVE');
      return {
        classUid: 3004,
        activityId: input.kind === 'agent.contained' ? 12 : 13,
        activityName: input.kind === 'agent.contained' ? 'Suspend' : 'Resume',
        fields: compact({
          entity,
          entity_result: {
            ...entity,
            data: { ...entity.data, status, ...(input.kind === 'agent.contained' ? { tokens_revoked: true } : {}) },
          },
          comment: input.comment,
        }),
      };
    }
    case 'agent.logout':
    case 'token.issued':
    case 'token.refused': {
      const logout = input.kind === 'agent.logout';
      return {
        classUid: 3002,
        activityId: logout ? 2 : 1,
        activityName: logout ? 'Logoff' : 'Logon',
        fields: {
          user: agent,
          service: { name: 'Warden', uid: 'warden-oauth' },
          auth_protocol_id: 6,
          auth_protocol: 'OAUTH 2.0',
          src_endpoint: srcEndpoint,
          ...(logout
            ? { session: { expiration_reason: 'Universal logout: every token and grant of the agent revoked' } }
            : input.jti
              ? { session: { uid: input.jti, issuer: 'warden' } }
              : {}),
        },
      };
    }
    case 'access.denied':
      return {
        classUid: 6003,
        activityId: 99,
        activityName: input.operation,
        fields: compact({
          api: {
            operation: input.operation,
            service: { name: 'Warden', uid: input.workflowId ?? 'warden-api' },
            response: { code: 403, error: input.code, message: input.message },
          },
          src_endpoint: srcEndpoint,
          dst_endpoint: compact({ svc_name: input.workflowId ?? 'warden-api' }),
        }),
      };
    case 'mcp.call': {
      const activityId = apiActivityId(input.operation);
      return {
        classUid: 6003,
        activityId,
        activityName: activityId === 99 ? input.operation : API_ACTIVITY[activityId],
        fields: compact({
          api: compact({
            operation: 'tools/call',
            service: { name: input.tool },
            request: compact({ uid: input.actionId ?? input.jti ?? input.argumentsSha256 }),
            response: compact({
              code: input.upstreamStatus === 'ok' ? 200 : undefined,
              error: input.upstreamStatus === 'ok' ? undefined : input.upstreamStatus,
              message: input.message,
            }),
          }),
          resources: [
            compact({
              uid: input.resourceId ?? `${input.tool}:${input.operation}`,
              name: input.operation,
              type: 'MCP Tool',
              data: compact({ arguments_sha256: input.argumentsSha256, volume: input.volume, amount: input.amount }),
            }),
          ],
          src_endpoint: srcEndpoint,
          dst_endpoint: { svc_name: input.tool },
          duration: input.latencyMs,
        }),
      };
    }
    case 'tool.definition.quarantined': {
      const entity: OcsfManagedEntity = {
        uid: `${input.tool}:${input.operation}`,
        name: input.operation,
        type_id: 99,
        type: 'MCP Tool Definition',
        data: { tool: input.tool, sha256: input.pinnedSha256 },
      };
      return {
        classUid: 3004,
        activityId: 3,
        activityName: 'Update',
        fields: {
          entity,
          entity_result: {
            ...entity,
            data: { tool: input.tool, sha256: input.seenSha256, quarantined: true, changes: input.changes },
          },
        },
      };
    }
    case 'person.delegated':
    case 'person.delegation_ended': {
      const entity: OcsfManagedEntity = {
        uid: `${input.delegator}>${input.delegate}`,
        name: `Approvals of ${input.delegator} to ${input.delegate}`,
        type_id: 99,
        type: 'Warden Approval Delegation',
        data: compact({ delegator: input.delegator, delegate: input.delegate, from: input.from, until: input.until }),
      };
      const created = input.kind === 'person.delegated';
      return {
        classUid: 3004,
        activityId: created ? 1 : 4,
        activityName: created ? 'Create' : 'Delete',
        fields: { entity, user: person(input.delegate) },
      };
    }
    case 'grant.issued':
    case 'grant.refused':
      return {
        classUid: 3003,
        activityId: 1,
        activityName: 'Assign Privileges',
        fields: compact({
          user: agent,
          privileges: (input.operation ?? '').split(/\s+/).filter(Boolean),
          session: input.jti ? { uid: input.jti, issuer: 'warden' } : undefined,
          dst_endpoint: input.tool ? compact({ svc_name: input.tool, uid: input.resourceId ?? undefined }) : undefined,
          src_endpoint: srcEndpoint,
        }),
      };
  }
}

function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (!c?.randomUUID) throw new Error('auditEvent: no crypto.randomUUID here; pass options.id');
  return c.randomUUID();
}

/**
 * Builds the CloudEvents envelope with its OCSF `data` for one audit fact. Pure apart from the default
 * random id; `now` is the event time (use Temporal's clock in workflow code).
 */
export function auditEvent(input: AuditInput, now: Date, options: AuditEventOptions = {}): AuditEventUnchained {
  if (!input.agentId) throw new TypeError('auditEvent: agentId is required');
  if (Number.isNaN(now.getTime())) throw new TypeError('auditEvent: invalid time');
  const id = options.id ?? randomId();
  const deployment = options.deployment ?? 'default';
  const { classUid, activityId, activityName, fields } = classPart(input);
  const cls = CLASSES[classUid];
  const outcome = outcomeOf(input);
  const severityId = severityFor(input.kind, input.decision, input.score);
  const policy = policyOf(input.policy);
  const reasons = input.reasons?.map((r) => ({ signal: r.signal, contribution: r.contribution, detail: r.detail }));
  const decisionLabel =
    input.kind === 'action.decided'
      ? input.decision
      : input.kind === 'action.approved'
        ? 'APPROVED'
        : input.kind === 'action.denied'
          ? 'DENIED'
          : input.kind === 'action.expired'
            ? 'EXPIRED'
            : undefined;

  const unmapped: WardenUnmapped = compact({
    kind: input.kind,
    agent_id: input.agentId,
    agent_name: input.agentName,
    owner_email: input.ownerEmail ?? undefined,
    actor: { kind: input.actor.kind, id: input.actor.id },
    approver: input.approver,
    approver_capacities: input.approverCapacities,
    on_behalf_of: input.onBehalfOf?.length ? input.onBehalfOf : undefined,
    votes: input.votes?.length ? input.votes : undefined,
    ...(input.kind === 'action.escalated' ? { escalation_level: input.level, deciders: input.deciders } : {}),
    tool: input.tool,
    operation: input.operation,
    resource_id: input.resourceId ?? undefined,
    volume: input.volume,
    amount: input.amount,
    decision: input.decision,
    status: input.status,
    score: input.score,
    reasons,
    policy: input.policy,
    comment: input.comment,
    action_id: input.actionId,
    workflow_id: input.workflowId,
    run_id: input.runId,
    jti: input.jti,
    code: input.kind === 'access.denied' ? input.code : undefined,
    ...(input.kind === 'mcp.call'
      ? {
          arguments_sha256: input.argumentsSha256,
          outcome: input.outcome,
          upstream_status: input.upstreamStatus,
          latency_ms: input.latencyMs,
        }
      : {}),
    ...(input.kind === 'tool.definition.quarantined'
      ? { changes: input.changes, pinned_sha256: input.pinnedSha256, seen_sha256: input.seenSha256 }
      : {}),
    ...(input.kind === 'person.delegated' || input.kind === 'person.delegation_ended'
      ? { delegator: input.delegator, delegate: input.delegate, from: input.from, until: input.until }
      : {}),
  });

  const data: OcsfEvent = compact({
    category_uid: cls.category,
    category_name: cls.categoryName,
    class_uid: classUid,
    class_name: cls.name,
    activity_id: activityId,
    activity_name: activityName,
    type_uid: classUid * 100 + activityId,
    type_name: `${cls.name}: ${activityName}`,
    time: now.getTime(),
    severity_id: severityId,
    severity: SEVERITY[severityId],
    status_id: outcome.statusId,
    status: outcome.status ?? STATUS_NAME[outcome.statusId],
    // Entity Management carries a person's words in `comment`; elsewhere they explain the status.
    status_detail: classUid === 3004 ? undefined : input.comment,
    message: input.message,
    metadata: compact({
      version: OCSF_VERSION,
      product: compact({ ...WARDEN_PRODUCT, version: options.productVersion }),
      uid: id,
      event_code: input.kind,
      log_name: 'warden-audit',
      profiles: ['security_control'],
      correlation_uid: input.actionId ?? input.workflowId,
      tenant_uid: deployment,
    }),
    actor: {
      user: actorUser(input),
      app_name: input.actor.kind === 'agent' ? (input.agentName ?? input.agentId) : undefined,
    },
    action_id: outcome.actionId,
    action: outcome.action ?? ACTION_NAME[outcome.actionId],
    disposition_id: outcome.disposition,
    disposition: DISPOSITION[outcome.disposition],
    is_alert: outcome.alert,
    policy,
    authorizations: decisionLabel ? [compact({ decision: decisionLabel, policy })] : undefined,
    risk_score: input.score === undefined ? undefined : Math.round(input.score),
    risk_level_id: input.score === undefined ? undefined : riskLevelId(input.score),
    risk_level: input.score === undefined ? undefined : RISK_LEVEL[riskLevelId(input.score)],
    risk_details: reasons?.length
      ? reasons.map((r) => `${r.signal} (${r.contribution >= 0 ? '+' : ''}${r.contribution}): ${r.detail}`).join('; ')
      : undefined,
    ...fields,
    unmapped: { warden: unmapped },
  });
  data.actor = compact(data.actor);

  return {
    specversion: '1.0',
    id,
    source: `urn:warden:${deployment}`,
    type: auditEventType(input.kind),
    time: now.toISOString(),
    subject: input.agentId,
    datacontenttype: 'application/json',
    dataschema: `https://schema.ocsf.io/${OCSF_VERSION}/classes/${cls.schema}`,
    data,
  };
}

/** The action id an event is about, if any. */
export function auditActionId(event: AuditEventUnchained): string | undefined {
  return event.data?.unmapped?.warden?.action_id;
}
