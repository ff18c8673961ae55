/**
 * The one Pothos builder. Authorization is declared with scopes (scope-auth): a field or type names who
 * may use it, and `t.withAuth({ agent: true })` (or human, admin, …) hands its resolver a context whose
 * principal is of that kind — no resolver checks who is calling. Lists are Relay connections; arguments
 * are validated with zod (validation plugin).
 */
import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { badInput, forbidden } from '../domain/errors.js';
import { hasRole, type AgentPrincipal, type HumanPrincipal } from './auth/principal.js';
import type { WardenContext } from './context.js';
import type { HeldAction } from './services/approval-standing.js';

export interface AuthScopes {
  /** Any verified caller. */
  authenticated: boolean;
  /** A person (not an agent). */
  human: boolean;
  /** An agent, with its own access token. */
  agent: boolean;
  /** The caller is the agent with this id. */
  selfAgent: string;
  admin: boolean;
  security: boolean;
  approver: boolean;
  /** The caller is the human owner of the agent with this id (as this process saw it a moment ago). */
  ownerOfAgent: string;
  /** The caller is the person with this email (e.g. the owner a record names). */
  personIs: string;
  /** The caller is a decider the held action's approval route names (now or after an escalation). */
  deciderOf: HeldAction;
}

/** What a resolver behind `t.withAuth(…)` knows of its caller. */
type AsPerson = WardenContext & { principal: HumanPrincipal };
export interface AuthContexts {
  human: AsPerson;
  admin: AsPerson;
  security: AsPerson;
  approver: AsPerson;
  agent: WardenContext & { principal: AgentPrincipal };
}

export const builder = new SchemaBuilder<{
  Context: WardenContext;
  AuthScopes: AuthScopes;
  AuthContexts: AuthContexts;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: async (ctx) => ({
      authenticated: Boolean(ctx.principal),
      human: ctx.principal?.kind === 'human',
      agent: ctx.principal?.kind === 'agent',
      selfAgent: (agentId: string) => ctx.principal?.kind === 'agent' && ctx.principal.agentId === agentId,
      admin: hasRole(ctx.principal, 'admin'),
      security: hasRole(ctx.principal, 'security'),
      approver: hasRole(ctx.principal, 'approver'),
      // The agent's owner as this process saw it at most a revocation bound ago (never as an action recorded it).
      ownerOfAgent: async (agentId: string) =>
        ctx.principal?.kind === 'human' &&
        (await ctx.services.agentAccess.recentOwnerOf(agentId)) === ctx.principal.email,
      personIs: (email: string) => ctx.principal?.kind === 'human' && ctx.principal.email === email,
      deciderOf: async (action: HeldAction) =>
        ctx.principal?.kind === 'human' && ctx.services.approvalStanding.forViewer(ctx.principal).isNamedIn(action),
    }),
    unauthorizedError: (_parent, ctx, info) => {
      const message = `You are not allowed to ${info.parentType.name === 'Mutation' ? 'call' : 'read'} ${info.parentType.name}.${info.fieldName}.`;
      // Who asked for what their authority does not cover goes to the audit trail (on disk before this returns).
      const p = ctx.principal;
      ctx.audit
        .record({
          kind: 'access.denied',
          agentId: p?.kind === 'agent' ? p.agentId : 'warden',
          actor: p?.kind === 'agent' ? { kind: 'agent', id: p.agentId } : { kind: 'human', id: p?.email ?? 'unknown' },
          message: `${p?.kind === 'agent' ? `Agent ${p.agentId}` : (p?.email ?? 'Someone')} was refused ${info.parentType.name}.${info.fieldName}.`,
          operation: `${info.parentType.name}.${info.fieldName}`,
          code: 'FORBIDDEN',
        })
        .catch((err) => console.warn(`api: a refusal could not be audited: ${(err as Error).message}`));
      return forbidden(message);
    },
  },
  relay: { clientMutationId: 'omit', cursorType: 'String' },
  validation: {
    validationError: (result) =>
      badInput(
        result.issues
          .map(
            (issue) =>
              `${issue.path?.length ? `${issue.path.map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.')}: ` : ''}${issue.message}`,
          )
          .join('; '),
      ),
  },
});

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 string in UTC.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
      throw badInput('DateTime must be an ISO 8601 string');
    return new Date(value).toISOString();
  },
});

builder.scalarType('JSON', {
  description: 'A JSON value (used for JSON Web Keys).',
  serialize: (value) => value,
  parseValue: (value) => value,
});

builder.queryType({});
builder.mutationType({});
