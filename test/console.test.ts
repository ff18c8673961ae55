/**
 * The approvers' console (console/, served by api/web/console.ts) on a real stack and in a real browser
 * (Debian's Chromium, headless, driven by playwright-core): its pages carry the strict page headers and
 * say so when the bundle is missing, and in OIDC mode let the page reach the provider's discovered token
 * endpoint; development sign-in answers only at the public URL's host and from this machine (unless opted in
 * to the network), takes JSON from the console's own origin only and gives a person the directory's roles
 * only; an owner signs in, sees a held action arrive live, reads why Warden held it and its value against
 * the agent's usual range, and approves it; a person who may not decide sees the buttons disabled with the
 * reason, and a forged or unauthorized decision changes nothing.
 *
 * Screenshots go to test-results/; with WARDEN_UPDATE_SCREENSHOTS=1 the inbox and action page ones go to
 * docs/ (README's "Approvers' console").
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createConsole, DEV_SESSION_TTL_SECONDS } from '../api/web/console.js';
import { devSignInRefusal, isLoopbackAddress } from '../api/web/dev-sign-in-guard.js';
import { pageSecurityHeaders } from '../api/web/security-headers.js';
import { loadConfig, PROJECT_ROOT, type WardenConfig } from '../config/config.js';
import { registerTestAgent, type TestAgent } from './helpers/agents.js';
import { launchBrowser, signInAs as signIn } from './helpers/console.js';
import { listen } from './helpers/http-servers.js';
import { eventually, startStack, type Stack } from './helpers/stack.js';

const SHOTS =
  process.env.WARDEN_UPDATE_SCREENSHOTS === '1'
    ? path.join(PROJECT_ROOT, 'docs')
    : path.join(PROJECT_ROOT, 'test-results');

let stack: Stack;
let browser: Browser;
let admin: string;
let invoices: TestAgent;
let reports: TestAgent;
let heldExport: string;
const email = (who: string) => `${who}-${stack.tag}@example.com`;
const erp = () => `erp-${stack.tag}`;

const REQUEST = `mutation($input: RequestActionInput!) { requestAction(input: $input) {
  action { id status risk { score reasons { signal detail } } } } }`;
const STATUS = `query($id: ID!) { actionRequest(id: $id) { status approval { decidedBy decision comment } } }`;

let seq = 0;
async function request(agent: TestAgent, input: Record<string, unknown>) {
  const res = await agent.gql(REQUEST, {
    input: { volume: 0, amount: 0, idempotencyKey: `console-${++seq}`, justification: 'routine', ...input },
  });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data.requestAction.action as {
    id: string;
    status: string;
    risk: { score: number; reasons: { signal: string; detail: string }[] };
  };
}

/**
 * Serves one console handler on its own port (for configurations the test stack does not run), at `host`
 * (an IPv4 address); `config` may depend on the URL it is served at (e.g. to be its public URL).
 */
async function serveConsole(
  config: WardenConfig | ((url: string) => WardenConfig),
  host = '127.0.0.1',
): Promise<{ url: string; close(): Promise<void> }> {
  let handle: ReturnType<typeof createConsole> | null = null;
  const server = http.createServer((req, res) => {
    handle!(req, res, (req.url ?? '/').split('?')[0]!).catch((err) => res.writeHead(500).end(String(err)));
  });
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  const served = typeof config === 'function' ? config(url) : config;
  handle = createConsole({ config: served, people: stack.api.services.people, audit: stack.api.audit });
  return { url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A request with headers fetch will not send as given (Host). */
function rawRequest(
  url: string,
  o: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: o.method ?? 'GET', headers: o.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null });
      });
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** The audit trail's messages about refused development sign-ins with this code. */
async function signInRefusalsAudited(code: string): Promise<string[]> {
  return eventually(async () => {
    const res = await stack.gql(
      `query($f: AuditEventFilter) { auditEvents(first: 200, filter: $f) { edges { node { message } } } }`,
      { f: { type: 'io.warden.access.denied' } },
      admin,
    );
    expect(res.errors).toBeUndefined();
    const messages: string[] = (res.data?.auditEvents.edges ?? [])
      .map((e: any) => e.node.message as string)
      .filter((m: string) => m.includes(`development sign-in was refused (${code})`));
    return messages.length ? messages : undefined;
  });
}

beforeAll(async () => {
  // The repository's routing policy: the default and HIGH rules take one approval by the owner or security;
  // an amount of 50,000 or more takes two, one of them from security.
  stack = await startStack({
    env: { WARDEN_APPROVAL_POLICY: path.join(PROJECT_ROOT, 'config', 'approval-policy.yaml') },
  });
  admin = await stack.token(email('alice'), ['admin']);
  await stack.token(email('sam'), ['security', 'approver']);
  await stack.token(email('bob'), ['approver']);
  const people = [
    { email: email('alice'), displayName: 'Alice Admin', roles: ['ADMIN'] },
    { email: email('olivia'), displayName: 'Olivia Owner', roles: ['APPROVER'] },
    { email: email('sam'), displayName: 'Sam Security', roles: ['SECURITY', 'APPROVER'] },
    { email: email('bob'), displayName: 'Bob Bystander', roles: ['APPROVER'] },
  ];
  for (const i of people) {
    const res = await stack.gql(
      `mutation($i: UpsertPersonInput!) { upsertPerson(input: $i) { person { email } } }`,
      { i },
      admin,
    );
    expect(res.errors).toBeUndefined();
  }
  const tool = await stack.gql(
    `mutation($t: RegisterToolInput!) { registerTool(input: $t) { tool { name } } }`,
    {
      t: {
        name: erp(),
        resource: 'https://erp.example.com/api/',
        authMode: 'WARDEN_JWT',
        operations: [
          { name: 'pay_invoice', sensitivity: 'MEDIUM' },
          { name: 'read_invoice', sensitivity: 'LOW' },
          { name: 'export_ledger', sensitivity: 'HIGH' },
          { name: 'wire_transfer', sensitivity: 'CRITICAL' },
        ],
      },
    },
    admin,
  );
  expect(tool.errors).toBeUndefined();
  const agent = async (name: string, operations: string[]) => {
    const a = await registerTestAgent(stack, admin, {
      name,
      ownerEmail: email('olivia'),
      platform: 'finance',
      allowedTools: [{ tool: erp(), operations }],
    });
    // Warm-up by count only: the test cannot wait a week.
    const set = await stack.gql(
      `mutation($id: ID!, $p: JSON) { setAgentRiskPolicy(input: { agentId: $id, policy: $p }) }`,
      { id: a.id, p: { warmup: { actions: 6, days: 0 } } },
      admin,
    );
    expect(set.errors).toBeUndefined();
    return a;
  };
  invoices = await agent(`Invoice agent`, ['pay_invoice', 'read_invoice']);
  reports = await agent(`Reporting agent`, ['read_invoice']);
  // The invoice agent's usual work: invoices of one to two thousand, each allowed and learned.
  for (const amount of [1200, 950, 1800, 1400, 1100, 1650, 1300, 1500]) {
    const a = await request(invoices, { tool: erp(), operation: 'pay_invoice', amount, resourceId: `INV-${amount}` });
    expect(a.status).toBe('ALLOWED');
  }
  // Held before anyone looks: an export the reporting agent is not allowed.
  const held = await request(reports, {
    tool: erp(),
    operation: 'export_ledger',
    volume: 120_000,
    justification: 'Year-end audit pack',
  });
  expect(held.status).toBe('PENDING_APPROVAL');
  heldExport = held.id;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('serving the console', () => {
  it('serves the app with the page security headers on every path under /console; assets are hashed and cached for good', async () => {
    const expected = pageSecurityHeaders();
    for (const p of ['/console', '/console/', `/console/actions/${heldExport}`, '/console/agents/x/audit']) {
      const res = await fetch(`${stack.api.url}${p}`);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      for (const [name, value] of Object.entries(expected)) expect(res.headers.get(name), `${p} ${name}`).toBe(value);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      expect(html).toContain('<div id="app">');
      expect(html).not.toMatch(/<script>|<style>| style=/); // nothing inline: the CSP would refuse it
    }
    expect(expected['content-security-policy']).toContain("script-src 'self'");
    expect(expected['content-security-policy']).toContain("frame-ancestors 'none'");

    const html = await (await fetch(`${stack.api.url}/console`)).text();
    const script = /src="(\/console\/assets\/index-[A-Za-z0-9_-]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${stack.api.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-security-policy')).toBe(expected['content-security-policy']);

    for (const p of [
      '/console/assets/missing-abc.js',
      '/console/assets/..%2f..%2fpackage.json',
      '/console/assets/x.exe',
    ]) {
      const res = await fetch(`${stack.api.url}${p}`);
      expect(res.status, p).toBe(404);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
    const post = await fetch(`${stack.api.url}/console`, { method: 'POST' });
    expect(post.status).toBe(405);

    const config = await fetch(`${stack.api.url}/console/config.json`);
    expect(config.headers.get('cache-control')).toBe('no-store');
    expect(await config.json()).toEqual({
      mode: 'development',
      graphqlPath: '/graphql',
      oidc: null,
      temporal: { uiUrl: null, namespace: 'default' },
    });
  });

  it('answers 503 naming `npm run build:console` when the console is not built', async () => {
    const empty = fs.mkdtempSync(path.join(inject('runDir'), 'no-console-'));
    const served = await serveConsole({ ...stack.config, console: { ...stack.config.console, dir: empty } });
    try {
      for (const p of ['/console', `/console/actions/${heldExport}`]) {
        const res = await fetch(`${served.url}${p}`);
        expect(res.status).toBe(503);
        expect(res.headers.get('content-security-policy')).toBe(pageSecurityHeaders()['content-security-policy']);
        const body = await res.text();
        expect(body).toContain('npm run build:console');
        expect(body).not.toContain(empty); // no server paths
      }
    } finally {
      await served.close();
    }
  });

  it('in production there is no development sign-in; the app is told the OpenID provider, which the CSP lets it reach', async () => {
    const served = await serveConsole({
      ...stack.config,
      production: true,
      humans: {
        ...stack.config.humans,
        issuer: 'https://id.example.com/tenant',
        jwksUrl: 'https://id.example.com/jwks',
      },
      console: { ...stack.config.console, clientId: 'warden-console', resource: 'https://warden.example.com/graphql' },
    });
    try {
      const post = await fetch(`${served.url}/console/dev-session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: stack.config.api.publicUrl },
        body: JSON.stringify({ email: email('olivia') }),
      });
      expect(post.status).toBe(404);
      expect((await post.json()).message).toContain('WARDEN_OIDC_ISSUER');
      expect((await fetch(`${served.url}/console/dev-session`)).status).toBe(404);
      const res = await fetch(`${served.url}/console/config.json`);
      expect(await res.json()).toMatchObject({
        mode: 'oidc',
        oidc: {
          issuer: 'https://id.example.com/tenant',
          clientId: 'warden-console',
          scope: 'openid email profile',
          resource: 'https://warden.example.com/graphql',
          redirectUri: `${stack.config.api.publicUrl}/console/callback`,
        },
      });
      expect(res.headers.get('content-security-policy')).toContain("connect-src 'self' https://id.example.com;");
    } finally {
      await served.close();
    }
  });

  it('in OIDC mode the CSP also lets the app reach the token endpoint the provider’s discovery document names', async () => {
    // A provider whose token endpoint is on another origin (as Google's: accounts.google.com, oauth2.googleapis.com).
    const discoveries: string[] = [];
    const idp = await listen((req, res) => {
      discoveries.push(req.url ?? '');
      const issuer = `http://${req.headers.host}/tenant`;
      const document =
        req.url === '/tenant/.well-known/openid-configuration'
          ? { issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: 'https://oauth2.tokens.example/token' }
          : req.url === '/liar/.well-known/openid-configuration'
            ? { issuer: 'https://someone.else.example', token_endpoint: 'https://elsewhere.example/token' }
            : null;
      res.writeHead(document ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(document ?? {}));
    });
    const oidcAt = (issuer: string): WardenConfig => ({
      ...stack.config,
      production: true,
      humans: { ...stack.config.humans, issuer, jwksUrl: `${issuer}/jwks` },
      console: { ...stack.config.console, clientId: 'warden-console' },
    });
    const connectSrc = async (url: string, p: string) =>
      /connect-src ([^;]+)/.exec((await fetch(`${url}${p}`)).headers.get('content-security-policy') ?? '')?.[1];
    const served = await serveConsole(oidcAt(`${idp.url}/tenant`));
    // A document that names another issuer is not believed; nor is a missing one.
    const liar = await serveConsole(oidcAt(`${idp.url}/liar`));
    const missing = await serveConsole(oidcAt(`${idp.url}/gone`));
    try {
      for (const p of ['/console', '/console/config.json', '/console/dev-session'])
        expect(await connectSrc(served.url, p), p).toBe(`'self' ${idp.url} https://oauth2.tokens.example`);
      expect(await connectSrc(liar.url, '/console')).toBe(`'self' ${idp.url}`);
      expect(await connectSrc(missing.url, '/console')).toBe(`'self' ${idp.url}`);
      // Read once per console, not per page.
      expect(discoveries.filter((d) => d === '/tenant/.well-known/openid-configuration')).toHaveLength(1);
    } finally {
      await Promise.all([served.close(), liar.close(), missing.close(), idp.close()]);
    }
  });
});

describe('development sign-in', () => {
  const signIn = (body: string, headers: Record<string, string>) =>
    fetch(`${stack.api.url}/console/dev-session`, { method: 'POST', headers, body });
  const json = { 'content-type': 'application/json' };

  it('takes JSON from the console’s own origin only, and people in the directory only', async () => {
    const origin = stack.config.api.publicUrl;
    const body = JSON.stringify({ email: email('olivia') });
    const refusals: [Record<string, string>, string, number, string][] = [
      [{ ...json, origin: 'https://evil.example' }, body, 403, 'forbidden_origin'],
      [{ ...json, origin: 'null' }, body, 403, 'forbidden_origin'],
      [json, body, 403, 'forbidden_origin'],
      [{ 'content-type': 'text/plain', origin }, body, 415, 'unsupported_media_type'],
      [
        { 'content-type': 'application/x-www-form-urlencoded', origin },
        `email=${email('olivia')}`,
        415,
        'unsupported_media_type',
      ],
      [{ ...json, origin }, '{"email":', 400, 'bad_request'],
      [{ ...json, origin }, JSON.stringify({ email: 'not an email' }), 400, 'bad_request'],
      [{ ...json, origin }, JSON.stringify({ email: `nobody-${stack.tag}@example.com` }), 403, 'unknown_person'],
      [{ ...json, origin }, JSON.stringify({ email: 'x'.repeat(2000) }), 413, 'payload_too_large'],
    ];
    for (const [headers, payload, status, error] of refusals) {
      const res = await signIn(payload, headers);
      expect(res.status, JSON.stringify(headers)).toBe(status);
      const answer = await res.json();
      expect(answer.error).toBe(error);
      expect(answer.token).toBeUndefined();
    }
    // Nobody was added to the directory by the attempts.
    const listed = (await (await fetch(`${stack.api.url}/console/dev-session`)).json()).people as { email: string }[];
    expect(listed.map((p) => p.email)).not.toContain(`nobody-${stack.tag}@example.com`);
    expect(listed.map((p) => p.email)).toEqual(expect.arrayContaining([email('olivia'), email('sam'), email('alice')]));
  });

  it('gives a short-lived development-issuer token with no roles of its own: the person has what the directory says', async () => {
    const res = await signIn(JSON.stringify({ email: email('OLIVIA') }), {
      ...json,
      origin: stack.config.api.publicUrl,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const session = await res.json();
    expect(session).toMatchObject({ email: email('olivia'), displayName: 'Olivia Owner' });
    const claims = decodeJwt(session.token);
    expect(claims).toMatchObject({
      iss: stack.config.humans.issuer,
      aud: stack.config.humans.audience,
      sub: email('olivia'),
    });
    expect(claims.roles).toBeUndefined();
    expect(claims.exp! - claims.iat!).toBe(DEV_SESSION_TTL_SECONDS);
    const viewer = await stack.gql(`{ viewer { email roles } }`, {}, session.token);
    expect(viewer.data?.viewer).toEqual({ email: email('olivia'), roles: ['APPROVER'] });
  });

  it('answers only at the public URL’s host: a page on another name (DNS rebinding) reads no directory and signs nobody in', async () => {
    const origin = stack.config.api.publicUrl;
    const { port } = new URL(stack.api.url);
    const body = JSON.stringify({ email: email('alice') });
    for (const host of [`rebind.attacker.example:${port}`, `localhost:${port}`, `127.0.0.1:${Number(port) + 1}`]) {
      const headers = { host };
      const list = await rawRequest(`${stack.api.url}/console/dev-session`, { headers });
      expect(list.status, host).toBe(403);
      expect(list.body, host).toEqual({
        error: 'forbidden_host',
        message: expect.stringContaining(`${origin}/console`),
      });
      const post = await rawRequest(`${stack.api.url}/console/dev-session`, {
        method: 'POST',
        headers: { ...headers, origin, 'content-type': 'application/json' },
        body,
      });
      expect(post.status, host).toBe(403);
      expect(post.body.error).toBe('forbidden_host');
      expect(post.body.token).toBeUndefined();
    }
    // The public URL's own host, spelled as browsers may (any case).
    const own = await rawRequest(`${stack.api.url}/console/dev-session`, {
      headers: { host: new URL(origin).host.toUpperCase() },
    });
    expect(own.status).toBe(200);
    expect(own.body.people.length).toBeGreaterThan(0);
    const audited = await signInRefusalsAudited('forbidden_host');
    expect(audited.some((m) => m.includes('"rebind.attacker.example:'))).toBe(true);
  });

  it('answers only requests from this machine, not relayed by a proxy, unless WARDEN_CONSOLE_DEV_SIGNIN=network', async () => {
    // A peer that is not loopback: the machine's own network address (connecting to it from here, the peer
    // address the server sees is that address, not 127.0.0.1).
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    expect(external, 'this test needs a network interface with an IPv4 address').toBeDefined();
    const configAt =
      (reach: 'loopback' | 'network') =>
      (url: string): WardenConfig => ({
        ...stack.config,
        api: { ...stack.config.api, publicUrl: url },
        console: { ...stack.config.console, devSignIn: reach },
      });
    const signInAt = (url: string) =>
      fetch(`${url}/console/dev-session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: url },
        body: JSON.stringify({ email: email('alice') }),
      });

    const local = await serveConsole(configAt('loopback'), external);
    try {
      const list = await fetch(`${local.url}/console/dev-session`);
      expect(list.status).toBe(403);
      const refused = await list.json();
      expect(refused).toEqual({ error: 'dev_sign_in_local_only', message: expect.stringContaining('this machine') });
      expect(refused.people).toBeUndefined();
      const post = await signInAt(local.url);
      expect(post.status).toBe(403);
      expect(await post.json()).toMatchObject({ error: 'dev_sign_in_local_only' });
    } finally {
      await local.close();
    }
    expect((await signInRefusalsAudited('dev_sign_in_local_only')).join('\n')).toContain(`from ${external} `);

    const open = await serveConsole(configAt('network'), external);
    try {
      expect((await fetch(`${open.url}/console/dev-session`)).status).toBe(200);
      const post = await signInAt(open.url);
      expect(post.status).toBe(200);
      expect((await post.json()).email).toBe(email('alice'));
    } finally {
      await open.close();
    }

    // On this machine, but relayed by a proxy (which would make every remote client look local).
    const relays: Record<string, string>[] = [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }];
    for (const relay of relays) {
      const res = await fetch(`${stack.api.url}/console/dev-session`, { headers: relay });
      expect(res.status).toBe(403);
      expect((await res.json()).error).toBe('dev_sign_in_local_only');
    }
  });

  it('decides by the peer address and the Host header alone', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::FFFF:127.1.2.3'])
      expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of [
      '192.0.2.2',
      '10.0.0.1',
      '::ffff:192.0.2.2',
      'fd00::2',
      '::',
      '0.0.0.0',
      '128.0.0.1',
      '',
      undefined,
    ])
      expect(isLoopbackAddress(a), String(a)).toBe(false);
    const settings = { publicUrl: 'http://localhost:4000', reach: 'loopback' as const };
    const at = (remoteAddress: string, host: string | undefined, relayed = false) =>
      devSignInRefusal({ remoteAddress, host, relayed }, settings)?.code ?? null;
    expect(at('127.0.0.1', 'localhost:4000')).toBeNull();
    expect(at('::1', 'LOCALHOST:4000')).toBeNull();
    expect(at('192.0.2.2', 'localhost:4000')).toBe('dev_sign_in_local_only');
    expect(at('127.0.0.1', 'localhost:4000', true)).toBe('dev_sign_in_local_only');
    expect(at('127.0.0.1', 'evil.example:4000')).toBe('forbidden_host');
    expect(at('127.0.0.1', 'localhost')).toBe('forbidden_host');
    expect(at('127.0.0.1', 'localhost:4000/@evil.example')).toBe('forbidden_host');
    expect(at('127.0.0.1', undefined)).toBe('forbidden_host');
    // Anyone, from anywhere, with the network allowed — at the public URL's host only.
    const network = { publicUrl: 'https://warden.example.com', reach: 'network' as const };
    expect(
      devSignInRefusal({ remoteAddress: '192.0.2.2', host: 'warden.example.com:443', relayed: true }, network),
    ).toBeNull();
    expect(devSignInRefusal({ remoteAddress: '192.0.2.2', host: 'other.example', relayed: false }, network)?.code).toBe(
      'forbidden_host',
    );
    // `npm start`'s defaults: listening on 127.0.0.1, this machine only, at http://localhost:4000.
    const defaults = loadConfig({});
    expect(defaults.api).toMatchObject({ host: '127.0.0.1', publicUrl: 'http://localhost:4000' });
    expect(defaults.console.devSignIn).toBe('loopback');
    expect(loadConfig({ WARDEN_CONSOLE_DEV_SIGNIN: 'network' }).console.devSignIn).toBe('network');
    expect(() => loadConfig({ WARDEN_CONSOLE_DEV_SIGNIN: 'anyone' })).toThrow(
      /WARDEN_CONSOLE_DEV_SIGNIN must be one of/,
    );
  });
});

const signInAs = (context: BrowserContext, who: string, at?: string, watch?: (page: Page) => void) =>
  signIn(stack, context, email(who), at, watch);

describe('in the browser', () => {
  it(
    'an owner signs in, sees a held action arrive live, reads why Warden held it against the usual range, and approves it',
    { timeout: 120_000 },
    async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const inboxReads: string[] = [];
        const failures: string[] = [];
        const owner = await signInAs(context, 'olivia', '/console', (page) => {
          page.on('request', (r) => r.postData()?.includes('query Inbox') && inboxReads.push(r.url()));
          page.on('console', (m) => m.type() === 'error' && failures.push(m.text()));
          page.on('pageerror', (e) => failures.push(String(e)));
        });

        await owner.getByRole('heading', { name: 'Pending approvals' }).waitFor();
        await owner
          .locator(`tr[data-action-id="${heldExport}"]`)
          .waitFor()
          .catch(async (err) => {
            throw new Error(`${err}\n${await owner.locator('body').innerText()}\n${failures.join('\n')}`);
          });
        // The list has been read again after the subscription first looked: what comes now comes live.
        await expect.poll(() => inboxReads.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
        await owner.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

        const held = await request(invoices, {
          tool: erp(),
          operation: 'pay_invoice',
          amount: 48_500,
          resourceId: 'INV-2047',
          justification: 'Annual licence renewal, approved budget line 7',
          context: { onBehalfOf: email('olivia'), sourceNetwork: '10.1.0.0/16' },
        });
        expect(held.status).toBe('PENDING_APPROVAL');

        const row = owner.locator(`tr[data-action-id="${held.id}"]`);
        await row.waitFor({ timeout: 30_000 });
        expect(await row.getAttribute('class')).toContain('fresh'); // brought by the subscription
        expect(await owner.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
        await expect
          .poll(() => owner.locator('[aria-live="polite"]').innerText())
          .toContain(`New approval request: Invoice agent asks for ${erp()}.pay_invoice`);
        // Newest first, with agent, owner, tool and operation, amount, risk and deadline.
        expect(await owner.locator('tbody tr').first().getAttribute('data-action-id')).toBe(held.id);
        const cells = await row.locator('th, td').allInnerTexts();
        expect(cells[0]).toContain(`${erp()}.pay_invoice`);
        expect(cells[1]).toBe(`Invoice agent`);
        expect(cells[2]).toBe('Olivia Owner');
        expect(cells[3]).toBe('amount 48,500');
        expect(cells[4]).toContain(String(held.risk.score));
        // The default rule's deadline, 24 h: "in 23 h 59 min", or "in 1 d" when the page shows it within half
        // a second of the hold (durations are written to the second).
        expect(cells[5]).toMatch(/^in (23 h|1 d$)/);
        await owner.screenshot({
          path: path.join(SHOTS, 'console-inbox.png'),
          clip: { x: 0, y: 0, width: 1280, height: 440 },
        });

        // The action's page.
        await row.getByRole('link', { name: `${erp()}.pay_invoice` }).click();
        await owner.waitForURL(`**/console/actions/${held.id}`);
        await owner.getByRole('heading', { name: `Invoice agent asks for ${erp()}.pay_invoice` }).waitFor();
        const facts = await owner.getByTestId('request').innerText();
        for (const text of [
          'INV-2047',
          'Annual licence renewal, approved budget line 7',
          'onBehalfOf',
          email('olivia'),
          '48,500',
        ])
          expect(facts).toContain(text);
        const reasons = await owner.getByTestId('reasons').innerText();
        expect(held.risk.reasons.length).toBeGreaterThan(0);
        for (const r of held.risk.reasons) expect(reasons).toContain(r.detail);
        // The chart: the usual band learned from the eight invoices, their values, and this request above it.
        const chart = owner.getByTestId('range-chart');
        expect(await chart.locator('rect.usual').count()).toBe(1);
        await expect.poll(() => chart.locator('circle.recent').count()).toBe(8);
        expect(await chart.getAttribute('class')).toBe('above');
        const caption = await owner.locator('figure.chart figcaption').innerText();
        expect(caption).toMatch(
          /This request: an amount of 48,500\. Usually [\d,]+ to [\d,]+ for .*pay_invoice \(typically 1,\d{3}, from 8 earlier requests\): [\d.]+× the top of the usual range\./,
        );
        expect(await owner.getByTestId('containment').innerText()).toMatch(/contain/);
        await owner.getByRole('link', { name: 'Audit events of this action' }).waitFor();
        await owner.screenshot({ path: path.join(SHOTS, 'console-action.png'), fullPage: true });

        // Approve, with a comment.
        await owner.getByLabel('Comment (required to deny)').fill('Renewal confirmed with finance');
        await owner.getByRole('button', { name: 'Approve' }).click();
        await owner.locator('.lede [data-status="APPROVED"]').waitFor({ timeout: 30_000 });
        expect(await owner.getByTestId('decided').innerText()).toMatch(
          new RegExp(`^Approved by ${email('olivia').replace(/[.]/g, '\\.')} on .+: “Renewal confirmed with finance”$`),
        );
        const after = await stack.gql(STATUS, { id: held.id }, admin);
        expect(after.data?.actionRequest).toEqual({
          status: 'APPROVED',
          approval: { decidedBy: email('olivia'), decision: 'APPROVE', comment: 'Renewal confirmed with finance' },
        });
        expect(failures).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );

  it(
    'a person who may not decide sees Approve and Deny disabled, with why; a deep link survives sign-in',
    { timeout: 60_000 },
    async () => {
      const context = await browser.newContext();
      try {
        const page = await signInAs(context, 'alice', `/console/actions/${heldExport}`);
        await page.getByRole('heading', { name: `Reporting agent asks for ${erp()}.export_ledger` }).waitFor();
        expect(page.url()).toBe(`${stack.api.url}/console/actions/${heldExport}`);
        for (const name of ['Approve', 'Deny'])
          expect(await page.getByRole('button', { name }).isDisabled()).toBe(true);
        expect(await page.getByLabel('Comment (required to deny)').isDisabled()).toBe(true);
        const note = await page.locator('#decision-note').innerText();
        expect(note.length).toBeGreaterThan(10);
        expect(await page.getByRole('button', { name: 'Approve' }).getAttribute('aria-describedby')).toBe(
          'decision-note',
        );
        // Admins read the action's audit trail in the console.
        await page.getByRole('link', { name: 'Audit events of this action' }).click();
        await page.getByRole('heading', { name: 'Audit events of this action' }).waitFor();
        await page.getByTestId('audit').waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('audit').innerText()).toContain(`Held for approval: ${erp()} export_ledger`);
      } finally {
        await context.close();
      }
    },
  );

  it(
    'a quorum in the console: the owner’s approval is one vote of two; security’s completes it',
    { timeout: 90_000 },
    async () => {
      const treasury = await registerTestAgent(stack, admin, {
        name: 'Treasury agent',
        ownerEmail: email('olivia'),
        platform: 'finance',
        allowedTools: [{ tool: erp(), operations: ['pay_invoice'] }],
      });
      // A CRITICAL operation it is not allowed: held, and routed to the quorum rule.
      const held = await request(treasury, {
        tool: erp(),
        operation: 'wire_transfer',
        amount: 75_000,
        resourceId: 'INV-3001',
        justification: 'Supplier prepayment',
      });
      expect(held.status).toBe('PENDING_APPROVAL');

      const ownerContext = await browser.newContext();
      const securityContext = await browser.newContext();
      try {
        const owner = await signInAs(ownerContext, 'olivia', `/console/actions/${held.id}`);
        await owner.getByRole('heading', { name: `Treasury agent asks for ${erp()}.wire_transfer` }).waitFor();
        expect(await owner.getByTestId('rule').innerText()).toBe(
          "critical-or-large-amount — 2 approvals needed, including the security role; the agent's owner may not approve alone",
        );
        expect(await owner.getByTestId('votes').innerText()).toBe('none yet');
        await owner.getByLabel('Comment (required to deny)').fill('Prepayment agreed in the contract');
        await owner.getByRole('button', { name: 'Approve' }).click();
        await expect
          .poll(() => owner.locator('[aria-live="polite"]').innerText(), { timeout: 30_000 })
          .toBe('Your approval is recorded; the action still waits for other approvers.');
        await owner
          .getByTestId('votes')
          .getByText(`Approved by ${email('olivia')}`)
          .waitFor();
        expect(await owner.locator('.lede [data-status]').getAttribute('data-status')).toBe('PENDING_APPROVAL');
        // One vote each: the owner's buttons are off now, and say why.
        expect(await owner.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
        expect((await owner.locator('#decision-note').innerText()).length).toBeGreaterThan(10);

        const security = await signInAs(securityContext, 'sam', `/console/actions/${held.id}`);
        await security
          .getByTestId('votes')
          .getByText(`Approved by ${email('olivia')}`)
          .waitFor();
        expect(await security.getByTestId('waiting-for').innerText()).toMatch(/security/);
        await security.getByRole('button', { name: 'Approve' }).click();
        await security.locator('.lede [data-status="APPROVED"]').waitFor({ timeout: 30_000 });
        // The owner's page follows (the actionDecided subscription), without a reload.
        await owner.locator('.lede [data-status="APPROVED"]').waitFor({ timeout: 30_000 });
        const votes = await stack.gql(
          `query($id: ID!) { actionRequest(id: $id) { status approval { votes { by decision } } } }`,
          { id: held.id },
          admin,
        );
        expect(votes.data?.actionRequest).toEqual({
          status: 'APPROVED',
          approval: {
            votes: [
              { by: email('olivia'), decision: 'APPROVE' },
              { by: email('sam'), decision: 'APPROVE' },
            ],
          },
        });
      } finally {
        await ownerContext.close();
        await securityContext.close();
      }
    },
  );

  it('a forged or unauthorized decision through GraphQL is refused and changes nothing', async () => {
    const APPROVE = `mutation($id: ID!) { approveAction(input: { actionId: $id, comment: "let me" }) { action { status } } }`;
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ email: email('sam') })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setIssuer(stack.config.humans.issuer)
      .setAudience(stack.config.humans.audience)
      .setSubject(email('sam'))
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const attempts: [string | null, string][] = [
      [null, 'UNAUTHENTICATED'],
      [forged, 'UNAUTHENTICATED'],
      [await stack.token(email('bob'), ['approver']), 'FORBIDDEN'],
      [admin, 'FORBIDDEN'],
      [await reports.token(), 'FORBIDDEN'], // an agent
    ];
    for (const [token, code] of attempts) {
      const res = await stack.gql(APPROVE, { id: heldExport }, token);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(res.errors)).toBe(code);
      expect(res.data?.approveAction ?? null).toBeNull();
    }
    const now = await stack.gql(STATUS, { id: heldExport }, admin);
    expect(now.data?.actionRequest).toEqual({
      status: 'PENDING_APPROVAL',
      approval: { decidedBy: null, decision: null, comment: null },
    });
  });
  it(
    'an agent’s page: status, owner, tools, credential age, decisions; admins suspend and resume, others may not',
    { timeout: 60_000 },
    async () => {
      const ownerContext = await browser.newContext();
      try {
        const page = await signInAs(ownerContext, 'olivia');
        await page.getByRole('heading', { name: 'Pending approvals' }).waitFor();
        await page.getByRole('link', { name: `Reporting agent` }).first().click();
        await page.getByRole('heading', { name: `Reporting agent` }).waitFor();
        expect(await page.getByText('Only admins suspend and resume agents here.').isVisible()).toBe(true);
        expect(await page.getByRole('button', { name: 'Suspend agent' }).count()).toBe(0);
      } finally {
        await ownerContext.close();
      }
      const context = await browser.newContext();
      try {
        const page = await signInAs(context, 'alice', `/console/agents/${reports.id}`);
        await page.getByRole('heading', { name: `Reporting agent` }).waitFor();
        const about = await page.locator('main').innerText();
        expect(about).toContain('Active');
        expect(about).toContain(`Olivia Owner <${email('olivia')}>`);
        expect(about).toContain(`${erp()}: read_invoice`);
        expect(about).toMatch(/Credential\s+\d+ (s|min)( \d+ s)? old \(issued/);
        expect(about).toContain(`${erp()}.export_ledger`); // its decisions
        await page.getByLabel('Reason').fill('Investigating the export request');
        await page.getByRole('button', { name: 'Suspend agent' }).click();
        await page.locator('.lede [data-status="SUSPENDED"]').waitFor({ timeout: 30_000 });
        await page.getByLabel('Reason').fill('Cleared');
        await page.getByRole('button', { name: 'Resume agent' }).click();
        await page.locator('.lede [data-status="ACTIVE"]').waitFor({ timeout: 30_000 });
        const events = await stack.gql(
          `query($id: ID!) { agent(id: $id) { status events { kind reason actor { id } } } }`,
          { id: reports.id },
          admin,
        );
        expect(events.data?.agent.status).toBe('ACTIVE');
        expect(events.data?.agent.events).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ reason: 'Investigating the export request', actor: { id: email('alice') } }),
            expect.objectContaining({ reason: 'Cleared', actor: { id: email('alice') } }),
          ]),
        );
      } finally {
        await context.close();
      }
    },
  );
});
