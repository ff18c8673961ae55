/**
 * How a held action is routed (the approval routing policy's rule), the votes cast so far, and where the
 * signed-in person stands: may they decide it, and if not, why not. The workflow enforces the same rules
 * (domain/approval-policy.ts) on each vote's signed statement.
 */
import { openDeciders, waitingFor, type ApprovalTier, type ApprovalVote } from '../../domain/approval-policy.js';
import type { ActionApproval } from '../../domain/actions.js';
import { builder } from '../builder.js';
import { ActionRequest, Approval } from './action.js';

interface TierView extends ApprovalTier {
  level: number;
  opensAt: string;
  open: boolean;
}

const Tier = builder.objectRef<TierView>('ApprovalTier').implement({
  description: 'Who may decide, from when: the first tier from the start, each later one once the action escalates.',
  fields: (t) => ({
    level: t.exposeInt('level'),
    deciders: t.exposeStringList('deciders', {
      description: '"owner" (the agent\'s owner), a role (security, admin, approver) or a person\'s email address.',
    }),
    opensAt: t.field({ type: 'DateTime', resolve: (v) => v.opensAt }),
    open: t.exposeBoolean('open'),
  }),
});

const Vote = builder.objectRef<ApprovalVote>('ApprovalVote').implement({
  description: 'One person’s approval or denial, in the capacities it counted in.',
  fields: (t) => ({
    by: t.exposeString('by'),
    capacities: t.exposeStringList('capacities', {
      description: 'What the vote counted as: owner, roles, the person’s and their delegators’ addresses.',
    }),
    onBehalfOf: t.exposeStringList('onBehalfOf', { description: 'People whose delegated approvals it used.' }),
    decision: t.exposeString('decision'),
    comment: t.exposeString('comment', { nullable: true }),
    at: t.field({ type: 'DateTime', resolve: (v) => v.at }),
  }),
});

const tiersOf = (a: ActionApproval): TierView[] =>
  a.route.tiers.map((tier, level) => ({
    ...tier,
    level,
    opensAt: new Date(Date.parse(a.heldAt) + tier.afterMs).toISOString(),
    open: level <= a.level,
  }));

builder.objectFields(Approval, (t) => ({
  rule: t.string({
    description: 'The routing rule that matched ("default" when none did).',
    resolve: (a) => a.route.rule,
  }),
  approvalsRequired: t.int({ resolve: (a) => a.route.approvals }),
  mustInclude: t.stringList({
    description: 'Deciders that must be among the approvers.',
    resolve: (a) => a.route.mustInclude,
  }),
  ownerMayApproveAlone: t.boolean({ resolve: (a) => a.route.ownerMayApproveAlone }),
  tiers: t.field({ type: [Tier], resolve: tiersOf }),
  escalationLevel: t.int({ resolve: (a) => a.level }),
  openDeciders: t.stringList({ description: 'Who may decide now.', resolve: (a) => openDeciders(a.route, a.level) }),
  votes: t.field({ type: [Vote], resolve: (a) => a.votes }),
  waitingFor: t.string({
    description: 'What the action still waits for, in words (empty once decided).',
    resolve: (a) => (a.decision ? '' : waitingFor(a.route, a.level, a.votes)),
  }),
}));

builder.objectFields(ActionRequest, (t) => ({
  viewerCanDecide: t.boolean({
    description: 'Whether you may approve or deny this action now (as the workflow would judge your vote).',
    resolve: async (a, _args, ctx) =>
      ctx.principal.kind === 'human' &&
      (await ctx.services.approvalStanding.forViewer(ctx.principal).decision(a)).canDecide,
  }),
  viewerDecisionNote: t.string({
    nullable: true,
    description: 'In which capacity you would decide, or why you may not.',
    resolve: async (a, _args, ctx) =>
      ctx.principal.kind === 'human'
        ? (await ctx.services.approvalStanding.forViewer(ctx.principal).decision(a)).note
        : 'Only a person decides a held action.',
  }),
}));
