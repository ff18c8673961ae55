/**
 * Delegation: a person hands their approvals to someone else for a window (a holiday, an on-call shift).
 * While it runs, the delegate decides held actions with the delegator's standing too, and takes their seat.
 * A person manages their own; an admin may manage anyone's. The person's workflow checks it again.
 */
import { z } from 'zod';
import type { Delegation as DelegationModel } from '../../domain/people.js';
import { commanderOf } from '../auth/principal.js';
import { builder } from '../builder.js';
import { Person } from './person.js';

const Delegation = builder.objectRef<DelegationModel>('Delegation').implement({
  description: 'Approvals handed to another person for a window.',
  fields: (t) => ({
    to: t.exposeString('to'),
    from: t.field({ type: 'DateTime', resolve: (d) => d.from }),
    until: t.field({ type: 'DateTime', resolve: (d) => d.until }),
    reason: t.exposeString('reason'),
    createdBy: t.exposeString('createdBy'),
    createdAt: t.field({ type: 'DateTime', resolve: (d) => d.createdAt }),
  }),
});

builder.objectFields(Person, (t) => ({
  delegations: t.field({
    type: [Delegation],
    description:
      'Whom this person has handed their approvals to (running or to come). The person, admins and security.',
    authScopes: (p) => ({ personIs: p.email, admin: true, security: true }),
    unauthorizedResolver: () => [],
    resolve: (p, _args, ctx) => ctx.services.people.delegationsOf(p.email),
  }),
}));

const DelegateApprovalsInput = builder.inputType('DelegateApprovalsInput', {
  fields: (t) => ({
    delegator: t.string({
      description: 'Whose approvals (default: yours). Only an admin names someone else.',
      validate: z.string().max(254),
    }),
    to: t.string({ required: true, validate: z.string().max(254) }),
    from: t.field({ type: 'DateTime', description: 'Default: now.' }),
    until: t.field({ type: 'DateTime', required: true }),
    reason: t.string({ required: true, defaultValue: '', validate: z.string().max(500) }),
  }),
});

const EndDelegationInput = builder.inputType('EndDelegationInput', {
  fields: (t) => ({
    delegator: t.string({ validate: z.string().max(254) }),
    to: t.string({ required: true, validate: z.string().max(254) }),
  }),
});

const DelegationsPayload = builder.objectRef<{ delegations: DelegationModel[] }>('DelegationsPayload').implement({
  fields: (t) => ({ delegations: t.field({ type: [Delegation], resolve: (p) => p.delegations }) }),
});

const forSomeoneElse = (me: unknown, delegator: string | null | undefined) =>
  typeof delegator === 'string' && delegator.trim().toLowerCase() !== me;

builder.mutationFields((t) => ({
  delegateApprovals: t.withAuth({ human: true }).field({
    type: DelegationsPayload,
    description:
      "Hands your approvals (an admin: anyone's) to another person from `from` until `until` (at most 90 days).",
    args: { input: t.arg({ type: DelegateApprovalsInput, required: true }) },
    authScopes: (_root, { input }, ctx) =>
      forSomeoneElse(ctx.principal.kind === 'human' && ctx.principal.email, input.delegator)
        ? { admin: true }
        : { human: true },
    resolve: async (_root, { input }, ctx) => ({
      delegations: await ctx.services.people.delegate(
        commanderOf(ctx.principal),
        input.delegator ?? ctx.principal.email,
        {
          to: input.to,
          from: input.from ?? new Date().toISOString(),
          until: input.until,
          reason: input.reason,
        },
      ),
    }),
  }),
  endDelegation: t.withAuth({ human: true }).field({
    type: DelegationsPayload,
    description: "Ends your delegation to `to` now (an admin: anyone's).",
    args: { input: t.arg({ type: EndDelegationInput, required: true }) },
    authScopes: (_root, { input }, ctx) =>
      forSomeoneElse(ctx.principal.kind === 'human' && ctx.principal.email, input.delegator)
        ? { admin: true }
        : { human: true },
    resolve: async (_root, { input }, ctx) => ({
      delegations: await ctx.services.people.endDelegation(
        commanderOf(ctx.principal),
        input.delegator ?? ctx.principal.email,
        input.to,
      ),
    }),
  }),
}));
