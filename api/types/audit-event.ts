/** AuditEvent: one hash-chained record of the audit trail (OCSF inside a CloudEvents envelope). */
import { z } from 'zod';
import type { ChainedAuditEvent } from '../../audit/events.js';
import { badInput } from '../../domain/errors.js';
import { builder } from '../builder.js';

export const AuditEvent = builder.objectRef<ChainedAuditEvent>('AuditEvent').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    seq: t.int({ resolve: (e) => e.wardenseq }),
    type: t.exposeString('type', { description: 'CloudEvents type, e.g. io.warden.action.decided.' }),
    time: t.field({ type: 'DateTime', resolve: (e) => e.time }),
    subject: t.string({ nullable: true, description: 'The agent id.', resolve: (e) => e.subject ?? null }),
    message: t.string({ resolve: (e) => String((e.data as { message?: unknown }).message ?? '') }),
    hash: t.string({ resolve: (e) => e.wardenhash }),
    previousHash: t.string({ resolve: (e) => e.wardenprevhash }),
    cloudEvent: t.field({
      type: 'JSON',
      description: 'The whole record: CloudEvents envelope with the OCSF event as data.',
      resolve: (e) => e,
    }),
  }),
});

const AuditEventFilter = builder.inputType('AuditEventFilter', {
  fields: (t) => ({
    agentId: t.id(),
    type: t.string({ validate: z.string().max(100) }),
    actionId: t.id(),
    since: t.field({ type: 'DateTime' }),
    until: t.field({ type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  auditEvents: t.connection({
    type: AuditEvent,
    description: 'The audit trail, oldest first. Admins and the security team.',
    authScopes: { admin: true, security: true },
    args: { filter: t.arg({ type: AuditEventFilter }) },
    resolve: async (_root, args, ctx) => {
      if (args.last != null || args.before != null) throw badInput('auditEvents pages forward only (first/after).');
      const first = args.first ?? 50;
      if (first < 1 || first > 500) throw badInput('first must be 1 to 500');
      let after: number | null = null;
      if (args.after) {
        const m = /^seq:(\d{1,15})$/.exec(Buffer.from(args.after, 'base64url').toString());
        if (!m) throw badInput('after is not a cursor from this list');
        after = Number(m[1]);
      }
      const f = args.filter ?? {};
      const page = await ctx.audit.query(
        {
          agentId: f.agentId ? String(f.agentId) : null,
          type: f.type ?? null,
          actionId: f.actionId ? String(f.actionId) : null,
          since: f.since ?? null,
          until: f.until ?? null,
        },
        first,
        after,
      );
      const cursor = (seq: number) => Buffer.from(`seq:${seq}`).toString('base64url');
      return {
        edges: page.events.map((e) => ({ cursor: cursor(e.wardenseq), node: e })),
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: after !== null,
          startCursor: page.events[0] ? cursor(page.events[0].wardenseq) : null,
          endCursor: page.endCursor !== null ? cursor(page.endCursor) : null,
        },
      };
    },
  }),
  auditTrailIntegrity: t.field({
    type: 'JSON',
    description: 'Verifies the whole audit file against its hash chain and the head kept in Temporal.',
    authScopes: { admin: true, security: true },
    resolve: (_root, _args, ctx) => ctx.audit.verifyAgainstHead(),
  }),
}));
