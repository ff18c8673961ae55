/**
 * The console's production sign-in, in a real browser against a real OpenID provider (node-oidc-provider,
 * its development login and consent pages): authorization code with PKCE as a public client, the access
 * token (a JWT for the API's audience, by RFC 8707 resource) is what the API takes as a person's bearer
 * token; the page the person opened survives the round trip; the token lives in the tab's sessionStorage
 * only — never in a URL, a cookie or localStorage — and signing out forgets it.
 */
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../launcher/ports.js';
import { WARDEN } from '../services/commands.js';
import { startStack, type Stack } from './helpers/stack.js';
import type http from 'node:http';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let stack: Stack;
let browser: Browser;
let idp: http.Server;
let issuer: string;
const email = () => `olivia-${stack?.tag ?? 'x'}@example.com`;

beforeAll(async () => {
  const apiPort = await freePort();
  const idpPort = await freePort();
  issuer = `http://127.0.0.1:${idpPort}`;
  const api = `http://127.0.0.1:${apiPort}`;
  const resource = `${api}/graphql`;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'warden-console',
        token_endpoint_auth_method: 'none',
        redirect_uris: [`${api}/console/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'idp-1' }] },
    // The login is the person's email, as a directory-backed provider would have it.
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id, email: id, name: 'Olivia from the IdP' }),
    }),
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'warden',
          audience: resource,
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  });
  idp = provider.listen(idpPort, '127.0.0.1');
  stack = await startStack({
    env: {
      WARDEN_API_PORT: String(apiPort),
      WARDEN_PUBLIC_URL: api,
      WARDEN_OIDC_ISSUER: issuer,
      WARDEN_OIDC_JWKS_URL: `${issuer}/jwks`,
      WARDEN_OIDC_AUDIENCE: resource,
      WARDEN_CONSOLE_CLIENT_ID: 'warden-console',
      WARDEN_CONSOLE_SCOPE: 'openid email profile warden',
      WARDEN_CONSOLE_RESOURCE: resource,
    },
  });
  await stack.api.services.people.upsert(WARDEN, { email: email(), displayName: 'Olivia Owner', roles: ['approver'] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await new Promise<void>((r) => (idp ? idp.close(() => r()) : r()));
});

it(
  'signs in at the OpenID provider with code + PKCE and calls the API with the access token it gets',
  { timeout: 90_000 },
  async () => {
    const config = await (await fetch(`${stack.api.url}/console/config.json`)).json();
    expect(config).toMatchObject({ mode: 'oidc', oidc: { issuer, clientId: 'warden-console' } });
    const devSignIn = await fetch(`${stack.api.url}/console/dev-session`);
    expect(devSignIn.status).toBe(404);
    // The page may call the provider: its issuer and the token endpoint its discovery document names (here
    // on the issuer's origin too).
    const page = await fetch(`${stack.api.url}/console`);
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ${issuer};`);

    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const urls: string[] = [];
      const authorizations: string[] = [];
      const bearers: string[] = [];
      page.on('framenavigated', (f) => urls.push(f.url()));
      page.on('request', (r) => {
        if (r.url().startsWith(`${issuer}/auth`)) authorizations.push(r.url());
        const auth = r.headers().authorization;
        if (auth) bearers.push(`${new URL(r.url()).origin}${new URL(r.url()).pathname} ${auth.slice(0, 7)}`);
      });
      // A notification's deep link, opened by someone not signed in yet.
      await page.goto(`${stack.api.url}/console/agents/00000000-0000-4000-8000-000000000000`);
      await page.getByRole('heading', { name: 'Sign in to the Warden console' }).waitFor();
      await page.getByRole('button', { name: 'Sign in' }).click();

      // The provider's own login and consent pages.
      await page.locator('input[name="login"]').fill(email());
      await page.locator('input[name="password"]').fill('any');
      await page.locator('button[type="submit"]').click();
      await page.getByRole('button', { name: 'Continue' }).click();

      // Back at the page the person opened, signed in as the directory names them.
      await page.waitForURL(`${stack.api.url}/console/agents/00000000-0000-4000-8000-000000000000`, {
        timeout: 30_000,
      });
      await page.getByText('Signed in as Olivia Owner').waitFor({ timeout: 30_000 });
      // The API answered the person (the agent does not exist, or is not theirs to see).
      await page.getByRole('alert').waitFor({ timeout: 30_000 });

      const authorize = new URL(authorizations[0]!);
      expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
        client_id: 'warden-console',
        response_type: 'code',
        code_challenge_method: 'S256',
        redirect_uri: `${stack.api.url}/console/callback`,
        resource: `${stack.api.url}/graphql`,
        scope: 'openid email profile warden',
      });
      expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // The token went to the API as a header only: never in an address, never in a cookie or localStorage.
      expect(bearers.length).toBeGreaterThan(0);
      expect(bearers.every((b) => b.startsWith(`${stack.api.url}/graphql Bearer`))).toBe(true);
      const stored = await page.evaluate(() => ({
        session: sessionStorage.getItem('warden.console.session'),
        pending: sessionStorage.getItem('warden.console.oidc'),
        local: localStorage.length,
      }));
      const session = JSON.parse(stored.session!);
      expect(session).toMatchObject({ email: email(), via: 'oidc' });
      expect(stored.pending).toBeNull(); // the state and verifier are used once
      expect(stored.local).toBe(0);
      for (const url of urls) expect(url).not.toContain(session.token);
      // (The provider's own session cookies share the host name 127.0.0.1; none of them is Warden's.)
      for (const cookie of await context.cookies(stack.api.url)) expect(cookie.value).not.toContain(session.token);
      const viewer = await stack.gql(`{ viewer { email roles } }`, {}, session.token);
      expect(viewer.data?.viewer).toEqual({ email: email(), roles: ['APPROVER'] });

      // A second use of the callback (its code and state spent) signs nobody in.
      await page.goto(urls.find((u) => u.includes('/console/callback?'))!);
      await page.getByText('This sign-in was not started here').waitFor({ timeout: 15_000 });

      // Signing out forgets the token.
      await page.goto(`${stack.api.url}/console`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to the Warden console' }).waitFor();
      expect(await page.evaluate(() => sessionStorage.getItem('warden.console.session'))).toBeNull();
    } finally {
      await context.close();
    }
  },
);
