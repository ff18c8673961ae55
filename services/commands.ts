/**
 * Sends commands to workflows with their proof (workflows/trust.ts): the request, and a statement signed
 * with Warden's current key saying who asks (and, for an action's decision, who owns its agent now).
 * Used by the API for people and agents it has authenticated, and by the worker's activities for what
 * Warden does on its own authority. Knows nothing of GraphQL.
 */
import type { Delegator } from '../domain/approval-policy.js';
import {
  WithStartWorkflowOperation,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition, type Workflow } from '@temporalio/common';
import type { Role } from '../domain/people.js';
import { signStatement, type StatementSubject } from '../tokens/sign-statement.js';
import type { Signed, TrustAnchor } from '../tokens/statements.js';
import { refreshTrustAnchorUpdate, STATEMENT_KEY_UNKNOWN } from '../workflows/trust.js';
import type { SigningKeys } from './signing-keys.js';

/** Who a command is from: a person with the roles the directory gives them now, an agent, or Warden. */
export type Commander = StatementSubject;

export const WARDEN: Commander = { kind: 'system', id: 'warden', roles: [] };

export function person(email: string, roles: Role[]): Commander {
  return { kind: 'human', id: email, roles };
}

export function agent(agentId: string): Commander {
  return { kind: 'agent', id: agentId, roles: [] };
}

export interface CommandOptions {
  /** The agent's owner as read now, for a workflow that does not hold it (a sensitive action's). */
  agentOwner?: string | null;
  /** Whose approvals the person holds now (delegations), for a held action's decision. */
  delegators?: Delegator[];
  /** The Update's id: a retry with the same id gets the first outcome instead of a second change. */
  updateId?: string;
}

function keyUnknown(err: unknown): boolean {
  return (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === STATEMENT_KEY_UNKNOWN
  );
}

export class Commands {
  constructor(
    private readonly client: Client,
    private readonly keys: SigningKeys,
  ) {}

  /** What a workflow Warden starts is given to verify statements with. */
  anchor(): Promise<TrustAnchor> {
    return this.keys.anchor();
  }

  /** A statement for one command, signed now (what `npm run approve` hands a person, too). */
  async statement(
    by: Commander,
    workflowId: string,
    command: string,
    request: unknown,
    options: CommandOptions = {},
    ttlSeconds?: number,
  ): Promise<string> {
    return signStatement(
      await this.keys.current(),
      this.keys.issuer,
      by,
      {
        workflowId,
        command,
        request,
        ...(options.agentOwner !== undefined ? { agentOwner: options.agentOwner } : {}),
        ...(options.delegators?.length ? { delegators: options.delegators } : {}),
      },
      ttlSeconds,
    );
  }

  async signed<Req>(
    by: Commander,
    workflowId: string,
    update: UpdateDefinition<unknown, [Signed<Req>]>,
    request: Req,
    options: CommandOptions = {},
  ): Promise<Signed<Req>> {
    return { request, proof: await this.statement(by, workflowId, update.name, request, options) };
  }

  /**
   * Sends one command as an Update. A workflow that does not know the signing key yet (it started before a
   * rotation) is handed the current trust anchor, and the command is sent again once.
   */
  async send<Res, Req>(
    workflowId: string,
    update: UpdateDefinition<Res, [Signed<Req>]>,
    request: Req,
    by: Commander,
    options: CommandOptions = {},
  ): Promise<Res> {
    const handle = this.client.workflow.getHandle(workflowId);
    const attempt = async () =>
      handle.executeUpdate(update, {
        args: [await this.signed(by, workflowId, update as UpdateDefinition<unknown, [Signed<Req>]>, request, options)],
        ...(options.updateId ? { updateId: options.updateId } : {}),
      });
    try {
      return await attempt();
    } catch (err) {
      if (!keyUnknown(err)) throw err;
      await this.refresh(handle);
      return attempt();
    }
  }

  /** Update-with-Start: the command, starting the entity workflow (given the anchor) if it is not running. */
  async sendWithStart<Res, Req, W extends Workflow>(
    update: UpdateDefinition<Res, [Signed<Req>]>,
    request: Req,
    by: Commander,
    start: (anchor: TrustAnchor) => WithStartWorkflowOperation<W>,
    workflowId: string,
  ): Promise<Res> {
    const attempt = async () =>
      this.client.workflow.executeUpdateWithStart(update, {
        args: [await this.signed(by, workflowId, update as UpdateDefinition<unknown, [Signed<Req>]>, request)],
        startWorkflowOperation: start(await this.anchor()),
      });
    try {
      return await attempt();
    } catch (err) {
      if (!keyUnknown(err)) throw err;
      await this.refresh(this.client.workflow.getHandle(workflowId));
      return attempt();
    }
  }

  private async refresh(handle: WorkflowHandle): Promise<void> {
    // The key may be new to this process too: read the ring again before handing it on.
    this.keys.invalidate();
    await handle.executeUpdate(refreshTrustAnchorUpdate, { args: [await this.anchor()] });
  }
}
