/**
 * Changing agents: registering and claiming them, and every command on their workflows — each sent with a
 * statement signed for the person (or agent) who asked (services/commands.ts), which the workflow verifies
 * and checks against the authority it holds now. This process's view of the agent's access is updated from
 * each answer, so the change takes effect here at once (elsewhere within the revocation bound).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import {
  agentMemo,
  agentWorkflowId,
  isValidAgentId,
  validateAgentRegistration,
  validateReason,
  type AgentRegistration,
  type AgentState,
  type AllowedTool,
} from '../../domain/agents.js';
import {
  agentKeyAad,
  newCredential,
  publicOnly,
  validatePublicJwk,
  type CredentialPolicy,
  type Jwk,
} from '../../domain/credentials.js';
import { badInput, conflict, notFound } from '../../domain/errors.js';
import { isValidEmail, normalizeEmail } from '../../domain/people.js';
import { policyOverrideProblem } from '../../risk/policy-check.js';
import { agent as agentCommander, type Commander, type Commands } from '../../services/commands.js';
import * as SA from '../../temporal/search-attributes.js';
import { generateAgentKey, thumbprintOf } from '../../tokens/agent-keys.js';
import { openSecret, type KeyRing, type SealedSecret } from '../../vault/envelope.js';
import {
  authenticateAgentUpdate,
  claimAgentUpdate,
  collectSuccessorUpdate,
  decommissionAgentUpdate,
  resumeAgentUpdate,
  revokeTokenUpdate,
  rotateCredentialUpdate,
  setAllowedToolsUpdate,
  setRiskPolicyUpdate,
  suspendAgentUpdate,
  transferAgentOwnershipUpdate,
  universalLogoutUpdate,
  type AuthenticateRequest,
  type AuthenticateResult,
} from '../../workflows/agent/messages.js';
import { agentLifecycleWorkflow } from '../../workflows/agent/workflow.js';
import type { AgentAccess } from './agent-access.js';
import type { AgentDirectory } from './agent-directory.js';
import type { PeopleDirectory } from './people-directory.js';
import { viaTemporal } from './temporal-errors.js';
import type { ToolRegistry } from './tool-registry.js';

export interface AgentCommandOptions {
  taskQueue: string;
  continueAsNewAfterEvents?: number;
  credentialPolicy: CredentialPolicy;
}

export interface AgentRegistrationInput extends AgentRegistration {
  /** The agent's own public key; without one Warden generates a key pair and returns the private key once. */
  publicJwk?: unknown;
  allowedTools?: AllowedTool[];
}

export interface RegisteredAgent {
  agent: AgentState;
  credential: { clientId: string; kid: string; expiresAt: string; privateJwk: Jwk | null };
}

export class AgentCommands {
  constructor(
    private readonly client: Client,
    private readonly commands: Commands,
    private readonly directory: AgentDirectory,
    private readonly access: AgentAccess,
    private readonly people: PeopleDirectory,
    private readonly tools: ToolRegistry,
    private readonly vault: KeyRing,
    private readonly options: AgentCommandOptions,
  ) {}

  private handle(agentId: string) {
    if (!isValidAgentId(agentId)) throw notFound(`No agent with id "${agentId.slice(0, 64)}".`);
    return this.client.workflow.getHandle<typeof agentLifecycleWorkflow>(agentWorkflowId(agentId));
  }

  /** Checks requested tools and operations against the registry. */
  private async checkAllowedTools(tools: AllowedTool[]): Promise<AllowedTool[]> {
    const problems: string[] = [];
    const out: AllowedTool[] = [];
    if (tools.length > 100) throw badInput('at most 100 tools per agent');
    for (const entry of tools) {
      const tool = await this.tools.find(entry.tool);
      if (!tool) {
        problems.push(`no tool named "${entry.tool.slice(0, 64)}"`);
        continue;
      }
      const known = new Set(tool.operations.map((o) => o.name));
      const unknown = entry.operations.filter((o) => !known.has(o));
      if (unknown.length)
        problems.push(`tool ${tool.name} has no operation ${unknown.map((o) => `"${o.slice(0, 64)}"`).join(', ')}`);
      if (entry.operations.length === 0) problems.push(`name at least one operation of ${tool.name}`);
      out.push({ tool: tool.name, operations: [...new Set(entry.operations)].sort() });
    }
    if (new Set(tools.map((t) => t.tool)).size !== tools.length) problems.push('each tool may appear once');
    if (problems.length) throw badInput(problems.join('; '));
    return out;
  }

  async register(by: Commander, input: AgentRegistrationInput): Promise<RegisteredAgent> {
    const registration = {
      ...input,
      name: input.name.trim(),
      ownerEmail: normalizeEmail(input.ownerEmail),
      description: input.description.trim(),
    };
    const problems = validateAgentRegistration(registration);
    if (!isValidEmail(registration.ownerEmail))
      problems.push(`"${input.ownerEmail.slice(0, 80)}" is not a valid email address`);
    if (problems.length) throw badInput(problems.join('; '));
    const own = await ownKey(input.publicJwk);
    if (!(await this.people.find(registration.ownerEmail))) {
      throw badInput(`${registration.ownerEmail} is not a known person: add them with upsertPerson first.`);
    }
    const allowedTools = await this.checkAllowedTools(input.allowedTools ?? []);
    const generated = own ? null : await generateAgentKey();
    const key = own ?? { publicJwk: generated!.publicJwk, kid: generated!.kid };

    const id = randomUUID();
    const nowMs = Date.now();
    const now = new Date(nowMs).toISOString();
    const credential = newCredential(key.publicJwk, key.kid, nowMs, this.options.credentialPolicy, !own);
    const state: AgentState = {
      id,
      name: registration.name,
      platform: registration.platform,
      description: registration.description,
      status: 'ACTIVE',
      ownerEmail: registration.ownerEmail,
      statusReason: 'registered',
      createdAt: now,
      updatedAt: now,
      events: [
        {
          kind: 'REGISTERED',
          at: now,
          actor: { kind: by.kind, id: by.id },
          reason: 'registered',
          fromStatus: null,
          toStatus: 'ACTIVE',
        },
      ],
      credential,
      successor: null,
      revokedBefore: null,
      revokedTokens: [],
      allowedTools,
      credentialPolicy: this.options.credentialPolicy,
    };
    const trust = await this.commands.anchor();
    await viaTemporal(
      () =>
        this.client.workflow.start(agentLifecycleWorkflow, {
          workflowId: agentWorkflowId(id),
          taskQueue: this.options.taskQueue,
          args: [
            {
              state,
              trust,
              ...(this.options.continueAsNewAfterEvents
                ? { continueAsNewAfterEvents: this.options.continueAsNewAfterEvents }
                : {}),
            },
          ],
          workflowIdConflictPolicy: 'FAIL',
          typedSearchAttributes: new TypedSearchAttributes([
            { key: SA.AgentId, value: id },
            { key: SA.AgentName, value: state.name },
            { key: SA.AgentStatus, value: state.status },
            { key: SA.AgentOwner, value: registration.ownerEmail },
            { key: SA.AgentPlatform, value: state.platform },
          ]),
          // Readable at once (lists, token checks), before the worker has run the workflow's first task.
          memo: agentMemo(state),
          staticSummary: `Agent «${state.name}» (${state.platform})`,
          staticDetails: `Lifecycle of agent ${id}. Registered by ${by.id} at ${now}.`,
        }),
      `No agent ${id}.`,
    );
    this.access.remember(id, state);
    return {
      agent: state,
      credential: {
        clientId: id,
        kid: credential.kid,
        expiresAt: credential.expiresAt,
        privateJwk: generated?.privateJwk ?? null,
      },
    };
  }

  /**
   * Claims a discovered (shadow) agent: it gets an owner, allowed tools and a credential, and is ACTIVE from
   * then on, like a registered one. Without the agent's own public key Warden generates a pair and returns
   * the private key this once.
   */
  async claim(
    by: Commander,
    agentId: string,
    input: { ownerEmail: string; allowedTools: AllowedTool[]; publicJwk?: unknown; reason?: string },
  ): Promise<RegisteredAgent> {
    const ownerEmail = normalizeEmail(input.ownerEmail);
    if (!isValidEmail(ownerEmail)) throw badInput(`"${input.ownerEmail.slice(0, 80)}" is not a valid email address`);
    if (input.reason !== undefined) {
      const problems = input.reason.trim() ? validateReason(input.reason) : [];
      if (problems.length) throw badInput(problems.join('; '));
    }
    const own = await ownKey(input.publicJwk);
    const current = await this.directory.get(agentId);
    if (current.status !== 'DISCOVERED')
      throw conflict(`Agent ${agentId} is ${current.status}: only a DISCOVERED agent can be claimed.`);
    if (!(await this.people.find(ownerEmail)))
      throw badInput(`${ownerEmail} is not a known person: add them with upsertPerson first.`);
    const allowedTools = await this.checkAllowedTools(input.allowedTools);
    const generated = own ? null : await generateAgentKey();
    const key = own ?? { publicJwk: generated!.publicJwk, kid: generated!.kid };
    const agent = await viaTemporal(
      () =>
        this.commands.send(
          this.handle(agentId).workflowId,
          claimAgentUpdate,
          {
            ownerEmail,
            allowedTools,
            publicJwk: key.publicJwk,
            kid: key.kid,
            generatedByWarden: !own,
            ...(input.reason?.trim() ? { reason: input.reason } : {}),
          },
          by,
        ),
      `No agent with id "${agentId.slice(0, 64)}".`,
    );
    this.access.remember(agentId, agent);
    return {
      agent,
      credential: {
        clientId: agentId,
        kid: agent.credential!.kid,
        expiresAt: agent.credential!.expiresAt,
        privateJwk: generated?.privateJwk ?? null,
      },
    };
  }

  /**
   * Suspends an ACTIVE agent. By default every token it holds is revoked too (so a later resume needs new
   * tokens); `revokeTokens: false` only pauses it: earlier tokens are refused while it is suspended and
   * work again after a resume until they expire.
   */
  async suspend(by: Commander, agentId: string, reason: string, revokeTokens = true): Promise<AgentState> {
    return this.statusChange(
      agentId,
      () => this.commands.send(this.handle(agentId).workflowId, suspendAgentUpdate, { reason, revokeTokens }, by),
      reason,
    );
  }

  async resume(by: Commander, agentId: string, reason: string): Promise<AgentState> {
    return this.statusChange(
      agentId,
      () => this.commands.send(this.handle(agentId).workflowId, resumeAgentUpdate, { reason }, by),
      reason,
    );
  }

  async decommission(by: Commander, agentId: string, reason: string): Promise<AgentState> {
    return this.statusChange(
      agentId,
      () => this.commands.send(this.handle(agentId).workflowId, decommissionAgentUpdate, { reason }, by),
      reason,
    );
  }

  async transferOwnership(by: Commander, agentId: string, ownerEmail: string, reason?: string): Promise<AgentState> {
    const email = normalizeEmail(ownerEmail);
    if (!isValidEmail(email)) throw badInput(`"${ownerEmail.slice(0, 80)}" is not a valid email address`);
    const state = await viaTemporal(
      () =>
        this.commands.send(
          this.handle(agentId).workflowId,
          transferAgentOwnershipUpdate,
          { ownerEmail: email, ...(reason ? { reason } : {}) },
          by,
        ),
      `No agent with id "${agentId}".`,
    );
    await this.access.madeChange(agentId, state);
    return state;
  }

  /** Records a verified client assertion: refuses a replayed jti, a retired key or an inactive agent. */
  async authenticate(agentId: string, request: AuthenticateRequest): Promise<AuthenticateResult> {
    return viaTemporal(
      () => this.handle(agentId).executeUpdate(authenticateAgentUpdate, { args: [request] }),
      `No agent with id "${agentId}".`,
    );
  }

  /** Sets (or with null, clears) the agent's risk policy over Warden's defaults. */
  async setRiskPolicy(by: Commander, agentId: string, policy: unknown): Promise<unknown> {
    if (JSON.stringify(policy ?? {}).length > 8192) throw badInput('policy must be at most 8 KiB of JSON');
    const problem = policyOverrideProblem(policy);
    if (problem) throw badInput(`Invalid risk policy (null resets it to the defaults): ${problem}.`);
    return viaTemporal(
      () => this.commands.send(this.handle(agentId).workflowId, setRiskPolicyUpdate, { policy: policy as never }, by),
      `No agent with id "${agentId}".`,
    );
  }

  /** Revokes one of the agent's tokens (RFC 7009), at the agent's own request. */
  async revokeToken(agentId: string, jti: string, expiresAt: Date): Promise<void> {
    const state = await viaTemporal(
      () =>
        this.commands.send(
          this.handle(agentId).workflowId,
          revokeTokenUpdate,
          { jti, expiresAtMs: expiresAt.getTime() },
          agentCommander(agentId),
        ),
      `No agent with id "${agentId}".`,
    );
    await this.access.madeChange(agentId, state);
  }

  /** From the moment this returns, every token issued to the agent before is refused. */
  async universalLogout(by: Commander, agentId: string, reason: string): Promise<AgentState> {
    const problems = validateReason(reason);
    if (problems.length) throw badInput(problems.join('; '));
    const state = await viaTemporal(
      () => this.commands.send(this.handle(agentId).workflowId, universalLogoutUpdate, { reason }, by),
      `No agent with id "${agentId}".`,
    );
    await this.access.madeChange(agentId, state);
    return state;
  }

  async rotateCredential(by: Commander, agentId: string, publicJwk?: unknown): Promise<AgentState> {
    const own = await ownKey(publicJwk);
    return viaTemporal(
      () => this.commands.send(this.handle(agentId).workflowId, rotateCredentialUpdate, { ...(own ?? {}) }, by),
      `No agent with id "${agentId}".`,
    );
  }

  /** Hands the agent its Warden-generated successor private key, exactly once. */
  async collectSuccessor(agentId: string): Promise<{ kid: string; privateJwk: Jwk; expiresAt: string }> {
    const collected = await viaTemporal(
      () => this.commands.send(this.handle(agentId).workflowId, collectSuccessorUpdate, {}, agentCommander(agentId)),
      `No agent with id "${agentId}".`,
    );
    const privateJwk = JSON.parse(
      openSecret(this.vault, collected.sealedPrivateJwk as SealedSecret, agentKeyAad(agentId)),
    ) as Jwk;
    return { kid: collected.kid, privateJwk, expiresAt: collected.expiresAt };
  }

  async setAllowedTools(by: Commander, agentId: string, tools: AllowedTool[]): Promise<AgentState> {
    const checked = await this.checkAllowedTools(tools);
    const state = await viaTemporal(
      () => this.commands.send(this.handle(agentId).workflowId, setAllowedToolsUpdate, { tools: checked }, by),
      `No agent with id "${agentId}".`,
    );
    await this.access.madeChange(agentId, state); // this process knows at once, the others when told
    return state;
  }

  private async statusChange(agentId: string, call: () => Promise<AgentState>, reason: string): Promise<AgentState> {
    const problems = validateReason(reason);
    if (problems.length) throw badInput(problems.join('; '));
    const state = await viaTemporal(call, `No agent with id "${agentId.slice(0, 64)}".`);
    await this.access.madeChange(agentId, state);
    return state;
  }
}

/** The agent's own public key (checked, public members only) and its thumbprint; null when none was given. */
async function ownKey(publicJwk: unknown): Promise<{ publicJwk: Jwk; kid: string } | null> {
  if (publicJwk === undefined || publicJwk === null) return null;
  const problems = validatePublicJwk(publicJwk);
  if (problems.length) throw badInput(problems.join('; '));
  const key = publicOnly(publicJwk as Jwk);
  return { publicJwk: key, kid: await thumbprintOf(key) };
}
