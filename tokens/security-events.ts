/**
 * CAEP `session-revoked` Security Event Tokens (RFC 8417, OpenID SSF 1.0 and CAEP 1.0), which Warden
 * sends to receivers when it cuts an agent off. Profile rules that keep a SET from passing for another
 * JWT (RFC 8417 §4, SSF §4.1.3): explicit `typ: secevent+jwt`, no `exp`, no top-level `sub` (the subject
 * is `sub_id`, RFC 9493), exactly one event in `events`.
 *
 * A SET does not expire, so a receiver must de-duplicate by `jti` (and may bound age with maxAgeSeconds).
 */
import type { JWK } from 'jose';
import { TokenError } from './errors.js';
import { nonEmpty, signWardenJwt } from './sign.js';
import type { SigningKey } from './signing-keys.js';
import { verifyWardenEventJwt } from './verify.js';

export const SET_TYP = 'secevent+jwt';
export const SESSION_REVOKED_EVENT = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const WHAT = 'security event';

export interface MintSessionRevokedInput {
  key: SigningKey;
  issuer: string;
  /** The receiver. */
  audience: string;
  agentId: string;
  /** Shown to the receiver's administrators (CAEP `reason_admin`, English). */
  reason: string;
  /** When the session was revoked. */
  eventTimestamp: Date;
  now?: Date;
}

export async function mintSessionRevoked(input: MintSessionRevokedInput): Promise<string> {
  const now = input.now ?? new Date();
  return signWardenJwt(input.key, SET_TYP, {
    iss: nonEmpty(input.issuer, 'issuer'),
    aud: nonEmpty(input.audience, 'audience'),
    iat: Math.floor(now.getTime() / 1000),
    jti: crypto.randomUUID(),
    sub_id: { format: 'opaque', id: nonEmpty(input.agentId, 'agentId') },
    events: {
      [SESSION_REVOKED_EVENT]: {
        event_timestamp: Math.floor(input.eventTimestamp.getTime() / 1000),
        reason_admin: { en: nonEmpty(input.reason, 'reason') },
      },
    },
  });
}

export interface VerifySecurityEventOptions {
  jwks: { keys: JWK[] };
  issuer: string;
  /** This receiver. */
  audience: string;
  /** Refuse events issued longer ago than this (token_expired); unbounded when left out. */
  maxAgeSeconds?: number;
  clockToleranceSeconds?: number;
  now?: Date;
}

export interface SubjectIdentifier {
  format: string;
  [member: string]: unknown;
}

export interface VerifiedSecurityEvent {
  jti: string;
  issuedAt: Date;
  subject: SubjectIdentifier;
  /** The one event's type URI, e.g. SESSION_REVOKED_EVENT. */
  eventType: string;
  event: Record<string, unknown>;
}

export async function verifySecurityEvent(
  token: string,
  options: VerifySecurityEventOptions,
): Promise<VerifiedSecurityEvent> {
  const { maxAgeSeconds, ...rest } = options;
  const payload = await verifyWardenEventJwt(token, { ...rest, typ: SET_TYP, tokenName: WHAT });
  if ('sub' in payload)
    throw new TokenError(
      'token_claims',
      'The security event carries a top-level "sub"; its subject belongs in "sub_id".',
    );
  const subject = payload.sub_id;
  if (!isObject(subject) || typeof subject.format !== 'string' || subject.format === '') {
    throw new TokenError('token_claims', 'The security event names no subject ("sub_id" with a "format").');
  }
  const events = payload.events;
  if (!isObject(events)) throw new TokenError('token_claims', 'The security event has no "events" claim.');
  const entries = Object.entries(events);
  if (entries.length !== 1) throw new TokenError('token_claims', 'The security event must carry exactly one event.');
  const [eventType, event] = entries[0]!;
  if (!isObject(event)) throw new TokenError('token_claims', "The security event's event is not an object.");
  const now = options.now ?? new Date();
  if (maxAgeSeconds !== undefined && payload.iat < now.getTime() / 1000 - maxAgeSeconds) {
    throw new TokenError('token_expired', `The security event was issued more than ${maxAgeSeconds} seconds ago.`);
  }
  return {
    jti: payload.jti,
    issuedAt: new Date(payload.iat * 1000),
    subject: subject as SubjectIdentifier,
    eventType,
    event,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
