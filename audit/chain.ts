/**
 * Hash-chaining of audit events. Each event carries `wardenseq` (1, 2, 3, …), `wardenprevhash` (the
 * previous event's hash, or GENESIS_HASH) and `wardenhash` = SHA-256 (lowercase hex) of the canonical
 * JSON (./canonical-json.ts, RFC 8785-style) of the whole event without `wardenhash`. Removing, editing,
 * inserting or reordering a record breaks the chain at that point.
 *
 * A plain hash chain is tamper-evident, not tamper-proof: someone who can rewrite the file can also
 * recompute every hash after their edit. Anchor the head ({seq, hash}) somewhere they cannot write —
 * the webhook/SIEM copy, or a Temporal workflow — and pass it as `anchor` to detect that, and a cut tail.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { AuditEventUnchained, ChainedAuditEvent } from './events.js';

export { canonicalJson } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Where a chain ends: the last event's sequence number and hash. */
export interface ChainLink {
  seq: number;
  hash: string;
}

export type ChainProblem = 'edited' | 'missing' | 'reordered' | 'broken-link';

export type ChainVerification = { ok: true } | { ok: false; index: number; problem: ChainProblem };

export interface VerifyOptions {
  /** A head recorded elsewhere: the event with `anchor.seq` must be present with exactly this hash. */
  anchor?: ChainLink;
  /**
   * Check sequence numbers and links only, not each event's content against its hash: for events this
   * process has just chained (the audit writer's batch), whose hashes chain() computed a moment ago.
   */
  linksOnly?: boolean;
}

/** The chain hash of an event (any `wardenhash` on it is ignored). */
export function auditHash(
  event: AuditEventUnchained & { wardenseq: number; wardenprevhash: string; wardenhash?: string },
): string {
  const { wardenhash: _ignored, ...rest } = event;
  return createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
}

function strip(event: AuditEventUnchained | ChainedAuditEvent): AuditEventUnchained {
  const { wardenseq: _s, wardenprevhash: _p, wardenhash: _h, ...rest } = event as ChainedAuditEvent;
  return rest;
}

/** Appends one event after `prev` (null: the first event of a new chain). */
export function chain(prev: ChainLink | null, event: AuditEventUnchained): ChainedAuditEvent {
  const { data, ...envelope } = strip(event);
  const linked = {
    ...envelope,
    wardenseq: prev ? prev.seq + 1 : 1,
    wardenprevhash: prev ? prev.hash : GENESIS_HASH,
    data,
  };
  return { ...linked, wardenhash: auditHash(linked) };
}

/** Chains a batch after `prev`. */
export function chainAll(prev: ChainLink | null, events: readonly AuditEventUnchained[]): ChainedAuditEvent[] {
  const out: ChainedAuditEvent[] = [];
  let link = prev;
  for (const e of events) {
    const c = chain(link, e);
    out.push(c);
    link = linkOf(c);
  }
  return out;
}

export function linkOf(event: ChainedAuditEvent): ChainLink {
  return { seq: event.wardenseq, hash: event.wardenhash };
}

function wellFormed(e: unknown): e is ChainedAuditEvent {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return false;
  const c = e as Partial<ChainedAuditEvent>;
  return (
    Number.isSafeInteger(c.wardenseq) &&
    (c.wardenseq ?? 0) >= 1 &&
    typeof c.wardenprevhash === 'string' &&
    typeof c.wardenhash === 'string' &&
    /^[0-9a-f]{64}$/.test(c.wardenhash)
  );
}

function hashMatches(e: ChainedAuditEvent): boolean {
  try {
    return auditHash(e) === e.wardenhash;
  } catch {
    return false; // not canonicalisable (e.g. a non-finite number): not what was hashed
  }
}

/**
 * Verifies a page of events that should directly follow `prev` (null: the page starts the chain).
 * The first problem wins:
 * - `edited`: the event's content no longer matches its own hash (or is not an audit event at all);
 * - `missing`: a sequence number is skipped (a record removed), or the anchor's record is absent;
 * - `reordered`: an event appears before one that should precede it;
 * - `broken-link`: the sequence continues but the event does not point at its predecessor's hash (a
 *   record replaced or inserted with recomputed hashes), or a sequence number repeats.
 */
export function verifyChainFrom(
  prev: ChainLink | null,
  events: readonly unknown[],
  options: VerifyOptions = {},
): ChainVerification {
  let link: ChainLink = prev ?? { seq: 0, hash: GENESIS_HASH };
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (!wellFormed(e) || (!options.linksOnly && !hashMatches(e))) return { ok: false, index: i, problem: 'edited' };
    const expected = link.seq + 1;
    if (e.wardenseq > expected) {
      const later = events.slice(i + 1).some((x) => wellFormed(x) && x.wardenseq === expected);
      return { ok: false, index: i, problem: later ? 'reordered' : 'missing' };
    }
    if (e.wardenseq < expected || e.wardenprevhash !== link.hash)
      return { ok: false, index: i, problem: 'broken-link' };
    link = linkOf(e);
  }
  const anchor = options.anchor;
  if (anchor) {
    const first = (prev?.seq ?? 0) + 1;
    if (anchor.seq > link.seq) return { ok: false, index: events.length, problem: 'missing' };
    if (anchor.seq >= first) {
      const index = anchor.seq - first;
      const at = events[index] as ChainedAuditEvent;
      if (at.wardenhash !== anchor.hash) return { ok: false, index, problem: 'edited' };
    } else if (anchor.seq === prev?.seq && anchor.hash !== prev.hash) {
      return { ok: false, index: 0, problem: 'broken-link' };
    }
  }
  return { ok: true };
}

/** Verifies a whole chain from its first event. */
export function verifyChain(events: readonly unknown[], options: VerifyOptions = {}): ChainVerification {
  return verifyChainFrom(null, events, options);
}
