/**
 * Discovery: sweeps that find shadow agents, the findings they raise, dismissing a finding, and claiming
 * a discovered agent. The security team and admins run sweeps and triage findings; admins claim agents.
 */
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { z } from 'zod';
import { LIMITS, type AgentState } from '../../domain/agents.js';
import { DISCOVERY_SOURCES, type Dismissal, type FindingRecord } from '../../domain/discovery.js';
import { commanderOf } from '../auth/principal.js';
import { builder } from '../builder.js';
import type { RegisteredAgent } from '../services/agent-commands.js';
import type { AgentRecord } from '../services/agent-directory.js';
import type { SweepRecord } from '../services/discovery.js';
import type { SweepSourceSummary } from '../../workflows/discovery-sweep.js';
import { Agent, AllowedToolInput } from './agent.js';

export const DiscoverySource = builder.enumType('DiscoverySource', {
  description:
    'Where a finding came from: network traffic, browser extensions, cloud agent platforms, endpoints (MCP configs, processes).',
  values: DISCOVERY_SOURCES,
});

const SweepStatus = builder.enumType('DiscoverySweepStatus', { values: ['RUNNING', 'COMPLETED', 'FAILED'] as const });
const SourceRunState = builder.enumType('DiscoverySourceRunState', {
  values: ['PENDING', 'SCANNING', 'RECONCILING', 'DONE', 'FAILED'] as const,
});

const EvidenceEntry = builder.objectRef<[string, string]>('EvidenceEntry').implement({
  fields: (t) => ({ key: t.string({ resolve: ([k]) => k }), value: t.string({ resolve: ([, v]) => v }) }),
});

const FindingDismissal = builder.objectRef<Dismissal>('FindingDismissal').implement({
  fields: (t) => ({
    by: t.exposeString('by'),
    reason: t.exposeString('reason'),
    at: t.field({ type: 'DateTime', resolve: (d) => d.at }),
  }),
});

export const DiscoveryFinding = builder.objectRef<FindingRecord>('DiscoveryFinding').implement({
  description: 'What one source saw of one agent: its latest evidence (secrets redacted) and when it was seen.',
  fields: (t) => ({
    id: t.exposeID('id'),
    agentId: t.exposeID('agentId'),
    fingerprint: t.exposeString('fingerprint', { description: 'Stable identity of the agent the evidence points at.' }),
    source: t.field({ type: DiscoverySource, resolve: (f) => f.source }),
    sourceName: t.exposeString('sourceName', { description: 'The configured source that saw it.' }),
    kind: t.exposeString('kind', {
      description:
        'llm-egress, agent-user-agent, ai-extension, vertex-reasoning-engine, bedrock-agent, azure-foundry-agent, mcp-server, agent-process.',
    }),
    agentName: t.exposeString('agentName'),
    platform: t.exposeString('platform'),
    host: t.exposeString('host', { nullable: true }),
    user: t.exposeString('user', { nullable: true }),
    proposedOwnerEmail: t.exposeString('proposedOwnerEmail', { nullable: true }),
    evidence: t.field({ type: [EvidenceEntry], resolve: (f) => Object.entries(f.evidence) }),
    firstSeen: t.field({ type: 'DateTime', resolve: (f) => f.firstSeen }),
    lastSeen: t.field({ type: 'DateTime', resolve: (f) => f.lastSeen }),
    count: t.exposeInt('count', { description: 'Observations in the latest sweep that saw it.' }),
    sweepId: t.exposeString('lastSweepId', { description: 'The latest sweep that saw it.' }),
    dismissal: t.field({ type: FindingDismissal, nullable: true, resolve: (f) => f.dismissal }),
  }),
});

const SweepSource = builder.objectRef<SweepSourceSummary>('DiscoverySweepSource').implement({
  description: 'One configured source in a sweep: how much it read, what it could not understand, what it found.',
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.exposeString('type', { description: 'zeek, squid, osquery, mcp-configs, vertex or bedrock.' }),
    covers: t.field({ type: [DiscoverySource], resolve: (s) => s.covers }),
    state: t.field({ type: SourceRunState, resolve: (s) => s.state }),
    read: t.exposeInt('read', { description: 'Records read (lines, rows, config entries, API items).' }),
    malformed: t.exposeInt('malformed', {
      description: 'Records that could not be understood (bad JSON, invalid UTF-8, over-long…).',
    }),
    skipped: t.exposeInt('skipped'),
    errors: t.exposeStringList('errors'),
    findings: t.exposeInt('findings'),
    newAgents: t.exposeInt('newAgents'),
    knownAgents: t.exposeInt('known'),
    dismissed: t.exposeInt('dismissed', {
      description: 'Findings dismissed earlier whose evidence is unchanged (not raised).',
    }),
  }),
});

const NewAgent = builder.objectRef<{ agentId: string; name: string }>('DiscoveredAgentRef').implement({
  fields: (t) => ({ agentId: t.exposeID('agentId'), name: t.exposeString('name') }),
});

export const DiscoverySweep = builder.objectRef<SweepRecord>('DiscoverySweep').implement({
  description: 'One discovery sweep (a Temporal workflow started by the discovery schedule).',
  fields: (t) => ({
    id: t.exposeID('sweepId', { description: 'The workflow id of the sweep.' }),
    status: t.field({ type: SweepStatus, resolve: (s) => s.status }),
    startedAt: t.field({ type: 'DateTime', resolve: (s) => s.startedAt }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.finishedAt }),
    read: t.exposeInt('read'),
    malformed: t.exposeInt('malformed'),
    findings: t.exposeInt('findings'),
    newAgentCount: t.exposeInt('newAgentCount'),
    sources: t.field({
      type: [SweepSource],
      resolve: async (s, _args, ctx) => (s.detail ?? (await ctx.services.discovery.get(s.sweepId)).detail!).sources,
    }),
    newAgents: t.field({
      type: [NewAgent],
      resolve: async (s, _args, ctx) => (s.detail ?? (await ctx.services.discovery.get(s.sweepId)).detail!).newAgents,
    }),
    errors: t.field({
      type: ['String'],
      resolve: async (s, _args, ctx) => (s.detail ?? (await ctx.services.discovery.get(s.sweepId)).detail!).errors,
    }),
  }),
});

/** What discovery knows of an agent, read from its workflow unless the record already has it. */
async function discoveryOf(a: AgentRecord, ctx: { services: { agents: { get(id: string): Promise<AgentState> } } }) {
  // A record from visibility has no events; one read from the workflow has its full state.
  return a.events !== undefined ? (a.discovery ?? null) : ((await ctx.services.agents.get(a.id)).discovery ?? null);
}

builder.objectFields(Agent, (t) => ({
  findings: t.field({
    type: [DiscoveryFinding],
    description: 'What discovery sweeps saw of this agent, one finding per source and kind (dismissed ones included).',
    resolve: async (a, _args, ctx) => (await discoveryOf(a, ctx))?.findings ?? [],
  }),
  lastSeenAt: t.field({
    type: 'DateTime',
    nullable: true,
    description: 'When discovery last saw this agent.',
    resolve: async (a, _args, ctx) => (await discoveryOf(a, ctx))?.lastSeenAt ?? null,
  }),
  proposedOwnerEmail: t.string({
    nullable: true,
    description: 'Who the evidence says owns it (the user on the host, the cloud resource’s owner label).',
    resolve: async (a, _args, ctx) => (await discoveryOf(a, ctx))?.proposedOwnerEmail ?? null,
  }),
}));

const FindingFilter = builder.inputType('DiscoveryFindingFilter', {
  fields: (t) => ({
    source: t.field({ type: DiscoverySource }),
    agentId: t.id({ validate: z.string().uuid({ message: 'agentId must be an agent id (a UUID)' }) }),
    since: t.field({ type: 'DateTime', description: 'Only findings seen at or after this instant.' }),
    includeDismissed: t.boolean({ description: 'Also list dismissed findings (default: only raised ones).' }),
  }),
});

builder.queryFields((t) => ({
  discoverySweeps: t.connection({
    type: DiscoverySweep,
    description: 'Discovery sweeps, newest first.',
    authScopes: { admin: true, security: true },
    resolve: (_root, args, ctx) =>
      resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, ({ limit, offset }) =>
        ctx.services.discovery.list(limit, offset),
      ),
  }),
  discoverySweep: t.field({
    type: DiscoverySweep,
    description: 'One sweep, with its live progress while it runs.',
    authScopes: { admin: true, security: true },
    args: { id: t.arg.id({ required: true, validate: z.string().max(300) }) },
    resolve: (_root, args, ctx) => ctx.services.discovery.get(String(args.id)),
  }),
  discoveryFindings: t.connection({
    type: DiscoveryFinding,
    description: 'Findings raised by discovery (not dismissed, unless asked), agents seen most recently first.',
    authScopes: { admin: true, security: true },
    args: { filter: t.arg({ type: FindingFilter }) },
    resolve: (_root, args, ctx) =>
      resolveOffsetConnection({ args, defaultSize: 50, maxSize: 200 }, ({ limit, offset }) =>
        ctx.services.discovery.findings(
          {
            source: args.filter?.source ?? null,
            agentId: args.filter?.agentId ? String(args.filter.agentId) : null,
            since: args.filter?.since ? new Date(args.filter.since) : null,
            includeDismissed: args.filter?.includeDismissed ?? false,
          },
          limit,
          offset,
        ),
      ),
  }),
}));

const RunSweepPayload = builder
  .objectRef<{ sweep: SweepRecord; started: boolean }>('RunDiscoverySweepPayload')
  .implement({
    fields: (t) => ({
      sweep: t.field({ type: DiscoverySweep, resolve: (p) => p.sweep }),
      started: t.exposeBoolean('started', {
        description: 'False when a sweep was already running: that one is returned (two never run at once).',
      }),
    }),
  });

const IssuedCredentialRef = builder.objectRef<RegisteredAgent['credential']>('ClaimedAgentCredential').implement({
  description:
    'How the claimed agent authenticates from now on: its client id, and its private key when Warden generated it (shown once).',
  fields: (t) => ({
    clientId: t.exposeString('clientId'),
    kid: t.exposeString('kid'),
    privateJwk: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.privateJwk }),
    expiresAt: t.field({ type: 'DateTime', resolve: (c) => c.expiresAt }),
  }),
});

const ClaimAgentPayload = builder.objectRef<RegisteredAgent>('ClaimAgentPayload').implement({
  fields: (t) => ({
    agent: t.field({ type: Agent, resolve: (p) => p.agent }),
    credential: t.field({ type: IssuedCredentialRef, resolve: (p) => p.credential }),
  }),
});

const DismissFindingPayload = builder.objectRef<{ finding: FindingRecord }>('DismissFindingPayload').implement({
  fields: (t) => ({ finding: t.field({ type: DiscoveryFinding, resolve: (p) => p.finding }) }),
});

builder.mutationFields((t) => ({
  runDiscoverySweep: t.field({
    type: RunSweepPayload,
    description: 'Runs a discovery sweep now (or returns the one already running).',
    authScopes: { admin: true, security: true },
    resolve: (_root, _args, ctx) => ctx.services.discovery.runSweep(),
  }),
  claimAgent: t.field({
    type: ClaimAgentPayload,
    description:
      'Brings a DISCOVERED agent under governance: an owner (a known person), allowed tools and a credential; it becomes ACTIVE. Admins only.',
    authScopes: { admin: true },
    args: {
      input: t.arg({
        type: builder.inputType('ClaimAgentInput', {
          fields: (f) => ({
            agentId: f.id({
              required: true,
              validate: z.string().uuid({ message: 'agentId must be an agent id (a UUID)' }),
            }),
            ownerEmail: f.string({ required: true, validate: z.string().max(254) }),
            allowedTools: f.field({ type: [AllowedToolInput], required: true }),
            publicJwk: f.field({
              type: 'JSON',
              description:
                "The agent's own public key (JWK). Without one, Warden generates a key pair and returns the private key once.",
            }),
            reason: f.string({ validate: z.string().max(LIMITS.reasonMax) }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_root, { input }, ctx) =>
      ctx.services.agentCommands.claim(commanderOf(ctx.principal), String(input.agentId), {
        ownerEmail: input.ownerEmail,
        allowedTools: input.allowedTools,
        publicJwk: input.publicJwk ?? undefined,
        ...(input.reason ? { reason: input.reason } : {}),
      }),
  }),
  dismissFinding: t.field({
    type: DismissFindingPayload,
    description: 'Dismisses a finding (with a reason): it is not raised again unless its evidence changes.',
    authScopes: { admin: true, security: true },
    args: {
      input: t.arg({
        type: builder.inputType('DismissFindingInput', {
          fields: (f) => ({
            findingId: f.id({ required: true, validate: z.string().max(200) }),
            reason: f.string({ required: true, validate: z.string().max(LIMITS.reasonMax) }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_root, { input }, ctx) => ({
      finding: await ctx.services.discovery.dismissFinding(
        commanderOf(ctx.principal),
        String(input.findingId),
        input.reason,
      ),
    }),
  }),
}));
