/**
 * Key rings from configuration: the vault's key-encryption keys (WARDEN_VAULT_KEYS) and the payload
 * codec's keys (WARDEN_CODEC_KEYS). In development, missing rings are generated once into the data
 * folder (mode 0600) so every process on the machine shares them; production refuses to start without.
 */
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { createPayloadCodec, wardenDataConverter } from './payload-codec.js';
import { keyRingFromEnv, type KeyRing } from './envelope.js';
import type { WardenConfig } from '../config/config.js';

export function vaultKeyRing(config: WardenConfig): KeyRing {
  return keyRingFromEnv(
    config.credentials.vaultKeys,
    path.join(config.dataDir, 'keys', 'vault-keys.json'),
    config.production,
    'WARDEN_VAULT_KEYS',
  );
}

export function codecKeyRing(config: WardenConfig): KeyRing {
  return keyRingFromEnv(
    config.credentials.codecKeys,
    path.join(config.dataDir, 'keys', 'codec-keys.json'),
    config.production,
    'WARDEN_CODEC_KEYS',
  );
}

/** The data converter every Warden client and worker uses: every payload encrypted. */
export function dataConverterFor(config: WardenConfig): DataConverter {
  return wardenDataConverter(createPayloadCodec(codecKeyRing(config)));
}
