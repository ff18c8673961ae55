/** Envelope encryption of upstream secrets and the KEK ring (no Temporal needed). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  generateKeySpec,
  keyRingFromEnv,
  loadOrCreateKeyRing,
  needsRewrap,
  openSecret,
  parseKeyRing,
  parseSealedSecret,
  rewrapSecret,
  sealSecret,
  VaultError,
  type SealedSecret,
} from '../vault/envelope.js';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const ringA = parseKeyRing(`a:${keyA}`);
const secret = `sk-live-${randomBytes(12).toString('hex')}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-vault-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof VaultError ? err.code : `not a VaultError: ${String(err)}`;
  }
  return 'no error';
}

/** Flips one bit in the middle of a base64 field. */
function flip(sealed: SealedSecret, field: keyof Omit<SealedSecret, 'v' | 'kekId'>): SealedSecret {
  const bytes = Buffer.from(sealed[field], 'base64');
  bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
  return { ...sealed, [field]: bytes.toString('base64') };
}

describe('sealing secrets', () => {
  it('opens what it sealed, with the same aad', () => {
    const sealed = sealSecret(ringA, secret, 'tool:github');
    expect(sealed).toMatchObject({ v: 1, kekId: 'a' });
    expect(openSecret(ringA, sealed, 'tool:github')).toBe(secret);
    // Through JSON, as it travels in workflow state.
    expect(openSecret(ringA, JSON.parse(JSON.stringify(sealed)), 'tool:github')).toBe(secret);
    expect(openSecret(ringA, sealSecret(ringA, '', 'tool:x'), 'tool:x')).toBe('');
    expect(openSecret(ringA, sealSecret(ringA, 'ünïcødé 🔑', 'tool:x'), 'tool:x')).toBe('ünïcødé 🔑');
  });

  it('uses a fresh data key and iv every time', () => {
    const one = sealSecret(ringA, secret, 'tool:github');
    const two = sealSecret(ringA, secret, 'tool:github');
    expect(one.wrappedKey).not.toBe(two.wrappedKey);
    expect(one.iv).not.toBe(two.iv);
    expect(one.ciphertext).not.toBe(two.ciphertext);
  });

  it('never puts the plaintext (or the key) in the sealed JSON', () => {
    const json = JSON.stringify(sealSecret(ringA, secret, 'tool:github'));
    expect(json).not.toContain(secret);
    expect(json).not.toContain(Buffer.from(secret).toString('base64'));
    expect(json).not.toContain(keyA);
    // Nor does serializing or printing the ring.
    expect(JSON.stringify(ringA)).not.toContain(keyA);
    expect(inspect(ringA, { depth: 5 })).not.toContain(keyA);
  });

  it('does not open with another aad (a secret copied onto another tool)', () => {
    const sealed = sealSecret(ringA, secret, 'tool:github');
    expect(codeOf(() => openSecret(ringA, sealed, 'tool:slack'))).toBe('vault_tampered');
  });

  for (const field of ['wrappedKey', 'keyIv', 'keyTag', 'iv', 'tag', 'ciphertext'] as const) {
    it(`refuses a secret whose ${field} was altered`, () => {
      const sealed = sealSecret(ringA, secret, 'tool:github');
      expect(codeOf(() => openSecret(ringA, flip(sealed, field), 'tool:github'))).toBe('vault_tampered');
      // Re-wrapping needs the data key, so it notices a damaged wrapping too.
      if (field === 'wrappedKey' || field === 'keyIv' || field === 'keyTag') {
        expect(codeOf(() => rewrapSecret(ringA, flip(sealed, field)))).toBe('vault_tampered');
      }
    });
  }

  it('refuses a secret whose kekId was swapped, even to a key in the ring', () => {
    const ringBA = parseKeyRing(`b:${keyB},a:${keyA}`);
    const sealed = sealSecret(ringBA, secret, 'tool:github');
    expect(codeOf(() => openSecret(ringBA, { ...sealed, kekId: 'a' }, 'tool:github'))).toBe('vault_tampered');
  });

  it('names an unknown key id without leaking anything', () => {
    const sealed = sealSecret(parseKeyRing(`b:${keyB}`), secret, 'tool:github');
    let error: unknown;
    try {
      openSecret(ringA, sealed, 'tool:github');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).code).toBe('vault_unknown_key');
    expect((error as VaultError).message).toContain('"b"');
    expect((error as VaultError).message).not.toContain(keyB);
  });

  it('refuses malformed sealed secrets', () => {
    const sealed = sealSecret(ringA, secret, 'tool:github');
    const bad: unknown[] = [
      null,
      'sealed',
      { ...sealed, v: 2 },
      { ...sealed, kekId: 'bad kid!' },
      { ...sealed, iv: undefined },
      { ...sealed, iv: 'not base64 !' },
      { ...sealed, iv: Buffer.alloc(8).toString('base64') },
      { ...sealed, tag: Buffer.alloc(12).toString('base64') },
      { ...sealed, wrappedKey: Buffer.alloc(31).toString('base64') },
    ];
    for (const value of bad) {
      expect(codeOf(() => openSecret(ringA, value as SealedSecret, 'tool:github'))).toBe('vault_malformed');
      expect(codeOf(() => parseSealedSecret(value))).toBe('vault_malformed');
    }
    expect(parseSealedSecret(JSON.parse(JSON.stringify(sealed)))).toEqual(sealed);
  });
});

describe('KEK rotation', () => {
  it('ring "B,A" opens A\'s secrets and re-wraps them to B; ring "B" alone then opens them', () => {
    const sealed = sealSecret(ringA, secret, 'tool:github');
    const ringBA = parseKeyRing(`b:${keyB},a:${keyA}`);
    expect(openSecret(ringBA, sealed, 'tool:github')).toBe(secret);
    expect(needsRewrap(ringBA, sealed)).toBe(true);

    const rewrapped = rewrapSecret(ringBA, sealed);
    expect(rewrapped.kekId).toBe('b');
    expect(needsRewrap(ringBA, rewrapped)).toBe(false);
    // The secret itself is untouched: only the data key's wrapping changed.
    expect([rewrapped.iv, rewrapped.tag, rewrapped.ciphertext]).toEqual([sealed.iv, sealed.tag, sealed.ciphertext]);
    expect(rewrapped.wrappedKey).not.toBe(sealed.wrappedKey);

    const ringB = parseKeyRing(`b:${keyB}`);
    expect(openSecret(ringB, rewrapped, 'tool:github')).toBe(secret);
    expect(codeOf(() => openSecret(ringB, sealed, 'tool:github'))).toBe('vault_unknown_key');
    // New secrets are sealed with the current (first) key.
    expect(sealSecret(ringBA, secret, 'tool:x').kekId).toBe('b');
  });
});

describe('key rings', () => {
  it('parses "kid:base64,…" with the first key current', () => {
    const ring = parseKeyRing(` new-2025.1:${keyB} , old_1:${keyA} `);
    expect(ring.current.kid).toBe('new-2025.1');
    expect([...ring.keys.keys()]).toEqual(['new-2025.1', 'old_1']);
    // URL-safe base64 works too.
    const urlSafe = Buffer.from(keyA, 'base64').toString('base64url');
    expect(parseKeyRing(`a:${urlSafe}`).current.kid).toBe('a');
    expect(parseKeyRing(generateKeySpec('fresh')).current.kid).toBe('fresh');
  });

  it('refuses wrong key lengths, bad kids, empty rings and duplicate kids, without echoing keys', () => {
    const short = randomBytes(16).toString('base64');
    const long = randomBytes(33).toString('base64');
    const bad = [
      `a:${short}`,
      `a:${long}`,
      `a:`,
      `a:not*base64`,
      `:${keyA}`,
      `bad kid:${keyA}`,
      `${'k'.repeat(65)}:${keyA}`,
      `a/b:${keyA}`,
      keyA,
      '',
      ' , ',
      `a:${keyA},a:${keyB}`,
    ];
    for (const spec of bad) {
      let error: unknown;
      try {
        parseKeyRing(spec);
      } catch (err) {
        error = err;
      }
      expect(error, spec).toBeInstanceOf(VaultError);
      expect((error as VaultError).code).toBe('vault_bad_key_ring');
      for (const key of [short, long, keyA, keyB]) expect((error as VaultError).message).not.toContain(key);
    }
  });

  it('creates a 0600 development file once and returns the same ring after', () => {
    const file = path.join(tmp, 'nested', 'vault-keys.json');
    const first = loadOrCreateKeyRing(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { keys: { kid: string; key: string }[] };
    expect(written.keys).toHaveLength(1);
    expect(written.keys[0]!.kid).toBe(first.current.kid);
    expect(Buffer.from(written.keys[0]!.key, 'base64')).toHaveLength(32);
    // No temporary files left behind.
    expect(fs.readdirSync(path.dirname(file))).toEqual(['vault-keys.json']);

    const second = loadOrCreateKeyRing(file);
    expect(second.current.kid).toBe(first.current.kid);
    expect(openSecret(second, sealSecret(first, secret, 'tool:x'), 'tool:x')).toBe(secret);
  });

  it('refuses a corrupt development file', () => {
    const file = path.join(tmp, 'corrupt.json');
    fs.writeFileSync(file, '{"keys":[{"kid":"a","key":"c2hvcnQ="}]}');
    expect(codeOf(() => loadOrCreateKeyRing(file))).toBe('vault_bad_key_ring');
    fs.writeFileSync(file, 'not json');
    expect(codeOf(() => loadOrCreateKeyRing(file))).toBe('vault_bad_key_ring');
  });

  it('takes the environment first, the dev file otherwise, and refuses the dev file in production', () => {
    const file = path.join(tmp, 'env', 'keys.json');
    expect(keyRingFromEnv(`e:${keyA}`, file, true).current.kid).toBe('e');
    expect(keyRingFromEnv(`e:${keyA}`, file, false).current.kid).toBe('e');
    expect(fs.existsSync(file)).toBe(false);
    expect(() => keyRingFromEnv(undefined, file, true, 'WARDEN_VAULT_KEYS')).toThrow(
      /production needs WARDEN_VAULT_KEYS/,
    );
    expect(() => keyRingFromEnv('  ', file, true)).toThrow(/production/);
    expect(fs.existsSync(file)).toBe(false);
    const dev = keyRingFromEnv(undefined, file, false);
    expect(dev.current.kid).toMatch(/^dev-/);
    expect(fs.existsSync(file)).toBe(true);
  });
});
