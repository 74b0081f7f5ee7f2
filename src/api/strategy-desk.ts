/**
 * The strategies' desk: an execution core (core.ts, the same executor a
 * POST /signals/execute reaches) on the strategies' own paper book, priced
 * by the intraday bars of the cycle, with the cycle instant as its clock.
 * A cycle's signals go through `submit`; a pair trade's two legs are placed
 * both or neither:
 *
 * 1. both legs are first judged by the risk manager against the same book
 *    (a dry run of the rule the executor applies): if either would be
 *    refused, neither is sent, and the report names the leg and the rule;
 * 2. leg 1 is executed, then leg 2; if leg 2 is still refused (the venue said
 *    no, a limit moved in between), leg 1 is flattened by an opposite order
 *    under its own idempotency key (`<key>:unwind`), and the report says so.
 *
 * Books: a live desk trades `paper:<STRATEGIES_PAPER_ACCOUNT>` and reads the
 * trading halt from Postgres (the flag `quant api halt`, reconciliation and
 * the hourly risk check set); a replay desk trades its own account
 * (`replay:<date>`) with a halt of its own, so a replayed day never moves a
 * live book nor is stopped by one.
 */
import { createPaperBroker, paperBrokerOptionsFromConfig, type PaperBroker } from '../adapters/broker/paper';
import { FINAL_ORDER_STATUSES } from '../adapters/broker/types';
import type { Db } from '../adapters/postgres/pool';
import { createManualPriceFeed, type ManualPriceFeed } from '../adapters/price-feed/manual';
import type { Config } from '../config/schema';
import { errorMessage } from '../domain/errors';
import { evaluateSignal, type RiskLimits } from '../domain/risk-manager';
import type { CycleSignal } from '../domain/strategies/cycle';
import type { DeskBook } from '../domain/strategy-book/books';
import { openExecutionCore, riskLimitsFromConfig, type ExecutionCore } from './core';
import type { ExecutionResult } from './executor';
import { createFeedQuoteSource } from './quotes';

/** The rule a pair's legs are stored under when neither was placed (a leg would have been refused). */
export const PAIR_REFUSED_RULE = 'pair_leg_refused';

/** How far back a flat symbol's resting legs are looked for (entries of the last week). */
const LEG_LOOKBACK_MS = 7 * 86_400_000;

export type DeskOutcome = 'executed' | 'rejected' | 'held' | 'not_placed' | 'unwound' | 'failed';

export interface DeskReportLine {
  strategy: string;
  symbol: string;
  action: 'BUY' | 'SELL';
  confidence: number;
  reason: string;
  idempotencyKey: string;
  outcome: DeskOutcome;
  /** The risk rule or venue refusal behind a rejection, or what happened to a pair. */
  detail: string | null;
  orderId: number | null;
  side: 'buy' | 'sell' | null;
  qty: number | null;
  fillPrice: number | null;
  duplicate: boolean;
  group: string | null;
}

export interface StrategyDeskOptions {
  config: Config;
  db: Db;
  book: DeskBook;
  /** The first instant and prices (the cycle's bar closes). */
  at: number;
  prices: ReadonlyMap<string, number>;
  log?: (record: Record<string, unknown>) => void;
  /** Wrap the venue (tests: a venue that refuses one symbol). */
  wrapBroker?: (broker: PaperBroker) => PaperBroker;
}

export interface StrategyDesk {
  readonly book: DeskBook;
  /** Move the clock and the venue's prices to a new bar close (resting orders may fill). */
  mark(at: number, prices: ReadonlyMap<string, number>): Promise<void>;
  submit(signals: readonly CycleSignal[]): Promise<DeskReportLine[]>;
  /** Place an order outside the strategies (a risk mitigation) under the given strategy name and key. */
  submitOne(signal: CycleSignal): Promise<DeskReportLine>;
  equity(): number;
  positions(): { symbol: string; qty: number; price: number }[];
  halted(): { halted: boolean; reason: string | null };
  /** Halt this book: the database flag for a live book, the desk's own for a replay. */
  halt(reason: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A cycle signal's trading_signals metadata: its reason, its pair group and leg, its metrics (when asked) and
 * `model`, the `name@version` of the registered model version it is traced to (last, so no metric can hide it).
 */
function signalMetadata(s: CycleSignal, withMetrics: boolean): Record<string, unknown> {
  return {
    reason: s.reason,
    ...(s.group ? { group: s.group.id, leg: s.group.leg } : {}),
    ...(withMetrics ? (s.metrics ?? {}) : {}),
    ...(s.model ? { model: s.model } : {}),
  };
}

export function strategyRiskLimits(config: Config): RiskLimits {
  return { ...riskLimitsFromConfig(config), allowShortSelling: config.strategies.allowShortSelling };
}

export async function openStrategyDesk(o: StrategyDeskOptions): Promise<StrategyDesk> {
  let now = o.at;
  const clock = () => now;
  const feed: ManualPriceFeed = createManualPriceFeed({ now: clock });
  for (const [symbol, price] of o.prices) feed.set(symbol, price, now);
  const venue = await createPaperBroker({
    ...paperBrokerOptionsFromConfig({ ...o.config.paper, account: o.book.account }, { db: o.db, feed }),
    name: o.book.name,
    now: clock,
    // Time moves only when the cycle says so: no wall-clock timer in the venue.
    clockIntervalMs: 0,
  });
  const broker = o.wrapBroker ? o.wrapBroker(venue) : venue;
  const limits = strategyRiskLimits(o.config);
  let core: ExecutionCore;
  try {
    core = await openExecutionCore({
      config: o.config,
      db: o.db,
      broker,
      quotes: createFeedQuoteSource(feed),
      clock,
      limits,
      timers: false,
      // A replay's book halts itself: its reconciliation must not write the service's trading halt.
      ...(o.book.halt === 'own' ? { reconcile: { haltScope: 'caller' as const } } : {}),
      log: o.log ?? (() => undefined),
    });
  } catch (err) {
    await venue.close();
    await feed.close();
    throw err;
  }
  // A replay's book ignores the service's halt flag, and halts (fail closed) only on what its own
  // reconciliation could not explain.
  if (o.book.halt === 'own') {
    const r = core.reconciledOnOpen;
    core.cache.setHalt(r.outcome === 'halted', r.outcome === 'halted' ? r.haltReason : null);
  }

  const body = (s: CycleSignal, override?: Partial<CycleSignal>) => {
    const x = { ...s, ...override };
    return {
      symbol: x.symbol,
      action: x.action,
      confidence: x.confidence,
      strategy_id: x.strategy,
      timestamp: x.signalTs,
      idempotency_key: x.idempotencyKey,
      ...(x.quantity !== undefined ? { quantity: x.quantity } : {}),
      ...(x.stopLoss !== undefined ? { stop_loss: x.stopLoss } : {}),
      ...(x.takeProfit !== undefined ? { take_profit: x.takeProfit } : {}),
      metadata: signalMetadata(x, true),
    };
  };

  const line = (s: CycleSignal, r: ExecutionResult | null, outcome?: DeskOutcome, detail?: string): DeskReportLine => ({
    strategy: s.strategy,
    symbol: s.symbol,
    action: s.action,
    confidence: s.confidence,
    reason: s.reason,
    idempotencyKey: s.idempotencyKey,
    outcome: outcome ?? (r ? r.kind : 'failed'),
    detail: detail ?? (r?.kind === 'rejected' ? `${r.rule}: ${r.reason}` : null),
    orderId: r?.kind === 'executed' ? r.order.id : null,
    side: r?.kind === 'executed' ? r.order.side : null,
    qty: r?.kind === 'executed' ? r.order.qty : null,
    fillPrice: r?.kind === 'executed' ? r.order.filledAvgPrice : null,
    duplicate: r?.duplicate ?? false,
    group: s.group?.id ?? null,
  });

  /**
   * Book what the venue reported and reload the book before each decision. The risk cache counts an order
   * as pending until a reload after its final status; the service's own reloads follow trade updates on a
   * timer, so without this a decision could see a filled order twice or not at all depending on timing.
   * Here every decision sees the book exactly as the previous one left it, so a replayed day decides the
   * same way every time (the paper venue answers both reads from memory).
   */
  const settle = async () => {
    await core.bookingsSettled();
    await core.cache.refreshBook();
  };

  const execute = async (s: CycleSignal, override?: Partial<CycleSignal>): Promise<DeskReportLine> => {
    const x = { ...s, ...override };
    await settle();
    try {
      return line(x, await core.executor.execute(body(s, override)));
    } catch (err) {
      return line(x, null, 'failed', errorMessage(err));
    }
  };

  /** The risk manager's verdict on a signal against the book as it stands (no write). */
  const precheck = (s: CycleSignal): string | null => {
    const strategy = core.cache.strategy(s.strategy);
    if (!strategy) return `unknown strategy "${s.strategy}"`;
    const d = evaluateSignal(
      { symbol: s.symbol, action: s.action, strategyId: s.strategy, confidence: s.confidence, quantity: s.quantity, stopLoss: s.stopLoss },
      strategy,
      limits,
      core.cache.snapshot(now),
    );
    return d.kind === 'reject' ? `${d.rule}: ${d.reason}` : d.kind === 'hold' ? 'held by the risk manager' : null;
  };

  const recordRefused = (s: CycleSignal, reason: string) =>
    core.trading.recordRejectedSignal(
      {
        idempotencyKey: s.idempotencyKey,
        strategyId: s.strategy,
        symbol: s.symbol,
        action: s.action,
        quantity: s.quantity ?? null,
        priceTarget: null,
        stopLoss: s.stopLoss ?? null,
        takeProfit: s.takeProfit ?? null,
        confidence: s.confidence,
        signalTs: s.signalTs,
        metadata: signalMetadata(s, false),
      },
      PAIR_REFUSED_RULE,
      reason,
    );

  async function submitPair(leg1: CycleSignal, leg2: CycleSignal): Promise<DeskReportLine[]> {
    // A pair seen before (a retried or re-run cycle) answers from what was stored, whatever the book says now.
    const seen = await core.trading.findByIdempotencyKey(leg1.idempotencyKey);
    if (seen?.rule === PAIR_REFUSED_RULE) {
      const why = seen.reason ?? 'pair not placed';
      return [
        { ...line(leg1, null, 'not_placed', why), duplicate: true },
        { ...line(leg2, null, 'not_placed', why), duplicate: true },
      ];
    }
    if (seen) {
      const first = await execute(leg1);
      const unwindKey = `${leg1.idempotencyKey}:unwind`;
      if (!(await core.trading.findByIdempotencyKey(leg2.idempotencyKey))) {
        if (!(await core.trading.findByIdempotencyKey(unwindKey)) && first.outcome === 'executed') return finishPair(leg1, leg2, first);
        return [first, line(leg2, null, 'not_placed', 'pair not completed before a restart; leg 1 was unwound')];
      }
      const second = await execute(leg2);
      if (!(await core.trading.findByIdempotencyKey(unwindKey))) return [first, second];
      const unwind = await execute(leg1, unwindOf(leg1, leg2, first, second));
      return [{ ...first, outcome: 'unwound', detail: `flattened by order ${unwind.orderId}` }, second, unwind];
    }
    await settle();
    const refused1 = precheck(leg1);
    const refused2 = precheck(leg2);
    if (refused1 || refused2) {
      const why = refused1
        ? `leg 1 (${leg1.symbol}) would be refused: ${refused1}`
        : `leg 2 (${leg2.symbol}) would be refused: ${refused2}`;
      // Both legs are stored as refused under their keys, so a re-run of the cycle answers the same
      // (it must not judge the pair again against a book that has moved on since).
      await recordRefused(leg1, `pair not placed: ${why}`);
      await recordRefused(leg2, `pair not placed: ${why}`);
      return [line(leg1, null, 'not_placed', `pair not placed: ${why}`), line(leg2, null, 'not_placed', `pair not placed: ${why}`)];
    }
    const first = await execute(leg1);
    if (first.outcome !== 'executed') {
      return [
        first,
        line(
          leg2,
          null,
          'not_placed',
          `pair not placed: leg 1 (${leg1.symbol}) was ${first.outcome}${first.detail ? ` (${first.detail})` : ''}`,
        ),
      ];
    }
    return finishPair(leg1, leg2, first);
  }

  function unwindOf(leg1: CycleSignal, leg2: CycleSignal, first: DeskReportLine, second: DeskReportLine): Partial<CycleSignal> {
    return {
      action: leg1.action === 'BUY' ? 'SELL' : 'BUY',
      quantity: first.qty ?? leg1.quantity,
      idempotencyKey: `${leg1.idempotencyKey}:unwind`,
      reason: `unwind leg 1 of ${leg1.group!.id}: leg 2 (${leg2.symbol}) was ${second.outcome}`,
      stopLoss: undefined,
      takeProfit: undefined,
    };
  }

  /** Leg 1 is placed: place leg 2, and flatten leg 1 if leg 2 does not go through. */
  async function finishPair(leg1: CycleSignal, leg2: CycleSignal, first: DeskReportLine): Promise<DeskReportLine[]> {
    const second = await execute(leg2);
    if (second.outcome === 'executed') return [first, second];
    await core.bookingsSettled();
    const unwind = await execute(leg1, unwindOf(leg1, leg2, first, second));
    const unwound = unwind.outcome === 'executed';
    return [
      {
        ...first,
        outcome: unwound ? 'unwound' : 'executed',
        detail: unwound
          ? `flattened by order ${unwind.orderId}: leg 2 (${leg2.symbol}) ${second.outcome}`
          : `LEFT OPEN: unwind ${unwind.outcome} (${unwind.detail})`,
      },
      second,
      unwind,
    ];
  }

  async function submitAll(signals: readonly CycleSignal[], out: DeskReportLine[]): Promise<void> {
    for (let i = 0; i < signals.length; i++) {
      const s = signals[i]!;
      const next = signals[i + 1];
      if (s.group && s.group.leg === 1 && next?.group?.id === s.group.id) {
        out.push(...(await submitPair(s, next)));
        i++;
      } else if (s.group) {
        out.push(line(s, null, 'not_placed', `pair ${s.group.id} arrived without its other leg`));
      } else {
        out.push(await execute(s));
      }
    }
  }

  /**
   * A position the cycle closed leaves its entry's protective legs resting at the venue (a bracket's stop
   * and take-profit stay until cancelled, at Alpaca too); triggered later, one would open the opposite
   * position. So the open legs of every symbol the book no longer holds are cancelled.
   */
  async function cancelLegsOfFlat(touched: ReadonlySet<string>): Promise<void> {
    if (touched.size === 0) return;
    const held = new Set(
      core.cache
        .positions()
        .filter((p) => p.qty !== 0)
        .map((p) => p.symbol),
    );
    const flat = new Set([...touched].filter((symbol) => !held.has(symbol)));
    if (flat.size === 0) return;
    const since = new Date(now - LEG_LOOKBACK_MS).toISOString();
    for (const order of await broker.listOrders({ status: 'all', after: since })) {
      if (!flat.has(order.symbol)) continue;
      for (const leg of order.legs) {
        if (FINAL_ORDER_STATUSES.has(leg.status)) continue;
        await broker.cancelOrder(leg.id).catch((err: unknown) => core.onError(`cancelling leg ${leg.id} of ${order.symbol}`, err));
      }
    }
  }

  return {
    book: o.book,
    async mark(at, prices) {
      now = at;
      for (const [symbol, price] of prices) feed.set(symbol, price, at);
      await core.bookingsSettled();
      await core.cache.refreshBook();
    },
    async submit(signals) {
      const out: DeskReportLine[] = [];
      try {
        await submitAll(signals, out);
      } finally {
        await core.bookingsSettled();
        await core.cache.refreshBook();
        await cancelLegsOfFlat(new Set(out.filter((l) => l.orderId !== null && !l.duplicate).map((l) => l.symbol)));
      }
      return out;
    },
    submitOne: (s) => execute(s),
    equity: () => core.cache.account()?.equity ?? NaN,
    positions: () => core.cache.positions().map((p) => ({ symbol: p.symbol, qty: p.qty, price: p.currentPrice })),
    halted: () => {
      const h = core.cache.halt();
      return { halted: h.halted, reason: h.haltReason };
    },
    async halt(reason) {
      if (o.book.halt === 'database') await core.trading.setHalt(true, reason);
      core.cache.setHalt(true, reason);
    },
    async close() {
      await core.close();
      await venue.close();
      await feed.close();
    },
  };
}
