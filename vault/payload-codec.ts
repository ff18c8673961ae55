/**
 * Payload codec that encrypts every payload (AES-256-GCM) before it reaches Temporal, so workflow and
 * activity arguments, results, update arguments and results, query results and memos are unreadable in
 * history and in the Web UI without the codec server. Uses its own key ring (WARDEN_CODEC_KEYS), in the
 * vault's format: the first key encrypts, every key decrypts, so keys rotate without rewriting history.
 *
 * The encryption is also Warden's proof of where a payload came from. Warden's own processes encrypt as
 * `warden`; the codec server, encoding for a person in the Temporal UI or CLI, encrypts as `operator`
 * (the origin is authenticated: it is the AES-GCM associated data). A decoding worker or client never
 * throws on a payload it cannot trust — a Temporal task that fails to decode would be retried forever —
 * it hands it on wrapped as a foreign payload (./payload-origin.ts: operator, unencrypted, undecryptable),
 * which workflow code refuses wherever only Warden may speak.
 *
 * Wire format: metadata `encoding: binary/encrypted`, `encryption-key-id: <kid>` and, for operator
 * payloads, `encryption-origin: operator`; data is iv(12) | ciphertext | tag(16) of the protobuf-encoded
 * original payload, with `warden-payload:<origin>` as associated data.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
// CJS package: Node's ESM loader only exposes its default export.
import proto from '@temporalio/proto';
import type { KeyRing } from './envelope.js';
import { FOREIGN_KEY, type ForeignOrigin } from '../temporal/payload-origin.js';

const { temporal } = proto;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
export const ENCRYPTION_ORIGIN_METADATA = 'encryption-origin';

/** Who encrypted a payload: one of Warden's processes, or the codec server on behalf of a person. */
export type EncryptionOrigin = 'warden' | 'operator';

const ALG = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const aad = (origin: EncryptionOrigin) => Buffer.from(`warden-payload:${origin}`);

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

function encryptOne(ring: KeyRing, payload: Payload, origin: EncryptionOrigin): Payload {
  const { kid, key } = ring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALG, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(origin));
  const plain = temporal.api.common.v1.Payload.encode(payload).finish();
  const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    metadata: {
      encoding: Buffer.from(ENCRYPTED_ENCODING),
      [KEY_ID_METADATA]: Buffer.from(kid),
      ...(origin === 'operator' ? { [ENCRYPTION_ORIGIN_METADATA]: Buffer.from('operator') } : {}),
    },
    data,
  };
}

const isEncrypted = (payload: Payload) => utf8(payload.metadata?.encoding) === ENCRYPTED_ENCODING;

function decryptOne(ring: KeyRing, payload: Payload): { payload: Payload; origin: EncryptionOrigin } {
  const kid = utf8(payload.metadata?.[KEY_ID_METADATA]);
  if (!kid) throw new CodecError('codec_malformed', `An encrypted payload has no "${KEY_ID_METADATA}" metadata.`);
  const key = ring.keys.get(kid);
  if (!key)
    throw new CodecError(
      'codec_unknown_key',
      `A payload is encrypted with key "${kid.slice(0, 64)}", which is not in the codec key ring (WARDEN_CODEC_KEYS).`,
    );
  const origin: EncryptionOrigin =
    utf8(payload.metadata?.[ENCRYPTION_ORIGIN_METADATA]) === 'operator' ? 'operator' : 'warden';
  const data = Buffer.from(payload.data ?? new Uint8Array());
  if (data.length < IV_BYTES + TAG_BYTES)
    throw new CodecError('codec_malformed', 'An encrypted payload is too short to be valid.');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv(ALG, key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(origin));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new CodecError(
      'codec_tampered',
      `An encrypted payload (key "${kid}") failed authentication: it was altered, encrypted with a different key, or its origin relabelled.`,
    );
  }
  try {
    const decoded = temporal.api.common.v1.Payload.decode(plain);
    const { externalPayloads } = decoded;
    const metadata = decoded.metadata ?? {};
    // protobufjs leaves an absent bytes field as its prototype default (a plain array): make it real bytes.
    const inner = decoded.data instanceof Uint8Array ? decoded.data : new Uint8Array(decoded.data ?? []);
    return {
      payload: externalPayloads?.length ? { metadata, data: inner, externalPayloads } : { metadata, data: inner },
      origin,
    };
  } catch {
    throw new CodecError('codec_malformed', 'A decrypted payload is not a valid Temporal payload.');
  }
}

/**
 * A payload that is not Warden's own, as a JSON payload `{"$wardenForeign": {"origin", "value"}}`: its
 * value is kept (for a person's command, which still needs its statement) when it is JSON, else null.
 */
function foreign(payload: Payload | null, origin: ForeignOrigin): Payload {
  let value = 'null';
  if (payload && utf8(payload.metadata?.encoding) === 'json/plain' && payload.data) {
    const text = Buffer.from(payload.data).toString('utf8');
    try {
      JSON.parse(text);
      value = text;
    } catch {
      value = 'null';
    }
  }
  return {
    metadata: { encoding: Buffer.from('json/plain') },
    data: Buffer.from(`{${JSON.stringify(FOREIGN_KEY)}:{"origin":${JSON.stringify(origin)},"value":${value}}}`),
  };
}

export interface PayloadCodecOptions {
  /** How this codec encrypts: as one of Warden's processes (default), or as the codec server for a person. */
  encryptAs?: EncryptionOrigin;
  /**
   * `mark` (workers and clients): never throws; a payload that is not Warden's own is handed on marked
   * with its origin. `reveal` (the codec server, for people to read): decrypts both origins, passes
   * unencrypted payloads through unchanged, and throws a CodecError on one it cannot decrypt.
   */
  decode?: 'mark' | 'reveal';
}

export function createPayloadCodec(ring: KeyRing, options: PayloadCodecOptions = {}): PayloadCodec {
  const encryptAs = options.encryptAs ?? 'warden';
  const mode = options.decode ?? 'mark';
  return {
    async encode(payloads) {
      return payloads.map((p) => encryptOne(ring, p, encryptAs));
    },
    async decode(payloads) {
      return payloads.map((p) => {
        if (!isEncrypted(p)) return mode === 'reveal' ? p : foreign(p, 'unencrypted');
        if (mode === 'reveal') return decryptOne(ring, p).payload;
        try {
          const { payload, origin } = decryptOne(ring, p);
          return origin === 'warden' ? payload : foreign(payload, 'operator');
        } catch {
          return foreign(null, 'undecryptable');
        }
      });
    },
  };
}

/** For `new Client({ dataConverter })` and `Worker.create({ dataConverter })`. */
export function wardenDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec] };
}
