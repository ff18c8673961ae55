/**
 * Audit activities: workflows hand records to the audit trail's single writer (a signal-with-start), and
 * the writer's activity hash-chains each batch and writes it to the sinks (a JSON-lines file, and a
 * webhook in CloudEvents batch format when configured).
 */
import type { Client } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { chainAll } from '../audit/chain.js';
import { auditEvent, type PersonDelegationInput } from '../audit/events.js';
import { actionAuditInputs } from '../audit/from-action.js';
import { auditSinkFor } from '../audit/sinks.js';
import type { AuditSettings } from '../config/config.js';
import type { ActionRecord } from '../domain/actions.js';
import { failpoint } from '../temporal/failpoints.js';
import { submitAudit } from '../services/audit-trail.js';
import type { AuditItem, ChainHead } from '../workflows/audit-trail.js';

interface ActionAuditEntry {
  kind: 'action.decided' | 'action.voted' | 'action.escalated' | 'action.resolved';
  action: ActionRecord;
}

const STEPS = {
  'action.decided': 'decided',
  'action.voted': 'voted',
  'action.escalated': 'escalated',
  'action.resolved': 'resolved',
} as const satisfies Record<ActionAuditEntry['kind'], Parameters<typeof actionAuditInputs>[1]>;

/** Votes and escalations happen more than once per action: their records are told apart by count. */
const stepOf = (entry: ActionAuditEntry) => {
  if (entry.kind === 'action.voted') return `voted.${entry.action.approval?.votes.length ?? 0}`;
  if (entry.kind === 'action.escalated') return `escalated.${entry.action.approval?.level ?? 0}`;
  return entry.kind;
};

export function createAuditActivities(deps: { client: Client; taskQueue: string; settings: AuditSettings }) {
  const { sink } = auditSinkFor(deps.settings);
  /** An action's audit records, with ids stable across retries (the writer keeps each once). */
  const itemsOf = (entry: ActionAuditEntry, runId: string, at: string): AuditItem[] =>
    actionAuditInputs(entry.action, STEPS[entry.kind], {
      runId,
      // Decisions follow the risk policy; what happens to a held action follows its approval routing rule.
      policy:
        entry.kind !== 'action.decided' && entry.action.approval
          ? `approvals:${entry.action.approval.route.rule}`
          : 'default',
    }).map((input, i) => ({
      id: `action:${entry.action.id}/${stepOf(entry)}/${i}`,
      at,
      input,
    }));
  const runIdOf = () => Context.current().info.workflowExecution?.runId ?? '';

  return {
    async recordAudit(entry: ActionAuditEntry): Promise<void> {
      await submitAudit(deps.client, deps.taskQueue, itemsOf(entry, runIdOf(), new Date().toISOString()));
    },

    /** A change to who may decide for whom (a delegation), as the person's workflow made it: recorded once. */
    async recordDelegationAudit(entry: { id: string; at: string; input: PersonDelegationInput }): Promise<void> {
      await submitAudit(deps.client, deps.taskQueue, [entry]);
    },

    /** Many decisions in one hand-over (an agent's routine decisions, batched by its workflow). */
    async recordAuditBatch(entries: ActionAuditEntry[]): Promise<void> {
      const runId = runIdOf();
      const now = new Date().toISOString();
      // Stamped when decided, not when the batch left (up to a flush interval later).
      const items = entries.flatMap((entry) =>
        itemsOf(entry, runId, (entry.kind === 'action.decided' && entry.action.decidedAt) || now),
      );
      if (items.length) await submitAudit(deps.client, deps.taskQueue, items);
    },

    /** The writer's one step: chain the batch after `head` and write it; returns the new head. */
    async writeAuditBatch(input: { head: ChainHead | null; items: AuditItem[] }): Promise<ChainHead | null> {
      const events = input.items.map((item) =>
        auditEvent(item.input, new Date(item.at), { id: item.id, deployment: deps.settings.deployment }),
      );
      const chained = chainAll(input.head, events);
      await sink.write(chained);
      failpoint('audit.batch-written');
      const last = chained.at(-1);
      return last ? { seq: last.wardenseq, hash: last.wardenhash } : input.head;
    },
  };
}
