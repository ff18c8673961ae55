/** Agents' own key pairs (when Warden generates them) and the thumbprint that names a public key. */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { publicOnly, type Jwk } from '../domain/credentials.js';

export interface GeneratedAgentKey {
  kid: string;
  publicJwk: Jwk;
  privateJwk: Jwk;
}

/** An ES256 key pair; `kid` is the RFC 7638 thumbprint of the public key. */
export async function generateAgentKey(): Promise<GeneratedAgentKey> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const { kty, crv, x, y, d } = await exportJWK(privateKey);
  const publicJwk = { kty: kty!, crv, x, y };
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, publicJwk: { ...publicJwk, kid }, privateJwk: { ...publicJwk, d, kid, alg: 'ES256' } };
}

/** The thumbprint of an agent-supplied public key, computed over its public members only. */
export async function thumbprintOf(jwk: Jwk): Promise<string> {
  return calculateJwkThumbprint(publicOnly(jwk) as JWK);
}
