/**
 * Rug-pull defence for MCP tools: the definitions seen when the tool was registered are pinned (name,
 * description, schemas, annotations — as a hash); a later `tools/list` that shows a changed definition or
 * a new tool quarantines it — hidden from agents, calls refused, the security team told — until an admin
 * accepts the new definition. Keeping it blocked needs nothing: it stays quarantined.
 */
import { setHandler } from '@temporalio/workflow';
import { ErrorCode } from '../../domain/errors.js';
import {
  MCP_TOOL_NAME,
  type McpToolDefinition,
  type QuarantinedDefinition,
  type ToolState,
} from '../../domain/tools.js';
import type { StatementPrincipal } from '../../domain/authority.js';
import { refuse } from '../refuse.js';
import { fromWarden, type CommandGate } from '../trust.js';
import { acceptToolDefinitionUpdate, reportToolDefinitionsUpdate, type AcceptDefinitionRequest } from './messages.js';

/** What the definitions handlers need of the tool's workflow. */
export interface ToolHolder {
  tool(): ToolState | null;
  set(tool: ToolState): void;
  gate: CommandGate;
  authorized<T>(command: 'acceptToolDefinition', arg: unknown): { request: T; by: StatementPrincipal };
  alert(subject: string, text: string): void;
}

const FIELDS = ['title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;

/** Which parts of a definition changed, for the people who decide. */
export function changesBetween(pinned: McpToolDefinition | null, seen: McpToolDefinition): string[] {
  if (!pinned) return ['new tool'];
  return FIELDS.filter((f) => JSON.stringify(pinned[f] ?? null) !== JSON.stringify(seen[f] ?? null));
}

export function handleMcpDefinitions(holder: ToolHolder): void {
  setHandler(
    reportToolDefinitionsUpdate,
    (report) => {
      const tool = holder.tool()!;
      const mcp = tool.mcp!;
      const now = new Date().toISOString();
      const fresh: QuarantinedDefinition[] = [];
      for (const seen of report.seen) {
        const pinned = mcp.pinned.find((p) => p.name === seen.name);
        if (pinned?.sha256 === seen.sha256) continue;
        // Already quarantined as this very definition: nothing new to say.
        if (mcp.quarantined.some((q) => q.name === seen.name && q.sha256 === seen.sha256)) continue;
        fresh.push({
          name: seen.name,
          sha256: seen.sha256,
          definition: seen.definition,
          pinnedSha256: pinned?.sha256 ?? null,
          changes: changesBetween(pinned?.definition ?? null, seen.definition),
          seenAt: now,
        });
      }
      if (fresh.length === 0) return { quarantined: [], tool };
      const quarantined = [...mcp.quarantined.filter((q) => !fresh.some((f) => f.name === q.name)), ...fresh];
      const updated: ToolState = { ...tool, mcp: { ...mcp, quarantined }, updatedAt: now };
      holder.set(updated);
      holder.alert(
        `MCP tool definitions changed upstream: ${tool.name}`,
        `The upstream MCP server of ${tool.name} now shows ${fresh.length} definition(s) that differ from what Warden ` +
          `pinned: ${fresh.map((f) => `${f.name} (${f.changes.join(', ')})`).join('; ')}. Each is hidden from agents ` +
          `and its calls are refused until an admin accepts it (acceptToolDefinition).`,
      );
      return { quarantined: fresh, tool: updated };
    },
    {
      validator: (report) => {
        fromWarden(report, 'a report of MCP tool definitions', { operation: 'reportToolDefinitions' });
        const tool = holder.tool();
        if (!tool?.mcp) refuse(ErrorCode.CONFLICT, 'This tool is not an MCP tool.');
        if (!Array.isArray(report?.seen) || report.seen.length > 1000)
          refuse(ErrorCode.BAD_USER_INPUT, 'seen must list at most 1000 definitions');
        for (const s of report.seen) {
          if (typeof s?.name !== 'string' || !MCP_TOOL_NAME.test(s.name) || typeof s.sha256 !== 'string')
            refuse(ErrorCode.BAD_USER_INPUT, 'each definition needs an MCP tool name and its hash');
        }
      },
    },
  );

  setHandler(
    acceptToolDefinitionUpdate,
    (command) => {
      const { request, by } = holder.gate.accept<AcceptDefinitionRequest>(command, 'acceptToolDefinition');
      const tool = holder.tool()!;
      const mcp = tool.mcp!;
      const accepted = mcp.quarantined.find((q) => q.name === request.name && q.sha256 === request.sha256)!;
      const now = new Date().toISOString();
      const operations = [...tool.operations.filter((o) => o.name !== request.name), request.operation].sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      const updated: ToolState = {
        ...tool,
        operations,
        mcp: {
          ...mcp,
          pinned: [
            ...mcp.pinned.filter((p) => p.name !== request.name),
            {
              name: accepted.name,
              sha256: accepted.sha256,
              definition: accepted.definition,
              pinnedAt: now,
              pinnedBy: by.id,
            },
          ].sort((a, b) => a.name.localeCompare(b.name)),
          quarantined: mcp.quarantined.filter((q) => q.name !== request.name),
        },
        updatedAt: now,
      };
      holder.set(updated);
      return updated;
    },
    {
      validator: (command) => {
        const { request } = holder.authorized<AcceptDefinitionRequest>('acceptToolDefinition', command);
        const mcp = holder.tool()?.mcp;
        if (!mcp) refuse(ErrorCode.CONFLICT, 'This tool is not an MCP tool.');
        const waiting = mcp.quarantined.find((q) => q.name === request?.name);
        if (!waiting)
          refuse(ErrorCode.NOT_FOUND, `No quarantined definition of "${String(request?.name).slice(0, 128)}".`);
        if (waiting.sha256 !== request.sha256)
          refuse(
            ErrorCode.CONFLICT,
            `The quarantined definition of ${waiting.name} changed again; review it before accepting.`,
          );
        if (request.operation?.name !== request.name)
          refuse(ErrorCode.BAD_USER_INPUT, 'the operation must be named after the MCP tool');
      },
    },
  );
}
