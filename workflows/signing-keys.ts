/**
 * Warden's own token-signing keys, as one entity workflow (`warden-signing-keys:<task queue>`): the ring holds the
 * previous, current and next ES256 keys. On a durable timer the ring rotates — next becomes current,
 * current becomes previous (still published, so tokens it signed verify until they expire), and a fresh
 * next is generated. The JWKS publishes all three, so verifiers learn a key before it signs anything.
 * Private keys live only in this workflow's state, which the payload codec encrypts.
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
} from '@temporalio/workflow';
import type { WardenActivities } from '../activities/index.js';
import type { SigningKeyRing } from '../tokens/signing-keys.js';

/** One signing-key ring per Warden deployment (namespace + task queue). */
export const signingKeysWorkflowId = (taskQueue: string) => `warden-signing-keys:${taskQueue}`;

export interface SigningKeysArgs {
  ring: SigningKeyRing | null;
  /** How long a key is current. Tokens live minutes, so a day is plenty; tests use seconds. */
  rotationIntervalMs: number;
  /** When the current key became current (carried across continue-as-new so timers keep their place). */
  rotatedAt?: number;
  rotations?: number;
}

export const getSigningKeysQuery = defineQuery<SigningKeyRing | null>('getSigningKeys');
export const rotateSigningKeysUpdate = defineUpdate<SigningKeyRing, []>('rotateSigningKeys');

const { generateSigningKey } = proxyActivities<WardenActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function signingKeysWorkflow(args: SigningKeysArgs): Promise<void> {
  let ring = args.ring;
  let rotatedAt = args.rotatedAt ?? Date.now();
  let rotations = args.rotations ?? 0;
  let rotating = false;

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
      describe();
      return ring;
    } finally {
      rotating = false;
    }
  };

  setHandler(getSigningKeysQuery, () => ring);
  setHandler(rotateSigningKeysUpdate, rotate, {
    validator: () => {
      if (!ring) throw new Error('The first signing keys are still being generated; rotate later.');
    },
  });

  if (!ring) {
    const [current, next] = [await generateSigningKey(), await generateSigningKey()];
    ring = { previous: null, current, next };
    rotatedAt = Date.now();
  }
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
  await continueAsNew<typeof signingKeysWorkflow>({ ...args, ring, rotatedAt, rotations });
}
