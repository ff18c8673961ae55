/**
 * The revocation feed of one API process: it polls visibility for agents whose access view changed
 * (AgentAccessChangedAt) and tells the directory, so that a cached view stays good while the feed vouches
 * for it, instead of being re-read (one DescribeWorkflowExecution per active agent) every bound.
 *
 * Each poll asks for changes stamped since the previous successful poll started, less a margin that
 * absorbs visibility lag and clock skew; a failed poll is simply covered by the next one. The feed
 * vouches only for what it has seen: while polls fail, nothing is confirmed and views age out as before.
 * It also watches its own lag: a change that shows up one poll late (it was made before the previous poll
 * started) means visibility is behind, and the feed vouches for nothing until a margin has passed.
 */
import type { Client } from '@temporalio/client';
import * as SA from '../../temporal/search-attributes.js';

export interface AccessFeedOptions {
  /** How often to poll (the directory uses half its freshness bound). */
  pollMs: number;
  /** How far before the previous poll each poll looks back: visibility lag and clock skew it absorbs. */
  marginMs: number;
  /** More changes than this in one poll and the feed cannot vouch for anything it has not seen: overflow. */
  maxChanges?: number;
  /** A change seen this much later than it could have been means visibility lags: stop vouching for a while. */
  maxLagMs: number;
  /** Called for every change in a poll (a change can be reported by several polls within the margin). */
  onChange(agentId: string, changedAtMs: number): void;
  /** Called when a poll found more changes than `maxChanges`: drop every cached view. */
  onOverflow(): void;
}

export class AccessFeed {
  /** Views read at or after this instant are covered by the polls since (null: no poll has succeeded). */
  private coveredFromMs: number | null = null;
  /** When the latest successful poll started: what it confirms is good as of then. */
  private confirmedAtMs: number | null = null;
  private lastStartMs: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private polling: Promise<void> | null = null;
  private failing = false;
  /** Changes already reported (agent id and stamp), kept while polls can still return them. */
  private reported = new Map<string, number>();
  private laggingUntilMs = 0;
  private lagSaidAtMs = -Infinity;
  /** Whether the previous successful poll reported everything it found (it did not overflow). */
  private previousComplete = false;

  constructor(
    private readonly client: Client,
    private readonly options: AccessFeedOptions,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    const tick = () => {
      this.polling = this.poll()
        .then(() => {
          if (this.failing) console.warn('api: revocation feed recovered');
          this.failing = false;
        })
        .catch((err) => {
          // Said once per outage: meanwhile each agent's view is read again once it is a bound old.
          if (!this.failing)
            console.warn(
              `api: revocation feed poll failed, agent views are re-read until it recovers: ${(err as Error)?.message ?? err}`,
            );
          this.failing = true;
        })
        .finally(() => {
          this.polling = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs).unref();
        });
    };
    tick();
  }

  /** Stops polling; a poll under way is waited for briefly (with Temporal away it may hang), never applied. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.race([this.polling, new Promise((r) => setTimeout(r, 1_000).unref())]);
  }

  /**
   * The instant as of which a view read at `readAtMs` is known to be unchanged (no change for it in any
   * poll since), or null when the feed cannot say.
   */
  confirmedAt(readAtMs: number): number | null {
    if (this.coveredFromMs === null || readAtMs < this.coveredFromMs || this.lagging) return null;
    return this.confirmedAtMs;
  }

  /** Whether the feed saw visibility lag recently (and so vouches for nothing). */
  get lagging(): boolean {
    return this.confirmedAtMs !== null && this.confirmedAtMs < this.laggingUntilMs;
  }

  /** One poll (public for tests that drive the feed step by step). */
  async poll(): Promise<void> {
    const startedMs = Date.now();
    const fromMs = (this.lastStartMs ?? startedMs) - this.options.marginMs;
    const maxChanges = this.options.maxChanges ?? 1000;
    const changes: { agentId: string; changedAtMs: number }[] = [];
    const query = `${SA.AgentAccessChangedAt.name} >= '${new Date(fromMs).toISOString()}'`;
    for await (const info of this.client.workflow.list({ query, pageSize: Math.min(maxChanges + 1, 1000) })) {
      const agentId = info.typedSearchAttributes.get(SA.AgentId);
      const changedAt = info.typedSearchAttributes.get(SA.AgentAccessChangedAt);
      if (agentId && changedAt) changes.push({ agentId, changedAtMs: changedAt.getTime() });
      if (changes.length > maxChanges) break;
    }
    if (this.stopped) return;
    if (changes.length > maxChanges) {
      // Too much changed to tell what: nothing cached before now is vouched for; from now on, the next
      // poll (which looks back past this one's start) covers every view read after this instant.
      this.options.onOverflow();
      this.coveredFromMs = startedMs;
      this.reported.clear();
      this.previousComplete = false;
    } else {
      for (const change of changes) {
        const key = `${change.agentId}@${change.changedAtMs}`;
        if (!this.reported.has(key)) {
          // New to this poll, yet made before the previous poll started: that poll could not see it.
          if (
            this.previousComplete &&
            this.lastStartMs !== null &&
            this.lastStartMs - change.changedAtMs > this.options.maxLagMs
          ) {
            // Said at most once a minute: a store that always lags (Elasticsearch refreshes about every
            // second) would otherwise say it at every change.
            if (startedMs - this.lagSaidAtMs > 60_000)
              console.warn(
                `api: revocation feed: visibility is ${this.lastStartMs - change.changedAtMs} ms behind; agent views are re-read by age meanwhile`,
              );
            if (startedMs - this.lagSaidAtMs > 60_000) this.lagSaidAtMs = startedMs;
            this.laggingUntilMs = startedMs + this.options.marginMs;
          }
          this.reported.set(key, change.changedAtMs);
        }
        this.options.onChange(change.agentId, change.changedAtMs);
      }
      for (const [key, changedAtMs] of this.reported) if (changedAtMs < fromMs) this.reported.delete(key);
      this.coveredFromMs ??= fromMs;
      this.previousComplete = true;
    }
    this.confirmedAtMs = startedMs;
    this.lastStartMs = startedMs;
  }
}
