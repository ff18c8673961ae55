/**
 * The origins the console's page must be allowed to call in OIDC mode: the issuer (its discovery document)
 * and the token endpoint the discovery document names, which many providers serve elsewhere (Google's
 * issuer is accounts.google.com, its token endpoint oauth2.googleapis.com). Read once from the issuer's
 * `/.well-known/openid-configuration`; when that fails, the issuer's origin alone, said once in the log and
 * tried again after a while.
 */

const DISCOVERY_TIMEOUT_MS = 5_000;
const RETRY_AFTER_MS = 5 * 60_000;

/** The discovery document's address for an issuer (OpenID Connect Discovery 1.0 §4: appended to its path). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/** The issuer's origin, and the token endpoint's from its discovery document (which must name this issuer). */
export async function discoverConnectOrigins(issuer: string, timeoutMs = DISCOVERY_TIMEOUT_MS): Promise<string[]> {
  const res = await fetch(discoveryUrl(issuer), {
    headers: { accept: 'application/json' },
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const doc = (await res.json()) as { issuer?: unknown; token_endpoint?: unknown } | null;
  if (doc?.issuer !== issuer) throw new Error('the document names another issuer');
  const endpoint = typeof doc.token_endpoint === 'string' && URL.canParse(doc.token_endpoint) ? doc.token_endpoint : '';
  if (!/^https?:$/.test(endpoint ? new URL(endpoint).protocol : ''))
    throw new Error('the document names no http(s) token_endpoint');
  return [...new Set([new URL(issuer).origin, new URL(endpoint).origin])];
}

/**
 * The connect origins for one issuer, discovered in the background from creation: `current()` waits for the
 * first attempt, then answers what is known at once (the issuer alone until a discovery succeeds).
 */
export function connectOriginsOf(issuer: string, discover = discoverConnectOrigins) {
  let known = [new URL(issuer).origin];
  let failedAt = 0;
  let logged = false;
  let pending: Promise<void> | null = null;

  const attempt = () =>
    (pending = discover(issuer)
      .then((origins) => {
        known = origins;
        failedAt = 0;
      })
      .catch((err: unknown) => {
        failedAt = Date.now();
        if (logged) return;
        logged = true;
        console.warn(
          `console: the OpenID provider's discovery document (${discoveryUrl(issuer)}) could not be read ` +
            `(${err instanceof Error ? err.message : String(err)}); the console's pages may call ${known.join(' ')} only, ` +
            'which is not enough for a provider whose token endpoint is elsewhere. Warden tries again later.',
        );
      })
      .finally(() => {
        pending = null;
      }));
  const first = attempt();

  return {
    async current(): Promise<string[]> {
      await first;
      if (failedAt && !pending && Date.now() - failedAt >= RETRY_AFTER_MS) void attempt();
      return known;
    },
  };
}
