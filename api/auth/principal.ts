/**
 * Who is calling. Humans come from an OIDC issuer; agents (with their own credentials) join this union
 * in the credentials issue. Authorization scopes are computed from the principal, never from raw claims.
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

export type Principal = HumanPrincipal;

export function actorOf(principal: Principal): Actor {
  return { kind: principal.kind, id: principal.email };
}

export function hasRole(principal: Principal | undefined, role: Role): boolean {
  return principal?.kind === 'human' && principal.roles.includes(role);
}

/** Admins and the security team see every agent; anyone else sees the agents they own. */
export function seesAllAgents(principal: Principal): boolean {
  return hasRole(principal, 'admin') || hasRole(principal, 'security');
}
