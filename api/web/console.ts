/**
 * The approvers' console at `<public URL>/console`: a single-page app (console/, built by `npm run
 * build:console` into WARDEN_CONSOLE_DIR) that talks to /graphql with the person's bearer token. This module
 * serves its files — hashed assets cached for good, every other path under /console the app's index.html
 * (deep links such as a notification's action page) — its configuration, and in development the sign-in
 * that picks a person from the directory (on this machine only unless the deployment says otherwise: see
 * ./dev-sign-in-guard.ts). Every answer carries the page security headers.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type http from 'node:http';
import type { AuditInput } from '../../audit/events.js';
import type { WardenConfig } from '../../config/config.js';
import { isValidEmail, normalizeEmail } from '../../domain/people.js';
import { loadDevIssuerKey, signDevToken } from '../auth/dev-issuer.js';
import type { PeopleDirectory } from '../services/people-directory.js';
import { devSignInRefusal } from './dev-sign-in-guard.js';
import { connectOriginsOf } from './oidc-connect.js';
import { pageSecurityHeaders } from './security-headers.js';

/** How long a development sign-in lasts: the console signs in again after it. */
export const DEV_SESSION_TTL_SECONDS = 3600;
const MAX_BODY_BYTES = 1024;
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** What the app learns before anyone signs in: how to sign in, and where the Temporal UI is. */
export interface ConsoleConfig {
  mode: 'development' | 'oidc';
  graphqlPath: string;
  oidc: { issuer: string; clientId: string; scope: string; resource: string | null; redirectUri: string } | null;
  temporal: { uiUrl: string | null; namespace: string };
}

export interface ConsoleDeps {
  config: WardenConfig;
  people: PeopleDirectory;
  /** Where refused development sign-ins are recorded (`access.denied`). */
  audit: { record(input: AuditInput): Promise<void> };
}

/** Development: no production flag and no external issuer's keys, i.e. the built-in development issuer. */
export function usesDevIssuer(config: WardenConfig): boolean {
  return !config.production && !config.humans.jwksUrl;
}

export function createConsole({ config, people, audit }: ConsoleDeps) {
  const dev = usesDevIssuer(config);
  const origin = new URL(config.api.publicUrl).origin;
  const oidc =
    !dev && config.console.clientId
      ? {
          issuer: config.humans.issuer,
          clientId: config.console.clientId,
          scope: config.console.scope,
          resource: config.console.resource ?? null,
          redirectUri: `${config.api.publicUrl}/console/callback`,
        }
      : null;
  const consoleConfig: ConsoleConfig = {
    mode: dev ? 'development' : 'oidc',
    graphqlPath: '/graphql',
    oidc,
    temporal: { uiUrl: config.console.temporalUiUrl ?? null, namespace: config.temporal.namespace },
  };
  // In OIDC mode the app fetches the provider's discovery document and token endpoint itself.
  const connectOrigins = oidc ? connectOriginsOf(oidc.issuer) : null;
  let security = pageSecurityHeaders();
  const issuerKey = dev ? loadDevIssuerKey(config.dataDir) : null;
  issuerKey?.catch(() => {}); // awaited (and reported) by the first sign-in
  if (dev && config.console.devSignIn === 'network')
    console.warn(
      'console: development sign-in answers the network (WARDEN_CONSOLE_DEV_SIGNIN=network): anyone who reaches ' +
        `${config.api.publicUrl} can sign in as anyone in the people directory, admins included.`,
    );

  const send = (
    res: http.ServerResponse,
    status: number,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ): void => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      ...security,
      ...headers,
    });
    res.end(body);
  };
  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    send(res, status, JSON.stringify(body), headers);
  const refuse = (res: http.ServerResponse, status: number, error: string, message: string) =>
    json(res, status, { error, message });

  const notBuilt = (res: http.ServerResponse) =>
    send(
      res,
      503,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Warden console not built</title></head>` +
        `<body><h1>The console is not built</h1><p>This Warden has no build of the approvers' console. Run ` +
        `<code>npm run build:console</code> (or point WARDEN_CONSOLE_DIR at a built console) and reload.</p></body></html>`,
      { 'content-type': 'text/html; charset=utf-8', 'retry-after': '10' },
    );

  /** The app's page, for /console and every deep link under it. */
  async function index(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let html: Buffer;
    try {
      html = await fs.readFile(path.join(config.console.dir, 'index.html'));
    } catch {
      return notBuilt(res);
    }
    send(res, 200, req.method === 'HEAD' ? '' : html, { 'content-type': 'text/html; charset=utf-8' });
  }

  /** A built asset: its name carries its content hash, so it never changes and is cached for a year. */
  async function asset(req: http.IncomingMessage, res: http.ServerResponse, name: string): Promise<void> {
    const type = CONTENT_TYPES[path.extname(name)];
    if (!ASSET_NAME.test(name) || name.includes('..') || !type)
      return refuse(res, 404, 'not_found', 'No such console asset.');
    let body: Buffer;
    try {
      body = await fs.readFile(path.join(config.console.dir, 'assets', name));
    } catch {
      return refuse(res, 404, 'not_found', 'No such console asset; reload the console (it may have been rebuilt).');
    }
    send(res, 200, req.method === 'HEAD' ? '' : body, {
      'content-type': type,
      'cache-control': 'public, max-age=31536000, immutable',
    });
  }

  /**
   * Development sign-in. GET lists the people in the directory; POST {email} answers a short-lived token of
   * the development issuer for a person in the directory, carrying no roles claim: what they may do is what
   * the directory says at each request. Only JSON from the console's own origin (a page elsewhere cannot
   * sign this browser in), never in production.
   */
  async function devSession(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!dev || !issuerKey)
      return refuse(
        res,
        404,
        'not_found',
        'Development sign-in is off: this Warden takes tokens from its OpenID provider (WARDEN_OIDC_ISSUER).',
      );
    const refusal = devSignInRefusal(
      {
        remoteAddress: req.socket.remoteAddress,
        host: req.headers.host,
        relayed: req.headers.forwarded !== undefined || req.headers['x-forwarded-for'] !== undefined,
      },
      { publicUrl: config.api.publicUrl, reach: config.console.devSignIn },
    );
    if (refusal) {
      refuse(res, refusal.status, refusal.code, refusal.message);
      return audited(req, refusal.code, refusal.message);
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const everyone = await people.list(200, 0);
      return json(res, 200, {
        people: everyone
          .map((p) => ({ email: p.email, displayName: p.displayName, roles: p.roles }))
          .sort((a, b) => a.email.localeCompare(b.email)),
      });
    }
    if (req.method !== 'POST') return json(res, 405, { error: 'method_not_allowed' }, { allow: 'GET, POST' });
    if (req.headers.origin !== origin) {
      const message = `Sign-in only works from the console at ${origin}/console.`;
      refuse(res, 403, 'forbidden_origin', message);
      return audited(req, 'forbidden_origin', message);
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json')
      return refuse(res, 415, 'unsupported_media_type', 'Send {"email": …} as application/json.');
    const body = await readBody(req);
    if (body === null) return refuse(res, 413, 'payload_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes.`);
    let email: unknown;
    try {
      email = (JSON.parse(body) as { email?: unknown } | null)?.email;
    } catch {
      return refuse(res, 400, 'bad_request', 'The body is not JSON.');
    }
    if (typeof email !== 'string' || !isValidEmail(normalizeEmail(email)))
      return refuse(res, 400, 'bad_request', 'email must be an email address.');
    const person = await people.find(email);
    if (!person)
      return refuse(
        res,
        403,
        'unknown_person',
        `${normalizeEmail(email).slice(0, 100)} is not in the people directory.`,
      );
    const token = await signDevToken(await issuerKey, {
      email: person.email,
      issuer: config.humans.issuer,
      audience: config.humans.audience,
      ttlSeconds: DEV_SESSION_TTL_SECONDS,
    });
    return json(res, 200, {
      token,
      expiresAt: new Date(Date.now() + DEV_SESSION_TTL_SECONDS * 1000).toISOString(),
      email: person.email,
      displayName: person.displayName,
    });
  }

  /** A refused development sign-in, in the audit trail: from where, to which Host (both as sent, shortened). */
  async function audited(req: http.IncomingMessage, code: string, message: string): Promise<void> {
    const from = String(req.socket.remoteAddress ?? 'unknown').slice(0, 64);
    const host = JSON.stringify(String(req.headers.host ?? '').slice(0, 100));
    await audit
      .record({
        kind: 'access.denied',
        agentId: 'warden',
        actor: { kind: 'system', id: `remote:${from}` },
        message: `A development sign-in was refused (${code}): ${req.method} from ${from} with Host ${host}. ${message}`,
        operation: `${req.method} /console/dev-session`,
        code,
      })
      .catch((err) => console.warn(`console: a refusal could not be audited: ${(err as Error).message}`));
  }

  return async function handle(req: http.IncomingMessage, res: http.ServerResponse, urlPath: string): Promise<void> {
    if (connectOrigins) security = pageSecurityHeaders({ connectTo: await connectOrigins.current() });
    if (urlPath === '/console/dev-session') return devSession(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return json(res, 405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
    if (urlPath === '/console/config.json') return json(res, 200, consoleConfig);
    if (urlPath.startsWith('/console/assets/')) return asset(req, res, urlPath.slice('/console/assets/'.length));
    return index(req, res);
  };

  async function readBody(req: http.IncomingMessage): Promise<string | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return null;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}
