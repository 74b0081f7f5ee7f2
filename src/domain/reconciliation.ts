/**
 * Reconciliation of the execution service's book with the broker's: the
 * pure decision behind "exactly once, and nothing lost". Given what the
 * venue reports (orders with their filled quantity and status, positions)
 * and what we recorded (trading_orders, order_fills), every difference is
 * classified:
 *
 * - explainable: something that happened at the venue to an order we sent
 *   while we were not listening (a fill, a partial fill, a cancel, an
 *   expiry, the acknowledgement itself). It becomes a booking: an order
 *   update and, for fills, a fill row for the missing quantity. After the
 *   bookings every position must equal the sum of our fills.
 * - unexplainable: a venue order we never sent, an order of ours the venue
 *   does not know after a grace period, a venue that reports less filled
 *   than we booked, an order whose symbol/side/quantity differ, or a
 *   position that our fills (with the bookings) do not add up to. Any one
 *   of them halts trading (fail closed), with a reason naming the symbol
 *   and the order.
 *
 * Pure: `now` comes in as an ISO string, nothing is read or written here.
 * The types are structural, so the broker port's `BrokerOrder` and
 * `BrokerPosition` fit them without this module importing adapters.
 */

/** Statuses after which an order can no longer fill (the broker port's FINAL_ORDER_STATUSES). */
const FINAL_STATUSES: ReadonlySet<string> = new Set(['filled', 'canceled', 'expired', 'rejected']);

/** Quantities are whole shares; anything closer than this is equal. */
const QTY_EPSILON = 1e-9;

export type Side = 'buy' | 'sell';

/** An order as the venue reports it (the broker port's BrokerOrder fits). */
export interface VenueOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: Side;
  qty: number;
  status: string;
  filledQty: number;
  filledAvgPrice: number | null;
  updatedAt: string;
  /** Bracket legs (take-profit, stop-loss); they fill on the opposite side of the entry. */
  legs: VenueOrder[];
}

/** A position as the venue reports it; `qty` signed (negative = short). */
export interface VenuePosition {
  symbol: string;
  qty: number;
}

/** One of our orders (a trading_orders row). */
export interface BookedOrder {
  /** trading_orders.id */
  id: string;
  clientOrderId: string;
  /** null until the venue acknowledged it. */
  brokerOrderId: string | null;
  symbol: string;
  side: Side;
  qty: number;
  status: string;
  filledQty: number;
  filledAvgPrice: number | null;
  /** The order was sent with a stop-loss and/or take-profit leg. */
  hasBracket: boolean;
  submittedAt: string;
  updatedAt: string;
}

/**
 * One of our fills (an order_fills row), or the sum of several of one order
 * and side at their average price. A fill on the side opposite to its
 * order's is a bracket leg's.
 */
export interface BookedFill {
  orderId: string;
  symbol: string;
  side: Side;
  qty: number;
  price: number;
}

export interface ReconciliationInput {
  venue: { orders: readonly VenueOrder[]; positions: readonly VenuePosition[] };
  ours: { orders: readonly BookedOrder[]; fills: readonly BookedFill[] };
  /** ISO time of this reconciliation. */
  now: string;
  /** How long an order of ours may stay unknown to the venue (submit in flight) before it is a problem. */
  graceMs: number;
}

/** The new state of one of our orders, and the state it was decided from (for an optimistic check when writing). */
export interface OrderUpdate {
  orderId: string;
  clientOrderId: string;
  symbol: string;
  brokerOrderId: string;
  status: string;
  filledQty: number;
  filledAvgPrice: number | null;
  /** Our filled quantity this decision was based on: the write must find it unchanged. */
  previousFilledQty: number;
  previousStatus: string;
}

/** A fill to book: the quantity the venue filled that we have no fill row for. */
export interface FillBooking {
  /** Deterministic (`recon-<venue order id>-<cumulative qty>`), so booking it twice is one row. */
  executionId: string;
  orderId: string;
  symbol: string;
  side: Side;
  qty: number;
  price: number;
  filledAt: string;
  /** Our fills of this order on this side before the booking (the write must find them unchanged). */
  previousBookedQty: number;
}

export type ProblemKind =
  | 'unknown_venue_order'
  | 'missing_at_venue'
  | 'order_mismatch'
  | 'venue_filled_less'
  | 'final_status_conflict'
  | 'fill_without_price'
  | 'position_mismatch';

export interface ReconciliationProblem {
  kind: ProblemKind;
  symbol: string;
  /** Our client order id or the venue's order id, when the problem is about an order. */
  order: string | null;
  message: string;
}

export interface ReconciliationDecision {
  /** `in_sync`: nothing to do; `book`: explainable differences only; `halt`: at least one problem (bookings may still be listed). */
  outcome: 'in_sync' | 'book' | 'halt';
  orderUpdates: OrderUpdate[];
  fills: FillBooking[];
  problems: ReconciliationProblem[];
  /** Our position per symbol after the bookings (sum of signed fills), non-zero only, sorted by symbol. */
  positions: { symbol: string; qty: number }[];
  /** The halt reason (every problem, one line), or null. */
  haltReason: string | null;
}

/** Longest halt reason kept; the problems list carries the rest. */
export const MAX_HALT_REASON_CHARS = 2000;

const isFinal = (status: string) => FINAL_STATUSES.has(status);
const signed = (side: Side, qty: number) => (side === 'buy' ? qty : -qty);
const opposite = (side: Side): Side => (side === 'buy' ? 'sell' : 'buy');
const describe = (o: { symbol: string; side: Side; qty: number }) => `${o.symbol} ${o.side} ${o.qty}`;

/**
 * The price of the quantity filled since our last booking, from the two
 * cumulative averages: (Qv * Pv - Qo * Po) / (Qv - Qo). When we had nothing
 * booked, or the averages do not give a positive price (a venue that rounds
 * its average), the venue's average is the best estimate.
 *
 * @example
 *   deltaFillPrice(10, 101, 4, 100, 6) // 101.666...
 */
export function deltaFillPrice(venueQty: number, venueAvg: number, ourQty: number, ourAvg: number | null, delta: number): number {
  if (ourQty <= 0 || ourAvg === null) return venueAvg;
  const p = (venueQty * venueAvg - ourQty * ourAvg) / delta;
  return Number.isFinite(p) && p > 0 ? p : venueAvg;
}

/** Weighted average fill price of the legs that filled; null when none did or one filled without a price. */
function legsAverage(legs: readonly VenueOrder[]): { qty: number; avg: number | null; at: string | null } {
  let qty = 0;
  let notional = 0;
  let at: string | null = null;
  let priced = true;
  for (const leg of legs) {
    if (leg.filledQty <= 0) continue;
    qty += leg.filledQty;
    if (leg.filledAvgPrice === null) priced = false;
    else notional += leg.filledQty * leg.filledAvgPrice;
    if (at === null || leg.updatedAt > at) at = leg.updatedAt;
  }
  return { qty, avg: qty > 0 && priced ? notional / qty : null, at };
}

/**
 * Compare the venue with our book and decide what to book and whether to halt.
 *
 * Rules, per order of ours matched to a venue order (by venue id, else by
 * client order id):
 * - symbol, side and quantity must agree, and the venue id must be the one we stored;
 * - venue filled more -> a fill of the difference at the price implied by
 *   the two averages, and the order takes the venue's status, filled
 *   quantity and average; venue filled less -> problem;
 * - ours final and the venue's still open (after the grace period) -> problem;
 * - bracket legs: their filled quantity beyond our opposite-side fills of
 *   the order is booked the same way.
 * An order of ours the venue does not know is a problem once it is older
 * than the grace period, if it is still open (or its bracket still is);
 * a final order outside the venue's listing is simply old. A venue order
 * that is neither ours nor a leg of ours is a problem. Finally every
 * symbol's venue position must equal our fills plus the bookings.
 *
 * @example
 *   const d = reconcile({ venue: { orders, positions }, ours: { orders: ours, fills }, now: '2026-01-05T15:00:00Z', graceMs: 120_000 });
 *   if (d.outcome === 'halt') console.error(d.haltReason);
 */
export function reconcile(input: ReconciliationInput): ReconciliationDecision {
  const { venue, ours, graceMs } = input;
  const nowMs = Date.parse(input.now);
  const olderThanGrace = (iso: string) => nowMs - Date.parse(iso) > graceMs;

  const venueById = new Map(venue.orders.map((o) => [o.id, o]));
  const venueByClientId = new Map(venue.orders.map((o) => [o.clientOrderId, o]));
  const matchedVenueIds = new Set<string>();

  // Our fills per order, split into the entry's (same side) and the bracket legs' (opposite side).
  const entryFills = new Map<string, number>();
  const legFills = new Map<string, { qty: number; notional: number }>();
  const orderSide = new Map(ours.orders.map((o) => [o.id, o.side]));
  for (const f of ours.fills) {
    if (orderSide.get(f.orderId) === f.side) {
      entryFills.set(f.orderId, (entryFills.get(f.orderId) ?? 0) + f.qty);
      continue;
    }
    const acc = legFills.get(f.orderId) ?? { qty: 0, notional: 0 };
    acc.qty += f.qty;
    acc.notional += f.qty * f.price;
    legFills.set(f.orderId, acc);
  }

  const orderUpdates: OrderUpdate[] = [];
  const fills: FillBooking[] = [];
  const problems: ReconciliationProblem[] = [];
  const problem = (kind: ProblemKind, symbol: string, order: string | null, message: string) =>
    problems.push({ kind, symbol, order, message });

  for (const o of ours.orders) {
    const v = (o.brokerOrderId !== null ? venueById.get(o.brokerOrderId) : undefined) ?? venueByClientId.get(o.clientOrderId);
    const legBooked = legFills.get(o.id) ?? { qty: 0, notional: 0 };
    if (!v) {
      const bracketOpen = o.hasBracket && legBooked.qty + QTY_EPSILON < o.filledQty;
      if ((!isFinal(o.status) || bracketOpen) && olderThanGrace(o.submittedAt)) {
        problem(
          'missing_at_venue',
          o.symbol,
          o.clientOrderId,
          `order ${o.clientOrderId} (${describe(o)}, ${o.status}${bracketOpen ? ', bracket open' : ''}) is unknown to the broker ${Math.round(graceMs / 1000)} s after it was recorded`,
        );
      }
      continue;
    }
    matchedVenueIds.add(v.id);
    for (const leg of v.legs) matchedVenueIds.add(leg.id);

    if (o.brokerOrderId !== null && o.brokerOrderId !== v.id) {
      problem(
        'order_mismatch',
        o.symbol,
        o.clientOrderId,
        `order ${o.clientOrderId} is broker order ${o.brokerOrderId} in our book but ${v.id} at the broker`,
      );
      continue;
    }
    if (v.symbol !== o.symbol || v.side !== o.side || Math.abs(v.qty - o.qty) > QTY_EPSILON) {
      problem(
        'order_mismatch',
        o.symbol,
        o.clientOrderId,
        `order ${o.clientOrderId} is ${describe(o)} in our book but ${describe(v)} at the broker`,
      );
      continue;
    }
    if (v.filledQty + QTY_EPSILON < o.filledQty) {
      problem(
        'venue_filled_less',
        o.symbol,
        o.clientOrderId,
        `order ${o.clientOrderId} (${o.symbol}) has ${o.filledQty} filled in our book but ${v.filledQty} at the broker`,
      );
      continue;
    }
    if (isFinal(o.status) && !isFinal(v.status) && olderThanGrace(o.updatedAt)) {
      problem(
        'final_status_conflict',
        o.symbol,
        o.clientOrderId,
        `order ${o.clientOrderId} (${o.symbol}) is ${o.status} in our book but ${v.status} at the broker`,
      );
      continue;
    }

    const delta = v.filledQty - o.filledQty;
    if (delta > QTY_EPSILON) {
      if (v.filledAvgPrice === null) {
        problem(
          'fill_without_price',
          o.symbol,
          o.clientOrderId,
          `broker order ${v.id} (${o.symbol}) reports ${v.filledQty} filled without a price`,
        );
        continue;
      }
      fills.push({
        executionId: `recon-${v.id}-${v.filledQty}`,
        orderId: o.id,
        symbol: o.symbol,
        side: o.side,
        qty: delta,
        price: deltaFillPrice(v.filledQty, v.filledAvgPrice, o.filledQty, o.filledAvgPrice, delta),
        filledAt: v.updatedAt,
        previousBookedQty: entryFills.get(o.id) ?? 0,
      });
    }
    const legs = legsAverage(v.legs);
    const legDelta = legs.qty - legBooked.qty;
    if (legDelta < -QTY_EPSILON) {
      problem(
        'venue_filled_less',
        o.symbol,
        o.clientOrderId,
        `bracket legs of order ${o.clientOrderId} (${o.symbol}) have ${legBooked.qty} filled in our book but ${legs.qty} at the broker`,
      );
    } else if (legDelta > QTY_EPSILON) {
      if (legs.avg === null) {
        problem(
          'fill_without_price',
          o.symbol,
          o.clientOrderId,
          `a bracket leg of broker order ${v.id} (${o.symbol}) reports a fill without a price`,
        );
      } else {
        const ourAvg = legBooked.qty > 0 ? legBooked.notional / legBooked.qty : null;
        fills.push({
          executionId: `recon-${v.id}-legs-${legs.qty}`,
          orderId: o.id,
          symbol: o.symbol,
          side: opposite(o.side),
          qty: legDelta,
          price: deltaFillPrice(legs.qty, legs.avg, legBooked.qty, ourAvg, legDelta),
          filledAt: legs.at ?? v.updatedAt,
          previousBookedQty: legBooked.qty,
        });
      }
    }
    if (
      o.brokerOrderId !== v.id ||
      o.status !== v.status ||
      delta > QTY_EPSILON ||
      (v.filledQty > 0 && o.filledAvgPrice !== v.filledAvgPrice)
    ) {
      orderUpdates.push({
        orderId: o.id,
        clientOrderId: o.clientOrderId,
        symbol: o.symbol,
        brokerOrderId: v.id,
        status: v.status,
        filledQty: v.filledQty,
        filledAvgPrice: v.filledAvgPrice,
        previousFilledQty: o.filledQty,
        previousStatus: o.status,
      });
    }
  }

  for (const v of venue.orders) {
    if (matchedVenueIds.has(v.id)) continue;
    problem(
      'unknown_venue_order',
      v.symbol,
      v.id,
      `broker order ${v.id} (${describe(v)}, ${v.status}, client id ${v.clientOrderId}) was never sent by us`,
    );
  }

  const expected = new Map<string, number>();
  const add = (symbol: string, qty: number) => expected.set(symbol, (expected.get(symbol) ?? 0) + qty);
  for (const f of ours.fills) add(f.symbol, signed(f.side, f.qty));
  for (const f of fills) add(f.symbol, signed(f.side, f.qty));
  const venueQty = new Map<string, number>();
  for (const p of venue.positions) venueQty.set(p.symbol, (venueQty.get(p.symbol) ?? 0) + p.qty);
  const symbols = [...new Set([...expected.keys(), ...venueQty.keys()])].sort();
  for (const s of symbols) {
    const mine = expected.get(s) ?? 0;
    const theirs = venueQty.get(s) ?? 0;
    if (Math.abs(mine - theirs) > QTY_EPSILON) {
      problem(
        'position_mismatch',
        s,
        null,
        `position ${s}: the broker holds ${theirs}, our fills${fills.length ? ' with the bookings' : ''} add up to ${mine}`,
      );
    }
  }

  const positions = symbols.map((symbol) => ({ symbol, qty: expected.get(symbol) ?? 0 })).filter((p) => Math.abs(p.qty) > QTY_EPSILON);
  const outcome = problems.length ? 'halt' : orderUpdates.length || fills.length ? 'book' : 'in_sync';
  return { outcome, orderUpdates, fills, problems, positions, haltReason: problems.length ? haltReason(problems) : null };
}

/**
 * One line for trading_state.halt_reason and the alert: the count and every
 * problem's message, cut at MAX_HALT_REASON_CHARS.
 *
 * @example
 *   haltReason([{ kind: 'position_mismatch', symbol: 'AAPL', order: null, message: 'position AAPL: ...' }])
 *   // 'reconciliation: 1 unexplained difference: position AAPL: ...'
 */
export function haltReason(problems: readonly ReconciliationProblem[]): string {
  const text = `reconciliation: ${problems.length} unexplained difference${problems.length === 1 ? '' : 's'}: ${problems.map((p) => p.message).join('; ')}`;
  return text.length > MAX_HALT_REASON_CHARS ? `${text.slice(0, MAX_HALT_REASON_CHARS - 3)}...` : text;
}
