/**
 * Grant decisions: may this agent have a grant for these operations on this tool, now? Today the steps
 * are: the agent is active → the tool exists → the agent is allowed this tool and every operation →
 * score and decide each operation as a sensitive action (the same path as requestAction) → mint.
 */
import type { CredentialSettings } from '../../config/config.js';
import { mintGrant } from '../../tokens/grants.js';
import { OAuthError } from '../oauth/http.js';
import { randomUUID } from 'node:crypto';
import type { ActionCommands } from './action-commands.js';
import type { AgentDirectory } from './agent-directory.js';
import type { AuditLog } from './audit-log.js';
import type { SigningKeys } from '../../services/signing-keys.js';
import type { ToolRegistry } from './tool-registry.js';

/** What a token-exchange grant is scored for and bound to, per call. */
const EXCHANGE_VOLUME = 1;

export interface GrantRequest {
  agentId: string;
  /** The tool's resource URI (RFC 8707 `resource`). */
  resource: string;
  operations: string[];
  /** The person the agent acts for (RFC 8693 delegation), when a human token was the subject. */
  onBehalfOf?: string;
}

export interface IssuedGrant {
  token: string;
  jti: string;
  tool: string;
  audience: string;
  operations: string[];
  expiresAt: Date;
}

export class GrantService {
  constructor(
    private readonly agents: AgentDirectory,
    private readonly actions: ActionCommands,
    private readonly tools: ToolRegistry,
    private readonly keys: SigningKeys,
    private readonly audit: AuditLog,
    private readonly settings: CredentialSettings,
  ) {}

  async request(req: GrantRequest): Promise<IssuedGrant> {
    const refuse = async (error: string, reason: string, tool?: string): Promise<never> => {
      await this.audit.record({
        kind: 'grant.refused',
        agentId: req.agentId,
        actor: { kind: 'agent', id: req.agentId },
        message: `Grant refused (${error}): ${reason}${req.onBehalfOf ? ` — on behalf of ${req.onBehalfOf}` : ''}`,
        ...(tool ? { tool } : {}),
        operation: req.operations.join(' '),
      });
      throw new OAuthError(error, reason);
    };
    const agent = await this.agents.find(req.agentId);
    if (!agent || agent.status !== 'ACTIVE')
      return await refuse(
        'invalid_grant',
        `The agent is ${agent?.status ?? 'unknown'}; it cannot be granted anything.`,
      );
    const tool = await this.tools.findByResource(req.resource);
    if (!tool) return await refuse('invalid_target', 'No registered tool has this resource URI.');
    // An MCP tool's calls are decided one by one at its MCP endpoint: no grant for it leaves Warden.
    if (tool.authMode === 'MCP')
      return await refuse(
        'invalid_target',
        `${tool.name} is an MCP server: connect to its MCP endpoint (${tool.mcp?.endpoint ?? '/mcp/' + tool.name}) with an access token for it.`,
        tool.name,
      );
    const allowed = agent.allowedTools.find((t) => t.tool === tool.name);
    if (!allowed) return await refuse('invalid_target', `This agent may not use the tool ${tool.name}.`, tool.name);
    const operations = req.operations.length ? req.operations : allowed.operations;
    const known = new Set(tool.operations.map((o) => o.name));
    const unknown = operations.filter((o) => !known.has(o));
    if (unknown.length)
      return await refuse(
        'invalid_scope',
        `The tool ${tool.name} has no operation ${unknown.map((o) => o.slice(0, 64)).join(', ')}.`,
        tool.name,
      );
    const outside = operations.filter((o) => !allowed.operations.includes(o));
    if (outside.length)
      return await refuse(
        'invalid_scope',
        `This agent may not perform ${outside.join(', ')} on ${tool.name}.`,
        tool.name,
      );

    // The same decision as requestAction: each operation is scored against the agent's baseline, and
    // anything but ALLOW holds or refuses the exchange (the action id tells the agent what to wait for).
    const actionIds: string[] = [];
    for (const operation of operations) {
      const action = await this.actions.request(
        agent.id,
        {
          tool: tool.name,
          operation,
          resourceId: null,
          volume: EXCHANGE_VOLUME,
          amount: 0,
          justification: 'token exchange',
          idempotencyKey: `exchange-${randomUUID()}`,
          context: req.onBehalfOf ? { onBehalfOf: req.onBehalfOf } : {},
        },
        { handOut: false },
      );
      if (action.status === 'PENDING_APPROVAL') {
        throw new OAuthError(
          'invalid_grant',
          `${tool.name}.${operation} needs a person's approval: action ${action.id} waits (subscribe to actionDecided).`,
        );
      }
      if (action.status !== 'ALLOWED')
        throw new OAuthError('invalid_grant', `${tool.name}.${operation} was denied (action ${action.id}).`);
      actionIds.push(action.id);
    }

    const minted = await mintGrant({
      key: await this.keys.current(),
      issuer: this.settings.issuer,
      resource: tool.resource,
      agentId: agent.id,
      operations,
      ttlSeconds: this.settings.grantTtlSeconds,
      ...(req.onBehalfOf ? { onBehalfOf: req.onBehalfOf } : {}),
      // Bound to what was scored: one record per call and no money. Bulk or payments go through requestAction.
      extra: {
        authorization_details: [
          { type: 'warden_action', action_ids: actionIds, tool: tool.name, max_volume: EXCHANGE_VOLUME, max_amount: 0 },
        ],
      },
    });
    await this.audit.record({
      kind: 'grant.issued',
      agentId: agent.id,
      actor: { kind: 'agent', id: agent.id },
      message: `Grant issued for ${tool.name}: ${operations.join(' ')}${req.onBehalfOf ? ` on behalf of ${req.onBehalfOf}` : ''}`,
      tool: tool.name,
      operation: operations.join(' '),
      jti: minted.jti,
    });
    return {
      token: minted.token,
      jti: minted.jti,
      tool: tool.name,
      audience: tool.resource,
      operations,
      expiresAt: minted.expiresAt,
    };
  }
}
