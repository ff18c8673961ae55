/**
 * The containments an API process knows of that the agent's view does not show yet, each an instant up to
 * which the agent's tokens are refused.
 *
 * - **Decided**: the action's workflow contained the agent; held until the agent's view shows it.
 * - **Foreseen**: the deciding API process scored the request with the workflow's own rules and they contain;
 *   held while the workflow decides. Its decision replaces the hold (decided) or clears it; a foreseen hold
 *   that hears neither lapses after FORESEEN_HOLD_MS (its request never reached Temporal, or the process that
 *   foresaw it died before the answer and the workflow has not recorded anything since).
 */

/**
 * How far apart the clocks of the processes involved (the deciding API, the action's and the agent's
 * workflows) may be when a decided containment is taken to be shown by the agent's view, or to settle what
 * was foreseen.
 */
export const CONTAINMENT_CLOCK_TOLERANCE_MS = 1_000;
/** How long a foreseen containment holds without its decision: far longer than any decision takes. */
export const FORESEEN_HOLD_MS = 120_000;
/** Agents held at most (each a few dozen bytes): past it, the oldest holds go. */
const MAX_HELD = 50_000;

interface Held {
  /** The latest decided containment's instant, or null while only foreseen ones are known. */
  decided: number | null;
  /** Foreseen containments: instant → when its hold lapses. */
  foreseen: Map<number, number>;
}

export class HeldContainments {
  private readonly held = new Map<string, Held>();
  /** Foreseen containments already cleared: the broadcast may deliver one after a push cleared it. */
  private readonly clearedOnes = new Set<string>();

  /**
   * Holds a decided containment; the foreseen ones it settles (up to its instant, clocks apart) go, and any
   * foreseen later (another request, not decided yet) stays. True when it is news here.
   */
  decided(agentId: string, at: number): boolean {
    const before = this.revokedBefore(agentId);
    const held = this.held.get(agentId);
    const later = [...(held?.foreseen ?? [])].filter(([f]) => f > at + CONTAINMENT_CLOCK_TOLERANCE_MS);
    this.put(agentId, { decided: Math.max(at, held?.decided ?? -Infinity), foreseen: new Map(later) });
    return before === undefined || at > before;
  }

  /** Holds a foreseen containment until its decision, at most FORESEEN_HOLD_MS. True when it is news here. */
  foreseen(agentId: string, at: number, now = Date.now()): boolean {
    if (this.clearedOnes.has(`${agentId}@${at}`)) return false;
    const before = this.revokedBefore(agentId, now);
    const held = this.held.get(agentId) ?? { decided: null, foreseen: new Map<number, number>() };
    held.foreseen.set(at, Math.max(held.foreseen.get(at) ?? 0, now + FORESEEN_HOLD_MS));
    this.put(agentId, held);
    return before === undefined || at > before;
  }

  /** The workflow did not contain on a foreseen containment: its hold goes (a decided one stays). */
  cleared(agentId: string, at: number): void {
    this.clearedOnes.add(`${agentId}@${at}`);
    if (this.clearedOnes.size > MAX_HELD) this.clearedOnes.delete(this.clearedOnes.values().next().value!);
    const held = this.held.get(agentId);
    if (!held?.foreseen.delete(at)) return;
    if (held.decided === null && held.foreseen.size === 0) this.held.delete(agentId);
  }

  /**
   * Whether a view that refuses the agent's tokens up to `shownMs` shows every hold: a decided one within
   * the clocks' tolerance, a foreseen one exactly (its decision has not been heard here: a revocation point
   * just before it, such as an earlier logout, is not it). If so, the holds go: the view does their work.
   */
  releasedBy(agentId: string, shownMs: number, now = Date.now()): boolean {
    if (this.revokedBefore(agentId, now) === undefined) return true;
    const held = this.held.get(agentId)!;
    const shown =
      (held.decided === null || shownMs >= held.decided - CONTAINMENT_CLOCK_TOLERANCE_MS) &&
      [...held.foreseen.keys()].every((f) => shownMs >= f);
    if (shown) this.held.delete(agentId);
    return shown;
  }

  /** The agent is gone: nothing to hold. */
  release(agentId: string): void {
    this.held.delete(agentId);
  }

  /** Up to when (ms) the agent's tokens are refused beyond its view, or undefined when nothing is held. */
  revokedBefore(agentId: string, now = Date.now()): number | undefined {
    const held = this.held.get(agentId);
    if (!held) return undefined;
    let before = held.decided ?? -Infinity;
    for (const [at, until] of held.foreseen) {
      if (until < now) held.foreseen.delete(at);
      else before = Math.max(before, at);
    }
    if (before === -Infinity) {
      this.held.delete(agentId);
      return undefined;
    }
    return before;
  }

  private put(agentId: string, held: Held): void {
    this.held.delete(agentId);
    this.held.set(agentId, held);
    // Holds of agents this process never reads again are never released by a read: past the cap, the oldest
    // go (an agent's workflow records its containment within moments of the decision).
    for (const oldest of this.held.keys()) {
      if (this.held.size <= MAX_HELD) break;
      this.held.delete(oldest);
    }
  }
}
