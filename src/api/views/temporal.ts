/**
 * A Temporal client for the dashboard's views, connected on first use and
 * kept; when the frontend cannot be reached the views get the reason instead,
 * and the next request after RETRY_MS tries again (so a service started
 * before Temporal finds it once it is up, without a restart).
 */
import { Client, Connection } from '@temporalio/client';

const RETRY_MS = 10_000;

export interface LazyTemporal {
  get(): Promise<{ client: Client } | { client?: undefined; reason: string }>;
  close(): Promise<void>;
}

export function lazyTemporal(address: string, namespace: string): LazyTemporal {
  let connecting: Promise<Client> | undefined;
  let failedAt = 0;
  let lastError = '';
  return {
    async get() {
      if (!connecting && Date.now() - failedAt < RETRY_MS) return { reason: `Temporal at ${address} is not reachable: ${lastError}` };
      connecting ??= Connection.connect({ address, connectTimeout: 2_000 }).then((connection) => new Client({ connection, namespace }));
      try {
        return { client: await connecting };
      } catch (err) {
        connecting = undefined;
        failedAt = Date.now();
        lastError = err instanceof Error ? err.message : String(err);
        return { reason: `Temporal at ${address} is not reachable: ${lastError}` };
      }
    },
    async close() {
      const pending = connecting;
      connecting = undefined;
      if (pending) await pending.then((c) => c.connection.close()).catch(() => undefined);
    },
  };
}
