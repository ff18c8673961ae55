/**
 * The revocation broadcast's fast lane: an API process pushes each notice it announces straight to every
 * other API process over HTTP, beside the Signal to the broadcast workflow (revocation-broadcast.ts). The
 * workflow still numbers and keeps every notice, and delivers it to any process a push missed (down,
 * restarting, not known yet); a push only makes a notice arrive sooner.
 *
 * Who the others are comes from the broadcast too: each long-poll names this process's push address, and
 * each answer lists every process heard from lately. A pushed notice is a JWT signed with the deployment's
 * current signing key (ES256, its own `typ` and audience, 30 seconds, a `jti` taken once), so only a Warden
 * process can push one: a push from anyone else is refused with a stable code and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import os from 'node:os';
import { isRevocationPushUrl, MAX_PUSH_URL_LENGTH } from '../../domain/revocation-push-url.js';
import type { SigningKeys } from '../../services/signing-keys.js';
import { isTokenError } from '../../tokens/errors.js';
import { signWardenJwt } from '../../tokens/sign.js';
import { inspectCompactJwt, MAX_TOKEN_BYTES, verifyWardenJwt } from '../../tokens/verify.js';
import {
  isRevocationNotice,
  type RevocationNotice,
  type RevocationSubscriber,
} from '../../workflows/revocation-broadcast.js';
import { revocationPushes, revocationPushPeers } from '../../observability/metrics.js';
import { OAuthError, readBody, sendJson } from '../oauth/http.js';

export const REVOCATION_PUSH_PATH = '/revocations/notices';
export const REVOCATION_PUSH_TYP = 'warden-revocation+jwt';
export const REVOCATION_PUSH_AUDIENCE = 'urn:warden:revocation-push';
const LIFETIME_S = 30;
/** A peer that takes longer is left to the broadcast. */
const PUSH_TIMEOUT_MS = 1_000;
/** Notices taken, remembered for longer than a notice lives (at any plausible rate of containments). */
const SEEN_JTIS = 10_000;

/**
 * Where this process takes pushes: WARDEN_API_PUSH_URL as the URL parser writes it (scheme and host in lower
 * case), or its own listening address. One the broadcast would refuse is refused here, when the API starts.
 */
export function pushUrlOf(configured: string | null, host: string, port: number): string {
  if (configured === null) {
    const reachable = host === '0.0.0.0' || host === '::' ? os.hostname() : host.includes(':') ? `[${host}]` : host;
    return `http://${reachable}:${port}${REVOCATION_PUSH_PATH}`;
  }
  const href = URL.canParse(configured) ? new URL(configured).href : null;
  if (!isRevocationPushUrl(href))
    throw new Error(
      `WARDEN_API_PUSH_URL must be this API process's own http(s) address for pushed revocation notices, e.g. http://api-1.internal:4000${REVOCATION_PUSH_PATH} (no query, at most ${MAX_PUSH_URL_LENGTH} characters), got "${configured.slice(0, 80)}"`,
    );
  return href;
}

export class RevocationPush {
  /** A new id each start. */
  private readonly id = randomUUID();
  private peers: RevocationSubscriber[] = [];
  private readonly seen = new Set<string>();
  private failedSaidAt = -Infinity;

  constructor(
    private readonly keys: SigningKeys,
    /** Known once the process listens. */
    private readonly pushUrl: () => string,
  ) {}

  /** This process on the broadcast. */
  get subscriber(): RevocationSubscriber {
    return { id: this.id, pushUrl: this.pushUrl() };
  }

  /** The subscribers the broadcast last named, but this process (one per address). */
  setPeers(subscribers: RevocationSubscriber[]): void {
    const byUrl = new Map<string, RevocationSubscriber>();
    const own = this.pushUrl();
    for (const s of subscribers) if (s.id !== this.id && s.pushUrl !== own) byUrl.set(s.pushUrl, s);
    this.peers = [...byUrl.values()];
    revocationPushPeers.set(this.peers.length);
  }

  get peerCount(): number {
    return this.peers.length;
  }

  /** Pushes a notice to every peer at once; how many took it. Never throws: it only speeds things up. */
  async push(notice: RevocationNotice): Promise<number> {
    const peers = this.peers;
    if (!peers.length) return 0;
    let token: string;
    try {
      const iat = Math.floor(Date.now() / 1000);
      token = await signWardenJwt(await this.keys.current(), REVOCATION_PUSH_TYP, {
        iss: this.keys.issuer,
        sub: notice.agentId,
        aud: REVOCATION_PUSH_AUDIENCE,
        iat,
        exp: iat + LIFETIME_S,
        jti: randomUUID(),
        notice: { kind: notice.kind, at: notice.at },
      });
    } catch (err) {
      this.sayFailed(`cannot sign: ${(err as Error)?.message ?? err}`);
      return 0;
    }
    const answers = await Promise.allSettled(
      peers.map(async ({ pushUrl }) => {
        const res = await fetch(pushUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/jwt' },
          body: token,
          signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
          redirect: 'error', // a notice goes to the address the broadcast named, nowhere else
        });
        await res.body?.cancel();
        if (res.status !== 204) throw new Error(`${pushUrl} answered ${res.status}`);
      }),
    );
    const failed = answers.filter((a) => a.status === 'rejected') as PromiseRejectedResult[];
    revocationPushes.inc({ outcome: 'taken' }, peers.length - failed.length);
    if (failed.length) revocationPushes.inc({ outcome: 'failed' }, failed.length);
    if (failed.length)
      this.sayFailed(`${failed.length} of ${peers.length} peers did not take it (${String(failed[0]!.reason)})`);
    return peers.length - failed.length;
  }

  /**
   * Takes a pushed notice: verified (signature by the deployment's key, `typ`, audience, lifetime, a `jti`
   * not taken before) and well-formed, it goes to `heard`; anything else is refused and changes nothing.
   */
  async receive(req: http.IncomingMessage, res: http.ServerResponse, heard: (n: RevocationNotice) => void) {
    const refuse = (status: number, error: string, message: string) => sendJson(res, status, { error, message });
    if (req.method !== 'POST') return refuse(405, 'method_not_allowed', 'Push a revocation notice with POST.');
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/jwt') return refuse(415, 'unsupported_media_type', 'The body must be application/jwt.');
    let body: string;
    try {
      body = await readBody(req, MAX_TOKEN_BYTES);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      return refuse(413, 'too_large', `A revocation notice is at most ${MAX_TOKEN_BYTES} bytes.`);
    }
    let payload;
    try {
      const { kid } = inspectCompactJwt(body, 'revocation notice');
      payload = await verifyWardenJwt(body, {
        jwks: await this.keys.jwks(typeof kid === 'string' ? kid : undefined),
        issuer: this.keys.issuer,
        audience: REVOCATION_PUSH_AUDIENCE,
        typ: REVOCATION_PUSH_TYP,
        maxLifetimeSeconds: LIFETIME_S,
        tokenName: 'revocation notice',
      });
    } catch (err) {
      if (!isTokenError(err)) throw err;
      return refuse(401, err.code, err.message);
    }
    const claim = (typeof payload.notice === 'object' && payload.notice !== null ? payload.notice : {}) as Record<
      string,
      unknown
    >;
    const notice = { agentId: payload.sub, kind: claim.kind, at: claim.at } as RevocationNotice;
    if (!isRevocationNotice(notice))
      return refuse(400, 'bad_notice', 'The notice must name an agent, a kind and an instant Warden announces.');
    if (this.seen.has(payload.jti)) return refuse(409, 'replayed', 'This revocation notice was taken already.');
    this.seen.add(payload.jti);
    if (this.seen.size > SEEN_JTIS) this.seen.delete(this.seen.values().next().value!);
    heard({ agentId: notice.agentId, kind: notice.kind, at: notice.at });
    res.writeHead(204).end();
  }

  /** Said at most once a minute: the broadcast delivers what a push missed. */
  private sayFailed(what: string): void {
    if (Date.now() - this.failedSaidAt < 60_000) return;
    this.failedSaidAt = Date.now();
    console.warn(`api: revocation push: ${what}; the broadcast delivers it instead`);
  }
}
