/** Who is calling Warden's MCP endpoint, and what the endpoint's parts need. */
import type { CredentialSettings } from '../../config/config.js';
import type { ToolState } from '../../domain/tools.js';
import type { AgentTokens } from '../auth/agent-tokens.js';
import type { Services } from '../context.js';
import type { AuditLog } from '../services/audit-log.js';

/** What the endpoint verified about a request, handed to the per-request MCP server. */
export interface Caller {
  agentId: string;
  /** The access token's id (never the token). */
  jti: string;
  tool: ToolState;
  sourceIp: string | undefined;
}

export interface McpEndpointDeps {
  services: Services;
  agentTokens: AgentTokens;
  audit: AuditLog;
  settings: CredentialSettings;
  publicUrl: string;
  /** How long a held call waits for a person before it answers "held for approval". */
  approvalWaitMs: number;
}
