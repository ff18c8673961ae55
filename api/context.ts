/** What every resolver sees: the authenticated principal and the service layer. */
import type { ApprovalStanding } from './services/approval-standing.js';
import type { Principal } from './auth/principal.js';
import type { ActionCommands } from './services/action-commands.js';
import type { ActionDirectory } from './services/action-directory.js';
import type { AuditLog } from './services/audit-log.js';
import type { Commands } from '../services/commands.js';
import type { AgentAccess } from './services/agent-access.js';
import type { AgentCommands } from './services/agent-commands.js';
import type { AgentDirectory } from './services/agent-directory.js';
import type { DiscoveryService } from './services/discovery.js';
import type { PeopleDirectory } from './services/people-directory.js';
import type { SigningKeys } from '../services/signing-keys.js';
import type { ToolRegistry } from './services/tool-registry.js';
import type { UpstreamCredentials } from './mcp/credentials.js';
import type { McpUpstreams } from './mcp/upstream.js';

export interface Services {
  /** Reading agents: their state, lists, what a decision needs. */
  agents: AgentDirectory;
  /** Changing agents: registration, claims and every command on their workflows. */
  agentCommands: AgentCommands;
  /** This process's view of each agent's access (token checks, routing), kept within the revocation bound. */
  agentAccess: AgentAccess;
  people: PeopleDirectory;
  tools: ToolRegistry;
  signingKeys: SigningKeys;
  commands: Commands;
  /** Reading actions: who sees and who decides which, lists, subscriptions. */
  actions: ActionDirectory;
  /** Requesting and deciding actions, and signing their grants. */
  actionCommands: ActionCommands;
  /** Where a person stands on held actions: may they decide, which wait for them. */
  approvalStanding: ApprovalStanding;
  discovery: DiscoveryService;
  /** Warden as a client of the MCP servers registered as tools, and the credentials it presents to them. */
  mcpUpstreams: McpUpstreams;
  upstreamCredentials: UpstreamCredentials;
}

export interface WardenContext {
  principal: Principal;
  services: Services;
  audit: AuditLog;
  /**
   * The caller as their token says now, or null once it has expired or been revoked (an agent logged out,
   * a person's roles re-read): for anything that outlives the request, such as a subscription.
   */
  reauthenticate(): Promise<Principal | null>;
}
