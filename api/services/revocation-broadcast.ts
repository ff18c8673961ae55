/**
 * This API process's end of the revocation broadcast (workflows/revocation-broadcast.ts): it announces the
 * containments and access changes it makes, and listens for every other process's with a long-poll,
 * handing each notice to the agent access views.
 *
 * The broadcast only ever makes revocation faster. While this process cannot listen (Temporal away, no
 * worker to answer), each view is still read again once it is a revocation bound old, as without it; an
 * announcement that fails is said, and the other processes honour the change within their bound.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type http from 'node:http';
import type { RevocationPush } from './revocation-push.js';
import { sendJson } from '../oauth/http.js';
import {
  announceRevocationSignal,
  awaitRevocationsUpdate,
  revocationBroadcastWorkflow,
  revocationBroadcastWorkflowId,
  type RevocationBroadcastArgs,
  type RevocationCursor,
  type RevocationNotice,
} from '../../workflows/revocation-broadcast.js';

export interface RevocationListener {
  /** A notice, from the broadcast (numbered) or pushed by the process that announced it (ahead of the broadcast). */
  onNotice(notice: RevocationNotice, via: 'broadcast' | 'pushed'): void;
  /** Notices were missed: every cached view must be read again. */
  onGap(): void;
}

export interface RevocationBroadcastOptions {
  taskQueue: string;
  /** How long one long-poll is held open when nothing happens. */
  waitMs?: number;
  /** The longest pause between attempts while the broadcast cannot be reached. */
  maxBackoffMs?: number;
  /** The fast lane: notices pushed straight to the other processes, and taken from them. */
  push?: RevocationPush;
}

const START = {
  args: [{}] as [RevocationBroadcastArgs],
  staticSummary: 'Revocation broadcast',
  staticDetails: "API processes announce containments and access changes here, and long-poll for each other's.",
};

export class RevocationBroadcast {
  private readonly workflowId: string;
  private listening: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private failing = false;
  private announceFailedSaidAt = -Infinity;

  constructor(
    private readonly client: Client,
    private readonly options: RevocationBroadcastOptions,
  ) {
    this.workflowId = revocationBroadcastWorkflowId(options.taskQueue);
  }

  /** Whether the latest long-poll succeeded (for readiness reports): false until the first one has. */
  get connected(): boolean {
    return this.listening !== null && !this.failing && this.cursor !== null;
  }

  private cursor: RevocationCursor | null = null;

  /**
   * Tells every API process — pushed to those known here at once, and through the broadcast, which it starts
   * if it does not run yet. Never throws: it only speeds up.
   */
  async announce(notice: RevocationNotice): Promise<boolean> {
    void this.options.push?.push(notice).catch(() => undefined); // it never rejects: this keeps it so
    try {
      await this.client.workflow.signalWithStart(revocationBroadcastWorkflow, {
        ...START,
        workflowId: this.workflowId,
        taskQueue: this.options.taskQueue,
        signal: announceRevocationSignal,
        signalArgs: [notice],
      });
      return true;
    } catch (err) {
      // Said at most once a minute: other processes fall back to their revocation bound meanwhile.
      if (Date.now() - this.announceFailedSaidAt > 60_000) {
        this.announceFailedSaidAt = Date.now();
        console.warn(
          `api: revocation broadcast: could not announce (other API processes honour it within their bound): ${(err as Error)?.message ?? err}`,
        );
      }
      return false;
    }
  }

  private listener: RevocationListener | null = null;

  /** Starts listening (once). */
  listen(listener: RevocationListener): void {
    this.listener ??= listener;
    this.listening ??= this.loop(listener);
  }

  /** Takes a notice another process pushed here (api/server.ts routes REVOCATION_PUSH_PATH to it). */
  async receivePush(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { push } = this.options;
    if (!push || !this.listener)
      return sendJson(res, 404, { error: 'not_found', message: 'This process takes no pushed notices.' });
    await push.receive(req, res, (notice) => this.listener?.onNotice(notice, 'pushed'));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.race([this.listening, new Promise((r) => setTimeout(r, 1_000).unref())]);
  }

  private async loop(listener: RevocationListener): Promise<void> {
    const handle = this.client.workflow.getHandle(this.workflowId);
    const waitMs = this.options.waitMs ?? 20_000;
    const maxBackoffMs = this.options.maxBackoffMs ?? 5_000;
    const { push } = this.options;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      // A signal per call: the client adds an abort listener to the signal of every call it makes and never
      // removes it, so one long-lived signal would keep every past long-poll (and its gRPC call) alive.
      const call = new AbortController();
      const stop = () => call.abort();
      this.abort.signal.addEventListener('abort', stop, { once: true });
      try {
        const batch = await this.client
          .withAbortSignal(call.signal, () =>
            handle.executeUpdate(awaitRevocationsUpdate, {
              args: [{ cursor: this.cursor, waitMs, ...(push ? { subscriber: push.subscriber } : {}) }],
            }),
          )
          .finally(() => this.abort.signal.removeEventListener('abort', stop));
        if (this.abort.signal.aborted) return;
        if (this.failing) console.warn('api: revocation broadcast: listening again');
        this.failing = false;
        failures = 0;
        // Reconnecting after a failure, the cursor fetches what was missed (or says it cannot: a gap).
        push?.setPeers(batch.subscribers ?? []);
        if (batch.gap) listener.onGap();
        for (const { agentId, kind, at } of batch.notices) listener.onNotice({ agentId, kind, at }, 'broadcast');
        this.cursor = batch.cursor;
      } catch (err) {
        if (this.abort.signal.aborted) return;
        if (err instanceof WorkflowNotFoundError) {
          await this.ensureStarted().catch(() => undefined);
        } else if (!this.failing) {
          console.warn(
            `api: revocation broadcast: cannot listen, agent views are re-read within the revocation bound meanwhile: ${(err as Error)?.message ?? err}`,
          );
        }
        this.failing = true;
        failures++;
        await new Promise((r) => setTimeout(r, Math.min(maxBackoffMs, 50 * 2 ** Math.min(failures, 10))).unref());
      }
    }
  }

  private async ensureStarted(): Promise<void> {
    await this.client.workflow.start(revocationBroadcastWorkflow, {
      ...START,
      workflowId: this.workflowId,
      taskQueue: this.options.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }
}
