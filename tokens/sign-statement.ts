/**
 * Signs command statements (./statements.ts) with Warden's current signing key. Only Warden's processes
 * can: the API for a person or an agent it has just authenticated, and Warden itself (`system`) for the
 * changes it makes on its own authority (containment, an approved action's resumption, the people seed).
 */
import type { Delegator } from '../domain/approval-policy.js';
import { randomUUID } from 'node:crypto';
import { signWardenJwt } from './sign.js';
import type { SigningKey } from './signing-keys.js';
import { MAX_STATEMENT_LIFETIME_S, requestDigest, STATEMENT_TYPE } from './statements.js';
import type { PrincipalKind } from '../domain/authority.js';
import type { Role } from '../domain/people.js';

/** Statements the API signs for its own Update are used within the second; two minutes covers a retry. */
export const STATEMENT_TTL_S = 120;

export interface StatementSubject {
  kind: PrincipalKind;
  /** A person's email, an agent's id, or `warden`. */
  id: string;
  /** A person's roles as the directory holds them now. */
  roles: Role[];
}

export interface StatementTarget {
  workflowId: string;
  command: string;
  request: unknown;
  /** The agent's owner as read now, for a workflow that does not hold it (a sensitive action's). */
  agentOwner?: string | null;
  /** People who delegated their approvals to the subject for a window that includes now (approvals only). */
  delegators?: Delegator[];
}

export async function signStatement(
  key: SigningKey,
  issuer: string,
  subject: StatementSubject,
  target: StatementTarget,
  ttlSeconds = STATEMENT_TTL_S,
): Promise<string> {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_STATEMENT_LIFETIME_S)
    throw new RangeError(`ttlSeconds must be 1 to ${MAX_STATEMENT_LIFETIME_S}.`);
  const iat = Math.floor(Date.now() / 1000);
  return signWardenJwt(key, STATEMENT_TYPE, {
    iss: issuer,
    aud: target.workflowId,
    cmd: target.command,
    req: requestDigest(target.request),
    sub: subject.id,
    kind: subject.kind,
    roles: subject.kind === 'human' ? [...subject.roles].sort() : [],
    ...(target.agentOwner !== undefined ? { agentOwner: target.agentOwner } : {}),
    ...(target.delegators?.length
      ? { delegators: target.delegators.map((d) => ({ sub: d.email, roles: [...d.roles].sort() })) }
      : {}),
    iat,
    exp: iat + ttlSeconds,
    jti: randomUUID(),
  });
}
