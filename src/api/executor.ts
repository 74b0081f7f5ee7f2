/**
 * The hot path: one signal in, one answer out, in the API process and without
 * waiting on any workflow. Validate what the schema cannot (known strategy and
 * symbol, timestamp window, stop/take-profit side), decide with the pure risk
 * manager against the risk cache, record, submit, answer.
 *
 * Exactly once:
 * - the signal and its order are written by one statement BEFORE the broker
 *   is called and before the answer says "executed", so a process killed
 *   after answering has the order in `trading_orders` (signals arriving
 *   while a statement runs share the next one: a group commit);
 * - the idempotency key is UNIQUE in `trading_signals`; duplicates in this
 *   process share one in-flight promise, duplicates across processes lose the
 *   insert and read the winner's rows; the broker's client order id is derived
 *   from the key and the broker is idempotent on it, so even a resubmission
 *   (a stored order that never got its broker id, e.g. the process died
 *   between recording and submitting) cannot place a second order.
 */
import { createHash } from 'node:crypto';
import { BrokerError, FINAL_ORDER_STATUSES, type Broker, type BrokerOrder } from '../adapters/broker/types';
import type { ExecutionMetricRecord, NewOrderRecord, OrderRow, SignalRecord, TradingRepo } from '../adapters/postgres/trading-repo';
import { groupCommit } from '../domain/async';
import { QuantError, errorMessage } from '../domain/errors';
import type { OrderProgress } from '../domain/order-progress';
import { checkSignalLevels, evaluateSignal, type RiskLimits, type RiskSignal } from '../domain/risk-manager';
import type { EventHub } from './events';
import type { RiskCache } from './risk-cache';
import type { SignalBody } from './schemas';
import type { TradingMetrics } from './trading-metrics';
import { orderToWire } from './wire';

/** A well-typed signal the service still refuses (unknown strategy or symbol, stale, wrong-side stop): 400 naming the field, nothing written. */
export class SignalInputError extends QuantError {
  readonly type = 'InvalidSignal';
  readonly retryable = false;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'SignalInputError';
  }
}

/** The broker could not be reached (outage, rate limit): 503; the order stays recorded and a retry with the same key resubmits it. */
export class BrokerUnavailableError extends QuantError {
  readonly type = 'BrokerUnavailable';
  readonly retryable = true;
  constructor(
    message: string,
    readonly clientOrderId: string,
  ) {
    super(message);
    this.name = 'BrokerUnavailableError';
  }
}

export type ExecutionResult =
  | { kind: 'executed'; order: OrderRow; duplicate: boolean }
  | { kind: 'rejected'; rule: string; reason: string; duplicate: boolean }
  | { kind: 'held'; signalId: number; duplicate: boolean };

export interface ExecutorOptions {
  broker: Broker;
  trading: TradingRepo;
  cache: RiskCache;
  events: EventHub;
  /** Shared with the trade-update booking so the stream only carries order updates that move an order forward. */
  progress: OrderProgress;
  metrics: TradingMetrics;
  limits: RiskLimits;
  maxSignalAgeMs: number;
  maxFutureSkewMs: number;
  clock?: () => number;
  onError?: (what: string, err: unknown) => void;
  /** Store the broker's acknowledgement off the hot path (the service books it with the trade updates, one transaction per batch); default: its own UPDATE. */
  onPlaced?: (placed: BrokerOrder) => void;
}

/**
 * The default idempotency key: strategy, symbol, action and signal time. A
 * signal without a timestamp gets its arrival time, so it is never deduplicated.
 */
export function defaultIdempotencyKey(strategyId: string, symbol: string, action: string, signalTs: string): string {
  return `${strategyId}:${symbol}:${action}:${signalTs}`;
}

/** The broker's client order id for a key: `q` + 32 base64url characters of its SHA-256 (Alpaca allows 48). */
export function clientOrderIdFor(idempotencyKey: string): string {
  return `q${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 32)}`;
}

export interface Executor {
  execute(body: SignalBody): Promise<ExecutionResult>;
  /** Write buffered latency rows now (shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createExecutor(o: ExecutorOptions): Executor {
  const clock = o.clock ?? Date.now;
  // Signals arriving while one batch is being recorded are recorded together by the next statement.
  const recordExecuted = groupCommit((items: { signal: SignalRecord; order: NewOrderRecord }[]) => o.trading.recordExecutedSignals(items));
  const inflight = new Map<string, Promise<ExecutionResult>>();
  let buffered: ExecutionMetricRecord[] = [];
  const flush = async () => {
    if (buffered.length === 0) return;
    const rows = buffered;
    buffered = [];
    await o.trading.insertMetrics(rows).catch((err) => o.onError?.('execution metrics', err));
  };
  const flushTimer = setInterval(() => void flush(), 250);
  const running = new Set<Promise<unknown>>();
  const background = (p: Promise<unknown>, what: string) => {
    const tracked = p.catch((err) => o.onError?.(what, err)).finally(() => running.delete(tracked));
    running.add(tracked);
  };
  flushTimer.unref();

  function validate(body: SignalBody, now: number): { record: SignalRecord; signal: RiskSignal } {
    const strategy = o.cache.strategy(body.strategy_id);
    if (!strategy) throw new SignalInputError('strategy_id', `unknown strategy "${body.strategy_id}"`);
    const price = o.cache.price(body.symbol);
    if (price === undefined) throw new SignalInputError('symbol', `unknown symbol "${body.symbol}": no price for it`);
    const ts = body.timestamp === undefined ? now : Date.parse(body.timestamp);
    if (now - ts > o.maxSignalAgeMs)
      throw new SignalInputError('timestamp', `timestamp ${body.timestamp} is older than the ${o.maxSignalAgeMs / 1000} s staleness limit`);
    if (ts - now > o.maxFutureSkewMs) throw new SignalInputError('timestamp', `timestamp ${body.timestamp} is in the future`);
    const levels = checkSignalLevels(
      { action: body.action, stopLoss: body.stop_loss, takeProfit: body.take_profit, priceTarget: body.price_target },
      price,
    );
    if (levels) throw new SignalInputError(levels.field, levels.message);
    const signalTs = new Date(ts).toISOString();
    return {
      record: {
        idempotencyKey: body.idempotency_key ?? defaultIdempotencyKey(body.strategy_id, body.symbol, body.action, signalTs),
        strategyId: body.strategy_id,
        symbol: body.symbol,
        action: body.action,
        quantity: body.quantity ?? null,
        priceTarget: body.price_target ?? null,
        stopLoss: body.stop_loss ?? null,
        takeProfit: body.take_profit ?? null,
        confidence: body.confidence,
        signalTs,
        metadata: body.metadata ?? {},
      },
      signal: {
        symbol: body.symbol,
        action: body.action,
        strategyId: body.strategy_id,
        confidence: body.confidence,
        quantity: body.quantity,
        priceTarget: body.price_target,
        stopLoss: body.stop_loss,
        takeProfit: body.take_profit,
      },
    };
  }

  async function submit(order: OrderRow): Promise<ExecutionResult> {
    try {
      const placed = await o.broker.submitOrder({
        clientOrderId: order.clientOrderId,
        symbol: order.symbol,
        side: order.side,
        qty: order.qty,
        type: order.orderType,
        ...(order.limitPrice !== null ? { limitPrice: order.limitPrice } : {}),
        timeInForce: 'day',
        ...(order.stopLoss !== null ? { stopLoss: order.stopLoss } : {}),
        ...(order.takeProfit !== null ? { takeProfit: order.takeProfit } : {}),
      });
      // The broker's id and status are stored off the hot path: the order row (with the client order id
      // the venue knows it by) is already durable, and the trade updates carry the same facts.
      const updated: OrderRow = {
        ...order,
        brokerOrderId: placed.id,
        status: placed.status,
        filledQty: placed.filledQty,
        filledAvgPrice: placed.filledAvgPrice,
      };
      if (o.onPlaced) o.onPlaced(placed);
      else background(o.trading.markOrderSubmitted(order.clientOrderId, placed), `storing broker order ${placed.id}`);
      if (FINAL_ORDER_STATUSES.has(placed.status)) o.cache.settlePending(updated.clientOrderId);
      if (o.progress.advances(updated.clientOrderId, updated.status, updated.filledQty)) o.events.publish('order', orderToWire(updated));
      return { kind: 'executed', order: updated, duplicate: false };
    } catch (err) {
      o.cache.settlePending(order.clientOrderId, true);
      if (err instanceof BrokerError && !err.retryable) {
        await o.trading.markOrderRejected(order.clientOrderId);
        o.events.publish('order', { ...orderToWire(order), status: 'rejected', reason: err.message });
        return { kind: 'rejected', rule: 'broker', reason: `the broker refused the order: ${err.message}`, duplicate: false };
      }
      throw new BrokerUnavailableError(
        `the broker did not answer: ${errorMessage(err)}; retry with the same idempotency_key`,
        order.clientOrderId,
      );
    }
  }

  /** The answer a stored key gives; an order that never reached the broker is (re)submitted. */
  async function replay(key: string): Promise<ExecutionResult> {
    const stored = await o.trading.findByIdempotencyKey(key);
    if (!stored) throw new Error(`idempotency key ${key} conflicted but its signal is not readable`);
    if (stored.outcome === 'held') return { kind: 'held', signalId: stored.signalId, duplicate: true };
    if (stored.outcome === 'rejected' || !stored.order)
      return { kind: 'rejected', rule: stored.rule ?? 'unknown', reason: stored.reason ?? '', duplicate: true };
    if (stored.order.brokerOrderId === null && stored.order.status === 'pending_new')
      return { ...(await submit(stored.order)), duplicate: true };
    return { kind: 'executed', order: stored.order, duplicate: true };
  }

  async function decide(record: SignalRecord, signal: RiskSignal, now: number): Promise<ExecutionResult> {
    const strategy = o.cache.strategy(signal.strategyId)!;
    const decision = evaluateSignal(signal, strategy, o.limits, o.cache.snapshot(now));
    if (decision.kind === 'hold') {
      const r = await o.trading.recordHeldSignal(record);
      return r ? { kind: 'held', signalId: r.signalId, duplicate: false } : replay(record.idempotencyKey);
    }
    if (decision.kind === 'reject') {
      const r = await o.trading.recordRejectedSignal(record, decision.rule, decision.reason);
      if (!r) return replay(record.idempotencyKey);
      o.metrics.recordRejection(decision.rule);
      o.events.publish('risk_violation', {
        signal_id: r.signalId,
        strategy_id: record.strategyId,
        symbol: record.symbol,
        rule: decision.rule,
        reason: decision.reason,
      });
      return { kind: 'rejected', rule: decision.rule, reason: decision.reason, duplicate: false };
    }
    const clientOrderId = clientOrderIdFor(record.idempotencyKey);
    o.cache.addPending(clientOrderId, {
      symbol: record.symbol,
      qty: decision.side === 'buy' ? decision.qty : -decision.qty,
      price: decision.price,
      stopLoss: decision.stopLoss,
    });
    let recorded: Awaited<ReturnType<TradingRepo['recordExecutedSignals']>>[number];
    try {
      recorded = await recordExecuted({
        signal: record,
        order: {
          clientOrderId,
          broker: o.broker.name,
          side: decision.side,
          qty: decision.qty,
          orderType: decision.orderType,
          limitPrice: decision.limitPrice ?? null,
          stopLoss: decision.stopLoss,
          takeProfit: decision.takeProfit ?? null,
        },
      });
    } catch (err) {
      o.cache.settlePending(clientOrderId, true);
      throw err;
    }
    if (!recorded) {
      o.cache.settlePending(clientOrderId, true);
      return replay(record.idempotencyKey);
    }
    return submit(recorded.order);
  }

  return {
    async execute(body) {
      const t0 = performance.now();
      const now = clock();
      const { record, signal } = validate(body, now);
      const key = record.idempotencyKey;
      let result: ExecutionResult;
      const sameKey = inflight.get(key);
      if (sameKey) {
        result = { ...(await sameKey), duplicate: true };
      } else {
        const p = decide(record, signal, now);
        inflight.set(key, p);
        try {
          result = await p;
        } finally {
          inflight.delete(key);
        }
      }
      const latencyMs = performance.now() - t0;
      o.metrics.recordSignal(record.strategyId, result.kind, latencyMs);
      if (!result.duplicate) {
        buffered.push({
          signalId: result.kind === 'executed' ? result.order.signalId : result.kind === 'held' ? result.signalId : null,
          strategyId: record.strategyId,
          outcome: result.kind,
          latencyMs,
        });
      }
      return result;
    },
    flush,
    async close() {
      clearInterval(flushTimer);
      await Promise.all(running);
      await flush();
    },
  };
}
