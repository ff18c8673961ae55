/**
 * Envelope encryption for upstream secrets (tools' API keys). Each secret gets its own random data key
 * (AES-256-GCM, bound to an `aad` such as the tool id, so a sealed secret copied onto another tool does
 * not open); the data key is wrapped with a key-encryption key (KEK) from a key ring. The ring's first
 * key wraps, the others only unwrap, so the KEK rotates by prepending a key and re-wrapping
 * (`rewrapSecret`) without touching any ciphertext.
 *
 * Keys are held as KeyObjects, so logging or serializing a ring never prints key material; error
 * messages never contain keys or plaintext.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type VaultErrorCode =
  /** The secret names a KEK that is not in the ring. */
  | 'vault_unknown_key'
  /** An authentication tag failed: the secret was changed, or opened with another aad or key. */
  | 'vault_tampered'
  /** The sealed secret does not have the SealedSecret shape. */
  | 'vault_malformed'
  /** A key ring spec or file is invalid (configuration error). */
  | 'vault_bad_key_ring';

export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface RingKey {
  readonly kid: string;
  readonly key: KeyObject;
}

export interface KeyRing {
  /** Encrypts (wraps); the first key of the spec. */
  readonly current: RingKey;
  /** Every key by kid, the current one included; all of them decrypt. */
  readonly keys: ReadonlyMap<string, KeyObject>;
}

/** A sealed secret: plain JSON (base64 strings), safe to keep in workflow state. */
export interface SealedSecret {
  v: 1;
  kekId: string;
  wrappedKey: string;
  keyIv: string;
  keyTag: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

const KID = /^[A-Za-z0-9._-]{1,64}$/;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALG = 'aes-256-gcm';
// Standard or URL-safe alphabet; lengths are checked after decoding.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

const badRing = (message: string) => new VaultError('vault_bad_key_ring', message);

function ringKey(kid: string, base64: string, where: string): RingKey {
  if (!KID.test(kid)) throw badRing(`${where}: key ids must match ${KID.source}.`);
  const bytes = BASE64.test(base64) ? Buffer.from(base64, 'base64') : undefined;
  if (!bytes || bytes.length !== KEY_BYTES) {
    throw badRing(
      `${where}: key "${kid}" must be ${KEY_BYTES} bytes, base64-encoded (got ${bytes ? `${bytes.length} bytes` : 'invalid base64'}).`,
    );
  }
  const key = createSecretKey(bytes);
  bytes.fill(0);
  return { kid, key };
}

function ring(entries: RingKey[], where: string): KeyRing {
  const [current] = entries;
  if (!current) throw badRing(`${where}: the key ring is empty.`);
  const keys = new Map<string, KeyObject>();
  for (const e of entries) {
    if (keys.has(e.kid)) throw badRing(`${where}: key id "${e.kid}" appears twice.`);
    keys.set(e.kid, e.key);
  }
  return Object.freeze({ current, keys });
}

/** Parses `kid1:BASE64,kid2:BASE64` (first = current). */
export function parseKeyRing(spec: string): KeyRing {
  const where = 'key ring';
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':');
      if (colon < 0) throw badRing(`${where}: each entry must be "kid:base64key".`);
      return ringKey(entry.slice(0, colon).trim(), entry.slice(colon + 1).trim(), where);
    });
  return ring(entries, where);
}

/** A fresh `kid:base64key` entry, for operators building a ring spec. */
export function generateKeySpec(kid: string): string {
  if (!KID.test(kid)) throw badRing(`key ids must match ${KID.source}.`);
  return `${kid}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

interface KeyRingFile {
  keys: { kid: string; key: string }[];
}

function readKeyRingFile(file: string): KeyRing {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw err;
    throw badRing(`${file}: not valid JSON.`);
  }
  const keys = (parsed as Partial<KeyRingFile> | null)?.keys;
  if (!Array.isArray(keys)) throw badRing(`${file}: expected {"keys":[{"kid":…,"key":…}]}.`);
  return ring(
    keys.map((k: unknown) => {
      const { kid, key } = (k ?? {}) as Record<string, unknown>;
      if (typeof kid !== 'string' || typeof key !== 'string')
        throw badRing(`${file}: every key needs string "kid" and "key".`);
      return ringKey(kid, key, file);
    }),
    file,
  );
}

/**
 * Local development: reads the ring file, or creates it with one random key (mode 0600). The file is
 * written completely under a temporary name (`wx`) and then hard-linked into place, which fails if the
 * name exists: two processes racing both end up with the winner's complete file, never a half-written one.
 */
export function loadOrCreateKeyRing(file: string): KeyRing {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const kid = `dev-${randomBytes(4).toString('hex')}`;
    const body: KeyRingFile = { keys: [{ kid, key: randomBytes(KEY_BYTES).toString('base64') }] };
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      // Another process created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  return readKeyRingFile(file);
}

/**
 * The ring from an environment value (wins), else the development file; production refuses the file,
 * so a production deployment never silently encrypts with a key that lives on one machine's disk.
 */
export function keyRingFromEnv(
  envValue: string | undefined,
  devFile: string,
  production: boolean,
  envName = 'the key ring variable',
): KeyRing {
  if (envValue && envValue.trim()) return parseKeyRing(envValue);
  if (production) {
    throw new Error(
      `NODE_ENV=production needs ${envName} set to a key ring ("kid:base64key,…", 32-byte keys; the first encrypts).`,
    );
  }
  return loadOrCreateKeyRing(devFile);
}

function gcmEncrypt(key: KeyObject | Buffer, plaintext: Buffer, aad: Buffer) {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALG, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

function gcmDecrypt(
  key: KeyObject | Buffer,
  iv: Buffer,
  ciphertext: Buffer,
  tag: Buffer,
  aad: Buffer,
  what: string,
): Buffer {
  try {
    const decipher = createDecipheriv(ALG, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new VaultError(
      'vault_tampered',
      `The ${what} failed authentication: it was altered, or belongs to another owner or key.`,
    );
  }
}

/** Binds a wrapped data key to its KEK id and the format version. */
const wrapAad = (kekId: string) => Buffer.from(`warden:vault:v1:${kekId}`, 'utf8');

function field(value: unknown, name: string, bytes?: number): Buffer {
  const malformed = () => new VaultError('vault_malformed', `The sealed secret's "${name}" is missing or invalid.`);
  if (typeof value !== 'string' || !BASE64.test(value)) throw malformed();
  const buf = Buffer.from(value, 'base64');
  if (bytes !== undefined && buf.length !== bytes) throw malformed();
  return buf;
}

interface Decoded {
  kekId: string;
  wrappedKey: Buffer;
  keyIv: Buffer;
  keyTag: Buffer;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

function decode(sealed: unknown): Decoded {
  if (typeof sealed !== 'object' || sealed === null)
    throw new VaultError('vault_malformed', 'The sealed secret is not an object.');
  const s = sealed as Record<string, unknown>;
  if (s.v !== 1) throw new VaultError('vault_malformed', 'The sealed secret has an unknown format version.');
  if (typeof s.kekId !== 'string' || !KID.test(s.kekId))
    throw new VaultError('vault_malformed', 'The sealed secret\'s "kekId" is missing or invalid.');
  return {
    kekId: s.kekId,
    wrappedKey: field(s.wrappedKey, 'wrappedKey', KEY_BYTES),
    keyIv: field(s.keyIv, 'keyIv', IV_BYTES),
    keyTag: field(s.keyTag, 'keyTag', TAG_BYTES),
    iv: field(s.iv, 'iv', IV_BYTES),
    tag: field(s.tag, 'tag', TAG_BYTES),
    ciphertext: field(s.ciphertext, 'ciphertext'),
  };
}

/** Checks the shape of a value read from storage (e.g. workflow state typed `unknown`). */
export function parseSealedSecret(value: unknown): SealedSecret {
  decode(value);
  return value as SealedSecret;
}

function unwrap(ring: KeyRing, d: Decoded): Buffer {
  const kek = ring.keys.get(d.kekId);
  if (!kek)
    throw new VaultError(
      'vault_unknown_key',
      `The secret was sealed with key "${d.kekId}", which is not in the key ring.`,
    );
  return gcmDecrypt(kek, d.keyIv, d.wrappedKey, d.keyTag, wrapAad(d.kekId), 'wrapped data key');
}

function wrap(ring: KeyRing, dataKey: Buffer) {
  const { kid, key } = ring.current;
  const w = gcmEncrypt(key, dataKey, wrapAad(kid));
  return {
    kekId: kid,
    wrappedKey: w.ciphertext.toString('base64'),
    keyIv: w.iv.toString('base64'),
    keyTag: w.tag.toString('base64'),
  };
}

export function sealSecret(ring: KeyRing, plaintext: string, aad: string): SealedSecret {
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const e = gcmEncrypt(dataKey, Buffer.from(plaintext, 'utf8'), Buffer.from(aad, 'utf8'));
    return {
      v: 1,
      ...wrap(ring, dataKey),
      iv: e.iv.toString('base64'),
      tag: e.tag.toString('base64'),
      ciphertext: e.ciphertext.toString('base64'),
    };
  } finally {
    dataKey.fill(0);
  }
}

export function openSecret(ring: KeyRing, sealed: SealedSecret, aad: string): string {
  const d = decode(sealed);
  const dataKey = unwrap(ring, d);
  try {
    return gcmDecrypt(dataKey, d.iv, d.ciphertext, d.tag, Buffer.from(aad, 'utf8'), 'secret').toString('utf8');
  } finally {
    dataKey.fill(0);
  }
}

/** Re-wraps the data key under the ring's current KEK; the secret's iv, tag and ciphertext are kept. */
export function rewrapSecret(ring: KeyRing, sealed: SealedSecret): SealedSecret {
  const d = decode(sealed);
  const dataKey = unwrap(ring, d);
  try {
    return { v: 1, ...wrap(ring, dataKey), iv: sealed.iv, tag: sealed.tag, ciphertext: sealed.ciphertext };
  } finally {
    dataKey.fill(0);
  }
}

/** Whether a sealed secret is wrapped under an older KEK than the ring's current one. */
export function needsRewrap(ring: KeyRing, sealed: SealedSecret): boolean {
  return sealed.kekId !== ring.current.kid;
}
