/**
 * Agent: an AI agent as a first-class identity, with its lifecycle. Admins register and manage agents;
 * owners see (and may suspend) their own; the security team sees and may suspend all.
 */
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { z } from 'zod';
import { AGENT_STATUSES, LIMITS, type AgentEvent as AgentEventModel, type AgentState } from '../../domain/agents.js';
import { actorOf, seesAllAgents } from '../auth/principal.js';
import { builder } from '../builder.js';
import type { AgentRecord } from '../services/agent-directory.js';
import { Person } from './person.js';

export const AgentStatus = builder.enumType('AgentStatus', {
  description: 'DISCOVERED (shadow, no owner) → ACTIVE ⇄ SUSPENDED → DECOMMISSIONED (final).',
  values: AGENT_STATUSES,
});

const ActorKind = builder.enumType('ActorKind', { values: { HUMAN: { value: 'human' }, AGENT: { value: 'agent' }, SYSTEM: { value: 'system' } } as const });

const AgentEventActor = builder.objectRef<AgentEventModel['actor']>('AgentEventActor').implement({
  fields: (t) => ({
    kind: t.field({ type: ActorKind, resolve: (a) => a.kind }),
    id: t.exposeString('id', { description: 'Email of a person, id of an agent, or "warden".' }),
  }),
});

const KeyValue = builder.objectRef<[string, string]>('KeyValue').implement({
  fields: (t) => ({ key: t.string({ resolve: ([k]) => k }), value: t.string({ resolve: ([, v]) => v }) }),
});

const AgentEvent = builder.objectRef<AgentEventModel>('AgentEvent').implement({
  description: 'One change in an agent\'s life: what, who, when and why.',
  fields: (t) => ({
    kind: t.exposeString('kind'),
    at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
    actor: t.field({ type: AgentEventActor, resolve: (e) => e.actor }),
    reason: t.exposeString('reason'),
    fromStatus: t.field({ type: AgentStatus, nullable: true, resolve: (e) => e.fromStatus }),
    toStatus: t.field({ type: AgentStatus, resolve: (e) => e.toStatus }),
    details: t.field({ type: [KeyValue], resolve: (e) => Object.entries(e.details ?? {}) }),
  }),
});

const AgentOwner = builder.objectRef<{ email: string; displayName: string }>('AgentOwner').implement({
  fields: (t) => ({ email: t.exposeString('email'), displayName: t.exposeString('displayName') }),
});

export const Agent = builder.objectRef<AgentRecord>('Agent').implement({
  description: 'An AI agent governed by Warden.',
  // Checked for every agent returned, lists included: the owner, admins and the security team may see it.
  authScopes: (agent, ctx) => (ctx.principal.kind === 'human' && agent.ownerEmail === ctx.principal.email ? true : { admin: true, security: true }),
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    status: t.field({ type: AgentStatus, resolve: (a) => a.status }),
    owner: t.field({
      type: AgentOwner,
      nullable: true,
      resolve: async (a, _args, ctx) => {
        if (!a.ownerEmail) return null;
        const person = await ctx.services.people.find(a.ownerEmail);
        return { email: a.ownerEmail, displayName: person?.displayName ?? a.ownerEmail };
      },
    }),
    platform: t.exposeString('platform'),
    description: t.exposeString('description'),
    statusReason: t.exposeString('statusReason'),
    createdAt: t.field({ type: 'DateTime', resolve: (a) => a.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (a) => a.updatedAt }),
    events: t.field({
      type: [AgentEvent],
      description: 'Recent lifecycle events, oldest first.',
      resolve: async (a, _args, ctx) => a.events ?? (await ctx.services.agents.get(a.id)).events,
    }),
  }),
});

const agentId = z.string().uuid({ message: 'agentId must be an agent id (a UUID)' });
const reason = z.string().max(LIMITS.reasonMax);

const AgentFilter = builder.inputType('AgentFilter', {
  fields: (t) => ({
    status: t.field({ type: AgentStatus }),
    ownerEmail: t.string({ validate: z.string().max(254) }),
    platform: t.string({ validate: z.string().max(LIMITS.platformMax) }),
  }),
});

builder.queryFields((t) => ({
  agents: t.connection({
    type: Agent,
    description: 'Agents, newest first. Admins and security see all; others see the agents they own.',
    authScopes: { human: true },
    args: { filter: t.arg({ type: AgentFilter }) },
    resolve: (_root, args, ctx) => {
      const filter = { ...args.filter };
      if (!seesAllAgents(ctx.principal)) filter.ownerEmail = ctx.principal.email;
      return resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, ({ limit, offset }) =>
        ctx.services.agents.list(filter, limit, offset),
      );
    },
  }),
  agent: t.field({
    type: Agent,
    nullable: true,
    args: { id: t.arg.id({ required: true, validate: z.string().max(64) }) },
    authScopes: (_root, args) => ({ admin: true, security: true, ownerOfAgent: String(args.id) }),
    resolve: (_root, args, ctx) => ctx.services.agents.get(String(args.id)),
  }),
}));

const AgentPayload = builder.objectRef<{ agent: AgentState }>('AgentPayload').implement({
  fields: (t) => ({ agent: t.field({ type: Agent, resolve: (p) => p.agent }) }),
});

const RegisterAgentInput = builder.inputType('RegisterAgentInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: z.string().max(LIMITS.nameMax) }),
    ownerEmail: t.string({ required: true, validate: z.string().max(254) }),
    platform: t.string({ required: true, validate: z.string().max(LIMITS.platformMax) }),
    description: t.string({ validate: z.string().max(LIMITS.descriptionMax) }),
  }),
});

const AgentStatusChangeInput = builder.inputType('AgentStatusChangeInput', {
  fields: (t) => ({
    agentId: t.id({ required: true, validate: agentId }),
    reason: t.string({ required: true, validate: reason }),
  }),
});

const TransferAgentOwnershipInput = builder.inputType('TransferAgentOwnershipInput', {
  fields: (t) => ({
    agentId: t.id({ required: true, validate: agentId }),
    ownerEmail: t.string({ required: true, validate: z.string().max(254) }),
    reason: t.string({ validate: reason }),
  }),
});

builder.mutationFields((t) => ({
  registerAgent: t.field({
    type: AgentPayload,
    description: 'Registers an agent owned by a known person; it starts ACTIVE. Admins only.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: RegisterAgentInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      agent: await ctx.services.agents.register(actorOf(ctx.principal), { ...input, description: input.description ?? '' }),
    }),
  }),
  suspendAgent: t.field({
    type: AgentPayload,
    description: 'Suspends an ACTIVE agent. Admins, the security team, and the agent\'s owner.',
    args: { input: t.arg({ type: AgentStatusChangeInput, required: true }) },
    authScopes: (_root, { input }) => ({ admin: true, security: true, ownerOfAgent: String(input.agentId) }),
    resolve: async (_root, { input }, ctx) => ({
      agent: await ctx.services.agents.suspend(actorOf(ctx.principal), String(input.agentId), input.reason),
    }),
  }),
  resumeAgent: t.field({
    type: AgentPayload,
    description: 'Returns a SUSPENDED agent to ACTIVE. Admins only.',
    args: { input: t.arg({ type: AgentStatusChangeInput, required: true }) },
    authScopes: { admin: true },
    resolve: async (_root, { input }, ctx) => ({
      agent: await ctx.services.agents.resume(actorOf(ctx.principal), String(input.agentId), input.reason),
    }),
  }),
  decommissionAgent: t.field({
    type: AgentPayload,
    description: 'Retires an agent for good (DECOMMISSIONED is final). Admins only.',
    args: { input: t.arg({ type: AgentStatusChangeInput, required: true }) },
    authScopes: { admin: true },
    resolve: async (_root, { input }, ctx) => ({
      agent: await ctx.services.agents.decommission(actorOf(ctx.principal), String(input.agentId), input.reason),
    }),
  }),
  transferAgentOwnership: t.field({
    type: AgentPayload,
    description: 'Gives an ACTIVE or SUSPENDED agent to another known person. Admins only.',
    args: { input: t.arg({ type: TransferAgentOwnershipInput, required: true }) },
    authScopes: { admin: true },
    resolve: async (_root, { input }, ctx) => ({
      agent: await ctx.services.agents.transferOwnership(actorOf(ctx.principal), String(input.agentId), input.ownerEmail, input.reason ?? undefined),
    }),
  }),
}));
