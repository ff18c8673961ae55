/**
 * The API's side of the audit trail: records about tokens and grants go through a local spool to the
 * audit trail's single writer (a workflow), and `auditEvents` reads the chained records back from the file sink.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { auditSinkFor } from '../../audit/sinks.js';
import { submitAudit } from '../../services/audit-trail.js';
import type { AuditInput, ChainedAuditEvent } from '../../audit/events.js';
import type { AuditSettings } from '../../config/config.js';
import { badInput } from '../../domain/errors.js';
import { auditTrailWorkflowId, getAuditHeadQuery, type AuditItem } from '../../workflows/audit-trail.js';
import { AuditSpool } from './audit-spool.js';

export interface AuditFilter {
  agentId?: string | null;
  type?: string | null;
  actionId?: string | null;
  since?: string | null;
  until?: string | null;
}

export class AuditLog {
  private readonly file;
  private readonly spool: AuditSpool;
  private adopting: Promise<void>;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    settings: AuditSettings,
    spoolDir: string,
  ) {
    this.file = auditSinkFor(settings).file;
    const ship = (items: AuditItem[]) => submitAudit(this.client, this.taskQueue, items);
    this.spool = new AuditSpool(spoolDir, ship);
    // Records a killed API process spooled but never shipped: ship them now (retrying while Temporal is away).
    this.adopting = (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await AuditSpool.adoptOrphans(spoolDir, ship, { log: (l) => console.warn(l) });
          return;
        } catch (err) {
          if (attempt % 10 === 0)
            console.warn(`audit spool: cannot ship orphaned records yet: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, 1_000).unref());
        }
      }
    })();
  }

  /**
   * Hands one record to the audit trail: on local disk when this returns (it survives this process being
   * killed), chained and written by the trail's writer shortly after.
   */
  async record(input: AuditInput): Promise<void> {
    this.spool.append({ id: `api/${randomUUID()}`, at: new Date().toISOString(), input });
  }

  /** Records this process has spooled and not yet shipped (warden_audit_spool_records). */
  get spooled(): number {
    return this.spool.pending;
  }

  /** Ships what is spooled (for a clean stop); what cannot be shipped waits for the next API process. */
  async close(timeoutMs = 5_000): Promise<void> {
    await this.spool.close(timeoutMs);
    await Promise.race([this.adopting, new Promise((r) => setTimeout(r, 100).unref())]);
  }

  async query(
    filter: AuditFilter,
    first: number,
    after: number | null,
  ): Promise<{ events: ChainedAuditEvent[]; hasNextPage: boolean; endCursor: number | null }> {
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
    let head: { seq: number; hash: string } | null;
    try {
      head = await this.client.workflow.getHandle(auditTrailWorkflowId(this.taskQueue)).query(getAuditHeadQuery);
    } catch {
      head = null;
    }
    const result = await this.file.verify(head ? { anchor: head } : {});
    return { ...result, anchoredAt: head };
  }
}
