/**
 * Subscriptions over stateless API processes: they watch Temporal (a Query, or visibility) at a short
 * interval rather than an in-memory bus that another process's events would never reach — and only for as
 * long as the caller's token is good.
 */
import { principalExpiresAt, type Principal } from '../auth/principal.js';

/** Who is watching, and who their token says they are now (null once it expired or was revoked). */
export interface Watcher {
  principal: Principal;
  reauthenticate(): Promise<Principal | null>;
}

const MAX_SUBSCRIPTION_MS = 24 * 3600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Runs `poll` every `everyMs` for as long as the watcher's token is good: the stream ends when the token
 * expires or is revoked — never later than 24 h — and each poll gets the watcher as authenticated now (a
 * person's roles read afresh).
 */
export async function* whileAuthorized<T>(
  watcher: Watcher,
  everyMs: number,
  poll: (principal: Principal) => Promise<{ emit: T[]; done?: boolean }>,
): AsyncGenerator<T> {
  const until = Math.min(Date.now() + MAX_SUBSCRIPTION_MS, principalExpiresAt(watcher.principal).getTime());
  for (let first = true; Date.now() < until; first = false) {
    if (!first) await sleep(Math.min(everyMs, until - Date.now()));
    const principal = await watcher.reauthenticate();
    if (!principal || Date.now() >= until) return;
    const { emit, done } = await poll(principal);
    yield* emit;
    if (done) return;
  }
}
