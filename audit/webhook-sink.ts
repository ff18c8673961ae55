/** Audit events pushed to a webhook (a SIEM): a CloudEvents JSON batch, or bare OCSF events. */
import type { ChainedAuditEvent } from './events.js';
import type { AuditSink } from './sink.js';

export class AuditWebhookError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AuditWebhookError';
  }
}

export interface WebhookSinkOptions {
  /** `cloudevents`: a CloudEvents JSON batch (`application/cloudevents-batch+json`); `ocsf`: a JSON
   *  array of the OCSF events alone (`application/json`), for collectors that take raw OCSF. */
  format?: 'cloudevents' | 'ocsf';
  /** Extra headers, e.g. Authorization for the collector. */
  headers?: Record<string, string>;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

/**
 * POSTs each batch to a URL. Any non-2xx answer (redirects included), a network error or a timeout
 * throws AuditWebhookError so the caller can retry the same batch; receivers dedupe on CloudEvents
 * `source` + `id`.
 */
export class WebhookSink implements AuditSink {
  readonly url: URL;
  private readonly format: 'cloudevents' | 'ocsf';
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(url: string | URL, options: WebhookSinkOptions = {}) {
    this.url = new URL(url);
    if (this.url.protocol !== 'https:' && this.url.protocol !== 'http:')
      throw new TypeError('WebhookSink: the URL must be http(s)');
    this.format = options.format ?? 'cloudevents';
    this.headers = options.headers ?? {};
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async write(events: readonly ChainedAuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    const body = this.format === 'cloudevents' ? JSON.stringify(events) : JSON.stringify(events.map((e) => e.data));
    const contentType =
      this.format === 'cloudevents'
        ? 'application/cloudevents-batch+json; charset=utf-8'
        : 'application/json; charset=utf-8';
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { ...this.headers, 'content-type': contentType },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new AuditWebhookError(
        `audit webhook ${this.url.origin}: ${(err as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable'}`,
      );
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.status < 200 || res.status > 299) {
      throw new AuditWebhookError(`audit webhook ${this.url.origin} answered ${res.status}`, res.status);
    }
  }
}
