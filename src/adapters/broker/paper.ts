/**
 * The local paper venue: a simulated broker behind the Broker port, the
 * execution service's default. Prices come from a PriceFeed (manual, replay
 * of stored bars, or live quotes); every matching decision is made by the
 * pure rules in src/domain/paper-matching.ts; this file keeps the book,
 * persists it and streams trade updates.
 *
 * State: the open book, positions and cash live in memory so a submit costs
 * no read (settled orders stay for a while, then are read back from the
 * database when asked for: memory follows the open book, not the day; a
 * filled entry leaves even while its stop-loss and take-profit legs rest, as
 * only the legs can still trade). A price tick looks only at its symbol's
 * open orders and a clock tick only at orders a clock can change (queued or
 * expiring ones), so resting legs cost nothing until their symbol moves. Every
 * change (new orders, status changes, fills) is written to
 * Postgres (sql/007_paper_venue.sql) before its trade updates are emitted and
 * before `submitOrder`/`cancelOrder` return, so what a caller saw survives a
 * restart: a new instance on the same account reloads its orders and rebuilds
 * positions and cash from the fills. Writes are group-committed (all changes
 * waiting while one transaction runs go in the next), so the database is not
 * a one-order-at-a-time bottleneck. If a write fails, the instance reloads
 * itself from the database (the source of truth) and the caller gets a
 * retryable BrokerError, so memory never keeps what was not stored.
 *
 * A cash account: buys are refused beyond cash minus what open buy orders
 * reserve (403 InsufficientBuyingPower); sells beyond the position open a
 * short (proceeds credited to cash, no margin or borrow model): whether a
 * strategy may short is the risk manager's rule, in front of the venue.
 *
 * One process trades an account at a time (the API process); the venue takes
 * no lock, so a second instance on the same account (e.g. a reconciliation
 * activity) should only read.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_COST_MODEL, type CostModel } from '../../domain/costs';
import { errorMessage } from '../../domain/errors';
import { marketSession, type MarketHours } from '../../domain/market-session';
import {
  admitOrder,
  applyFillToPosition,
  buyingPower,
  cancelInBook,
  cashAfterFill,
  estimatedBuyCost,
  FINAL_PAPER_STATUSES,
  orderRequestProblem,
  stepBook,
  type PaperCosts,
  type PaperFill,
  type PaperOrder,
  type PaperOrderStatus,
  type PaperPosition,
  type PriceTick,
} from '../../domain/paper-matching';
import type { Db } from '../postgres/pool';
import type { PriceFeed } from '../price-feed/types';
import {
  BrokerError,
  type Broker,
  type BrokerAccount,
  type BrokerOrder,
  type BrokerOrderStatus,
  type BrokerPosition,
  type ListOrdersFilter,
  type MarketClock,
  type OrderRequest,
  type TradeUpdate,
} from './types';

export interface PaperBrokerOptions {
  db: Db;
  feed: PriceFeed;
  /** The account's name; its rows are kept under it. Default 'default'. */
  account?: string;
  /**
   * The venue's name in the service's own tables (trading_orders.broker, broker_positions): default
   * 'paper'. A second book on its own account (the strategies' replays) takes its own name, so the
   * API's reconciliation of 'paper' never meets orders it did not place.
   */
  name?: string;
  /** Cash of the account when it is first created (an existing account keeps its own). */
  startingCash: number;
  spreadBps: number;
  slippageBps: number;
  /** Commission, exchange fee and market impact. Default DEFAULT_COST_MODEL. */
  costModel?: CostModel;
  outsideHours: 'queue' | 'reject';
  marketHours: MarketHours;
  /** The venue's clock (epoch ms). Default Date.now; a replay passes the feed's clock. */
  now?: () => number;
  /** How often queued orders are routed and day orders expired without a price tick. Default 1000 ms; 0 = never. */
  clockIntervalMs?: number;
  /** Background failures (a tick's write failed and the venue reloaded). Default: stderr. */
  onError?: (err: unknown) => void;
  /**
   * A view of an account another process trades (e.g. a reconciliation
   * activity in the worker): no price subscription, no clock, nothing
   * written; submit and cancel are refused (ReadOnlyVenue). Call `reload()`
   * before each use to see the latest stored state.
   */
  readOnly?: boolean;
  /**
   * How many settled (final) orders stay in memory; older ones are read from the database when asked for.
   * Default 2,000. Memory then follows the open book, not the day's history (bench:api: ~1.5 KB of heap
   * per order otherwise, and the GC work that comes with it).
   */
  keepSettledOrders?: number;
}

/** The paper settings of the config (`paper` block) as options. */
export function paperBrokerOptionsFromConfig(
  paper: {
    startingCash: number;
    spreadBps: number;
    slippageBps: number;
    outsideHours: 'queue' | 'reject';
    marketHours: MarketHours;
    account: string;
  },
  deps: { db: Db; feed: PriceFeed },
): PaperBrokerOptions {
  return { ...deps, ...paper };
}

/** One change to the book, written in one go, then announced. */
interface Change {
  orders: PaperOrder[];
  fills: (PaperFill & { executionId: string })[];
  updates: { event: TradeUpdate['event']; order: PaperOrder; fill?: PaperFill & { executionId: string } }[];
}

const ACCOUNT_CURRENCY = 'USD';
/** Legs in the order admitOrder creates them (take-profit, then stop-loss), as an order in memory lists them. */
const LEG_ORDER = `ORDER BY CASE leg_role WHEN 'take_profit' THEN 0 ELSE 1 END`;

export type PaperBroker = Broker & {
  /** Re-read everything from the database (also done after a failed write). */
  reload(): Promise<void>;
};

/**
 * Open (creating if new) the paper account and start trading on the feed.
 *
 * @example
 *   const broker = await createPaperBroker({ db, feed, startingCash: 100_000, spreadBps: 5, slippageBps: 2, outsideHours: 'queue', marketHours: 'nyse' });
 */
export async function createPaperBroker(options: PaperBrokerOptions): Promise<PaperBroker> {
  const { db, feed } = options;
  const account = options.account ?? 'default';
  const now = options.now ?? Date.now;
  const costs: PaperCosts = {
    spreadBps: options.spreadBps,
    slippageBps: options.slippageBps,
    costModel: options.costModel ?? DEFAULT_COST_MODEL,
  };
  const onError = options.onError ?? ((err: unknown) => console.error(`paper venue ${account}: ${errorMessage(err)}`));

  const orders = new Map<string, PaperOrder>();
  const byClientId = new Map<string, string>();
  // Indexes so a submit or a tick costs O(the orders it can touch), not O(history) or O(open book).
  /** Open orders by symbol: all a price tick has to look at. */
  const openBySymbol = new Map<string, Map<string, PaperOrder>>();
  /** Open orders a clock tick can change: queued until the open, or day orders that expire. */
  const timed = new Map<string, PaperOrder>();
  /** Open buy entries: all that buying power has to look at. */
  const openBuys = new Map<string, PaperOrder>();
  /** Leg ids of the entries in memory. */
  const legsByParent = new Map<string, string[]>();
  function remember(o: PaperOrder): void {
    if (!orders.has(o.id) && o.parentId !== null && orders.has(o.parentId))
      legsByParent.set(o.parentId, [...(legsByParent.get(o.parentId) ?? []), o.id]);
    orders.set(o.id, o);
    byClientId.set(o.clientOrderId, o.id);
    const bySymbol = openBySymbol.get(o.symbol) ?? openBySymbol.set(o.symbol, new Map()).get(o.symbol)!;
    if (FINAL_PAPER_STATUSES.has(o.status)) {
      bySymbol.delete(o.id);
      timed.delete(o.id);
      openBuys.delete(o.id);
    } else {
      bySymbol.set(o.id, o);
      if (o.status === 'accepted' || o.expiresAt !== null) timed.set(o.id, o);
      else timed.delete(o.id);
      if (o.side === 'buy' && o.legRole === null) openBuys.set(o.id, o);
    }
  }
  /**
   * Settled orders in the order they settled; beyond `keepSettledOrders` the oldest leave memory one by
   * one. An entry settles before its legs (they only trade once it has filled, and are canceled with it),
   * so a filled entry can leave while its legs still rest: what a tick needs is the legs, and a reader of
   * the entry gets it from the database with its legs as they are in memory. A retired entry's client id
   * stays in byClientId so that a resubmission is still recognised. Only states already written are
   * retired: this runs after a batch is stored.
   */
  const keepSettled = options.keepSettledOrders ?? 2000;
  const settled = new Set<string>();
  function noteSettled(changed: readonly PaperOrder[]): void {
    for (const o of changed) if (FINAL_PAPER_STATUSES.has(orders.get(o.id)?.status ?? 'new')) settled.add(o.id);
    for (const id of settled) {
      if (settled.size <= keepSettled) break;
      settled.delete(id);
      const o = orders.get(id);
      if (!o) continue;
      orders.delete(id);
      if (o.parentId !== null) byClientId.delete(o.clientOrderId);
      legsByParent.delete(id);
    }
  }
  /** Legs as in memory where they still are (never behind the database), else as stored. */
  const freshest = (o: PaperOrder) => orders.get(o.id) ?? o;
  /** An order and its legs as stored (for orders no longer in memory), legs still in memory as they are there. */
  async function storedView(where: 'id' | 'client_order_id', value: string): Promise<BrokerOrder | null> {
    const r = await db.query<OrderRow>(`SELECT * FROM paper_venue_orders WHERE account = $1 AND ${where} = $2`, [account, value]);
    const o = r.rows[0] ? orderFromRow(r.rows[0]) : undefined;
    if (!o) return null;
    const legs =
      o.parentId === null
        ? await db.query<OrderRow>(`SELECT * FROM paper_venue_orders WHERE parent_id = $1 ${LEG_ORDER}`, [o.id])
        : undefined;
    return toBrokerOrder(
      o,
      (legs?.rows ?? []).map((row) => freshest(orderFromRow(row))),
    );
  }
  const pending = new Map<string, Promise<BrokerOrder>>();
  const positions = new Map<string, PaperPosition>();
  const listeners = new Set<(u: TradeUpdate) => void>();
  let cash = 0;
  let closed = false;

  const readOnlyError = (what: string) =>
    new BrokerError(
      'ReadOnlyVenue',
      `paper venue ${account} is open read-only here: cannot ${what} (the trading process owns the account)`,
      false,
    );
  const unavailable = (err: unknown) =>
    new BrokerError(
      'VenueUnavailable',
      `paper venue ${account}: could not store the change (${errorMessage(err)}); state reloaded from the database`,
      true,
      503,
    );

  if (!options.readOnly)
    await db.query(
      'INSERT INTO paper_venue_accounts (account, starting_cash, currency) VALUES ($1, $2, $3) ON CONFLICT (account) DO NOTHING',
      [account, options.startingCash, ACCOUNT_CURRENCY],
    );

  async function reload(): Promise<void> {
    const acct = await db.query<{ starting_cash: number }>('SELECT starting_cash FROM paper_venue_accounts WHERE account = $1', [account]);
    const rows = await db.query('SELECT * FROM paper_venue_orders WHERE account = $1 ORDER BY submitted_at, id', [account]);
    const fills = await db.query<{ symbol: string; side: 'buy' | 'sell'; qty: number; price: number; fees: number }>(
      'SELECT symbol, side, qty, price, fees FROM paper_venue_fills WHERE account = $1 ORDER BY seq',
      [account],
    );
    orders.clear();
    byClientId.clear();
    openBySymbol.clear();
    timed.clear();
    openBuys.clear();
    legsByParent.clear();
    positions.clear();
    settled.clear();
    const loaded = rows.rows.map(orderFromRow);
    // Entries before legs, as they were made: a leg is indexed under its entry, and settles after it.
    const entriesFirst = [...loaded.filter((o) => o.parentId === null), ...loaded.filter((o) => o.parentId !== null)];
    for (const o of entriesFirst) remember(o);
    noteSettled(entriesFirst);
    // A read-only view of an account nobody has traded yet sees the configured starting cash.
    cash = acct.rows[0]?.starting_cash ?? options.startingCash;
    for (const f of fills.rows) {
      const p = applyFillToPosition(positions.get(f.symbol) ?? null, f);
      if (p) positions.set(f.symbol, p);
      else positions.delete(f.symbol);
      cash = cashAfterFill(cash, f);
    }
  }
  await reload();

  // Group commit: changes queued while a transaction runs are written together by the next one.
  let queue: { change: Change; done: (err?: unknown) => void }[] = [];
  let flushing = false;
  async function flush(): Promise<void> {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await writeChanges(
          db,
          account,
          batch.map((b) => b.change),
        );
      } catch (err) {
        // Memory holds changes the database refused, and maybe later ones built on them: start again from what is stored.
        queue.forEach((b) => b.done(err));
        queue = [];
        await reload().catch(onError);
        // Changes made while reloading were built on the refused state too.
        queue.forEach((b) => b.done(err));
        queue = [];
        batch.forEach((b) => b.done(err));
        continue;
      }
      for (const b of batch) {
        for (const u of b.change.updates) emit(u);
        b.done();
      }
      noteSettled(batch.flatMap((b) => b.change.orders));
    }
    flushing = false;
  }
  /** Apply a change in memory now, store it, then announce it; resolves when stored. */
  function commit(change: Change): Promise<void> {
    for (const o of change.orders) remember(o);
    for (const f of change.fills) {
      const p = applyFillToPosition(positions.get(f.symbol) ?? null, f);
      if (p) positions.set(f.symbol, p);
      else positions.delete(f.symbol);
      cash = cashAfterFill(cash, f);
    }
    return new Promise((resolve, reject) => {
      queue.push({ change, done: (err) => (err === undefined ? resolve() : reject(unavailable(err))) });
      if (!flushing) void flush();
    });
  }

  function emit(u: Change['updates'][number]): void {
    const update: TradeUpdate = {
      event: u.event,
      order: toBrokerOrder(u.order, []),
      timestamp: new Date(u.fill?.at ?? u.order.updatedAt).toISOString(),
    };
    if (u.fill) Object.assign(update, { price: u.fill.price, qty: u.fill.qty, executionId: u.fill.executionId });
    for (const l of [...listeners]) {
      try {
        l(update);
      } catch (err) {
        onError(err);
      }
    }
  }

  /** `entries` with their legs that are in memory (a clock tick cancels an expiring entry's legs). */
  const withLegs = (entries: Iterable<PaperOrder>) => [...entries].flatMap((o) => [o, ...legsOf(o.id)]);
  const lastPrice = (symbol: string) => feed.last(symbol)?.price;

  /** Turn a domain step into a Change (fills get execution ids; each event carries the order as it was right after it). */
  function toChange(
    base: PaperOrder[],
    step: {
      changed: PaperOrder[];
      fills: PaperFill[];
      events: { event: TradeUpdate['event']; orderId: string; fill?: PaperFill; order?: PaperOrder }[];
    },
  ): Change {
    const state = new Map(base.map((o) => [o.id, o]));
    for (const o of step.changed) state.set(o.id, o);
    const fills = step.fills.map((f) => ({ ...f, executionId: `${f.orderId}.fill` }));
    return {
      orders: step.changed,
      fills,
      updates: step.events.map((e) => ({
        event: e.event,
        order: e.order ?? state.get(e.orderId)!,
        fill: e.fill && fills.find((f) => f.orderId === e.fill!.orderId),
      })),
    };
  }

  /** Match `candidates` against the current last price of their symbol (for orders that just went live). */
  function matchNow(candidates: PaperOrder[], at: number): ReturnType<typeof stepBook> | null {
    const tick = candidates.length > 0 ? feed.last(candidates[0].symbol) : undefined;
    if (!tick) return null;
    return stepBook(
      candidates,
      { symbol: tick.symbol, price: tick.price, at },
      { at, session: marketSession(at, options.marketHours), costs },
    );
  }

  function onTick(tick: PriceTick): void {
    if (closed) return;
    const at = now();
    const live = [...(openBySymbol.get(tick.symbol)?.values() ?? [])];
    if (live.length === 0) return;
    const step = stepBook(live, tick, { at, session: marketSession(at, options.marketHours), costs });
    if (step.changed.length > 0) commit(toChange(live, step)).catch(onError);
  }

  function onClock(): void {
    if (closed) return;
    const at = now();
    if (timed.size === 0) return;
    const live = withLegs([...timed.values()].filter((o) => o.legRole === null));
    const step = stepBook(live, null, { at, session: marketSession(at, options.marketHours), costs });
    if (step.changed.length === 0) return;
    const change = toChange(live, step);
    // Orders the open just routed trade on the last price known (the next tick would do; this spares the wait).
    const routed = step.changed.filter((o) => o.status === 'new' && o.legRole === null);
    for (const symbol of new Set(routed.map((o) => o.symbol))) {
      const mine = withLegs(routed.filter((o) => o.symbol === symbol));
      const matched = matchNow(mine, at);
      if (!matched) continue;
      const more = toChange(mine, matched);
      change.orders.push(...more.orders);
      change.fills.push(...more.fills);
      change.updates.push(...more.updates);
    }
    commit(change).catch(onError);
  }

  const unsubscribeFeed = options.readOnly ? () => undefined : feed.subscribe(onTick);
  const timer =
    !options.readOnly && (options.clockIntervalMs ?? 1000) > 0 ? setInterval(onClock, options.clockIntervalMs ?? 1000) : undefined;
  timer?.unref();

  const legsOf = (id: string) => (legsByParent.get(id) ?? []).map((legId) => orders.get(legId)!);
  const view = (o: PaperOrder) => toBrokerOrder(o, legsOf(o.id));

  async function submit(req: OrderRequest): Promise<BrokerOrder> {
    const last = lastPrice(req.symbol);
    const problem = orderRequestProblem(req, last);
    if (problem) throw new BrokerError('InvalidOrder', `order ${req.clientOrderId} for ${req.symbol}: ${problem}`, false, 422);
    if (req.side === 'buy') {
      const cost = estimatedBuyCost(req, last, costs);
      const power = buyingPower(cash, openBuys.values(), lastPrice);
      if (cost !== undefined && cost > power) {
        throw new BrokerError(
          'InsufficientBuyingPower',
          `order ${req.clientOrderId}: ${req.qty} ${req.symbol} may cost ${cost.toFixed(2)}, buying power is ${power.toFixed(2)}`,
          false,
          403,
        );
      }
    }
    const at = now();
    const admitted = admitOrder(req, {
      at,
      hours: options.marketHours,
      outsideHours: options.outsideHours,
      ids: { entry: randomUUID(), stopLoss: randomUUID(), takeProfit: randomUUID() },
    });
    const change = toChange(admitted.orders, { changed: admitted.orders, fills: [], events: admitted.events });
    const entry = admitted.orders[0];
    if (entry.status === 'new') {
      const matched = matchNow(admitted.orders, at);
      if (matched) {
        const more = toChange(admitted.orders, matched);
        change.orders.push(...more.orders);
        change.fills.push(...more.fills);
        change.updates.push(...more.updates);
      }
    }
    await commit(change);
    // As written (a settled bracket may already have left memory): the last state of each order in the change.
    const written = new Map(change.orders.map((o) => [o.id, o]));
    return toBrokerOrder(
      written.get(entry.id)!,
      [...written.values()].filter((o) => o.parentId === entry.id),
    );
  }

  const broker: PaperBroker = {
    name: options.name ?? 'paper',
    reload,
    submitOrder(req) {
      if (closed) return Promise.reject(new BrokerError('VenueClosed', `paper venue ${account} is closed`, false));
      if (options.readOnly) return Promise.reject(readOnlyError('submit'));
      const known = byClientId.get(req.clientOrderId);
      if (known) {
        const o = orders.get(known);
        return o ? Promise.resolve(view(o)) : storedView('id', known).then((v) => v!);
      }
      const inFlight = pending.get(req.clientOrderId);
      if (inFlight) return inFlight;
      const p = submit(req).finally(() => pending.delete(req.clientOrderId));
      pending.set(req.clientOrderId, p);
      return p;
    },
    async cancelOrder(orderId) {
      if (options.readOnly) throw readOnlyError('cancel');
      const target = orders.get(orderId);
      const r = cancelInBook(target ? [target, ...legsOf(orderId)] : [], orderId, now());
      if (r === 'not_found') {
        const stored = await storedView('id', orderId); // settled and retired from memory: final, so not cancelable
        if (stored)
          throw new BrokerError('OrderNotCancelable', `order ${orderId} is ${stored.status} and can no longer be canceled`, false, 422);
        throw new BrokerError('OrderNotFound', `paper venue ${account}: no order ${orderId}`, false, 404);
      }
      if (r === 'not_cancelable')
        throw new BrokerError('OrderNotCancelable', `order ${orderId} is ${target!.status} and can no longer be canceled`, false, 422);
      await commit(toChange([target!, ...legsOf(orderId)], r));
    },
    async getOrder(orderId) {
      const o = orders.get(orderId);
      return o ? view(o) : storedView('id', orderId);
    },
    async getOrderByClientId(clientOrderId) {
      const o = orders.get(byClientId.get(clientOrderId) ?? '');
      return o ? view(o) : storedView('client_order_id', clientOrderId);
    },
    async listOrders(filter: ListOrdersFilter = {}) {
      const status = filter.status ?? 'open';
      const after = filter.after === undefined ? -Infinity : Date.parse(filter.after);
      // Open orders are all in memory; settled ones may have been retired to the database: read those too
      // (memory wins where both have an order; it is never behind what is stored).
      const retired: PaperOrder[] = [];
      if (status !== 'open') {
        const r = await db.query<OrderRow>(
          `SELECT * FROM paper_venue_orders WHERE account = $1 AND parent_id IS NULL AND submitted_at > $2
            ORDER BY submitted_at DESC LIMIT $3`,
          [account, filter.after ?? new Date(0).toISOString(), filter.limit ?? 1_000_000],
        );
        for (const row of r.rows) if (!orders.has(row.id)) retired.push(orderFromRow(row));
      }
      const retiredLegs = new Map<string, PaperOrder[]>();
      if (retired.length > 0) {
        const r = await db.query<OrderRow>(`SELECT * FROM paper_venue_orders WHERE parent_id = ANY($1::text[]) ${LEG_ORDER}`, [
          retired.map((o) => o.id),
        ]);
        for (const row of r.rows)
          retiredLegs.set(row.parent_id!, [...(retiredLegs.get(row.parent_id!) ?? []), freshest(orderFromRow(row))]);
      }
      const viewAny = (o: PaperOrder) => (orders.has(o.id) ? view(o) : toBrokerOrder(o, retiredLegs.get(o.id) ?? []));
      const all = [...retired.reverse(), ...orders.values()];
      const list = all
        .map((o, i) => ({ o, i }))
        .filter(({ o }) => o.parentId === null && o.submittedAt > after)
        .filter(({ o }) => status === 'all' || (status === 'open') === !FINAL_PAPER_STATUSES.has(o.status))
        .sort((a, b) => b.o.submittedAt - a.o.submittedAt || b.i - a.i)
        .map(({ o }) => viewAny(o));
      return filter.limit === undefined ? list : list.slice(0, filter.limit);
    },
    async getAccount(): Promise<BrokerAccount> {
      let held = 0;
      for (const p of positions.values()) held += p.qty * (lastPrice(p.symbol) ?? p.avgEntryPrice);
      return {
        cash,
        equity: cash + held,
        buyingPower: buyingPower(cash, openBuys.values(), lastPrice),
        currency: ACCOUNT_CURRENCY,
        tradingBlocked: false,
      };
    },
    async listPositions(): Promise<BrokerPosition[]> {
      return [...positions.values()]
        .sort((a, b) => (a.symbol < b.symbol ? -1 : 1))
        .map((p) => {
          const currentPrice = lastPrice(p.symbol) ?? p.avgEntryPrice;
          return { symbol: p.symbol, qty: p.qty, avgEntryPrice: p.avgEntryPrice, currentPrice, marketValue: p.qty * currentPrice };
        });
    },
    async getClock(): Promise<MarketClock> {
      const at = now();
      const s = marketSession(at, options.marketHours);
      return {
        timestamp: new Date(at).toISOString(),
        isOpen: s.isOpen,
        nextOpen: new Date(s.nextOpen).toISOString(),
        nextClose: new Date(s.nextClose).toISOString(),
      };
    },
    onTradeUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      unsubscribeFeed();
      if (timer) clearInterval(timer);
      // Let writes already queued finish, so what callers were told is stored.
      while (flushing || queue.length > 0) await new Promise((r) => setTimeout(r, 5));
      listeners.clear();
    },
  };
  return broker;
}

/** Our statuses on the port: a leg waiting for its entry (`held`, Alpaca's name) has no port status of its own and shows as `pending_new`. */
function portStatus(s: PaperOrderStatus): BrokerOrderStatus {
  return s === 'held' ? 'pending_new' : s;
}

function toBrokerOrder(o: PaperOrder, legs: PaperOrder[]): BrokerOrder {
  return {
    id: o.id,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    qty: o.qty,
    type: o.type,
    limitPrice: o.limitPrice,
    stopPrice: o.stopPrice,
    status: portStatus(o.status),
    filledQty: o.filledQty,
    filledAvgPrice: o.filledAvgPrice,
    submittedAt: new Date(o.submittedAt).toISOString(),
    updatedAt: new Date(o.updatedAt).toISOString(),
    legs: legs.map((l) => toBrokerOrder(l, [])),
  };
}

interface OrderRow {
  id: string;
  client_order_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  order_type: PaperOrder['type'];
  limit_price: number | null;
  stop_price: number | null;
  time_in_force: 'day' | 'gtc';
  status: PaperOrderStatus;
  filled_qty: number;
  filled_avg_price: number | null;
  expires_at: Date | null;
  parent_id: string | null;
  leg_role: PaperOrder['legRole'];
  reject_reason: string | null;
  submitted_at: Date;
  updated_at: Date;
}

function orderFromRow(r: OrderRow): PaperOrder {
  return {
    id: r.id,
    clientOrderId: r.client_order_id,
    symbol: r.symbol,
    side: r.side,
    qty: r.qty,
    type: r.order_type,
    limitPrice: r.limit_price,
    stopPrice: r.stop_price,
    timeInForce: r.time_in_force,
    status: r.status,
    filledQty: r.filled_qty,
    filledAvgPrice: r.filled_avg_price,
    expiresAt: r.expires_at ? r.expires_at.getTime() : null,
    parentId: r.parent_id,
    legRole: r.leg_role,
    rejectReason: r.reject_reason,
    submittedAt: r.submitted_at.getTime(),
    updatedAt: r.updated_at.getTime(),
  };
}

/**
 * Store a batch of changes in ONE statement (one round trip, atomic): orders
 * upserted (latest state wins), fills inserted once.
 *
 * The statement commits without waiting for the WAL flush
 * (`synchronous_commit = off`, for this transaction only): the venue's record
 * then survives the API process being killed (the server holds it) and only a
 * crash of the Postgres server itself could lose its last fraction of a
 * second. That is the right trade for a simulated venue, whose disk flush
 * would otherwise be most of a submit's latency; the service's own
 * trading_orders keep the default.
 */
async function writeChanges(db: Db, account: string, changes: Change[]): Promise<void> {
  const latest = new Map<string, PaperOrder>();
  for (const c of changes) for (const o of c.orders) latest.set(o.id, o);
  const os = [...latest.values()];
  const fills = changes.flatMap((c) => c.fills);
  const ts = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  // A data-modifying CTE always runs to completion; foreign keys (leg -> entry, fill -> order) are checked at the end of the statement.
  await db.query({
    name: 'paper-venue-write',
    text: `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true) AS v),
     upserted AS (
       INSERT INTO paper_venue_orders AS o (id, account, client_order_id, symbol, side, qty, order_type, limit_price, stop_price, time_in_force, status,
         filled_qty, filled_avg_price, expires_at, parent_id, leg_role, reject_reason, submitted_at, updated_at)
       SELECT id, $1, cid, sym, side, qty, typ, lim, stp, tif, st, fq, fap, exp, par, leg, rr, sub, upd
       FROM relaxed, unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::float8[], $9::float8[], $10::text[], $11::text[],
                   $12::int[], $13::float8[], $14::timestamptz[], $15::text[], $16::text[], $17::text[], $18::timestamptz[], $19::timestamptz[])
         AS t(id, cid, sym, side, qty, typ, lim, stp, tif, st, fq, fap, exp, par, leg, rr, sub, upd)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, filled_qty = EXCLUDED.filled_qty, filled_avg_price = EXCLUDED.filled_avg_price,
         updated_at = EXCLUDED.updated_at
       RETURNING 1)
     INSERT INTO paper_venue_fills (execution_id, account, order_id, symbol, side, qty, price, fees, filled_at)
     SELECT x, $1, oid, sym, side, qty, px, fee, at
     FROM unnest($20::text[], $21::text[], $22::text[], $23::text[], $24::int[], $25::float8[], $26::float8[], $27::timestamptz[])
       WITH ORDINALITY AS f(x, oid, sym, side, qty, px, fee, at, n)
     ORDER BY n
     ON CONFLICT (execution_id) DO NOTHING`,
    values: [
      account,
      os.map((o) => o.id),
      os.map((o) => o.clientOrderId),
      os.map((o) => o.symbol),
      os.map((o) => o.side),
      os.map((o) => o.qty),
      os.map((o) => o.type),
      os.map((o) => o.limitPrice),
      os.map((o) => o.stopPrice),
      os.map((o) => o.timeInForce),
      os.map((o) => o.status),
      os.map((o) => o.filledQty),
      os.map((o) => o.filledAvgPrice),
      os.map((o) => ts(o.expiresAt)),
      os.map((o) => o.parentId),
      os.map((o) => o.legRole),
      os.map((o) => o.rejectReason),
      os.map((o) => ts(o.submittedAt)),
      os.map((o) => ts(o.updatedAt)),
      fills.map((f) => f.executionId),
      fills.map((f) => f.orderId),
      fills.map((f) => f.symbol),
      fills.map((f) => f.side),
      fills.map((f) => f.qty),
      fills.map((f) => f.price),
      fills.map((f) => f.fees),
      fills.map((f) => ts(f.at)),
    ],
  });
}
