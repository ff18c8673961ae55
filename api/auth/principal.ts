/**
 * Who is calling: a person (token from an OIDC issuer) or an agent (access token from Warden's own token
 * endpoint). Authorization scopes are computed from the principal, never from raw claims.
 */
import type { Actor } from '../../domain/agents.js';
import type { Role } from '../../domain/people.js';

export interface HumanPrincipal {
  kind: 'human';
  /** `sub` of the token. */
  subject: string;
  email: string;
  roles: Role[];
  /** `jti` of the token, when it had one (for audit). */
  tokenId?: string;
}

export interface AgentPrincipal {
  kind: 'agent';
  subject: string;
  agentId: string;
  tokenId: string;
  tokenExpiresAt: Date;
}

export type Principal = HumanPrincipal | AgentPrincipal;

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'human' ? { kind: 'human', id: principal.email } : { kind: 'agent', id: principal.agentId };
}

export function hasRole(principal: Principal | undefined, role: Role): boolean {
  return principal?.kind === 'human' && principal.roles.includes(role);
}

/** Admins and the security team see every agent; anyone else sees the agents they own. */
export function seesAllAgents(principal: Principal): boolean {
  return hasRole(principal, 'admin') || hasRole(principal, 'security');
}
