/**
 * Warden's tokens, pure (no Temporal, no server): signing keys and rotation, API access tokens, grants,
 * agents' client assertions and CAEP security events. Happy paths first, then one-field mutations in the
 * style of RFC 8725 and the OpenID conformance suite; every refusal asserts its exact TokenError code and
 * that its message does not echo the token.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  base64url,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  jwtVerify,
  type CryptoKey,
  type JWK,
} from 'jose';
import { mintAccessToken, verifyAccessToken } from '../tokens/access-tokens.js';
import { peekClientId, verifyClientAssertion, type VerifyClientAssertionOptions } from '../tokens/client-assertions.js';
import { TokenError, TOKEN_ERROR_CODES, type TokenErrorCode } from '../tokens/errors.js';
import { mintGrant, signRecordedGrant, verifyGrant } from '../tokens/grants.js';
import { mintSessionRevoked, SESSION_REVOKED_EVENT, verifySecurityEvent } from '../tokens/security-events.js';
import {
  generateSigningKey,
  importPrivate,
  newSigningKeyRing,
  publicJwks,
  rotateRing,
  type SigningKey,
  type SigningKeyRing,
} from '../tokens/signing-keys.js';
import { MAX_TOKEN_BYTES, verifyWardenJwt } from '../tokens/verify.js';
import { es256Deterministic } from '../tokens/sign.js';

const NOW = new Date('2030-06-01T12:00:00Z');
const T = Math.floor(NOW.getTime() / 1000);
const ISSUER = 'https://warden.example.com';
const API = 'https://warden.example.com/graphql';
const TOKEN_ENDPOINT = 'https://warden.example.com/oauth/token';
const TOOL = 'https://tools.example.com/crm';
const OTHER_TOOL = 'https://tools.example.com/payments';
const RECEIVER = 'https://receiver.example.com';
const AGENT = 'agent-7f3a';
const HUMAN = 'olivia@example.com';

let ring: SigningKeyRing;
let jwks: { keys: JWK[] };

// ---------------------------------------------------------------------------------------------------
// Helpers: a raw signer (so any header, payload and algorithm can be produced), and a refusal probe.

type Claims = Record<string, unknown>;
const enc = (value: unknown) => base64url.encode(typeof value === 'string' ? value : JSON.stringify(value));
const dec = (part: string) => JSON.parse(new TextDecoder().decode(base64url.decode(part))) as Record<string, unknown>;

/** Signs `header.payload` with the key's own WebCrypto algorithm, whatever the header claims. */
async function signRaw(header: Claims, payload: Claims | string, key: CryptoKey | null): Promise<string> {
  const input = `${enc(header)}.${enc(payload)}`;
  if (!key) return `${input}.`;
  const name = key.algorithm.name;
  const params =
    name === 'ECDSA'
      ? { name, hash: (key.algorithm as { namedCurve?: string }).namedCurve === 'P-384' ? 'SHA-384' : 'SHA-256' }
      : name === 'RSA-PSS'
        ? { name, saltLength: 32 }
        : { name };
  const signature = await crypto.subtle.sign(params, key, new TextEncoder().encode(input));
  return `${input}.${base64url.encode(new Uint8Array(signature))}`;
}

/** A Warden-style token: ring key, ES256, kid and typ unless overridden (an `undefined` value removes it). */
async function wardenToken(claims: Claims, header: Claims = {}, key: SigningKey = ring.current): Promise<string> {
  return signRaw({ alg: 'ES256', kid: key.kid, typ: 'at+jwt', ...header }, claims, await importPrivate(key));
}

const accessClaims = (over: Claims = {}): Claims => ({
  iss: ISSUER,
  sub: AGENT,
  aud: API,
  client_id: AGENT,
  iat: T,
  exp: T + 300,
  jti: 'jti-1',
  ...over,
});
const grantClaims = (over: Claims = {}): Claims => ({
  ...accessClaims({ aud: TOOL, scope: 'crm.read crm.write' }),
  ...over,
});
const setClaims = (over: Claims = {}): Claims => ({
  iss: ISSUER,
  aud: RECEIVER,
  iat: T,
  jti: 'set-1',
  sub_id: { format: 'opaque', id: AGENT },
  events: { [SESSION_REVOKED_EVENT]: { event_timestamp: T, reason_admin: { en: 'suspended' } } },
  ...over,
});

/** The TokenError code a verification ends with ('accepted' if none); its message must not echo the token. */
async function refusal(promise: Promise<unknown>, token?: string): Promise<TokenErrorCode | 'accepted'> {
  try {
    await promise;
    return 'accepted';
  } catch (err) {
    if (!(err instanceof TokenError)) throw err;
    expect(TOKEN_ERROR_CODES).toContain(err.code);
    for (const part of token?.split('.') ?? [])
      if (part.length >= 8) expect(err.message).not.toContain(part.slice(0, 8));
    return err.code;
  }
}

const verifyAT = (token: string, over: Partial<Parameters<typeof verifyAccessToken>[1]> = {}) =>
  verifyAccessToken(token, { jwks, issuer: ISSUER, audience: API, now: NOW, ...over });
const verifyG = (token: string, over: Partial<Parameters<typeof verifyGrant>[1]> = {}) =>
  verifyGrant(token, { jwks, issuer: ISSUER, resource: TOOL, now: NOW, ...over });
const verifySET = (token: string, over: Partial<Parameters<typeof verifySecurityEvent>[1]> = {}) =>
  verifySecurityEvent(token, { jwks, issuer: ISSUER, audience: RECEIVER, now: NOW, ...over });

/** Replaces one part of a compact JWT. */
function withPart(token: string, index: 0 | 1 | 2, part: string): string {
  const parts = token.split('.');
  parts[index] = part;
  return parts.join('.');
}

// A local HTTP server standing in for an attacker's key URL: it must never be asked anything.
let trap: http.Server;
let trapHits = 0;
let trapUrl: string;
let attacker: { privateKey: CryptoKey; jwk: JWK };
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

beforeAll(async () => {
  ring = await newSigningKeyRing(NOW);
  jwks = publicJwks(ring);
  const pair = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(pair.publicKey);
  attacker = {
    privateKey: pair.privateKey,
    jwk: { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'ES256', use: 'sig' },
  };
  trap = http.createServer((_req, res) => {
    trapHits++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [attacker.jwk] }));
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/jwks.json`;
});
afterAll(() => new Promise<void>((resolve) => trap.close(() => resolve())));

// ---------------------------------------------------------------------------------------------------

describe('signing keys', () => {
  it('generates an ES256 key whose kid is its RFC 7638 thumbprint, as plain JSON', async () => {
    const key = await generateSigningKey(NOW);
    expect(key.alg).toBe('ES256');
    expect(key.createdAt).toBe(NOW.toISOString());
    expect(key.kid).toBe(await calculateJwkThumbprint(key.publicJwk));
    expect(key.privateJwk.d).toEqual(expect.any(String));
    expect(key.publicJwk.d).toBeUndefined();
    expect(JSON.parse(JSON.stringify(key))).toEqual(key);
  });

  it('publishes public parts only, with use, alg and kid', () => {
    expect(jwks.keys.map((k) => k.kid)).toEqual([ring.current.kid, ring.next.kid]);
    for (const key of jwks.keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    }
  });

  it('never publishes a private member, even one smuggled into publicJwk', () => {
    const leaky = {
      ...ring,
      current: { ...ring.current, publicJwk: { ...ring.current.publicJwk, d: ring.current.privateJwk.d } },
    };
    expect(JSON.stringify(publicJwks(leaky))).not.toContain(ring.current.privateJwk.d);
  });

  it('rotates: previous ← current, current ← next, next ← new; publishes all three', async () => {
    const fresh = await generateSigningKey(NOW);
    const rotated = rotateRing(ring, fresh);
    expect(rotated.previous).toBe(ring.current);
    expect(rotated.current).toBe(ring.next);
    expect(rotated.next).toBe(fresh);
    expect(publicJwks(rotated).keys.map((k) => k.kid)).toEqual([ring.next.kid, fresh.kid, ring.current.kid]);
    expect(() => rotateRing(rotated, fresh)).toThrow(TypeError);
  });

  it('imports a signer once per kid', async () => {
    const key = await generateSigningKey(NOW);
    const first = importPrivate(key);
    expect(importPrivate(JSON.parse(JSON.stringify(key)) as SigningKey)).toBe(first);
    expect((await first).extractable).toBe(false);
  });

  it('refuses a key whose kid is not its thumbprint', async () => {
    const key = await generateSigningKey(NOW);
    await expect(importPrivate({ ...key, kid: 'not-the-thumbprint' })).rejects.toThrow(TypeError);
  });

  it('a key restored from JSON (workflow state) still signs verifiable tokens', async () => {
    const restored = JSON.parse(JSON.stringify(ring)) as SigningKeyRing;
    const { token } = await mintAccessToken({
      key: restored.current,
      issuer: ISSUER,
      audience: API,
      agentId: AGENT,
      now: NOW,
    });
    expect((await verifyAT(token, { jwks: publicJwks(restored) })).agentId).toBe(AGENT);
  });
});

describe('happy paths', () => {
  it('access token: mints RFC 9068 shape and verifies', async () => {
    const minted = await mintAccessToken({
      key: ring.current,
      issuer: ISSUER,
      audience: API,
      agentId: AGENT,
      scope: ['agents.read', 'grants.request'],
      now: NOW,
    });
    const [header, payload] = minted.token.split('.').map((p, i) => (i < 2 ? dec(p) : {}));
    expect(header).toEqual({ alg: 'ES256', kid: ring.current.kid, typ: 'at+jwt' });
    expect(payload).toEqual({
      iss: ISSUER,
      sub: AGENT,
      aud: API,
      client_id: AGENT,
      iat: T,
      exp: T + 300,
      jti: minted.jti,
      scope: 'agents.read grants.request',
    });
    expect(minted.issuedAt).toEqual(NOW);
    expect(minted.expiresAt).toEqual(new Date(NOW.getTime() + 300_000));
    expect(await verifyAT(minted.token)).toEqual({
      agentId: AGENT,
      clientId: AGENT,
      jti: minted.jti,
      issuedAt: minted.issuedAt,
      expiresAt: minted.expiresAt,
      scope: ['agents.read', 'grants.request'],
    });
  });

  it('access token: no scope is an empty list; a random jti each time', async () => {
    const a = await mintAccessToken({ key: ring.current, issuer: ISSUER, audience: API, agentId: AGENT, now: NOW });
    const b = await mintAccessToken({ key: ring.current, issuer: ISSUER, audience: API, agentId: AGENT, now: NOW });
    expect(a.jti).not.toBe(b.jti);
    expect((await verifyAT(a.token)).scope).toEqual([]);
  });

  it('access token: refuses to mint what it would refuse to verify', async () => {
    const base = { key: ring.current, issuer: ISSUER, audience: API, agentId: AGENT, now: NOW };
    await expect(mintAccessToken({ ...base, ttlSeconds: 901 })).rejects.toThrow(RangeError);
    await expect(mintAccessToken({ ...base, ttlSeconds: 0 })).rejects.toThrow(RangeError);
    await expect(mintAccessToken({ ...base, agentId: '' })).rejects.toThrow(TypeError);
    await expect(mintAccessToken({ ...base, scope: ['has space'] })).rejects.toThrow(TypeError);
  });

  it('grant: the agent acting for itself', async () => {
    const minted = await mintGrant({
      key: ring.current,
      issuer: ISSUER,
      resource: TOOL,
      agentId: AGENT,
      operations: ['crm.read', 'crm.write'],
      now: NOW,
    });
    const payload = dec(minted.token.split('.')[1]!);
    expect(payload).toEqual({
      iss: ISSUER,
      sub: AGENT,
      aud: TOOL,
      client_id: AGENT,
      scope: 'crm.read crm.write',
      iat: T,
      exp: T + 300,
      jti: minted.jti,
    });
    expect(dec(minted.token.split('.')[0]!).typ).toBe('at+jwt');
    expect(await verifyG(minted.token, { requiredOperation: 'crm.write' })).toEqual({
      agentId: AGENT,
      subject: AGENT,
      operations: ['crm.read', 'crm.write'],
      jti: minted.jti,
      issuedAt: NOW,
      expiresAt: new Date(NOW.getTime() + 300_000),
      extra: {},
    });
  });

  it('grant: delegated by a person (sub = person, act.sub = client_id = agent), with extra claims', async () => {
    const minted = await mintGrant({
      key: ring.current,
      issuer: ISSUER,
      resource: TOOL,
      agentId: AGENT,
      operations: ['crm.read'],
      onBehalfOf: HUMAN,
      extra: { risk_decision: 'rd-42' },
      ttlSeconds: 60,
      now: NOW,
    });
    expect(dec(minted.token.split('.')[1]!)).toMatchObject({
      sub: HUMAN,
      client_id: AGENT,
      act: { sub: AGENT },
      exp: T + 60,
    });
    const grant = await verifyG(minted.token, { requiredOperation: 'crm.read' });
    expect(grant).toMatchObject({
      agentId: AGENT,
      subject: HUMAN,
      actor: AGENT,
      operations: ['crm.read'],
      extra: { risk_decision: 'rd-42' },
    });
  });

  it('grant: refuses to mint a malformed grant', async () => {
    const base = {
      key: ring.current,
      issuer: ISSUER,
      resource: TOOL,
      agentId: AGENT,
      operations: ['crm.read'],
      now: NOW,
    };
    await expect(mintGrant({ ...base, operations: [] })).rejects.toThrow(TypeError);
    await expect(mintGrant({ ...base, extra: { aud: OTHER_TOOL } })).rejects.toThrow(TypeError);
    await expect(mintGrant({ ...base, extra: { act: { sub: 'someone' } } })).rejects.toThrow(TypeError);
    await expect(mintGrant({ ...base, onBehalfOf: AGENT })).rejects.toThrow(TypeError);
    await expect(mintGrant({ ...base, resource: 'not a uri' })).rejects.toThrow(TypeError);
    await expect(mintGrant({ ...base, ttlSeconds: 3600 })).rejects.toThrow(RangeError);
    await expect(mintGrant({ ...base, extra: { pad: 'x'.repeat(MAX_TOKEN_BYTES) } })).rejects.toThrow(RangeError);
  });

  it('security event: CAEP session-revoked, no exp, no sub', async () => {
    const token = await mintSessionRevoked({
      key: ring.current,
      issuer: ISSUER,
      audience: RECEIVER,
      agentId: AGENT,
      reason: 'Owner suspended the agent',
      eventTimestamp: new Date(NOW.getTime() - 2000),
      now: NOW,
    });
    const [header, payload] = token.split('.').map((p, i) => (i < 2 ? dec(p) : {}));
    expect(header).toEqual({ alg: 'ES256', kid: ring.current.kid, typ: 'secevent+jwt' });
    expect(payload).toEqual({
      iss: ISSUER,
      aud: RECEIVER,
      iat: T,
      jti: expect.any(String),
      sub_id: { format: 'opaque', id: AGENT },
      events: {
        [SESSION_REVOKED_EVENT]: { event_timestamp: T - 2, reason_admin: { en: 'Owner suspended the agent' } },
      },
    });
    const event = await verifySET(token);
    expect(event).toEqual({
      jti: payload!.jti,
      issuedAt: NOW,
      subject: { format: 'opaque', id: AGENT },
      eventType: SESSION_REVOKED_EVENT,
      event: { event_timestamp: T - 2, reason_admin: { en: 'Owner suspended the agent' } },
    });
    // SETs have no expiry: still valid a day later, unless the receiver bounds their age.
    expect((await verifySET(token, { now: new Date(NOW.getTime() + 86_400_000) })).jti).toBe(event.jti);
    expect(await refusal(verifySET(token, { now: new Date(NOW.getTime() + 86_400_000), maxAgeSeconds: 3600 }))).toBe(
      'token_expired',
    );
  });

  it('typ is compared case-insensitively, with or without application/', async () => {
    for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/At+JWT']) {
      expect((await verifyAT(await wardenToken(accessClaims(), { typ }))).agentId).toBe(AGENT);
    }
  });

  it('an audience array of exactly one is accepted', async () => {
    expect((await verifyAT(await wardenToken(accessClaims({ aud: [API] })))).agentId).toBe(AGENT);
  });

  it('clock tolerance: 5 s by default, both ways', async () => {
    expect(await refusal(verifyAT(await wardenToken(accessClaims({ iat: T - 303, exp: T - 3 }))))).toBe('accepted');
    expect(await refusal(verifyAT(await wardenToken(accessClaims({ iat: T + 4, exp: T + 304 }))))).toBe('accepted');
    expect(await refusal(verifyAT(await wardenToken(accessClaims({ nbf: T + 4 }))))).toBe('accepted');
    expect(await refusal(verifyAT(await wardenToken(accessClaims({ iat: T - 306, exp: T - 6 }))))).toBe(
      'token_expired',
    );
  });

  it('a lifetime of exactly the maximum (900 s) is accepted', async () => {
    expect(await refusal(verifyAT(await wardenToken(accessClaims({ iat: T - 100, exp: T + 800 }))))).toBe('accepted');
  });
});

// ---------------------------------------------------------------------------------------------------
// The shared core, run against both kinds of at+jwt: every row is one mutation of a valid token.

interface Mutation {
  name: string;
  claims?: Claims;
  header?: Claims;
  code: TokenErrorCode;
}

const CORE_MUTATIONS: Mutation[] = [
  { name: 'missing typ', header: { typ: undefined }, code: 'token_type' },
  { name: 'typ JWT', header: { typ: 'JWT' }, code: 'token_type' },
  { name: 'typ secevent+jwt', header: { typ: 'secevent+jwt' }, code: 'token_type' },
  { name: 'typ with another media type prefix', header: { typ: 'text/at+jwt' }, code: 'token_type' },
  { name: 'typ not a string', header: { typ: ['at+jwt'] }, code: 'token_type' },
  { name: 'missing kid', header: { kid: undefined }, code: 'token_signature' },
  { name: 'crit header', header: { crit: ['exp'], exp: T }, code: 'token_header_forbidden' },
  { name: 'x5c header', header: { x5c: ['MIIB'] }, code: 'token_header_forbidden' },
  { name: 'wrong iss', claims: { iss: 'https://evil.example.com' }, code: 'token_issuer' },
  { name: 'iss with a trailing slash', claims: { iss: `${ISSUER}/` }, code: 'token_issuer' },
  { name: 'missing iss', claims: { iss: undefined }, code: 'token_issuer' },
  { name: 'wrong aud', claims: { aud: 'https://evil.example.com' }, code: 'token_audience' },
  { name: 'empty aud string', claims: { aud: '' }, code: 'token_audience' },
  { name: 'empty aud array', claims: { aud: [] }, code: 'token_audience' },
  { name: 'missing aud', claims: { aud: undefined }, code: 'token_audience' },
  { name: 'expired', claims: { iat: T - 400, exp: T - 100 }, code: 'token_expired' },
  { name: 'exp is now', claims: { iat: T - 300, exp: T - 5 }, code: 'token_expired' },
  { name: 'missing exp', claims: { exp: undefined }, code: 'token_claims' },
  { name: 'exp not a number', claims: { exp: String(T + 300) }, code: 'token_claims' },
  { name: 'nbf in the future', claims: { nbf: T + 60 }, code: 'token_not_yet_valid' },
  { name: 'iat in the future', claims: { iat: T + 60, exp: T + 360 }, code: 'token_claims' },
  { name: 'missing iat', claims: { iat: undefined }, code: 'token_claims' },
  { name: 'iat not a number', claims: { iat: String(T) }, code: 'token_claims' },
  { name: 'missing jti', claims: { jti: undefined }, code: 'token_claims' },
  { name: 'empty jti', claims: { jti: '' }, code: 'token_claims' },
  { name: 'jti not a string', claims: { jti: 42 }, code: 'token_claims' },
  { name: 'missing sub', claims: { sub: undefined }, code: 'token_claims' },
  { name: 'empty sub', claims: { sub: '' }, code: 'token_claims' },
  { name: 'lifetime too long', claims: { iat: T, exp: T + 901 }, code: 'token_lifetime' },
  { name: 'lifetime too long, issued long ago', claims: { iat: T - 86_400, exp: T + 60 }, code: 'token_lifetime' },
  { name: 'missing client_id', claims: { client_id: undefined }, code: 'token_claims' },
  { name: 'client_id is not sub', claims: { client_id: 'agent-other' }, code: 'token_claims' },
];

const KINDS = [
  { kind: 'access token', claims: accessClaims, verify: (t: string) => verifyAT(t), audience: API },
  { kind: 'grant', claims: grantClaims, verify: (t: string) => verifyG(t), audience: TOOL },
] as const;

for (const { kind, claims, verify, audience } of KINDS) {
  describe(`${kind}: one-field mutations`, () => {
    it('the unmutated token is accepted (the baseline)', async () => {
      expect(await refusal(verify(await wardenToken(claims())))).toBe('accepted');
    });

    for (const m of CORE_MUTATIONS) {
      it(`${m.name} → ${m.code}`, async () => {
        const token = await wardenToken(claims(m.claims), m.header);
        expect(await refusal(verify(token), token)).toBe(m.code);
      });
    }

    it('an extra, untrusted audience → token_audience (in either order)', async () => {
      for (const aud of [
        [audience, 'https://evil.example.com'],
        ['https://evil.example.com', audience],
        [audience, audience],
      ]) {
        const token = await wardenToken(claims({ aud }));
        expect(await refusal(verify(token), token)).toBe('token_audience');
      }
    });

    it('alg none → token_algorithm (with and without a signature)', async () => {
      const unsigned = await signRaw({ alg: 'none', typ: 'at+jwt' }, claims(), null);
      expect(await refusal(verify(unsigned), unsigned)).toBe('token_algorithm');
      const real = await wardenToken(claims());
      const relabelled = withPart(real, 0, enc({ alg: 'none', kid: ring.current.kid, typ: 'at+jwt' }));
      expect(await refusal(verify(relabelled), relabelled)).toBe('token_algorithm');
      for (const alg of ['None', 'NONE', 'nOnE']) {
        const token = await signRaw({ alg, typ: 'at+jwt' }, claims(), null);
        expect(await refusal(verify(token), token)).toBe('token_algorithm');
      }
    });

    it('HS256 signed with the public key as the HMAC secret → token_algorithm', async () => {
      const publicKey = jwks.keys[0]!;
      const spki = await exportSPKI(
        (await crypto.subtle.importKey(
          'jwk',
          { kty: 'EC', crv: 'P-256', x: publicKey.x, y: publicKey.y },
          { name: 'ECDSA', namedCurve: 'P-256' },
          true,
          ['verify'],
        )) as CryptoKey,
      );
      for (const secret of [JSON.stringify(publicKey), JSON.stringify(jwks), spki]) {
        const hmac = (await crypto.subtle.importKey(
          'raw',
          new TextEncoder().encode(secret),
          { name: 'HMAC', hash: 'SHA-256' },
          false,
          ['sign'],
        )) as CryptoKey;
        const token = await signRaw({ alg: 'HS256', kid: publicKey.kid, typ: 'at+jwt' }, claims(), hmac);
        expect(await refusal(verify(token), token)).toBe('token_algorithm');
      }
    });

    it("ES384, RS256, PS256, EdDSA, ES512 (not Warden's algorithm) → token_algorithm", async () => {
      for (const [alg, keyAlg] of [
        ['ES384', 'ES384'],
        ['RS256', 'RS256'],
        ['PS256', 'PS256'],
        ['EdDSA', 'EdDSA'],
        ['ES512', 'ES256'],
      ] as const) {
        const { privateKey } = await generateKeyPair(keyAlg);
        const token = await signRaw({ alg, kid: ring.current.kid, typ: 'at+jwt' }, claims(), privateKey);
        expect(await refusal(verify(token), token)).toBe('token_algorithm');
      }
    });

    it('tampered header, payload and signature → token_signature', async () => {
      const token = await wardenToken(claims());
      const [h, p, s] = token.split('.') as [string, string, string];
      const header = withPart(token, 0, enc({ ...dec(h), extra: 'x' }));
      const payload = withPart(token, 1, enc({ ...dec(p), sub: 'agent-other', client_id: 'agent-other' }));
      const bytes = base64url.decode(s);
      bytes[20]! ^= 0x01;
      const signature = withPart(token, 2, base64url.encode(bytes));
      const truncated = withPart(token, 2, s.slice(0, 40));
      const empty = withPart(token, 2, '');
      const spliced = withPart(await wardenToken(claims({ jti: 'other' })), 2, s);
      for (const bad of [header, payload, signature, truncated, empty, spliced])
        expect(await refusal(verify(bad), bad)).toBe('token_signature');
    });

    it("an unknown kid, or a known kid over another key's signature → token_signature", async () => {
      const stranger = await generateSigningKey(NOW);
      const unknown = await wardenToken(claims(), {}, stranger);
      expect(await refusal(verify(unknown), unknown)).toBe('token_signature');
      const impostor = await signRaw(
        { alg: 'ES256', kid: ring.current.kid, typ: 'at+jwt' },
        claims(),
        await importPrivate(stranger),
      );
      expect(await refusal(verify(impostor), impostor)).toBe('token_signature');
    });

    it('jku and x5u headers are refused and never fetched', async () => {
      trapHits = 0;
      for (const header of [{ jku: trapUrl }, { x5u: trapUrl }, { jku: trapUrl, kid: attacker.jwk.kid }]) {
        const token = await signRaw(
          { alg: 'ES256', kid: ring.current.kid, typ: 'at+jwt', ...header },
          claims(),
          attacker.privateKey,
        );
        expect(await refusal(verify(token), token)).toBe('token_header_forbidden');
        const signedByUs = await wardenToken(claims(), header);
        expect(await refusal(verify(signedByUs), signedByUs)).toBe('token_header_forbidden');
      }
      await settle();
      expect(trapHits).toBe(0);
    });

    it('an embedded jwk header is refused (the key is never used)', async () => {
      const token = await signRaw(
        { alg: 'ES256', kid: attacker.jwk.kid, typ: 'at+jwt', jwk: attacker.jwk },
        claims(),
        attacker.privateKey,
      );
      expect(await refusal(verify(token), token)).toBe('token_header_forbidden');
    });

    it('an oversized token → token_too_large', async () => {
      const token = await wardenToken(claims({ pad: 'x'.repeat(MAX_TOKEN_BYTES) }));
      expect(await refusal(verify(token), token)).toBe('token_too_large');
    });

    it('malformed input → token_malformed', async () => {
      const valid = await wardenToken(claims());
      const [, p, s] = valid.split('.') as [string, string, string];
      const cases = [
        '',
        'abc',
        'a.b',
        'a.b.c.d',
        `${valid}.`,
        ` ${valid}`,
        `${valid}\n`,
        valid.replace('.', '.+'),
        `${enc('not json')}.${p}.${s}`,
        `${enc('[1,2]')}.${p}.${s}`,
        `.${p}.${s}`,
        await wardenToken('not json' as unknown as Claims),
        await wardenToken('[1]' as unknown as Claims),
      ];
      for (const bad of cases) expect(await refusal(verify(bad), bad)).toBe('token_malformed');
      expect(await refusal(verify(undefined as unknown as string))).toBe('token_malformed');
    });
  });
}

describe('access token specifics', () => {
  it('a delegated (act) token is not an API access token → token_claims', async () => {
    const token = await wardenToken(accessClaims({ act: { sub: AGENT } }));
    expect(await refusal(verifyAT(token), token)).toBe('token_claims');
  });

  it('a scope that is not a string of scope tokens → token_claims', async () => {
    for (const scope of [['a', 'b'], 42, 'a  b', 'a "b"']) {
      const token = await wardenToken(accessClaims({ scope }));
      expect(await refusal(verifyAT(token), token)).toBe('token_claims');
    }
  });
});

describe('grant specifics', () => {
  const mint = (over: Partial<Parameters<typeof mintGrant>[0]> = {}) =>
    mintGrant({
      key: ring.current,
      issuer: ISSUER,
      resource: TOOL,
      agentId: AGENT,
      operations: ['crm.read'],
      now: NOW,
      ...over,
    });

  it('a grant used at another tool → token_audience', async () => {
    const { token } = await mint();
    expect(await refusal(verifyG(token, { resource: OTHER_TOOL }), token)).toBe('token_audience');
  });

  it("an operation outside the grant's scope → token_scope", async () => {
    const { token } = await mint({ operations: ['crm.read'] });
    expect(await refusal(verifyG(token, { requiredOperation: 'crm.delete' }), token)).toBe('token_scope');
    expect(await refusal(verifyG(token, { requiredOperation: 'crm' }), token)).toBe('token_scope');
    expect(await refusal(verifyG(token, { requiredOperation: '' }), token)).toBe('token_scope');
    expect(await refusal(verifyG(token, { requiredOperation: 'crm.read' }), token)).toBe('accepted');
  });

  it('missing or empty scope → token_claims', async () => {
    for (const scope of [undefined, '', ' ']) {
      const token = await wardenToken(grantClaims({ scope }));
      expect(await refusal(verifyG(token), token)).toBe('token_claims');
    }
  });

  it('a subject other than the agent without an actor → token_claims', async () => {
    const token = await wardenToken(grantClaims({ sub: HUMAN }));
    expect(await refusal(verifyG(token), token)).toBe('token_claims');
  });

  it('an actor other than the agent, a chain of actors, or a malformed act → token_claims', async () => {
    for (const act of [
      { sub: 'agent-other' },
      { sub: AGENT, act: { sub: 'agent-2' } },
      'agent',
      { id: AGENT },
      { sub: '' },
      [AGENT],
    ]) {
      const token = await wardenToken(grantClaims({ sub: HUMAN, act }));
      expect(await refusal(verifyG(token), token)).toBe('token_claims');
    }
    const self = await wardenToken(grantClaims({ act: { sub: AGENT } }));
    expect(await refusal(verifyG(self), self)).toBe('token_claims');
  });
});

describe('recorded grants (signed again, deterministically)', () => {
  const identity = { jti: 'grant-1', iat: T, exp: T + 300 };
  const input = {
    issuer: ISSUER,
    resource: TOOL,
    agentId: AGENT,
    operations: ['crm.read'],
    extra: { authorization_details: [{ type: 'warden_action', action_id: 'a-1' }] } as Record<string, unknown>,
  };
  const sign = (over: Partial<typeof input & { key: SigningKey }> = {}, id = identity) =>
    signRecordedGrant({ ...input, key: ring.current, ...over }, id);

  it('the same key, claims and identity give the same token, byte for byte, and it verifies like a minted grant', async () => {
    const a = await sign();
    const b = await sign();
    expect(b.token).toBe(a.token);
    expect(a).toMatchObject({ jti: 'grant-1', issuedAt: NOW, expiresAt: new Date(NOW.getTime() + 300_000) });
    expect(dec(a.token.split('.')[0]!)).toEqual({ alg: 'ES256', kid: ring.current.kid, typ: 'at+jwt' });
    expect(await verifyG(a.token, { requiredOperation: 'crm.read' })).toMatchObject({
      agentId: AGENT,
      jti: 'grant-1',
      extra: { authorization_details: [{ type: 'warden_action', action_id: 'a-1' }] },
    });
    // Accepted by a plain JOSE verifier too (the signature is the raw r‖s pair of RFC 7518 §3.4).
    await jwtVerify(a.token, createLocalJWKSet(publicJwks(ring)), { currentDate: NOW });
  });

  it("the signature is RFC 6979's: its P-256/SHA-256 test vectors (A.2.5)", () => {
    const x = Buffer.from('C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721', 'hex');
    const hex = (m: string) =>
      Buffer.from(es256Deterministic(new TextEncoder().encode(m), x))
        .toString('hex')
        .toUpperCase();
    expect(hex('sample')).toBe(
      'EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716' +
        'F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8',
    );
    expect(hex('test')).toBe(
      'F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367' +
        '019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083',
    );
  });

  it('anything else different gives another signature', async () => {
    const base = (await sign()).token;
    const others = [
      await sign({}, { ...identity, jti: 'grant-2' }),
      await sign({}, { ...identity, exp: identity.exp - 1 }),
      await sign({ operations: ['crm.write'] }),
      await sign({ key: ring.next }),
    ];
    for (const other of others) expect(other.token.split('.')[2]).not.toBe(base.split('.')[2]);
  });

  it('refuses what it would refuse to mint, a lifetime out of bounds, and a key that is not what it says', async () => {
    await expect(sign({ operations: [] })).rejects.toThrow(TypeError);
    await expect(sign({ extra: { jti: 'other' } })).rejects.toThrow(TypeError);
    await expect(sign({}, { ...identity, jti: '' })).rejects.toThrow(TypeError);
    for (const [iat, exp] of [
      [T, T],
      [T, T - 1],
      [T, T + 901],
      [T + 0.5, T + 300],
      [T, Number.NaN],
    ] as const) {
      await expect(sign({}, { jti: 'g', iat, exp })).rejects.toThrow(RangeError);
    }
    // Keys never used before: the checks run once per kid, on first use.
    const [fresh, other, third] = await Promise.all([
      generateSigningKey(NOW),
      generateSigningKey(NOW),
      generateSigningKey(NOW),
    ]);
    await expect(sign({ key: { ...fresh, kid: other.kid } })).rejects.toThrow(/thumbprint/);
    await expect(
      sign({ key: { ...fresh, privateJwk: { ...fresh.privateJwk, d: other.privateJwk.d } } }),
    ).rejects.toThrow(/private part/);
    await expect(sign({ key: { ...third, privateJwk: { ...third.privateJwk, d: undefined } } })).rejects.toThrow(
      /ES256/,
    );
    // A refused key is not remembered as checked: the genuine key signs afterwards.
    expect(dec((await sign({ key: fresh })).token.split('.')[0]!).kid).toBe(fresh.kid);
  });
});

describe('one token offered as another', () => {
  it('a Warden API access token at a tool → token_audience (same typ, the audience tells them apart)', async () => {
    const { token } = await mintAccessToken({
      key: ring.current,
      issuer: ISSUER,
      audience: API,
      agentId: AGENT,
      scope: ['crm.read'],
      now: NOW,
    });
    expect(await refusal(verifyG(token, { requiredOperation: 'crm.read' }), token)).toBe('token_audience');
  });

  it('a grant at the Warden API → token_audience', async () => {
    const { token } = await mintGrant({
      key: ring.current,
      issuer: ISSUER,
      resource: TOOL,
      agentId: AGENT,
      operations: ['crm.read'],
      now: NOW,
    });
    expect(await refusal(verifyAT(token), token)).toBe('token_audience');
  });

  it('a security event as an access token or a grant → token_type', async () => {
    const token = await mintSessionRevoked({
      key: ring.current,
      issuer: ISSUER,
      audience: API,
      agentId: AGENT,
      reason: 'r',
      eventTimestamp: NOW,
      now: NOW,
    });
    expect(await refusal(verifyAT(token), token)).toBe('token_type');
    expect(await refusal(verifyG(token, { resource: API }), token)).toBe('token_type');
  });

  it('an access token as a security event → token_type', async () => {
    const { token } = await mintAccessToken({
      key: ring.current,
      issuer: ISSUER,
      audience: RECEIVER,
      agentId: AGENT,
      now: NOW,
    });
    expect(await refusal(verifySET(token), token)).toBe('token_type');
  });

  it('an access token, a grant or a security event as a client assertion → token_type', async () => {
    const access = await mintAccessToken({
      key: ring.current,
      issuer: ISSUER,
      audience: TOKEN_ENDPOINT,
      agentId: AGENT,
      now: NOW,
    });
    const grant = await mintGrant({
      key: ring.current,
      issuer: ISSUER,
      resource: TOKEN_ENDPOINT,
      agentId: AGENT,
      operations: ['x'],
      now: NOW,
    });
    const set = await mintSessionRevoked({
      key: ring.current,
      issuer: ISSUER,
      audience: TOKEN_ENDPOINT,
      agentId: AGENT,
      reason: 'r',
      eventTimestamp: NOW,
      now: NOW,
    });
    // Even with Warden's own keys in the agent's key list, the type alone refuses them.
    for (const token of [access.token, grant.token, set]) {
      expect(
        await refusal(
          verifyClientAssertion(token, { publicKeys: jwks.keys, audiences: [TOKEN_ENDPOINT, ISSUER], now: NOW }),
          token,
        ),
      ).toBe('token_type');
    }
  });
});

describe('key rotation', () => {
  it('a token signed by a key stays valid while the key is published, and fails once it is rotated out', async () => {
    const r0 = await newSigningKeyRing(NOW);
    const { token } = await mintAccessToken({
      key: r0.current,
      issuer: ISSUER,
      audience: API,
      agentId: AGENT,
      now: NOW,
    });
    expect(await refusal(verifyAT(token, { jwks: publicJwks(r0) }))).toBe('accepted');
    const r1 = rotateRing(r0, await generateSigningKey(NOW));
    expect(r1.previous?.kid).toBe(r0.current.kid);
    expect(await refusal(verifyAT(token, { jwks: publicJwks(r1) }))).toBe('accepted');
    const r2 = rotateRing(r1, await generateSigningKey(NOW));
    expect(await refusal(verifyAT(token, { jwks: publicJwks(r2) }), token)).toBe('token_signature');
  });

  it('the pre-published next key verifies before it signs anything', async () => {
    const { token } = await mintAccessToken({
      key: ring.next,
      issuer: ISSUER,
      audience: API,
      agentId: AGENT,
      now: NOW,
    });
    expect(await refusal(verifyAT(token))).toBe('accepted');
  });
});

describe('verification core options', () => {
  it('a private key in the verification key set is a configuration error, not a token error', async () => {
    const token = await wardenToken(accessClaims());
    await expect(
      verifyWardenJwt(token, {
        jwks: { keys: [ring.current.privateJwk] },
        issuer: ISSUER,
        audience: API,
        typ: 'at+jwt',
        maxLifetimeSeconds: 900,
        now: NOW,
      }),
    ).rejects.toThrow(TypeError);
  });

  it('expects typ with or without the application/ prefix', async () => {
    const token = await wardenToken(accessClaims());
    const payload = await verifyWardenJwt(token, {
      jwks,
      issuer: ISSUER,
      audience: API,
      typ: 'application/at+jwt',
      maxLifetimeSeconds: 900,
      now: NOW,
    });
    expect(payload.sub).toBe(AGENT);
  });

  it('ECDSA signatures are malleable: (r, n−s) verifies too, so replay checks must key on jti, not token bytes', async () => {
    const token = await wardenToken(accessClaims());
    const sig = base64url.decode(token.split('.')[2]!);
    const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
    const s = BigInt(`0x${Buffer.from(sig.slice(32)).toString('hex')}`);
    const flipped = new Uint8Array([
      ...sig.slice(0, 32),
      ...Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex'),
    ]);
    const twin = withPart(token, 2, base64url.encode(flipped));
    expect(twin).not.toBe(token);
    expect((await verifyAT(twin)).jti).toBe((await verifyAT(token)).jti);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('security events: refusals', () => {
  const cases: Mutation[] = [
    { name: 'typ at+jwt', header: { typ: 'at+jwt' }, code: 'token_type' },
    { name: 'missing typ', header: { typ: undefined }, code: 'token_type' },
    { name: 'typ JWT', header: { typ: 'JWT' }, code: 'token_type' },
    { name: 'an exp claim', claims: { exp: T + 300 }, code: 'token_claims' },
    { name: 'a top-level sub', claims: { sub: AGENT }, code: 'token_claims' },
    { name: 'an empty top-level sub', claims: { sub: '' }, code: 'token_claims' },
    { name: 'missing events', claims: { events: undefined }, code: 'token_claims' },
    { name: 'events not an object', claims: { events: [SESSION_REVOKED_EVENT] }, code: 'token_claims' },
    { name: 'no event', claims: { events: {} }, code: 'token_claims' },
    {
      name: 'two events',
      claims: { events: { [SESSION_REVOKED_EVENT]: {}, 'https://example.com/other': {} } },
      code: 'token_claims',
    },
    {
      name: 'an event that is not an object',
      claims: { events: { [SESSION_REVOKED_EVENT]: 'revoked' } },
      code: 'token_claims',
    },
    { name: 'missing sub_id', claims: { sub_id: undefined }, code: 'token_claims' },
    { name: 'sub_id without format', claims: { sub_id: { id: AGENT } }, code: 'token_claims' },
    { name: 'wrong iss', claims: { iss: 'https://evil.example.com' }, code: 'token_issuer' },
    { name: 'wrong aud', claims: { aud: 'https://other-receiver.example.com' }, code: 'token_audience' },
    {
      name: 'an extra audience',
      claims: { aud: [RECEIVER, 'https://other-receiver.example.com'] },
      code: 'token_audience',
    },
    { name: 'missing aud', claims: { aud: undefined }, code: 'token_audience' },
    { name: 'iat in the future', claims: { iat: T + 60 }, code: 'token_claims' },
    { name: 'missing iat', claims: { iat: undefined }, code: 'token_claims' },
    { name: 'missing jti', claims: { jti: undefined }, code: 'token_claims' },
    { name: 'nbf in the future', claims: { nbf: T + 60 }, code: 'token_not_yet_valid' },
    { name: 'a jku header', header: { jku: 'https://evil.example.com/jwks' }, code: 'token_header_forbidden' },
    { name: 'a crit header', header: { crit: ['x'], x: 1 }, code: 'token_header_forbidden' },
    { name: 'missing kid', header: { kid: undefined }, code: 'token_signature' },
  ];
  it('the unmutated event is accepted (the baseline)', async () => {
    expect(await refusal(verifySET(await wardenToken(setClaims(), { typ: 'secevent+jwt' })))).toBe('accepted');
  });
  for (const m of cases) {
    it(`${m.name} → ${m.code}`, async () => {
      const token = await wardenToken(setClaims(m.claims), { typ: 'secevent+jwt', ...m.header });
      expect(await refusal(verifySET(token), token)).toBe(m.code);
    });
  }
  it('alg none, HS256 and a tampered payload are refused', async () => {
    const none = await signRaw({ alg: 'none', typ: 'secevent+jwt' }, setClaims(), null);
    expect(await refusal(verifySET(none), none)).toBe('token_algorithm');
    const hmac = (await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(JSON.stringify(jwks.keys[0])),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )) as CryptoKey;
    const hs = await signRaw({ alg: 'HS256', kid: ring.current.kid, typ: 'secevent+jwt' }, setClaims(), hmac);
    expect(await refusal(verifySET(hs), hs)).toBe('token_algorithm');
    const token = await wardenToken(setClaims(), { typ: 'secevent+jwt' });
    const tampered = withPart(token, 1, enc(setClaims({ sub_id: { format: 'opaque', id: 'agent-other' } })));
    expect(await refusal(verifySET(tampered), tampered)).toBe('token_signature');
  });
});

// ---------------------------------------------------------------------------------------------------

describe('client assertions (RFC 7523 private_key_jwt)', () => {
  interface AgentKey {
    privateKey: CryptoKey;
    jwk: JWK;
  }
  const agentKey = async (alg: string): Promise<AgentKey> => {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const jwk = await exportJWK(publicKey);
    return { privateKey, jwk: { ...jwk, kid: await calculateJwkThumbprint(jwk) } };
  };
  let es: AgentKey;
  let es2: AgentKey;
  let rs: AgentKey;
  let ps: AgentKey;
  let ed: AgentKey;
  let p384: AgentKey;
  let stranger: AgentKey;

  beforeAll(async () => {
    [es, es2, rs, ps, ed, p384, stranger] = await Promise.all([
      agentKey('ES256'),
      agentKey('ES256'),
      agentKey('RS256'),
      agentKey('PS256'),
      agentKey('EdDSA'),
      agentKey('ES384'),
      agentKey('ES256'),
    ]);
  });

  const assertionClaims = (over: Claims = {}): Claims => ({
    iss: AGENT,
    sub: AGENT,
    aud: TOKEN_ENDPOINT,
    iat: T,
    exp: T + 60,
    jti: 'ca-1',
    ...over,
  });
  const assertion = (claims: Claims, header: Claims, key: CryptoKey | null) =>
    signRaw({ alg: 'ES256', typ: 'JWT', ...header }, claims, key);
  const verifyCA = (token: string, over: Partial<VerifyClientAssertionOptions> = {}) =>
    verifyClientAssertion(token, {
      expectedClientId: AGENT,
      publicKeys: [es.jwk, es2.jwk],
      audiences: [TOKEN_ENDPOINT, ISSUER],
      now: NOW,
      ...over,
    });

  it('ES256 with a kid: verified, and the key named', async () => {
    const token = await assertion(assertionClaims(), { kid: es.jwk.kid }, es.privateKey);
    expect(await verifyCA(token)).toEqual({
      clientId: AGENT,
      jti: 'ca-1',
      expiresAt: new Date((T + 60) * 1000),
      kid: es.jwk.kid,
    });
  });

  it('without a kid, each registered key is tried (overlapping keys during rotation)', async () => {
    const token = await assertion(assertionClaims(), {}, es2.privateKey);
    expect((await verifyCA(token)).kid).toBe(es2.jwk.kid);
  });

  it('ES384, RS256, PS256 and EdDSA, each with a key of its kind', async () => {
    for (const [alg, key] of [
      ['ES384', p384],
      ['RS256', rs],
      ['PS256', ps],
      ['EdDSA', ed],
    ] as const) {
      const token = await assertion(assertionClaims(), { alg, kid: key.jwk.kid }, key.privateKey);
      expect((await verifyCA(token, { publicKeys: [es.jwk, key.jwk] })).kid).toBe(key.jwk.kid);
    }
  });

  it("aud may be an array that names Warden, or Warden's issuer; typ may be absent or JWT; iat may be absent", async () => {
    for (const [claims, header] of [
      [assertionClaims({ aud: ['https://elsewhere.example.com', TOKEN_ENDPOINT] }), {}],
      [assertionClaims({ aud: ISSUER }), {}],
      [assertionClaims(), { typ: undefined }],
      [assertionClaims(), { typ: 'client-authentication+jwt' }],
      [assertionClaims({ iat: undefined, exp: T + 200 }), {}],
    ] as const) {
      expect(await refusal(verifyCA(await assertion(claims, { kid: es.jwk.kid, ...header }, es.privateKey)))).toBe(
        'accepted',
      );
    }
  });

  it('the expected client id is optional', async () => {
    const token = await assertion(assertionClaims(), { kid: es.jwk.kid }, es.privateKey);
    expect((await verifyCA(token, { expectedClientId: undefined })).clientId).toBe(AGENT);
  });

  const CASES: Mutation[] = [
    { name: 'iss ≠ sub', claims: { sub: 'agent-other' }, code: 'token_claims' },
    { name: 'iss ≠ sub (the other way)', claims: { iss: 'agent-other' }, code: 'token_claims' },
    {
      name: 'another client (iss = sub ≠ expected)',
      claims: { iss: 'agent-other', sub: 'agent-other' },
      code: 'token_issuer',
    },
    { name: 'missing iss', claims: { iss: undefined }, code: 'token_issuer' },
    { name: 'missing sub', claims: { sub: undefined }, code: 'token_claims' },
    { name: 'aud not ours', claims: { aud: 'https://other-as.example.com/token' }, code: 'token_audience' },
    { name: 'aud array without us', claims: { aud: ['https://other-as.example.com/token'] }, code: 'token_audience' },
    { name: 'missing aud', claims: { aud: undefined }, code: 'token_audience' },
    { name: 'too long-lived', claims: { iat: T, exp: T + 3600 }, code: 'token_lifetime' },
    { name: 'too long-lived, without iat', claims: { iat: undefined, exp: T + 301 }, code: 'token_lifetime' },
    { name: 'missing exp', claims: { exp: undefined }, code: 'token_claims' },
    { name: 'expired', claims: { iat: T - 120, exp: T - 60 }, code: 'token_expired' },
    { name: 'nbf in the future', claims: { nbf: T + 60 }, code: 'token_not_yet_valid' },
    { name: 'iat in the future', claims: { iat: T + 60, exp: T + 120 }, code: 'token_claims' },
    { name: 'missing jti', claims: { jti: undefined }, code: 'token_claims' },
    { name: 'empty jti', claims: { jti: '' }, code: 'token_claims' },
    { name: 'typ at+jwt', header: { typ: 'at+jwt' }, code: 'token_type' },
    { name: 'typ application/at+jwt', header: { typ: 'application/AT+JWT' }, code: 'token_type' },
    { name: 'typ secevent+jwt', header: { typ: 'secevent+jwt' }, code: 'token_type' },
    { name: 'typ not a string', header: { typ: 7 }, code: 'token_type' },
    { name: 'a jwk header', header: { jwk: { kty: 'EC' } }, code: 'token_header_forbidden' },
    { name: 'an x5c header', header: { x5c: ['MIIB'] }, code: 'token_header_forbidden' },
    { name: 'a crit header', header: { crit: ['x'], x: 1 }, code: 'token_header_forbidden' },
    { name: 'alg ES512', header: { alg: 'ES512' }, code: 'token_algorithm' },
    { name: 'alg HS256', header: { alg: 'HS256' }, code: 'token_algorithm' },
    { name: 'alg none', header: { alg: 'none' }, code: 'token_algorithm' },
    { name: 'alg RS256 over an EC key (alg not matching the key)', header: { alg: 'RS256' }, code: 'token_signature' },
    { name: 'alg ES384 over a P-256 key', header: { alg: 'ES384' }, code: 'token_signature' },
    { name: 'kid not a string', header: { kid: 1 }, code: 'token_malformed' },
  ];
  for (const m of CASES) {
    it(`${m.name} → ${m.code}`, async () => {
      const token = await assertion(assertionClaims(m.claims), { kid: es.jwk.kid, ...m.header }, es.privateKey);
      expect(await refusal(verifyCA(token), token)).toBe(m.code);
    });
  }

  it('signed by a key the agent does not have → token_signature (with its kid, without, or with ours)', async () => {
    for (const header of [{ kid: stranger.jwk.kid }, {}, { kid: es.jwk.kid }]) {
      const token = await assertion(assertionClaims(), header, stranger.privateKey);
      expect(await refusal(verifyCA(token), token)).toBe('token_signature');
    }
    const token = await assertion(assertionClaims(), {}, es.privateKey);
    expect(await refusal(verifyCA(token, { publicKeys: [] }), token)).toBe('token_signature');
  });

  it("HS256 signed with the agent's public key → token_algorithm", async () => {
    const hmac = (await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(JSON.stringify(es.jwk)),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )) as CryptoKey;
    const token = await assertion(assertionClaims(), { alg: 'HS256', kid: es.jwk.kid }, hmac);
    expect(await refusal(verifyCA(token), token)).toBe('token_algorithm');
  });

  it('tampered payload and signature → token_signature', async () => {
    const token = await assertion(assertionClaims(), { kid: es.jwk.kid }, es.privateKey);
    const payload = withPart(token, 1, enc(assertionClaims({ exp: T + 120 })));
    const bytes = base64url.decode(token.split('.')[2]!);
    bytes[5]! ^= 0x80;
    const signature = withPart(token, 2, base64url.encode(bytes));
    for (const bad of [payload, signature]) expect(await refusal(verifyCA(bad), bad)).toBe('token_signature');
  });

  it('jku and x5u are refused and never fetched, even when they point at the signing key', async () => {
    trapHits = 0;
    for (const header of [{ jku: trapUrl, kid: attacker.jwk.kid }, { x5u: trapUrl }]) {
      const token = await assertion(assertionClaims(), header, attacker.privateKey);
      expect(await refusal(verifyCA(token), token)).toBe('token_header_forbidden');
      const embedded = await assertion(assertionClaims(), { jwk: attacker.jwk }, attacker.privateKey);
      expect(await refusal(verifyCA(embedded), embedded)).toBe('token_header_forbidden');
    }
    await settle();
    expect(trapHits).toBe(0);
  });

  it('oversized → token_too_large', async () => {
    const token = await assertion(
      assertionClaims({ pad: 'x'.repeat(MAX_TOKEN_BYTES) }),
      { kid: es.jwk.kid },
      es.privateKey,
    );
    expect(await refusal(verifyCA(token), token)).toBe('token_too_large');
  });

  it('peekClientId: the unverified iss (else sub), and token_malformed on garbage', async () => {
    expect(peekClientId(await assertion(assertionClaims(), {}, stranger.privateKey))).toBe(AGENT);
    expect(peekClientId(await assertion(assertionClaims({ iss: undefined }), {}, null))).toBe(AGENT);
    for (const bad of [
      '',
      'garbage',
      'a.b',
      `${enc({ alg: 'ES256' })}.${enc('not json')}.sig`,
      await assertion(assertionClaims({ iss: undefined, sub: undefined }), {}, null),
      await assertion(assertionClaims({ iss: 42, sub: undefined }), {}, null),
    ]) {
      expect(
        await refusal(
          Promise.resolve().then(() => peekClientId(bad)),
          bad,
        ),
      ).toBe('token_malformed');
    }
    expect(await refusal(Promise.resolve().then(() => peekClientId('a'.repeat(MAX_TOKEN_BYTES + 1))))).toBe(
      'token_too_large',
    );
  });
});

describe('the jku/x5u trap', () => {
  it('was reachable all along (so zero requests above means nothing was fetched)', async () => {
    trapHits = 0;
    const res = await fetch(trapUrl);
    expect(res.ok).toBe(true);
    expect(trapHits).toBe(1);
  });
});
