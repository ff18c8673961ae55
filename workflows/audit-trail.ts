/**
 * The audit trail's single writer (`warden-audit:<task queue>`): records arrive as signals (from the API
 * and from other workflows), and this workflow appends them in order, one batch at a time, through an
 * activity that hash-chains and writes them to the configured sinks. Its state holds the chain's head,
 * out of reach of anyone who can edit the file — the anchor against which the file is verified.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { WardenActivities } from '../activities/index.js';
import type { AuditInput } from '../audit/events.js';
import { ErrorCode } from '../domain/errors.js';
import { isForeign } from '../temporal/payload-origin.js';
import { fromWarden, reportRefusedSignal } from './trust.js';

export interface AuditItem {
  /** Stable id (e.g. `<workflowId>/<kind>`): a retried signal is written once. */
  id: string;
  at: string;
  input: AuditInput;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

export const auditTrailWorkflowId = (taskQueue: string) => `warden-audit:${taskQueue}`;
export const appendAuditSignal = defineSignal<[AuditItem[]]>('appendAudit');
export const getAuditHeadQuery = defineQuery<ChainHead | null>('getAuditHead');

// A local activity: the batch is not written into history a second time (it is there as the signal's
// input), and no activity task goes through the server. Like an activity, it may run again after a
// crash; the sink skips what it already holds.
const { writeAuditBatch } = proxyLocalActivities<WardenActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const BATCH = 200;

export async function auditTrailWorkflow(input: { head: ChainHead | null; pending?: AuditItem[] }): Promise<void> {
  // Only Warden starts its audit trail's writer, and only under an audit trail's id. (Not checked against
  // the task queue's name: the SDK's replayer runs a history on a task queue of its own.)
  const args = fromWarden(input, 'the audit trail input', { operation: 'auditTrailWorkflow' });
  if (!workflowInfo().workflowId.startsWith(auditTrailWorkflowId('')) || typeof args !== 'object' || args === null) {
    throw ApplicationFailure.create({
      type: ErrorCode.BAD_USER_INPUT,
      message: 'Refused: this is not an audit trail.',
      nonRetryable: true,
    });
  }
  let head = args.head;
  const pending: AuditItem[] = [...(args.pending ?? [])];
  const seen = new Set<string>();
  setHandler(getAuditHeadQuery, () => head);
  setHandler(appendAuditSignal, (items) => {
    // Only Warden's processes write the audit trail: a record anyone else sends is dropped, and said so.
    if (isForeign(items) || !Array.isArray(items)) {
      reportRefusedSignal(
        'appendAudit',
        "Refused: audit records that are not Warden's were dropped; only Warden's processes write the audit trail.",
        null,
      );
      return;
    }
    for (const item of items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      pending.push(item);
    }
  });

  while (!workflowInfo().continueAsNewSuggested) {
    await condition(() => pending.length > 0 || workflowInfo().continueAsNewSuggested);
    if (pending.length === 0) break;
    const batch = pending.slice(0, BATCH);
    head = await writeAuditBatch({ head, items: batch });
    pending.splice(0, batch.length);
    setCurrentDetails(`Audit trail head: record **${head?.seq ?? 0}**, hash ${head?.hash.slice(0, 16) ?? '—'}…`);
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof auditTrailWorkflow>({ head, pending });
}
