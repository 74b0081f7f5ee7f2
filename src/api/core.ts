/**
 * The execution service's core, without HTTP: repositories, risk cache,
 * executor, event hub, the booking of the broker's trade updates (fills,
 * order progress, the positions mirror) and reconciliation with the broker
 * (once before anything reads the book, then on a timer). `quant api` wraps
 * it in its routes (service.ts); a strategy cycle opens one on its own book
 * (strategy-desk.ts), so a strategy's signal goes through exactly the code a
 * POST /signals/execute does.
 */
import type { Broker, BrokerOrder, BrokerPosition, TradeUpdate } from '../adapters/broker/types';
import { createMetrics, type QuantMetrics } from '../adapters/metrics';
import type { Db } from '../adapters/postgres/pool';
import { createStrategyRepo, type StrategyRepo } from '../adapters/postgres/strategy-repo';
import { createTradingRepo, type TradingRepo } from '../adapters/postgres/trading-repo';
import { createWebhookOnlyNotifier } from '../adapters/notify/notifier';
import type { Config } from '../config/schema';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../domain/errors';
import { createOrderProgress, type OrderProgress } from '../domain/order-progress';
import type { RiskLimits } from '../domain/risk-manager';
import { FINAL_ORDER_STATUSES } from '../adapters/broker/types';
import {
  reconcileOnce,
  startReconcileLoop,
  type ReconcileLogger,
  type ReconcileResult,
  type ReconcilerDeps,
} from '../adapters/trading/reconciler';
import { createEventHub, type EventHub } from './events';
import { createExecutor, type Executor } from './executor';
import { createLoadedQuoteSource, type QuoteSource } from './quotes';
import { createRiskCache, type RiskCache } from './risk-cache';
import { createTradingMetrics } from './trading-metrics';
import { orderToWire, positionToWire } from './wire';

export interface ExecutionCoreOptions {
  config: Config;
  db: Db;
  broker: Broker;
  /** Last prices and the known symbols; default: latest closes in `market_data`. */
  quotes?: QuoteSource;
  clock?: () => number;
  log?: (record: Record<string, unknown>) => void;
  /** Reconciler settings other than db and broker (tests shorten the halt confirmation). */
  reconcile?: Omit<ReconcilerDeps, 'db' | 'broker'>;
  /** Risk limits; default the config's (riskLimitsFromConfig). */
  limits?: RiskLimits;
  /**
   * Keep the book current on timers (the risk cache's reload, reconciliation every
   * API_RECONCILE_SECONDS): a long-lived service. A short-lived core (one strategy cycle)
   * reconciles and loads once when it opens, and acts on its own trade updates.
   */
  timers?: boolean;
}

export interface ExecutionCore {
  trading: TradingRepo;
  strategies: StrategyRepo;
  cache: RiskCache;
  events: EventHub;
  executor: Executor;
  metrics: QuantMetrics;
  /** The reconciliation the core ran before anything read the book. */
  reconciledOnOpen: ReconcileResult;
  /** Resolves when every trade update received so far is booked (ends the booking window early). */
  bookingsSettled(): Promise<void>;
  log: (record: Record<string, unknown>) => void;
  onError: (what: string, err: unknown) => void;
  /** Stop timers and streams, then (after `stopIntake`, e.g. the HTTP server's close) drain the executor and the bookings. */
  close(stopIntake?: () => Promise<void>): Promise<void>;
}

export function riskLimitsFromConfig(config: Config): RiskLimits {
  const a = config.api;
  return {
    maxSinglePosition: a.maxSinglePosition,
    maxPortfolioRisk: a.maxPortfolioRisk,
    defaultStopLoss: a.defaultStopLoss,
    maxCorrelation: a.maxCorrelation,
    allowShortSelling: a.allowShortSelling,
    marketHours: a.marketHours,
  };
}

/** A venue trade update, or the executor's record of an acknowledgement (booked the same way, not re-published). */
interface QueuedUpdate {
  update: TradeUpdate;
  acknowledgement: boolean;
}

/** Book a batch of trade updates and publish what changed; positions follow from the cache's book reload. */
async function onTradeUpdates(
  items: QueuedUpdate[],
  trading: TradingRepo,
  cache: RiskCache,
  events: EventHub,
  progress: OrderProgress,
): Promise<void> {
  const booked = await trading.applyTradeUpdates(items.map((x) => x.update));
  let bookMoved = false;
  for (const [i, { update, acknowledgement }] of items.entries()) {
    const b = booked[i];
    // The executor already published its acknowledgement; only the venue's own updates can be news, and
    // only those that move the order forward (a market order is acknowledged already filled).
    if (b && !acknowledgement) {
      if (progress.advances(update.order.clientOrderId, update.order.status, update.order.filledQty)) {
        // the stored row is the state after the whole batch; the event says what this update changed
        events.publish('order', {
          ...orderToWire(b.order),
          status: update.order.status,
          filled_qty: update.order.filledQty,
          event: update.event,
        });
      }
      if (b.newFill) {
        events.publish('fill', {
          order_id: b.order.id,
          client_order_id: b.order.clientOrderId,
          execution_id: update.executionId,
          symbol: b.order.symbol,
          side: b.order.side,
          qty: update.qty,
          price: update.price,
          filled_at: update.timestamp,
        });
      }
      if (FINAL_ORDER_STATUSES.has(update.order.status)) cache.settlePending(update.order.clientOrderId);
    }
    if (update.event === 'fill' || update.event === 'partial_fill' || FINAL_ORDER_STATUSES.has(update.order.status)) bookMoved = true;
  }
  if (bookMoved) await cache.refreshBook();
}

const positionsKey = (p: BrokerPosition) => `${p.qty}@${p.avgEntryPrice}`;

/**
 * Act on a reconciliation: a halt it wrote reaches the risk cache at once
 * (the next signal is rejected `trading_halted`, not only after the next
 * reload) and is published as a `halt` event; a booking moved the book, so
 * the cache reloads it.
 */
async function onReconciled(r: ReconcileResult, cache: RiskCache, events: EventHub): Promise<void> {
  if (r.outcome === 'halted') {
    if (!cache.halt().halted) cache.setHalt(true, r.haltReason);
    if (!r.wasHalted) {
      events.publish('halt', {
        halted: true,
        source: 'reconciliation',
        broker: r.broker,
        reason: r.haltReason,
        problems: r.problems,
        at: r.at,
      });
    }
  }
  if (r.fillsBooked > 0 || r.ordersUpdated > 0) await cache.refresh();
}

export async function openExecutionCore(o: ExecutionCoreOptions): Promise<ExecutionCore> {
  const log = o.log ?? ((r) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...r })}\n`));
  const onError = (what: string, err: unknown) => log({ level: 'error', msg: `${what} failed`, error: errorMessage(err) });
  const trading = createTradingRepo(o.db);
  const strategies = createStrategyRepo(o.db);
  const metrics = createMetrics();
  const tradingMetrics = createTradingMetrics(metrics.registry);
  const events = createEventHub({
    frameIntervalMs: o.config.api.wsFrameMs,
    onClientCount: (n) => tradingMetrics.setWsClients(n),
    onError,
  });
  const quotes = o.quotes ?? createLoadedQuoteSource(() => trading.latestCloses());
  const batchMs = o.config.api.bookingBatchMs;

  // Publish the positions that changed at once, and mirror them into broker_positions: at most one write in
  // flight and one per booking window, each carrying what changed since the last one written (a full replace
  // first and after a failed write).
  let lastPositions = new Map<string, string>();
  let mirrored: Map<string, string> | undefined;
  let mirroring = Promise.resolve();
  let nextMirror: BrokerPosition[] | undefined;
  const writeMirror = async (list: BrokerPosition[]) => {
    const target = new Map(list.map((p) => [p.symbol, positionsKey(p)]));
    const before = mirrored;
    mirrored = undefined; // unknown until this write lands
    const changed = before ? list.filter((p) => before.get(p.symbol) !== target.get(p.symbol)) : list;
    const removed = before ? [...before.keys()].filter((s) => !target.has(s)) : 'all-others';
    if (removed === 'all-others' || changed.length > 0 || removed.length > 0)
      await trading.mirrorPositions(o.broker.name, changed, removed);
    mirrored = target;
  };
  const onPositions = (positions: BrokerPosition[]) => {
    const next = new Map(positions.map((p) => [p.symbol, positionsKey(p)]));
    for (const p of positions) if (lastPositions.get(p.symbol) !== next.get(p.symbol)) events.publish('position', positionToWire(p));
    for (const symbol of lastPositions.keys()) if (!next.has(symbol)) events.publish('position', { symbol, qty: 0, closed: true });
    lastPositions = next;
    const idle = nextMirror === undefined;
    nextMirror = positions;
    if (idle) {
      mirroring = mirroring
        .then(async () => {
          while (nextMirror) {
            await sleep(batchMs);
            const list = nextMirror;
            await writeMirror(list);
            if (nextMirror === list) nextMirror = undefined;
          }
        })
        .catch((err) => {
          nextMirror = undefined;
          onError('positions mirror', err);
        });
    }
  };

  // Reconcile before anything reads the book: what it books or halts is what the cache loads below,
  // and a service that cannot reconcile does not start (fail closed).
  const reconcileLogger: ReconcileLogger = {
    info: (msg, meta) => log({ level: 'info', msg, ...meta }),
    error: (msg, meta) => log({ level: 'error', msg, ...meta }),
  };
  const reconcileDeps: ReconcilerDeps = {
    logger: reconcileLogger,
    alerts: createWebhookOnlyNotifier(o.config.alerts, { warn: reconcileLogger.error, error: reconcileLogger.error }),
    ...o.reconcile,
    db: o.db,
    broker: o.broker,
  };
  const started = await reconcileOnce(reconcileDeps);

  const cache = createRiskCache({
    broker: o.broker,
    trading,
    strategies,
    quotes,
    refreshMs: o.config.api.refreshSeconds * 1000,
    onError,
    onPositions,
  });
  await cache.refresh();
  if (o.timers !== false) cache.start();
  if (started.outcome === 'halted') await onReconciled(started, cache, events);

  const progress = createOrderProgress();
  const executor = createExecutor({
    broker: o.broker,
    trading,
    cache,
    events,
    progress,
    metrics: tradingMetrics,
    limits: o.limits ?? riskLimitsFromConfig(o.config),
    maxSignalAgeMs: o.config.api.maxSignalAgeSeconds * 1000,
    maxFutureSkewMs: o.config.api.maxFutureSkewSeconds * 1000,
    clock: o.clock,
    onError,
    onPlaced: (order) => onPlaced(order),
  });

  // Trade updates are booked in the order the venue sent them, one statement per batch: a batch is what
  // arrived during the booking window (API_BOOKING_BATCH_MS) plus anything that arrived while the previous
  // batch was being written. So an order's venue reports ("new", "fill") and its acknowledgement share one
  // UPDATE, and at 200 orders/s the bookings are a few statements a second rather than one per order, each
  // a round trip to the database the hot path would otherwise queue behind.
  let queued: QueuedUpdate[] = [];
  let updates = Promise.resolve();
  let draining = false;
  /** Ends the current booking window early (a reader is waiting). */
  let bookNow: (() => void) | undefined;
  const drain = () => {
    if (draining) return;
    draining = true;
    updates = (async () => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, batchMs);
        bookNow = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      bookNow = undefined;
      while (queued.length > 0) {
        const batch = queued;
        queued = [];
        await onTradeUpdates(batch, trading, cache, events, progress).catch((err) =>
          onError(`booking ${batch.length} trade update(s)`, err),
        );
      }
      draining = false;
    })();
  };
  const unsubscribe = o.broker.onTradeUpdate((update) => {
    queued.push({ update, acknowledgement: false });
    drain();
  });
  const onPlaced = (order: BrokerOrder) => {
    queued.push({ update: { event: 'new', order, timestamp: order.updatedAt }, acknowledgement: true });
    drain();
  };

  const reconcileLoop =
    o.timers === false
      ? undefined
      : startReconcileLoop(reconcileDeps, o.config.api.reconcileSeconds * 1000, (r) => {
          onReconciled(r, cache, events).catch((err) => onError('acting on a reconciliation', err));
        });

  return {
    trading,
    strategies,
    cache,
    events,
    executor,
    metrics,
    reconciledOnOpen: started,
    log,
    onError,
    bookingsSettled: () => {
      bookNow?.();
      return updates;
    },
    async close(stopIntake) {
      await reconcileLoop?.stop();
      unsubscribe();
      cache.stop();
      await events.close();
      await stopIntake?.();
      await executor.close();
      await updates;
      await mirroring;
    },
  };
}
