/**
 * What an agent sees of an MCP server through Warden (`tools/list`): the upstream's tools as listed now,
 * checked against the pins — a changed or new definition is reported to the tool's workflow, which
 * quarantines it and tells the security team — and filtered to what this agent may use.
 */
import type { McpToolDefinition, ToolState } from '../../domain/tools.js';
import { definitionSha256 } from '../services/mcp-pins.js';
import type { Caller, McpEndpointDeps } from './caller.js';
import { refusal } from './errors.js';
import { UpstreamError } from './upstream.js';

/**
 * How long one upstream listing (hashed) serves every agent of this process: a changed definition is
 * caught within this bound, and a burst of tools/list costs the upstream one listing.
 */
const LISTING_MS = 1_000;

export function createToolSurface({ services, audit }: Pick<McpEndpointDeps, 'services' | 'audit'>) {
  const listings = new Map<
    string,
    { at: number; upstreamUrl: string; listing: Promise<{ definition: McpToolDefinition; sha256: string }[]> }
  >();

  /** The upstream's definitions with their fingerprints: listed at most once per LISTING_MS per tool. */
  function hashedListing(tool: ToolState) {
    const cached = listings.get(tool.name);
    if (cached && cached.upstreamUrl === tool.upstreamUrl && Date.now() - cached.at < LISTING_MS) return cached.listing;
    const listing = listUpstream(tool).then((seen) =>
      seen.map((definition) => ({ definition, sha256: definitionSha256(definition) })),
    );
    listings.set(tool.name, { at: Date.now(), upstreamUrl: tool.upstreamUrl!, listing });
    listing.catch(() => listings.delete(tool.name)); // a failed listing is not served to the next caller
    return listing;
  }

  /** The agent's tools as the upstream lists them now: pinned, unchanged, not quarantined, allowed. */
  async function visibleTools(caller: Caller): Promise<McpToolDefinition[]> {
    const [listed, { agent }] = await Promise.all([
      currentDefinitions(caller.tool),
      services.agentAccess.recent(caller.agentId),
    ]);
    const allowed = new Set(agent.allowedTools.find((t) => t.tool === caller.tool.name)?.operations ?? []);
    return listed.filter((d) => allowed.has(d.name));
  }

  /**
   * What the upstream lists, checked against the pins: a definition that differs (or is new) is reported to
   * the tool's workflow, which quarantines it and tells the security team. Only pinned, matching,
   * unquarantined definitions are returned.
   */
  async function currentDefinitions(tool: ToolState): Promise<McpToolDefinition[]> {
    const hashed = await hashedListing(tool);
    const mcp = tool.mcp!;
    const pinned = new Map(mcp.pinned.map((p) => [p.name, p.sha256]));
    const unknown = hashed.filter(
      (h) =>
        pinned.get(h.definition.name) !== h.sha256 &&
        !mcp.quarantined.some((q) => q.name === h.definition.name && q.sha256 === h.sha256),
    );
    let quarantined = mcp.quarantined;
    if (unknown.length) {
      const report = await services.tools.reportDefinitions(
        tool,
        unknown.map((u) => u.definition),
      );
      quarantined = report.tool.mcp!.quarantined;
      for (const q of report.quarantined) {
        await audit.record({
          kind: 'tool.definition.quarantined',
          agentId: 'warden',
          actor: { kind: 'system', id: 'warden' },
          message: `${tool.name}: the upstream's definition of ${q.name} changed (${q.changes.join(', ')}); it is hidden and its calls are refused until an admin accepts it.`,
          tool: tool.name,
          operation: q.name,
          changes: q.changes,
          pinnedSha256: q.pinnedSha256,
          seenSha256: q.sha256,
        });
      }
    }
    const blocked = new Set(quarantined.map((q) => q.name));
    return hashed
      .filter((h) => pinned.get(h.definition.name) === h.sha256 && !blocked.has(h.definition.name))
      .map((h) => h.definition);
  }

  async function listUpstream(tool: ToolState): Promise<McpToolDefinition[]> {
    try {
      return await services.mcpUpstreams.listTools(tool, await services.upstreamCredentials.forListing(tool));
    } catch (err) {
      if (err instanceof UpstreamError)
        throw refusal('WARDEN_UPSTREAM_UNAVAILABLE', `${err.message} Nothing was forwarded.`, { reason: err.code });
      throw err;
    }
  }

  return { visibleTools };
}
