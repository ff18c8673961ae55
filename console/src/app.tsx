/** The console's frame: configuration, sign-in, who is signed in, and the page the route names. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApi } from './api';
import { ConsoleContext, type Console } from './context';
import { Failure, Loading } from './components/load';
import { VIEWER, type Viewer } from './queries';
import { BASE, Link, navigate, useRoute, type Route } from './router';
import { clearSession, loadConfig, loadSession, saveSession, type ConsoleConfig, type Session } from './session';
import { completeSignIn } from './oidc';
import { SignIn } from './pages/sign-in';
import { Inbox } from './pages/inbox';
import { ActionPage } from './pages/action';
import { AgentPage } from './pages/agent';
import { AuditPage } from './pages/audit';

export function App() {
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const [session, setSession] = useState<Session | null>(loadSession);
  const [notice, setNotice] = useState<string | null>(null);
  const route = useRoute();

  useEffect(() => {
    loadConfig().then(setConfig, setFailure);
  }, []);

  const signIn = useCallback((s: Session) => {
    saveSession(s);
    setNotice(null);
    setSession(s);
  }, []);
  const signOut = useCallback((why: string | null) => {
    clearSession();
    setSession(null);
    setNotice(why);
  }, []);

  // The token's end is the session's end.
  useEffect(() => {
    if (!session) return;
    const t = setTimeout(
      () => signOut('Your session has ended. Sign in again.'),
      Math.max(0, Date.parse(session.expiresAt) - Date.now()),
    );
    return () => clearTimeout(t);
  }, [session, signOut]);

  if (failure) return <Failure error={failure} />;
  if (!config) return <Loading what="the console" />;
  if (route.page === 'callback') return <Callback config={config} onSession={signIn} />;
  if (!session) return <SignIn config={config} notice={notice} onSession={signIn} />;
  return <SignedIn config={config} session={session} route={route} onSignOut={signOut} />;
}

/** Back from the OpenID provider: finish the sign-in, then go where the person was going. */
function Callback({ config, onSession }: { config: ConsoleConfig; onSession(s: Session): void }) {
  const [error, setError] = useState<Error | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (!config.oidc) {
      setError(new Error('This Warden has no OpenID Connect sign-in configured.'));
      return;
    }
    completeSignIn(config.oidc).then(({ session, returnTo }) => {
      onSession(session);
      navigate(returnTo, { replace: true });
    }, setError);
  }, [config, onSession]);
  return (
    <main id="main" class="narrow">
      <h1>Signing in…</h1>
      {error ? (
        <Failure error={error}>
          <p>
            <a href={BASE}>Back to the console</a>
          </p>
        </Failure>
      ) : (
        <Loading what="your session" />
      )}
    </main>
  );
}

function SignedIn({
  config,
  session,
  route,
  onSignOut,
}: {
  config: ConsoleConfig;
  session: Session;
  route: Route;
  onSignOut(why: string | null): void;
}) {
  const api = useMemo(
    () => createApi(config.graphqlPath, session.token, (why) => onSignOut(`Warden ended your session: ${why}`)),
    [config, session, onSignOut],
  );
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [said, setSaid] = useState('');
  useEffect(() => {
    api.request<{ viewer: Viewer }>(VIEWER).then((d) => setViewer(d.viewer), setError);
  }, [api]);

  // A new page: focus its heading, so keyboard and screen reader users start there; what was announced
  // on the last page is done with.
  const key = JSON.stringify(route);
  useEffect(() => setSaid(''), [key]);
  useEffect(() => {
    const h1 = document.querySelector<HTMLElement>('main h1');
    h1?.focus();
  }, [key, viewer]);

  const value: Console | null = useMemo(
    () => (viewer ? { api, config, session, viewer, announce: setSaid } : null),
    [api, config, session, viewer],
  );
  const name = viewer?.person?.displayName ?? session.displayName ?? session.email;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href={BASE} class="brand">
          Warden <span>console</span>
        </Link>
        <nav aria-label="Console">
          <Link href={BASE} aria-current={route.page === 'inbox' ? 'page' : undefined}>
            Pending approvals
          </Link>
        </nav>
        <div class="who">
          <span>
            Signed in as <strong>{name}</strong>
            {viewer && viewer.roles.length > 0 && (
              <span class="muted"> ({viewer.roles.map((r) => r.toLowerCase()).join(', ')})</span>
            )}
          </span>
          <button type="button" class="secondary" onClick={() => onSignOut('You have signed out.')}>
            Sign out
          </button>
        </div>
      </header>
      <div class="live" role="status" aria-live="polite" aria-atomic="true">
        {said}
      </div>
      <main id="main">
        {error ? (
          <Failure error={error} />
        ) : !value ? (
          <Loading what="who you are" />
        ) : (
          <ConsoleContext.Provider value={value}>
            <Page route={route} />
          </ConsoleContext.Provider>
        )}
      </main>
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'inbox':
      return <Inbox />;
    case 'action':
      return <ActionPage key={route.id} id={route.id} />;
    case 'agent':
      return <AgentPage key={route.id} id={route.id} />;
    case 'audit':
      return <AuditPage key={`${route.of}:${route.id}`} of={route.of} id={route.id} />;
    default:
      return (
        <>
          <h1 tabIndex={-1}>Nothing here</h1>
          <p>
            The console has no page at this address. <Link href={BASE}>See your pending approvals.</Link>
          </p>
        </>
      );
  }
}
