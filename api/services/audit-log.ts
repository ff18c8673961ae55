/**
 * The API's side of the audit trail: records about tokens and grants go to the audit trail's single
 * writer (a workflow), and `auditEvents` reads the chained records back from the file sink.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { auditSinkFor, submitAudit } from '../../activities/audit.js';
import type { AuditInput } from '../../audit/events.js';
import type { ChainedAuditEvent } from '../../audit/events.js';
import type { AuditSettings } from '../../config/config.js';
import { badInput } from '../../domain/errors.js';
import { auditTrailWorkflowId, getAuditHeadQuery } from '../../workflows/audit-trail.js';

export interface AuditFilter {
  agentId?: string | null;
  type?: string | null;
  actionId?: string | null;
  since?: string | null;
  until?: string | null;
}

export class AuditLog {
  private readonly file;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    settings: AuditSettings,
  ) {
    this.file = auditSinkFor(settings).file;
  }

  /** Durably hands one record to the audit trail (it is chained and written shortly after). */
  async record(input: AuditInput): Promise<void> {
    await submitAudit(this.client, this.taskQueue, [{ id: `api/${randomUUID()}`, at: new Date().toISOString(), input }]);
  }

  async query(filter: AuditFilter, first: number, after: number | null): Promise<{ events: ChainedAuditEvent[]; hasNextPage: boolean; endCursor: number | null }> {
    try {
      return await this.file.query({
        filter: {
          ...(filter.agentId ? { agentId: filter.agentId } : {}),
          ...(filter.type ? { type: filter.type } : {}),
          ...(filter.actionId ? { actionId: filter.actionId } : {}),
          ...(filter.since ? { since: filter.since } : {}),
          ...(filter.until ? { until: filter.until } : {}),
        },
        first,
        ...(after !== null ? { after } : {}),
      });
    } catch (err) {
      if (err instanceof RangeError) throw badInput(err.message);
      throw err;
    }
  }

  async verify() {
    return this.file.verify();
  }

  /** Verifies the file, anchored on the chain head the audit trail's workflow holds (so a rewritten tail shows). */
  async verifyAgainstHead() {
    let head: { seq: number; hash: string } | null = null;
    try {
      head = await this.client.workflow.getHandle(auditTrailWorkflowId(this.taskQueue)).query(getAuditHeadQuery);
    } catch {
      head = null;
    }
    const result = await this.file.verify(head ? { anchor: head } : {});
    return { ...result, anchoredAt: head };
  }
}
