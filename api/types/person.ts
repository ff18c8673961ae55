/** Person: a human who can own agents and approve actions. `people` lists them; admins upsert them. */
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { z } from 'zod';
import { ROLES, type Person as PersonModel } from '../../domain/people.js';
import { commanderOf } from '../auth/principal.js';
import { builder } from '../builder.js';

export const Role = builder.enumType('Role', {
  values: Object.fromEntries(ROLES.map((r) => [r.toUpperCase(), { value: r }])) as Record<
    Uppercase<(typeof ROLES)[number]>,
    { value: (typeof ROLES)[number] }
  >,
});

export const Person = builder.objectRef<PersonModel>('Person').implement({
  description: 'A human in the directory: may own agents and approve actions.',
  fields: (t) => ({
    email: t.exposeString('email'),
    displayName: t.exposeString('displayName'),
    roles: t.field({ type: [Role], resolve: (p) => p.roles }),
    slackUserId: t.string({
      nullable: true,
      description: 'Their Slack user id: Approve/Deny clicks in Slack by that user are decisions of this person.',
      resolve: (p) => p.slackUserId ?? null,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (p) => p.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (p) => p.updatedAt }),
  }),
});

const UpsertPersonInput = builder.inputType('UpsertPersonInput', {
  fields: (t) => ({
    email: t.string({ required: true, validate: z.string().max(254) }),
    displayName: t.string({ required: true, validate: z.string().max(120) }),
    roles: t.field({ type: [Role], required: true, defaultValue: [], validate: z.array(z.string()).max(ROLES.length) }),
    slackUserId: t.string({
      required: false,
      description: 'Links their Slack user (U…) for Slack Approve/Deny buttons; omitted keeps it, null removes it.',
      validate: z.string().max(32).nullish(),
    }),
  }),
});

const UpsertPersonPayload = builder.objectRef<{ person: PersonModel }>('UpsertPersonPayload').implement({
  fields: (t) => ({ person: t.field({ type: Person, resolve: (p) => p.person }) }),
});

builder.queryFields((t) => ({
  people: t.connection({
    type: Person,
    description: 'Everyone in the people directory.',
    authScopes: { human: true },
    resolve: (_root, args, ctx) =>
      resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, ({ limit, offset }) =>
        ctx.services.people.list(limit, offset),
      ),
  }),
}));

builder.mutationFields((t) => ({
  upsertPerson: t.field({
    type: UpsertPersonPayload,
    description: 'Adds a person to the directory, or updates their name and roles. Admins only.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpsertPersonInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      person: await ctx.services.people.upsert(commanderOf(ctx.principal), {
        email: input.email,
        displayName: input.displayName,
        roles: input.roles ?? [],
        ...(input.slackUserId !== undefined ? { slackUserId: input.slackUserId } : {}),
      }),
    }),
  }),
}));
