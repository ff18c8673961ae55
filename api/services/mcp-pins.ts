/**
 * Pinning an MCP server's tools (rug-pull defence): each definition the upstream lists is fingerprinted
 * (SHA-256 of its canonical JSON, RFC 8785) and becomes a Warden operation — with the sensitivity and JSON
 * Pointers the admin gave, or the sensitivity its annotations suggest.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../audit/canonical-json.js';
import {
  MCP_TOOL_NAME,
  sensitivityFromAnnotations,
  type McpSettings,
  type McpToolDefinition,
  type QuarantinedDefinition,
  type ToolOperation,
  type ToolState,
} from '../../domain/tools.js';

/** An MCP tool definition's fingerprint: SHA-256 (base64url) of its canonical JSON (RFC 8785). */
export function definitionSha256(definition: McpToolDefinition): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('base64url');
}

/** The operations and pins of an MCP tool registered now, or what is wrong with the listing. */
export function pinDefinitions(
  mcp: McpSettings,
  definitions: McpToolDefinition[],
  given: ToolOperation[],
  by: string,
  now: string,
): Pick<ToolState, 'operations' | 'mcp'> | { problems: string[] } {
  const listed = new Set(definitions.map((d) => d.name));
  const problems = given.filter((o) => !listed.has(o.name)).map((o) => `the upstream lists no tool "${o.name}"`);
  if (definitions.length === 0) problems.push('the upstream lists no tools');
  if (definitions.length > 100) problems.push(`the upstream lists ${definitions.length} tools; at most 100`);
  if (definitions.some((d) => !MCP_TOOL_NAME.test(d.name)))
    problems.push('the upstream lists a tool whose name is not a valid MCP tool name');
  if (problems.length) return { problems };
  const operations = definitions
    .map((d): ToolOperation => {
      const set = given.find((o) => o.name === d.name);
      return {
        name: d.name,
        sensitivity: set?.sensitivity ?? sensitivityFromAnnotations(d.annotations),
        method: null,
        path: null,
        query: null,
        volumePointer: set?.volumePointer ?? null,
        amountPointer: set?.amountPointer ?? null,
        resourcePointer: set?.resourcePointer ?? null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const pinned = definitions
    .map((definition) => ({
      name: definition.name,
      sha256: definitionSha256(definition),
      definition,
      pinnedAt: now,
      pinnedBy: by,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { operations, mcp: { ...mcp, pinned, quarantined: [] } };
}

/**
 * The operation an accepted definition maps to: what the admin says now, else what the tool had, else
 * the sensitivity the new definition's annotations suggest.
 */
export function acceptedOperation(
  tool: ToolState,
  waiting: QuarantinedDefinition,
  given: Omit<ToolOperation, 'name'> | null,
): ToolOperation {
  const current = tool.operations.find((o) => o.name === waiting.name);
  return {
    name: waiting.name,
    sensitivity:
      given?.sensitivity ?? current?.sensitivity ?? sensitivityFromAnnotations(waiting.definition.annotations),
    method: null,
    path: null,
    query: null,
    volumePointer: given?.volumePointer ?? current?.volumePointer ?? null,
    amountPointer: given?.amountPointer ?? current?.amountPointer ?? null,
    resourcePointer: given?.resourcePointer ?? current?.resourcePointer ?? null,
  };
}
