/**
 * The token-endpoint baseline: node-oidc-provider on the same runtime, configured like Warden's
 * /oauth/token for agents — client_credentials, `private_key_jwt` client authentication with ES256 client
 * keys (assertion `jti` replay detection through its adapter: the default in-memory one), and ES256-signed
 * JWT access tokens (RFC 9068 `at+jwt`, via resource indicators) for one resource, 5 minutes.
 *
 * Its own process; bench/run.ts passes a JSON file (BENCH_OIDC_CONFIG) with the issuer, port, the
 * provider's private signing JWK, the resource and the clients' public JWKs, and waits for the IPC message.
 */
import fs from 'node:fs';
import Provider from 'oidc-provider';

interface OidcBenchConfig {
  issuer: string;
  port: number;
  resource: string;
  signingJwk: Record<string, unknown>;
  clients: { clientId: string; publicJwk: Record<string, unknown> }[];
  accessTokenTtlSeconds: number;
}

const file = process.env.BENCH_OIDC_CONFIG;
if (!file) throw new Error('BENCH_OIDC_CONFIG is required');
const cfg = JSON.parse(fs.readFileSync(file, 'utf8')) as OidcBenchConfig;

const provider = new Provider(cfg.issuer, {
  clients: cfg.clients.map((c) => ({
    client_id: c.clientId,
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    id_token_signed_response_alg: 'ES256',
    jwks: { keys: [c.publicJwk] },
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  })),
  clientAuthMethods: ['private_key_jwt'],
  jwks: { keys: [cfg.signingJwk] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => cfg.resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'api',
        audience: cfg.resource,
        accessTokenTTL: cfg.accessTokenTtlSeconds,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});

const server = provider.listen(cfg.port, '127.0.0.1', () => {
  process.send?.({ ready: 'oidc-provider' });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)));
