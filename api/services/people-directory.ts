/**
 * The people directory over Temporal: one `person:<email>` entity workflow per human. Knows nothing of
 * GraphQL; callers pass an already-authorized actor.
 */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Actor } from '../../domain/agents.js';
import { badInput } from '../../domain/errors.js';
import { normalizeEmail, personWorkflowId, validatePersonInput, type Person, type PersonInput } from '../../domain/people.js';
import { getPersonQuery, personWorkflow, upsertPersonUpdate } from '../../workflows/person.js';
import { viaTemporal } from './temporal-errors.js';

export class PeopleDirectory {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  async upsert(actor: Actor, input: PersonInput): Promise<Person> {
    const person = { ...input, email: normalizeEmail(input.email), displayName: input.displayName.trim() };
    const problems = validatePersonInput(person);
    if (problems.length) throw badInput(problems.join('; '));
    const workflowId = personWorkflowId(person.email);
    return viaTemporal(
      () =>
        this.client.workflow.executeUpdateWithStart(upsertPersonUpdate, {
          args: [{ person, actor }],
          startWorkflowOperation: new WithStartWorkflowOperation(personWorkflow, {
            workflowId,
            taskQueue: this.taskQueue,
            args: [{ email: person.email, person: null }],
            workflowIdConflictPolicy: 'USE_EXISTING',
            staticSummary: `Person ${person.email}`,
          }),
        }),
      `No person ${person.email}.`,
    );
  }

  /** The person, or null when the directory has no such email. */
  async find(email: string): Promise<Person | null> {
    const normalized = normalizeEmail(email);
    try {
      return await viaTemporal(() => this.client.workflow.getHandle(personWorkflowId(normalized)).query(getPersonQuery), 'missing');
    } catch (err) {
      if ((err as { code?: string }).code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  /** People in the directory (from visibility), newest first, `limit` from `offset`. */
  async list(limit: number, offset: number): Promise<Person[]> {
    if (offset > 10_000) throw badInput('Paging deeper than 10000 people is not supported.');
    const people: Person[] = [];
    let index = 0;
    for await (const info of this.client.workflow.list({
      query: `WorkflowType = 'personWorkflow' AND ExecutionStatus = 'Running'`,
      pageSize: Math.min(offset + limit, 1000),
    })) {
      if (index++ < offset) continue;
      const memo = (info.memo ?? {}) as Partial<Person>;
      if (!memo.email) continue; // started but not yet written (a failed first upsert)
      people.push({
        email: memo.email,
        displayName: memo.displayName ?? memo.email,
        roles: memo.roles ?? [],
        createdAt: memo.createdAt ?? info.startTime.toISOString(),
        updatedAt: memo.updatedAt ?? info.startTime.toISOString(),
        updatedBy: memo.updatedBy ?? '',
      });
      if (people.length >= limit) break;
    }
    return people;
  }
}
