/**
 * A person in the directory: one entity workflow per human (`person:<email>`), created and changed by the
 * `upsertPerson` Update (Update-with-Start), read by the `getPerson` Query, listed through visibility.
 * A person's roles are Warden's authority for what they may do: only an admin (or Warden seeding the
 * directory) may change them, proven by a signed statement.
 */
import {
  ApplicationFailure,
  workflowInfo,
  continueAsNew,
  defineQuery,
  defineUpdate,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { PERSON_COMMANDS, refusalFor } from '../domain/authority.js';
import { ErrorCode } from '../domain/errors.js';
import {
  normalizeEmail,
  personWorkflowId,
  validatePersonInput,
  type Person,
  type PersonInput,
} from '../domain/people.js';
import { PersonRoles } from '../temporal/search-attributes.js';
import type { Signed, TrustAnchor } from '../tokens/statements.js';
import { untilContinueAsNew } from './continue-as-new.js';
import { CommandGate, fromWarden, handleTrustAnchorRefresh, validAnchor, type RememberedStatement } from './trust.js';

export interface PersonWorkflowArgs {
  email: string;
  person: Person | null;
  /** Warden's issuer and signing keys: what statements are verified against. */
  trust: TrustAnchor;
  usedStatements?: RememberedStatement[];
  continueAsNewAfterEvents?: number;
}

export interface UpsertPersonRequest {
  person: PersonInput;
}

export const upsertPersonUpdate = defineUpdate<Person, [Signed<UpsertPersonRequest>]>('upsertPerson');
export const getPersonQuery = defineQuery<Person | null>('getPerson');

/** A Slack link kept only when there is one (an input without it keeps the current one; null removes it). */
const slackLink = (id: string | null | undefined) => (id ? { slackUserId: id } : {});

export async function personWorkflow(input: PersonWorkflowArgs): Promise<void> {
  const args = fromWarden(input, 'the person workflow input', { operation: 'personWorkflow' });
  if (
    typeof args?.email !== 'string' ||
    personWorkflowId(args.email) !== workflowInfo().workflowId ||
    !validAnchor(args.trust)
  ) {
    throw ApplicationFailure.create({
      type: ErrorCode.BAD_USER_INPUT,
      message: 'Refused: this input is not the directory entry this workflow id names.',
      nonRetryable: true,
    });
  }
  let person = args.person;
  const gate = new CommandGate(args.trust, args.usedStatements);
  handleTrustAnchorRefresh(gate);
  const publish = () => {
    if (!person) return;
    upsertSearchAttributes([{ key: PersonRoles, value: person.roles }]);
    upsertMemo({ ...person, slackUserId: person.slackUserId ?? null }); // null clears a removed link
    setCurrentDetails(`**${person.displayName}** <${person.email}> · roles: ${person.roles.join(', ') || 'none'}`);
  };
  publish();

  setHandler(getPersonQuery, () => person);

  setHandler(
    upsertPersonUpdate,
    (command) => {
      const { request, by } = gate.accept<UpsertPersonRequest>(command, 'upsertPerson');
      const input = request.person;
      const now = new Date().toISOString();
      person = {
        email: normalizeEmail(input.email),
        displayName: input.displayName.trim(),
        roles: [...input.roles].sort(),
        ...slackLink(input.slackUserId === undefined ? person?.slackUserId : input.slackUserId),
        createdAt: person?.createdAt ?? now,
        updatedAt: now,
        updatedBy: by.id,
      };
      publish();
      return person;
    },
    {
      validator: (command) => {
        const { request, by } = gate.verify<UpsertPersonRequest>(command, 'upsertPerson');
        const refusal = refusalFor(PERSON_COMMANDS.upsertPerson, by);
        if (refusal) gate.forbid('upsertPerson', by, refusal);
        const input = request?.person;
        if (typeof input !== 'object' || input === null || typeof input.email !== 'string') {
          throw ApplicationFailure.create({
            type: ErrorCode.BAD_USER_INPUT,
            message: 'person is required',
            nonRetryable: true,
          });
        }
        const problems = validatePersonInput(input);
        if (normalizeEmail(input.email) !== args.email) problems.push(`this is the directory entry of ${args.email}`);
        if (problems.length) {
          throw ApplicationFailure.create({
            type: ErrorCode.BAD_USER_INPUT,
            message: problems.join('; '),
            nonRetryable: true,
          });
        }
      },
    },
  );

  await untilContinueAsNew(args.continueAsNewAfterEvents);
  await continueAsNew<typeof personWorkflow>({
    ...args,
    person,
    email: args.email,
    trust: gate.state.anchor,
    usedStatements: gate.state.used,
  });
}
