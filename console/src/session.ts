/**
 * Who is signed in: a bearer token the API accepts, kept in this tab's sessionStorage (never a cookie,
 * never a URL), sent only as `Authorization: Bearer` to /graphql. Signing out forgets it.
 */

export interface Session {
  token: string;
  /** ISO instant: the console signs out when the token expires. */
  expiresAt: string;
  email: string;
  displayName: string | null;
  via: 'development' | 'oidc';
}

/** What GET /console/config.json says (api/web/console.ts). */
export interface ConsoleConfig {
  mode: 'development' | 'oidc';
  graphqlPath: string;
  oidc: { issuer: string; clientId: string; scope: string; resource: string | null; redirectUri: string } | null;
  temporal: { uiUrl: string | null; namespace: string };
}

export interface DirectoryPerson {
  email: string;
  displayName: string;
  roles: string[];
}

const KEY = 'warden.console.session';

export function loadSession(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    if (!s || typeof s.token !== 'string' || Date.parse(s.expiresAt) <= Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch('/console/config.json', { credentials: 'omit', cache: 'no-store' });
  if (!res.ok) throw new Error(`The console's configuration could not be read (HTTP ${res.status}).`);
  return (await res.json()) as ConsoleConfig;
}

async function failure(res: Response): Promise<Error> {
  const body = (await res.json().catch(() => null)) as { message?: string } | null;
  return new Error(body?.message ?? `HTTP ${res.status}`);
}

/** Development: the people in the directory, to sign in as one of them. */
export async function devPeople(): Promise<DirectoryPerson[]> {
  const res = await fetch('/console/dev-session', { credentials: 'omit', cache: 'no-store' });
  if (!res.ok) throw await failure(res);
  return ((await res.json()) as { people: DirectoryPerson[] }).people;
}

/** Development: a short-lived token of the development issuer for a person in the directory. */
export async function devSignIn(email: string): Promise<Session> {
  const res = await fetch('/console/dev-session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
    credentials: 'omit',
    // The page's policy is no-referrer, under which a POST would say `Origin: null`; the server checks the origin.
    referrerPolicy: 'same-origin',
  });
  if (!res.ok) throw await failure(res);
  const body = (await res.json()) as { token: string; expiresAt: string; email: string; displayName: string };
  return { ...body, via: 'development' };
}
