/**
 * The dashboard's entry: sign-in with an API key (kept in sessionStorage,
 * checked with GET /session before anything else is asked), then the pages
 * behind a hash route (#/overview, #/market, #/orders, #/strategies, #/models, #/runs). Browser code only: it talks
 * to the service over HTTP and the WebSocket (client.ts), nothing else.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, forgetKey, storedKey, storeKey } from './client';
import { MarketPage } from './market-page';
import { ModelsPage } from './models-page';
import { OrdersPage } from './orders-page';
import { OverviewPage } from './overview-page';
import { RunsPage } from './runs-page';
import { StrategiesPage } from './strategies-page';
import './styles.css';

/** Every page: its route, its title (the nav link and the tab's title) and its component. */
const PAGES = [
  { route: '#/overview', title: 'Overview', Page: OverviewPage },
  { route: '#/market', title: 'Market', Page: MarketPage },
  { route: '#/orders', title: 'Orders & positions', Page: OrdersPage },
  { route: '#/strategies', title: 'Strategies', Page: StrategiesPage },
  { route: '#/models', title: 'Models', Page: ModelsPage },
  { route: '#/runs', title: 'Runs', Page: RunsPage },
] as const;
type Route = (typeof PAGES)[number]['route'];

/** The page of the hash, ignoring its query part (#/market?symbol=AAPL); the overview by default. */
const currentRoute = (): Route => (PAGES.find((p) => p.route === location.hash.split('?')[0])?.route ?? '#/overview') as Route;

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
  const page = PAGES.find((p) => p.route === route)!;
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
        <page.Page apiKey={key} onUnauthorized={onUnauthorized} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
