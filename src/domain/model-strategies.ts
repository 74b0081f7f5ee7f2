/**
 * The strategies behind registered models: one interface, one function per
 * kind. A model run gives its strategy the day's inputs (the feature store's
 * rows and, for the combined score, WF3's component scores) and the model
 * version's config, and stores what comes back: one signal per symbol with
 * an action, a confidence in [0, 1], an expected return over the holding
 * period, a position size (fraction of equity), a stop-loss price and the
 * numbers the decision rested on. Adding a kind is one function here, its
 * config schema in src/config/model-kinds.ts, and a line in MODEL_STRATEGIES.
 */
import { QuantError } from './errors';
import { classifyScore, combinedScore } from './scoring';
import type { Features } from './features';

export type ModelAction = 'BUY' | 'SELL' | 'HOLD';

export interface ModelSignal {
  symbol: string;
  action: ModelAction;
  confidence: number;
  /** Expected simple return over the holding period, signed by the action (null when the strategy has no estimate). */
  expectedReturn: number | null;
  /** Fraction of equity; 0 for HOLD. */
  positionSize: number;
  /** Stop-loss price (below the close for a BUY, above for a SELL); null for HOLD. */
  stopLoss: number | null;
  riskMetrics: Record<string, number | null>;
}

export interface ComponentScores {
  technical: number;
  fundamental: number;
  sentiment: number;
}

export interface ModelInputs {
  date: string;
  /** Feature-store rows of the date, by symbol. */
  features: ReadonlyMap<string, Features>;
  /** WF3's component scores of the date, by symbol (0..100, 50 neutral). */
  scores: ReadonlyMap<string, ComponentScores>;
}

/** The day's inputs lack what the model needs (features not computed, WF3 not run, a feature its config names): the run fails, nothing is stored. */
export class ModelInputError extends QuantError {
  readonly type = 'ModelInputMissing';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'ModelInputError';
  }
}

/** The holding period the expected returns are stated over (seed 004: DEFAULT_HOLDING_PERIOD = 5 days). */
export const HOLDING_PERIOD_DAYS = 5;

const clip01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

export interface EnhancedMomentumConfig {
  rsiPeriod: number;
  rsiOverbought: number;
  rsiOversold: number;
  macdFast: number;
  macdSlow: number;
  macdSignal: number;
  positionSize: number;
  stopLoss: number;
}

/**
 * Enhanced momentum: trade with the MACD histogram's direction unless RSI
 * says the move is spent.
 * - BUY when the histogram is positive and RSI is between 50 and the
 *   overbought level; SELL when it is negative and RSI is between the
 *   oversold level and 50; HOLD otherwise (no momentum, or overextended).
 * - confidence = 0.5 + 0.25 min(1, |RSI - 50| / (overbought - 50))
 *   + 0.25 min(1, |histogram| / (0.5 % of the close)): stronger momentum on
 *   both measures, more confidence.
 * - expected return = direction x (2 confidence - 1) x daily volatility x
 *   sqrt(holding period): a move of one holding period's standard deviation
 *   at full confidence.
 * - stop loss at `stopLoss` below (BUY) or above (SELL) the close; position
 *   size `positionSize` (seed: 5 % and 2 %).
 */
export function enhancedMomentumSignals(inputs: ModelInputs, c: EnhancedMomentumConfig): ModelSignal[] {
  const rsiKey = `rsi_${c.rsiPeriod}`;
  const histKey = `macd_hist_${c.macdFast}_${c.macdSlow}_${c.macdSignal}`;
  const volKey = 'volatility_20';
  if (inputs.features.size === 0)
    throw new ModelInputError(`no features stored for ${inputs.date}: run the features workflow for that date first`);
  const out: ModelSignal[] = [];
  for (const [symbol, f] of [...inputs.features].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const key of [rsiKey, histKey, volKey, 'close'])
      if (!(key in f))
        throw new ModelInputError(
          `feature "${key}" is not in the feature set stored for ${inputs.date} (symbol ${symbol}); the model's config needs it`,
        );
    const rsi = f[rsiKey];
    const hist = f[histKey];
    const close = f.close!;
    const vol = f[volKey];
    let action: ModelAction = 'HOLD';
    if (rsi !== null && hist !== null) {
      if (hist > 0 && rsi > 50 && rsi < c.rsiOverbought) action = 'BUY';
      else if (hist < 0 && rsi < 50 && rsi > c.rsiOversold) action = 'SELL';
    }
    const confidence =
      rsi === null || hist === null
        ? 0
        : 0.5 + 0.25 * clip01(Math.abs(rsi - 50) / (c.rsiOverbought - 50)) + 0.25 * clip01(Math.abs(hist) / (0.005 * close));
    const direction = action === 'BUY' ? 1 : action === 'SELL' ? -1 : 0;
    out.push({
      symbol,
      action,
      confidence: action === 'HOLD' ? 0 : confidence,
      expectedReturn:
        vol === null || direction === 0 ? null : direction * (2 * confidence - 1) * (vol / Math.sqrt(252)) * Math.sqrt(HOLDING_PERIOD_DAYS),
      positionSize: direction === 0 ? 0 : c.positionSize,
      stopLoss: direction === 0 ? null : close * (1 - direction * c.stopLoss),
      riskMetrics: { rsi, macd_hist: hist, volatility_20: vol },
    });
  }
  return out;
}

export interface CombinedScoreConfig {
  technicalWeight: number;
  fundamentalWeight: number;
  sentimentWeight: number;
}

/**
 * WF3's combined score as a model, with the version's own weights: WF3's
 * combinedScore of its stored component scores, classified as WF3 does
 * (classifyScore); strong buy and buy -> BUY, sell and strong sell -> SELL,
 * hold -> HOLD. confidence = |score - 50| / 50 (0 at neutral, 1 at either
 * end). No expected return, stop or size: the daily rebalance sizes WF3's
 * book by its own rules.
 */
export function combinedScoreSignals(inputs: ModelInputs, c: CombinedScoreConfig): ModelSignal[] {
  if (inputs.scores.size === 0)
    throw new ModelInputError(`no WF3 signal scores stored for ${inputs.date}: run the signal workflow for that date first`);
  return [...inputs.scores]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([symbol, s]) => {
      const score = combinedScore(s, { technical: c.technicalWeight, fundamental: c.fundamentalWeight, sentiment: c.sentimentWeight });
      const cls = classifyScore(score);
      const action: ModelAction = cls === 'strong_buy' || cls === 'buy' ? 'BUY' : cls === 'hold' ? 'HOLD' : 'SELL';
      return {
        symbol,
        action,
        confidence: clip01(Math.abs(score - 50) / 50),
        expectedReturn: null,
        positionSize: 0,
        stopLoss: null,
        riskMetrics: { score, technical: s.technical, fundamental: s.fundamental, sentiment: s.sentiment },
      };
    });
}

/** Each kind's strategy and what it reads. */
export const MODEL_STRATEGIES = {
  enhancedMomentum: { needs: 'features', run: enhancedMomentumSignals },
  combinedScore: { needs: 'scores', run: combinedScoreSignals },
} as const satisfies Record<string, { needs: 'features' | 'scores'; run: (inputs: ModelInputs, config: never) => ModelSignal[] }>;

export type StrategyKind = keyof typeof MODEL_STRATEGIES;
