/**
 * A person in the directory: one entity workflow per human (`person:<email>`), created and changed by the
 * `upsertPerson` Update (Update-with-Start), read by the `getPerson` Query, listed through visibility.
 * A person's roles are Warden's authority for what they may do: only an admin (or Warden seeding the
 * directory) may change them, proven by a signed statement. A person (or an admin for them) may delegate
 * their approvals to someone else for a window (`delegateApprovals`, `endDelegation`); the entry keeps the
 * delegations, and the API reads them when it signs a decision.
 */
import {
  ApplicationFailure,
  workflowInfo,
  continueAsNew,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { WardenActivities } from '../activities/index.js';
import { PERSON_COMMANDS, refusalFor, type StatementPrincipal } from '../domain/authority.js';
import { ErrorCode } from '../domain/errors.js';
import {
  delegationActive,
  MAX_DELEGATIONS,
  normalizeEmail,
  personWorkflowId,
  validateDelegation,
  validatePersonInput,
  type Delegation,
  type DelegationInput,
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
  /** Carried across continue-as-new. */
  delegations?: Delegation[];
}

export interface UpsertPersonRequest {
  person: PersonInput;
}

export const upsertPersonUpdate = defineUpdate<Person, [Signed<UpsertPersonRequest>]>('upsertPerson');
export const getPersonQuery = defineQuery<Person | null>('getPerson');
/** The person's approvals, to another person for a window; by the person themself or an admin. */
export const delegateApprovalsUpdate = defineUpdate<Delegation[], [Signed<DelegationInput>]>('delegateApprovals');
/** Ends the delegations to `to` now; by the person themself or an admin. */
export const endDelegationUpdate = defineUpdate<Delegation[], [Signed<{ to: string }>]>('endDelegation');

/** A Slack link kept only when there is one (an input without it keeps the current one; null removes it). */
const slackLink = (id: string | null | undefined) => (id ? { slackUserId: id } : {});

const { recordDelegationAudit } = proxyActivities<WardenActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

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

  let delegations: Delegation[] = args.delegations ?? [];
  const publishDelegations = () => {
    // Ended windows are dropped; the memo is what the API reads at decision time.
    delegations = delegations.filter((d) => Date.parse(d.until) > Date.now());
    upsertMemo({ delegations });
  };
  /** Only the person themself, or an admin, hands out (or takes back) their approvals. */
  const mayDelegate = (command: string, by: StatementPrincipal) => {
    if (!person)
      throw ApplicationFailure.create({
        type: ErrorCode.NOT_FOUND,
        message: `${args.email} is not in the directory.`,
        nonRetryable: true,
      });
    if (by.kind !== 'human' || (by.id !== args.email && !by.roles.includes('admin')))
      gate.forbid(command, by, `Only ${args.email} or an admin may change whom ${args.email} delegates to.`);
  };
  /** Each change of a delegation goes to the audit trail (its id names the change: a retry records it once). */
  const audit = (kind: 'person.delegated' | 'person.delegation_ended', d: Delegation, by: string, at: string) =>
    recordDelegationAudit({
      id: `${personWorkflowId(args.email)}/${kind}/${d.to}/${at}`,
      at,
      input: {
        kind,
        agentId: 'warden',
        actor: { kind: 'human', id: by },
        delegator: args.email,
        delegate: d.to,
        from: d.from,
        until: d.until,
        message:
          kind === 'person.delegated'
            ? `${args.email} handed their approvals to ${d.to} from ${d.from} until ${d.until}${by === args.email ? '' : ` (by ${by})`}`
            : `${args.email}'s approvals are no longer delegated to ${d.to}${by === args.email ? '' : ` (by ${by})`}`,
      },
    });
  setHandler(
    delegateApprovalsUpdate,
    async (command) => {
      const { request, by } = gate.accept<DelegationInput>(command, 'delegateApprovals');
      const delegation: Delegation = {
        to: normalizeEmail(request.to),
        from: new Date(Date.parse(request.from)).toISOString(),
        until: new Date(Date.parse(request.until)).toISOString(),
        reason: request.reason.trim(),
        createdBy: by.id,
        createdAt: new Date().toISOString(),
      };
      delegations = [...delegations.filter((d) => d.to !== delegation.to), delegation];
      publishDelegations();
      const after = delegations;
      await audit('person.delegated', delegation, by.id, delegation.createdAt);
      return after;
    },
    {
      validator: (command) => {
        const { request, by } = gate.verify<DelegationInput>(command, 'delegateApprovals');
        mayDelegate('delegateApprovals', by);
        const problems = validateDelegation(args.email, request, Date.now());
        if (delegations.filter((d) => d.to !== normalizeEmail(String(request?.to))).length >= MAX_DELEGATIONS)
          problems.push(`at most ${MAX_DELEGATIONS} delegations at a time`);
        if (problems.length)
          throw ApplicationFailure.create({
            type: ErrorCode.BAD_USER_INPUT,
            message: problems.join('; '),
            nonRetryable: true,
          });
      },
    },
  );
  setHandler(
    endDelegationUpdate,
    async (command) => {
      const { request, by } = gate.accept<{ to: string }>(command, 'endDelegation');
      const ended = delegations.find((d) => d.to === normalizeEmail(request.to))!;
      delegations = delegations.filter((d) => d !== ended);
      publishDelegations();
      const after = delegations;
      await audit('person.delegation_ended', ended, by.id, new Date().toISOString());
      return after;
    },
    {
      validator: (command) => {
        const { request, by } = gate.verify<{ to: string }>(command, 'endDelegation');
        mayDelegate('endDelegation', by);
        const to = typeof request?.to === 'string' ? normalizeEmail(request.to) : '';
        if (
          !delegations.some((d) => d.to === to && (delegationActive(d, Date.now()) || Date.parse(d.from) > Date.now()))
        )
          throw ApplicationFailure.create({
            type: ErrorCode.NOT_FOUND,
            message: `${args.email} has no delegation to ${to.slice(0, 254) || 'that person'}.`,
            nonRetryable: true,
          });
      },
    },
  );

  await untilContinueAsNew(args.continueAsNewAfterEvents);
  await continueAsNew<typeof personWorkflow>({
    ...args,
    delegations,
    person,
    email: args.email,
    trust: gate.state.anchor,
    usedStatements: gate.state.used,
  });
}
