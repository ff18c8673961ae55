/**
 * The agent's credential and tokens: each client assertion is authenticated here (a replay is refused), the
 * key rotates on a durable timer (a successor is issued, both work during the overlap window, then the old
 * one is refused; an agent that never takes up its successor is suspended and its owner told), and this is
 * where universal logout and single-token revocation take effect.
 */
import { proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { WardenActivities } from '../../activities/index.js';
import { validateReason, type Actor } from '../../domain/agents.js';
import { MAX_REMEMBERED_ASSERTIONS, newCredential, type Jwk } from '../../domain/credentials.js';
import { ErrorCode } from '../../domain/errors.js';
import { refuse } from '../refuse.js';
import { actorOf, SYSTEM, type AgentEntity } from './entity.js';
import {
  authenticateAgentUpdate,
  collectSuccessorUpdate,
  revokeTokenUpdate,
  rotateCredentialUpdate,
  universalLogoutUpdate,
  type RevokeTokenRequest,
  type RotateCredentialRequest,
  type StatusChangeRequest,
} from './messages.js';

// Unlimited retries: a rotation must not fail the agent's workflow (that would leave it unmanageable).
const { issueAgentKeyPair } = proxyLocalActivities<WardenActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '1 minute' },
});

const TOKENS_KEPT = 1000;

/** The rotation clock: when the agent's credential next needs Warden (a rotation due, an overlap ending). */
export interface CredentialClock {
  nextDeadline(): number | undefined;
  onDeadline(): Promise<void>;
}

export function handleCredentials(agent: AgentEntity): CredentialClock {
  /** Keys an assertion may be signed with right now. */
  const usableKid = (kid: string): boolean => {
    const now = Date.now();
    const live = (c: { kid: string; expiresAt: string } | null) =>
      c !== null && c.kid === kid && Date.parse(c.expiresAt) > now;
    return live(agent.state.credential) || live(agent.state.successor);
  };

  setHandler(
    authenticateAgentUpdate,
    (request) => {
      const now = Date.now();
      agent.assertions = agent.assertions.filter((a) => a.expiresAtMs > now);
      if (agent.assertions.length >= MAX_REMEMBERED_ASSERTIONS) agent.assertions.shift();
      agent.assertions.push({ jti: request.jti, expiresAtMs: request.expiresAtMs });
      agent.seenJtis.clear();
      for (const a of agent.assertions) agent.seenJtis.add(a.jti);
      const { successor } = agent.state;
      if (successor && request.kid === successor.kid && !successor.takenUpAt) {
        agent.state = { ...agent.state, successor: { ...successor, takenUpAt: new Date(now).toISOString() } };
      }
      return { revokedBefore: agent.state.revokedBefore };
    },
    {
      validator: (request) => {
        const { id, status } = agent.state;
        agent.reported(request, 'a verified client assertion', 'authenticateAgent');
        if (status !== 'ACTIVE') refuse(ErrorCode.FORBIDDEN, `Agent ${id} is ${status}: it cannot obtain tokens.`);
        if (typeof request?.kid !== 'string' || !usableKid(request.kid))
          refuse(
            ErrorCode.UNAUTHENTICATED,
            `The key ${String(request?.kid).slice(0, 64)} is not a current credential of agent ${id}.`,
          );
        if (!isTokenId(request.jti) || !Number.isFinite(request.expiresAtMs))
          refuse(ErrorCode.BAD_USER_INPUT, 'The client assertion needs a jti and an expiry.');
        if (agent.seenJtis.has(request.jti))
          refuse(ErrorCode.CONFLICT, 'This client assertion was already used (jti replayed).');
      },
    },
  );

  setHandler(
    universalLogoutUpdate,
    (command) => {
      const { request, by } = agent.gate.accept<StatusChangeRequest>(command, 'universalLogout');
      return agent.logOut('UNIVERSAL_LOGOUT', actorOf(by), request.reason);
    },
    {
      validator: (command) => {
        const { request } = agent.authorized<StatusChangeRequest>('universalLogout', command);
        const problems = validateReason(request?.reason);
        if (problems.length) refuse(ErrorCode.BAD_USER_INPUT, problems.join('; '));
        const { id, status } = agent.state;
        if (status === 'DECOMMISSIONED' || status === 'DISCOVERED')
          refuse(ErrorCode.CONFLICT, `Agent ${id} is ${status}: it holds no tokens to revoke.`);
      },
    },
  );

  setHandler(
    revokeTokenUpdate,
    (command) => {
      const { request } = agent.gate.accept<RevokeTokenRequest>(command, 'revokeToken');
      const now = Date.now();
      const kept = agent.state.revokedTokens.filter((t) => t.expiresAtMs > now && t.jti !== request.jti);
      const revoked = { jti: request.jti, expiresAtMs: request.expiresAtMs };
      agent.state = { ...agent.state, revokedTokens: [...kept.slice(-(TOKENS_KEPT - 1)), revoked] };
      return agent.state;
    },
    {
      validator: (command) => {
        const { request } = agent.authorized<RevokeTokenRequest>('revokeToken', command);
        if (!isTokenId(request?.jti) || !Number.isFinite(request.expiresAtMs))
          refuse(ErrorCode.BAD_USER_INPUT, 'jti and expiry are required');
      },
    },
  );

  /** Issues a successor: the agent's own public key, or a pair Warden generates (private part vaulted). */
  const issueSuccessor = async (actor: Actor, reason: string, own?: { publicJwk: Jwk; kid: string }) => {
    agent.issuingSuccessor = true;
    try {
      const issued = own ? { ...own, sealedPrivateJwk: null } : await issueAgentKeyPair(agent.state.id);
      // Read after the key pair came back: the state may have moved meanwhile.
      const { credentialPolicy: policy, credential: current } = agent.state;
      const now = Date.now();
      const credential = newCredential(issued.publicJwk, issued.kid, now, policy, !own);
      // The overlap runs its usual length from now. A rotation started early (forced) would otherwise leave the
      // old key valid so long that the successor is already due for rotation when it becomes current — and its
      // own successor would get almost no overlap before the agent is suspended for missing it. (A rotation on
      // its timer is never shortened: the old key expires exactly one overlap after it was due.)
      const overlapEnd = now + policy.maxAgeMs - Math.floor(policy.maxAgeMs * policy.rotateAtFraction);
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
      const state = agent.record(
        'CREDENTIAL_ROTATION_STARTED',
        agent.state.status,
        actor,
        reason,
        { ...shortened, successor: { ...credential, sealedPrivateJwk: issued.sealedPrivateJwk, takenUpAt: null } },
        { successorKid: credential.kid },
      );
      if (!own)
        agent.notifyOwner(
          `Agent ${state.name}: new credential ready`,
          `A successor credential (${credential.kid}) was issued for agent ${state.name}; the current one stops working at ${state.credential?.expiresAt}.`,
        );
    } finally {
      agent.issuingSuccessor = false;
    }
  };

  setHandler(
    rotateCredentialUpdate,
    async (command) => {
      const { request, by } = agent.gate.accept<RotateCredentialRequest>(command, 'rotateCredential');
      // A forced rotation replaces any successor still pending, and takes effect at once for the new key.
      await issueSuccessor(
        actorOf(by),
        'credential rotation forced',
        request.publicJwk ? { publicJwk: request.publicJwk, kid: request.kid! } : undefined,
      );
      return agent.state;
    },
    {
      validator: (command) => {
        const { request } = agent.authorized<RotateCredentialRequest>('rotateCredential', command);
        const { id, status } = agent.state;
        if (status === 'DECOMMISSIONED' || status === 'DISCOVERED')
          refuse(ErrorCode.CONFLICT, `Agent ${id} is ${status}: it has no credential to rotate.`);
        if (agent.issuingSuccessor) refuse(ErrorCode.CONFLICT, `A rotation of agent ${id} is already under way.`);
        if (request?.publicJwk && !request.kid)
          refuse(ErrorCode.BAD_USER_INPUT, 'A public key needs its kid (thumbprint).');
      },
    },
  );

  setHandler(
    collectSuccessorUpdate,
    (command) => {
      agent.gate.accept(command, 'collectSuccessor');
      const successor = agent.state.successor!;
      const sealed = successor.sealedPrivateJwk;
      // Handed out exactly once: the vaulted private key leaves state as it leaves Warden.
      agent.state = { ...agent.state, successor: { ...successor, sealedPrivateJwk: null } };
      return { kid: successor.kid, sealedPrivateJwk: sealed, expiresAt: successor.expiresAt };
    },
    {
      validator: (command) => {
        agent.authorized('collectSuccessor', command);
        const { id, status, successor } = agent.state;
        if (status !== 'ACTIVE') refuse(ErrorCode.FORBIDDEN, `Agent ${id} is ${status}.`);
        if (!successor || !successor.sealedPrivateJwk)
          refuse(ErrorCode.NOT_FOUND, 'No successor credential is waiting to be collected.');
      },
    },
  );

  return {
    nextDeadline() {
      const { status, credential, successor } = agent.state;
      if (status === 'DECOMMISSIONED' || !credential) return undefined;
      // A suspended agent gets no new key; rotation resumes when it does.
      if (!successor) return status === 'ACTIVE' ? Date.parse(credential.rotationDueAt) : undefined;
      return Date.parse(credential.expiresAt);
    },

    async onDeadline() {
      const { credential, successor } = agent.state;
      if (!successor) return issueSuccessor(SYSTEM, 'credential rotation due');
      const { sealedPrivateJwk: _sealed, takenUpAt: _taken, ...next } = successor;
      if (successor.takenUpAt || !successor.generatedByWarden) {
        // The old key's overlap window is over: from now on only the successor works.
        agent.record(
          'CREDENTIAL_ROTATED',
          agent.state.status,
          SYSTEM,
          `credential ${credential!.kid} retired; ${next.kid} is current`,
          { credential: next, successor: null },
        );
        return;
      }
      // The agent never used its successor: the old key expires, and a person must look.
      const state = agent.record(
        'CREDENTIAL_ROTATION_MISSED',
        agent.state.status === 'ACTIVE' ? 'SUSPENDED' : agent.state.status,
        SYSTEM,
        `the agent did not take up its successor credential before ${credential!.expiresAt}`,
        { credential: { ...next }, successor: null },
      );
      agent.notifyOwner(
        `Agent ${state.name} suspended: credential rotation missed`,
        `Agent ${state.name} (${state.id}) did not start using its new credential before the old one expired, so it was suspended. Resume it after rotating its credential.`,
      );
    },
  };
}

function isTokenId(jti: unknown): jti is string {
  return typeof jti === 'string' && jti.length > 0 && jti.length <= 256;
}
