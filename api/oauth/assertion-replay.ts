/**
 * Client-assertion replay detection in this API process (RFC 7523 §3: a `jti` is accepted once while the
 * assertion could still be valid). Entries live until the assertion's expiry plus a margin. When the
 * table is full of live entries, new assertions are refused rather than old ones forgotten (fail closed).
 *
 * Scope: one process. A deployment with several API processes that must refuse a replay on every one of
 * them sets WARDEN_ASSERTION_REPLAY=deployment, and the `jti` is also recorded durably in the agent's workflow.
 */
export class AssertionReplayCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly maxEntries = 500_000) {}

  /** Records the assertion; false when it was seen before (a replay) or there is no room to remember it. */
  claim(clientId: string, jti: string, rememberUntilMs: number, now = Date.now()): 'fresh' | 'replayed' | 'full' {
    const key = `${clientId}\n${jti}`;
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return 'replayed';
    if (this.seen.size >= this.maxEntries) this.purge(now);
    if (this.seen.size >= this.maxEntries) return 'full';
    this.seen.delete(key);
    this.seen.set(key, rememberUntilMs);
    return 'fresh';
  }

  get size(): number {
    return this.seen.size;
  }

  private purge(now: number) {
    for (const [key, until] of this.seen) if (until <= now) this.seen.delete(key);
  }
}
