/** Discovery documents: authorization-server metadata (RFC 8414) and protected-resource metadata (RFC 9728). */
import type { CredentialSettings } from '../../config/config.js';
import { TOKEN_EXCHANGE } from './token-endpoint.js';

export function authorizationServerMetadata(s: CredentialSettings) {
  return {
    issuer: s.issuer,
    // Warden has no authorization endpoint to offer (agents use client_credentials; people sign in at their
    // own OpenID provider), but RFC 8414 clients such as the official MCP SDK require one in the document:
    // it is named, and answers every request unsupported_response_type (response_types_supported is empty).
    authorization_endpoint: `${s.issuer}/oauth/authorize`,
    token_endpoint: s.tokenEndpoint,
    jwks_uri: `${s.issuer}/.well-known/jwks.json`,
    revocation_endpoint: `${s.issuer}/oauth/revoke`,
    introspection_endpoint: `${s.issuer}/oauth/introspect`,
    grant_types_supported: ['client_credentials', TOKEN_EXCHANGE],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'],
    // What each endpoint accepts, and nothing else (RFC 8414): agents revoke with private_key_jwt (a
    // bearer access token is also taken, but is not a client authentication method); tools introspect
    // with their client secret.
    revocation_endpoint_auth_methods_supported: ['private_key_jwt'],
    revocation_endpoint_auth_signing_alg_values_supported: ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
    response_types_supported: [],
    scopes_supported: [],
    authorization_response_iss_parameter_supported: false,
  };
}

/**
 * Where RFC 9728 puts a resource's metadata: `/.well-known/oauth-protected-resource` inserted between the
 * resource URL's host and its path (`https://w.example/graphql` → `https://w.example/.well-known/oauth-protected-resource/graphql`).
 */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}

/** RFC 9728 metadata of a protected resource (the API, or a tool behind the gateway). */
export function protectedResourceMetadata(s: CredentialSettings, resource: string, name: string) {
  return {
    resource,
    authorization_servers: [s.issuer],
    jwks_uri: `${s.issuer}/.well-known/jwks.json`,
    bearer_methods_supported: ['header'],
    resource_signing_alg_values_supported: ['ES256'],
    resource_name: name,
  };
}
