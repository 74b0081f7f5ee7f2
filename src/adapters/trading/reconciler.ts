/**
 * Reconciliation of the execution service with its broker: read both books,
 * let the domain decide (src/domain/reconciliation.ts), write the decision
 * in one transaction. An explainable gap (a fill, cancel or acknowledgement
 * that happened while we were not listening) is booked; an unexplainable one
 * halts trading (trading_state.halted, fail closed) and writes a critical
 * alert line. The API runs `reconcileOnce` on start and `startReconcileLoop`
 * every minute; the `reconciliation` workflow runs the same function from an
 * activity.
 *
 * A halt is confirmed before it is written: a fill landing between our reads
 * of the venue's orders and its positions looks like a mismatch for a moment,
 * so an unexplained decision is re-read after `confirmDelayMs` and only a
 * second unexplained decision halts. Reconciliation never lifts a halt: an
 * operator does, after looking.
 */
import type { Broker, BrokerOrder } from '../broker/types';
import { FINAL_ORDER_STATUSES } from '../broker/types';
import { reconcile, type ReconciliationDecision, type ReconciliationProblem } from '../../domain/reconciliation';
import { errorMessage } from '../../domain/errors';
import type { Notifier } from '../notify/types';
import type { Db } from '../postgres/pool';
import { createReconciliationStore, type VenuePositionRow } from './reconciliation-store';

/** What the reconciler logs through: the Temporal runtime logger, or the default JSON lines on stderr. */
export interface ReconcileLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface ReconcilerDeps {
  db: Db;
  broker: Broker;
  logger?: ReconcileLogger;
  /** The clock (tests move it). Default: the system clock. */
  now?: () => Date;
  /** How long an order of ours may be unknown to the venue (a submit in flight). Default 2 minutes. */
  graceMs?: number;
  /** Venue orders submitted this long ago or less are listed and must all be ours. Default 7 days. */
  lookbackMs?: number;
  /** Wait before re-reading to confirm a halt. Default 1 s. */
  confirmDelayMs?: number;
  /** Venue orders listed per reconciliation (Alpaca's maximum page). Default 500. */
  listLimit?: number;
  /** Where a new halt is also sent (ALERT_WEBHOOK_URL); the critical log line is written either way. */
  alerts?: Notifier;
  /**
   * Whether a halt is the service's trading halt (trading_state, default) or only reported to the caller,
   * which halts its own book: a replayed day's book must neither stop nor be stopped by the live one.
   */
  haltScope?: 'trading_state' | 'caller';
}

export interface ReconcileResult {
  /** `in_sync`: nothing to do; `booked`: explainable gaps written; `halted`: trading halted (explainable parts still booked). */
  outcome: 'in_sync' | 'booked' | 'halted';
  broker: string;
  at: string;
  fillsBooked: number;
  ordersUpdated: number;
  problems: ReconciliationProblem[];
  haltReason: string | null;
  /** Trading was halted before this run (by hand or by an earlier run). */
  wasHalted: boolean;
}

export const DEFAULT_GRACE_MS = 120_000;
export const DEFAULT_LOOKBACK_MS = 7 * 24 * 3600_000;

/** JSON lines on stderr, the format of the project's logger, for callers without a logger. */
export const stderrLogger: ReconcileLogger = {
  info: (msg, meta) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg, ...meta })}\n`),
  error: (msg, meta) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg, ...meta })}\n`),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One reconciliation: read, decide, confirm a halt, write, log.
 *
 * @example
 *   const r = await reconcileOnce({ db, broker });
 *   if (r.outcome === 'halted') console.error(r.haltReason);
 */
export async function reconcileOnce(deps: ReconcilerDeps): Promise<ReconcileResult> {
  const logger = deps.logger ?? stderrLogger;
  const store = createReconciliationStore(deps.db);
  let read = await readAndDecide(deps);
  if (read.decision.outcome === 'halt') {
    await sleep(deps.confirmDelayMs ?? 1000);
    read = await readAndDecide(deps);
  }
  const { decision, positions, at } = read;
  const wasHalted = (await store.tradingState()).halted;
  if (decision.outcome !== 'in_sync') await store.apply(deps.broker.name, decision, positions, deps.haltScope !== 'caller');

  const result: ReconcileResult = {
    outcome: decision.outcome === 'halt' ? 'halted' : decision.outcome === 'book' ? 'booked' : 'in_sync',
    broker: deps.broker.name,
    at,
    fillsBooked: decision.fills.length,
    ordersUpdated: decision.orderUpdates.length,
    problems: decision.problems,
    haltReason: decision.haltReason,
    wasHalted,
  };
  if (decision.outcome === 'halt') {
    // The critical alert: one line an operator's log alerting matches on (severity critical, alert trading_halted).
    logger.error(`CRITICAL: trading halted by reconciliation with ${deps.broker.name}: ${decision.haltReason}`, {
      severity: 'critical',
      alert: 'trading_halted',
      broker: deps.broker.name,
      problems: decision.problems,
      fillsBooked: result.fillsBooked,
      ordersUpdated: result.ordersUpdated,
    });
    // Once per halt, not every minute while it lasts.
    if (!wasHalted)
      await deps.alerts?.notify([
        {
          severity: 'critical',
          source: 'reconciliation',
          at: result.at,
          message: `trading halted by reconciliation with ${deps.broker.name}: ${decision.haltReason}`,
          details: { broker: deps.broker.name, problems: decision.problems.length },
        },
      ]);
  } else if (decision.outcome === 'book') {
    logger.info(
      `reconciliation with ${deps.broker.name} booked ${decision.fills.length} fills and ${decision.orderUpdates.length} order updates`,
      {
        broker: deps.broker.name,
        fills: decision.fills.map((f) => ({ order: f.orderId, symbol: f.symbol, side: f.side, qty: f.qty, price: f.price })),
        orders: decision.orderUpdates.map((u) => ({ order: u.clientOrderId, symbol: u.symbol, status: u.status, filledQty: u.filledQty })),
      },
    );
  }
  return result;
}

/** Read our book, then the venue's, and decide. Ours first: a fill landing in between is then one the venue shows and we book. */
async function readAndDecide(
  deps: ReconcilerDeps,
): Promise<{ decision: ReconciliationDecision; positions: VenuePositionRow[]; at: string }> {
  const store = createReconciliationStore(deps.db);
  const now = (deps.now ?? (() => new Date()))();
  const since = new Date(now.getTime() - (deps.lookbackMs ?? DEFAULT_LOOKBACK_MS));
  const [orders, fills] = await Promise.all([store.orders(deps.broker.name, since), store.fills(deps.broker.name)]);

  const listed = await deps.broker.listOrders({ status: 'all', after: since.toISOString(), limit: deps.listLimit ?? 500 });
  const venueOrders = new Map<string, BrokerOrder>(listed.map((o) => [o.id, o]));
  const listedClientIds = new Set(listed.map((o) => o.clientOrderId));
  // Orders of ours the listing may not reach (older than the window, or beyond its page): look each live one up.
  for (const o of orders) {
    if ((o.brokerOrderId !== null && venueOrders.has(o.brokerOrderId)) || listedClientIds.has(o.clientOrderId)) continue;
    const final = FINAL_ORDER_STATUSES.has(o.status as BrokerOrder['status']);
    if (final && !o.hasBracket) continue;
    const found =
      o.brokerOrderId !== null ? await deps.broker.getOrder(o.brokerOrderId) : await deps.broker.getOrderByClientId(o.clientOrderId);
    if (found) venueOrders.set(found.id, found);
  }
  const venuePositions = await deps.broker.listPositions();
  const decision = reconcile({
    venue: { orders: [...venueOrders.values()], positions: venuePositions },
    ours: { orders, fills },
    now: now.toISOString(),
    graceMs: deps.graceMs ?? DEFAULT_GRACE_MS,
  });
  return {
    decision,
    positions: venuePositions.map((p) => ({ symbol: p.symbol, qty: p.qty, avgEntryPrice: p.avgEntryPrice })),
    at: now.toISOString(),
  };
}

export interface ReconcileLoop {
  /** Stop the loop; waits for a running reconciliation to finish. */
  stop(): Promise<void>;
  /** The last result, or null before the first run ends. */
  last(): ReconcileResult | null;
}

/**
 * Reconcile every `intervalMs` (one at a time: the next starts `intervalMs`
 * after the previous ended). A failed run (venue or database down, a
 * conflict with a concurrent booking) is logged and the loop goes on; it
 * does not halt trading, because nothing was found, only nothing was read.
 *
 * @example
 *   await reconcileOnce(deps);                     // on start, before accepting signals
 *   const loop = startReconcileLoop(deps, 60_000); // then every minute
 *   // on shutdown: await loop.stop();
 */
export function startReconcileLoop(deps: ReconcilerDeps, intervalMs: number, onResult?: (result: ReconcileResult) => void): ReconcileLoop {
  const logger = deps.logger ?? stderrLogger;
  let last: ReconcileResult | null = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;

  const tick = () => {
    timer = null;
    running = reconcileOnce(deps)
      .then((r) => {
        last = r;
        onResult?.(r);
      })
      .catch((err: unknown) =>
        logger.error(`reconciliation with ${deps.broker.name} failed; trying again in ${intervalMs} ms`, { error: errorMessage(err) }),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    last: () => last,
  };
}
