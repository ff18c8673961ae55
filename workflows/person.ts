/**
 * A person in the directory: one entity workflow per human (`person:<email>`), created and changed by the
 * `upsertPerson` Update (Update-with-Start), read by the `getPerson` Query, listed through visibility.
 */
import {
  ApplicationFailure,
  continueAsNew,
  defineQuery,
  defineUpdate,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Actor } from '../domain/agents.js';
import { ErrorCode } from '../domain/errors.js';
import { normalizeEmail, validatePersonInput, type Person, type PersonInput } from '../domain/people.js';
import { PersonRoles } from '../temporal/search-attributes.js';
import { untilContinueAsNew } from './continue-as-new.js';

export interface PersonWorkflowArgs {
  email: string;
  person: Person | null;
  continueAsNewAfterEvents?: number;
}

export interface UpsertPersonRequest {
  person: PersonInput;
  actor: Actor;
}

export const upsertPersonUpdate = defineUpdate<Person, [UpsertPersonRequest]>('upsertPerson');
export const getPersonQuery = defineQuery<Person | null>('getPerson');

export async function personWorkflow(args: PersonWorkflowArgs): Promise<void> {
  let person = args.person;
  const publish = () => {
    if (!person) return;
    upsertSearchAttributes([{ key: PersonRoles, value: person.roles }]);
    upsertMemo({ ...person });
    setCurrentDetails(`**${person.displayName}** <${person.email}> · roles: ${person.roles.join(', ') || 'none'}`);
  };
  publish();

  setHandler(getPersonQuery, () => person);

  setHandler(
    upsertPersonUpdate,
    ({ person: input, actor }) => {
      const now = new Date().toISOString();
      person = {
        email: normalizeEmail(input.email),
        displayName: input.displayName.trim(),
        roles: [...input.roles].sort(),
        createdAt: person?.createdAt ?? now,
        updatedAt: now,
        updatedBy: actor.id,
      };
      publish();
      return person;
    },
    {
      validator: ({ person: input }) => {
        const problems = validatePersonInput(input);
        if (normalizeEmail(input.email) !== args.email) problems.push(`this is the directory entry of ${args.email}`);
        if (problems.length) {
          throw ApplicationFailure.create({ type: ErrorCode.BAD_USER_INPUT, message: problems.join('; '), nonRetryable: true });
        }
      },
    },
  );

  await untilContinueAsNew(args.continueAsNewAfterEvents);
  await continueAsNew<typeof personWorkflow>({ ...args, person, email: args.email });
}
