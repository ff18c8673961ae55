/** What every resolver sees: the authenticated principal and the service layer. */
import type { Principal } from './auth/principal.js';
import type { ActionService } from './services/actions.js';
import type { AuditLog } from './services/audit-log.js';
import type { Commands } from '../services/commands.js';
import type { AgentDirectory } from './services/agent-directory.js';
import type { DiscoveryService } from './services/discovery.js';
import type { PeopleDirectory } from './services/people-directory.js';
import type { SigningKeys } from '../services/signing-keys.js';
import type { ToolRegistry } from './services/tool-registry.js';

export interface Services {
  agents: AgentDirectory;
  people: PeopleDirectory;
  tools: ToolRegistry;
  signingKeys: SigningKeys;
  commands: Commands;
  actions: ActionService;
  discovery: DiscoveryService;
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
