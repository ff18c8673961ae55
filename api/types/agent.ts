/**
 * Agent: an AI agent as a first-class identity, with its lifecycle. Admins register and manage agents;
 * owners see (and may suspend) their own; the security team sees and may suspend all.
 */
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { z } from 'zod';
import {
  AGENT_STATUSES,
  LIMITS,
  type AgentEvent as AgentEventModel,
  type AgentState,
  type AllowedTool as AllowedToolModel,
} from '../../domain/agents.js';
import { commanderOf } from '../auth/principal.js';
import { builder } from '../builder.js';
import { AgentCredential, CollectedCredential, IssuedCredential } from './credential.js';
import type { RegisteredAgent } from '../services/agent-commands.js';
import type { AgentRecord } from '../services/agent-directory.js';

export const AgentStatus = builder.enumType('AgentStatus', {
  description: 'DISCOVERED (shadow, no owner) → ACTIVE ⇄ SUSPENDED → DECOMMISSIONED (final).',
  values: AGENT_STATUSES,
});

const ActorKind = builder.enumType('ActorKind', {
  values: { HUMAN: { value: 'human' }, AGENT: { value: 'agent' }, SYSTEM: { value: 'system' } } as const,
});

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
  description: "One change in an agent's life: what, who, when and why.",
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

export const AllowedToolRef = builder.objectRef<AllowedToolModel>('AllowedTool').implement({
  fields: (t) => ({ tool: t.exposeString('tool'), operations: t.exposeStringList('operations') }),
});

export const AllowedToolInput = builder.inputType('AllowedToolInput', {
  fields: (t) => ({
    tool: t.string({ required: true, validate: z.string().max(63) }),
    operations: t.stringList({ required: true, validate: z.array(z.string().max(64)).max(100) }),
  }),
});

export const Agent = builder.objectRef<AgentRecord>('Agent').implement({
  description: 'An AI agent governed by Warden.',
  // Checked for every agent returned, lists included: the owner, admins and the security team may see it.
  authScopes: (agent) => ({
    selfAgent: agent.id,
    ...(agent.ownerEmail ? { personIs: agent.ownerEmail } : {}),
    admin: true,
    security: true,
  }),
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
    credential: t.field({
      type: AgentCredential,
      nullable: true,
      description: 'The key the agent authenticates with (public facts only).',
      resolve: async (a, _args, ctx) =>
        a.credential !== undefined ? a.credential : (await ctx.services.agents.get(a.id)).credential,
    }),
    successorCredential: t.field({
      type: AgentCredential,
      nullable: true,
      description: 'A successor issued during rotation, usable alongside the current key until that one expires.',
      resolve: async (a, _args, ctx) =>
        a.successor !== undefined ? a.successor : (await ctx.services.agents.get(a.id)).successor,
    }),
    allowedTools: t.field({
      type: [AllowedToolRef],
      resolve: async (a, _args, ctx) => a.allowedTools ?? (await ctx.services.agents.get(a.id)).allowedTools,
    }),
    revokedBefore: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Universal logout: tokens issued at or before this instant are refused.',
      resolve: async (a, _args, ctx) =>
        a.revokedBefore !== undefined ? a.revokedBefore : (await ctx.services.agents.get(a.id)).revokedBefore,
    }),
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
  agents: t.withAuth({ human: true }).connection({
    type: Agent,
    description: 'Agents, newest first. Admins and security see all; others see the agents they own.',
    args: { filter: t.arg({ type: AgentFilter }) },
    resolve: (_root, args, ctx) => {
      const filter = ctx.services.agents.visibleTo(ctx.principal, { ...args.filter });
      return resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, ({ limit, offset }) =>
        ctx.services.agents.list(filter, limit, offset),
      );
    },
  }),
  agent: t.field({
    type: Agent,
    nullable: true,
    args: { id: t.arg.id({ required: true, validate: z.string().max(64) }) },
    authScopes: (_root, args) => ({
      admin: true,
      security: true,
      ownerOfAgent: String(args.id),
      selfAgent: String(args.id),
    }),
    resolve: (_root, args, ctx) => ctx.services.agents.get(String(args.id)),
  }),
}));

const AgentPayload = builder.objectRef<{ agent: AgentState }>('AgentPayload').implement({
  fields: (t) => ({ agent: t.field({ type: Agent, resolve: (p) => p.agent }) }),
});

const RegisterAgentInput = builder.inputType('RegisterAgentInput', {
  fields: (t) => ({
    publicJwk: t.field({
      type: 'JSON',
      description:
        "The agent's own public key (JWK). Without one, Warden generates a key pair and returns the private key once.",
    }),
    allowedTools: t.field({ type: [AllowedToolInput], description: 'Tools and operations the agent may be granted.' }),
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

const RegisterAgentPayload = builder.objectRef<RegisteredAgent>('RegisterAgentPayload').implement({
  fields: (t) => ({
    agent: t.field({ type: Agent, resolve: (p) => p.agent }),
    credential: t.field({ type: IssuedCredential, resolve: (p) => p.credential }),
  }),
});

const UniversalLogoutPayload = builder.objectRef<{ agent: AgentState }>('UniversalLogoutPayload').implement({
  fields: (t) => ({
    agent: t.field({ type: Agent, resolve: (p) => p.agent }),
    revokedAt: t.field({
      type: 'DateTime',
      description: 'Every token issued at or before this instant is refused.',
      resolve: (p) => p.agent.revokedBefore!,
    }),
  }),
});

builder.mutationFields((t) => ({
  setAgentAllowedTools: t.field({
    type: AgentPayload,
    description: 'Sets the tools and operations an agent may be granted (replacing the previous set). Admins only.',
    authScopes: { admin: true },
    args: {
      input: t.arg({
        type: builder.inputType('SetAgentAllowedToolsInput', {
          fields: (f) => ({
            agentId: f.id({ required: true, validate: agentId }),
            tools: f.field({ type: [AllowedToolInput], required: true }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_root, { input }, ctx) => ({
      agent: await ctx.services.agentCommands.setAllowedTools(
        commanderOf(ctx.principal),
        String(input.agentId),
        input.tools,
      ),
    }),
  }),
  rotateAgentCredential: t.field({
    type: AgentPayload,
    description:
      'Starts a credential rotation now: a successor (the given public key, or one Warden generates) works alongside the current key until that one expires.',
    authScopes: (_root, { input }) => ({ admin: true, ownerOfAgent: String(input.agentId) }),
    args: {
      input: t.arg({
        type: builder.inputType('RotateAgentCredentialInput', {
          fields: (f) => ({
            agentId: f.id({ required: true, validate: agentId }),
            publicJwk: f.field({ type: 'JSON' }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_root, { input }, ctx) => ({
      agent: await ctx.services.agentCommands.rotateCredential(
        commanderOf(ctx.principal),
        String(input.agentId),
        input.publicJwk ?? undefined,
      ),
    }),
  }),
  setAgentRiskPolicy: t.field({
    type: 'JSON',
    nullable: true,
    description:
      "Sets the agent's risk policy over Warden's defaults (thresholds, warm-up, hard rules; null resets). Only the policy's own fields, each of its type and range; anything else is BAD_USER_INPUT naming the field. Admins only.",
    authScopes: { admin: true },
    args: {
      input: t.arg({
        type: builder.inputType('SetAgentRiskPolicyInput', {
          fields: (f) => ({ agentId: f.id({ required: true, validate: agentId }), policy: f.field({ type: 'JSON' }) }),
        }),
        required: true,
      }),
    },
    resolve: (_root, { input }, ctx) =>
      ctx.services.agentCommands.setRiskPolicy(commanderOf(ctx.principal), String(input.agentId), input.policy ?? null),
  }),
  collectCredentialSuccessor: t.withAuth({ agent: true }).field({
    type: CollectedCredential,
    description: 'For an agent: collects the successor private key Warden generated for it. Works once.',
    resolve: (_root, _args, ctx) => ctx.services.agentCommands.collectSuccessor(ctx.principal.agentId),
  }),
  universalLogout: t.field({
    type: UniversalLogoutPayload,
    description:
      'Revokes every token the agent holds, at once, everywhere, and suspends it; its owner is told and Shared Signals receivers get a CAEP session-revoked event.',
    authScopes: (_root, { input }) => ({ admin: true, security: true, ownerOfAgent: String(input.agentId) }),
    args: { input: t.arg({ type: AgentStatusChangeInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      agent: await ctx.services.agentCommands.universalLogout(
        commanderOf(ctx.principal),
        String(input.agentId),
        input.reason,
      ),
    }),
  }),
  registerAgent: t.field({
    type: RegisterAgentPayload,
    description: 'Registers an agent owned by a known person; it starts ACTIVE. Admins only.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: RegisterAgentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ctx.services.agentCommands.register(commanderOf(ctx.principal), {
        name: input.name,
        ownerEmail: input.ownerEmail,
        platform: input.platform,
        description: input.description ?? '',
        publicJwk: input.publicJwk ?? undefined,
        allowedTools: input.allowedTools ?? [],
      }),
  }),
  suspendAgent: t.field({
    type: AgentPayload,
    description:
      "Suspends an ACTIVE agent, revoking every token it holds unless revokeTokens is false (then earlier tokens work again after a resume, until they expire). Admins, the security team, and the agent's owner.",
    args: {
      input: t.arg({
        type: builder.inputType('SuspendAgentInput', {
          fields: (f) => ({
            agentId: f.id({ required: true, validate: agentId }),
            reason: f.string({ required: true, validate: reason }),
            revokeTokens: f.boolean({
              required: true,
              defaultValue: true,
              description: 'Also revoke every token issued so far (universal logout). Default true.',
            }),
          }),
        }),
        required: true,
      }),
    },
    authScopes: (_root, { input }) => ({ admin: true, security: true, ownerOfAgent: String(input.agentId) }),
    resolve: async (_root, { input }, ctx) => ({
      agent: await ctx.services.agentCommands.suspend(
        commanderOf(ctx.principal),
        String(input.agentId),
        input.reason,
        input.revokeTokens,
      ),
    }),
  }),
  resumeAgent: t.field({
    type: AgentPayload,
    description: 'Returns a SUSPENDED agent to ACTIVE. Admins only.',
    args: { input: t.arg({ type: AgentStatusChangeInput, required: true }) },
    authScopes: { admin: true },
    resolve: async (_root, { input }, ctx) => ({
      agent: await ctx.services.agentCommands.resume(commanderOf(ctx.principal), String(input.agentId), input.reason),
    }),
  }),
  decommissionAgent: t.field({
    type: AgentPayload,
    description: 'Retires an agent for good (DECOMMISSIONED is final). Admins only.',
    args: { input: t.arg({ type: AgentStatusChangeInput, required: true }) },
    authScopes: { admin: true },
    resolve: async (_root, { input }, ctx) => ({
      agent: await ctx.services.agentCommands.decommission(
        commanderOf(ctx.principal),
        String(input.agentId),
        input.reason,
      ),
    }),
  }),
  transferAgentOwnership: t.field({
    type: AgentPayload,
    description: 'Gives an ACTIVE or SUSPENDED agent to another known person. Admins only.',
    args: { input: t.arg({ type: TransferAgentOwnershipInput, required: true }) },
    authScopes: { admin: true },
    resolve: async (_root, { input }, ctx) => ({
      agent: await ctx.services.agentCommands.transferOwnership(
        commanderOf(ctx.principal),
        String(input.agentId),
        input.ownerEmail,
        input.reason ?? undefined,
      ),
    }),
  }),
}));
