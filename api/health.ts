/**
 * What an API process must have to serve: Temporal answering for its namespace, Warden's signing keys
 * held here (to issue and verify tokens), and the namespace's search attributes (observability/health.ts).
 */
import type { Client } from '@temporalio/client';
import { readiness, searchAttributesCheck, temporalCheck, type Check } from '../observability/health.js';
import type { SigningKeys } from '../services/signing-keys.js';

/** This process holds the current signing keys (read from their workflow, so a worker has answered). */
function signingKeysCheck(keys: SigningKeys): Check {
  return {
    name: 'signingKeys',
    failure: 'the signing keys could not be read from their workflow',
    run: async () => {
      await keys.current();
    },
  };
}

export function apiReadiness(client: Client, namespace: string, keys: SigningKeys) {
  return readiness([
    temporalCheck(client, namespace),
    signingKeysCheck(keys),
    searchAttributesCheck(client, namespace),
  ]);
}
