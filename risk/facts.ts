/** Turns a recorded action into the facts the scorer sees. The justification is deliberately left out. */
import type { ActionRecord } from '../domain/actions.js';
import type { ActionFacts } from './types.js';

export function factsOf(action: ActionRecord): ActionFacts {
  return {
    agentId: action.agentId,
    platform: action.platform,
    tool: action.tool,
    toolResource: action.toolResource,
    operation: action.operation,
    sensitivity: action.sensitivity,
    ...(action.resourceId ? { resourceId: action.resourceId } : {}),
    volume: action.volume,
    amount: action.amount,
    context: action.context,
    at: Date.parse(action.requestedAt),
  };
}
