/**
 * Signing in. Development: pick a person from the people directory (Warden's development issuer signs
 * their token). Production: the organisation's OpenID provider.
 */
import { useEffect, useState } from 'preact/hooks';
import { Failure, Loading } from '../components/load';
import { beginSignIn } from '../oidc';
import { devPeople, devSignIn, type ConsoleConfig, type DirectoryPerson, type Session } from '../session';

export function SignIn({
  config,
  notice,
  onSession,
}: {
  config: ConsoleConfig;
  notice: string | null;
  onSession(s: Session): void;
}) {
  return (
    <main id="main" class="narrow">
      <h1 tabIndex={-1}>Sign in to the Warden console</h1>
      <p>Decide the actions Warden holds for a person's approval, and look after the agents you own.</p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {config.mode === 'development' ? <DevSignIn onSession={onSession} /> : <OidcSignIn config={config} />}
    </main>
  );
}

function DevSignIn({ onSession }: { onSession(s: Session): void }) {
  const [people, setPeople] = useState<DirectoryPerson[] | null>(null);
  const [email, setEmail] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    devPeople().then((p) => {
      setPeople(p);
      setEmail((e) => e || p[0]?.email || '');
    }, setError);
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSession(await devSignIn(email));
    } catch (err) {
      setError(err as Error);
      setBusy(false);
    }
  };

  if (!people) return error ? <Failure error={error} /> : <Loading what="the people directory" />;
  return (
    <form onSubmit={submit} class="card">
      <p class="muted">
        Development sign-in: this Warden uses its built-in development issuer. Choose who you are; you get what the
        people directory lets that person do.
      </p>
      {people.length === 0 ? (
        <p>The people directory is empty. Add people with the upsertPerson mutation or config/people.json.</p>
      ) : (
        <fieldset>
          <legend>Person</legend>
          {people.map((p) => (
            <label key={p.email} class="choice">
              <input
                type="radio"
                name="person"
                value={p.email}
                checked={email === p.email}
                onChange={() => setEmail(p.email)}
              />
              <span>
                <strong>{p.displayName}</strong> {p.email}
                <span class="muted"> — {p.roles.length ? p.roles.join(', ') : 'no roles'}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {error && <Failure error={error} />}
      <button type="submit" disabled={busy || !email}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

function OidcSignIn({ config }: { config: ConsoleConfig }) {
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  if (!config.oidc)
    return (
      <div class="alert" role="alert">
        <p>
          Sign-in is not configured: set WARDEN_CONSOLE_CLIENT_ID to the console's client id at your OpenID provider
          (docs/configuration.md).
        </p>
      </div>
    );
  const oidc = config.oidc;
  const go = () => {
    setBusy(true);
    // Come back to the page the person opened (a notification's link), not just the inbox.
    const here = location.pathname.startsWith('/console') ? location.pathname : '/console';
    beginSignIn(oidc, here).catch((err: Error) => {
      setError(err);
      setBusy(false);
    });
  };
  return (
    <div class="card">
      <p>You sign in at your organisation's identity provider ({new URL(oidc.issuer).host}).</p>
      {error && <Failure error={error} />}
      <button type="button" onClick={go} disabled={busy}>
        {busy ? 'Going to your identity provider…' : 'Sign in'}
      </button>
    </div>
  );
}
