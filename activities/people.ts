/** Reads of the people directory, for workflows that must check a person exists (e.g. a new owner). */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { personWorkflowId, type Person } from '../domain/people.js';
import { getPersonQuery } from '../workflows/person.js';
import { isForeign } from '../temporal/payload-origin.js';

export function createPeopleActivities(client: Client) {
  return {
    /** The person with this email, or null when the directory has no such person. */
    async findPerson(email: string): Promise<Person | null> {
      try {
        const person = await client.workflow.getHandle(personWorkflowId(email)).query(getPersonQuery);
        return isForeign(person) ? null : person;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      }
    },
  };
}
