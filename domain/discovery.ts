/**
 * What the directory remembers of a discovered agent: one finding per (configured source, kind), each with
 * its latest evidence, first and last sighting, and an admin's dismissal. Pure data and functions: the
 * agent's lifecycle workflow applies sightings with these, so a sighting replayed after a crash (same sweep,
 * same source) changes nothing the second time.
 */

export type DiscoverySource = 'NETWORK' | 'BROWSER' | 'CLOUD' | 'ENDPOINT';

export type FindingKind =
  | 'llm-egress'
  | 'agent-user-agent'
  | 'ai-extension'
  | 'vertex-reasoning-engine'
  | 'bedrock-agent'
  | 'azure-foundry-agent'
  | 'mcp-server'
  | 'agent-process';

export interface Finding {
  source: DiscoverySource;
  kind: FindingKind;
  /**
   * Stable identity of the agent the evidence points at. The same agent seen again, or by another
   * source, gets the same value where the evidence identifies the same agent:
   *   network traffic      net:<host>[:cred:<credential id>]
   *   browser extension    browser:<host>:<user>:<browser>:<extension id>
   *   MCP server           mcp:<host>:<user>:<server id>        (config files and processes alike)
   *   agent runtime        agent:<host>:<user>:<runtime id>
   *   Vertex AI            vertex:<reasoning engine resource name>
   *   Bedrock              bedrock:<region>:<agent id>
   *   Azure AI Foundry     azure-foundry:<host>/api/projects/<project>:<agent id>
   */
  fingerprint: string;
  agentName: string;
  platform: string;
  host?: string;
  user?: string;
  proposedOwnerEmail?: string;
  /** Never secrets: keys and tokens are redacted to their last 4 characters. */
  evidence: Record<string, string>;
  /** ISO-8601. */
  firstSeen: string;
  /** ISO-8601: the latest observation (log time, result time, or scan time for cloud APIs). */
  lastSeen: string;
  count: number;
}

export const DISCOVERY_SOURCES = [
  'NETWORK',
  'BROWSER',
  'CLOUD',
  'ENDPOINT',
] as const satisfies readonly DiscoverySource[];

/** A sweep's report of one finding, from one configured source (e.g. `zeek-dc1`). */
export interface Sighting {
  sweepId: string;
  /** Name of the configured source that saw it. */
  sourceName: string;
  finding: Finding;
}

export interface Dismissal {
  by: string;
  reason: string;
  at: string;
  /** The evidence as it was when dismissed: the finding is raised again only when this changes. */
  evidenceKey: string;
}

export interface FindingRecord {
  /** `<agent id>.<source name>.<kind>`: stable across sweeps, so a dismissal sticks. */
  id: string;
  agentId: string;
  fingerprint: string;
  source: DiscoverySource;
  sourceName: string;
  kind: FindingKind;
  agentName: string;
  platform: string;
  host: string | null;
  user: string | null;
  proposedOwnerEmail: string | null;
  evidence: Record<string, string>;
  evidenceKey: string;
  firstSeen: string;
  lastSeen: string;
  /** Observations in the latest sweep that saw it. */
  count: number;
  lastSweepId: string;
  dismissal: Dismissal | null;
}

export interface AgentDiscovery {
  fingerprint: string;
  /** The sweep that first found this agent. */
  discoveredBySweep: string;
  proposedOwnerEmail: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  findings: FindingRecord[];
}

/** Evidence that is a matter of where or how often it was seen, not of what the agent is. */
const CIRCUMSTANTIAL = new Set([
  'logs',
  'pids',
  'clientAddress',
  'configFiles',
  'createTime',
  'updateTime',
  'updatedAt',
]);

/**
 * What the evidence says the agent is (endpoints, providers, permissions, command line, …), as a canonical
 * string: a dismissed finding whose key is unchanged stays dismissed.
 */
export function evidenceKeyOf(finding: Pick<Finding, 'kind' | 'evidence'>): string {
  const entries = Object.entries(finding.evidence)
    .filter(([k]) => !CIRCUMSTANTIAL.has(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([finding.kind, entries]);
}

export function findingRecordId(agentId: string, sourceName: string, kind: FindingKind): string {
  return `${agentId}.${sourceName}.${kind}`;
}

/** Finding ids are `<uuid>.<source name>.<kind>`; the agent is the first part. */
export function agentIdOfFinding(findingId: string): string | null {
  const m =
    /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9][A-Za-z0-9._-]{0,62}\.[a-z-]{1,40}$/.exec(
      findingId,
    );
  return m ? m[1]! : null;
}

export type SightingOutcome =
  /** The finding is new for this agent. */
  | 'new'
  /** Seen before, raised (not dismissed). */
  | 'seen-again'
  /** Dismissed, and the evidence has not changed: recorded silently. */
  | 'dismissed'
  /** Dismissed, but the evidence changed: the dismissal is lifted and the finding raised again. */
  | 'evidence-changed'
  /** This exact sighting (sweep + source) was already applied. */
  | 'replayed';

/** Applies a sighting; returns the new discovery record and what happened to the finding. */
export function applySighting(
  agentId: string,
  discovery: AgentDiscovery | null,
  sighting: Sighting,
  maxFindings = 50,
): { discovery: AgentDiscovery; outcome: SightingOutcome } {
  const f = sighting.finding;
  const id = findingRecordId(agentId, sighting.sourceName, f.kind);
  const base: AgentDiscovery = discovery ?? {
    fingerprint: f.fingerprint,
    discoveredBySweep: sighting.sweepId,
    proposedOwnerEmail: f.proposedOwnerEmail ?? null,
    firstSeenAt: f.firstSeen,
    lastSeenAt: f.lastSeen,
    findings: [],
  };
  const existing = base.findings.find((r) => r.id === id);
  const evidenceKey = evidenceKeyOf(f);
  let outcome: SightingOutcome;
  let dismissal: Dismissal | null = existing?.dismissal ?? null;
  if (!existing) outcome = 'new';
  else if (existing.lastSweepId === sighting.sweepId && existing.evidenceKey === evidenceKey) outcome = 'replayed';
  else if (!dismissal) outcome = 'seen-again';
  else if (dismissal.evidenceKey === evidenceKey) outcome = 'dismissed';
  else {
    outcome = 'evidence-changed';
    dismissal = null;
  }
  const record: FindingRecord = {
    id,
    agentId,
    fingerprint: f.fingerprint,
    source: f.source,
    sourceName: sighting.sourceName,
    kind: f.kind,
    agentName: f.agentName,
    platform: f.platform,
    host: f.host ?? null,
    user: f.user ?? null,
    proposedOwnerEmail: f.proposedOwnerEmail ?? null,
    evidence: { ...f.evidence },
    evidenceKey,
    firstSeen: existing && existing.firstSeen < f.firstSeen ? existing.firstSeen : f.firstSeen,
    lastSeen: existing && existing.lastSeen > f.lastSeen ? existing.lastSeen : f.lastSeen,
    count: f.count,
    lastSweepId: sighting.sweepId,
    dismissal,
  };
  const others = base.findings.filter((r) => r.id !== id);
  const findings = [...others, record].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(-maxFindings);
  return {
    outcome,
    discovery: {
      ...base,
      proposedOwnerEmail: base.proposedOwnerEmail ?? f.proposedOwnerEmail ?? null,
      firstSeenAt: base.firstSeenAt < f.firstSeen ? base.firstSeenAt : f.firstSeen,
      lastSeenAt: base.lastSeenAt > f.lastSeen ? base.lastSeenAt : f.lastSeen,
      findings,
    },
  };
}

/** Dismisses one finding (the caller has checked it exists and is not dismissed). */
export function dismissFinding(
  discovery: AgentDiscovery,
  findingId: string,
  by: string,
  reason: string,
  at: string,
): AgentDiscovery {
  return {
    ...discovery,
    findings: discovery.findings.map((r) =>
      r.id === findingId ? { ...r, dismissal: { by, reason: reason.trim(), at, evidenceKey: r.evidenceKey } } : r,
    ),
  };
}

/** Sources (NETWORK, …) with at least one finding that is not dismissed. */
export function raisedSources(discovery: AgentDiscovery | null): DiscoverySource[] {
  if (!discovery) return [];
  return [...new Set(discovery.findings.filter((r) => !r.dismissal).map((r) => r.source))].sort();
}
