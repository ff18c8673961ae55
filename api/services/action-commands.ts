/**
 * Deciding sensitive actions: each request is its own `action:<id>` workflow, started with
 * Update-with-Start so the decision comes back in the same round trip and a retry with the same idempotency
 * key lands on the same workflow (the id is derived from the agent and the key); routine work is one Update
 * on the agent's workflow. People approve or deny held actions with signed statements, and the API signs
 * the grants the workflows record.
 */
import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  actionWorkflowId,
  validateActionInput,
  type ActionGrant,
  type ActionRecord,
  type ActionRequestInput,
  type RecordedGrant,
  type ApprovalRequest,
  actionMemo,
  mcpCallKey,
  sameRequest,
} from '../../domain/actions.js';
import { badInput, conflict, forbidden, notFound } from '../../domain/errors.js';
import type { Signed } from '../../tokens/statements.js';
import { person, type Commands } from '../../services/commands.js';
import type { PeopleDirectory } from './people-directory.js';
import * as SA from '../../temporal/search-attributes.js';
import { agentWorkflowId } from '../../domain/agents.js';
import { decideRoutineActionUpdate } from '../../workflows/agent/messages.js';
import { type RiskProfile } from '../../risk/assess-action.js';
import { decideForeseeingContainment } from './foreseen-containment.js';
import {
  approveActionUpdate,
  claimCallUpdate,
  decideActionUpdate,
  denyActionUpdate,
} from '../../workflows/action/messages.js';
import { sensitiveActionWorkflow } from '../../workflows/action/workflow.js';
import type { AgentAccess, AgentView } from './agent-access.js';
import type { AgentDirectory } from './agent-directory.js';
import { summaryOf, type ActionDirectory, type DecidedAction } from './action-directory.js';
import type { HeldAction } from './approval-standing.js';
import { failpoint } from '../../temporal/failpoints.js';
import { proposeRecordedGrant, sameGrantTerms, signActionGrant } from '../../tokens/action-grants.js';
import type { PeerStatistics } from './peer-stats.js';
import { routeFor, type ApprovalPolicy } from '../../domain/approval-policy.js';
import type { SigningKeys } from '../../services/signing-keys.js';
import type { PeerStats } from '../../risk/types.js';
import { viaTemporal } from './temporal-errors.js';
import { actionIdFor, isActionId } from './action-ids.js';
import { timedDecision, type DecisionLabels } from './decision-metrics.js';
import type { ToolRegistry } from './tool-registry.js';

/** A person's decision on a held action, ready to send as a Temporal Update (the API's, the CLI's or the UI's). */
export interface DecisionCommand {
  workflowId: string;
  update: 'approveAction' | 'denyAction';
  input: Signed<ApprovalRequest>;
  expiresAt: string;
  held: HeldAction; // the action as its workflow shows it now: who may receive the command (api/types/action.ts)
}

export class ActionCommands {
  constructor(
    private readonly client: Client,
    private readonly commands: Commands,
    private readonly people: PeopleDirectory,
    private readonly directory: ActionDirectory,
    private readonly agents: AgentDirectory,
    private readonly access: AgentAccess,
    private readonly tools: ToolRegistry,
    private readonly options: { taskQueue: string; approvalPolicy: ApprovalPolicy; resumeOnApprove: boolean },
    private readonly grants: { keys: SigningKeys; issuer: string; ttlSeconds: number },
    private readonly peers: PeerStatistics,
  ) {}

  /**
   * Decides one request. `handOut: false` (the token exchange, which mints its own grant) skips signing the
   * grant of an action allowed outright now; it is still recorded, and signed whenever the action is read.
   */
  request(agentId: string, input: ActionRequestInput, options: { handOut?: boolean } = {}): Promise<DecidedAction> {
    return timedDecision((seen) => this.decideRequest(agentId, input, options, seen));
  }

  private async decideRequest(
    agentId: string,
    input: ActionRequestInput,
    { handOut = true }: { handOut?: boolean },
    seen: DecisionLabels,
  ): Promise<DecidedAction> {
    const problems = validateActionInput(input);
    if (problems.length) throw badInput(problems.join('; '));
    // Routine work is routed from this process's recent view of the agent (what the caller's token was
    // just checked against, at most WARDEN_REVOCATION_CACHE old): the agent's workflow re-checks its status
    // and allowed tools on its own state when it decides. Everything else is decided from a fresh read.
    const recent = await this.access.recent(agentId);
    let agent: AgentView = recent.agent;
    if (agent.status !== 'ACTIVE' && recent.cached) agent = await this.agents.get(agentId);
    if (agent.status !== 'ACTIVE') throw forbidden(`Agent ${agent.id} is ${agent.status}: it cannot request actions.`);
    const tool = await this.tools.find(input.tool);
    if (!tool) throw badInput(`No tool named "${input.tool.slice(0, 64)}".`);
    const operation = tool.operations.find((o) => o.name === input.operation);
    if (!operation) throw badInput(`The tool ${tool.name} has no operation "${input.operation.slice(0, 64)}".`);
    seen.sensitivity = operation.sensitivity;
    const allows = (a: AgentView) =>
      a.allowedTools.some((t) => t.tool === tool.name && t.operations.includes(operation.name));
    failpoint('api.request-action');

    const id = actionIdFor(agentId, input.idempotencyKey);
    const workflowId = actionWorkflowId(id);
    const actionOf = (a: AgentView): ActionRecord => ({
      id,
      agentId,
      agentName: a.name,
      platform: a.platform,
      ownerEmail: a.ownerEmail,
      tool: tool.name,
      toolResource: tool.resource,
      operation: operation.name,
      sensitivity: operation.sensitivity,
      allowedOutright: allows(a),
      resourceId: input.resourceId ?? null,
      volume: input.volume,
      amount: input.amount,
      justification: input.justification,
      context: input.context,
      idempotencyKey: input.idempotencyKey,
      requestedAt: new Date().toISOString(),
      decision: null,
      status: 'PENDING_DECISION',
      risk: null,
      contained: false,
      approval: null,
      recordedGrant: null,
      decidedAt: null,
      workflowId,
      ...(input.call ? { call: { mcpTool: input.call.mcpTool, argumentsSha256: input.call.argumentsSha256 } } : {}),
    });
    // Routine work (a LOW operation the agent is allowed) takes the fast durable path: one Update on the
    // agent's running workflow. It answers null when the request is not a plain ALLOW after all.
    // The same idempotency key must name the same request: a different one is refused, never answered
    // with the first request's decision (or its grant).
    const same = <A extends ActionRecord>(decided: A): A => {
      if (!sameRequest(input, decided))
        throw conflict(
          `The idempotency key "${input.idempotencyKey.slice(0, 64)}" was already used for a different request (action ${decided.id}); use a new key for a new request.`,
        );
      return decided;
    };
    if (operation.sensitivity === 'LOW' && allows(agent)) {
      seen.path = 'routine';
      const routine = await this.decideRoutine({ ...actionOf(agent), workflowId: agentWorkflowId(agentId) }, handOut);
      if (routine) {
        failpoint('api.action-decided');
        return same(routine);
      }
    }
    seen.path = 'workflow';
    // Everything else is decided on the agent as it is now and on its baseline, both read in one query and
    // handed to the action's workflow, so its history holds what the decision was made on.
    // The platform's peer statistics (cached; only a platform's first decision here waits) come with it.
    const [context, peers] = await Promise.all([
      this.agents.decisionContext(agentId, input.idempotencyKey),
      this.peers.of(agent.platform),
    ]);
    if (context.routine) return same(await this.handedOut(context.routine, handOut));
    agent = context.agent;
    if (agent.status !== 'ACTIVE') throw forbidden(`Agent ${agent.id} is ${agent.status}: it cannot request actions.`);
    const action = actionOf(agent);

    const scoredOn = { profile: context.profile, peers: peers ?? null };
    const decided = same(
      await decideForeseeingContainment(
        this.access,
        action,
        scoredOn,
        async () =>
          (await this.withOfferedGrant(action, handOut, (offer) =>
            this.decideInWorkflow(action, { ...scoredOn, offer }, tool.name, operation),
          ))!,
        async () => this.handedOut(await this.directory.get(id), handOut),
      ),
    );
    failpoint('api.action-decided');
    return decided;
  }

  /**
   * Claims an allowed or approved MCP call for forwarding: true for the first claim of its action, false
   * once it was forwarded, its grant ran out or it is not forwardable.
   */
  async claimCall(action: ActionRecord): Promise<boolean> {
    if (!action.call) return false;
    try {
      await this.client.workflow
        .getHandle(action.workflowId)
        .executeUpdate(claimCallUpdate, { args: [{ argumentsSha256: action.call.argumentsSha256 }] });
      return true;
    } catch (err) {
      // Refused by the workflow (claimed already), or the workflow has closed (its grant ran out).
      if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /** Routine work: one Update on the agent's running workflow, which records the offered grant if it allows. */
  private decideRoutine(action: ActionRecord, handOut: boolean): Promise<DecidedAction | null> {
    return this.withOfferedGrant(action, handOut, (offer) =>
      viaTemporal(
        () =>
          this.client.workflow
            .getHandle(action.workflowId)
            .executeUpdate(decideRoutineActionUpdate, { args: [action, offer] }),
        `No agent ${action.agentId}.`,
      ),
    );
  }

  /**
   * Offers the deciding workflow a grant to record (the current key, a fresh id, the lifetime) and signs
   * it while the decision travels: the answer is usually the offer itself. A retry's answer is the grant
   * first recorded for that request, signed again to the same token.
   */
  private async withOfferedGrant(
    action: ActionRecord,
    handOut: boolean,
    decide: (offer: RecordedGrant) => Promise<ActionRecord | null>,
  ): Promise<DecidedAction | null> {
    const key = await this.grants.keys.current();
    const offer = proposeRecordedGrant(key, this.grants.issuer, this.grants.ttlSeconds);
    // After the request is on its way (setImmediate), not before: the signature costs ~1 ms of CPU.
    const signed = handOut
      ? new Promise((resolve) => setImmediate(resolve)).then(() => signActionGrant(action, offer, key))
      : null;
    signed?.catch(() => {}); // not every answer uses it; one that does awaits it again and sees the error
    const decided = await decide(offer);
    if (!decided) return null;
    if (!handOut) return { ...decided, grant: null };
    const ours = signed && decided.recordedGrant?.jti === offer.jti && sameGrantTerms(decided, action);
    return { ...decided, grant: ours ? await signed : await this.grantOf(decided) };
  }

  /** The action with its grant signed (`handOut`), or without one (the token exchange mints its own). */
  private async handedOut(action: ActionRecord, handOut: boolean): Promise<DecidedAction> {
    return { ...action, grant: handOut ? await this.grantOf(action) : null };
  }

  /**
   * The grant of an allowed or approved action, as handed to the agent: its recorded terms, signed here.
   * A recorded grant's key leaves the ring a rotation after it stopped signing, when the grant has long
   * expired: then there is no grant to hand out. Nor is there for a grant naming another issuer.
   */
  async grantOf(action: ActionRecord): Promise<ActionGrant | null> {
    if (!action.recordedGrant) return null;
    // Only what this deployment would have offered: its own issuer, one of its own keys.
    if (action.recordedGrant.issuer !== this.grants.issuer) return null;
    const key = await this.grants.keys.byKid(action.recordedGrant.kid);
    return key ? signActionGrant(action, action.recordedGrant, key) : null;
  }

  private async decideInWorkflow(
    action: ActionRecord,
    input: { profile: RiskProfile; peers: PeerStats | null; offer: RecordedGrant },
    toolName: string,
    operation: { name: string; sensitivity: string },
  ): Promise<ActionRecord> {
    const { id, agentId, workflowId, agentName: name, ownerEmail, idempotencyKey } = action;
    const trust = await this.commands.anchor();
    return viaTemporal(
      () =>
        this.client.workflow.executeUpdateWithStart(decideActionUpdate, {
          startWorkflowOperation: new WithStartWorkflowOperation(sensitiveActionWorkflow, {
            workflowId,
            taskQueue: this.options.taskQueue,
            args: [
              {
                action,
                trust,
                route: routeFor(this.options.approvalPolicy, action),
                resumeOnApprove: this.options.resumeOnApprove,
                profile: input.profile,
                peers: input.peers,
                offeredGrant: input.offer,
              },
            ],
            // A retry with the same key meets the workflow that already exists and gets its decision;
            // once that workflow has completed, its id is never reused (the caller reads the outcome). A
            // failed one (someone else's start, refused by the workflow) does not block the real request.
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
            typedSearchAttributes: new TypedSearchAttributes([
              { key: SA.AgentId, value: agentId },
              { key: SA.ToolName, value: toolName },
              { key: SA.ActionStatus, value: 'PENDING_DECISION' },
              ...(ownerEmail ? [{ key: SA.AgentOwner, value: ownerEmail }] : []),
              ...(action.call ? [{ key: SA.McpCall, value: mcpCallKey(action.tool, action.call) }] : []),
            ]),
            memo: actionMemo(action),
            staticSummary: `${name} → ${toolName}.${operation.name} (${operation.sensitivity})`,
            staticDetails: `Action ${id} of agent ${agentId}; idempotency key ${idempotencyKey}.`,
          }),
        }),
      `No action ${id}.`,
    );
  }

  /** A finished action's workflow has closed: a late decision is a CONFLICT, not a missing action. */
  private async decideOrExplain(actionId: string, call: () => Promise<ActionRecord>): Promise<ActionRecord> {
    try {
      return await call();
    } catch (err) {
      if ((err as { code?: string }).code !== 'NOT_FOUND') throw err;
      const action = await this.directory.find(actionId);
      if (action) throw conflict(`Action ${actionId} is ${action.status}: there is nothing left to decide.`);
      throw err;
    }
  }

  /** Who decides, as the directory holds them now, and the agent's owner now: what a decision is signed with. */
  private async decider(email: string, actionId: string, approve: boolean, comment: string) {
    if (!isActionId(actionId)) throw notFound(`No action with id "${actionId.slice(0, 64)}".`);
    if (!approve && !comment.trim()) throw badInput('a reason is required to deny');
    // Read from the server alone (no worker): a person can decide while workers restart; the Update waits.
    const workflowId = actionWorkflowId(actionId);
    const info = await viaTemporal(
      () => this.client.workflow.getHandle(workflowId).describe(),
      `No action with id "${actionId}".`,
    );
    const held = summaryOf(info);
    if (!held?.agentId) throw notFound(`No action with id "${actionId.slice(0, 64)}".`);
    if (info.status.name !== 'RUNNING')
      throw conflict(
        `Action ${actionId} is ${info.typedSearchAttributes.get(SA.ActionStatus) ?? 'closed'}: there is nothing left to decide.`,
      );
    const [roles, agentOwner, delegators] = await Promise.all([
      this.people.roles(email, { fresh: true }),
      this.access.ownerOf(held.agentId),
      this.people.delegatorsOf(email),
    ]);
    return {
      by: person(email, roles),
      signedWith: { agentOwner, delegators },
      workflowId,
      update: approve ? approveActionUpdate : denyActionUpdate,
      held,
    };
  }

  /** A decision as a ready-to-send Update (Temporal CLI or UI): the request and a statement signed now, with the
   * person's roles and the agent's owner read now — what the workflow checks, whoever sends it; once, until expiry. */
  async decisionCommand(
    email: string,
    actionId: string,
    approve: boolean,
    comment: string,
    ttlSeconds = 300,
  ): Promise<DecisionCommand> {
    const { by, signedWith, workflowId, update, held } = await this.decider(email, actionId, approve, comment);
    const proof = await this.commands.statement(by, workflowId, update.name, { comment }, signedWith, ttlSeconds);
    const { exp } = JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number };
    return {
      workflowId,
      update: update.name as DecisionCommand['update'],
      input: { request: { comment }, proof },
      expiresAt: new Date(exp * 1000).toISOString(),
      held,
    };
  }

  async approve(email: string, actionId: string, comment: string): Promise<ActionRecord> {
    return this.decide(email, actionId, true, comment);
  }

  async deny(email: string, actionId: string, reason: string): Promise<ActionRecord> {
    return this.decide(email, actionId, false, reason);
  }

  private async decide(email: string, actionId: string, approve: boolean, comment: string): Promise<ActionRecord> {
    return this.decideOrExplain(actionId, async () => {
      const { by, signedWith, workflowId, update } = await this.decider(email, actionId, approve, comment);
      return viaTemporal(
        () => this.commands.send(workflowId, update, { comment }, by, signedWith),
        `No action with id "${actionId}".`,
      );
    });
  }
}
