/**
 * Who may use the codec server (api/codec-server.ts): to read payloads, a person whose directory roles
 * include admin or security; to encode (a person's input for a command), any person — proven either by
 * their bearer token (the Temporal CLI's --codec-auth, or a UI that passes its OIDC access token) or by a
 * codec session cookie.
 *
 * The cookie is for a Temporal Web UI without sign-in of its own (the dev server's): the person opens
 * `<public URL>/codec/session`, pastes a token, and gets an HttpOnly, SameSite=Strict cookie scoped to
 * /codec holding a short Warden-signed session token (`typ: warden-codec-session+jwt`, audience the codec
 * endpoint, at most 8 hours and never longer than the token it came from). The UI then sends it with
 * "include cross-origin credentials" on (same-site: the UI and the API both on localhost). The session
 * names the person; their roles are read from the directory at every request, so removing a role ends
 * their access within the roles cache bound.
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Role } from '../domain/people.js';
import { signWardenJwt } from '../tokens/sign.js';
import { verifyWardenJwt } from '../tokens/verify.js';
import type { SigningKeys } from '../services/signing-keys.js';
import type { HumanPrincipal } from './auth/principal.js';

export const CODEC_SESSION_COOKIE = 'warden_codec';
const SESSION_TYPE = 'warden-codec-session+jwt';
const MAX_SESSION_S = 8 * 3600;
const MAX_FORM_BYTES = 16 * 1024;
export const CODEC_ROLES: readonly Role[] = ['admin', 'security'];

export interface CodecSessionDeps {
  keys: SigningKeys;
  /** Warden's public URL: the session's audience is its codec endpoint, and sign-in forms must come from it. */
  publicUrl: string;
  authenticateHuman: (token: string) => Promise<HumanPrincipal>;
  /** A person's roles now (the directory), narrowed as the original token narrowed them. */
  rolesOf: (email: string) => Promise<Role[]>;
}

function cookieValue(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function createCodecSessions(deps: CodecSessionDeps) {
  const audience = `${deps.publicUrl}/codec`;
  const secure = deps.publicUrl.startsWith('https:');
  const origin = new URL(deps.publicUrl).origin;

  /** The person a request speaks for (bearer token or session) and their roles now; null for anyone else. */
  async function person(req: http.IncomingMessage): Promise<{ email: string; roles: Role[] } | null> {
    const bearer = /^Bearer ([^\s]+)$/i.exec((req.headers.authorization ?? '').trim())?.[1];
    if (bearer) {
      try {
        const p = await deps.authenticateHuman(bearer);
        return { email: p.email, roles: p.roles };
      } catch {
        return null;
      }
    }
    const session = cookieValue(req, CODEC_SESSION_COOKIE);
    if (!session) return null;
    try {
      const claims = await verifyWardenJwt(session, {
        jwks: await deps.keys.jwks(),
        issuer: deps.keys.issuer,
        audience,
        typ: SESSION_TYPE,
        maxLifetimeSeconds: MAX_SESSION_S,
        tokenName: 'codec session',
      });
      const narrowed = Array.isArray(claims.roles) ? (claims.roles as Role[]) : null;
      return {
        email: claims.sub,
        roles: (await deps.rolesOf(claims.sub)).filter((r) => narrowed === null || narrowed.includes(r)),
      };
    } catch {
      return null;
    }
  }

  /**
   * What the codec does for this request: `allow` — encoding for any person Warden authenticates (a
   * person's payload, which workflows accept only with a signed statement), decoding for the admin and
   * security roles; `withhold` — a person without read access asked to decode: the payloads come back as
   * they were sent (so the Temporal CLI can still deliver an owner's decision and show its encrypted
   * answer); `refuse` — anyone else.
   */
  async function authorize(
    req: http.IncomingMessage,
    operation: 'encode' | 'decode' = 'decode',
  ): Promise<'allow' | 'withhold' | 'refuse'> {
    const who = await person(req);
    if (!who) return 'refuse';
    if (operation === 'encode' || who.roles.some((r) => CODEC_ROLES.includes(r))) return 'allow';
    return 'withhold';
  }

  const page = (res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      // Not no-referrer: with it, browsers send `Origin: null` on the form's POST, and the login-CSRF check needs the
      // origin.
      'referrer-policy': 'same-origin',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      ...headers,
    });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Warden codec session</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}textarea{width:100%;font:12px monospace}button{font:inherit;padding:.3rem 1rem}</style></head>
<body><h1>Warden codec session</h1>${body}</body></html>`);
  };

  const form = (note: string) => `${note}
<p>The Temporal Web UI decodes Warden's encrypted payloads through this codec server, which answers only people
with the <b>admin</b> or <b>security</b> role. Paste your bearer token (e.g. from <code>npm run token</code>) to open
a session in this browser: a cookie for <code>${escapeHtml(audience)}</code> only, for at most 8 hours. In the Temporal
UI, open the codec server settings, use <code>${escapeHtml(audience)}</code> and turn on <i>include cross-origin credentials</i>.</p>
<form method="post" action="/codec/session"><p><label for="token">Bearer token</label><br>
<textarea id="token" name="token" rows="6" required autocomplete="off" spellcheck="false"></textarea></p>
<p><button type="submit">Open session</button></p></form>
<form method="post" action="/codec/session"><input type="hidden" name="signout" value="1"><p><button type="submit">Sign out</button></p></form>`;

  async function readForm(req: http.IncomingMessage): Promise<URLSearchParams | null> {
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_FORM_BYTES) return null;
      chunks.push(chunk as Buffer);
    }
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  }

  /** GET /codec/session: the sign-in form. POST: opens (or with `signout`, closes) the session. */
  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method === 'GET') return page(res, 200, form(''));
    if (req.method !== 'POST') return page(res, 405, '<p>Use the form.</p>', { allow: 'GET, POST' });
    // A form posted from another site must not sign this browser in (or out): login CSRF.
    if (req.headers.origin !== origin) return page(res, 403, "<p>This form only works from Warden's own page.</p>");
    if ((req.headers['content-type'] ?? '').split(';')[0]!.trim() !== 'application/x-www-form-urlencoded')
      return page(res, 415, form('<p>Send the form.</p>'));
    const body = await readForm(req);
    if (!body) return page(res, 413, form('<p>That is too large to be a token.</p>'));
    const clear = `${CODEC_SESSION_COOKIE}=; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
    if (body.get('signout')) return page(res, 200, form('<p>Signed out.</p>'), { 'set-cookie': clear });
    let person: HumanPrincipal;
    try {
      person = await deps.authenticateHuman((body.get('token') ?? '').trim());
    } catch {
      return page(res, 401, form('<p><b>That token was refused.</b></p>'));
    }
    if (!person.roles.some((r) => CODEC_ROLES.includes(r)))
      return page(
        res,
        403,
        form(`<p><b>${escapeHtml(person.email)} has neither the admin nor the security role.</b></p>`),
      );
    const now = Math.floor(Date.now() / 1000);
    const exp = Math.min(now + MAX_SESSION_S, Math.floor(person.expiresAt.getTime() / 1000));
    const session = await signWardenJwt(await deps.keys.current(), SESSION_TYPE, {
      iss: deps.keys.issuer,
      aud: audience,
      sub: person.email,
      roles: person.roles,
      iat: now,
      exp,
      jti: randomUUID(),
    });
    const cookie = `${CODEC_SESSION_COOKIE}=${session}; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=${exp - now}${secure ? '; Secure' : ''}`;
    return page(
      res,
      200,
      `<p>Session open for <b>${escapeHtml(person.email)}</b> until ${new Date(exp * 1000).toISOString()}.</p>${form('')}`,
      { 'set-cookie': cookie },
    );
  }

  return { authorize, handle };
}
