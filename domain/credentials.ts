/**
 * Agent credentials: the public keys an agent proves itself with (RFC 7523 private_key_jwt), their
 * rotation, and the agent's revocation point (universal logout). Pure data and rules, safe in workflows.
 */

/** A JSON Web Key as stored in workflow state (public parts only, except a sealed successor's). */
export type Jwk = Record<string, unknown> & { kty: string; kid?: string };

export interface AgentCredential {
  /** RFC 7638 thumbprint of the public key: the `kid` agents put in their client assertions. */
  kid: string;
  publicJwk: Jwk;
  issuedAt: string;
  /** After this instant assertions signed with this key are refused. */
  expiresAt: string;
  /** When Warden issues a successor (the overlap window runs from here to `expiresAt`). */
  rotationDueAt: string;
  generatedByWarden: boolean;
}

/** A successor issued by Warden and not yet collected by the agent carries its private key, vaulted. */
export interface PendingSuccessor extends AgentCredential {
  /** AES-256-GCM envelope (vault) of the private JWK; dropped once the agent collects it. */
  sealedPrivateJwk: unknown | null;
  /** Set when the agent first authenticated with it: the rotation is taken up. */
  takenUpAt: string | null;
}

export interface CredentialPolicy {
  /** Maximum age of a credential (default 24 h). */
  maxAgeMs: number;
  /** Share of the age after which a successor is issued (the rest is the overlap window). */
  rotateAtFraction: number;
}

export const DEFAULT_CREDENTIAL_POLICY: CredentialPolicy = { maxAgeMs: 24 * 3600_000, rotateAtFraction: 0.75 };

export function newCredential(
  publicJwk: Jwk,
  kid: string,
  issuedAtMs: number,
  policy: CredentialPolicy,
  generatedByWarden: boolean,
): AgentCredential {
  return {
    kid,
    publicJwk: { ...publicJwk, kid },
    issuedAt: new Date(issuedAtMs).toISOString(),
    expiresAt: new Date(issuedAtMs + policy.maxAgeMs).toISOString(),
    rotationDueAt: new Date(issuedAtMs + Math.floor(policy.maxAgeMs * policy.rotateAtFraction)).toISOString(),
    generatedByWarden,
  };
}

/** Public JWK members that may be stored; anything private (d, p, q, …) or exotic is refused. */
const PUBLIC_MEMBERS: Record<string, string[]> = {
  EC: ['kty', 'crv', 'x', 'y'],
  RSA: ['kty', 'n', 'e'],
  OKP: ['kty', 'crv', 'x'],
};
const CURVES: Record<string, string[]> = { EC: ['P-256', 'P-384'], OKP: ['Ed25519'] };

/** Checks an agent's public key; returns problems (empty = acceptable). */
export function validatePublicJwk(jwk: unknown): string[] {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return ['publicJwk must be a JSON object'];
  const key = jwk as Record<string, unknown>;
  const members = PUBLIC_MEMBERS[String(key.kty)];
  if (!members) return ['publicJwk.kty must be EC, RSA or OKP'];
  if ('d' in key || 'p' in key || 'q' in key)
    return ['publicJwk contains private key material: send only the public key'];
  for (const m of members)
    if (typeof key[m] !== 'string' || (key[m] as string).length === 0) return [`publicJwk.${m} is required`];
  const curves = CURVES[String(key.kty)];
  if (curves && !curves.includes(String(key.crv))) return [`publicJwk.crv must be one of ${curves.join(', ')}`];
  if (key.kty === 'RSA' && (key.n as string).length < 342) return ['RSA keys must be at least 2048 bits'];
  if (key.use !== undefined && key.use !== 'sig') return ['publicJwk.use must be "sig"'];
  return [];
}

/** Only the public members survive into state (plus alg when it is one we accept). */
export function publicOnly(jwk: Jwk): Jwk {
  const members = PUBLIC_MEMBERS[jwk.kty] ?? [];
  const out: Jwk = { kty: jwk.kty };
  for (const m of members) out[m] = jwk[m];
  return out;
}

export interface AssertionRecord {
  jti: string;
  /** Epoch ms after which the jti can be forgotten (the assertion's own expiry). */
  expiresAtMs: number;
}

/** Recent client-assertion ids, for replay detection; bounded because assertions live minutes. */
export const MAX_REMEMBERED_ASSERTIONS = 5_000;

/** The associated data a sealed agent private key is bound to: it opens for this agent only. */
export const agentKeyAad = (agentId: string) => `agent-credential:${agentId}`;
