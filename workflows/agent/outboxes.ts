/**
 * What the agent's workflow sends out from its own loop, never from a handler: notifications (to the
 * owner, the security team, Shared Signals receivers) and its decisions for the audit trail, in batches.
 * Both wait in the workflow's state, so a crash loses none.
 */
import { log, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { WardenActivities } from '../../activities/index.js';
import type { AgentEntity } from './entity.js';

const { deliverNotification } = proxyActivities<WardenActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 },
});
// A batch is handed over by a local activity, in the workflow task the flush timer wakes (no activity task
// through the server); after a crash it may be handed over twice, and the audit trail keeps each record once.
const { recordAuditBatch } = proxyLocalActivities<WardenActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

// Each hand-over costs a timer, a workflow task and a signal to the audit trail's writer whatever its size,
// so a busy agent's records travel in few, larger batches.
export const AUDIT_FLUSH_MS = 5_000;
const AUDIT_BATCH_MAX = 100;

/**
 * Delivers what is waiting now: notifications that keep arriving meanwhile wait for the next turn, so a
 * steady stream of changes never keeps the loop from rolling history over.
 */
export async function deliverNotifications(agent: AgentEntity): Promise<void> {
  for (let waiting = agent.outbox.length; waiting > 0; waiting--) {
    const notification = agent.outbox[0]!;
    try {
      await deliverNotification(notification);
    } catch (err) {
      // Retries are spent (or the receiver refused it): drop this one, never the agent's workflow.
      log.warn('notification not delivered', { subject: notification.subject, error: String(err) });
    }
    agent.outbox.shift();
  }
}

/**
 * Decisions reach the audit trail in batches: at most AUDIT_FLUSH_MS after the oldest one, or as soon as
 * AUDIT_BATCH_MAX wait — a decision costs no workflow task of its own.
 */
export class AuditHandOver {
  private flushAt: number | undefined;

  constructor(private readonly agent: AgentEntity) {}

  /** Starts the flush clock for the oldest waiting decision; when the loop must wake for it, if ever. */
  arm(): number | undefined {
    if (this.agent.auditOutbox.length > 0) this.flushAt ??= Date.now() + AUDIT_FLUSH_MS;
    return this.flushAt;
  }

  /** Whether waiting decisions need the loop now: a full batch, or one that arrived with no flush armed. */
  needsTurn(armed: boolean): boolean {
    const waiting = this.agent.auditOutbox.length;
    return waiting >= AUDIT_BATCH_MAX || (!armed && waiting > 0);
  }

  /** Hands over a batch when one is full, its flush is due, or the run is about to roll over. */
  async handOver(rollingOver: boolean): Promise<void> {
    const { auditOutbox } = this.agent;
    const full = auditOutbox.length >= AUDIT_BATCH_MAX;
    if (!full && !(auditOutbox.length > 0 && (Date.now() >= this.flushAt! || rollingOver))) return;
    const batch = auditOutbox.slice(0, AUDIT_BATCH_MAX);
    await recordAuditBatch(batch.map((action) => ({ kind: 'action.decided' as const, action })));
    auditOutbox.splice(0, batch.length);
    this.flushAt = undefined;
  }
}
