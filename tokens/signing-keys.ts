/**
 * Warden's own ES256 signing keys and their rotation ring.
 *
 * The ring lives in Temporal workflow state as plain JSON with each private key sealed by the vault
 * (a key-encryption key the codec server never holds), so no one who can read history — through the
 * codec server or otherwise — can read a private key. Processes that sign open the ring with the vault
 * ring (`openSigningKeyRing`). Generating a key needs WebCrypto randomness, so call
 * `generateSigningKey` from an activity, never from workflow code.
 *
 * The ring publishes three keys: `next` is published before it signs anything, so verifiers that cache
 * the JWKS already know it when it becomes `current`; `previous` stays published after it stops signing,
 * so tokens it signed verify until they expire. Rotate no more often than the longest token lifetime.
 */
import { p256 } from '@noble/curves/nist.js';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { openSecret, sealSecret, type KeyRing, type SealedSecret } from '../vault/envelope.js';

export const SIGNING_ALG = 'ES256';

export interface SigningKey {
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  alg: 'ES256';
  privateJwk: JWK;
  publicJwk: JWK;
  /** ISO 8601. */
  createdAt: string;
}

export interface SigningKeyRing {
  previous: SigningKey | null;
  current: SigningKey;
  next: SigningKey;
}

/** A signing key as workflow state holds it: the private JWK sealed by the vault. */
export type SealedSigningKey = Omit<SigningKey, 'privateJwk'> & { sealedPrivateJwk: SealedSecret };

export interface SealedSigningKeyRing {
  previous: SealedSigningKey | null;
  current: SealedSigningKey;
  next: SealedSigningKey;
}

/** The public facts of a ring, sealed or open. */
export interface PublicKeyRing {
  previous: Pick<SigningKey, 'kid' | 'alg' | 'publicJwk'> | null;
  current: Pick<SigningKey, 'kid' | 'alg' | 'publicJwk'>;
  next: Pick<SigningKey, 'kid' | 'alg' | 'publicJwk'>;
}

/** What a sealed private key is bound to: it opens as this key only. */
const signingKeyAad = (kid: string) => `warden-signing-key:${kid}`;

export function sealSigningKey(vault: KeyRing, key: SigningKey): SealedSigningKey {
  const { privateJwk, ...rest } = key;
  return { ...rest, sealedPrivateJwk: sealSecret(vault, JSON.stringify(privateJwk), signingKeyAad(key.kid)) };
}

function openSigningKey(vault: KeyRing, key: SealedSigningKey): SigningKey {
  const { sealedPrivateJwk, ...rest } = key;
  return { ...rest, privateJwk: JSON.parse(openSecret(vault, sealedPrivateJwk, signingKeyAad(key.kid))) as JWK };
}

export function openSigningKeyRing(vault: KeyRing, ring: SealedSigningKeyRing): SigningKeyRing {
  return {
    previous: ring.previous ? openSigningKey(vault, ring.previous) : null,
    current: openSigningKey(vault, ring.current),
    next: openSigningKey(vault, ring.next),
  };
}

export async function generateSigningKey(now: Date): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const { kty, crv, x, y, d } = await exportJWK(privateKey);
  const publicPart = { kty, crv, x, y };
  const kid = await calculateJwkThumbprint(publicPart);
  return {
    kid,
    alg: SIGNING_ALG,
    privateJwk: { ...publicPart, d, kid, alg: SIGNING_ALG },
    publicJwk: { ...publicPart, kid, alg: SIGNING_ALG, use: 'sig' },
    createdAt: now.toISOString(),
  };
}

/** A first ring: nothing previous, a current key and a pre-published next one. */
export async function newSigningKeyRing(now: Date): Promise<SigningKeyRing> {
  const [current, next] = await Promise.all([generateSigningKey(now), generateSigningKey(now)]);
  return { previous: null, current, next };
}

/** previous ← current, current ← next, next ← newNext. The old previous is no longer published. */
export function rotateRing<K extends { kid: string }>(
  ring: { previous: K | null; current: K; next: K },
  newNext: K,
): { previous: K | null; current: K; next: K } {
  if (newNext.kid === ring.current.kid || newNext.kid === ring.next.kid) {
    throw new TypeError('The new signing key is already in the ring; generate a fresh one.');
  }
  return { previous: ring.current, current: ring.next, next: newNext };
}

/** The JWKS to publish: public members only, rebuilt field by field so a private member can never leak. */
export function publicJwks(ring: PublicKeyRing): { keys: JWK[] } {
  const keys = [ring.current, ring.next, ...(ring.previous ? [ring.previous] : [])];
  return { keys: keys.map(publicJwkOf) };
}

function publicJwkOf(key: PublicKeyRing['current']): JWK {
  const { kty, crv, x, y } = key.publicJwk;
  return { kty, crv, x, y, kid: key.kid, alg: key.alg, use: 'sig' };
}

const MAX_CACHED_SIGNERS = 16;
const signers = new Map<string, Promise<CryptoKey>>();
const secrets = new Map<string, Promise<Uint8Array>>();

/**
 * One checked form of a key per kid: the first use checks the key (so a cache hit can trust the kid
 * alone); a failed check is not cached (the caller sees the error, the next call tries again); keys rotate,
 * so the oldest entry is dropped past a few.
 */
function oncePerKid<T>(
  cache: Map<string, Promise<T>>,
  key: SigningKey,
  check: (key: SigningKey) => Promise<T>,
): Promise<T> {
  const cached = cache.get(key.kid);
  if (cached) return cached;
  const pending = check(key);
  cache.set(key.kid, pending);
  pending.catch(() => {
    if (cache.get(key.kid) === pending) cache.delete(key.kid);
  });
  if (cache.size > MAX_CACHED_SIGNERS) cache.delete(cache.keys().next().value!);
  return pending;
}

/**
 * The non-extractable CryptoKey for a signing key, imported once per kid. The first import checks that the
 * kid really is the key's thumbprint.
 */
export function importPrivate(key: SigningKey): Promise<CryptoKey> {
  return oncePerKid(signers, key, importChecked);
}

/**
 * The raw private scalar of a signing key, for deterministic ECDSA (RFC 6979), where WebCrypto offers only
 * randomized signatures. Checked once per kid like `importPrivate`, and also that `d` is the private half
 * of the published `x`/`y`.
 */
export function privateScalar(key: SigningKey): Promise<Uint8Array> {
  return oncePerKid(secrets, key, scalarChecked);
}

async function importChecked(key: SigningKey): Promise<CryptoKey> {
  const { kty, crv, x, y, d } = await checkedJwk(key);
  return (await importJWK({ kty, crv, x, y, d }, SIGNING_ALG, { extractable: false })) as CryptoKey;
}

async function checkedJwk(key: SigningKey): Promise<JWK & { x: string; y: string; d: string }> {
  const { kty, crv, x, y, d } = key.privateJwk;
  if (
    key.alg !== SIGNING_ALG ||
    kty !== 'EC' ||
    crv !== 'P-256' ||
    typeof d !== 'string' ||
    typeof x !== 'string' ||
    typeof y !== 'string'
  ) {
    throw new TypeError('A Warden signing key must be an ES256 (P-256) private key.');
  }
  if ((await calculateJwkThumbprint({ kty, crv, x, y })) !== key.kid) {
    throw new TypeError("The signing key's kid is not the thumbprint of its key.");
  }
  return { kty, crv, x, y, d };
}

async function scalarChecked(key: SigningKey): Promise<Uint8Array> {
  const { x, y, d } = await checkedJwk(key);
  const scalar = Buffer.from(d, 'base64url');
  let derived: Uint8Array;
  try {
    derived = p256.getPublicKey(scalar, false);
  } catch {
    throw new TypeError('The signing key holds no valid P-256 private scalar.');
  }
  if (
    Buffer.compare(
      Buffer.from(derived),
      Buffer.concat([Buffer.from([4]), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')]),
    ) !== 0
  ) {
    throw new TypeError("The signing key's private part does not match its public part.");
  }
  return new Uint8Array(scalar);
}
