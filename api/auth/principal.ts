/**
 * Who is calling: a person (token from an OIDC issuer) or an agent (access token from Warden's own token
 * endpoint). Authorization scopes are computed from the principal, never from raw claims: a person's
 * roles are the people directory's, read when the request arrives (a token's `roles` claim can only
 * narrow them).
 */
import type { Role } from '../../domain/people.js';
import type { Commander } from '../../services/commands.js';

export interface HumanPrincipal {
  kind: 'human';
  /** `sub` of the token. */
  subject: string;
  email: string;
  /** The roles this request may use: the directory's, narrowed by the token's `roles` claim if it has one. */
  roles: Role[];
  /** `jti` of the token, when it had one (for audit). */
  tokenId?: string;
  /** When the token expires: nothing that outlives the request (a subscription) may outlive it. */
  expiresAt: Date;
}

export interface AgentPrincipal {
  kind: 'agent';
  subject: string;
  agentId: string;
  tokenId: string;
  tokenExpiresAt: Date;
}

/** A verified person's token before their roles are read from the directory. */
export interface VerifiedHumanToken {
  subject: string;
  email: string;
  /** The token's `roles` claim; null when it has none. */
  tokenRoles: Role[] | null;
  tokenId?: string;
  expiresAt: Date;
}

/** The roles a request may use: the directory's, narrowed by the token's claim when there is one. */
export function effectiveRoles(directoryRoles: readonly Role[], tokenRoles: readonly Role[] | null): Role[] {
  return directoryRoles.filter((role) => tokenRoles === null || tokenRoles.includes(role));
}

export type Principal = HumanPrincipal | AgentPrincipal;

/** Who a command is from, as a workflow will be told in a signed statement. */
export function commanderOf(principal: Principal): Commander {
  return principal.kind === 'human'
    ? { kind: 'human', id: principal.email, roles: principal.roles }
    : { kind: 'agent', id: principal.agentId, roles: [] };
}

/** When the caller's token expires. */
export function principalExpiresAt(principal: Principal): Date {
  return principal.kind === 'human' ? principal.expiresAt : principal.tokenExpiresAt;
}

export function hasRole(principal: Principal | undefined, role: Role): boolean {
  return principal?.kind === 'human' && principal.roles.includes(role);
}

/** Admins and the security team see every agent; anyone else sees the agents they own. */
export function seesAllAgents(principal: Principal): boolean {
  return hasRole(principal, 'admin') || hasRole(principal, 'security');
}
