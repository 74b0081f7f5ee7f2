/**
 * The execution service as one unit: the execution core (core.ts: risk
 * cache, executor, event hub, trade-update booking, reconciliation on start
 * and every API_RECONCILE_SECONDS) behind its HTTP and WebSocket routes; it
 * listens and closes cleanly. `quant api`, the tests and the benchmark all
 * start it through `startApiService`.
 */
import type { FastifyInstance } from 'fastify';
import { createApiKeyRepo } from '../adapters/postgres/api-key-repo';
import { openExecutionCore, type ExecutionCoreOptions } from './core';
import type { EventHub } from './events';
import type { RiskCache } from './risk-cache';
import { loadDashboard } from './dashboard';
import { buildApiServer } from './server';
import { createObjectStore } from '../adapters/object-store';
import { resolveEndpoints } from '../config/endpoints';
import { lazyTemporal } from './views/temporal';
import { createWsTickets } from './ws-tickets';

export { riskLimitsFromConfig } from './core';

export interface ApiServiceOptions extends Omit<ExecutionCoreOptions, 'limits' | 'timers'> {
  /** Override the configured port (0 = a free one, for tests). */
  port?: number;
  host?: string;
}

export interface ApiService {
  app: FastifyInstance;
  url: string;
  cache: RiskCache;
  events: EventHub;
  close(): Promise<void>;
}

export async function startApiService(o: ApiServiceOptions): Promise<ApiService> {
  const core = await openExecutionCore(o);
  const apiKeys = createApiKeyRepo(o.db, { recheckMs: o.config.api.keyRecheckMs });
  const endpoints = resolveEndpoints(o.config);
  const temporal = lazyTemporal(endpoints.temporalAddress, o.config.temporal.namespace);
  const app = await buildApiServer({
    db: o.db,
    broker: o.broker,
    trading: core.trading,
    strategies: core.strategies,
    apiKeys,
    cache: core.cache,
    executor: core.executor,
    events: core.events,
    registry: core.metrics.registry,
    bodyLimitBytes: o.config.api.bodyLimitBytes,
    tickets: createWsTickets(),
    dashboard: await loadDashboard((msg) => core.log({ level: 'info', msg })),
    views: {
      db: o.db,
      store: createObjectStore(o.config),
      temporal: () => temporal.get(),
      namespace: o.config.temporal.namespace,
      uiUrl: endpoints.uiUrl,
      mlflowUrl: o.config.tracking.mlflowUri,
      executionAccount: o.config.strategies.account,
      modelCurves: { lookbackDays: o.config.models.lookbackDays, holdingDays: o.config.models.holdingDays },
    },
    bookingsSettled: core.bookingsSettled,
    onError: core.onError,
  });
  const host = o.host ?? o.config.api.host;
  try {
    await app.listen({ host, port: o.port ?? o.config.api.port });
  } catch (err) {
    await core.close();
    await temporal.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (o.port ?? o.config.api.port);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    app,
    url,
    cache: core.cache,
    events: core.events,
    close: async () => {
      await core.close(() => app.close());
      await temporal.close();
    },
  };
}
