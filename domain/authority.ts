/**
 * Who may command what, as the workflows enforce it on a verified statement (tokens/statements.ts).
 * The GraphQL layer declares the same rules as auth scopes so a caller hears "no" before anything reaches
 * Temporal; these are the rules that hold when someone goes around the API. Pure: workflows import this.
 */
import type { Delegator } from './approval-policy.js';
import type { Role } from './people.js';

export type PrincipalKind = 'human' | 'agent' | 'system';

/** Who a verified statement says asked (tokens/statements.ts verifies it). */
export interface StatementPrincipal {
  kind: PrincipalKind;
  id: string;
  roles: Role[];
  agentOwner: string | null;
  /** People who delegated their approvals to this person, when the statement was signed. */
  delegators?: Delegator[];
}

export interface CommandRule {
  /** People with any of these roles (read when the statement was signed). */
  roles: readonly Role[];
  /** The agent's current owner (a person). */
  owner?: boolean;
  /** The agent itself. */
  self?: boolean;
  /** Warden acting on its own authority (containment, an approved action's resumption, the seed). */
  system?: boolean;
}

export const AGENT_COMMANDS = {
  suspendAgent: { roles: ['admin', 'security'], owner: true, system: true },
  resumeAgent: { roles: ['admin'], system: true },
  decommissionAgent: { roles: ['admin'] },
  transferAgentOwnership: { roles: ['admin'] },
  universalLogout: { roles: ['admin', 'security'], owner: true, system: true },
  rotateCredential: { roles: ['admin'], owner: true },
  collectSuccessor: { roles: [], self: true },
  setAllowedTools: { roles: ['admin'] },
  revokeToken: { roles: [], self: true },
  claimAgent: { roles: ['admin'] },
  dismissFinding: { roles: ['admin', 'security'] },
  setRiskPolicy: { roles: ['admin'] },
} as const satisfies Record<string, CommandRule>;
export type AgentCommand = keyof typeof AGENT_COMMANDS;

export const PERSON_COMMANDS = { upsertPerson: { roles: ['admin'], system: true } } as const satisfies Record<
  string,
  CommandRule
>;
export const TOOL_COMMANDS = {
  registerTool: { roles: ['admin'] },
  rotateToolSecret: { roles: ['admin'] },
  acceptToolDefinition: { roles: ['admin'] },
} as const satisfies Record<string, CommandRule>;
export const SIGNING_KEY_COMMANDS = { rotateSigningKeys: { roles: ['admin'], system: true } } as const satisfies Record<
  string,
  CommandRule
>;

export interface AuthorityFacts {
  /** The agent's owner now (the agent's workflow holds it; an action's learns it from the statement). */
  ownerEmail?: string | null;
  /** The agent's id, for commands an agent may make about itself. */
  agentId?: string;
}

/** null when the principal may issue the command; otherwise why not, in words. */
export function refusalFor(rule: CommandRule, by: StatementPrincipal, facts: AuthorityFacts = {}): string | null {
  if (by.kind === 'system') return rule.system ? null : 'Warden does not make this change on its own authority.';
  if (by.kind === 'agent')
    return rule.self && facts.agentId !== undefined && by.id === facts.agentId
      ? null
      : 'An agent may not make this change.';
  if (rule.roles.some((role) => by.roles.includes(role))) return null;
  if (rule.owner && facts.ownerEmail && by.id === facts.ownerEmail) return null;
  const who = [...rule.roles.map((r) => `the ${r} role`), ...(rule.owner ? ["the agent's owner"] : [])];
  return who.length
    ? `Only ${who.join(' or ')} may make this change; ${by.id} may not.`
    : `${by.id} may not make this change.`;
}
