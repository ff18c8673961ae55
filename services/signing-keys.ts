/**
 * Warden's signing keys as a process sees them (the API, and the worker's activities): read from the
 * deployment's signing-keys workflow, opened with the vault, and cached (re-read every few seconds, and
 * at once when a token names a key we do not know yet), so signing and verifying cost no round trip to
 * Temporal.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { isForeign } from '../temporal/payload-origin.js';
import {
  openSigningKeyRing,
  publicJwks,
  type SealedSigningKeyRing,
  type SigningKey,
  type SigningKeyRing,
} from '../tokens/signing-keys.js';
import { trustAnchorOf, type TrustAnchor } from '../tokens/statements.js';
import type { KeyRing } from '../vault/envelope.js';
import { getSigningKeysQuery, signingKeysWorkflowId, signingKeysWorkflow } from '../workflows/signing-keys.js';

const REFRESH_MS = 5_000;
const MIN_FORCED_REFRESH_MS = 1_000;

export class SigningKeys {
  private ring: SigningKeyRing | null = null;
  private loadedAt = 0;
  private loading: Promise<SigningKeyRing> | null = null;
  private readonly workflowId: string;

  constructor(
    private readonly client: Client,
    private readonly options: { taskQueue: string; rotationIntervalMs: number; issuer: string; vault: KeyRing },
  ) {
    this.workflowId = signingKeysWorkflowId(options.taskQueue);
  }

  get issuer(): string {
    return this.options.issuer;
  }

  get signingKeysWorkflowId(): string {
    return this.workflowId;
  }

  /** Starts the signing-keys workflow unless it runs already (safe from any number of processes). */
  async ensureStarted(): Promise<void> {
    await this.client.workflow.start(signingKeysWorkflow, {
      workflowId: this.workflowId,
      taskQueue: this.options.taskQueue,
      args: [{ ring: null, issuer: this.options.issuer, rotationIntervalMs: this.options.rotationIntervalMs }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: "Warden's token signing keys",
      staticDetails:
        'Holds the previous, current and next ES256 keys and rotates them on a durable timer. The JWKS publishes all three.',
    });
  }

  private async load(): Promise<SigningKeyRing> {
    this.loading ??= (async () => {
      try {
        for (let attempt = 0; ; attempt++) {
          let sealed: SealedSigningKeyRing | null = null;
          try {
            sealed = await this.client.workflow.getHandle(this.workflowId).query(getSigningKeysQuery);
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
            await this.ensureStarted();
          }
          if (isForeign(sealed)) throw new Error("the signing keys did not come from Warden's workflow");
          if (sealed) {
            const ring = openSigningKeyRing(this.options.vault, sealed);
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
    return Math.min(REFRESH_MS, Math.max(100, this.options.rotationIntervalMs / 4));
  }

  async get(): Promise<SigningKeyRing> {
    const age = this.ring ? Date.now() - this.loadedAt : Infinity;
    if (age < this.refreshMs) return this.ring!;
    // Slightly old: still good (a rotation since leaves our current key published as the previous one),
    // so answer with it while the re-read runs, rather than make this request wait on a query.
    if (age < 2 * this.refreshMs) {
      this.load().catch((err) =>
        console.warn(`signing keys not re-read (the cached ring is used meanwhile): ${(err as Error).message}`),
      );
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
    const inRing = (ring: SigningKeyRing) =>
      [ring.current, ring.next, ring.previous].find((k) => k?.kid === kid) ?? null;
    const key = inRing(await this.get());
    if (key || Date.now() - this.loadedAt <= MIN_FORCED_REFRESH_MS) return key;
    return inRing(await this.load());
  }

  /** The published JWKS; `kid` unknown to our cached ring triggers one re-read (rate-limited). */
  async jwks(kid?: string): Promise<{ keys: ReturnType<typeof publicJwks>['keys'] }> {
    let ring = await this.get();
    if (kid && !publicJwks(ring).keys.some((k) => k.kid === kid) && Date.now() - this.loadedAt > MIN_FORCED_REFRESH_MS)
      ring = await this.load();
    return publicJwks(ring);
  }

  /** What workflows are given to verify statements with: the issuer and the ring's public keys. */
  async anchor(): Promise<TrustAnchor> {
    return trustAnchorOf(await this.get(), this.options.issuer);
  }

  /** Forgets the cached ring: the next use reads it again (after a rotation). */
  invalidate(): void {
    this.loadedAt = 0;
  }
}
