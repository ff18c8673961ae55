/** Reads of the people directory, for workflows that must check a person exists (e.g. a new owner). */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { isRole, personWorkflowId, type Person } from '../domain/people.js';
import { deploymentClauses, visibilityString } from '../temporal/visibility.js';
import { getPersonQuery } from '../workflows/person.js';
import { isForeign } from '../temporal/payload-origin.js';

/**
 * The addresses of everyone in this deployment's directory with any of these roles (from visibility: the
 * PersonRoles search attribute), for telling a tier of deciders that an action waits for them.
 */
export async function peopleWithRoles(client: Client, taskQueue: string, roles: string[]): Promise<string[]> {
  const known = roles.filter(isRole);
  if (known.length === 0) return [];
  const query = [
    ...deploymentClauses('personWorkflow', taskQueue),
    `PersonRoles IN (${known.map(visibilityString).join(', ')})`,
  ].join(' AND ');
  const emails = new Set<string>();
  for await (const info of client.workflow.list({ query, pageSize: 1000 })) {
    const email = (info.memo as { email?: unknown } | undefined)?.email;
    if (typeof email === 'string' && personWorkflowId(email) === info.workflowId) emails.add(email);
  }
  return [...emails].sort();
}

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
