/** `viewer`: who is calling, as Warden sees them. */
import { ROLES } from '../../domain/people.js';
import type { Principal } from '../auth/principal.js';
import { builder } from '../builder.js';
import { Agent } from './agent.js';
import { Person, Role } from './person.js';

export const PrincipalKind = builder.enumType('PrincipalKind', { values: ['HUMAN', 'AGENT'] as const });

export const Viewer = builder.objectRef<Principal>('Viewer').implement({
  description: 'The authenticated caller.',
  fields: (t) => ({
    kind: t.field({ type: PrincipalKind, resolve: (p) => (p.kind === 'human' ? 'HUMAN' : 'AGENT') }),
    subject: t.exposeString('subject', { description: 'The `sub` of the token that authenticated this request.' }),
    email: t.string({ nullable: true, resolve: (p) => (p.kind === 'human' ? p.email : null) }),
    roles: t.field({
      type: [Role],
      resolve: (p) => (p.kind === 'human' ? p.roles.filter((r) => ROLES.includes(r)) : []),
    }),
    agent: t.field({
      type: Agent,
      nullable: true,
      description: 'The agent itself, when an agent is calling.',
      resolve: (p, _args, ctx) => (p.kind === 'agent' ? ctx.services.agents.get(p.agentId) : null),
    }),
    person: t.field({
      type: Person,
      nullable: true,
      description: 'The directory entry of this human, when there is one.',
      resolve: (p, _args, ctx) => (p.kind === 'human' ? ctx.services.people.find(p.email) : null),
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({ type: Viewer, authScopes: { authenticated: true }, resolve: (_root, _args, ctx) => ctx.principal }),
);
