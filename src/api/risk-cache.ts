/**
 * The in-memory state the hot path judges signals against, so a signal costs
 * no broker call and no read: account, positions, last prices, correlations,
 * strategy settings and the halt flag. It is kept current three ways:
 * - a full reload every `refreshMs` (and on demand), which also picks up
 *   changes other processes made (a PATCH on another replica, the risk
 *   workflow setting the halt flag, the correlation workflow); a strategy this
 *   process changed while a reload was reading keeps its new settings (the
 *   reload read the old row), so a PATCH is effective on the very next signal;
 * - a reload of account and positions after each trade update of the broker;
 * - the orders this process has just placed, counted as pending exposure
 *   until the reload that follows their final status, so a burst of signals
 *   cannot each see the same free room before any of them has filled.
 */
import type { Broker, BrokerAccount, BrokerPosition } from '../adapters/broker/types';
import type { StrategyRepo } from '../adapters/postgres/strategy-repo';
import type { TradingRepo } from '../adapters/postgres/trading-repo';
import type { HeldPosition, RiskState, StrategyRisk } from '../domain/risk-manager';
import type { QuoteSource } from './quotes';

interface PendingOrder {
  symbol: string;
  /** Signed shares: + buy, - sell. */
  qty: number;
  price: number;
  /** Null for a closing order (it carries no stop). */
  stopLoss: number | null;
  /** Epoch ms at which the order reached a final status; its pending exposure ends with the next reload after that. */
  finalAt?: number;
}

export interface RiskCache {
  /** Full reload; concurrent calls share one reload (and a call during a reload schedules one more). */
  refresh(): Promise<void>;
  /** Reload account and positions only (after a trade update). */
  refreshBook(): Promise<void>;
  strategy(name: string): StrategyRisk | undefined;
  setStrategy(s: StrategyRisk): void;
  price(symbol: string): number | undefined;
  account(): BrokerAccount | undefined;
  positions(): BrokerPosition[];
  halt(): { halted: boolean; haltReason: string | null };
  setHalt(halted: boolean, reason: string | null): void;
  /** The frozen state for one decision, pending orders included. */
  snapshot(now: number): RiskState;
  addPending(clientOrderId: string, order: Omit<PendingOrder, 'finalAt'>): void;
  /** The order reached a final status (or never reached the broker). */
  settlePending(clientOrderId: string, dropNow?: boolean): void;
  ready(): boolean;
  start(): void;
  stop(): void;
}

export interface RiskCacheOptions {
  broker: Broker;
  trading: TradingRepo;
  strategies: StrategyRepo;
  quotes: QuoteSource;
  refreshMs: number;
  onError?: (what: string, err: unknown) => void;
  /** Called with the positions after each reload (the service mirrors them and publishes changes). */
  onPositions?: (positions: BrokerPosition[]) => void;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

export function createRiskCache(o: RiskCacheOptions): RiskCache {
  let account: BrokerAccount | undefined;
  let positions: BrokerPosition[] = [];
  let strategies = new Map<string, StrategyRisk>();
  let correlations = new Map<string, number>();
  let halted = { halted: false, haltReason: null as string | null };
  const pending = new Map<string, PendingOrder>();
  /** Stop prices of our filled orders by symbol, for portfolio risk. */
  const stops = new Map<string, number>();
  let loaded = false;
  let timer: NodeJS.Timeout | undefined;

  const coalesce = (fn: () => Promise<void>) => {
    let running: Promise<void> | undefined;
    let again = false;
    const run = async (): Promise<void> => {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        try {
          do {
            again = false;
            await fn();
          } while (again);
        } finally {
          running = undefined;
        }
      })();
      return running;
    };
    return run;
  };

  const loadBook = async () => {
    const startedAt = Date.now();
    const [a, p] = await Promise.all([o.broker.getAccount(), o.broker.listPositions()]);
    account = a;
    positions = p;
    for (const [id, order] of pending) if (order.finalAt !== undefined && order.finalAt <= startedAt) pending.delete(id);
    o.onPositions?.(p);
  };

  const refreshBook = coalesce(loadBook);
  /** Strategies this process changed (PATCH), by name -> the change's sequence number. */
  const localWrites = new Map<string, number>();
  let writeSeq = 0;
  const refresh = coalesce(async () => {
    // A PATCH that lands while this reload is reading must not be undone by the older list it reads.
    const seqAtStart = writeSeq;
    const [, s, c, h] = await Promise.all([
      loadBook(),
      o.strategies.list(),
      o.trading.listCorrelations(),
      o.trading.getTradingState(),
      o.quotes.refresh(),
    ]);
    const next = new Map<string, StrategyRisk>(s.map((x) => [x.name, x]));
    for (const [name, seq] of localWrites) {
      const mine = strategies.get(name);
      if (seq > seqAtStart && mine) next.set(name, mine);
      else localWrites.delete(name);
    }
    strategies = next;
    correlations = new Map(c.map((x) => [pairKey(x.symbolA, x.symbolB), x.correlation]));
    halted = h;
    loaded = true;
  });

  return {
    refresh,
    refreshBook,
    strategy: (name) => strategies.get(name),
    setStrategy: (s) => {
      strategies.set(s.name, s);
      localWrites.set(s.name, ++writeSeq);
    },
    price: (symbol) => o.quotes.price(symbol) ?? positions.find((p) => p.symbol === symbol)?.currentPrice,
    account: () => account,
    positions: () => positions,
    halt: () => halted,
    setHalt: (h, reason) => {
      halted = { halted: h, haltReason: reason };
    },
    snapshot(now) {
      const held = new Map<string, HeldPosition>();
      for (const p of positions)
        held.set(p.symbol, {
          symbol: p.symbol,
          qty: p.qty,
          price: o.quotes.price(p.symbol) ?? p.currentPrice,
          stopPrice: stops.get(p.symbol),
        });
      let pendingCost = 0;
      for (const q of pending.values()) {
        const h = held.get(q.symbol);
        const price = o.quotes.price(q.symbol) ?? q.price;
        held.set(q.symbol, { symbol: q.symbol, qty: (h?.qty ?? 0) + q.qty, price, stopPrice: h?.stopPrice ?? q.stopLoss ?? undefined });
        if (q.qty > 0) pendingCost += q.qty * q.price;
      }
      return {
        equity: account?.equity ?? 0,
        buyingPower: Math.max(0, (account?.buyingPower ?? 0) - pendingCost),
        positions: held,
        price: (s) => o.quotes.price(s) ?? held.get(s)?.price,
        correlation: (a, b) => correlations.get(pairKey(a, b)),
        halted: halted.halted || (account?.tradingBlocked ?? false),
        haltReason: halted.halted ? halted.haltReason : account?.tradingBlocked ? 'the broker blocks trading on this account' : null,
        now,
      };
    },
    addPending: (id, order) => {
      pending.set(id, order);
      if (order.stopLoss !== null) stops.set(order.symbol, order.stopLoss);
    },
    settlePending(id, dropNow = false) {
      const p = pending.get(id);
      if (!p) return;
      if (dropNow) pending.delete(id);
      else p.finalAt = Date.now();
    },
    ready: () => loaded,
    start() {
      timer ??= setInterval(() => {
        refresh().catch((err) => o.onError?.('risk cache refresh', err));
      }, o.refreshMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
