/** Handing records to the audit trail's single writer: from the API, the worker's activities and its sinks. */
import type { Client } from '@temporalio/client';
import {
  appendAuditSignal,
  auditTrailWorkflow,
  auditTrailWorkflowId,
  type AuditItem,
} from '../workflows/audit-trail.js';

/** Hands records to the audit trail's writer, starting it if needed (a signal-with-start). */
export async function submitAudit(client: Client, taskQueue: string, items: AuditItem[]): Promise<void> {
  await client.workflow.signalWithStart(auditTrailWorkflow, {
    workflowId: auditTrailWorkflowId(taskQueue),
    taskQueue,
    args: [{ head: null }],
    signal: appendAuditSignal,
    signalArgs: [items],
    staticSummary: 'Audit trail writer',
  });
}
