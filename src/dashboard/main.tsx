/**
 * The dashboard's entry: sign-in with an API key (kept in sessionStorage,
 * checked with GET /session before anything else is asked), then the pages
 * behind a hash route (#/orders, #/strategies). Browser code only: it talks
 * to the service over HTTP and the WebSocket (client.ts), nothing else.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, forgetKey, storedKey, storeKey } from './client';
import { OrdersPage } from './orders-page';
import { StrategiesPage } from './strategies-page';
import './styles.css';

const PAGES = [
  { route: '#/orders', title: 'Orders & positions' },
  { route: '#/strategies', title: 'Strategies' },
] as const;
type Route = (typeof PAGES)[number]['route'];

const currentRoute = (): Route => (PAGES.find((p) => p.route === location.hash)?.route ?? '#/orders') as Route;

function SignIn({ onSignedIn }: { onSignedIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api(key.trim(), 'GET', '/session');
      storeKey(key.trim());
      onSignedIn(key.trim());
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That API key was not accepted.' : `Sign-in failed: ${String(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <h1>quant dashboard</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          required
          aria-describedby={error ? 'signin-error' : undefined}
        />
        <button type="submit" disabled={busy || key.trim() === ''}>
          Sign in
        </button>
        {error && (
          <p id="signin-error" class="error" role="alert">
            {error}
          </p>
        )}
        <p class="hint">
          Create one with <code>quant api keys create</code>. It stays in this tab only.
        </p>
      </form>
    </main>
  );
}

function App() {
  const [key, setKey] = useState<string | null>(storedKey());
  const [route, setRoute] = useState<Route>(currentRoute());
  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    const page = PAGES.find((p) => p.route === route);
    document.title = key && page ? `${page.title} · quant` : 'Sign in · quant';
  }, [key, route]);
  if (!key) return <SignIn onSignedIn={setKey} />;
  const signOut = () => {
    forgetKey();
    setKey(null);
  };
  // A key revoked while signed in: back to the sign-in form.
  const onUnauthorized = signOut;
  return (
    <>
      <header class="top">
        <span class="brand">quant</span>
        <nav aria-label="Pages">
          {PAGES.map((p) => (
            <a href={p.route} aria-current={p.route === route ? 'page' : undefined}>
              {p.title}
            </a>
          ))}
        </nav>
        <button type="button" class="link" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>
        {route === '#/orders' ? (
          <OrdersPage apiKey={key} onUnauthorized={onUnauthorized} />
        ) : (
          <StrategiesPage apiKey={key} onUnauthorized={onUnauthorized} />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
