/**
 * How a workflow decides whom to believe (the security model's "workflows trust proof, not payloads").
 *
 * - Facts only Warden's processes report (a verified client assertion, a routine request to score, a
 *   sighting, an audit batch, a learned action, its start input) must arrive encrypted by Warden's own
 *   codec: `fromWarden` refuses a ForeignPayload — anything sent unencrypted, or encoded by the codec
 *   server for a person.
 * - A command by someone (approve, suspend, transfer, …) must carry a signed statement: `CommandGate`
 *   verifies it in the Update's validator against the trust anchor this workflow holds, and the handler
 *   records its `jti`, so a statement works once. The payload may come from the codec server (a person
 *   using the Temporal UI or CLI), never unencrypted.
 *
 * Refusals are ApplicationFailures with a stable type: UNAUTHENTICATED (no or bad proof),
 * STATEMENT_KEY_UNKNOWN (signed with a key this workflow does not hold yet: its sender hands it the
 * current anchor and tries again), FORBIDDEN (a valid statement, but not enough authority).
 */
import {
  ApplicationFailure,
  defineUpdate,
  proxySinks,
  setHandler,
  workflowInfo,
  type Sinks,
} from '@temporalio/workflow';
import { ErrorCode } from '../domain/errors.js';
import { describeOrigin, FOREIGN_KEY, foreignOrigin, isForeign } from '../temporal/payload-origin.js';
import {
  principalOf,
  statementClaims,
  StatementError,
  verifyStatement,
  type Signed,
  type StatementClaims,
  type TrustAnchor,
} from '../tokens/statements.js';
import type { StatementPrincipal } from '../domain/authority.js';

/** The failure type of a statement signed with a key the workflow does not hold yet. */
export const STATEMENT_KEY_UNKNOWN = 'STATEMENT_KEY_UNKNOWN';

const MAX_REMEMBERED_STATEMENTS = 2_000;

/** A refused command or message, for the audit trail (validators cannot do I/O: a sink reports it). */
export interface CommandRefusal {
  /** The Update, Signal or start refused. */
  operation: string;
  code: string;
  message: string;
  /** The agent concerned, when the workflow is about one. */
  agentId: string | null;
  /** Who the sender claimed to be, unverified (a statement's subject that failed to verify), if anyone. */
  claimed: string | null;
}

export interface RefusalSinks extends Sinks {
  refusals: { refused(refusal: CommandRefusal): void };
}

const { refusals } = proxySinks<RefusalSinks>();

/** Where a refusal happened: which operation, about which agent. */
export interface RefusalContext {
  operation: string;
  agentId?: string | null;
  claimed?: string | null;
}

function refuse(type: string, message: string, audit?: RefusalContext): never {
  // An unknown key is the anchor-refresh protocol at work, not an attack: it is not audited.
  if (audit && type !== STATEMENT_KEY_UNKNOWN)
    refusals.refused({
      operation: audit.operation,
      code: type,
      message,
      agentId: audit.agentId ?? null,
      claimed: audit.claimed ?? null,
    });
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/**
 * The value itself, if one of Warden's processes sent it; otherwise a refusal naming what it is (and an
 * audit record of it, when `audit` says where).
 */
export function fromWarden<T>(value: T, what: string, audit?: RefusalContext): T {
  if (isForeign(value))
    refuse(
      ErrorCode.UNAUTHENTICATED,
      `Refused: ${what} ${describeOrigin(foreignOrigin(value))}; only Warden's own processes may send it.`,
      audit,
    );
  return value;
}

/** Reports a dropped signal (a signal has no validator to refuse with). */
export function reportRefusedSignal(operation: string, message: string, agentId: string | null): void {
  refusals.refused({ operation, code: ErrorCode.UNAUTHENTICATED, message, agentId, claimed: null });
}

/** The value of a command argument: Warden's, or a person's through the codec server; never unencrypted. */
function commandArgument(value: unknown, what: string, audit: RefusalContext): unknown {
  if (!isForeign(value)) return value;
  const origin = foreignOrigin(value);
  if (origin === 'operator') return value[FOREIGN_KEY].value;
  refuse(
    ErrorCode.UNAUTHENTICATED,
    `Refused: ${what} ${describeOrigin(origin)}. Send it through Warden's API, or through the codec server (--codec-endpoint) with a signed statement.`,
    audit,
  );
}

function signedOf<T>(value: unknown, what: string, audit: RefusalContext): Signed<T> {
  const arg = commandArgument(value, what, audit);
  if (
    typeof arg !== 'object' ||
    arg === null ||
    Array.isArray(arg) ||
    !('request' in arg) ||
    typeof (arg as { proof?: unknown }).proof !== 'string'
  ) {
    refuse(
      ErrorCode.UNAUTHENTICATED,
      `Refused: ${what} must be {"request": …, "proof": "<signed statement>"}; get a statement from Warden's API (npm run approve, or the GraphQL mutation).`,
      audit,
    );
  }
  return arg as Signed<T>;
}

/** The subject a statement claims, unverified: for the audit record of a refusal only. */
function claimedSubject(proof: string): string | null {
  try {
    const sub = statementClaims(proof).sub;
    return typeof sub === 'string' ? sub.slice(0, 254) : null;
  } catch {
    return null;
  }
}

export interface RememberedStatement {
  jti: string;
  exp: number;
}

export interface VerifiedCommand<T> {
  request: T;
  by: StatementPrincipal;
  claims: StatementClaims;
}

/**
 * One per workflow run: holds the trust anchor and the statements already used, both carried across
 * continue-as-new.
 */
export class CommandGate {
  private used: RememberedStatement[];
  private readonly usedIds: Set<string>;

  constructor(
    private anchor: TrustAnchor,
    used: RememberedStatement[] = [],
    /** The agent this workflow is about, for the audit records of refusals. */
    private readonly agentId: string | null = null,
  ) {
    this.used = [...used];
    this.usedIds = new Set(this.used.map((s) => s.jti));
  }

  /** For continue-as-new. */
  get state(): { anchor: TrustAnchor; used: RememberedStatement[] } {
    return { anchor: this.anchor, used: this.prune() };
  }

  /**
   * In a validator: the command's request and who made it, or a refusal. Changes nothing (validators
   * must not); `accept` in the handler records the statement.
   */
  verify<T>(arg: unknown, command: string): VerifiedCommand<T> {
    const audit: RefusalContext = { operation: command, agentId: this.agentId };
    const signed = signedOf<T>(arg, `the ${command} command`, audit);
    let claims: StatementClaims;
    try {
      claims = verifyStatement(signed.proof, this.anchor, {
        workflowId: workflowInfo().workflowId,
        command,
        request: signed.request,
        now: Math.floor(Date.now() / 1000),
      });
    } catch (err) {
      if (!(err instanceof StatementError)) throw err;
      refuse(
        err.code === 'statement_key_unknown' ? STATEMENT_KEY_UNKNOWN : ErrorCode.UNAUTHENTICATED,
        `Refused: ${err.message}`,
        { ...audit, claimed: claimedSubject(signed.proof) },
      );
    }
    if (this.usedIds.has(claims.jti))
      refuse(ErrorCode.UNAUTHENTICATED, 'Refused: this signed statement was already used (replayed).', {
        ...audit,
        claimed: claims.sub,
      });
    return { request: signed.request, by: principalOf(claims), claims };
  }

  /** Refuses a verified principal without the authority a command needs (and says so in the audit trail). */
  forbid(command: string, by: StatementPrincipal, message: string): never {
    refuse(ErrorCode.FORBIDDEN, message, { operation: command, agentId: this.agentId, claimed: by.id });
  }

  /**
   * In the handler: the verified command, its statement now used. Runs synchronously before anything
   * else in the handler, so two deliveries of one statement cannot both pass. (On replay the validator
   * does not run; the history holds only what it accepted.)
   */
  accept<T>(arg: unknown, command: string): VerifiedCommand<T> {
    const signed = signedOf<T>(arg, `the ${command} command`, { operation: command, agentId: this.agentId });
    const claims = statementClaims(signed.proof);
    if (this.usedIds.has(claims.jti))
      refuse(ErrorCode.UNAUTHENTICATED, 'Refused: this signed statement was already used (replayed).');
    this.prune();
    if (this.used.length >= MAX_REMEMBERED_STATEMENTS) this.usedIds.delete(this.used.shift()!.jti);
    this.used.push({ jti: claims.jti, exp: claims.exp });
    this.usedIds.add(claims.jti);
    return { request: signed.request, by: principalOf(claims), claims };
  }

  /** A newer anchor (from one of Warden's processes): keys rotate, and this workflow may outlive several. */
  refresh(anchor: TrustAnchor): void {
    this.anchor = anchor;
  }

  private prune(): RememberedStatement[] {
    // A statement that has expired is refused on its expiry alone; it need not be remembered.
    const now = Math.floor(Date.now() / 1000);
    const kept = this.used.filter((s) => s.exp > now);
    if (kept.length !== this.used.length) {
      for (const s of this.used) if (s.exp <= now) this.usedIds.delete(s.jti);
      this.used = kept;
    }
    return this.used;
  }
}

/** Checks a trust anchor's shape (it came from Warden's own process, but a bad one would lock the workflow). */
export function validAnchor(anchor: unknown): anchor is TrustAnchor {
  if (typeof anchor !== 'object' || anchor === null) return false;
  const a = anchor as TrustAnchor;
  return (
    typeof a.issuer === 'string' &&
    a.issuer.length > 0 &&
    Array.isArray(a.keys) &&
    a.keys.length > 0 &&
    a.keys.length <= 8 &&
    a.keys.every(
      (k) =>
        typeof k === 'object' &&
        k !== null &&
        typeof k.kid === 'string' &&
        typeof k.x === 'string' &&
        typeof k.y === 'string',
    )
  );
}

/**
 * Hands a workflow Warden's current trust anchor (keys rotate; an entity workflow may outlive several).
 * Only Warden's processes may send it, and only a well-formed anchor is taken.
 */
export const refreshTrustAnchorUpdate = defineUpdate<void, [TrustAnchor]>('refreshTrustAnchor');

export function handleTrustAnchorRefresh(gate: CommandGate, agentId: string | null = null): void {
  setHandler(refreshTrustAnchorUpdate, (anchor) => gate.refresh(anchor), {
    validator: (anchor) => {
      if (!validAnchor(fromWarden(anchor, 'a trust anchor', { operation: 'refreshTrustAnchor', agentId })))
        refuse(ErrorCode.BAD_USER_INPUT, 'Refused: not a trust anchor.');
    },
  });
}
