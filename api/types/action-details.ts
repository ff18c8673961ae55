/**
 * What a person deciding a held action reads besides its summary (the approvers' console's action page):
 * the context the agent sent, the MCP call an approval is bound to, and the value against the agent's
 * usual range. Who may read them is the ActionRequest's own authorization.
 */
import type { ActionRecord, McpCallBinding } from '../../domain/actions.js';
import { builder } from '../builder.js';
import type { ActionSummary } from '../services/action-directory.js';
import { usualRangeOf, type UsualRangeView } from '../services/usual-range.js';
import type { WardenContext } from '../context.js';
import { ActionRequest } from './action.js';

/** The full record, loaded when a list item is asked for more than its summary. */
const full = async (a: ActionSummary, ctx: WardenContext): Promise<ActionRecord> =>
  a.workflowId ? (a as ActionRecord) : await ctx.services.actions.get(a.id, a.agentId);

const McpCall = builder.objectRef<McpCallBinding>('McpCall').implement({
  description: 'The MCP tools/call an action was asked for by: an approval covers exactly these arguments.',
  fields: (t) => ({
    mcpTool: t.exposeString('mcpTool', { description: "The upstream MCP server's tool name." }),
    argumentsSha256: t.exposeString('argumentsSha256', {
      description: "SHA-256 (base64url) of the call's canonical JSON arguments.",
    }),
  }),
});

const UsualRangeMetric = builder.enumType('UsualRangeMetric', { values: ['AMOUNT', 'VOLUME'] as const });

const UsualRange = builder.objectRef<UsualRangeView>('UsualRange').implement({
  description:
    "The agent's usual range for this tool and operation, from its behavioural baseline (what volume and amount risk compare with).",
  fields: (t) => ({
    metric: t.field({ type: UsualRangeMetric, resolve: (r) => r.metric }),
    value: t.exposeFloat('value', { description: "This action's amount or volume." }),
    typical: t.exposeFloat('typical', { description: 'The centre of what the agent usually asks for.' }),
    low: t.exposeFloat('low'),
    high: t.exposeFloat('high', { description: 'Above this, the value adds to the risk score.' }),
    samples: t.exposeInt('samples', { description: 'Earlier requests the range was learned from.' }),
  }),
});

builder.objectFields(ActionRequest, (t) => ({
  context: t.field({
    type: 'JSON',
    description: 'The key/values the agent sent with the request (e.g. sourceNetwork, onBehalfOf).',
    resolve: async (a, _args, ctx) => (await full(a, ctx)).context ?? {},
  }),
  mcpCall: t.field({
    type: McpCall,
    nullable: true,
    description: 'For an action asked for by an MCP tools/call: the call it is bound to.',
    resolve: async (a, _args, ctx) => (await full(a, ctx)).call ?? null,
  }),
  usualRange: t.field({
    type: UsualRange,
    nullable: true,
    description:
      "The action's amount (or volume) against the agent's usual range for the same tool and operation; null when the agent has no history of it.",
    resolve: async (a, _args, ctx) => usualRangeOf(await ctx.services.agents.riskProfile(a.agentId), a),
  }),
}));
