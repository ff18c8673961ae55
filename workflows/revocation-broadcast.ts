/**
 * The deployment's revocation broadcast, as one workflow (`warden-revocations:<task queue>`): how an API
 * process that contained an agent, or changed its access, tells every other API process at once — instead
 * of each learning it from visibility within its revocation bound.
 *
 *   an API process → announceRevocation (a Signal: agent, kind, instant) → numbered, kept
 *   every API process ← awaitRevocations (an Update held open until a notice past its cursor arrives,
 *                       or empty after a while: a long-poll) ← the notices past its cursor
 *
 * Each long-poll also names where its process takes pushed notices (api/services/revocation-push.ts), and
 * each answer lists every subscriber heard from within a minute: an announcing process pushes its notice
 * straight to those, ahead of this workflow's answer, which still delivers it to any process a push missed.
 *
 * Only Warden's processes may announce or subscribe (the locked codec: anything else is dropped, and said
 * so). A notice only ever makes an API process stricter — refuse the agent's earlier tokens, read its view
 * again — or undoes only what a notice foresaw (`cleared`), so a subscriber that misses one, or the
 * broadcast being down, costs time (each process falls back to its bound), never a token accepted after its
 * revocation was confirmed. The last notices are kept; a cursor
 * older than them, or from another epoch (the workflow was started afresh), is told it has a gap.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineSignal,
  defineUpdate,
  setCurrentDetails,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { isValidAgentId } from '../domain/agents.js';
import { isRevocationPushUrl } from '../domain/revocation-push-url.js';
import { ErrorCode } from '../domain/errors.js';
import { isForeign } from '../temporal/payload-origin.js';
import { reportRefusedSignal } from './trust.js';

/** One broadcast per Warden deployment (namespace + task queue). */
export const revocationBroadcastWorkflowId = (taskQueue: string) => `warden-revocations:${taskQueue}`;

/**
 * What changed: `contained` — every token the agent was issued up to `at` is dead, and the agent is
 * suspended until its workflow shows the containment; `containing` — the same, foreseen by the API process
 * that scored the request, while the action's workflow decides (held until its decision, which is announced
 * as `contained` or `cleared`, and lapses without it); `cleared` — the workflow did not contain on the
 * containment foreseen at `at`; `changed` — its access changed at `at` (suspended, logged out, a token
 * revoked, tools changed): read its view again.
 */
export type RevocationKind = 'contained' | 'containing' | 'cleared' | 'changed';
export interface RevocationNotice {
  agentId: string;
  kind: RevocationKind;
  /** ISO instant. */
  at: string;
}
export interface NumberedNotice extends RevocationNotice {
  seq: number;
}
interface SeenSubscriber extends RevocationSubscriber {
  /** Workflow time of its latest call. */
  seenAt: number;
}

export interface RevocationCursor {
  epoch: string;
  seq: number;
}
/** An API process on the broadcast, and where it takes notices pushed to it straight from another process. */
export interface RevocationSubscriber {
  /** Random per process start. */
  id: string;
  /** The process's own address for pushed notices (api/services/revocation-push.ts), not a load balancer's. */
  pushUrl: string;
}
export interface AwaitRevocationsRequest {
  /** Where the subscriber is; null on its first call (it gets the current cursor, no notices). */
  cursor: RevocationCursor | null;
  /** How long to hold the call open when nothing is new (capped at MAX_WAIT_MS). */
  waitMs: number;
  /** Who asks, for the other subscribers to push to; a subscriber that takes no pushes leaves it out. */
  subscriber?: RevocationSubscriber;
}
export interface RevocationBatch {
  cursor: RevocationCursor;
  notices: NumberedNotice[];
  /** Notices were missed (the cursor is older than what is kept, or of another epoch): drop every view. */
  gap: boolean;
  /** The subscribers that asked within SUBSCRIBER_TTL_MS, the one asking included. */
  subscribers: RevocationSubscriber[];
}

export interface RevocationBroadcastArgs {
  epoch?: string;
  seq?: number;
  kept?: NumberedNotice[];
  subscribers?: SeenSubscriber[];
  /** Roll over after this many history events (tests set it low). */
  continueAsNewAfterEvents?: number;
}

export const announceRevocationSignal = defineSignal<[RevocationNotice]>('announceRevocation');
export const awaitRevocationsUpdate = defineUpdate<RevocationBatch, [AwaitRevocationsRequest]>('awaitRevocations');

/** Notices kept for subscribers that fall behind: minutes of containments at any plausible rate. */
export const KEPT_NOTICES = 1_000;
export const MAX_WAIT_MS = 30_000;
/** A subscriber asks again at least every MAX_WAIT_MS while it runs: one not heard from for twice that is gone. */
export const SUBSCRIBER_TTL_MS = 2 * MAX_WAIT_MS;
/** Subscribers kept at most (API processes of one deployment). */
const MAX_SUBSCRIBERS = 256;
const HISTORY_EVENTS = 4_000;
/** How far ahead of the workflow's clock a notice's instant may be (clock skew between processes). */
const FUTURE_TOLERANCE_MS = 60_000;

const KINDS: readonly RevocationKind[] = ['contained', 'containing', 'cleared', 'changed'];

function validSubscriber(s: unknown): s is RevocationSubscriber {
  if (typeof s !== 'object' || s === null) return false;
  const { id, pushUrl } = s as RevocationSubscriber;
  return typeof id === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(id) && isRevocationPushUrl(pushUrl);
}

/** A notice as Warden announces it: an agent, a kind, and an instant not ahead of this clock by more than a minute. */
export function isRevocationNotice(n: RevocationNotice): boolean {
  if (typeof n !== 'object' || n === null) return false;
  const at = typeof n.at === 'string' ? Date.parse(n.at) : NaN;
  return (
    typeof n.agentId === 'string' &&
    isValidAgentId(n.agentId) &&
    KINDS.includes(n.kind) &&
    Number.isFinite(at) &&
    at <= Date.now() + FUTURE_TOLERANCE_MS
  );
}

export async function revocationBroadcastWorkflow(args: RevocationBroadcastArgs): Promise<void> {
  const epoch = args.epoch ?? uuid4();
  let seq = args.seq ?? 0;
  const kept: NumberedNotice[] = [...(args.kept ?? [])];
  const cap = args.continueAsNewAfterEvents ?? HISTORY_EVENTS;
  let rollingOver = false;
  const subscribers = new Map((args.subscribers ?? []).map((s) => [s.id, s]));
  /** Counts arrivals (a new subscriber, or a new address): every held call answers, so all learn of it. */
  let arrivals = 0;
  const seen = (subscriber: RevocationSubscriber | undefined) => {
    if (!subscriber) return;
    current(); // the gone ones first: they hold no place
    const { id, pushUrl } = subscriber;
    // A new address wakes every held call, so each subscriber learns of it now; past the cap no one is woken
    // (the oldest goes and would come back as new at once, waking all, again and again).
    const known = subscribers.get(id);
    if (known ? known.pushUrl !== pushUrl : subscribers.size < MAX_SUBSCRIBERS) arrivals++;
    subscribers.delete(id);
    subscribers.set(id, { id, pushUrl, seenAt: Date.now() });
    for (const [oldest] of subscribers) {
      if (subscribers.size <= MAX_SUBSCRIBERS) break;
      subscribers.delete(oldest);
    }
  };
  const current = (): SeenSubscriber[] => {
    for (const [id, s] of subscribers) if (Date.now() - s.seenAt > SUBSCRIBER_TTL_MS) subscribers.delete(id);
    return [...subscribers.values()];
  };

  setHandler(announceRevocationSignal, (notice) => {
    if (isForeign(notice) || !isRevocationNotice(notice)) {
      reportRefusedSignal(
        'announceRevocation',
        `Refused: an announceRevocation signal ${isForeign(notice) ? "that is not Warden's" : 'that is malformed'} was dropped.`,
        null,
      );
      return;
    }
    const { agentId, kind, at } = notice;
    kept.push({ agentId, kind, at, seq: ++seq });
    if (kept.length > KEPT_NOTICES) kept.splice(0, kept.length - KEPT_NOTICES);
  });

  const batchFor = (cursor: RevocationCursor | null): RevocationBatch => {
    const now = { epoch, seq };
    const subscribers = current().map(({ id, pushUrl }) => ({ id, pushUrl }));
    if (cursor === null) return { cursor: now, notices: [], gap: false, subscribers };
    if (cursor.epoch !== epoch || cursor.seq > seq) return { cursor: now, notices: [], gap: true, subscribers };
    const oldest = kept[0]?.seq ?? seq + 1;
    const gap = cursor.seq < oldest - 1;
    return { cursor: now, notices: kept.filter((n) => n.seq > cursor.seq), gap, subscribers };
  };

  setHandler(
    awaitRevocationsUpdate,
    async ({ cursor, waitMs, subscriber }) => {
      seen(subscriber);
      const arrived = arrivals;
      const fresh = () =>
        rollingOver || cursor === null || cursor.epoch !== epoch || seq !== cursor.seq || arrivals !== arrived;
      await condition(fresh, Math.min(Math.max(0, waitMs), MAX_WAIT_MS));
      return batchFor(cursor);
    },
    {
      validator: (request) => {
        const ok =
          !isForeign(request) &&
          typeof request === 'object' &&
          request !== null &&
          Number.isFinite(request.waitMs) &&
          (request.cursor === null ||
            (typeof request.cursor === 'object' &&
              typeof request.cursor.epoch === 'string' &&
              Number.isSafeInteger(request.cursor.seq))) &&
          (request.subscriber === undefined || validSubscriber(request.subscriber));
        if (!ok)
          throw ApplicationFailure.create({
            type: ErrorCode.BAD_USER_INPUT,
            message: "awaitRevocations takes Warden's own { cursor, waitMs, subscriber? }.",
            nonRetryable: true,
          });
      },
    },
  );

  // Nothing to do but keep the notices; roll over before the history grows long, answering every held call
  // first (each subscriber calls again, and reaches the next run with the same epoch and numbering).
  for (;;) {
    setCurrentDetails(`${seq} notices announced · ${kept.length} kept · epoch ${epoch}`);
    const before = seq;
    await condition(
      () => seq !== before || workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= cap,
    );
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= cap) break;
  }
  rollingOver = true;
  await condition(allHandlersFinished);
  await continueAsNew<typeof revocationBroadcastWorkflow>({ ...args, epoch, seq, kept, subscribers: current() });
}
