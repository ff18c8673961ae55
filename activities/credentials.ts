/** Key generation: Warden's signing keys and agents' key pairs (randomness belongs in activities). */
import { agentKeyAad, type Jwk } from '../domain/credentials.js';
import { generateAgentKey } from '../tokens/agent-keys.js';
import { generateSigningKey as newSigningKey, sealSigningKey, type SealedSigningKey } from '../tokens/signing-keys.js';
import { sealSecret, type KeyRing } from '../vault/envelope.js';
import { failpoint } from '../temporal/failpoints.js';

export function createCredentialActivities(deps: { vault: KeyRing }) {
  return {
    /** A fresh signing key; its private half leaves this activity only sealed by the vault. */
    async generateSigningKey(): Promise<SealedSigningKey> {
      return sealSigningKey(deps.vault, await newSigningKey(new Date()));
    },

    /** A successor key pair for an agent; the private half leaves this activity only vaulted. */
    async issueAgentKeyPair(agentId: string): Promise<{ kid: string; publicJwk: Jwk; sealedPrivateJwk: unknown }> {
      const key = await generateAgentKey();
      failpoint('credential.rotation.key-issued');
      return {
        kid: key.kid,
        publicJwk: key.publicJwk,
        sealedPrivateJwk: sealSecret(deps.vault, JSON.stringify(key.privateJwk), agentKeyAad(agentId)),
      };
    },
  };
}
