/**
 * Discovery over Temporal: sweeps are workflows started by the discovery Schedule (on demand = trigger it),
 * listed through visibility; findings live in each agent's lifecycle workflow, found through the agents'
 * AgentLastSeen / DiscoverySources search attributes. Knows nothing of GraphQL.
 */
import {
  QueryNotRegisteredError,
  ScheduleOverlapPolicy,
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import type { WardenConfig } from '../../config/config.js';
import { agentWorkflowId, type AgentState } from '../../domain/agents.js';
import {
  agentIdOfFinding,
  DISCOVERY_SOURCES,
  type FindingRecord,
  type DiscoverySource,
} from '../../domain/discovery.js';
import { badInput, notFound } from '../../domain/errors.js';
import { discoverySchedule, sweepWorkflowIdPrefix } from '../../services/discovery-schedule.js';
import * as SA from '../../temporal/search-attributes.js';
import { dismissFindingUpdate, getAgentQuery } from '../../workflows/agent/messages.js';
import {
  getSweepQuery,
  sweepIdOf,
  type discoverySweepWorkflow,
  type SweepStatus,
  type SweepSummary,
} from '../../workflows/discovery-sweep.js';
import { viaTemporal } from './temporal-errors.js';
import type { Commander, Commands } from '../../services/commands.js';
import { isForeign } from '../../temporal/payload-origin.js';
import { deploymentClauses, visibilityString } from '../../temporal/visibility.js';

/** A sweep as lists show it; `sources` and `newAgents` are read from the workflow when asked for. */
export interface SweepRecord {
  sweepId: string;
  status: SweepStatus;
  startedAt: string;
  finishedAt: string | null;
  read: number;
  malformed: number;
  findings: number;
  newAgentCount: number;
  detail?: SweepSummary;
}

export interface FindingFilter {
  source?: DiscoverySource | null;
  agentId?: string | null;
  since?: Date | null;
  includeDismissed?: boolean | null;
}

export interface RunSweepResult {
  sweep: SweepRecord;
  /** False when a sweep was already running: that one is returned (two never run at once). */
  started: boolean;
}

export const MAX_FINDINGS_OFFSET = 10_000;
const SWEEP_START_WAIT_MS = 15_000;

export class DiscoveryService {
  constructor(
    private readonly client: Client,
    private readonly commands: Commands,
    private readonly config: WardenConfig,
  ) {}

  private get taskQueue() {
    return this.config.temporal.taskQueue;
  }

  /** Starts a sweep now through the schedule, or returns the one already running. */
  async runSweep(): Promise<RunSweepResult> {
    return viaTemporal(async () => {
      const { handle, description } = await discoverySchedule(this.client, this.config);
      // The schedule learns of a sweep's end a little late: trust only a workflow that is really running.
      for (const { workflow } of description.info.runningActions) {
        const info = await this.client.workflow.getHandle(workflow.workflowId, workflow.firstExecutionRunId).describe();
        if (info.status.name === 'RUNNING')
          return {
            sweep: await this.get(sweepIdOf(workflow.workflowId, workflow.firstExecutionRunId)),
            started: false,
          };
      }
      const earlier = new Set(description.info.recentActions.map((a) => a.action.workflow.firstExecutionRunId));
      // BUFFER_ONE: if the schedule still counts a finished sweep as running, this one starts right after.
      await handle.trigger(ScheduleOverlapPolicy.BUFFER_ONE);
      const deadline = Date.now() + SWEEP_START_WAIT_MS;
      while (Date.now() < deadline) {
        const d = await handle.describe();
        const started = [...d.info.runningActions.map((a) => ({ action: a })), ...d.info.recentActions].find(
          (a) => !earlier.has(a.action.workflow.firstExecutionRunId),
        );
        if (started)
          return {
            sweep: await this.get(
              sweepIdOf(started.action.workflow.workflowId, started.action.workflow.firstExecutionRunId),
            ),
            started: true,
          };
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the discovery schedule did not start a sweep in time');
    }, 'No discovery schedule.');
  }

  /** One sweep with its per-source detail (live while running, the result once finished). */
  async get(sweepId: string): Promise<SweepRecord> {
    const slash = sweepId.lastIndexOf('/');
    const workflowId = sweepId.slice(0, slash);
    const runId = sweepId.slice(slash + 1);
    if (
      slash < 0 ||
      !workflowId.startsWith(`${sweepWorkflowIdPrefix(this.taskQueue)}-`) ||
      !/^[0-9a-f-]{36}$/.test(runId) ||
      sweepId.length > 300
    ) {
      throw notFound(`No discovery sweep "${sweepId.slice(0, 120)}".`);
    }
    return viaTemporal(
      async () => {
        const handle = this.client.workflow.getHandle<typeof discoverySweepWorkflow>(workflowId, runId);
        const info = await handle.describe();
        let detail: SweepSummary;
        if (info.status.name === 'RUNNING') {
          try {
            detail = await handle.query(getSweepQuery);
          } catch {
            // Not picked up by a worker yet.
            detail = {
              sweepId,
              status: 'RUNNING',
              startedAt: info.startTime.toISOString(),
              finishedAt: null,
              sources: [],
              newAgents: [],
              errors: [],
            };
          }
        } else if (info.status.name === 'COMPLETED') {
          detail = await handle.result();
        } else {
          detail = {
            sweepId,
            status: 'FAILED',
            startedAt: info.startTime.toISOString(),
            finishedAt: info.closeTime?.toISOString() ?? null,
            sources: [],
            newAgents: [],
            errors: [`the sweep's workflow ${info.status.name.toLowerCase()}`],
          };
        }
        return fromDetail(detail);
      },
      `No discovery sweep "${sweepId.slice(0, 120)}".`,
    );
  }

  /** Sweeps, newest first. */
  async list(limit: number, offset: number): Promise<SweepRecord[]> {
    if (offset > MAX_FINDINGS_OFFSET)
      throw badInput(`Paging deeper than ${MAX_FINDINGS_OFFSET} sweeps is not supported.`);
    const query = deploymentClauses('discoverySweepWorkflow', this.taskQueue, true).join(' AND ');
    const out: SweepRecord[] = [];
    let index = 0;
    for await (const info of this.client.workflow.list({ query, pageSize: Math.min(offset + limit, 1000) })) {
      if (index++ < offset) continue;
      out.push(fromVisibility(info));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Findings across agents, most recently seen agents first; dismissed ones only when asked for. */
  async findings(filter: FindingFilter, limit: number, offset: number): Promise<FindingRecord[]> {
    if (offset > MAX_FINDINGS_OFFSET)
      throw badInput(`Paging deeper than ${MAX_FINDINGS_OFFSET} findings is not supported; narrow the filter instead.`);
    if (filter.source && !(DISCOVERY_SOURCES as readonly string[]).includes(filter.source))
      throw badInput(`unknown source ${filter.source}`);
    const since = filter.since ?? null;
    if (since && !Number.isFinite(since.getTime())) throw badInput('since must be a date-time');
    const clauses = deploymentClauses('agentLifecycleWorkflow', this.taskQueue);
    clauses.push(`AgentLastSeen >= ${visibilityString((since ?? new Date(0)).toISOString())}`);
    if (filter.source && !filter.includeDismissed)
      clauses.push(`DiscoverySources = ${visibilityString(filter.source)}`);
    if (filter.agentId) {
      if (!/^[0-9a-f-]{36}$/.test(filter.agentId)) return [];
      clauses.push(`AgentId = ${visibilityString(filter.agentId)}`);
    }
    const out: FindingRecord[] = [];
    let index = 0;
    for await (const info of this.client.workflow.list({ query: clauses.join(' AND '), pageSize: 100 })) {
      const agentId = info.typedSearchAttributes.get(SA.AgentId);
      if (!agentId) continue;
      const state = await this.agentState(agentId);
      const records = (state?.discovery?.findings ?? []).filter(
        (f) =>
          (!filter.source || f.source === filter.source) &&
          (filter.includeDismissed || !f.dismissal) &&
          (!since || Date.parse(f.lastSeen) >= since.getTime()),
      );
      for (const f of records) {
        if (index++ < offset) continue;
        out.push(f);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  /** One finding, as its agent's workflow holds it. */
  async finding(findingId: string): Promise<FindingRecord> {
    const agentId = agentIdOfFinding(findingId);
    const found = agentId
      ? (await this.agentState(agentId))?.discovery?.findings.find((f) => f.id === findingId)
      : null;
    if (!found) throw notFound(`No finding "${findingId.slice(0, 120)}".`);
    return found;
  }

  async dismissFinding(by: Commander, findingId: string, reason: string): Promise<FindingRecord> {
    const agentId = agentIdOfFinding(findingId);
    if (!agentId) throw notFound(`No finding "${findingId.slice(0, 120)}".`);
    const state = await viaTemporal(
      () => this.commands.send(agentWorkflowId(agentId), dismissFindingUpdate, { findingId, reason }, by),
      `No finding "${findingId.slice(0, 120)}".`,
    );
    return state.discovery!.findings.find((f) => f.id === findingId)!;
  }

  private async agentState(agentId: string): Promise<AgentState | null> {
    try {
      const state = await this.client.workflow.getHandle(agentWorkflowId(agentId)).query(getAgentQuery);
      return isForeign(state) || state?.id !== agentId ? null : state;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || err instanceof QueryNotRegisteredError) return null;
      throw err;
    }
  }
}

function fromDetail(d: SweepSummary): SweepRecord {
  const sum = (k: 'read' | 'malformed' | 'findings') => d.sources.reduce((n, s) => n + s[k], 0);
  return {
    sweepId: d.sweepId,
    status: d.status,
    startedAt: d.startedAt,
    finishedAt: d.finishedAt,
    read: sum('read'),
    malformed: sum('malformed'),
    findings: sum('findings'),
    newAgentCount: d.newAgents.length,
    detail: d,
  };
}

function fromVisibility(info: WorkflowExecutionInfo): SweepRecord {
  const memo = (info.memo ?? {}) as Partial<{
    status: SweepStatus;
    startedAt: string;
    finishedAt: string | null;
    read: number;
    malformed: number;
    findings: number;
    newAgents: number;
  }>;
  const closedBadly = info.status.name !== 'RUNNING' && info.status.name !== 'COMPLETED';
  return {
    sweepId: sweepIdOf(info.workflowId, info.runId),
    status: closedBadly
      ? 'FAILED'
      : ((info.typedSearchAttributes.get(SA.SweepStatus) as SweepStatus | undefined) ?? memo.status ?? 'RUNNING'),
    startedAt: memo.startedAt ?? info.startTime.toISOString(),
    finishedAt: memo.finishedAt ?? info.closeTime?.toISOString() ?? null,
    read: memo.read ?? 0,
    malformed: memo.malformed ?? 0,
    findings: memo.findings ?? 0,
    newAgentCount: memo.newAgents ?? 0,
  };
}
