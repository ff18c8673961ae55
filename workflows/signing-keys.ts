/**
 * Warden's own token-signing keys, as one entity workflow (`warden-signing-keys:<task queue>`): the ring holds the
 * previous, current and next ES256 keys. On a durable timer the ring rotates — next becomes current,
 * current becomes previous (still published, so tokens it signed verify until they expire), and a fresh
 * next is generated. The JWKS publishes all three, so verifiers learn a key before it signs anything.
 * Private keys are sealed by the vault before they reach this workflow: its history, decoded or not,
 * never shows one.
 */
import {
  continueAsNew,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  condition,
  allHandlersFinished,
  workflowInfo,
  ApplicationFailure,
} from '@temporalio/workflow';
import type { WardenActivities } from '../activities/index.js';
import { refusalFor, SIGNING_KEY_COMMANDS } from '../domain/authority.js';
import { ErrorCode } from '../domain/errors.js';
import type { SealedSigningKeyRing } from '../tokens/signing-keys.js';
import { trustAnchorOf, type Signed } from '../tokens/statements.js';
import { CommandGate, fromWarden, type RememberedStatement } from './trust.js';

/** One signing-key ring per Warden deployment (namespace + task queue). */
export const signingKeysWorkflowId = (taskQueue: string) => `warden-signing-keys:${taskQueue}`;

export interface SigningKeysArgs {
  ring: SealedSigningKeyRing | null;
  /** Warden's issuer: statements asking for a rotation must name it. */
  issuer: string;
  /** How long a key is current. Tokens live minutes, so a day is plenty; tests use seconds. */
  rotationIntervalMs: number;
  /** When the current key became current (carried across continue-as-new so timers keep their place). */
  rotatedAt?: number;
  rotations?: number;
  usedStatements?: RememberedStatement[];
}

export const getSigningKeysQuery = defineQuery<SealedSigningKeyRing | null>('getSigningKeys');
/** Rotates now (an admin, or Warden itself); the request is empty, the statement says who. */
export const rotateSigningKeysUpdate = defineUpdate<SealedSigningKeyRing, [Signed<Record<string, never>>]>(
  'rotateSigningKeys',
);

const { generateSigningKey } = proxyActivities<WardenActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function signingKeysWorkflow(input: SigningKeysArgs): Promise<void> {
  const args = fromWarden(input, 'the signing keys workflow input', { operation: 'signingKeysWorkflow' });
  // Not checked against the task queue's name: the SDK's replayer runs a history on a task queue of its own.
  if (!workflowInfo().workflowId.startsWith(signingKeysWorkflowId(''))) {
    throw ApplicationFailure.create({
      type: ErrorCode.BAD_USER_INPUT,
      message: 'This is not a signing-keys workflow.',
      nonRetryable: true,
    });
  }
  let ring = args.ring;
  let rotatedAt = args.rotatedAt ?? Date.now();
  let rotations = args.rotations ?? 0;
  let rotating = false;
  // Its own keys are the anchor: a rotation must be asked for with a statement one of them signed.
  let gate: CommandGate | null = null;
  const anchorNow = () => {
    gate = new CommandGate(trustAnchorOf(ring!, args.issuer), gate?.state.used ?? args.usedStatements ?? []);
  };

  const describe = () =>
    setCurrentDetails(
      ring
        ? `current key **${ring.current.kid}** since ${new Date(rotatedAt).toISOString()} · next ${ring.next.kid} · previous ${ring.previous?.kid ?? '—'} · ${rotations} rotations`
        : 'generating the first keys',
    );

  const rotate = async () => {
    // One rotation at a time: a forced rotation racing the timer must not skip a key.
    await condition(() => !rotating);
    rotating = true;
    try {
      const fresh = await generateSigningKey();
      ring = { previous: ring!.current, current: ring!.next, next: fresh };
      rotatedAt = Date.now();
      rotations++;
      anchorNow();
      describe();
      return ring;
    } finally {
      rotating = false;
    }
  };

  setHandler(getSigningKeysQuery, () => ring);
  setHandler(
    rotateSigningKeysUpdate,
    async (command) => {
      gate!.accept(command, 'rotateSigningKeys');
      return rotate();
    },
    {
      validator: (command) => {
        if (!gate)
          throw ApplicationFailure.create({
            type: ErrorCode.CONFLICT,
            message: 'The first signing keys are still being generated; rotate later.',
            nonRetryable: true,
          });
        const { by } = gate.verify(command, 'rotateSigningKeys');
        const refusal = refusalFor(SIGNING_KEY_COMMANDS.rotateSigningKeys, by);
        if (refusal) gate.forbid('rotateSigningKeys', by, refusal);
      },
    },
  );

  if (!ring) {
    const [current, next] = [await generateSigningKey(), await generateSigningKey()];
    ring = { previous: null, current, next };
    rotatedAt = Date.now();
  }
  anchorNow();
  describe();

  while (!workflowInfo().continueAsNewSuggested && workflowInfo().historyLength < 2_000) {
    const due = rotatedAt + args.rotationIntervalMs - Date.now();
    if (due > 0) {
      // Wake early if a forced rotation moved the schedule.
      const before = rotatedAt;
      await condition(() => rotatedAt !== before, due);
      continue;
    }
    await rotate();
  }
  await condition(() => !rotating && allHandlersFinished());
  await continueAsNew<typeof signingKeysWorkflow>({
    ...args,
    ring,
    rotatedAt,
    rotations,
    usedStatements: gate!.state.used,
  });
}
