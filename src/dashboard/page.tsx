/**
 * What every page gets, and the one way a page loads its data: `useApi`
 * fetches a JSON route with the key, reloads when the path changes, sends a
 * revoked key back to sign-in, and says what failed in words.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './client';

export interface PageProps {
  apiKey: string;
  onUnauthorized: () => void;
}

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
}

export function useApi<T>(p: PageProps, path: string | null): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (!path) return;
    let current = true;
    api<T>(p.apiKey, 'GET', path).then(
      (d) => {
        if (!current) return;
        setData(d);
        setError(null);
      },
      (err: unknown) => {
        if (!current) return;
        if (err instanceof ApiError && err.status === 401) p.onUnauthorized();
        else setError(`Could not load ${path}: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
    return () => {
      current = false;
    };
  }, [p.apiKey, path, nonce]);
  return { data, error, reload: () => setNonce((n) => n + 1) };
}

/** A load error, said once at the top of the page. */
export function LoadError({ error }: { error: string | null }) {
  return error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : null;
}
