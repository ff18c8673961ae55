/**
 * Warden's signing keys as a process sees them (the API, and the worker's grant-minting activities): read
 * from the deployment's signing-keys workflow and cached (re-read every few seconds, and at once when a
 * token names a key we do not know yet), so signing and verifying cost no round trip to Temporal.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { publicJwks, type SigningKey, type SigningKeyRing } from '../../tokens/signing-keys.js';
import { getSigningKeysQuery, rotateSigningKeysUpdate, signingKeysWorkflowId, signingKeysWorkflow } from '../../workflows/signing-keys.js';

const REFRESH_MS = 5_000;
const MIN_FORCED_REFRESH_MS = 1_000;

export class SigningKeys {
  private ring: SigningKeyRing | null = null;
  private loadedAt = 0;
  private loading: Promise<SigningKeyRing> | null = null;
  private readonly workflowId: string;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly rotationIntervalMs: number,
  ) {
    this.workflowId = signingKeysWorkflowId(taskQueue);
  }

  /** Starts the signing-keys workflow unless it runs already (safe from any number of processes). */
  async ensureStarted(): Promise<void> {
    await this.client.workflow.start(signingKeysWorkflow, {
      workflowId: this.workflowId,
      taskQueue: this.taskQueue,
      args: [{ ring: null, rotationIntervalMs: this.rotationIntervalMs }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: "Warden's token signing keys",
      staticDetails: 'Holds the previous, current and next ES256 keys and rotates them on a durable timer. The JWKS publishes all three.',
    });
  }

  private async load(): Promise<SigningKeyRing> {
    this.loading ??= (async () => {
      try {
        for (let attempt = 0; ; attempt++) {
          let ring: SigningKeyRing | null = null;
          try {
            ring = await this.client.workflow.getHandle(this.workflowId).query(getSigningKeysQuery);
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
            await this.ensureStarted();
          }
          if (ring) {
            this.ring = ring;
            this.loadedAt = Date.now();
            return ring;
          }
          // The first keys are still being generated.
          if (attempt > 100) throw new Error('signing keys did not become ready');
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** Re-read well within a rotation period, so we never sign with a key that is no longer published. */
  private get refreshMs(): number {
    return Math.min(REFRESH_MS, Math.max(100, this.rotationIntervalMs / 4));
  }

  async get(): Promise<SigningKeyRing> {
    const age = this.ring ? Date.now() - this.loadedAt : Infinity;
    if (age < this.refreshMs) return this.ring!;
    // Slightly old: still good (a rotation since leaves our current key published as the previous one),
    // so answer with it while the re-read runs, rather than make this request wait on a query.
    if (age < 2 * this.refreshMs) {
      this.load().catch((err) => console.warn(`signing keys not re-read (the cached ring is used meanwhile): ${(err as Error).message}`));
      return this.ring!;
    }
    return this.load();
  }

  /** The key to sign with now. */
  async current(): Promise<SigningKey> {
    return (await this.get()).current;
  }

  /**
   * The ring's key with this kid (current, next or previous), re-reading the ring once (rate-limited) when
   * it is unknown here; null once it has left the ring.
   */
  async byKid(kid: string): Promise<SigningKey | null> {
    const inRing = (ring: SigningKeyRing) => [ring.current, ring.next, ring.previous].find((k) => k?.kid === kid) ?? null;
    const key = inRing(await this.get());
    if (key || Date.now() - this.loadedAt <= MIN_FORCED_REFRESH_MS) return key;
    return inRing(await this.load());
  }

  /** The published JWKS; `kid` unknown to our cached ring triggers one re-read (rate-limited). */
  async jwks(kid?: string): Promise<{ keys: ReturnType<typeof publicJwks>['keys'] }> {
    let ring = await this.get();
    if (kid && !publicJwks(ring).keys.some((k) => k.kid === kid) && Date.now() - this.loadedAt > MIN_FORCED_REFRESH_MS) ring = await this.load();
    return publicJwks(ring);
  }

  async rotate(): Promise<SigningKeyRing> {
    const ring = await this.client.workflow.getHandle(this.workflowId).executeUpdate(rotateSigningKeysUpdate);
    this.ring = ring;
    this.loadedAt = Date.now();
    return ring;
  }
}
