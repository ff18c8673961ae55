/**
 * An agent's life, as one entity workflow per agent (`agent:<id>`):
 *
 *   DISCOVERED (shadow, no owner) → ACTIVE (owned by a known person) ⇄ SUSPENDED → DECOMMISSIONED (final)
 *
 * Every change is an Update whose validator refuses impossible transitions before anything is written;
 * each accepted change records who, when and why. The directory is this workflow's search attributes and
 * memo; its full state is the `getAgent` Query.
 *
 * The workflow also owns the agent's credential: it authenticates each client assertion (refusing
 * replays), rotates the key on a durable timer (a successor is issued, both work during the overlap
 * window, then the old one is refused; an agent that never takes up its successor is suspended and its
 * owner told), and holds the revocation point of universal logout. History rolls over with
 * continue-as-new, keeping state, remembered assertions and pending notifications.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  log,
  defineUpdate,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { WardenActivities } from '../activities/index.js';
import {
  accessOf,
  agentMemo,
  agentWorkflowId,
  applyEvent,
  canTransition,
  describeActor,
  transitionRefusal,
  validateReason,
  type Actor,
  type AgentEventKind,
  type AgentState,
  type AgentStatus as Status,
  type AllowedTool,
} from '../domain/agents.js';
import { MAX_REMEMBERED_ASSERTIONS, newCredential, type AssertionRecord, type Jwk } from '../domain/credentials.js';
import { ErrorCode } from '../domain/errors.js';
import { isRecordedGrant, type ActionRecord, type RecordedGrant } from '../domain/actions.js';
import { AGENT_COMMANDS, refusalFor, type AgentCommand } from '../domain/authority.js';
import type { Signed, TrustAnchor } from '../tokens/statements.js';
import type { StatementPrincipal } from '../domain/authority.js';
import type { Notification } from '../domain/notifications.js';
import { isValidEmail, normalizeEmail } from '../domain/people.js';
import {
  AgentAccessChangedAt,
  AgentId,
  AgentLastSeen,
  AgentName,
  AgentOwner,
  AgentPlatform,
  AgentStatus,
  DiscoverySources,
} from '../temporal/search-attributes.js';
import {
  agentIdOfFinding,
  applySighting,
  dismissFinding,
  raisedSources,
  type Sighting,
  type SightingOutcome,
} from '../domain/discovery.js';
import { emptyBaseline, learn, type Baseline } from '../risk/baseline.js';
import { DEFAULT_POLICY, policyFor, type PolicyOverride } from '../risk/types.js';
import { factsOf } from '../risk/facts.js';
import { assessAction, type Assessment, type RiskProfile } from '../risk/assess-action.js';
import { learnActionSignal } from './agent-signals.js';
import { failpoints } from './failpoints.js';
import { isForeign } from '../temporal/payload-origin.js';
import { continueAsNewDue } from './continue-as-new.js';
import {
  CommandGate,
  fromWarden,
  handleTrustAnchorRefresh,
  reportRefusedSignal,
  validAnchor,
  type RememberedStatement,
} from './trust.js';

export interface AgentLifecycleArgs {
  state: AgentState;
  /** Warden's issuer and signing keys: what commands' statements are verified against. */
  trust: TrustAnchor;
  /** Carried across continue-as-new: statements already used (each works once). */
  usedStatements?: RememberedStatement[];
  continueAsNewAfterEvents?: number;
  /** Carried across continue-as-new: client-assertion ids still inside their lifetime. */
  assertions?: AssertionRecord[];
  /** Carried across continue-as-new: notifications not yet delivered. */
  outbox?: Notification[];
  /** Carried across continue-as-new: the behavioural baseline, learned from allowed/approved actions. */
  baseline?: Baseline;
  /** Carried across continue-as-new: ids of actions already learned (a retried signal is ignored). */
  learnedActions?: string[];
  /** This agent's risk policy, over Warden's defaults (thresholds, warm-up, hard rules). */
  riskPolicy?: PolicyOverride | null;
  /** Carried across continue-as-new: recent routine actions decided here, and keys sent elsewhere. */
  routine?: ActionRecord[];
  escalatedKeys?: string[];
  auditOutbox?: ActionRecord[];
}

export type { RiskProfile };

export interface DecisionContext {
  agent: AgentState;
  profile: RiskProfile;
  /** The routine action this idempotency key already named, if any: one key, one request. */
  routine: ActionRecord | null;
}

export interface StatusChangeRequest {
  reason: string;
}

export interface SuspendRequest extends StatusChangeRequest {
  /**
   * Also revoke every token issued so far (default): after a resume the agent must get new ones. Without
   * it a suspension is a pause: tokens issued before it are refused while the agent is suspended, and work
   * again after a resume until they expire.
   */
  revokeTokens?: boolean;
}

export interface OwnershipTransferRequest {
  ownerEmail: string;
  reason?: string;
}

export interface AuthenticateRequest {
  /** `kid` of the key that signed the (already verified) client assertion. */
  kid: string;
  jti: string;
  expiresAtMs: number;
}

export interface AuthenticateResult {
  revokedBefore: string | null;
}

export interface RotateCredentialRequest {
  /** The agent's own new public key; without one Warden generates the successor. */
  publicJwk?: Jwk;
  kid?: string;
}

export interface SetAllowedToolsRequest {
  tools: AllowedTool[];
}

export interface RevokeTokenRequest {
  jti: string;
  expiresAtMs: number;
}

// Commands by someone: each carries a signed statement (workflows/trust.ts) saying who asked.
export const suspendAgentUpdate = defineUpdate<AgentState, [Signed<SuspendRequest>]>('suspendAgent');
export const resumeAgentUpdate = defineUpdate<AgentState, [Signed<StatusChangeRequest>]>('resumeAgent');
export const decommissionAgentUpdate = defineUpdate<AgentState, [Signed<StatusChangeRequest>]>('decommissionAgent');
export const transferAgentOwnershipUpdate = defineUpdate<AgentState, [Signed<OwnershipTransferRequest>]>(
  'transferAgentOwnership',
);
export const universalLogoutUpdate = defineUpdate<AgentState, [Signed<StatusChangeRequest>]>('universalLogout');
export const rotateCredentialUpdate = defineUpdate<AgentState, [Signed<RotateCredentialRequest>]>('rotateCredential');
export const collectSuccessorUpdate = defineUpdate<
  { kid: string; sealedPrivateJwk: unknown; expiresAt: string },
  [Signed<Record<string, never>>]
>('collectSuccessor');
export const setAllowedToolsUpdate = defineUpdate<AgentState, [Signed<SetAllowedToolsRequest>]>('setAllowedTools');
export const revokeTokenUpdate = defineUpdate<AgentState, [Signed<RevokeTokenRequest>]>('revokeToken');
// Facts only Warden's processes report (the API, having verified the client assertion).
export const authenticateAgentUpdate = defineUpdate<AuthenticateResult, [AuthenticateRequest]>('authenticateAgent');
export const getAgentQuery = defineQuery<AgentState>('getAgent');

export interface RecordSightingsResult {
  agentId: string;
  status: Status;
  /** True when this agent was first discovered by the sighting's sweep (the same answer on every retry). */
  newAgent: boolean;
  outcomes: SightingOutcome[];
}

export interface ClaimAgentRequest {
  ownerEmail: string;
  allowedTools: AllowedTool[];
  /**
   * The credential the claimed agent will authenticate with (public part; a generated private key stays with the
   * caller).
   */
  publicJwk: Jwk;
  kid: string;
  generatedByWarden: boolean;
  reason?: string;
}

/** Discovery reports what a sweep saw of this agent (started in DISCOVERED by Update-with-Start when new). */
export const recordSightingsUpdate = defineUpdate<RecordSightingsResult, [Sighting[]]>('recordSightings');
/** A discovered (shadow) agent gets an owner, allowed tools and a credential: DISCOVERED → ACTIVE. */
export const claimAgentUpdate = defineUpdate<AgentState, [Signed<ClaimAgentRequest>]>('claimAgent');
export const dismissFindingUpdate = defineUpdate<AgentState, [Signed<{ findingId: string; reason: string }>]>(
  'dismissFinding',
);
/**
 * The routine path: a LOW, allowed request decided here; null means "not routine — use its own workflow".
 * The API offers the grant to record (key, id, lifetime); the workflow records it only if it allows the
 * request outright, and the API signs what was recorded.
 */
export const decideRoutineActionUpdate = defineUpdate<ActionRecord | null, [ActionRecord, RecordedGrant]>(
  'decideRoutineAction',
);
export const getRoutineActionQuery = defineQuery<ActionRecord | null, [string]>('getRoutineAction');
export const listRoutineActionsQuery = defineQuery<ActionRecord[]>('listRoutineActions');
export const getRiskProfileQuery = defineQuery<RiskProfile>('getRiskProfile');
/** What a sensitive decision needs, in one read: the agent as it is now, with its baseline and policy. */
export const getDecisionContextQuery = defineQuery<DecisionContext, [string]>('getDecisionContext');
export const setRiskPolicyUpdate = defineUpdate<PolicyOverride | null, [Signed<{ policy: PolicyOverride | null }>]>(
  'setRiskPolicy',
);

const { findPerson } = proxyLocalActivities<WardenActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5 },
});
// A batch is handed over by a local activity, in the workflow task the flush timer wakes (no activity task
// through the server); after a crash it may be handed over twice, and the audit trail keeps each record once.
const { recordAuditBatch } = proxyLocalActivities<WardenActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// Unlimited retries: a rotation must not fail the agent's workflow (that would leave it unmanageable).
const { issueAgentKeyPair } = proxyLocalActivities<WardenActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '1 minute' },
});
const { deliverNotification } = proxyActivities<WardenActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 },
});

const SYSTEM: Actor = { kind: 'system', id: 'warden' };
// Each hand-over costs a timer, a workflow task and a signal to the audit trail's writer whatever its size,
// so a busy agent's records travel in few, larger batches.
export const AUDIT_FLUSH_MS = 5_000;
const AUDIT_BATCH_MAX = 100;
// A short history keeps the first workflow task after a worker restart (or a cache eviction, with thousands
// of agents) a fast replay: roll over every AGENT_HISTORY_EVENTS events (~300 routine decisions).
const AGENT_HISTORY_EVENTS = 2_000;

function refuse(type: ErrorCode, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

export async function agentLifecycleWorkflow(input: AgentLifecycleArgs): Promise<void> {
  // Only Warden starts an agent, and only the agent the workflow id names.
  const args = fromWarden(input, 'the agent workflow input', {
    operation: 'agentLifecycleWorkflow',
    agentId: workflowInfo().workflowId.slice('agent:'.length),
  });
  if (!args?.state || agentWorkflowId(args.state.id) !== workflowInfo().workflowId || !validAnchor(args.trust)) {
    throw ApplicationFailure.create({
      type: ErrorCode.BAD_USER_INPUT,
      message: 'Refused: this input is not the state of the agent this workflow id names.',
      nonRetryable: true,
    });
  }
  let state = args.state;
  const gate = new CommandGate(args.trust, args.usedStatements, state.id);
  handleTrustAnchorRefresh(gate, state.id);
  /** Facts only Warden's processes report: anything else is refused, and audited. */
  const reported = <T>(value: T, what: string, operation: string): T =>
    fromWarden(value, what, { operation, agentId: state.id });
  /** A command's request and who made it (in a validator), refusing what the principal may not do. */
  const authorized = <T>(command: AgentCommand, arg: unknown): { request: T; by: StatementPrincipal } => {
    const { request, by } = gate.verify<T>(arg, command);
    const refusal = refusalFor(AGENT_COMMANDS[command], by, { ownerEmail: state.ownerEmail, agentId: state.id });
    if (refusal) gate.forbid(command, by, refusal);
    return { request, by };
  };
  const actorOf = (by: StatementPrincipal): Actor => ({ kind: by.kind, id: by.id });
  let assertions: AssertionRecord[] = args.assertions ?? [];
  const seenJtis = new Set(assertions.map((a) => a.jti));
  const outbox: Notification[] = [...(args.outbox ?? [])];
  let issuingSuccessor = false;
  let baseline: Baseline = args.baseline ?? emptyBaseline();
  let learnedActions: string[] = args.learnedActions ?? [];
  let riskPolicy: PolicyOverride | null = args.riskPolicy ?? null;
  let routine: ActionRecord[] = args.routine ?? [];
  let escalatedKeys: string[] = args.escalatedKeys ?? [];
  const auditOutbox: ActionRecord[] = [...(args.auditOutbox ?? [])];

  // Token checks read the agent's access view from its memo. API processes learn of access changes from
  // visibility (AgentAccessChangedAt) rather than re-reading every agent they serve. Each run stamps its
  // first view afresh, and a stamp is strictly later than the one before it, so no two versions share one.
  let accessKey: string | null = null;
  let accessChangedAt = workflowInfo().typedSearchAttributes.get(AgentAccessChangedAt)?.getTime() ?? 0;
  const accessStamp = () => {
    const key = JSON.stringify([state.name, state.platform, state.ownerEmail, state.status, accessOf(state)]);
    if (key === accessKey) return [];
    accessKey = key;
    accessChangedAt = Math.max(Date.now(), accessChangedAt + 1);
    return [{ key: AgentAccessChangedAt, value: new Date(accessChangedAt) }];
  };
  let published: AgentState | null = null;
  const publish = () => {
    upsertSearchAttributes([
      ...accessStamp(),
      { key: AgentId, value: state.id },
      { key: AgentName, value: state.name },
      { key: AgentStatus, value: state.status },
      { key: AgentOwner, value: state.ownerEmail ?? null },
      { key: AgentPlatform, value: state.platform },
      { key: AgentLastSeen, value: state.discovery ? new Date(state.discovery.lastSeenAt) : null },
      {
        key: DiscoverySources,
        value: raisedSources(state.discovery ?? null).length ? raisedSources(state.discovery ?? null) : null,
      },
    ]);
    upsertMemo(agentMemo(state));
    published = state;
    const last = state.events.at(-1);
    setCurrentDetails(
      [
        `**${state.status}** · owner: ${state.ownerEmail ?? '_none (shadow agent)_'} · platform: ${state.platform}`,
        state.credential
          ? `Credential ${state.credential.kid} expires ${state.credential.expiresAt}${state.successor ? ` · successor ${state.successor.kid} issued` : ''}`
          : '',
        state.revokedBefore ? `Tokens issued before ${state.revokedBefore} are revoked.` : '',
        state.discovery
          ? `Discovered by sweep ${state.discovery.discoveredBySweep} · last seen ${state.discovery.lastSeenAt} · ${state.discovery.findings.length} finding(s) from ${[...new Set(state.discovery.findings.map((f) => f.sourceName))].join(', ')}${state.discovery.proposedOwnerEmail ? ` · proposed owner ${state.discovery.proposedOwnerEmail}` : ''}`
          : '',
        last ? `Last change: ${last.kind} by ${describeActor(last.actor)} at ${last.at} — ${last.reason}` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
  };

  const record = (
    kind: AgentEventKind,
    to: Status,
    actor: Actor,
    reason: string,
    patch: Partial<AgentState> = {},
    details?: Record<string, string>,
  ) => {
    state = applyEvent(
      state,
      {
        kind,
        at: new Date().toISOString(),
        actor,
        reason: reason.trim(),
        fromStatus: state.status,
        toStatus: to,
        ...(details ? { details } : {}),
      },
      patch,
    );
    publish();
    return state;
  };

  const notifyOwner = (subject: string, text: string) => {
    if (state.ownerEmail)
      outbox.push({
        kind: 'agent',
        agentId: state.id,
        to: [state.ownerEmail],
        subject,
        text,
        at: new Date().toISOString(),
      });
  };

  /** Universal logout: every token issued so far is refused from now on; an active agent is suspended. */
  const logOut = (kind: 'UNIVERSAL_LOGOUT' | 'SUSPENDED', actor: Actor, reason: string) => {
    const at = new Date().toISOString();
    const to: Status = state.status === 'ACTIVE' ? 'SUSPENDED' : state.status;
    record(
      kind,
      to,
      actor,
      reason,
      { revokedBefore: at },
      kind === 'SUSPENDED' ? { tokensRevokedBefore: at } : undefined,
    );
    notifyOwner(
      kind === 'SUSPENDED'
        ? `Agent ${state.name} was suspended and logged out everywhere`
        : `Agent ${state.name} was logged out everywhere`,
      `Every token of agent ${state.name} (${state.id}) issued before ${at} is revoked and the agent is ${to}. Reason: ${reason.trim()} (by ${describeActor(actor)}).`,
    );
    outbox.push({
      kind: 'session-revoked',
      agentId: state.id,
      to: [],
      subject: 'session-revoked',
      text: reason.trim(),
      at,
    });
    return state;
  };

  /** Validators run before anything is written to history: a refused change leaves no trace but the error. */
  const checkTransition = (to: Status, request: StatusChangeRequest) => {
    const problems = validateReason(request?.reason);
    if (problems.length) refuse(ErrorCode.BAD_USER_INPUT, problems.join('; '));
    if (!canTransition(state.status, to)) refuse(ErrorCode.CONFLICT, transitionRefusal(state.id, state.status, to));
  };

  publish();
  setHandler(getAgentQuery, () => state);
  setHandler(getRiskProfileQuery, () => ({ baseline, policy: riskPolicy }));
  setHandler(getDecisionContextQuery, (idempotencyKey) => ({
    agent: state,
    profile: { baseline, policy: riskPolicy },
    routine: routine.find((a) => a.idempotencyKey === idempotencyKey) ?? null,
  }));
  setHandler(getRoutineActionQuery, (actionId) => routine.find((a) => a.id === actionId) ?? null);
  setHandler(listRoutineActionsQuery, () => routine);

  // The fastest durable path for routine work: one Update on this (already running) workflow scores the
  // request, records its grant and learns from it, in one workflow task. Anything that is not a plain
  // ALLOW goes to its own sensitive-action workflow instead — and so does every retry of that idempotency key.
  // Scored here, on this workflow's own baseline and policy (the rules are pure functions), with no
  // activity: the decision and its grant are recorded in the very workflow task that made them. Peer
  // statistics (a refinement of novelty) are left to sensitive actions, which query other agents.
  setHandler(
    decideRoutineActionUpdate,
    (request: ActionRecord, offeredGrant: RecordedGrant) => {
      const known = routine.find((a) => a.idempotencyKey === request.idempotencyKey);
      if (known) return known;
      if (escalatedKeys.includes(request.idempotencyKey)) return null;
      // The API routes routine work from a view of this agent that may be a moment old: what it may use,
      // and who it is, come from this workflow's own state (its status: the validator).
      if (!state.allowedTools.some((t) => t.tool === request.tool && t.operations.includes(request.operation))) {
        escalatedKeys = [...escalatedKeys.slice(-499), request.idempotencyKey];
        return null;
      }
      const action: ActionRecord = {
        ...request,
        agentName: state.name,
        platform: state.platform,
        ownerEmail: state.ownerEmail,
      };
      const assessment: Assessment = assessAction({ baseline, policy: riskPolicy }, action);
      failpoints.reached('action.routine.scoring');
      if (assessment.decision !== 'ALLOW') {
        escalatedKeys = [...escalatedKeys.slice(-499), action.idempotencyKey];
        return null;
      }
      const decided: ActionRecord = {
        ...action,
        decision: 'ALLOW',
        status: 'ALLOWED',
        risk: { score: assessment.score, reasons: assessment.reasons },
        recordedGrant: offeredGrant,
        decidedAt: new Date().toISOString(),
        workflowId: workflowInfo().workflowId,
      };
      routine = [...routine.slice(-199), decided];
      if (!learnedActions.includes(decided.id)) {
        learnedActions = [...learnedActions.slice(-499), decided.id];
        baseline = learn(baseline, factsOf(decided), policyFor(DEFAULT_POLICY, riskPolicy));
      }
      auditOutbox.push(decided);
      return decided;
    },
    {
      validator: (request: ActionRecord, offeredGrant: RecordedGrant) => {
        reported(request, 'a routine request', 'decideRoutineAction');
        reported(offeredGrant, 'an offered grant', 'decideRoutineAction');
        if (state.status !== 'ACTIVE')
          refuse(ErrorCode.FORBIDDEN, `Agent ${state.id} is ${state.status}: it cannot request actions.`);
        if (typeof request !== 'object' || request === null || request.agentId !== state.id)
          refuse(ErrorCode.BAD_USER_INPUT, `This request is not for agent ${state.id}.`);
        if (!isRecordedGrant(offeredGrant))
          refuse(
            ErrorCode.BAD_USER_INPUT,
            'The offered grant is not a recorded grant (kid, issuer, jti, whole-second iat < exp).',
          );
      },
    },
  );
  setHandler(
    setRiskPolicyUpdate,
    (command) => {
      const { request, by } = gate.accept<{ policy: PolicyOverride | null }>(command, 'setRiskPolicy');
      riskPolicy = request.policy;
      record(
        'RISK_POLICY_CHANGED',
        state.status,
        actorOf(by),
        request.policy ? 'risk policy set for this agent' : 'risk policy reset to the defaults',
      );
      return riskPolicy;
    },
    {
      validator: (command) => {
        const { request } = authorized<{ policy: PolicyOverride | null }>('setRiskPolicy', command);
        const policy = request?.policy;
        if (policy === undefined || (policy !== null && (typeof policy !== 'object' || Array.isArray(policy))))
          refuse(ErrorCode.BAD_USER_INPUT, 'policy must be an object');
        if (JSON.stringify(policy ?? {}).length > 8192)
          refuse(ErrorCode.BAD_USER_INPUT, 'policy must be at most 8 KiB of JSON');
      },
    },
  );
  // Only allowed or approved actions reach here (from their action workflows); each is learned once
  // however often it is signalled. A signal has no validator: what is not Warden's is dropped.
  setHandler(learnActionSignal, (signal) => {
    if (isForeign(signal) || signal?.action?.agentId !== state.id) {
      reportRefusedSignal(
        'learnAction',
        `Refused: a learnAction signal ${isForeign(signal) ? "that is not Warden's" : 'about another agent'} was dropped; the baseline learns only what Warden allowed.`,
        state.id,
      );
      return;
    }
    const { actionId, action, audit } = signal;
    if (learnedActions.includes(actionId)) return;
    learnedActions = [...learnedActions.slice(-499), actionId];
    baseline = learn(baseline, factsOf(action), policyFor(DEFAULT_POLICY, riskPolicy));
    if (audit) auditOutbox.push(action);
  });

  setHandler(
    suspendAgentUpdate,
    (command) => {
      const { request, by } = gate.accept<SuspendRequest>(command, 'suspendAgent');
      if (request.revokeTokens === false) return record('SUSPENDED', 'SUSPENDED', actorOf(by), request.reason);
      return logOut('SUSPENDED', actorOf(by), request.reason);
    },
    {
      validator: (command) => {
        const { request } = authorized<SuspendRequest>('suspendAgent', command);
        checkTransition('SUSPENDED', request);
        if (request.revokeTokens !== undefined && typeof request.revokeTokens !== 'boolean')
          refuse(ErrorCode.BAD_USER_INPUT, 'revokeTokens must be true or false');
      },
    },
  );
  setHandler(
    resumeAgentUpdate,
    (command) => {
      const { request, by } = gate.accept<StatusChangeRequest>(command, 'resumeAgent');
      return record('RESUMED', 'ACTIVE', actorOf(by), request.reason);
    },
    {
      validator: (command) => {
        const { request } = authorized<StatusChangeRequest>('resumeAgent', command);
        checkTransition('ACTIVE', request);
        if (state.status !== 'SUSPENDED')
          refuse(
            ErrorCode.CONFLICT,
            `Agent ${state.id} is ${state.status}, not SUSPENDED: only a suspended agent can be resumed.`,
          );
      },
    },
  );
  setHandler(
    decommissionAgentUpdate,
    (command) => {
      const { request, by } = gate.accept<StatusChangeRequest>(command, 'decommissionAgent');
      return record('DECOMMISSIONED', 'DECOMMISSIONED', actorOf(by), request.reason, { successor: null });
    },
    {
      validator: (command) =>
        checkTransition('DECOMMISSIONED', authorized<StatusChangeRequest>('decommissionAgent', command).request),
    },
  );

  setHandler(
    transferAgentOwnershipUpdate,
    async (command) => {
      const { request, by } = gate.accept<OwnershipTransferRequest>(command, 'transferAgentOwnership');
      const ownerEmail = normalizeEmail(request.ownerEmail);
      // The owner must be a person in the directory; checked here (an activity) because validators cannot do I/O.
      const person = await findPerson(ownerEmail);
      if (!person)
        refuse(ErrorCode.BAD_USER_INPUT, `${ownerEmail} is not a known person: add them with upsertPerson first.`);
      // The state may have moved while we looked the person up.
      if (state.status !== 'ACTIVE' && state.status !== 'SUSPENDED') {
        refuse(
          ErrorCode.CONFLICT,
          `Agent ${state.id} is ${state.status}: ownership can only be transferred while it is ACTIVE or SUSPENDED.`,
        );
      }
      const previous = state.ownerEmail ?? '';
      return record(
        'OWNER_TRANSFERRED',
        state.status,
        actorOf(by),
        request.reason?.trim() || `ownership transferred from ${previous} to ${ownerEmail}`,
        { ownerEmail },
        { previousOwner: previous, newOwner: ownerEmail },
      );
    },
    {
      validator: (command) => {
        const { request } = authorized<OwnershipTransferRequest>('transferAgentOwnership', command);
        const email = typeof request?.ownerEmail === 'string' ? normalizeEmail(request.ownerEmail) : '';
        if (!isValidEmail(email))
          refuse(
            ErrorCode.BAD_USER_INPUT,
            `"${String(request?.ownerEmail).slice(0, 80)}" is not a valid email address.`,
          );
        if (request.reason !== undefined && (typeof request.reason !== 'string' || request.reason.trim().length > 500))
          refuse(ErrorCode.BAD_USER_INPUT, 'reason must be at most 500 characters');
        if (state.status !== 'ACTIVE' && state.status !== 'SUSPENDED') {
          refuse(
            ErrorCode.CONFLICT,
            `Agent ${state.id} is ${state.status}: ownership can only be transferred while it is ACTIVE or SUSPENDED.`,
          );
        }
        if (state.ownerEmail === email) refuse(ErrorCode.CONFLICT, `Agent ${state.id} is already owned by ${email}.`);
      },
    },
  );

  // --- Discovery -----------------------------------------------------------------------------------

  const notifySecurity = (subject: string, text: string) => {
    outbox.push({ kind: 'security', agentId: state.id, to: [], subject, text, at: new Date().toISOString() });
  };

  setHandler(
    recordSightingsUpdate,
    (sightings) => {
      const firstSighting = !state.discovery;
      const outcomes: SightingOutcome[] = [];
      let discovery = state.discovery ?? null;
      for (const sighting of sightings) {
        const applied = applySighting(state.id, discovery, sighting);
        discovery = applied.discovery;
        outcomes.push(applied.outcome);
      }
      const describe = (o: SightingOutcome, i: number) =>
        `${sightings[i]!.sourceName} (${sightings[i]!.finding.kind}) ${o}`;
      const evidence = () =>
        (discovery?.findings ?? [])
          .filter((f) => !f.dismissal)
          .map(
            (f) =>
              `• ${f.source} via ${f.sourceName}: ${f.kind}${f.host ? ` on ${f.host}` : ''}${f.user ? ` (user ${f.user})` : ''}`,
          )
          .join('\n');
      state = { ...state, discovery };
      if (firstSighting && state.status === 'DISCOVERED') {
        notifySecurity(
          `Shadow agent discovered: ${state.name}`,
          `Discovery sweep ${sightings[0]!.sweepId} found an agent no one has registered: ${state.name} (${state.platform}, ${state.id}). ` +
            `${discovery?.proposedOwnerEmail ? `Proposed owner: ${discovery.proposedOwnerEmail}. ` : 'No owner could be proposed from the evidence. '}Claim it (claimAgent) or dismiss its findings.\n${evidence()}`,
        );
      } else if (outcomes.includes('evidence-changed')) {
        notifySecurity(
          `Dismissed finding raised again: ${state.name}`,
          `The evidence for a dismissed finding about agent ${state.name} (${state.id}) changed, so it is raised again: ${outcomes
            .map(describe)
            .filter((d) => d.endsWith('evidence-changed'))
            .join('; ')}.\n${evidence()}`,
        );
      } else if (state.status === 'DECOMMISSIONED' && outcomes.some((o) => o === 'new' || o === 'seen-again')) {
        notifySecurity(
          `Decommissioned agent still seen: ${state.name}`,
          `Agent ${state.name} (${state.id}) is DECOMMISSIONED but discovery still sees it.\n${evidence()}`,
        );
      }
      publish();
      return {
        agentId: state.id,
        status: state.status,
        newAgent:
          state.discovery!.discoveredBySweep === sightings[0]!.sweepId && state.events[0]?.kind === 'DISCOVERED',
        outcomes,
      };
    },
    {
      validator: (sightings) => {
        reported(sightings, 'a discovery report', 'recordSightings');
        if (!Array.isArray(sightings) || sightings.length === 0 || sightings.length > 100)
          refuse(ErrorCode.BAD_USER_INPUT, 'between 1 and 100 sightings per update');
        const fingerprint = state.discovery?.fingerprint ?? sightings[0]!.finding.fingerprint;
        if (sightings.some((s) => s.finding.fingerprint !== fingerprint))
          refuse(ErrorCode.BAD_USER_INPUT, 'every sighting must be of this agent (one fingerprint)');
      },
    },
  );

  setHandler(
    claimAgentUpdate,
    (command) => {
      const { request, by } = gate.accept<ClaimAgentRequest>(command, 'claimAgent');
      const actor = actorOf(by);
      const ownerEmail = normalizeEmail(request.ownerEmail);
      const credential = newCredential(
        request.publicJwk,
        request.kid,
        Date.now(),
        state.credentialPolicy,
        request.generatedByWarden,
      );
      const tools = [...request.allowedTools].sort((a, b) => a.tool.localeCompare(b.tool));
      const claimed = record(
        'CLAIMED',
        'ACTIVE',
        actor,
        request.reason?.trim() || `claimed by ${describeActor(actor)} for ${ownerEmail}`,
        { ownerEmail, allowedTools: tools, credential, successor: null },
        {
          owner: ownerEmail,
          ...(state.discovery?.proposedOwnerEmail ? { proposedOwner: state.discovery.proposedOwnerEmail } : {}),
        },
      );
      notifyOwner(
        `You now own agent ${state.name}`,
        `${describeActor(actor)} claimed the discovered agent ${state.name} (${state.id}) and made you its owner. It is ACTIVE; its credential (${credential.kid}) expires ${credential.expiresAt} and rotates automatically.`,
      );
      return claimed;
    },
    {
      validator: (command) => {
        const { request } = authorized<ClaimAgentRequest>('claimAgent', command);
        if (state.status !== 'DISCOVERED')
          refuse(ErrorCode.CONFLICT, `Agent ${state.id} is ${state.status}: only a DISCOVERED agent can be claimed.`);
        if (typeof request?.ownerEmail !== 'string' || !isValidEmail(normalizeEmail(request.ownerEmail)))
          refuse(
            ErrorCode.BAD_USER_INPUT,
            `"${String(request?.ownerEmail).slice(0, 80)}" is not a valid email address.`,
          );
        if (request.reason !== undefined && (typeof request.reason !== 'string' || request.reason.trim().length > 500))
          refuse(ErrorCode.BAD_USER_INPUT, 'reason must be at most 500 characters');
        if (
          !Array.isArray(request.allowedTools) ||
          typeof request.kid !== 'string' ||
          typeof request.publicJwk !== 'object'
        )
          refuse(ErrorCode.BAD_USER_INPUT, 'a claim needs allowed tools and a public key');
      },
    },
  );

  setHandler(
    dismissFindingUpdate,
    (command) => {
      const { request, by } = gate.accept<{ findingId: string; reason: string }>(command, 'dismissFinding');
      const at = new Date().toISOString();
      state = { ...state, discovery: dismissFinding(state.discovery!, request.findingId, by.id, request.reason, at) };
      return record(
        'FINDING_DISMISSED',
        state.status,
        actorOf(by),
        request.reason,
        {},
        { findingId: request.findingId },
      );
    },
    {
      validator: (command) => {
        const { request } = authorized<{ findingId: string; reason: string }>('dismissFinding', command);
        const problems = validateReason(request?.reason);
        if (problems.length) refuse(ErrorCode.BAD_USER_INPUT, problems.join('; '));
        const findingId = String(request.findingId);
        const finding =
          agentIdOfFinding(findingId) === state.id
            ? state.discovery?.findings.find((f) => f.id === findingId)
            : undefined;
        if (!finding) refuse(ErrorCode.NOT_FOUND, `No finding "${findingId.slice(0, 120)}".`);
        if (finding.dismissal)
          refuse(
            ErrorCode.CONFLICT,
            `Finding ${findingId} was already dismissed by ${finding.dismissal.by} at ${finding.dismissal.at}.`,
          );
      },
    },
  );

  // --- Credentials ---------------------------------------------------------------------------------

  /** Keys an assertion may be signed with right now. */
  const usableKid = (kid: string): boolean => {
    const now = Date.now();
    const live = (c: { kid: string; expiresAt: string } | null) =>
      c !== null && c.kid === kid && Date.parse(c.expiresAt) > now;
    return live(state.credential) || live(state.successor);
  };

  setHandler(
    authenticateAgentUpdate,
    (request) => {
      const now = Date.now();
      assertions = assertions.filter((a) => a.expiresAtMs > now);
      if (assertions.length >= MAX_REMEMBERED_ASSERTIONS) assertions.shift();
      assertions.push({ jti: request.jti, expiresAtMs: request.expiresAtMs });
      seenJtis.clear();
      for (const a of assertions) seenJtis.add(a.jti);
      if (state.successor && request.kid === state.successor.kid && !state.successor.takenUpAt) {
        state = { ...state, successor: { ...state.successor, takenUpAt: new Date(now).toISOString() } };
      }
      return { revokedBefore: state.revokedBefore };
    },
    {
      validator: (request) => {
        reported(request, 'a verified client assertion', 'authenticateAgent');
        if (state.status !== 'ACTIVE')
          refuse(ErrorCode.FORBIDDEN, `Agent ${state.id} is ${state.status}: it cannot obtain tokens.`);
        if (typeof request?.kid !== 'string' || !usableKid(request.kid))
          refuse(
            ErrorCode.UNAUTHENTICATED,
            `The key ${String(request?.kid).slice(0, 64)} is not a current credential of agent ${state.id}.`,
          );
        if (
          typeof request.jti !== 'string' ||
          request.jti.length === 0 ||
          request.jti.length > 256 ||
          !Number.isFinite(request.expiresAtMs)
        )
          refuse(ErrorCode.BAD_USER_INPUT, 'The client assertion needs a jti and an expiry.');
        if (seenJtis.has(request.jti))
          refuse(ErrorCode.CONFLICT, 'This client assertion was already used (jti replayed).');
      },
    },
  );

  setHandler(
    universalLogoutUpdate,
    (command) => {
      const { request, by } = gate.accept<StatusChangeRequest>(command, 'universalLogout');
      return logOut('UNIVERSAL_LOGOUT', actorOf(by), request.reason);
    },
    {
      validator: (command) => {
        const { request } = authorized<StatusChangeRequest>('universalLogout', command);
        const problems = validateReason(request?.reason);
        if (problems.length) refuse(ErrorCode.BAD_USER_INPUT, problems.join('; '));
        if (state.status === 'DECOMMISSIONED' || state.status === 'DISCOVERED') {
          refuse(ErrorCode.CONFLICT, `Agent ${state.id} is ${state.status}: it holds no tokens to revoke.`);
        }
      },
    },
  );

  setHandler(
    revokeTokenUpdate,
    (command) => {
      const { request } = gate.accept<RevokeTokenRequest>(command, 'revokeToken');
      const now = Date.now();
      const kept = state.revokedTokens.filter((t) => t.expiresAtMs > now && t.jti !== request.jti);
      state = {
        ...state,
        revokedTokens: [...kept.slice(-999), { jti: request.jti, expiresAtMs: request.expiresAtMs }],
      };
      return state;
    },
    {
      validator: (command) => {
        const { request } = authorized<RevokeTokenRequest>('revokeToken', command);
        if (
          typeof request?.jti !== 'string' ||
          request.jti.length === 0 ||
          request.jti.length > 256 ||
          !Number.isFinite(request.expiresAtMs)
        )
          refuse(ErrorCode.BAD_USER_INPUT, 'jti and expiry are required');
      },
    },
  );

  /** Issues a successor: the agent's own public key, or a pair Warden generates (private part vaulted). */
  const issueSuccessor = async (actor: Actor, reason: string, own?: { publicJwk: Jwk; kid: string }) => {
    issuingSuccessor = true;
    try {
      const issued = own ? { ...own, sealedPrivateJwk: null } : await issueAgentKeyPair(state.id);
      const now = Date.now();
      const credential = newCredential(issued.publicJwk, issued.kid, now, state.credentialPolicy, !own);
      // The overlap runs its usual length from now. A rotation started early (forced) would otherwise leave the
      // old key valid so long that the successor is already due for rotation when it becomes current — and its
      // own successor would get almost no overlap before the agent is suspended for missing it. (A rotation on
      // its timer is never shortened: the old key expires exactly one overlap after it was due.)
      const policy = state.credentialPolicy;
      const overlapEnd = now + policy.maxAgeMs - Math.floor(policy.maxAgeMs * policy.rotateAtFraction);
      const current = state.credential;
      const shortened =
        current && Date.parse(current.expiresAt) > overlapEnd
          ? {
              credential: {
                ...current,
                rotationDueAt: new Date(Math.min(Date.parse(current.rotationDueAt), now)).toISOString(),
                expiresAt: new Date(overlapEnd).toISOString(),
              },
            }
          : {};
      record(
        'CREDENTIAL_ROTATION_STARTED',
        state.status,
        actor,
        reason,
        {
          ...shortened,
          successor: { ...credential, sealedPrivateJwk: issued.sealedPrivateJwk, takenUpAt: null },
        },
        { successorKid: credential.kid },
      );
      if (!own)
        notifyOwner(
          `Agent ${state.name}: new credential ready`,
          `A successor credential (${credential.kid}) was issued for agent ${state.name}; the current one stops working at ${state.credential?.expiresAt}.`,
        );
    } finally {
      issuingSuccessor = false;
    }
  };

  setHandler(
    rotateCredentialUpdate,
    async (command) => {
      const { request, by } = gate.accept<RotateCredentialRequest>(command, 'rotateCredential');
      // A forced rotation replaces any successor still pending, and takes effect at once for the new key.
      await issueSuccessor(
        actorOf(by),
        'credential rotation forced',
        request.publicJwk ? { publicJwk: request.publicJwk, kid: request.kid! } : undefined,
      );
      return state;
    },
    {
      validator: (command) => {
        const { request } = authorized<RotateCredentialRequest>('rotateCredential', command);
        if (state.status === 'DECOMMISSIONED' || state.status === 'DISCOVERED')
          refuse(ErrorCode.CONFLICT, `Agent ${state.id} is ${state.status}: it has no credential to rotate.`);
        if (issuingSuccessor) refuse(ErrorCode.CONFLICT, `A rotation of agent ${state.id} is already under way.`);
        if (request?.publicJwk && !request.kid)
          refuse(ErrorCode.BAD_USER_INPUT, 'A public key needs its kid (thumbprint).');
      },
    },
  );

  setHandler(
    collectSuccessorUpdate,
    (command) => {
      gate.accept(command, 'collectSuccessor');
      const successor = state.successor!;
      const sealed = successor.sealedPrivateJwk;
      // Handed out exactly once: the vaulted private key leaves state as it leaves Warden.
      state = { ...state, successor: { ...successor, sealedPrivateJwk: null } };
      return { kid: successor.kid, sealedPrivateJwk: sealed, expiresAt: successor.expiresAt };
    },
    {
      validator: (command) => {
        authorized('collectSuccessor', command);
        if (state.status !== 'ACTIVE') refuse(ErrorCode.FORBIDDEN, `Agent ${state.id} is ${state.status}.`);
        if (!state.successor || !state.successor.sealedPrivateJwk)
          refuse(ErrorCode.NOT_FOUND, 'No successor credential is waiting to be collected.');
      },
    },
  );

  setHandler(
    setAllowedToolsUpdate,
    (command) => {
      const { request, by } = gate.accept<SetAllowedToolsRequest>(command, 'setAllowedTools');
      const tools = request.tools
        .map((t: AllowedTool) => ({ tool: t.tool, operations: [...new Set(t.operations)].sort() }))
        .sort((a, b) => a.tool.localeCompare(b.tool));
      return record(
        'ALLOWED_TOOLS_CHANGED',
        state.status,
        actorOf(by),
        `allowed tools: ${tools.map((t) => `${t.tool}(${t.operations.join(',')})`).join(' ') || 'none'}`,
        { allowedTools: tools },
      );
    },
    {
      validator: (command) => {
        const { request } = authorized<SetAllowedToolsRequest>('setAllowedTools', command);
        if (state.status === 'DECOMMISSIONED') refuse(ErrorCode.CONFLICT, `Agent ${state.id} is DECOMMISSIONED.`);
        if (
          !Array.isArray(request?.tools) ||
          request.tools.some(
            (t) =>
              typeof t?.tool !== 'string' ||
              !Array.isArray(t.operations) ||
              !t.operations.every((o) => typeof o === 'string'),
          )
        ) {
          refuse(ErrorCode.BAD_USER_INPUT, 'tools must be a list of {tool, operations}');
        }
        const names = request.tools.map((t: AllowedTool) => t.tool);
        if (new Set(names).size !== names.length) refuse(ErrorCode.BAD_USER_INPUT, 'each tool may appear once');
      },
    },
  );

  // --- The agent's clock: rotation timers and notification delivery ---------------------------------

  const nextDeadline = (): number | undefined => {
    if (state.status === 'DECOMMISSIONED' || !state.credential) return undefined;
    // A suspended agent gets no new key; rotation resumes when it does.
    if (!state.successor) return state.status === 'ACTIVE' ? Date.parse(state.credential.rotationDueAt) : undefined;
    return Date.parse(state.credential.expiresAt);
  };

  const onDeadline = async () => {
    const credential = state.credential!;
    if (!state.successor) {
      await issueSuccessor(SYSTEM, 'credential rotation due');
      return;
    }
    const successor = state.successor;
    if (successor.takenUpAt || !successor.generatedByWarden) {
      // The old key's overlap window is over: from now on only the successor works.
      const { sealedPrivateJwk: _sealed, takenUpAt: _taken, ...next } = successor;
      record(
        'CREDENTIAL_ROTATED',
        state.status,
        SYSTEM,
        `credential ${credential.kid} retired; ${next.kid} is current`,
        { credential: next, successor: null },
      );
      return;
    }
    // The agent never used its successor: the old key expires, and a person must look.
    const { sealedPrivateJwk: _sealed, takenUpAt: _taken, ...next } = successor;
    record(
      'CREDENTIAL_ROTATION_MISSED',
      state.status === 'ACTIVE' ? 'SUSPENDED' : state.status,
      SYSTEM,
      `the agent did not take up its successor credential before ${credential.expiresAt}`,
      { credential: { ...next }, successor: null },
    );
    notifyOwner(
      `Agent ${state.name} suspended: credential rotation missed`,
      `Agent ${state.name} (${state.id}) did not start using its new credential before the old one expired, so it was suspended. Resume it after rotating its credential.`,
    );
  };

  // Routine decisions reach the audit trail in batches: at most AUDIT_FLUSH_MS after the oldest one, or
  // as soon as AUDIT_BATCH_MAX wait. They wait in this workflow's state, so a crash loses none, and a
  // decision costs no extra workflow task of its own.
  const historyCap = args.continueAsNewAfterEvents ?? AGENT_HISTORY_EVENTS;
  let auditFlushAt: number | undefined;

  for (;;) {
    if (auditOutbox.length > 0) auditFlushAt ??= Date.now() + AUDIT_FLUSH_MS;
    const armed = auditFlushAt !== undefined;
    const deadline = nextDeadline();
    const until = auditFlushAt !== undefined ? Math.min(deadline ?? Infinity, auditFlushAt) : deadline;
    // A change made outside record() (a revoked token, a successor taken up or collected) reaches the memo here.
    if (published !== state) publish();
    const before = state;
    const auditDue = () => auditOutbox.length >= AUDIT_BATCH_MAX || (!armed && auditOutbox.length > 0);
    // Rolling over waits for a rotation in flight (it completes in a handler, and changes the state).
    const wait = () =>
      outbox.length > 0 || auditDue() || (continueAsNewDue(historyCap) && !issuingSuccessor) || state !== before;
    if (until === undefined) await condition(wait);
    else if (until > Date.now()) await condition(wait, until - Date.now());

    // Only what is waiting now: notifications that keep arriving while these are delivered wait for the
    // next turn, so a steady stream of changes never keeps the loop from rolling history over.
    for (let waiting = outbox.length; waiting > 0; waiting--) {
      try {
        await deliverNotification(outbox[0]!);
      } catch (err) {
        // Retries are spent (or the receiver refused it): drop this one, never the agent's workflow.
        log.warn('notification not delivered', { subject: outbox[0]!.subject, error: String(err) });
      }
      outbox.shift();
    }
    if (
      auditOutbox.length >= AUDIT_BATCH_MAX ||
      (auditOutbox.length > 0 && (Date.now() >= auditFlushAt! || continueAsNewDue(historyCap)))
    ) {
      const batch = auditOutbox.slice(0, AUDIT_BATCH_MAX);
      await recordAuditBatch(batch.map((action) => ({ kind: 'action.decided' as const, action })));
      auditOutbox.splice(0, batch.length);
      auditFlushAt = undefined;
    }
    const due = nextDeadline();
    if (due !== undefined && due <= Date.now()) {
      // A forced rotation may be under way: wait for it rather than spin.
      if (issuingSuccessor) await condition(() => !issuingSuccessor);
      else await onDeadline();
    }
    if (continueAsNewDue(historyCap) && !issuingSuccessor) break;
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof agentLifecycleWorkflow>({
    ...args,
    trust: gate.state.anchor,
    usedStatements: gate.state.used,
    state,
    assertions,
    outbox,
    baseline,
    learnedActions,
    riskPolicy,
    routine,
    escalatedKeys,
    auditOutbox,
  });
}
