/**
 * Development and test tokens for people the directory holds with the roles asked for: the directory is
 * Warden's authority on roles, so a token is only as good as the person's entry. Missing roles are added
 * (by Warden itself, as when the directory is seeded); nothing is ever removed.
 */
import type { HumanIssuerSettings } from '../../config/config.js';
import { normalizeEmail, type Role } from '../../domain/people.js';
import { WARDEN } from '../../services/commands.js';
import type { PeopleDirectory } from '../services/people-directory.js';
import { signDevToken, type DevIssuerKey } from './dev-issuer.js';

export type DevTokenMinter = (email: string, roles: Role[], ttlSeconds?: number) => Promise<string>;

export function devTokenMinter(
  people: PeopleDirectory,
  issuerKey: DevIssuerKey,
  humans: HumanIssuerSettings,
  defaultTtlSeconds = 600,
): DevTokenMinter {
  const granted = new Map<string, Promise<void>>();
  const ensure = async (email: string, roles: Role[]) => {
    const person = await people.find(email); // the server answers: no worker needed
    const have = new Set(person?.roles ?? []);
    if (roles.every((r) => have.has(r))) return;
    await people.upsert(WARDEN, {
      email,
      displayName: person?.displayName ?? email.split('@')[0]!,
      roles: [...new Set([...have, ...roles])].sort(),
    });
  };
  return async (email, roles, ttlSeconds = defaultTtlSeconds) => {
    const normalized = normalizeEmail(email);
    if (roles.length) {
      // One directory change at a time per person, so concurrent mints add up rather than overwrite.
      const key = normalized;
      const previous = granted.get(key) ?? Promise.resolve();
      const next = previous.then(() => ensure(normalized, roles));
      granted.set(
        key,
        next.catch(() => undefined),
      );
      await next;
    }
    return signDevToken(issuerKey, {
      email: normalized,
      roles,
      issuer: humans.issuer,
      audience: humans.audience,
      ttlSeconds,
    });
  };
}
