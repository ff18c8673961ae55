/**
 * Warden's built-in development issuer for human tokens: an ES256 key kept in the data folder, so every
 * API process on this machine (and `npm run token`) shares it. For local use only; production configures
 * a real OIDC issuer (WARDEN_OIDC_ISSUER, WARDEN_OIDC_JWKS_URL).
 */
import fs from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { isRole, normalizeEmail, type Role } from '../../domain/people.js';

const ALG = 'ES256';

export interface DevIssuerKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

function keyFile(dataDir: string): string {
  return path.join(dataDir, 'dev-issuer', 'signing-key.jwk.json');
}

/** Loads the development issuer key, creating it on first use (file mode 0600). */
export async function loadDevIssuerKey(dataDir: string): Promise<DevIssuerKey> {
  const file = keyFile(dataDir);
  if (!fs.existsSync(file)) {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    const jwk = await exportJWK(privateKey);
    jwk.kid = await calculateJwkThumbprint(jwk);
    jwk.alg = ALG;
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, JSON.stringify(jwk), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const jwk = JSON.parse(fs.readFileSync(file, 'utf8')) as JWK;
  const { d: _d, ...publicJwk } = jwk;
  return {
    kid: jwk.kid!,
    privateKey: (await importJWK(jwk, ALG)) as CryptoKey,
    publicJwk: { ...publicJwk, use: 'sig' },
  };
}

export interface DevTokenRequest {
  email: string;
  /**
   * A `roles` claim, which can only narrow what the person may do (their roles are the directory's); leave
   * it out for a token that carries whatever roles the directory gives the person.
   */
  roles?: Role[];
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export async function signDevToken(key: DevIssuerKey, req: DevTokenRequest): Promise<string> {
  for (const role of req.roles ?? []) if (!isRole(role)) throw new Error(`unknown role ${role}`);
  const email = normalizeEmail(req.email);
  return new SignJWT({ email, ...(req.roles ? { roles: req.roles } : {}) })
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(req.issuer)
    .setAudience(req.audience)
    .setSubject(email)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(`${req.ttlSeconds}s`)
    .setJti(crypto.randomUUID())
    .sign(key.privateKey);
}
