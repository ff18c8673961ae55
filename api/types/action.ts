/**
 * ActionRequest: a sensitive request of an agent, its risk, its decision and its approval. Agents request
 * actions; their owners and the security team see and decide them. A grant is shown only to the agent
 * that asked.
 */
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { z } from 'zod';
import {
  ACTION_DECISIONS,
  ACTION_LIMITS,
  ACTION_STATUSES,
  type ActionApproval,
  type ActionGrant,
  type ActionRecord,
  type RiskReason,
} from '../../domain/actions.js';
import { badInput } from '../../domain/errors.js';
import { principalExpiresAt, seesAllAgents, type Principal } from '../auth/principal.js';
import type { WardenContext } from '../context.js';
import { builder } from '../builder.js';
import type { ActionSummary, DecisionCommand as DecisionCommandModel } from '../services/actions.js';
import { Agent } from './agent.js';

const ActionDecision = builder.enumType('ActionDecision', { values: ACTION_DECISIONS });
const ActionStatus = builder.enumType('ActionStatus', { values: ACTION_STATUSES });

const Reason = builder.objectRef<RiskReason>('RiskReason').implement({
  fields: (t) => ({
    signal: t.exposeString('signal'),
    contribution: t.exposeFloat('contribution'),
    detail: t.exposeString('detail'),
  }),
});

const Risk = builder.objectRef<{ score: number; reasons: RiskReason[] }>('Risk').implement({
  fields: (t) => ({ score: t.exposeInt('score'), reasons: t.field({ type: [Reason], resolve: (r) => r.reasons }) }),
});

const Approval = builder.objectRef<ActionApproval>('Approval').implement({
  fields: (t) => ({
    deadline: t.field({ type: 'DateTime', resolve: (a) => a.deadline }),
    decidedBy: t.exposeString('decidedBy', { nullable: true }),
    decision: t.exposeString('decision', { nullable: true }),
    comment: t.exposeString('comment', { nullable: true }),
    decidedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.decidedAt }),
  }),
});

const Grant = builder.objectRef<ActionGrant>('Grant').implement({
  description: 'A grant bound to exactly this request (tool, operation, resource, volume ceiling).',
  fields: (t) => ({
    token: t.exposeString('token'),
    audience: t.exposeString('audience'),
    scope: t.exposeStringList('scope'),
    expiresAt: t.field({ type: 'DateTime', resolve: (g) => g.expiresAt }),
  }),
});

/** The full record, loaded on demand when a list item is asked for more than its summary. */
const full = async (
  a: ActionSummary,
  ctx: { services: { actions: { get(id: string, agentId?: string): Promise<ActionRecord> } } },
): Promise<ActionRecord> => (a.workflowId ? (a as ActionRecord) : await ctx.services.actions.get(a.id, a.agentId));

export const ActionRequest = builder.objectRef<ActionSummary>('ActionRequest').implement({
  // The agent that asked; its agent's owner now (not when it asked); admins and the security team.
  authScopes: (a, ctx) =>
    ctx.principal.kind === 'agent' && ctx.principal.agentId === a.agentId
      ? true
      : { admin: true, security: true, ownerOfAgent: a.agentId },
  fields: (t) => ({
    id: t.exposeID('id'),
    agent: t.field({ type: Agent, resolve: (a, _args, ctx) => ctx.services.agents.get(a.agentId) }),
    tool: t.exposeString('tool'),
    operation: t.exposeString('operation'),
    sensitivity: t.string({ resolve: (a) => a.sensitivity }),
    resourceId: t.string({
      nullable: true,
      resolve: (a) => a.resourceId,
    }),
    volume: t.exposeInt('volume'),
    amount: t.exposeFloat('amount'),
    justification: t.string({ resolve: async (a, _args, ctx) => (await full(a, ctx)).justification }),
    decision: t.field({ type: ActionDecision, nullable: true, resolve: (a) => a.decision }),
    status: t.field({ type: ActionStatus, resolve: (a) => a.status }),
    contained: t.boolean({
      resolve: (a) => a.contained,
    }),
    risk: t.field({ type: Risk, nullable: true, resolve: async (a, _args, ctx) => (await full(a, ctx)).risk }),
    approval: t.field({
      type: Approval,
      nullable: true,
      resolve: (a) => a.approval,
    }),
    grant: t.field({
      type: Grant,
      nullable: true,
      description: 'Only the agent that asked sees its grant.',
      resolve: async (a, _args, ctx) =>
        ctx.principal.kind === 'agent' && ctx.principal.agentId === a.agentId
          ? (a.grant ?? ctx.services.actions.grantOf(await full(a, ctx)))
          : null,
    }),
    requestedAt: t.field({ type: 'DateTime', resolve: (a) => a.requestedAt }),
    decidedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.decidedAt }),
    workflowId: t.string({
      description: "The workflow that decided it: its own action workflow, or (routine actions) the agent's.",
      resolve: async (a, _args, ctx) => (await full(a, ctx)).workflowId,
    }),
  }),
});

const RequestActionInput = builder.inputType('RequestActionInput', {
  fields: (t) => ({
    tool: t.string({ required: true, validate: z.string().max(63) }),
    operation: t.string({ required: true, validate: z.string().max(64) }),
    resourceId: t.string({ validate: z.string().max(ACTION_LIMITS.resourceIdMax) }),
    volume: t.int({ required: true, defaultValue: 0 }),
    amount: t.float({ required: true, defaultValue: 0 }),
    justification: t.string({
      required: true,
      defaultValue: '',
      validate: z.string().max(ACTION_LIMITS.justificationMax),
    }),
    idempotencyKey: t.string({ required: true, validate: z.string().max(ACTION_LIMITS.idempotencyKeyMax) }),
    context: t.field({
      type: 'JSON',
      description: 'Free key/values, e.g. {"sourceNetwork": "10.2.0.0/16", "onBehalfOf": "alice@example.com"}.',
    }),
  }),
});

const ActionPayload = builder.objectRef<{ action: ActionSummary }>('ActionPayload').implement({
  fields: (t) => ({ action: t.field({ type: ActionRequest, resolve: (p) => p.action }) }),
});

const ActionFilter = builder.inputType('ActionFilter', {
  fields: (t) => ({ agentId: t.id(), status: t.field({ type: ActionStatus }) }),
});

function contextOf(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badInput('context must be an object of key/values');
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  );
}

builder.queryFields((t) => ({
  actionRequest: t.field({
    type: ActionRequest,
    nullable: true,
    args: { id: t.arg.id({ required: true, validate: z.string().max(64) }) },
    authScopes: { authenticated: true },
    resolve: async (_root, args, ctx) => {
      const action = await ctx.services.actions.get(
        String(args.id),
        ctx.principal.kind === 'agent' ? ctx.principal.agentId : undefined,
      );
      return { ...action, score: action.risk?.score ?? null };
    },
  }),
  actionRequests: t.connection({
    type: ActionRequest,
    authScopes: { authenticated: true },
    args: { filter: t.arg({ type: ActionFilter }) },
    description: "Actions, newest first: an agent sees its own, an owner their agents', admins and security all.",
    resolve: (_root, args, ctx) => {
      const p = ctx.principal;
      const filter = {
        agentId: args.filter?.agentId ? String(args.filter.agentId) : null,
        status: args.filter?.status ?? null,
        ownerEmail: null as string | null,
      };
      if (p.kind === 'agent') filter.agentId = p.agentId;
      else if (!seesAllAgents(p)) filter.ownerEmail = p.email;
      return resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, ({ limit, offset }) =>
        ctx.services.actions.list(filter, limit, offset),
      );
    },
  }),
  pendingApprovals: t.connection({
    type: ActionRequest,
    authScopes: { human: true },
    description:
      'What waits for a decision you may make: your agents\u2019 actions, or all of them for the security team.',
    resolve: (_root, args, ctx) => {
      return resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, ({ limit, offset }) =>
        ctx.services.actions.list(
          { status: 'PENDING_APPROVAL', ownerEmail: decidableBy(ctx.principal) },
          limit,
          offset,
        ),
      );
    },
  }),
}));

builder.mutationFields((t) => ({
  requestAction: t.field({
    type: ActionPayload,
    description:
      'For an agent: asks to perform a sensitive action. ALLOW and DENY come back at once; REVIEW comes back pending.',
    authScopes: { agent: true },
    args: { input: t.arg({ type: RequestActionInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      if (ctx.principal.kind !== 'agent') throw new Error('unreachable');
      const action = await ctx.services.actions.request(ctx.principal.agentId, {
        tool: input.tool,
        operation: input.operation,
        resourceId: input.resourceId ?? null,
        volume: input.volume,
        amount: input.amount,
        justification: input.justification,
        idempotencyKey: input.idempotencyKey,
        context: contextOf(input.context),
      });
      return { action: { ...action, score: action.risk?.score ?? null } };
    },
  }),
  approveAction: t.field({
    type: ActionPayload,
    description:
      "Approves a held action (the agent's owner or the security team, as the directory says now). The grant is for exactly the approved request.",
    authScopes: { human: true },
    args: {
      input: t.arg({
        type: builder.inputType('ApproveActionInput', {
          fields: (f) => ({
            actionId: f.id({ required: true }),
            comment: f.string({ validate: z.string().max(ACTION_LIMITS.commentMax) }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      if (ctx.principal.kind !== 'human') throw new Error('unreachable');
      const action = await ctx.services.actions.approve(
        ctx.principal.email,
        String(input.actionId),
        input.comment ?? '',
      );
      return { action: { ...action, score: action.risk?.score ?? null } };
    },
  }),
  denyAction: t.field({
    type: ActionPayload,
    description: "Denies a held action (the agent's owner or the security team).",
    authScopes: { human: true },
    args: {
      input: t.arg({
        type: builder.inputType('DenyActionInput', {
          fields: (f) => ({
            actionId: f.id({ required: true }),
            reason: f.string({ required: true, validate: z.string().max(ACTION_LIMITS.commentMax) }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      if (ctx.principal.kind !== 'human') throw new Error('unreachable');
      const action = await ctx.services.actions.deny(ctx.principal.email, String(input.actionId), input.reason);
      return { action: { ...action, score: action.risk?.score ?? null } };
    },
  }),
}));

const DecisionCommand = builder.objectRef<DecisionCommandModel>('ActionDecisionCommand').implement({
  description:
    'A decision on a held action as a Temporal Update anyone may send for you (the Temporal CLI, with the codec server): ' +
    "the request and a statement Warden signed now, naming you, your roles and the agent's owner. It works once, until it expires.",
  fields: (t) => ({
    workflowId: t.exposeString('workflowId'),
    update: t.exposeString('update', { description: 'approveAction or denyAction.' }),
    input: t.field({
      type: 'JSON',
      description: 'The Update\'s argument: {"request": {"comment": …}, "proof": "<signed statement>"}.',
      resolve: (c) => c.input,
    }),
    expiresAt: t.field({ type: 'DateTime', resolve: (c) => c.expiresAt }),
  }),
});

builder.mutationField('actionDecisionCommand', (t) =>
  t.field({
    type: DecisionCommand,
    description:
      'Signs your decision on a held action without sending it, for the Temporal CLI or UI (npm run approve). Changes nothing by itself.',
    authScopes: { human: true },
    args: {
      input: t.arg({
        type: builder.inputType('ActionDecisionCommandInput', {
          fields: (f) => ({
            actionId: f.id({ required: true, validate: z.string().max(64) }),
            approve: f.boolean({ required: true }),
            comment: f.string({ validate: z.string().max(ACTION_LIMITS.commentMax) }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_root, { input }, ctx) =>
      ctx.services.actions.decisionCommand(
        (ctx.principal as { email: string }).email,
        String(input.actionId),
        input.approve,
        input.comment ?? '',
      ),
  }),
);

// --- Subscriptions (GraphQL over SSE) ------------------------------------------------------------------
// API processes are stateless, so subscriptions watch Temporal (the action's query, or visibility) at a
// short interval rather than an in-memory bus that another process's events would never reach.

const POLL_MS = 500;
const MAX_SUBSCRIPTION_MS = 24 * 3600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Runs `poll` every `everyMs` for as long as the caller's token is good: a subscription ends when the token
 * expires, is revoked, or (a person) no longer carries the authority `still` asks for — never later than 24 h.
 */
async function* whileAuthorized<T>(
  ctx: WardenContext,
  everyMs: number,
  poll: (principal: Principal) => Promise<{ emit: T[]; done?: boolean }>,
): AsyncGenerator<T> {
  const until = Math.min(Date.now() + MAX_SUBSCRIPTION_MS, principalExpiresAt(ctx.principal).getTime());
  for (let first = true; Date.now() < until; first = false) {
    if (!first) await sleep(Math.min(everyMs, until - Date.now()));
    const principal = await ctx.reauthenticate();
    if (!principal || Date.now() >= until) return;
    const { emit, done } = await poll(principal);
    yield* emit;
    if (done) return;
  }
}

/** Whose held actions a person may decide: everyone's for the security team, their own agents' otherwise. */
const decidableBy = (p: Principal): string | null =>
  p.kind === 'human' && !p.roles.includes('security') ? p.email : null;

builder.subscriptionType({});

builder.subscriptionFields((t) => ({
  actionDecided: t.field({
    type: ActionRequest,
    description:
      'Emits the action now and whenever its status changes; ends when it is final, or when your token expires or is revoked.',
    args: { actionId: t.arg.id({ required: true, validate: z.string().max(64) }) },
    authScopes: { authenticated: true },
    subscribe: (_root, args, ctx) => {
      let last = '';
      return whileAuthorized(ctx, POLL_MS, async (p) => {
        const action = await ctx.services.actions.get(
          String(args.actionId),
          p.kind === 'agent' ? p.agentId : undefined,
        );
        const changed = action.status !== last;
        last = action.status;
        return {
          emit: changed ? [{ ...action, score: action.risk?.score ?? null }] : [],
          done: ['ALLOWED', 'APPROVED', 'DENIED', 'EXPIRED'].includes(action.status),
        };
      });
    },
    resolve: (action) => action as ActionSummary,
  }),
  approvalRequested: t.field({
    type: ActionRequest,
    description: 'Emits each action that starts waiting for a decision you may make; ends when your token expires.',
    authScopes: { human: true },
    subscribe: (_root, _args, ctx) => {
      let seen: Set<string> | null = null;
      return whileAuthorized(ctx, POLL_MS * 2, async (p) => {
        // Who may decide what is read at every poll: an owner's agents now, the security role now.
        const pending = await ctx.services.actions.list(
          { status: 'PENDING_APPROVAL', ownerEmail: decidableBy(p) },
          100,
          0,
        );
        const fresh = seen ? pending.filter((a) => !seen!.has(a.id)) : [];
        seen = new Set([...(seen ?? []), ...pending.map((a) => a.id)]);
        return { emit: fresh };
      });
    },
    resolve: (action) => action as ActionSummary,
  }),
}));
