/** Tools: what agents connect to (an MCP server, a SaaS API), their operations and how they trust grants. */

export const SENSITIVITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/**
 * WARDEN_JWT: the tool verifies grants itself against Warden's JWKS.
 * VAULTED_SECRET: the tool only knows a static secret; agents call it through Warden's HTTP gateway, which
 * checks the grant and injects the vaulted secret.
 * MCP: an MCP server agents reach through Warden's MCP endpoint (`<public URL>/mcp/<tool>`): every
 * `tools/call` is decided like `requestAction`, then forwarded with the upstream credential Warden holds.
 */
export const AUTH_MODES = ['WARDEN_JWT', 'VAULTED_SECRET', 'MCP'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/**
 * How Warden authenticates to an MCP upstream: not at all, with a vaulted secret in a header, or with a
 * grant it signs for the upstream's audience (the tool's `resource`), bound to the one call it forwards.
 * The agent's own token never goes upstream.
 */
export const MCP_UPSTREAM_AUTH = ['NONE', 'VAULTED_SECRET', 'WARDEN_GRANT'] as const;
export type McpUpstreamAuth = (typeof MCP_UPSTREAM_AUTH)[number];

/** An MCP tool as its upstream defines it (`tools/list`); what is pinned and compared. */
export interface McpToolDefinition {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

/** A definition Warden trusts: the first one seen (at registration), or one an admin accepted later. */
export interface PinnedDefinition {
  name: string;
  /** SHA-256 (base64url) of the definition's canonical JSON. */
  sha256: string;
  definition: McpToolDefinition;
  pinnedAt: string;
  pinnedBy: string;
}

/** A definition the upstream changed (or a tool it added): hidden and refused until an admin accepts it. */
export interface QuarantinedDefinition {
  name: string;
  sha256: string;
  definition: McpToolDefinition;
  /** The pinned definition it differs from; null for a tool that was not there before. */
  pinnedSha256: string | null;
  /** What changed, for people: `description`, `inputSchema`, `annotations`, … or `new tool`. */
  changes: string[];
  seenAt: string;
}

export interface McpSettings {
  upstreamAuth: McpUpstreamAuth;
  /** Where agents connect: `<public URL>/mcp/<tool>` (their tokens' audience, RFC 8707). */
  endpoint: string;
  pinned: PinnedDefinition[];
  quarantined: QuarantinedDefinition[];
}

/** MCP tool names (the specification's guidance: 1–128 of A–Z a–z 0–9 _ - .). */
export const MCP_TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** An MCP tool's default sensitivity, from its annotations (hints, which only ever raise scrutiny here). */
export function sensitivityFromAnnotations(annotations: Record<string, unknown> | undefined): Sensitivity {
  if (annotations?.readOnlyHint === true) return 'LOW';
  if (annotations?.destructiveHint === true) return 'HIGH';
  return 'MEDIUM';
}

export interface ToolOperation {
  name: string;
  sensitivity: Sensitivity;
  /**
   * Gateway tools: the HTTP requests this operation covers — a method and a path pattern under the
   * tool (`*` matches one path segment, `{resource}` one segment naming the resource, a trailing `**`
   * any rest). A request that matches no operation of a gateway tool is refused.
   */
  method?: string | null;
  path?: string | null;
  /** Gateway tools: the query parameters this operation accepts; a request carrying any other is refused. */
  query?: string[] | null;
  /**
   * MCP tools: JSON Pointers (RFC 6901) into a call's arguments that say how much it moves — records
   * (`volumePointer`), money (`amountPointer`) — and what it touches (`resourcePointer`).
   */
  volumePointer?: string | null;
  amountPointer?: string | null;
  resourcePointer?: string | null;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const PATH_PATTERN = /^\/[A-Za-z0-9._~\-/*{}:@]*$/;
const QUERY_NAME = /^[A-Za-z0-9_.\-[\]]{1,64}$/;

export type GatewayPathProblem =
  'empty-segment' | 'dot-segment' | 'encoded-separator' | 'bad-encoding' | 'bad-character';

/**
 * A gateway path (under the tool) as one canonical list of segments, or why it is refused. An upstream
 * would normalise what this refuses — empty segments (`//`), dot segments (`.`, `..`, also encoded),
 * encoded separators (`%2F`, `%5C`) or a backslash — so two spellings of one path could be matched by
 * two different operations here; strictness keeps what is checked the path that is forwarded.
 */
export function gatewaySegments(path: string): { segments: string[] } | { problem: GatewayPathProblem } {
  if (!path.startsWith('/')) return { problem: 'bad-character' };
  if (path === '/') return { segments: [] };
  const raw = path.slice(1).split('/');
  const segments: string[] = [];
  for (const segment of raw) {
    if (segment === '') return { problem: 'empty-segment' };
    if (/[\\\x00-\x20\x7f#?]/.test(segment)) return { problem: 'bad-character' };
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { problem: 'bad-encoding' };
    }
    if (decoded === '.' || decoded === '..') return { problem: 'dot-segment' };
    if (/[/\\]/.test(decoded)) return { problem: 'encoded-separator' };
    if (/[\x00-\x1f\x7f]/.test(decoded)) return { problem: 'bad-encoding' };
    segments.push(segment);
  }
  return { segments };
}

/** Which operation of a tool covers an HTTP request to `path` (relative to the tool), if any. */
export function matchOperation(operations: ToolOperation[], method: string, path: string): ToolOperation | undefined {
  return operations.find(
    (op) => op.method && op.path && op.method === method.toUpperCase() && pathMatches(op.path, path),
  );
}

export function pathMatches(pattern: string, path: string): boolean {
  return resourceInPath(pattern, path) !== false;
}

/**
 * Matches `path` against `pattern`, segment for segment (a path the gateway refuses never matches);
 * `{resource}` matches one segment and names the resource the request touches. Returns false (no match),
 * null (a match naming no resource) or the resource.
 */
export function resourceInPath(pattern: string, path: string): string | null | false {
  const parsed = gatewaySegments(path);
  if (!('segments' in parsed)) return false;
  const have = parsed.segments;
  const want = pattern.split('/').filter(Boolean);
  let resource: string | null = null;
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '**') return i === want.length - 1 ? resource : false;
    if (i >= have.length) return false;
    if (want[i] === '{resource}') {
      resource = decodeURIComponent(have[i]!);
      continue;
    }
    if (want[i] !== '*' && want[i] !== have[i]) return false;
  }
  return want.length === have.length ? resource : false;
}

/** The query parameters a request carries that its operation does not accept (empty: all accepted). */
export function unexpectedQuery(operation: ToolOperation, search: URLSearchParams): string[] {
  const allowed = new Set(operation.query ?? []);
  return [...new Set([...search.keys()])].filter((name) => !allowed.has(name));
}

export interface VaultedSecretRef {
  /** The upstream's id for this secret (from the rotation endpoint), or "initial". */
  id: string;
  /** AES-256-GCM envelope (vault/envelope.ts SealedSecret). */
  sealed: unknown;
  createdAt: string;
}

export interface ToolVault {
  current: VaultedSecretRef;
  /** The secret being replaced: still valid upstream until `revokeAt` (the grace period). */
  previous: (VaultedSecretRef & { revokeAt: string }) | null;
  /** The upstream's rotation endpoint (docs/operations.md, the rotation contract); none = no automatic rotation. */
  rotationUrl: string | null;
  rotationIntervalMs: number;
  graceMs: number;
  rotatedAt: string;
  rotations: number;
  /** Last failure of a rotation attempt, for people to see; cleared on success. */
  lastError: string | null;
}

export interface ToolState {
  name: string;
  resource: string;
  description: string;
  operations: ToolOperation[];
  authMode: AuthMode;
  /** VAULTED_SECRET: where the gateway forwards to, and how it presents the secret. */
  upstreamUrl: string | null;
  secretHeader: string;
  secretPrefix: string;
  vault: ToolVault | null;
  /** MCP tools: the endpoint agents use, and the upstream's tool definitions Warden pinned or quarantined. */
  mcp: McpSettings | null;
  /** SHA-256 (base64url) of the tool's client secret, with which it calls introspection (RFC 7662). */
  clientSecretDigest: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

export interface ToolRegistration {
  name: string;
  resource: string;
  description: string;
  operations: ToolOperation[];
  authMode: AuthMode;
  upstreamUrl?: string | null;
  secretHeader?: string | null;
  secretPrefix?: string | null;
  /** MCP tools: how Warden authenticates to the upstream. */
  upstreamAuth?: McpUpstreamAuth | null;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const OPERATION = /^[a-z][a-z0-9_.:-]{0,63}$/;
const HEADER = /^[A-Za-z0-9-]{1,64}$/;

export function toolWorkflowId(name: string): string {
  return `tool:${name}`;
}

export function isValidToolName(name: string): boolean {
  return NAME.test(name);
}

export function isValidOperationName(name: string): boolean {
  return OPERATION.test(name);
}

function isHttpUrl(value: string, field: string, problems: string[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${field} must be an absolute URL`);
    return;
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local))
    problems.push(`${field} must use https (http only for localhost)`);
  if (url.hash) problems.push(`${field} must not have a fragment`);
  if (url.username || url.password) problems.push(`${field} must not carry credentials`);
}

export function validateToolRegistration(input: ToolRegistration): string[] {
  const problems: string[] = [];
  if (!NAME.test(input.name))
    problems.push('name must be 1 to 63 lowercase letters, digits or "-" (e.g. "erp", "bank-api")');
  isHttpUrl(input.resource, 'resource', problems);
  if (input.description.length > 2000) problems.push('description must be at most 2000 characters');
  // An MCP tool's operations are its upstream's tools (seen at registration): the list may start empty.
  if ((input.operations.length === 0 && input.authMode !== 'MCP') || input.operations.length > 100)
    problems.push('a tool needs 1 to 100 operations');
  const names = new Set<string>();
  const mcp = input.authMode === 'MCP';
  for (const op of input.operations) {
    if (mcp ? !MCP_TOOL_NAME.test(op.name) : !OPERATION.test(op.name))
      problems.push(
        mcp
          ? `operation "${op.name.slice(0, 64)}" must be an MCP tool name (1 to 128 of A-Z a-z 0-9 _ - .)`
          : `operation "${op.name.slice(0, 64)}" must be lowercase letters, digits, "_", ".", ":" or "-"`,
      );
    for (const [field, pointer] of [
      ['volumePointer', op.volumePointer],
      ['amountPointer', op.amountPointer],
      ['resourcePointer', op.resourcePointer],
    ] as const) {
      if (pointer === undefined || pointer === null) continue;
      if (!mcp) problems.push(`operation ${op.name}: ${field} is for MCP tools`);
      else if (!isJsonPointer(pointer))
        problems.push(`operation ${op.name}: ${field} must be a JSON Pointer like /limit`);
    }
    if (!(SENSITIVITIES as readonly string[]).includes(op.sensitivity))
      problems.push(`operation ${op.name.slice(0, 64)}: unknown sensitivity`);
    if (names.has(op.name)) problems.push(`operation ${op.name} is listed twice`);
    if (op.method && !METHODS.includes(op.method))
      problems.push(`operation ${op.name}: method must be one of ${METHODS.join(', ')}`);
    if (op.path && (!PATH_PATTERN.test(op.path) || op.path.length > 256 || op.path.includes('..')))
      problems.push(`operation ${op.name}: path must be a pattern like /invoices/* or /transfers/**`);
    if (Boolean(op.method) !== Boolean(op.path))
      problems.push(`operation ${op.name}: give both method and path, or neither`);
    if (input.authMode === 'VAULTED_SECRET' && !(op.method && op.path))
      problems.push(`operation ${op.name}: a gateway (VAULTED_SECRET) tool's operations need method and path`);
    if (op.query && (!op.path || op.query.length > 32 || op.query.some((q) => !QUERY_NAME.test(q))))
      problems.push(
        `operation ${op.name}: query must list at most 32 parameter names (letters, digits, "_", ".", "-", "[]"), for an operation with a path`,
      );
    names.add(op.name);
  }
  if (!(AUTH_MODES as readonly string[]).includes(input.authMode))
    problems.push('authMode must be WARDEN_JWT, VAULTED_SECRET or MCP');
  if (input.authMode === 'VAULTED_SECRET' || mcp) {
    if (!input.upstreamUrl) problems.push(`a ${input.authMode} tool needs upstreamUrl (where Warden forwards to)`);
    else isHttpUrl(input.upstreamUrl, 'upstreamUrl', problems);
  }
  if (mcp && !(MCP_UPSTREAM_AUTH as readonly string[]).includes(input.upstreamAuth ?? ''))
    problems.push('an MCP tool needs upstreamAuth: NONE, VAULTED_SECRET or WARDEN_GRANT');
  if (!mcp && input.upstreamAuth) problems.push('upstreamAuth is for MCP tools');
  if (input.secretHeader && !HEADER.test(input.secretHeader)) problems.push('secretHeader must be an HTTP header name');
  if (input.secretPrefix && input.secretPrefix.length > 32) problems.push('secretPrefix must be at most 32 characters');
  return problems;
}

/** The associated data a tool's vaulted secret is bound to: it opens for this tool only. */
export const toolSecretAad = (tool: string) => `tool-secret:${tool}`;

/** A JSON Pointer (RFC 6901): empty, or `/`-separated tokens where `~` only escapes `~0` and `~1`. */
export function isJsonPointer(pointer: string): boolean {
  return pointer.length <= 256 && (pointer === '' || /^(\/([^~/]|~[01])*)+$/.test(pointer));
}

/** The value a JSON Pointer names in `document`, or undefined when it names nothing. */
export function readJsonPointer(document: unknown, pointer: string): unknown {
  if (!isJsonPointer(pointer)) return undefined;
  let value: unknown = document;
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value) && /^(0|[1-9][0-9]*)$/.test(token)) value = value[Number(token)];
    else if (value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, token))
      value = (value as Record<string, unknown>)[token];
    else return undefined;
  }
  return value;
}

/** An MCP tool's endpoint: where agents connect, and the audience their tokens carry. */
export function mcpEndpoint(publicUrl: string, tool: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/mcp/${tool}`;
}
