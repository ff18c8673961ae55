/**
 * Production sign-in: OpenID Connect authorization code with PKCE (oauth4webapi) at WARDEN_OIDC_ISSUER, as
 * a public client. The state and the PKCE verifier wait in sessionStorage during the round trip; the access
 * token (audience: the API) is what the console sends, as any other client of the API would.
 */
import * as oauth from 'oauth4webapi';
import type { ConsoleConfig, Session } from './session';

const PENDING = 'warden.console.oidc';

type Oidc = NonNullable<ConsoleConfig['oidc']>;

/** Plain http only for a provider on this machine (tests, local development). */
function httpAllowed(issuer: URL): boolean {
  return issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
}

async function discover(oidc: Oidc): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(oidc.issuer);
  const res = await oauth.discoveryRequest(issuer, {
    algorithm: 'oidc',
    [oauth.allowInsecureRequests]: httpAllowed(issuer),
  });
  return oauth.processDiscoveryResponse(issuer, res);
}

/** Sends the browser to the provider; it comes back to /console/callback. */
export async function beginSignIn(oidc: Oidc, returnTo: string): Promise<void> {
  const as = await discover(oidc);
  if (!as.authorization_endpoint) throw new Error('The OpenID provider has no authorization endpoint.');
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce, returnTo }));
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', oidc.clientId);
  url.searchParams.set('redirect_uri', oidc.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', oidc.scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  if (oidc.resource) url.searchParams.set('resource', oidc.resource);
  location.assign(url.href);
}

/** At /console/callback: checks the state, redeems the code with the verifier; answers where to go next. */
export async function completeSignIn(oidc: Oidc): Promise<{ session: Session; returnTo: string }> {
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (!raw) throw new Error('This sign-in was not started here (or was already finished). Sign in again.');
  const pending = JSON.parse(raw) as { verifier: string; state: string; nonce: string; returnTo: string };
  const as = await discover(oidc);
  const client: oauth.Client = { client_id: oidc.clientId };
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), pending.state);
  const issuer = new URL(oidc.issuer);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    oidc.redirectUri,
    pending.verifier,
    {
      [oauth.allowInsecureRequests]: httpAllowed(issuer),
      ...(oidc.resource ? { additionalParameters: { resource: oidc.resource } } : {}),
    },
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: pending.nonce,
    requireIdToken: true,
  });
  const claims = oauth.getValidatedIdTokenClaims(result);
  const email = typeof claims?.email === 'string' ? claims.email : String(claims?.sub ?? '');
  const name = typeof claims?.name === 'string' ? claims.name : null;
  const expiresIn = typeof result.expires_in === 'number' ? result.expires_in : 300;
  return {
    session: {
      token: result.access_token,
      expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString(),
      email,
      displayName: name,
      via: 'oidc',
    },
    returnTo: pending.returnTo.startsWith('/console') ? pending.returnTo : '/console',
  };
}
