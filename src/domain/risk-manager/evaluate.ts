/**
 * The risk manager: one pure function from (signal, strategy, limits, state)
 * to a decision. Every rejection names its rule (types.ts `RiskRule`) and says
 * why with the numbers it compared, so the API can answer with it and store
 * it in `risk_violations`. The checks run in a fixed order and the first that
 * fails decides; the order is cheapest-first and mirrors what a trader asks:
 * may this strategy trade now, how much, can we afford it, does it
 * concentrate the book.
 *
 * Conventions: quantities are whole shares, signed for positions (negative =
 * short); "exposure grows" means the order opens or extends a position rather
 * than reducing one. Only orders that grow exposure are held to the sizing,
 * buying power, concentration, correlation and portfolio-risk limits; an
 * order that only reduces a position is always allowed past them (closing
 * risk is never blocked by a risk limit).
 */
import { marketSession } from '../market-session';
import type { HeldPosition, OrderDecision, RiskDecision, RiskLimits, RiskRule, RiskSignal, RiskState, StrategyRisk } from './types';

const round2 = (x: number) => Math.round(x * 100) / 100;

function reject(rule: RiskRule, reason: string): RiskDecision {
  return { kind: 'reject', rule, reason };
}

/**
 * Shares a signal without a quantity asks for: the smaller of the strategy's
 * `maxPositionSize` (dollars) and `maxSinglePosition` x equity, divided by the
 * price and rounded down to whole shares. 0 when even one share is too dear;
 * 0 for a non-positive or non-finite price or equity.
 *
 * @example
 *   sizePosition({ maxPositionSize: 10_000, maxSinglePositionPct: 0.1, equity: 50_000, price: 190 }); // floor(5000 / 190) = 26
 */
export function sizePosition(p: { maxPositionSize: number; maxSinglePositionPct: number; equity: number; price: number }): number {
  if (!(p.price > 0) || !(p.equity > 0) || !Number.isFinite(p.price)) return 0;
  const dollars = Math.min(p.maxPositionSize, p.maxSinglePositionPct * p.equity);
  return Math.max(0, Math.floor(dollars / p.price + 1e-9));
}

/**
 * Portfolio risk: the money at stake if every position ran to its stop, over
 * equity:  sum over positions of |qty| x |price - stop|  /  equity.
 * A position without a recorded stop is assumed to carry the default stop
 * (`defaultStopLoss` x price away). Returns 0 for an empty book and Infinity
 * for equity <= 0 with something at stake.
 *
 * @example
 *   portfolioRisk([{ symbol: 'A', qty: 100, price: 50, stopPrice: 45 }], 0.02, 10_000); // 100 x 5 / 10000 = 0.05
 */
export function portfolioRisk(positions: Iterable<HeldPosition>, defaultStopLoss: number, equity: number): number {
  let atStake = 0;
  for (const p of positions) atStake += Math.abs(p.qty) * stopDistance(p, defaultStopLoss);
  if (atStake === 0) return 0;
  return equity > 0 ? atStake / equity : Infinity;
}

function stopDistance(p: HeldPosition, defaultStopLoss: number): number {
  return p.stopPrice !== undefined ? Math.abs(p.price - p.stopPrice) : p.price * defaultStopLoss;
}

/**
 * A stop or take-profit on the wrong side of the price is bad input, not a
 * risk rejection (the API answers 400 naming the field and writes nothing).
 * For a BUY the stop must be below the price and the take-profit above it;
 * for a SELL the other way round. Returns null when the levels make sense.
 *
 * @example
 *   checkSignalLevels({ action: 'BUY', stopLoss: 200 }, 190); // { field: 'stop_loss', ... }
 */
export function checkSignalLevels(
  signal: Pick<RiskSignal, 'action' | 'stopLoss' | 'takeProfit' | 'priceTarget'>,
  lastPrice: number,
): { field: 'stop_loss' | 'take_profit'; message: string } | null {
  if (signal.action === 'HOLD') return null;
  const price = signal.priceTarget ?? lastPrice;
  const buy = signal.action === 'BUY';
  if (signal.stopLoss !== undefined && (buy ? signal.stopLoss >= price : signal.stopLoss <= price)) {
    return {
      field: 'stop_loss',
      message: `stop_loss ${signal.stopLoss} must be ${buy ? 'below' : 'above'} the price ${price} for a ${signal.action}`,
    };
  }
  if (signal.takeProfit !== undefined && (buy ? signal.takeProfit <= price : signal.takeProfit >= price)) {
    return {
      field: 'take_profit',
      message: `take_profit ${signal.takeProfit} must be ${buy ? 'above' : 'below'} the price ${price} for a ${signal.action}`,
    };
  }
  return null;
}

/** Shares of the order that open or extend exposure (the rest only reduce the held position). */
function openingQty(held: number, after: number): number {
  if (held === 0 || Math.sign(after) === Math.sign(held)) return Math.max(0, Math.abs(after) - Math.abs(held));
  return Math.abs(after); // flipped through zero: the new side is all opening
}

/**
 * Decide on one signal. Checks, in order (the first failure decides):
 *  1. `strategy_disabled`: the strategy is switched off.
 *  -  HOLD: accepted, no order (`{ kind: 'hold' }`).
 *  2. `trading_halted`: the halt flag is set.
 *  3. `confidence_threshold`: confidence < the strategy's threshold (equal passes).
 *  4. `market_hours`: outside the regular NYSE session (unless limits say `always`).
 *  5. `no_price`: no last price for the symbol (nothing to size or check against).
 *  6. `position_size`: no quantity given and the sized quantity is 0 shares
 *     (see `sizePosition`); a SELL without quantity on a held long sells the whole long.
 *  7. `short_selling`: the order would leave a short and shorts are not allowed.
 *  8. `buying_power`: opening shares x price > buying power.
 *  9. `max_single_position`: |position after| x price > max single position x equity.
 * 10. `max_correlation`: correlation with a held symbol > the limit (unknown pairs pass).
 * 11. `max_portfolio_risk`: `portfolioRisk` after the order > the limit; the
 *     symbol's position after the order carries the order's stop.
 * Rules 8-11 apply only when the order grows exposure.
 *
 * @example
 *   evaluateSignal({ symbol: 'AAPL', action: 'BUY', strategyId: 'ma', confidence: 0.9 }, strategy, SEED_RISK_LIMITS, state);
 *   // { kind: 'order', side: 'buy', qty: 26, orderType: 'market', price: 190, stopLoss: 186.2 }
 */
export function evaluateSignal(signal: RiskSignal, strategy: StrategyRisk, limits: RiskLimits, state: RiskState): RiskDecision {
  if (!strategy.enabled) return reject('strategy_disabled', `strategy ${strategy.name} is disabled`);
  if (signal.action === 'HOLD') return { kind: 'hold' };
  if (state.halted) return reject('trading_halted', `trading is halted${state.haltReason ? `: ${state.haltReason}` : ''}`);
  if (signal.confidence < strategy.confidenceThreshold) {
    return reject(
      'confidence_threshold',
      `confidence ${signal.confidence} is below ${strategy.name}'s threshold ${strategy.confidenceThreshold}`,
    );
  }
  if (!marketSession(state.now, limits.marketHours).isOpen) {
    return reject('market_hours', `the NYSE regular session is closed at ${new Date(state.now).toISOString()}`);
  }
  const last = state.price(signal.symbol);
  const price = signal.priceTarget ?? last;
  if (price === undefined || !(price > 0)) return reject('no_price', `no current price for ${signal.symbol}`);

  const side = signal.action === 'BUY' ? 'buy' : 'sell';
  const heldPosition = state.positions.get(signal.symbol);
  const held = heldPosition?.qty ?? 0;
  const maxSingle = strategy.maxSinglePosition ?? limits.maxSinglePosition;
  let qty = signal.quantity;
  if (qty === undefined) {
    qty =
      side === 'sell' && held > 0
        ? held
        : sizePosition({ maxPositionSize: strategy.maxPositionSize, maxSinglePositionPct: maxSingle, equity: state.equity, price });
    if (qty === 0) {
      return reject(
        'position_size',
        `one share of ${signal.symbol} at ${price} is more than min(${strategy.maxPositionSize}, ${maxSingle} x equity ${round2(state.equity)})`,
      );
    }
  }
  const after = held + (side === 'buy' ? qty : -qty);
  if (after < 0 && !limits.allowShortSelling) {
    return reject(
      'short_selling',
      `selling ${qty} ${signal.symbol} with ${held} held would open a short of ${-after}, and short selling is not allowed`,
    );
  }

  const stopPct = strategy.stopLossPct ?? limits.defaultStopLoss;
  const stopLoss =
    signal.stopLoss ?? (strategy.protectiveStops === false ? null : round2(side === 'buy' ? price * (1 - stopPct) : price * (1 + stopPct)));
  const decision: OrderDecision = {
    kind: 'order',
    side,
    qty,
    orderType: signal.priceTarget !== undefined ? 'limit' : 'market',
    ...(signal.priceTarget !== undefined ? { limitPrice: signal.priceTarget } : {}),
    price,
    stopLoss,
    ...(signal.takeProfit !== undefined ? { takeProfit: signal.takeProfit } : {}),
  };

  const opening = openingQty(held, after);
  if (opening === 0) return { ...decision, stopLoss: signal.stopLoss ?? null };

  const cost = opening * price;
  if (cost > state.buyingPower) {
    return reject(
      'buying_power',
      `${opening} ${signal.symbol} at ${price} costs ${round2(cost)}, more than the buying power ${round2(state.buyingPower)}`,
    );
  }
  const positionValue = Math.abs(after) * price;
  if (positionValue > maxSingle * state.equity) {
    return reject(
      'max_single_position',
      `${signal.symbol} would be ${round2(positionValue)} = ${round2((positionValue / state.equity) * 100)}% of equity ${round2(state.equity)}, above the ${round2(maxSingle * 100)}% limit`,
    );
  }
  for (const other of state.positions.values()) {
    if (other.symbol === signal.symbol || other.qty === 0) continue;
    const c = state.correlation(signal.symbol, other.symbol);
    if (c !== undefined && c > limits.maxCorrelation) {
      return reject(
        'max_correlation',
        `${signal.symbol} correlates ${c.toFixed(3)} with held ${other.symbol}, above the ${limits.maxCorrelation} limit`,
      );
    }
  }
  const book: HeldPosition[] = [...state.positions.values()].filter((p) => p.symbol !== signal.symbol);
  book.push({ symbol: signal.symbol, qty: after, price, ...(stopLoss !== null ? { stopPrice: stopLoss } : {}) });
  const risk = portfolioRisk(book, limits.defaultStopLoss, state.equity);
  if (risk > limits.maxPortfolioRisk) {
    return reject(
      'max_portfolio_risk',
      `portfolio risk after the order would be ${round2(risk * 100)}% of equity, above the ${round2(limits.maxPortfolioRisk * 100)}% limit`,
    );
  }
  return decision;
}
