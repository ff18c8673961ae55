/**
 * The vault rotation contract, client side. A tool's rotation endpoint (documented in docs/operations.md):
 *   POST   {rotationUrl}        Authorization: Bearer <current secret>, Idempotency-Key: <key>
 *          → 200/201 {"id": "...", "secret": "..."}   (the same key returns the same secret)
 *   DELETE {rotationUrl}/{id}   Authorization: Bearer <current secret>  → 200/204 (404 = already gone)
 * Secrets are opened only here, in memory, and sealed again before they return to the workflow.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { toolSecretAad, type VaultedSecretRef } from '../domain/tools.js';
import { openSecret, sealSecret, type KeyRing, type SealedSecret } from '../vault/envelope.js';
import { failpoint } from '../temporal/failpoints.js';

const TIMEOUT_MS = 10_000;

export function createVaultActivities(deps: { vault: KeyRing }) {
  const open = (tool: string, ref: VaultedSecretRef) =>
    openSecret(deps.vault, ref.sealed as SealedSecret, toolSecretAad(tool));

  return {
    async rotateUpstreamSecret(input: {
      tool: string;
      rotationUrl: string;
      current: VaultedSecretRef;
      idempotencyKey: string;
    }): Promise<VaultedSecretRef> {
      const res = await fetch(input.rotationUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${open(input.tool, input.current)}`,
          'idempotency-key': input.idempotencyKey,
          accept: 'application/json',
        },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        throw ApplicationFailure.nonRetryable(`the rotation endpoint refused: HTTP ${res.status}`, 'RotationRefused');
      }
      if (!res.ok) throw new Error(`the rotation endpoint answered HTTP ${res.status}`);
      const body = (await res.json().catch(() => null)) as { id?: unknown; secret?: unknown } | null;
      if (!body || typeof body.id !== 'string' || typeof body.secret !== 'string' || !body.id || !body.secret) {
        throw ApplicationFailure.nonRetryable(
          'the rotation endpoint did not answer {"id", "secret"}',
          'RotationMalformed',
        );
      }
      failpoint('vault.rotation.upstream-called');
      return {
        id: body.id,
        sealed: sealSecret(deps.vault, body.secret, toolSecretAad(input.tool)),
        createdAt: new Date().toISOString(),
      };
    },

    async revokeUpstreamSecret(input: {
      tool: string;
      rotationUrl: string;
      revoke: VaultedSecretRef;
      current: VaultedSecretRef;
    }): Promise<void> {
      const res = await fetch(`${input.rotationUrl.replace(/\/$/, '')}/${encodeURIComponent(input.revoke.id)}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${open(input.tool, input.current)}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (res.ok || res.status === 404) return;
      throw new Error(`revoking secret ${input.revoke.id} failed: HTTP ${res.status}`);
    },
  };
}
