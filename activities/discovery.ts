/**
 * Discovery activities: read the sweep plan, scan one source (streaming, heartbeating its progress and
 * findings, resuming from the last heartbeat after a crash), and reconcile findings into the directory —
 * one Update-with-Start per agent, so a finding for an agent nobody knows starts its lifecycle workflow
 * in DISCOVERED, and a replay of the same report changes nothing.
 */
import type { SigningKeys } from '../services/signing-keys.js';
import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { WardenConfig } from '../config/config.js';
import { agentWorkflowId, type AgentState } from '../domain/agents.js';
import type { Sighting, Finding } from '../domain/discovery.js';
import {
  emptyProgress,
  mergeFindings,
  scanAzureFoundry,
  scanBedrock,
  scanMcpConfigs,
  scanOsquery,
  scanSquid,
  scanSuricata,
  scanVertex,
  scanZeek,
  type ScanResult,
  type SourceProgress,
} from '../discovery/index.js';
import {
  loadSweepPlan,
  plannedSources,
  SweepPlanError,
  type PlannedSource,
  type SourceSpec,
  type SweepPlan,
} from '../discovery/sweep-plan.js';
import { failpoint } from '../temporal/failpoints.js';
import * as SA from '../temporal/search-attributes.js';
import { agentLifecycleWorkflow } from '../workflows/agent/workflow.js';
import { recordSightingsUpdate, type RecordSightingsResult } from '../workflows/agent/messages.js';

/** Findings one source may report per sweep (an activity result must stay well under Temporal's payload limit). */
export const MAX_FINDINGS_PER_SOURCE = 1000;
const HEARTBEAT_EVERY_MS = 2000;
const RECONCILE_CONCURRENCY = 8;

export interface SourceScanReport {
  name: string;
  type: PlannedSource['type'];
  progress: SourceProgress;
  findings: Finding[];
}

export interface ReconcileReport {
  /** Agents this sweep discovered (new directory entries). */
  newAgents: { agentId: string; name: string }[];
  /** Findings for agents already in the directory (registered, claimed or discovered earlier). */
  known: number;
  /** Findings an admin dismissed whose evidence is unchanged: recorded, not raised. */
  dismissed: number;
  /** Dismissed findings raised again because their evidence changed. */
  raisedAgain: number;
}

interface ScanHeartbeat {
  progress: SourceProgress;
  findings: Finding[];
}

/**
 * A discovered agent's id: a name-based UUID (RFC 9562 v5 layout) of its fingerprint within this Warden
 * deployment (its task queue), the same on every sweep.
 */
export function discoveredAgentId(deployment: string, fingerprint: string): string {
  const h = createHash('sha1').update(`urn:warden:discovery:${deployment}:`).update(fingerprint).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const PLATFORM = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const NAME_CHARS = /[^\p{L}\p{N} ._\-/:@()]/gu;

/** The lifecycle state a new shadow agent starts with (used only when its workflow does not exist yet). */
export function discoveredAgentState(
  agentId: string,
  finding: Finding,
  sweepId: string,
  credentialPolicy: AgentState['credentialPolicy'],
): AgentState {
  const now = new Date().toISOString();
  const name =
    finding.agentName.replace(NAME_CHARS, ' ').replace(/\s+/g, ' ').trim().slice(0, 120) ||
    `Discovered agent ${agentId.slice(0, 8)}`;
  const platform = PLATFORM.test(finding.platform) ? finding.platform : 'unknown';
  const reason = `discovered by sweep ${sweepId} (${finding.source.toLowerCase()}: ${finding.kind})`;
  return {
    id: agentId,
    name: /^[\p{L}\p{N}]/u.test(name) ? name : `Agent ${name}`.slice(0, 120),
    platform,
    description: `Shadow agent found by discovery: ${finding.fingerprint}`.slice(0, 2000),
    status: 'DISCOVERED',
    ownerEmail: null,
    statusReason: reason,
    createdAt: now,
    updatedAt: now,
    events: [
      {
        kind: 'DISCOVERED',
        at: now,
        actor: { kind: 'system', id: 'warden' },
        reason,
        fromStatus: null,
        toStatus: 'DISCOVERED',
      },
    ],
    credential: null,
    successor: null,
    revokedBefore: null,
    revokedTokens: [],
    allowedTools: [],
    credentialPolicy,
    discovery: null,
  };
}

async function scan(
  spec: SourceSpec,
  rules: SweepPlan['rules'],
  resume: SourceProgress | undefined,
  onProgress: (p: SourceProgress, f: Finding[]) => void,
): Promise<ScanResult> {
  switch (spec.type) {
    case 'zeek':
      return scanZeek(
        {
          files: spec.files,
          ...(spec.credentialFields ? { credentialFields: spec.credentialFields } : {}),
          ...(spec.longLivedSeconds !== undefined ? { longLivedSeconds: spec.longLivedSeconds } : {}),
        },
        rules,
        resume,
        onProgress,
      );
    case 'squid':
      return scanSquid(
        { files: spec.files, ...(spec.logformat ? { logformat: spec.logformat } : {}) },
        rules,
        resume,
        onProgress,
      );
    case 'suricata':
      return scanSuricata({ files: spec.files, ...(spec.dns ? { dns: true } : {}) }, rules, resume, onProgress);
    case 'osquery':
      return scanOsquery({ files: spec.files }, rules, resume, onProgress);
    case 'mcp-configs':
      return scanMcpConfigs(
        { root: spec.root, ...(spec.observedAt ? { observedAt: spec.observedAt } : {}) },
        rules,
        resume,
        onProgress,
      );
    case 'vertex':
      return scanVertex(
        {
          targets: spec.targets,
          ...(spec.baseUrl ? { baseUrl: spec.baseUrl } : {}),
          getToken: vertexToken(spec.accessTokenEnv),
        },
        rules,
        resume,
        onProgress,
      );
    case 'bedrock':
      return scanBedrock(
        { targets: spec.targets, ...(spec.endpoint ? { endpoint: spec.endpoint } : {}) },
        rules,
        resume,
        onProgress,
      );
    case 'azure-foundry':
      return scanAzureFoundry(
        {
          targets: spec.targets,
          ...(spec.apiVersion ? { apiVersion: spec.apiVersion } : {}),
          getToken: azureToken(spec.accessTokenEnv),
        },
        rules,
        resume,
        onProgress,
      );
  }
}

/**
 * A cloud bearer token: from the named environment variable (e.g. filled by `gcloud auth print-access-token`
 * or `az account get-access-token`), else the machine's metadata service (the workload's own identity).
 */
function cloudToken(
  envName: string | undefined,
  metadata: { name: string; url: string; headers: Record<string, string> },
): () => Promise<string> {
  return async () => {
    if (envName) {
      const token = process.env[envName];
      if (!token) throw new Error(`the environment variable ${envName} is not set`);
      return token;
    }
    const res = await fetch(metadata.url, { headers: metadata.headers, signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`${metadata.name} answered HTTP ${res.status}`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
}

/** A Google access token: the GCE/GKE metadata server's service account. */
const vertexToken = (envName: string | undefined) =>
  cloudToken(envName, {
    name: 'the metadata server',
    url: 'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token',
    headers: { 'metadata-flavor': 'Google' },
  });

/** A Microsoft Entra token for https://ai.azure.com/.default: the Azure instance metadata service's managed identity. */
const azureToken = (envName: string | undefined) =>
  cloudToken(envName, {
    name: 'the Azure instance metadata service',
    url: 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://ai.azure.com',
    headers: { metadata: 'true' },
  });

export function createDiscoveryActivities(deps: { client: Client; config: WardenConfig; signingKeys: SigningKeys }) {
  const { taskQueue } = deps.config.temporal;
  const credentialPolicy = {
    maxAgeMs: deps.config.credentials.agentCredentialMaxAgeMs,
    rotateAtFraction: deps.config.credentials.agentCredentialRotateAt,
  };
  const plan = (): SweepPlan => {
    try {
      return loadSweepPlan(deps.config.discovery.sourcesFile);
    } catch (err) {
      if (err instanceof SweepPlanError) throw ApplicationFailure.nonRetryable(err.message, 'DiscoveryPlanInvalid');
      throw err;
    }
  };

  return {
    async planDiscoverySweep(): Promise<PlannedSource[]> {
      return plannedSources(plan());
    },

    /** Scans one configured source; after a crash, Temporal retries it and it continues from its last heartbeat. */
    async scanDiscoverySource(input: { sweepId: string; name: string }): Promise<SourceScanReport> {
      const ctx = Context.current();
      const spec = plan().sources.find((s) => s.name === input.name);
      if (!spec) {
        return {
          name: input.name,
          type: 'zeek',
          progress: { ...emptyProgress(), errors: [`source "${input.name}" is no longer configured`], done: true },
          findings: [],
        };
      }
      const resumed = ctx.info.heartbeatDetails as ScanHeartbeat | undefined;
      const before = resumed?.findings ?? [];
      let last: ScanHeartbeat = resumed ?? { progress: emptyProgress(), findings: [] };
      // Cloud calls can sit in a retry back-off longer than the heartbeat timeout; keep the lease alive.
      const keepAlive = setInterval(() => ctx.heartbeat(last), HEARTBEAT_EVERY_MS);
      try {
        const result = await scan(spec, plan().rules, resumed?.progress, (progress, findings) => {
          last = { progress: { ...progress, errors: [...progress.errors] }, findings: mergeFindings(before, findings) };
          ctx.heartbeat(last);
        });
        let findings = mergeFindings(before, result.findings);
        const progress = { ...result.progress, errors: [...result.progress.errors] };
        if (findings.length > MAX_FINDINGS_PER_SOURCE) {
          progress.errors.push(
            `${findings.length} findings; only the first ${MAX_FINDINGS_PER_SOURCE} are reported — split this source`,
          );
          findings = findings.slice(0, MAX_FINDINGS_PER_SOURCE);
        }
        return { name: spec.name, type: spec.type, progress, findings };
      } finally {
        clearInterval(keepAlive);
      }
    },

    /**
     * Puts findings into the directory; safe to repeat (each agent remembers the sweep and source it last heard from).
     */
    async reconcileDiscoveryFindings(input: {
      sweepId: string;
      sourceName: string;
      findings: Finding[];
    }): Promise<ReconcileReport> {
      const report: ReconcileReport = { newAgents: [], known: 0, dismissed: 0, raisedAgain: 0 };
      // A shadow agent's workflow is given Warden's trust anchor like any other: claims will need it.
      const trust = await deps.signingKeys.anchor();
      const queue = [...input.findings];
      const one = async (finding: Finding) => {
        const agentId = discoveredAgentId(taskQueue, finding.fingerprint);
        const initial = discoveredAgentState(agentId, finding, input.sweepId, credentialPolicy);
        const sighting: Sighting = { sweepId: input.sweepId, sourceName: input.sourceName, finding };
        const result: RecordSightingsResult = await deps.client.workflow.executeUpdateWithStart(recordSightingsUpdate, {
          args: [[sighting]],
          startWorkflowOperation: new WithStartWorkflowOperation(agentLifecycleWorkflow, {
            workflowId: agentWorkflowId(agentId),
            taskQueue,
            args: [
              {
                state: initial,
                trust,
                ...(deps.config.continueAsNewAfterEvents
                  ? { continueAsNewAfterEvents: deps.config.continueAsNewAfterEvents }
                  : {}),
              },
            ],
            workflowIdConflictPolicy: 'USE_EXISTING',
            typedSearchAttributes: new TypedSearchAttributes([
              { key: SA.AgentId, value: agentId },
              { key: SA.AgentName, value: initial.name },
              { key: SA.AgentStatus, value: 'DISCOVERED' },
              { key: SA.AgentPlatform, value: initial.platform },
            ]),
            staticSummary: `Shadow agent «${initial.name}» (${initial.platform})`,
            staticDetails: `Lifecycle of agent ${agentId}, discovered by sweep ${input.sweepId}: ${finding.fingerprint}`,
          }),
        });
        if (result.newAgent) report.newAgents.push({ agentId, name: initial.name });
        else report.known++;
        for (const o of result.outcomes) {
          if (o === 'dismissed') report.dismissed++;
          if (o === 'evidence-changed') report.raisedAgain++;
        }
        Context.current().heartbeat();
      };
      const workers = Array.from({ length: Math.min(RECONCILE_CONCURRENCY, queue.length) }, async () => {
        for (let f = queue.shift(); f; f = queue.shift()) await one(f);
      });
      await Promise.all(workers);
      failpoint('discovery.sightings-recorded');
      report.newAgents.sort((a, b) => a.agentId.localeCompare(b.agentId));
      return report;
    },
  };
}
