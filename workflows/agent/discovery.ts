/**
 * Discovery sightings: what sweeps saw of this agent (a shadow agent's workflow is started in DISCOVERED by
 * the first one), the security team told of what needs a person, and a shadow agent claimed (it gets an
 * owner, allowed tools and a credential) or its findings dismissed.
 */
import { setHandler } from '@temporalio/workflow';
import { describeActor, validateReason } from '../../domain/agents.js';
import { newCredential } from '../../domain/credentials.js';
import {
  agentIdOfFinding,
  applySighting,
  dismissFinding,
  type AgentDiscovery,
  type Sighting,
  type SightingOutcome,
} from '../../domain/discovery.js';
import { ErrorCode } from '../../domain/errors.js';
import { isValidEmail, normalizeEmail } from '../../domain/people.js';
import { refuse } from '../refuse.js';
import { actorOf, type AgentEntity } from './entity.js';
import {
  claimAgentUpdate,
  dismissFindingUpdate,
  recordSightingsUpdate,
  type ClaimAgentRequest,
  type DismissFindingRequest,
} from './messages.js';

export function handleDiscovery(agent: AgentEntity): void {
  setHandler(
    recordSightingsUpdate,
    (sightings) => {
      const firstSighting = !agent.state.discovery;
      const outcomes: SightingOutcome[] = [];
      let discovery = agent.state.discovery ?? null;
      for (const sighting of sightings) {
        const applied = applySighting(agent.state.id, discovery, sighting);
        discovery = applied.discovery;
        outcomes.push(applied.outcome);
      }
      agent.state = { ...agent.state, discovery };
      tellSecurity(agent, sightings, outcomes, firstSighting);
      agent.publish();
      const { state } = agent;
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
        agent.reported(sightings, 'a discovery report', 'recordSightings');
        if (!Array.isArray(sightings) || sightings.length === 0 || sightings.length > 100)
          refuse(ErrorCode.BAD_USER_INPUT, 'between 1 and 100 sightings per update');
        const fingerprint = agent.state.discovery?.fingerprint ?? sightings[0]!.finding.fingerprint;
        if (sightings.some((s) => s.finding.fingerprint !== fingerprint))
          refuse(ErrorCode.BAD_USER_INPUT, 'every sighting must be of this agent (one fingerprint)');
      },
    },
  );

  setHandler(
    claimAgentUpdate,
    (command) => {
      const { request, by } = agent.gate.accept<ClaimAgentRequest>(command, 'claimAgent');
      const actor = actorOf(by);
      const ownerEmail = normalizeEmail(request.ownerEmail);
      const { state } = agent;
      const credential = newCredential(
        request.publicJwk,
        request.kid,
        Date.now(),
        state.credentialPolicy,
        request.generatedByWarden,
      );
      const tools = [...request.allowedTools].sort((a, b) => a.tool.localeCompare(b.tool));
      const proposedOwner = state.discovery?.proposedOwnerEmail;
      const claimed = agent.record(
        'CLAIMED',
        'ACTIVE',
        actor,
        request.reason?.trim() || `claimed by ${describeActor(actor)} for ${ownerEmail}`,
        { ownerEmail, allowedTools: tools, credential, successor: null },
        { owner: ownerEmail, ...(proposedOwner ? { proposedOwner } : {}) },
      );
      agent.notifyOwner(
        `You now own agent ${claimed.name}`,
        `${describeActor(actor)} claimed the discovered agent ${claimed.name} (${claimed.id}) and made you its owner. It is ACTIVE; its credential (${credential.kid}) expires ${credential.expiresAt} and rotates automatically.`,
      );
      return claimed;
    },
    {
      validator: (command) => {
        const { request } = agent.authorized<ClaimAgentRequest>('claimAgent', command);
        const { id, status } = agent.state;
        if (status !== 'DISCOVERED')
          refuse(ErrorCode.CONFLICT, `Agent ${id} is ${status}: only a DISCOVERED agent can be claimed.`);
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
      const { request, by } = agent.gate.accept<DismissFindingRequest>(command, 'dismissFinding');
      const at = new Date().toISOString();
      const discovery = dismissFinding(agent.state.discovery!, request.findingId, by.id, request.reason, at);
      agent.state = { ...agent.state, discovery };
      return agent.record(
        'FINDING_DISMISSED',
        agent.state.status,
        actorOf(by),
        request.reason,
        {},
        { findingId: request.findingId },
      );
    },
    {
      validator: (command) => {
        const { request } = agent.authorized<DismissFindingRequest>('dismissFinding', command);
        const problems = validateReason(request?.reason);
        if (problems.length) refuse(ErrorCode.BAD_USER_INPUT, problems.join('; '));
        const findingId = String(request.findingId);
        const finding =
          agentIdOfFinding(findingId) === agent.state.id
            ? agent.state.discovery?.findings.find((f) => f.id === findingId)
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
}

/** What needs a person: a new shadow agent, a dismissed finding whose evidence changed, a retired agent seen. */
function tellSecurity(agent: AgentEntity, sightings: Sighting[], outcomes: SightingOutcome[], firstSighting: boolean) {
  const { state } = agent;
  const discovery: AgentDiscovery | null = state.discovery ?? null;
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
  if (firstSighting && state.status === 'DISCOVERED') {
    agent.notifySecurity(
      `Shadow agent discovered: ${state.name}`,
      `Discovery sweep ${sightings[0]!.sweepId} found an agent no one has registered: ${state.name} (${state.platform}, ${state.id}). ` +
        `${discovery?.proposedOwnerEmail ? `Proposed owner: ${discovery.proposedOwnerEmail}. ` : 'No owner could be proposed from the evidence. '}Claim it (claimAgent) or dismiss its findings.\n${evidence()}`,
    );
  } else if (outcomes.includes('evidence-changed')) {
    const changed = outcomes
      .map(describe)
      .filter((d) => d.endsWith('evidence-changed'))
      .join('; ');
    agent.notifySecurity(
      `Dismissed finding raised again: ${state.name}`,
      `The evidence for a dismissed finding about agent ${state.name} (${state.id}) changed, so it is raised again: ${changed}.\n${evidence()}`,
    );
  } else if (state.status === 'DECOMMISSIONED' && outcomes.some((o) => o === 'new' || o === 'seen-again')) {
    agent.notifySecurity(
      `Decommissioned agent still seen: ${state.name}`,
      `Agent ${state.name} (${state.id}) is DECOMMISSIONED but discovery still sees it.\n${evidence()}`,
    );
  }
}
