/**
 * The vocabulary of the execution service's risk manager: the signal it
 * judges, the state it judges it against (a snapshot of the in-memory risk
 * cache), the limits, and its decision. Pure data, so the same decision comes
 * out of the same inputs in the API process and in tests.
 */

import type { MarketHours } from '../market-session';

export type SignalAction = 'BUY' | 'SELL' | 'HOLD';

/** A trading signal after schema validation (whole shares, prices > 0, confidence 0..1). */
export interface RiskSignal {
  symbol: string;
  action: SignalAction;
  strategyId: string;
  confidence: number;
  /** Whole shares; absent means "size it for me". */
  quantity?: number;
  /** A limit price: the order becomes a limit order at this price. */
  priceTarget?: number;
  stopLoss?: number;
  takeProfit?: number;
}

/** One strategy's settings (Postgres `strategy_config`); null overrides fall back to the global limits. */
export interface StrategyRisk {
  name: string;
  enabled: boolean;
  /** A signal below this confidence is rejected; equal passes. */
  confidenceThreshold: number;
  /** Dollars: the largest position a signal without a quantity may open. */
  maxPositionSize: number;
  stopLossPct: number | null;
  maxSinglePosition: number | null;
  /**
   * Whether an opening order without a stop of its own gets the default protective stop (a bracket leg at
   * the venue). Default true. False for a strategy whose risk is managed as a whole (a pair trade: its
   * z-score stop closes both legs; a venue stop on one leg would leave the other unhedged).
   */
  protectiveStops?: boolean;
}

/** Global limits (the `api.risk` config block); fractions of equity unless said otherwise. */
export interface RiskLimits {
  /** Largest position in one symbol after the order, as a fraction of equity (seed: 0.10). */
  maxSinglePosition: number;
  /** Largest portfolio risk after the order (seed: 0.05); see `portfolioRisk`. */
  maxPortfolioRisk: number;
  /** Stop distance used when a signal or position has no stop (seed: 0.02 of the price). */
  defaultStopLoss: number;
  /** Largest correlation of daily returns between the new symbol and any held one (seed: 0.7). */
  maxCorrelation: number;
  allowShortSelling: boolean;
  /** `nyse`: regular NYSE session only (market-session.ts); `always`: a 24/7 test venue. */
  marketHours: MarketHours;
}

export const SEED_RISK_LIMITS: RiskLimits = {
  maxSinglePosition: 0.1,
  maxPortfolioRisk: 0.05,
  defaultStopLoss: 0.02,
  maxCorrelation: 0.7,
  allowShortSelling: false,
  marketHours: 'nyse',
};

export interface HeldPosition {
  symbol: string;
  /** Signed whole shares: negative for a short. */
  qty: number;
  /** The latest price we know. */
  price: number;
  /** The protective stop of the position, when we placed one. */
  stopPrice?: number;
}

/** What the risk manager knows at the moment of the signal (the risk cache, frozen). */
export interface RiskState {
  equity: number;
  buyingPower: number;
  positions: ReadonlyMap<string, HeldPosition>;
  /** Latest price of a symbol, or undefined when unknown. */
  price: (symbol: string) => number | undefined;
  /** Correlation of daily returns between two symbols, or undefined when unknown. */
  correlation: (a: string, b: string) => number | undefined;
  halted: boolean;
  haltReason?: string | null;
  /** Epoch ms of the decision (the API passes its clock in). */
  now: number;
}

/** The rules, by the name a rejection carries (and `risk_violations.rule` stores). */
export type RiskRule =
  | 'strategy_disabled'
  | 'trading_halted'
  | 'confidence_threshold'
  | 'market_hours'
  | 'no_price'
  | 'position_size'
  | 'short_selling'
  | 'buying_power'
  | 'max_single_position'
  | 'max_correlation'
  | 'max_portfolio_risk';

export const RISK_RULES: readonly RiskRule[] = [
  'strategy_disabled',
  'trading_halted',
  'confidence_threshold',
  'market_hours',
  'no_price',
  'position_size',
  'short_selling',
  'buying_power',
  'max_single_position',
  'max_correlation',
  'max_portfolio_risk',
];

export interface OrderDecision {
  kind: 'order';
  side: 'buy' | 'sell';
  qty: number;
  orderType: 'market' | 'limit';
  limitPrice?: number;
  /** The price the checks used (the limit price, else the last price). */
  price: number;
  /**
   * The stop the order's bracket carries: the signal's, else the default distance from the price. Null for
   * an order that only reduces a position: a stop on a closing order would, when triggered, open the
   * opposite position, and the position it closes needs none.
   */
  stopLoss: number | null;
  takeProfit?: number;
}

export type RiskDecision = OrderDecision | { kind: 'hold' } | { kind: 'reject'; rule: RiskRule; reason: string };
