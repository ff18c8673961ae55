/**
 * Sensitive actions: what an agent asks to do, how Warden decided, and who approved. Pure data and
 * validation, safe inside workflows.
 */
import type { ApprovalRoute, ApprovalVote } from './approval-policy.js';
import type { Sensitivity } from './tools.js';

export const ACTION_DECISIONS = ['ALLOW', 'REVIEW', 'DENY'] as const;
export type ActionDecision = (typeof ACTION_DECISIONS)[number];

export const ACTION_STATUSES = [
  'PENDING_DECISION',
  'ALLOWED',
  'PENDING_APPROVAL',
  'APPROVED',
  'DENIED',
  'EXPIRED',
] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const FINAL_STATUSES: readonly ActionStatus[] = ['ALLOWED', 'APPROVED', 'DENIED', 'EXPIRED'];

export interface ActionRequestInput {
  tool: string;
  operation: string;
  resourceId?: string | null;
  /** Records or items touched. */
  volume: number;
  /** Money, where it applies. */
  amount: number;
  justification: string;
  idempotencyKey: string;
  context: Record<string, string>;
  /** Set by Warden's MCP endpoint: the one `tools/call` this decision is for. */
  call?: McpCallBinding;
}

/**
 * The exact MCP call a decision is bound to: the MCP tool and the SHA-256 (base64url) of the canonical
 * JSON (RFC 8785) of its arguments. The arguments themselves are never recorded.
 */
export interface McpCallBinding {
  mcpTool: string;
  argumentsSha256: string;
}

/** How an MCP call's action is found again (the McpCall search attribute): tool, MCP tool, argument hash. */
export function mcpCallKey(tool: string, call: McpCallBinding): string {
  return `${tool}:${call.mcpTool}:${call.argumentsSha256}`;
}

export interface RiskReason {
  signal: string;
  contribution: number;
  detail: string;
}

export interface ActionGrant {
  token: string;
  audience: string;
  scope: string[];
  expiresAt: string;
}

/**
 * A grant as a deciding workflow records it for an action allowed outright: everything but the signature.
 * The API signs it when it hands it out, deterministically, so every answer carries the same token and no
 * token is ever in Temporal's history. `kid` names the signing key, `iat`/`exp` are seconds since the epoch.
 */
export interface RecordedGrant {
  kid: string;
  issuer: string;
  jti: string;
  iat: number;
  exp: number;
}

/**
 * Shape only (the API that offers one is Warden's own): names, and a whole-second lifetime that ends after it starts.
 */
export function isRecordedGrant(value: unknown): value is RecordedGrant {
  if (typeof value !== 'object' || value === null) return false;
  const g = value as Record<string, unknown>;
  const text = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 256;
  return (
    text(g.kid) &&
    text(g.issuer) &&
    text(g.jti) &&
    Number.isSafeInteger(g.iat) &&
    Number.isSafeInteger(g.exp) &&
    (g.exp as number) > (g.iat as number)
  );
}

export interface ActionApproval {
  deadline: string;
  /** Who cast the vote that ended it (the last approval of a quorum, or a denial). */
  decidedBy: string | null;
  decision: 'APPROVE' | 'DENY' | 'EXPIRE' | null;
  comment: string | null;
  decidedAt: string | null;
  /** How the routing policy routed it: who decides, how many, escalation, deadline. */
  route: ApprovalRoute;
  /** When it was held (escalations count from here). */
  heldAt: string;
  /** The escalation level reached: route.tiers[0..level] may decide. */
  level: number;
  /** Every approval and denial, in order. */
  votes: ApprovalVote[];
}

export interface ActionRecord {
  id: string;
  agentId: string;
  agentName: string;
  platform: string;
  ownerEmail: string | null;
  tool: string;
  toolResource: string;
  operation: string;
  sensitivity: Sensitivity;
  /** Whether the operation is in the agent's allowed set. */
  allowedOutright: boolean;
  resourceId: string | null;
  volume: number;
  amount: number;
  justification: string;
  context: Record<string, string>;
  idempotencyKey: string;
  requestedAt: string;
  decision: ActionDecision | null;
  status: ActionStatus;
  risk: { score: number; reasons: RiskReason[] } | null;
  /**
   * True when the decision contains the agent: suspended, and every token it was issued up to the decision
   * refused from the answer on (the agent's workflow records it right after the answer).
   */
  contained: boolean;
  approval: ActionApproval | null;
  /**
   * The grant's terms once ALLOWED or APPROVED (key id, issuer, `jti`, lifetime) — never a token: the API
   * signs them when it hands the grant to the requesting agent, the same grant every time.
   */
  recordedGrant: RecordedGrant | null;
  decidedAt: string | null;
  /** Set on the workflow that records this action. */
  workflowId: string;
  /** Actions asked for by an MCP `tools/call` through Warden: the call they are bound to. */
  call?: McpCallBinding;
}

/** A person's decision on a held action. Who decides, and with what authority, the signed statement says. */
export interface ApprovalRequest {
  comment: string;
}

export const ACTION_LIMITS = {
  maxVolume: 1_000_000_000,
  maxAmount: 1_000_000_000_000,
  justificationMax: 2000,
  idempotencyKeyMax: 128,
  contextEntries: 20,
  contextKeyMax: 64,
  contextValueMax: 256,
  resourceIdMax: 256,
  commentMax: 1000,
} as const;

const KEY = /^[A-Za-z0-9._:-]{1,128}$/;
const CONTEXT_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export function validateActionInput(input: ActionRequestInput): string[] {
  const p: string[] = [];
  if (!Number.isInteger(input.volume) || input.volume < 0 || input.volume > ACTION_LIMITS.maxVolume)
    p.push(`volume must be a whole number from 0 to ${ACTION_LIMITS.maxVolume}`);
  if (!Number.isFinite(input.amount) || input.amount < 0 || input.amount > ACTION_LIMITS.maxAmount)
    p.push(`amount must be from 0 to ${ACTION_LIMITS.maxAmount}`);
  if (input.justification.length > ACTION_LIMITS.justificationMax)
    p.push(`justification must be at most ${ACTION_LIMITS.justificationMax} characters`);
  if (!KEY.test(input.idempotencyKey)) p.push('idempotencyKey must be 1 to 128 letters, digits, ".", "_", ":" or "-"');
  if (
    input.resourceId != null &&
    (input.resourceId.length === 0 || input.resourceId.length > ACTION_LIMITS.resourceIdMax)
  )
    p.push(`resourceId must be 1 to ${ACTION_LIMITS.resourceIdMax} characters`);
  if (
    input.call !== undefined &&
    (typeof input.call?.mcpTool !== 'string' ||
      input.call.mcpTool.length > 128 ||
      !/^[A-Za-z0-9_-]{43}$/.test(String(input.call.argumentsSha256)))
  )
    p.push('call must name an MCP tool and the SHA-256 of its arguments');
  const entries = Object.entries(input.context);
  if (entries.length > ACTION_LIMITS.contextEntries)
    p.push(`context may have at most ${ACTION_LIMITS.contextEntries} entries`);
  for (const [k, v] of entries) {
    if (!CONTEXT_KEY.test(k)) p.push(`context key "${k.slice(0, 40)}" must be a simple name`);
    if (typeof v !== 'string' || v.length > ACTION_LIMITS.contextValueMax)
      p.push(
        `context value of ${k.slice(0, 40)} must be a string of at most ${ACTION_LIMITS.contextValueMax} characters`,
      );
  }
  return p;
}

export function actionWorkflowId(actionId: string): string {
  return `action:${actionId}`;
}

/**
 * An action's workflow memo, the list view (no grant, no justification): what the API's action lists show
 * without a query each — including what approvers' lists show, so a list never has to ask each workflow
 * (one that is slow to answer would fail the whole list).
 */
export function actionMemo(action: ActionRecord): Record<string, unknown> {
  return {
    agentName: action.agentName,
    tool: action.tool,
    operation: action.operation,
    sensitivity: action.sensitivity,
    volume: action.volume,
    amount: action.amount,
    status: action.status,
    decision: action.decision,
    score: action.risk?.score ?? null,
    requestedAt: action.requestedAt,
    decidedAt: action.decidedAt,
    approval: action.approval,
    contained: action.contained,
    resourceId: action.resourceId,
  };
}

/** What makes a request the same request: a retry with its idempotency key must ask exactly this again. */
export function sameRequest(
  a: ActionRequestInput,
  b: Pick<
    ActionRecord,
    'tool' | 'operation' | 'resourceId' | 'volume' | 'amount' | 'justification' | 'context' | 'call'
  >,
): boolean {
  const terms = (x: typeof b) =>
    JSON.stringify([
      x.tool,
      x.operation,
      x.resourceId ?? null,
      x.volume,
      x.amount,
      x.justification,
      Object.entries(x.context ?? {}).sort(([k1], [k2]) => k1.localeCompare(k2)),
      x.call ? [x.call.mcpTool, x.call.argumentsSha256] : null,
    ]);
  return terms({ ...a, resourceId: a.resourceId ?? null }) === terms(b);
}
