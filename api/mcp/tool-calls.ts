/**
 * One `tools/call` through Warden: the same decision as `requestAction`, bound to the exact call (the MCP
 * tool and the hash of its canonical arguments). ALLOW → forwarded upstream with Warden's credential for
 * it, progress relayed; DENY → a JSON-RPC error with the action id and the reasons; REVIEW → a bounded
 * wait for a person, then the upstream's result or "held for approval". Each call is audited (mcp.call),
 * its arguments never.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ProtocolError, type CallToolResult, type ServerContext } from '@modelcontextprotocol/server';
import { canonicalJson } from '../../audit/canonical-json.js';
import type { McpCallInput } from '../../audit/events.js';
import { ACTION_LIMITS, type ActionRecord, type ActionRequestInput } from '../../domain/actions.js';
import { WardenError } from '../../domain/errors.js';
import { readJsonPointer, type ToolOperation } from '../../domain/tools.js';
import type { DecidedAction } from '../services/action-directory.js';
import type { Caller, McpEndpointDeps } from './caller.js';
import { INVALID_PARAMS, refusal } from './errors.js';
import { UpstreamError } from './upstream.js';
import { gatewayCalls } from '../../observability/metrics.js';

const DECISION_POLL_MS = 250;

export function createToolCalls(deps: Pick<McpEndpointDeps, 'services' | 'audit' | 'approvalWaitMs'>) {
  const { services, audit } = deps;

  async function callTool(
    caller: Caller,
    name: string,
    args: Record<string, unknown>,
    ctx: ServerContext,
  ): Promise<CallToolResult> {
    const started = performance.now();
    const { tool, agentId } = caller;
    let argumentsSha256: string;
    try {
      argumentsSha256 = createHash('sha256').update(canonicalJson(args)).digest('base64url');
    } catch {
      throw new ProtocolError(INVALID_PARAMS, 'The arguments must be plain JSON.');
    }
    const audited = (
      entry: Pick<McpCallInput, 'outcome' | 'message'> & Partial<McpCallInput>,
      action?: ActionRecord,
    ) => {
      gatewayCalls.inc({ via: 'mcp', outcome: entry.outcome });
      return audit.record({
        kind: 'mcp.call',
        agentId,
        actor: { kind: 'agent', id: agentId },
        tool: tool.name,
        operation: name.slice(0, 128),
        argumentsSha256,
        latencyMs: Math.round(performance.now() - started),
        jti: caller.jti,
        ...(caller.sourceIp ? { sourceIp: caller.sourceIp } : {}),
        ...(action
          ? {
              actionId: action.id,
              agentName: action.agentName,
              ownerEmail: action.ownerEmail,
              decision: action.decision ?? undefined,
              status: action.status,
              ...(action.risk ? { score: action.risk.score, reasons: action.risk.reasons } : {}),
              volume: action.volume,
              amount: action.amount,
              resourceId: action.resourceId,
              workflowId: action.workflowId,
            }
          : {}),
        ...entry,
      });
    };
    const refuse = async (error: ProtocolError, action?: ActionRecord): Promise<never> => {
      const data = error.data as { code?: string } | undefined;
      await audited(
        {
          outcome: data?.code === 'WARDEN_ACTION_HELD' ? 'held' : action ? 'denied' : 'refused',
          upstreamStatus: 'not_forwarded',
          message: `tools/call ${name.slice(0, 128)} on ${tool.name} not forwarded: ${error.message}`,
        },
        action,
      );
      throw error;
    };

    // What this agent may call: a pinned, unchanged, allowed MCP tool of this server.
    const operation = tool.operations.find((o) => o.name === name);
    const { agent } = await services.agentAccess.recent(agentId);
    const allowed = agent.allowedTools.some((t) => t.tool === tool.name && t.operations.includes(name));
    if (!operation || !allowed || !tool.mcp!.pinned.some((p) => p.name === name))
      return refuse(
        refusal(
          'WARDEN_TOOL_NOT_ALLOWED',
          `${name.slice(0, 128)} is not a tool this agent may use on ${tool.name}; tools/list shows those it may.`,
        ),
      );
    if (tool.mcp!.quarantined.some((q) => q.name === name))
      return refuse(
        refusal(
          'WARDEN_TOOL_QUARANTINED',
          `The definition of ${name} changed upstream; Warden refuses it until an admin accepts the new definition.`,
        ),
      );

    // The decision, bound to this exact call.
    const facts = factsOf(operation, args);
    if ('problem' in facts) return refuse(new ProtocolError(INVALID_PARAMS, facts.problem));
    const input: ActionRequestInput = {
      tool: tool.name,
      operation: name,
      resourceId: facts.resourceId,
      volume: facts.volume,
      amount: facts.amount,
      justification: `MCP tools/call ${name}`,
      idempotencyKey: `mcp-${randomUUID()}`,
      context: {},
      call: { mcpTool: name, argumentsSha256 },
    };
    const decide = async (): Promise<DecidedAction> => {
      try {
        return await services.actionCommands.request(agentId, input, {
          handOut: tool.mcp!.upstreamAuth === 'WARDEN_GRANT',
        });
      } catch (err) {
        if (err instanceof WardenError && err.code === 'FORBIDDEN')
          return refuse(refusal('WARDEN_ACTION_DENIED', err.message));
        if (err instanceof WardenError && err.code === 'BAD_USER_INPUT')
          return refuse(new ProtocolError(INVALID_PARAMS, err.message));
        throw err;
      }
    };
    // A sensitive call made again finds its open action — held, or approved and not yet forwarded — and
    // is forwarded once; otherwise it is decided now. (Routine calls are decided afresh every time.)
    const routine = operation.sensitivity === 'LOW';
    const open = routine ? null : await services.actions.openCall(agentId, tool.name, input.call!);
    let decided: DecidedAction = open
      ? { ...open, grant: open.recordedGrant ? await services.actionCommands.grantOf(open) : null }
      : await decide();
    if (decided.status === 'PENDING_APPROVAL') decided = await awaitDecision(decided, ctx);
    const notForwarded = refusalOf(decided);
    if (notForwarded) return refuse(notForwarded, decided);
    // Forwarded once per decision: an action's call is claimed first (its workflow refuses a second claim).
    const claimed = (d: DecidedAction) => !d.workflowId.startsWith('action:') || services.actionCommands.claimCall(d);
    if (!(await claimed(decided))) {
      const forwarded = refusal('WARDEN_ACTION_DENIED', `The call of action ${decided.id} was already forwarded.`);
      if (!open) return refuse(forwarded);
      decided = await decide(); // the open action was taken meanwhile: this call is a new one
      const refused = refusalOf(decided);
      if (refused) return refuse(refused, decided);
      if (!(await claimed(decided))) return refuse(forwarded);
    }

    // Allowed: forwarded with Warden's upstream credential, progress relayed when the client asked for it.
    const progressToken = ctx.mcpReq._meta?.progressToken;
    let result: CallToolResult;
    try {
      result = await services.mcpUpstreams.callTool(
        tool,
        services.upstreamCredentials.forCall(tool, decided.grant),
        { name, arguments: args },
        {
          signal: ctx.mcpReq.signal,
          ...(progressToken !== undefined
            ? {
                onprogress: (p) => {
                  ctx.mcpReq
                    .notify({ method: 'notifications/progress', params: { progressToken, ...p } })
                    .catch(() => undefined);
                },
              }
            : {}),
        },
      );
    } catch (err) {
      const upstreamStatus =
        err instanceof ProtocolError ? String(err.code) : err instanceof UpstreamError ? err.code : 'failed';
      await audited(
        {
          outcome: 'failed',
          upstreamStatus,
          message: `tools/call ${name} on ${tool.name} forwarded (action ${decided.id}); the upstream failed: ${upstreamStatus}`,
        },
        decided,
      );
      if (err instanceof ProtocolError) throw err; // the upstream's own JSON-RPC error, as it sent it
      if (err instanceof UpstreamError)
        throw refusal('WARDEN_UPSTREAM_UNAVAILABLE', `${err.message} The call may not have run.`, {
          actionId: decided.id,
          reason: err.code,
        });
      throw err;
    }
    await audited(
      {
        outcome: 'forwarded',
        upstreamStatus: result.isError ? 'tool_error' : 'ok',
        message: `tools/call ${name} on ${tool.name} forwarded (action ${decided.id}, ${decided.status}).`,
      },
      decided,
    );
    return result;
  }

  /** Waits (bounded) for a person's decision on a held call, telling the client it is waiting. */
  async function awaitDecision(held: DecidedAction, ctx: ServerContext): Promise<DecidedAction> {
    const until = Date.now() + deps.approvalWaitMs;
    const progressToken = ctx.mcpReq._meta?.progressToken;
    let ticks = 0;
    while (Date.now() < until && !ctx.mcpReq.signal.aborted) {
      if (progressToken !== undefined)
        await ctx.mcpReq
          .notify({
            method: 'notifications/progress',
            params: { progressToken, progress: ++ticks, message: `Held for approval: action ${held.id}` },
          })
          .catch(() => undefined);
      await new Promise((r) => setTimeout(r, DECISION_POLL_MS));
      const action = await services.actions.find(held.id, held.agentId);
      if (action && action.status !== 'PENDING_APPROVAL')
        return {
          ...action,
          grant: action.status === 'APPROVED' ? await services.actionCommands.grantOf(action) : null,
        };
    }
    return held;
  }

  return { callTool };
}

/** Why a decided call is not forwarded (held, denied, expired), or null when it may be. */
function refusalOf(decided: DecidedAction): ProtocolError | null {
  if (decided.status === 'ALLOWED' || decided.status === 'APPROVED') return null;
  if (decided.status === 'PENDING_APPROVAL')
    return refusal(
      'WARDEN_ACTION_HELD',
      `Held for approval: action ${decided.id} (risk ${decided.risk?.score ?? '?'}/100). A person has been asked to decide; nothing was forwarded.`,
      { actionId: decided.id, reasons: reasonsOf(decided), deadline: decided.approval?.deadline ?? null },
    );
  return refusal(
    'WARDEN_ACTION_DENIED',
    `Denied: action ${decided.id} is ${decided.status}${decided.contained ? ' and the agent is contained (suspended, every token revoked)' : ''}. ${reasonsOf(decided).join(' ')}`.trim(),
    { actionId: decided.id, status: decided.status, reasons: reasonsOf(decided), contained: decided.contained },
  );
}

/** Volume, amount and resource from the call's arguments, where the admin pointed (RFC 6901). */
function factsOf(
  operation: ToolOperation,
  args: Record<string, unknown>,
): { volume: number; amount: number; resourceId: string | null } | { problem: string } {
  const number = (pointer: string | null | undefined, what: string, fallback: number) => {
    if (!pointer) return fallback;
    const value = readJsonPointer(args, pointer);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      return `Warden reads this call's ${what} at ${pointer}: send a non-negative number there.`;
    return what === 'volume' ? Math.ceil(value) : value;
  };
  const volume = number(operation.volumePointer, 'volume', 1);
  const amount = number(operation.amountPointer, 'amount', 0);
  if (typeof volume === 'string') return { problem: volume };
  if (typeof amount === 'string') return { problem: amount };
  let resourceId: string | null = null;
  if (operation.resourcePointer) {
    const value = readJsonPointer(args, operation.resourcePointer);
    if ((typeof value !== 'string' && typeof value !== 'number') || String(value).length === 0)
      return { problem: `Warden reads the resource this call touches at ${operation.resourcePointer}: send it there.` };
    resourceId = String(value).slice(0, ACTION_LIMITS.resourceIdMax);
  }
  return { volume, amount, resourceId };
}

function reasonsOf(action: ActionRecord): string[] {
  return (action.risk?.reasons ?? []).map((r) => r.detail);
}
