/**
 * Command statements: the proof a workflow demands before it believes who asked for a change.
 *
 * Anyone who can reach Temporal can send an Update, so a workflow never takes an identity, a role or an
 * owner from its input. A command (approve, suspend, transfer, …) carries a short-lived ES256 JWT that
 * one of Warden's processes signed after it authenticated the caller and read the caller's roles (and,
 * where the workflow cannot know it, the agent's owner) *at that moment*:
 *
 *   header  { alg: ES256, typ: warden-command+jwt, kid }
 *   payload { iss, aud: <workflow id>, cmd: <Update name>, req: SHA-256 of the request's canonical JSON,
 *             sub, kind: human | agent | system, roles, agentOwner?, iat, exp (≤ 5 min later), jti }
 *
 * This module is pure (no Node, no WebCrypto): workflows verify statements in their Update validators,
 * deterministically, against the trust anchor they hold (Warden's issuer and its public signing keys).
 * Signing is in ./sign-statement.ts.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../audit/canonical-json.js';
import type { PrincipalKind, StatementPrincipal } from '../domain/authority.js';
import { isRole, type Role } from '../domain/people.js';
import type { PublicKeyRing } from './signing-keys.js';

export const STATEMENT_TYPE = 'warden-command+jwt';
/** The longest a statement may live: long enough for a person to paste it into the Temporal CLI. */
export const MAX_STATEMENT_LIFETIME_S = 300;
const CLOCK_TOLERANCE_S = 30;
const MAX_STATEMENT_BYTES = 8192;

export interface StatementClaims {
  iss: string;
  /** The workflow the command is for. */
  aud: string;
  /** The Update (or Signal) name. */
  cmd: string;
  /** base64url SHA-256 of the canonical JSON of the request. */
  req: string;
  /** A person's email, an agent's id, or `warden`. */
  sub: string;
  kind: PrincipalKind;
  /** A person's roles in the directory when the statement was signed. */
  roles: Role[];
  /** The agent's owner when the statement was signed, for workflows that do not hold it (actions). */
  agentOwner?: string | null;
  /** People who delegated their approvals to the subject, with their roles, when the statement was signed. */
  delegators?: { sub: string; roles: Role[] }[];
  iat: number;
  exp: number;
  jti: string;
}

/** What a workflow trusts: Warden's issuer and the public halves of its signing keys (P-256). */
export interface TrustAnchor {
  issuer: string;
  keys: { kid: string; x: string; y: string }[];
}

/** An Update's argument: the request, and the statement that proves who made it. */
export interface Signed<T> {
  request: T;
  proof: string;
}

export type StatementErrorCode =
  | 'statement_missing'
  | 'statement_malformed'
  | 'statement_header'
  | 'statement_key_unknown'
  | 'statement_signature'
  | 'statement_issuer'
  | 'statement_audience'
  | 'statement_command'
  | 'statement_request'
  | 'statement_expired'
  | 'statement_lifetime'
  | 'statement_claims';

export class StatementError extends Error {
  override readonly name = 'StatementError';
  constructor(
    readonly code: StatementErrorCode,
    message: string,
  ) {
    super(message);
  }
}

// --- base64url, without Buffer or atob (neither exists in the workflow sandbox) ------------------------

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const INDEX = new Map([...ALPHABET].map((c, i) => [c, i]));

export function base64urlDecode(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new StatementError('statement_malformed', 'The statement is not base64url.');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let n = 0;
  for (const c of text) {
    const v = INDEX.get(c);
    if (v === undefined) throw new StatementError('statement_malformed', 'The statement is not base64url.');
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (value >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[(v >> 18) & 63]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
  }
  if (i < bytes.length) {
    const v = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += ALPHABET[(v >> 18) & 63]! + ALPHABET[(v >> 12) & 63]!;
    if (i + 1 < bytes.length) out += ALPHABET[(v >> 6) & 63]!;
  }
  return out;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The `req` claim of a request: SHA-256 of its canonical JSON (RFC 8785 style), base64url. */
export function requestDigest(request: unknown): string {
  return base64urlEncode(sha256(utf8.encode(canonicalJson(request ?? null))));
}

function json(part: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8.decode(base64urlDecode(part)));
  } catch {
    throw new StatementError('statement_malformed', `The statement's ${what} is not base64url JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new StatementError('statement_malformed', `The statement's ${what} is not a JSON object.`);
  return parsed as Record<string, unknown>;
}

/** The claims of a statement, unverified: for an Update handler whose validator has verified them. */
export function statementClaims(proof: string): StatementClaims {
  const parts = proof.split('.');
  return json(parts[1] ?? '', 'payload') as unknown as StatementClaims;
}

export interface StatementExpectations {
  workflowId: string;
  command: string;
  request: unknown;
  /** Seconds since the epoch: the workflow's clock. */
  now: number;
}

/**
 * Verifies a statement completely — form, header, key, signature, issuer, audience, command, request,
 * lifetime and claims — or throws a StatementError saying what failed. Replay is the caller's check
 * (it remembers the `jti`s it has accepted).
 */
export function verifyStatement(proof: unknown, anchor: TrustAnchor, expect: StatementExpectations): StatementClaims {
  if (typeof proof !== 'string' || proof.length === 0)
    throw new StatementError('statement_missing', 'A signed statement (proof) is required.');
  if (proof.length > MAX_STATEMENT_BYTES)
    throw new StatementError('statement_malformed', 'The statement is too large.');
  const parts = proof.split('.');
  if (parts.length !== 3 || parts.some((p) => p.length === 0))
    throw new StatementError('statement_malformed', 'The statement is not a compact JWS (three base64url parts).');
  const header = json(parts[0]!, 'header');
  const names = Object.keys(header).sort().join(',');
  if (names !== 'alg,kid,typ')
    throw new StatementError('statement_header', 'The statement header must hold exactly alg, kid and typ.');
  if (header.alg !== 'ES256') throw new StatementError('statement_header', 'The statement must be signed with ES256.');
  if (header.typ !== STATEMENT_TYPE)
    throw new StatementError('statement_header', `The statement must be of type ${STATEMENT_TYPE}.`);
  const key = typeof header.kid === 'string' ? anchor.keys.find((k) => k.kid === header.kid) : undefined;
  if (!key)
    throw new StatementError(
      'statement_key_unknown',
      'The statement is signed with a key this workflow does not hold.',
    );

  let signature: Uint8Array;
  let publicKey: Uint8Array;
  try {
    signature = base64urlDecode(parts[2]!);
    const x = base64urlDecode(key.x);
    const y = base64urlDecode(key.y);
    if (x.length !== 32 || y.length !== 32) throw new Error('bad key');
    publicKey = new Uint8Array(65);
    publicKey[0] = 4;
    publicKey.set(x, 1);
    publicKey.set(y, 33);
  } catch {
    throw new StatementError('statement_malformed', 'The statement signature or its key is malformed.');
  }
  let valid: boolean;
  try {
    // WebCrypto's ES256 signatures are not normalised to low S; both halves are valid ECDSA.
    valid =
      signature.length === 64 &&
      p256.verify(signature, utf8.encode(`${parts[0]}.${parts[1]}`), publicKey, {
        lowS: false,
        prehash: true,
        format: 'compact',
      });
  } catch {
    valid = false;
  }
  if (!valid) throw new StatementError('statement_signature', 'The statement signature does not verify.');

  const claims = json(parts[1]!, 'payload');
  if (claims.iss !== anchor.issuer)
    throw new StatementError('statement_issuer', 'The statement was not issued by this Warden.');
  if (claims.aud !== expect.workflowId)
    throw new StatementError('statement_audience', 'The statement is for another workflow.');
  if (claims.cmd !== expect.command)
    throw new StatementError('statement_command', `The statement is for another command, not ${expect.command}.`);
  if (claims.req !== requestDigest(expect.request))
    throw new StatementError('statement_request', 'The statement is for another request (its arguments differ).');
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number' || !Number.isInteger(iat) || !Number.isInteger(exp))
    throw new StatementError('statement_claims', 'The statement needs whole-second iat and exp.');
  if (exp <= iat || exp - iat > MAX_STATEMENT_LIFETIME_S)
    throw new StatementError('statement_lifetime', `A statement may live at most ${MAX_STATEMENT_LIFETIME_S} s.`);
  if (iat > expect.now + CLOCK_TOLERANCE_S)
    throw new StatementError('statement_claims', 'The statement was issued in the future.');
  if (exp <= expect.now) throw new StatementError('statement_expired', 'The statement has expired.');
  if (typeof claims.jti !== 'string' || claims.jti.length < 16 || claims.jti.length > 64)
    throw new StatementError('statement_claims', 'The statement needs a jti.');
  if (typeof claims.sub !== 'string' || claims.sub.length === 0 || claims.sub.length > 254)
    throw new StatementError('statement_claims', 'The statement names no subject.');
  if (claims.kind !== 'human' && claims.kind !== 'agent' && claims.kind !== 'system')
    throw new StatementError('statement_claims', 'The statement names no kind of principal.');
  if (!Array.isArray(claims.roles) || !claims.roles.every((r) => typeof r === 'string' && isRole(r)))
    throw new StatementError('statement_claims', 'The statement roles are not Warden roles.');
  if (claims.kind !== 'human' && claims.roles.length > 0)
    throw new StatementError('statement_claims', 'Only a person holds roles.');
  if (claims.agentOwner !== undefined && claims.agentOwner !== null && typeof claims.agentOwner !== 'string')
    throw new StatementError('statement_claims', 'agentOwner must be an email or null.');
  if (claims.delegators !== undefined && !validDelegators(claims.delegators, claims.kind))
    throw new StatementError('statement_claims', 'delegators must be up to 20 people, each with Warden roles.');
  return claims as unknown as StatementClaims;
}

function validDelegators(value: unknown, kind: unknown): boolean {
  return (
    kind === 'human' &&
    Array.isArray(value) &&
    value.length <= 20 &&
    value.every(
      (d) =>
        typeof d === 'object' &&
        d !== null &&
        typeof d.sub === 'string' &&
        d.sub.length > 0 &&
        d.sub.length <= 254 &&
        Array.isArray(d.roles) &&
        d.roles.every((r: unknown) => typeof r === 'string' && isRole(r)),
    )
  );
}

export function principalOf(claims: StatementClaims): StatementPrincipal {
  return {
    kind: claims.kind,
    id: claims.sub,
    roles: [...claims.roles],
    agentOwner: claims.agentOwner ?? null,
    delegators: (claims.delegators ?? []).map((d) => ({ email: d.sub, roles: [...d.roles] })),
  };
}

/** The trust anchor workflows are given: the issuer and the public halves of the ring's keys. */
export function trustAnchorOf(ring: PublicKeyRing, issuer: string): TrustAnchor {
  const keys = [ring.current, ring.next, ...(ring.previous ? [ring.previous] : [])];
  return { issuer, keys: keys.map((k) => ({ kid: k.kid, x: String(k.publicJwk.x), y: String(k.publicJwk.y) })) };
}
