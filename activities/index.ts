/** Every activity the worker registers; workflows import only the *type* of this. */
import type { Client } from '@temporalio/client';
import type { WardenConfig } from '../config/config.js';
import type { KeyRing } from '../vault/envelope.js';
import { SigningKeys } from '../services/signing-keys.js';
import { createActionActivities } from './actions.js';
import { createAuditActivities } from './audit.js';
import { createCredentialActivities } from './credentials.js';
import { createDiscoveryActivities } from './discovery.js';
import { createNotificationActivities } from './notifications.js';
import { createPeopleActivities, peopleWithRoles } from './people.js';
import { createVaultActivities } from './vault.js';

export interface ActivityDeps {
  client: Client;
  config: WardenConfig;
  vault: KeyRing;
}

export function createActivities(deps: ActivityDeps) {
  // One cached view of Warden's signing keys for every activity that signs (grant terms, statements, SETs).
  const signingKeys = new SigningKeys(deps.client, {
    taskQueue: deps.config.temporal.taskQueue,
    rotationIntervalMs: deps.config.credentials.signingKeyRotationMs,
    issuer: deps.config.credentials.issuer,
    vault: deps.vault,
  });
  return {
    ...createPeopleActivities(deps.client),
    ...createCredentialActivities({ vault: deps.vault }),
    ...createVaultActivities({ vault: deps.vault }),
    ...createActionActivities({ client: deps.client, signingKeys, credentials: deps.config.credentials }),
    ...createAuditActivities({
      client: deps.client,
      taskQueue: deps.config.temporal.taskQueue,
      settings: deps.config.audit,
    }),
    ...createDiscoveryActivities({ client: deps.client, config: deps.config, signingKeys }),
    ...createNotificationActivities({
      settings: deps.config.notifications,
      signingKeys,
      publicUrl: deps.config.api.publicUrl,
      membersOf: (roles) => peopleWithRoles(deps.client, deps.config.temporal.taskQueue, roles),
    }),
  };
}

export type WardenActivities = ReturnType<typeof createActivities>;
