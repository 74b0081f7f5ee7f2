/**
 * The execution service's HTTP and WebSocket routes (Fastify 5, zod schemas
 * through fastify-type-provider-zod, OpenAPI through @fastify/swagger). The
 * routes only translate: the hot path is the executor, state is the risk
 * cache and the repositories. Every refused request answers with the field
 * it is about: `{ error, field, message }`.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { BrokerError, type Broker } from '../adapters/broker/types';
import type { ApiKeyRepo } from '../adapters/postgres/api-key-repo';
import type { Db } from '../adapters/postgres/pool';
import type { StrategyRepo } from '../adapters/postgres/strategy-repo';
import { StrategyConfigError } from '../domain/strategies/registry';
import type { TradingRepo } from '../adapters/postgres/trading-repo';
import { createAuthHook, upgradeAllowed } from './auth';
import type { DashboardFile } from './dashboard';
import type { EventHub } from './events';
import { BrokerUnavailableError, SignalInputError, type ExecutionResult, type Executor } from './executor';
import type { RiskCache } from './risk-cache';
import {
  errorSchema,
  executedSchema,
  heldSchema,
  orderIdParamsSchema,
  orderSchema,
  ordersQuerySchema,
  portfolioSchema,
  positionSchema,
  rejectedSchema,
  signalBodySchema,
  strategyParamsSchema,
  strategyPatchSchema,
  strategySchema,
  tradingMetricsSchema,
} from './schemas';
import { orderToWire, positionToWire, strategyPatchFromWire, strategyToWire } from './wire';
import type { DashboardViewsDeps } from './views/deps';
import { registerViewRoutes } from './views/routes';
import { WS_PROTOCOL, type WsTickets } from './ws-tickets';

export interface ApiServerDeps {
  db: Db;
  broker: Broker;
  trading: TradingRepo;
  strategies: StrategyRepo;
  apiKeys: ApiKeyRepo;
  cache: RiskCache;
  executor: Executor;
  events: EventHub;
  registry: Registry;
  bodyLimitBytes: number;
  /** One-time tickets that let a browser open /ws (ws-tickets.ts). */
  tickets: WsTickets;
  /** The built dashboard (dashboard.ts); absent: `/` says how to build it. */
  dashboard?: Map<string, DashboardFile>;
  /** What the dashboard's read-only views (`GET /api/...`) read; absent, those routes are not served. */
  views?: DashboardViewsDeps;
  /**
   * Resolves once the trade updates received so far are booked in trading_orders (they are booked in
   * batches off the hot path): order reads wait for it, so a reader sees at least what an answer said.
   */
  bookingsSettled?: () => Promise<void>;
  onError?: (what: string, err: unknown) => void;
}

/** The field a zod issue is about: the unknown key itself for `unrecognized_keys`, else the issue's path. */
function fieldOf(v: { keyword: string; instancePath: string; params: Record<string, unknown> }, where: string): string {
  const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (v.keyword === 'unrecognized_keys' && Array.isArray(v.params.keys)) return [path, String(v.params.keys[0])].filter(Boolean).join('.');
  return path || where;
}

function executionAnswer(result: ExecutionResult, latencyMs: number) {
  if (result.kind === 'executed') {
    return {
      status: 'executed' as const,
      order_id: result.order.id,
      client_order_id: result.order.clientOrderId,
      broker_order_id: result.order.brokerOrderId,
      quantity: result.order.qty,
      side: result.order.side,
      order_status: result.order.status,
      latency_ms: latencyMs,
      duplicate: result.duplicate,
    };
  }
  if (result.kind === 'rejected')
    return { status: 'rejected' as const, rule: result.rule, reason: result.reason, latency_ms: latencyMs, duplicate: result.duplicate };
  return { status: 'held' as const, signal_id: result.signalId, latency_ms: latencyMs, duplicate: result.duplicate };
}

export async function buildApiServer(d: ApiServerDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: d.bodyLimitBytes, return503OnClosing: true }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // `curl -d '{...}'` sends form encoding by default; the body is still JSON, so read it as JSON.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const first = err.validation[0];
      const field = fieldOf(first, where);
      const message = first.keyword === 'unrecognized_keys' ? `unknown field "${field}"` : `${field}: ${first.message}`;
      return reply.code(400).send({ error: 'invalid_request', field, message });
    }
    if (err instanceof SignalInputError) return reply.code(400).send({ error: 'invalid_signal', field: err.field, message: err.message });
    // A strategy's kind and params that cannot work together (PATCH /strategies): the setting, as the body spells it.
    if (err instanceof StrategyConfigError) {
      const field = err.setting === 'kind' || err.setting === 'params' ? err.setting : `params.${err.setting}`;
      return reply.code(400).send({ error: 'invalid_strategy_config', field, message: err.message });
    }
    if (err instanceof BrokerUnavailableError) return reply.code(503).send({ error: 'broker_unavailable', message: err.message });
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply.code(413).send({ error: 'body_too_large', field: 'body', message: `the body is larger than ${d.bodyLimitBytes} bytes` });
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply.code(415).send({ error: 'unsupported_media_type', field: 'body', message: 'send the body as application/json' });
    if (err.statusCode === 400 || err instanceof SyntaxError)
      return reply.code(400).send({ error: 'invalid_json', field: 'body', message: `the body is not valid JSON: ${err.message}` });
    d.onError?.(`${request.method} ${request.routeOptions.url ?? ''}`, err);
    return reply.code(500).send({ error: 'internal', message: 'internal error' });
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'quant-workflows execution service',
        version: '1.0.0',
        description: 'Signals in, risk-checked orders out; live events on WS /ws.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // When the request arrived, before authentication: the start of a signal's latency_ms.
  app.addHook('onRequest', (request, _reply, done) => {
    request.receivedAt = performance.now();
    done();
  });
  app.addHook('onRequest', createAuthHook(d.apiKeys));

  const badRequest = { 400: errorSchema };

  app.post(
    '/signals/execute',
    {
      schema: {
        summary: 'Turn a signal into a risk-checked order',
        body: signalBodySchema,
        response: { 200: z.union([executedSchema, rejectedSchema, heldSchema]), 422: rejectedSchema, ...badRequest, 503: errorSchema },
      },
    },
    async (request, reply) => {
      const result = await d.executor.execute(request.body);
      const answer = executionAnswer(result, performance.now() - request.receivedAt);
      // A disabled strategy is the caller's to fix: 422; other risk rejections are a normal answer.
      return reply.code(result.kind === 'rejected' && result.rule === 'strategy_disabled' ? 422 : 200).send(answer);
    },
  );

  app.get('/portfolio', { schema: { summary: 'Account and positions', response: { 200: portfolioSchema } } }, async () => {
    const [account, positions] = await Promise.all([d.broker.getAccount(), d.broker.listPositions()]);
    const halt = d.cache.halt();
    return {
      broker: d.broker.name,
      cash: account.cash,
      equity: account.equity,
      buying_power: account.buyingPower,
      currency: account.currency,
      positions_value: positions.reduce((s, p) => s + p.marketValue, 0),
      positions: positions.map(positionToWire),
      halted: halt.halted,
      halt_reason: halt.haltReason,
    };
  });

  app.get('/positions', { schema: { summary: 'Open positions at the broker', response: { 200: z.array(positionSchema) } } }, async () =>
    (await d.broker.listPositions()).map(positionToWire),
  );

  app.get(
    '/orders',
    { schema: { summary: 'Orders, newest first', querystring: ordersQuerySchema, response: { 200: z.array(orderSchema), ...badRequest } } },
    async (request) => {
      await d.bookingsSettled?.();
      return (await d.trading.listOrders(request.query)).map(orderToWire);
    },
  );

  app.get(
    '/orders/:id',
    { schema: { summary: 'One order', params: orderIdParamsSchema, response: { 200: orderSchema, 404: errorSchema, ...badRequest } } },
    async (request, reply) => {
      await d.bookingsSettled?.();
      const order = await d.trading.getOrder(request.params.id);
      if (!order) return reply.code(404).send({ error: 'not_found', field: 'id', message: `no order ${request.params.id}` });
      return orderToWire(order);
    },
  );

  app.delete(
    '/orders/:id',
    {
      schema: {
        summary: 'Cancel an open order',
        params: orderIdParamsSchema,
        response: {
          202: z.object({ status: z.literal('cancel_requested'), order_id: z.number() }),
          404: errorSchema,
          409: errorSchema,
          ...badRequest,
        },
      },
    },
    async (request, reply) => {
      await d.bookingsSettled?.();
      const order = await d.trading.getOrder(request.params.id);
      if (!order) return reply.code(404).send({ error: 'not_found', field: 'id', message: `no order ${request.params.id}` });
      const brokerOrder = order.brokerOrderId
        ? await d.broker.getOrder(order.brokerOrderId)
        : await d.broker.getOrderByClientId(order.clientOrderId);
      if (!brokerOrder)
        return reply.code(409).send({ error: 'not_cancelable', field: 'id', message: `order ${order.id} is not known to the broker` });
      try {
        await d.broker.cancelOrder(brokerOrder.id);
      } catch (err) {
        if (err instanceof BrokerError && !err.retryable)
          return reply.code(409).send({ error: 'not_cancelable', field: 'id', message: err.message });
        throw err;
      }
      return reply.code(202).send({ status: 'cancel_requested' as const, order_id: order.id });
    },
  );

  app.get('/strategies', { schema: { summary: 'Strategy settings', response: { 200: z.array(strategySchema) } } }, async () =>
    (await d.strategies.list()).map(strategyToWire),
  );

  app.patch(
    '/strategies/:name',
    {
      schema: {
        summary: 'Change a strategy; effective on the next signal',
        params: strategyParamsSchema,
        body: strategyPatchSchema,
        response: { 200: strategySchema, 404: errorSchema, ...badRequest },
      },
    },
    async (request, reply) => {
      // A kind or params the kind's parser refuses throws StrategyConfigError before anything is written (400, see above).
      const updated = await d.strategies.patch(request.params.name, strategyPatchFromWire(request.body));
      if (!updated)
        return reply.code(404).send({ error: 'not_found', field: 'name', message: `unknown strategy "${request.params.name}"` });
      d.cache.setStrategy(updated);
      return strategyToWire(updated);
    },
  );

  app.get(
    '/metrics/trading',
    {
      schema: {
        summary: 'Latency percentiles, per-strategy success, rejections by rule, orders per second',
        querystring: z.strictObject({ window_seconds: z.coerce.number().int().min(1).max(604_800).optional() }),
        response: { 200: tradingMetricsSchema, ...badRequest },
      },
    },
    async (request) => {
      const m = await d.trading.metricsSummary(request.query.window_seconds ?? 3600);
      return {
        window_seconds: m.windowSeconds,
        latency_ms: m.latencyMs,
        strategies: m.strategies.map((s) => ({
          strategy: s.strategy,
          signals: s.signals,
          executed: s.executed,
          rejected: s.rejected,
          held: s.held,
          success_rate: s.successRate,
        })),
        rejections_by_rule: m.rejectionsByRule,
        orders_per_second: m.ordersPerSecond,
      };
    },
  );

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', hide: true } }, async (_request, reply) =>
    reply.type(d.registry.contentType).send(await d.registry.metrics()),
  );

  app.get(
    '/session',
    {
      schema: {
        summary: "The key's role: how the dashboard checks a key without reading any data",
        response: { 200: z.object({ role: z.string() }) },
      },
    },
    async (request) => ({ role: request.apiKeyRole ?? 'read' }),
  );

  app.post(
    '/ws/ticket',
    {
      schema: {
        summary:
          'A one-time ticket (30 s) that opens WS /ws from a browser, offered as the subprotocol `ticket.<ticket>` beside `quant.v1`',
        response: { 200: z.object({ ticket: z.string(), protocol: z.string(), expires_in_ms: z.number() }) },
      },
    },
    async () => {
      const { ticket, expiresInMs } = d.tickets.issue();
      return { ticket, protocol: WS_PROTOCOL, expires_in_ms: expiresInMs };
    },
  );

  if (d.views) registerViewRoutes(app, d.views);

  // The dashboard's page and bundle, public (they hold no data). A strict CSP: our own scripts, styles and
  // connections only, so even an injected string could not load or send anything elsewhere.
  const sendDashboardFile = (path: string, reply: FastifyReply) => {
    const file = d.dashboard?.get(path);
    if (!file) {
      if (path === '/')
        return reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('The dashboard is not built: run `npm run build:dashboard` (npm ci does it) and restart.');
      return reply.code(404).send({ error: 'not_found', field: 'file', message: `no asset ${path}` });
    }
    return reply
      .type(file.type)
      .header('cache-control', path === '/' ? 'no-cache' : 'public, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .header(
        'content-security-policy',
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      )
      .send(file.body);
  };
  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendDashboardFile('/', reply));
  app.get('/assets/:file', { schema: { hide: true, params: z.object({ file: z.string() }) } }, async (request, reply) =>
    sendDashboardFile(`/assets/${request.params.file}`, reply),
  );

  // Browsers ask for it on their own; no icon, and no 401 in the page's console.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) => reply.code(204).send());

  app.get('/healthz', { schema: { summary: 'Liveness' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { summary: 'Readiness: database reachable and risk cache loaded' } }, async (_request, reply) => {
    const db = await d.db.query('SELECT 1').then(
      () => true,
      () => false,
    );
    const ready = db && d.cache.ready();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', database: db, risk_cache: d.cache.ready() });
  });

  // WebSocket upgrades bypass the routes: authenticated here, then handed to the event hub, whose own process
  // holds the sockets (events.ts says why). The route below documents /ws and answers a plain GET.
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgradeAllowed(d.apiKeys, req, d.tickets).then(
      (refusal) => {
        if (refusal) refuseUpgrade(socket, refusal);
        else d.events.accept(req, socket, head);
      },
      (err) => {
        d.onError?.('WebSocket upgrade', err);
        refuseUpgrade(socket, { status: 500, reason: 'Internal Server Error' });
      },
    );
  });
  app.get(
    '/ws',
    {
      schema: {
        summary: 'Live events: order, fill, position, risk_violation, halt (JSON frames); a WebSocket upgrade, a plain GET is 426',
        response: { 426: errorSchema },
      },
    },
    async (_request, reply) =>
      reply.code(426).header('upgrade', 'websocket').send({ error: 'upgrade_required', message: 'connect with a WebSocket client' }),
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/docs', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html').send(docsPage(app.swagger() as OpenApiDoc)),
  );

  return app;
}

/** Answer an upgrade request with a bare HTTP status and close the socket (no WebSocket was opened). */
function refuseUpgrade(socket: Duplex, refusal: { status: number; reason: string; headers?: string[] }): void {
  const lines = [`HTTP/1.1 ${refusal.status} ${refusal.reason}`, 'Connection: close', 'Content-Length: 0', ...(refusal.headers ?? [])];
  socket.end(`${lines.join('\r\n')}\r\n\r\n`);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when the request arrived. */
    receivedAt: number;
  }
}

interface OpenApiDoc {
  info: { title: string; description?: string };
  paths?: Record<string, Record<string, { summary?: string }>>;
}

/** A self-contained page listing the operations (no CDN: the service may run offline); the full schema is at /openapi.json. */
function docsPage(doc: OpenApiDoc): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rows = Object.entries(doc.paths ?? {}).flatMap(([path, ops]) =>
    Object.entries(ops).map(
      ([method, op]) =>
        `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${esc(path)}</code></td><td>${esc(op.summary ?? '')}</td></tr>`,
    ),
  );
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(doc.info.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}td{padding:.3rem .8rem;border-bottom:1px solid #ddd}</style></head>
<body><h1>${esc(doc.info.title)}</h1><p>${esc(doc.info.description ?? '')}</p>
<p>Every route but /healthz, /readyz, these docs and the dashboard's page (/ and /assets/) needs <code>Authorization: Bearer &lt;key&gt;</code> (<code>quant api keys create</code>).
The full OpenAPI document: <a href="/openapi.json">/openapi.json</a>.</p>
<table>${rows.join('\n')}</table></body></html>`;
}
