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
import { builder } from '../builder.js';
import type { DecisionCommand as DecisionCommandModel } from '../services/action-commands.js';
import type { ActionSummary } from '../services/action-directory.js';
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

export const Approval = builder.objectRef<ActionApproval>('Approval').implement({
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
  // The agent that asked; its agent's owner now (not when it asked); admins and the security team; anyone
  // its approval route names as a decider (now or once it escalates).
  authScopes: (a) => ({ selfAgent: a.agentId, admin: true, security: true, ownerOfAgent: a.agentId, deciderOf: a }),
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
      description:
        'The decision contains the agent: it is suspended, and every token it was issued up to the decision is refused from this answer on.',
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
      authScopes: (a) => ({ selfAgent: a.agentId }),
      // Anyone else who may see the action sees it without a grant, not an error.
      unauthorizedResolver: () => null,
      resolve: async (a, _args, ctx) => a.grant ?? ctx.services.actionCommands.grantOf(await full(a, ctx)),
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
    resolve: (_root, args, ctx) => ctx.services.actions.getAs(ctx.principal, String(args.id)),
  }),
  actionRequests: t.connection({
    type: ActionRequest,
    authScopes: { authenticated: true },
    args: { filter: t.arg({ type: ActionFilter }) },
    description: "Actions, newest first: an agent sees its own, an owner their agents', admins and security all.",
    resolve: (_root, args, ctx) => {
      const filter = ctx.services.actions.visibleTo(ctx.principal, {
        agentId: args.filter?.agentId ? String(args.filter.agentId) : null,
        status: args.filter?.status ?? null,
      });
      return resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, ({ limit, offset }) =>
        ctx.services.actions.list(filter, limit, offset),
      );
    },
  }),
  pendingApprovals: t.withAuth({ human: true }).connection({
    type: ActionRequest,
    description:
      'Held actions waiting for your vote now, newest first: as the approval routing policy names you (owner, role, address, or a delegation to you), after any escalation, and not yet voted on by you.',
    resolve: (_root, args, ctx) =>
      resolveOffsetConnection({ args, defaultSize: 20, maxSize: 100 }, ({ limit, offset }) =>
        ctx.services.actions.heldFor(ctx.services.approvalStanding.forViewer(ctx.principal), limit, offset),
      ),
  }),
}));

const ApproveActionInput = builder.inputType('ApproveActionInput', {
  fields: (f) => ({
    actionId: f.id({ required: true }),
    comment: f.string({ validate: z.string().max(ACTION_LIMITS.commentMax) }),
  }),
});

const DenyActionInput = builder.inputType('DenyActionInput', {
  fields: (f) => ({
    actionId: f.id({ required: true }),
    reason: f.string({ required: true, validate: z.string().max(ACTION_LIMITS.commentMax) }),
  }),
});

builder.mutationFields((t) => ({
  requestAction: t.withAuth({ agent: true }).field({
    type: ActionPayload,
    description:
      'For an agent: asks to perform a sensitive action. ALLOW and DENY come back at once; REVIEW comes back pending.',
    args: { input: t.arg({ type: RequestActionInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      action: await ctx.services.actionCommands.request(ctx.principal.agentId, {
        tool: input.tool,
        operation: input.operation,
        resourceId: input.resourceId ?? null,
        volume: input.volume,
        amount: input.amount,
        justification: input.justification,
        idempotencyKey: input.idempotencyKey,
        context: contextOf(input.context),
      }),
    }),
  }),
  approveAction: t.withAuth({ human: true }).field({
    type: ActionPayload,
    description:
      'Votes to approve a held action, as its approval route allows you now (docs/approvals.md). The vote that completes the quorum approves it, and its grant is for exactly the approved request; an earlier one answers with the action still PENDING_APPROVAL.',
    args: { input: t.arg({ type: ApproveActionInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      action: await ctx.services.actionCommands.approve(
        ctx.principal.email,
        String(input.actionId),
        input.comment ?? '',
      ),
    }),
  }),
  denyAction: t.withAuth({ human: true }).field({
    type: ActionPayload,
    description: 'Denies a held action, as its approval route allows you now: any decider’s denial ends it.',
    args: { input: t.arg({ type: DenyActionInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      action: await ctx.services.actionCommands.deny(ctx.principal.email, String(input.actionId), input.reason),
    }),
  }),
}));

const DecisionCommand = builder.objectRef<DecisionCommandModel>('ActionDecisionCommand').implement({
  // Who may see the held action may have a command for it: the statement names the agent's owner. (The action's
  // workflow still checks, when the command is sent, that the person may decide then.)
  authScopes: (c) => ({ admin: true, security: true, ownerOfAgent: c.held.agentId, deciderOf: c.held }),
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
  t.withAuth({ human: true }).field({
    type: DecisionCommand,
    description:
      'Signs your decision on a held action without sending it, for the Temporal CLI or UI (npm run approve). Changes nothing by itself.',
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
      ctx.services.actionCommands.decisionCommand(
        ctx.principal.email,
        String(input.actionId),
        input.approve,
        input.comment ?? '',
      ),
  }),
);

// --- Subscriptions (GraphQL over SSE): they poll Temporal for as long as the caller's token is good ------

builder.subscriptionType({});

builder.subscriptionFields((t) => ({
  actionDecided: t.field({
    type: ActionRequest,
    description:
      'Emits the action now and whenever its status or its approval changes (a vote, an escalation); ends when it is final, or when your token expires or is revoked.',
    args: { actionId: t.arg.id({ required: true, validate: z.string().max(64) }) },
    authScopes: { authenticated: true },
    subscribe: (_root, args, ctx) => ctx.services.actions.watchDecision(ctx, String(args.actionId)),
    resolve: (action) => action as ActionSummary,
  }),
  approvalRequested: t.withAuth({ human: true }).field({
    type: ActionRequest,
    description:
      'Emits each held action when it starts waiting for your vote (when held, or when it escalates to you); ends when your token expires.',
    subscribe: (_root, _args, ctx) =>
      ctx.services.actions.watchApprovals(ctx, (viewer) => ctx.services.approvalStanding.forViewer(viewer)),
    resolve: (action) => action as ActionSummary,
  }),
}));
