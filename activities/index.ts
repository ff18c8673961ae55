/** Every activity the worker registers; workflows import only the *type* of this. */
import type { Client } from '@temporalio/client';
import { createPeopleActivities } from './people.js';

export function createActivities(deps: { client: Client }) {
  return {
    ...createPeopleActivities(deps.client),
  };
}

export type WardenActivities = ReturnType<typeof createActivities>;
