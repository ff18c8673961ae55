/**
 * Payload codec that encrypts every payload (AES-256-GCM) before it reaches Temporal, so workflow and
 * activity arguments, results, update arguments and results, query results and memos are unreadable in
 * history and in the Web UI without the codec server. Uses its own key ring (WARDEN_CODEC_KEYS), in the
 * vault's format: the first key encrypts, every key decrypts, so keys rotate without rewriting history.
 *
 * Wire format: metadata `encoding: binary/encrypted` and `encryption-key-id: <kid>`; data is
 * iv(12) | ciphertext | tag(16) of the protobuf-encoded original payload.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
// CJS package: Node's ESM loader only exposes its default export.
import proto from '@temporalio/proto';
import type { KeyRing } from '../vault/envelope.js';

const { temporal } = proto;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const ALG = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type CodecErrorCode = 'codec_unknown_key' | 'codec_tampered' | 'codec_malformed';

/** A payload that cannot be decrypted. Messages name the key id at most, never payload data. */
export class CodecError extends Error {
  override readonly name = 'CodecError';
  constructor(
    readonly code: CodecErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const utf8 = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

function encryptOne(ring: KeyRing, payload: Payload): Payload {
  const { kid, key } = ring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALG, key, iv, { authTagLength: TAG_BYTES });
  const plain = temporal.api.common.v1.Payload.encode(payload).finish();
  const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(kid) },
    data,
  };
}

function decryptOne(ring: KeyRing, payload: Payload): Payload {
  // Payloads written before encryption was switched on stay readable.
  if (utf8(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
  const kid = utf8(payload.metadata?.[KEY_ID_METADATA]);
  if (!kid) throw new CodecError('codec_malformed', `An encrypted payload has no "${KEY_ID_METADATA}" metadata.`);
  const key = ring.keys.get(kid);
  if (!key) throw new CodecError('codec_unknown_key', `A payload is encrypted with key "${kid.slice(0, 64)}", which is not in the codec key ring (WARDEN_CODEC_KEYS).`);
  const data = Buffer.from(payload.data ?? new Uint8Array());
  if (data.length < IV_BYTES + TAG_BYTES) throw new CodecError('codec_malformed', 'An encrypted payload is too short to be valid.');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv(ALG, key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new CodecError('codec_tampered', `An encrypted payload (key "${kid}") failed authentication: it was altered or encrypted with a different key.`);
  }
  try {
    const decoded = temporal.api.common.v1.Payload.decode(plain);
    const { metadata, externalPayloads } = decoded;
    // protobufjs leaves an absent bytes field as its prototype default (a plain array): make it real bytes.
    const inner = decoded.data instanceof Uint8Array ? decoded.data : new Uint8Array(decoded.data ?? []);
    return externalPayloads?.length ? { metadata, data: inner, externalPayloads } : { metadata, data: inner };
  } catch {
    throw new CodecError('codec_malformed', 'A decrypted payload is not a valid Temporal payload.');
  }
}

export function createPayloadCodec(ring: KeyRing): PayloadCodec {
  return {
    async encode(payloads) {
      return payloads.map((p) => encryptOne(ring, p));
    },
    async decode(payloads) {
      return payloads.map((p) => decryptOne(ring, p));
    },
  };
}

/** For `new Client({ dataConverter })` and `Worker.create({ dataConverter })`. */
export function wardenDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec] };
}
