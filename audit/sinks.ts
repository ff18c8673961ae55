/**
 * Where chained audit events go, as the audit settings name them: the JSON-lines file (durable,
 * queryable, continues its chain after a restart; file-sink.ts) always, and a webhook (CloudEvents HTTP
 * batch mode, for a SIEM; webhook-sink.ts) when one is configured.
 */
import type { AuditSettings } from '../config/config.js';
import type { ChainedAuditEvent } from './events.js';
import { JsonLinesFileSink } from './file-sink.js';
import type { AuditSink } from './sink.js';
import { WebhookSink } from './webhook-sink.js';

/** Writes every batch to each sink (concurrently); throws an AggregateError naming the sinks that failed. */
export class MultiSink implements AuditSink {
  readonly sinks: readonly AuditSink[];

  constructor(sinks: readonly AuditSink[]) {
    this.sinks = [...sinks];
  }

  async write(events: readonly ChainedAuditEvent[]): Promise<void> {
    const results = await Promise.allSettled(this.sinks.map((s) => s.write(events)));
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failed.length > 0)
      throw new AggregateError(failed, `${failed.length} of ${this.sinks.length} audit sinks failed`);
  }
}

/** The sinks audit settings name: the JSON-lines file always, and the webhook when one is configured. */
export function auditSinkFor(settings: AuditSettings): { file: JsonLinesFileSink; sink: AuditSink } {
  const file = new JsonLinesFileSink(settings.file);
  const sinks: AuditSink[] = [file];
  if (settings.webhookUrl) sinks.push(new WebhookSink(settings.webhookUrl, { format: settings.webhookFormat }));
  return { file, sink: sinks.length === 1 ? file : new MultiSink(sinks) };
}
