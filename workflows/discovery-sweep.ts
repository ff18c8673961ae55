/**
 * A discovery sweep: read every configured source in parallel (one activity each, streaming with
 * heartbeats, resuming after a crash), then bring what was found into the directory — a new agent starts
 * its lifecycle in DISCOVERED and the security team hears of it; a known one just gets its last sighting.
 *
 * Started by the discovery Schedule (overlap policy SKIP: never two at once), or on demand by triggering
 * that same schedule. The workflow's current details show a table of the sources: what each read, what it
 * could not understand, what it found.
 */
import {
  defineQuery,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { WardenActivities } from '../activities/index.js';
import type { ReconcileReport } from '../activities/discovery.js';
import type { DiscoverySource } from '../domain/discovery.js';
import type { SourceType } from '../discovery/sweep-plan.js';
import { SweepStatus as SweepStatusKey } from '../temporal/search-attributes.js';

export type SweepStatus = 'RUNNING' | 'COMPLETED' | 'FAILED';
export type SourceRunState = 'PENDING' | 'SCANNING' | 'RECONCILING' | 'DONE' | 'FAILED';

export interface SweepSourceSummary {
  name: string;
  type: SourceType;
  covers: DiscoverySource[];
  state: SourceRunState;
  read: number;
  malformed: number;
  skipped: number;
  errors: string[];
  findings: number;
  newAgents: number;
  known: number;
  dismissed: number;
  raisedAgain: number;
}

export interface SweepSummary {
  sweepId: string;
  status: SweepStatus;
  startedAt: string;
  finishedAt: string | null;
  sources: SweepSourceSummary[];
  /** Agents this sweep added to the directory (each once, however many sources saw it). */
  newAgents: { agentId: string; name: string }[];
  errors: string[];
}

export const getSweepQuery = defineQuery<SweepSummary>('getSweep');

/** A sweep's id: its workflow id and run id (`<workflow id>/<run id>`). */
export function sweepIdOf(workflowId: string, runId: string): string {
  return `${workflowId}/${runId}`;
}

/** Findings reconciled per activity call: small enough to retry cheaply, large enough to be quick. */
const RECONCILE_BATCH = 50;

const { planDiscoverySweep } = proxyActivities<WardenActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
  summary: 'Read the discovery sources file',
});
const { reconcileDiscoveryFindings } = proxyActivities<WardenActivities>({
  startToCloseTimeout: '5 minutes',
  // Heartbeats after each agent; a dead worker's batch is retried soon (replaying it changes nothing).
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
  summary: 'Reconcile findings into the directory',
});

export async function discoverySweepWorkflow(): Promise<SweepSummary> {
  const summary: SweepSummary = {
    // Unique even when the schedule starts two sweeps in one second (its workflow ids have second precision).
    sweepId: sweepIdOf(workflowInfo().workflowId, workflowInfo().firstExecutionRunId),
    status: 'RUNNING',
    startedAt: new Date().toISOString(),
    finishedAt: null,
    sources: [],
    newAgents: [],
    errors: [],
  };
  setHandler(getSweepQuery, () => summary);
  publish(summary);

  // 1. What to read (the worker's sources file, as it is now).
  try {
    const planned = await planDiscoverySweep();
    summary.sources = planned.map((s) => ({
      ...s,
      state: 'PENDING',
      read: 0,
      malformed: 0,
      skipped: 0,
      errors: [],
      findings: 0,
      newAgents: 0,
      known: 0,
      dismissed: 0,
      raisedAgain: 0,
    }));
  } catch (err) {
    summary.errors.push(messageOf(err));
    return finish(summary, 'FAILED');
  }
  publish(summary);

  // 2. Every source at once; one that fails is reported on its row and never stops the others.
  await Promise.all(summary.sources.map((row) => sweepSource(summary, row)));

  return finish(
    summary,
    summary.sources.some((s) => s.state === 'FAILED') && summary.sources.every((s) => s.state === 'FAILED')
      ? 'FAILED'
      : 'COMPLETED',
  );
}

async function sweepSource(summary: SweepSummary, row: SweepSourceSummary): Promise<void> {
  const { scanDiscoverySource } = proxyActivities<WardenActivities>({
    startToCloseTimeout: '6 hours',
    // The scan heartbeats every few seconds; a worker that dies mid-scan is noticed within this, and the
    // retry continues from the last heartbeat's cursor with the findings gathered so far.
    heartbeatTimeout: '10 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 10 },
    summary: `Scan ${row.type} source "${row.name}"`,
  });
  try {
    row.state = 'SCANNING';
    publish(summary);
    const report = await scanDiscoverySource({ sweepId: summary.sweepId, name: row.name });
    Object.assign(row, {
      read: report.progress.read,
      malformed: report.progress.malformed,
      skipped: report.progress.skipped,
      errors: report.progress.errors,
      findings: report.findings.length,
    });
    row.state = 'RECONCILING';
    publish(summary);
    for (let i = 0; i < report.findings.length; i += RECONCILE_BATCH) {
      const r: ReconcileReport = await reconcileDiscoveryFindings({
        sweepId: summary.sweepId,
        sourceName: row.name,
        findings: report.findings.slice(i, i + RECONCILE_BATCH),
      });
      row.newAgents += r.newAgents.length;
      row.known += r.known;
      row.dismissed += r.dismissed;
      row.raisedAgain += r.raisedAgain;
      for (const agent of r.newAgents)
        if (!summary.newAgents.some((a) => a.agentId === agent.agentId)) summary.newAgents.push(agent);
      publish(summary);
    }
    row.state = 'DONE';
  } catch (err) {
    row.state = 'FAILED';
    row.errors = [...row.errors, messageOf(err)].slice(-50);
  }
  publish(summary);
}

function finish(summary: SweepSummary, status: SweepStatus): SweepSummary {
  summary.status = status;
  summary.finishedAt = new Date().toISOString();
  summary.newAgents.sort((a, b) => a.name.localeCompare(b.name));
  publish(summary);
  return summary;
}

function messageOf(err: unknown): string {
  const e = err as { cause?: { message?: string }; message?: string };
  return String(e?.cause?.message ?? e?.message ?? err).slice(0, 500);
}

/** Search attribute and memo for lists (and the UI), and a readable table in the workflow's details. */
function publish(s: SweepSummary): void {
  upsertSearchAttributes([{ key: SweepStatusKey, value: s.status }]);
  const totals = s.sources.reduce(
    (t, r) => ({ read: t.read + r.read, malformed: t.malformed + r.malformed, findings: t.findings + r.findings }),
    { read: 0, malformed: 0, findings: 0 },
  );
  upsertMemo({
    status: s.status,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    sources: s.sources.length,
    ...totals,
    newAgents: s.newAgents.length,
    errors: s.errors.length,
  });
  const rows = s.sources.map(
    (r) =>
      `| ${r.name} | ${r.type} | ${r.state} | ${r.read} | ${r.malformed} | ${r.skipped} | ${r.findings} | ${r.newAgents} | ${r.known} | ${r.dismissed} | ${r.errors.length ? r.errors.slice(0, 3).join('; ').replaceAll('|', '/') : ''} |`,
  );
  setCurrentDetails(
    [
      `**Discovery sweep ${s.status}** · started ${s.startedAt}${s.finishedAt ? ` · finished ${s.finishedAt}` : ''}`,
      s.sources.length
        ? [
            '| source | type | state | read | malformed | skipped | findings | new agents | known | dismissed | errors |',
            '|---|---|---|---|---|---|---|---|---|---|---|',
            ...rows,
          ].join('\n')
        : s.status === 'RUNNING'
          ? 'Reading the sources file…'
          : 'No discovery sources are configured (WARDEN_DISCOVERY_SOURCES).',
      s.newAgents.length ? `New shadow agents: ${s.newAgents.map((a) => `${a.name} (${a.agentId})`).join(', ')}` : '',
      s.errors.length ? `Errors: ${s.errors.join('; ')}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
}
