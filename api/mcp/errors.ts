/**
 * The JSON-RPC errors Warden's MCP endpoint answers a `tools/call` with when it does not forward it. The
 * codes are in JSON-RPC's implementation-defined server range (clear of those the MCP revisions and SDKs
 * use); `data.code` is the stable name, and `data` says what the agent can do about it.
 */
import { ProtocolError } from '@modelcontextprotocol/server';

export const MCP_REFUSALS = {
  /** Not a tool this agent may use (or one its upstream does not list as pinned). */
  WARDEN_TOOL_NOT_ALLOWED: -32060,
  /** The upstream changed this tool's definition: it is refused until an admin accepts the new one. */
  WARDEN_TOOL_QUARANTINED: -32061,
  /** Warden decided DENY (policy or a person), or the approval expired. */
  WARDEN_ACTION_DENIED: -32062,
  /** Held for a person's approval; the same call made again after approval is forwarded. */
  WARDEN_ACTION_HELD: -32063,
  /** The upstream MCP server is down, too slow, or did not answer in MCP. */
  WARDEN_UPSTREAM_UNAVAILABLE: -32064,
} as const;
export type McpRefusal = keyof typeof MCP_REFUSALS;

export function refusal(code: McpRefusal, message: string, data: Record<string, unknown> = {}): ProtocolError {
  return new ProtocolError(MCP_REFUSALS[code], message, { code, ...data });
}

/** JSON-RPC's own code for invalid params (the call's arguments do not say what Warden must read). */
export const INVALID_PARAMS = -32602;
