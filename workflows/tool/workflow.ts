/**
 * A tool, as one entity workflow (`tool:<name>`): what it is, its operations and their sensitivity, how
 * it trusts grants — and, for VAULTED_SECRET tools, the vaulted upstream secret. That secret rotates on a
 * durable timer through the tool's rotation endpoint: a new secret is issued (idempotently, so a crash
 * mid-rotation cannot leave two), becomes current, and the old one is revoked after a grace period.
 * Failed rotations retry with backoff and alert the security team.
 */
import {
  allHandlersFinished,
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { WardenActivities } from '../../activities/index.js';
import { refusalFor, TOOL_COMMANDS } from '../../domain/authority.js';
import { ErrorCode } from '../../domain/errors.js';
import type { Notification } from '../../domain/notifications.js';
import { toolWorkflowId, type VaultedSecretRef } from '../../domain/tools.js';
import { CommandGate, fromWarden, handleTrustAnchorRefresh, validAnchor } from '../trust.js';
import { handleMcpDefinitions } from './definitions.js';
import {
  getToolQuery,
  registerToolUpdate,
  rotateToolSecretUpdate,
  type RegisterToolRequest,
  type ToolWorkflowArgs,
} from './messages.js';

const { rotateUpstreamSecret, revokeUpstreamSecret } = proxyActivities<WardenActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 6 },
});
const { deliverNotification } = proxyActivities<WardenActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 },
});

/** After a failed rotation (all retries spent) the next attempt waits this long. */
const RETRY_FAILED_ROTATION_MS = 5 * 60_000;

export async function toolWorkflow(input: ToolWorkflowArgs): Promise<void> {
  const args = fromWarden(input, 'the tool workflow input', { operation: 'toolWorkflow' });
  if (
    typeof args?.name !== 'string' ||
    toolWorkflowId(args.name) !== workflowInfo().workflowId ||
    !validAnchor(args.trust)
  ) {
    throw ApplicationFailure.create({
      type: ErrorCode.BAD_USER_INPUT,
      message: 'Refused: this input is not the tool this workflow id names.',
      nonRetryable: true,
    });
  }
  let tool = args.tool;
  const gate = new CommandGate(args.trust, args.usedStatements);
  handleTrustAnchorRefresh(gate);
  const authorized = <T>(command: keyof typeof TOOL_COMMANDS, arg: unknown) => {
    const verified = gate.verify<T>(arg, command);
    const refusal = refusalFor(TOOL_COMMANDS[command], verified.by);
    if (refusal) gate.forbid(command, verified.by, refusal);
    return verified;
  };
  const outbox: Notification[] = [...(args.outbox ?? [])];
  let rotating = false;
  let forced = false;
  let nextAttemptAt: number | null = null;

  const describe = () => {
    if (!tool) return;
    const v = tool.vault;
    setCurrentDetails(
      [
        `**${tool.name}** · ${tool.authMode} · resource ${tool.resource}`,
        `Operations: ${tool.operations.map((o) => `${o.name} (${o.sensitivity})`).join(', ')}`,
        tool.mcp?.quarantined.length
          ? `Quarantined MCP tools (changed upstream, refused until accepted): ${tool.mcp.quarantined.map((q) => `${q.name} (${q.changes.join(', ')})`).join('; ')}`
          : '',
        v
          ? `Vaulted secret ${v.current.id}, rotated ${v.rotations}× (last ${v.rotatedAt})${v.lastError ? ` · last rotation failed: ${v.lastError}` : ''}`
          : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
  };
  describe();

  const alert = (subject: string, text: string) => {
    outbox.push({ kind: 'security', agentId: '', to: [], subject, text, at: new Date().toISOString() });
  };

  setHandler(getToolQuery, () => tool);
  handleMcpDefinitions({
    tool: () => tool,
    set: (next) => {
      tool = next;
      describe();
    },
    gate,
    authorized,
    alert,
  });
  setHandler(
    registerToolUpdate,
    (command) => {
      const { request, by } = gate.accept<RegisterToolRequest>(command, 'registerTool');
      tool = { ...request.tool, createdBy: by.id };
      describe();
      return tool;
    },
    {
      validator: (command) => {
        const { request } = authorized<RegisterToolRequest>('registerTool', command);
        if (tool)
          throw ApplicationFailure.create({
            type: ErrorCode.CONFLICT,
            message: `A tool named ${tool.name} is already registered.`,
            nonRetryable: true,
          });
        if (request?.tool?.name !== args.name)
          throw ApplicationFailure.create({
            type: ErrorCode.BAD_USER_INPUT,
            message: 'tool name mismatch',
            nonRetryable: true,
          });
      },
    },
  );
  setHandler(
    rotateToolSecretUpdate,
    async (command) => {
      gate.accept(command, 'rotateToolSecret');
      forced = true;
      await condition(() => !forced);
      return tool!;
    },
    {
      validator: (command) => {
        authorized('rotateToolSecret', command);
        if (!tool?.vault?.rotationUrl)
          throw ApplicationFailure.create({
            type: ErrorCode.CONFLICT,
            message: 'This tool has no rotation endpoint.',
            nonRetryable: true,
          });
      },
    },
  );

  const rotate = async () => {
    const vault = tool!.vault!;
    rotating = true;
    try {
      // The idempotency key names this rotation: a retry after a crash gets the same new secret back.
      const fresh: VaultedSecretRef = await rotateUpstreamSecret({
        tool: tool!.name,
        rotationUrl: vault.rotationUrl!,
        current: vault.current,
        idempotencyKey: `${workflowInfo().workflowId}:rotation:${vault.rotations + 1}`,
      });
      const now = Date.now();
      tool = {
        ...tool!,
        vault: {
          ...vault,
          previous: { ...vault.current, revokeAt: new Date(now + vault.graceMs).toISOString() },
          current: fresh,
          rotatedAt: new Date(now).toISOString(),
          rotations: vault.rotations + 1,
          lastError: null,
        },
      };
      nextAttemptAt = null;
    } catch (err) {
      const message = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
      tool = { ...tool!, vault: { ...vault, lastError: message.slice(0, 300) } };
      nextAttemptAt = Date.now() + RETRY_FAILED_ROTATION_MS;
      alert(
        `Secret rotation failed for tool ${tool!.name}`,
        `Rotating the vaulted secret of ${tool!.name} failed after retries: ${message.slice(0, 300)}. The current secret stays in use; Warden tries again in ${RETRY_FAILED_ROTATION_MS / 60_000} minutes.`,
      );
    } finally {
      rotating = false;
      describe();
    }
  };

  const revokePrevious = async () => {
    const vault = tool!.vault!;
    const previous = vault.previous!;
    try {
      await revokeUpstreamSecret({
        tool: tool!.name,
        rotationUrl: vault.rotationUrl!,
        revoke: previous,
        current: vault.current,
      });
      tool = { ...tool!, vault: { ...vault, previous: null } };
    } catch (err) {
      const message = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
      alert(
        `Revoking an old secret of tool ${tool!.name} failed`,
        `The previous secret ${previous.id} is still valid upstream: ${message.slice(0, 300)}. Warden tries again.`,
      );
      tool = {
        ...tool!,
        vault: {
          ...vault,
          previous: { ...previous, revokeAt: new Date(Date.now() + RETRY_FAILED_ROTATION_MS).toISOString() },
        },
      };
    }
    describe();
  };

  const nextDeadline = (): number | undefined => {
    const vault = tool?.vault;
    if (!vault?.rotationUrl) return undefined;
    // While a previous secret is in its grace period no rotation can start (never more than two valid secrets),
    // so its revocation is the next thing to wait for. Waiting for a rotation that is due but blocked would
    // return at once, every time: the loop below would spin without ever yielding.
    if (vault.previous) return Date.parse(vault.previous.revokeAt);
    return nextAttemptAt ?? Date.parse(vault.rotatedAt) + vault.rotationIntervalMs;
  };

  await condition(() => tool !== null);
  for (;;) {
    const deadline = nextDeadline();
    const before = tool;
    const wake = () => forced || outbox.length > 0 || tool !== before || workflowInfo().continueAsNewSuggested;
    if (deadline === undefined) await condition(wake);
    else if (deadline > Date.now()) await condition(wake, deadline - Date.now());

    while (outbox.length > 0) {
      try {
        await deliverNotification(outbox[0]!);
      } catch (err) {
        log.warn('alert not delivered', { subject: outbox[0]!.subject, error: String(err) });
      }
      outbox.shift();
    }
    const vault = tool?.vault;
    if (vault?.rotationUrl) {
      if (vault.previous && (forced || Date.parse(vault.previous.revokeAt) <= Date.now())) await revokePrevious();
      const due = nextAttemptAt ?? Date.parse(tool!.vault!.rotatedAt) + tool!.vault!.rotationIntervalMs;
      // Never more than two valid secrets: a rotation waits until the previous one is revoked.
      if ((forced || due <= Date.now()) && !tool!.vault!.previous) await rotate();
    }
    forced = false;
    if (workflowInfo().continueAsNewSuggested && !rotating) break;
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof toolWorkflow>({
    ...args,
    tool,
    outbox,
    trust: gate.state.anchor,
    usedStatements: gate.state.used,
  });
}
