/**
 * GET /metrics on an API process: the process's Prometheus metrics (observability/metrics.ts), with what
 * only a running API can read — held actions waiting for a person (one visibility count, at most every
 * 15 s, shared by every scrape) and this process's audit spool. Keep /metrics off the public front end:
 * deploy/haproxy.cfg refuses it there, and Prometheus scrapes each process directly.
 */
import type { Client } from '@temporalio/client';
import { approvalsPending, auditSpoolRecords, serveMetrics } from '../observability/metrics.js';
import { ActionStatus } from '../temporal/search-attributes.js';
import type { AuditLog } from './services/audit-log.js';

const PENDING_READ_EVERY_MS = 15_000;
/** A scrape never waits on a Temporal that does not answer: the gauge is NaN then, the rest is served. */
const PENDING_READ_DEADLINE_MS = 1_000;

export function createMetricsEndpoint(client: Client, audit: AuditLog) {
  let pending: { at: number; count: Promise<number> } | null = null;
  const countPending = () => {
    if (!pending || Date.now() - pending.at >= PENDING_READ_EVERY_MS) {
      const count = client.connection
        .withDeadline(Date.now() + PENDING_READ_DEADLINE_MS, () =>
          client.workflow.count(`${ActionStatus.name} = 'PENDING_APPROVAL' AND ExecutionStatus = 'Running'`),
        )
        .then((r) => r.count);
      pending = { at: Date.now(), count };
      // A failed read is not kept: the next scrape tries again.
      count.catch(() => (pending = null));
    }
    return pending.count;
  };
  const removals = [approvalsPending.add(countPending), auditSpoolRecords.add(() => audit.spooled)];
  return {
    serve: serveMetrics,
    stop(): void {
      for (const remove of removals) remove();
    },
  };
}
