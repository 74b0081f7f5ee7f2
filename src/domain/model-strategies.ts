/**
 * The strategies behind registered models: one interface, one function per
 * kind. A model run gives its strategy the day's inputs (the feature store's
 * rows and, for the combined score, WF3's component scores) and the model
 * version's config, and stores what comes back: one signal per symbol with
 * an action, a confidence in [0, 1], an expected return over the holding
 * period, a position size (fraction of equity), a stop-loss price and the
 * numbers the decision rested on. Adding a kind is one function here, its
 * config schema in src/config/model-kinds.ts, and a line in MODEL_STRATEGIES.
 * The intraday strategy kinds that are also model kinds
 * (src/domain/strategies/daily-bars.ts) are one entry each, made by one
 * function: the strategy itself, run on daily bars.
 */
import { QuantError } from './errors';
import { classifyScore, combinedScore } from './scoring';
import type { Features } from './features';
import {
  CROSS_REGISTERED_KINDS,
  dailyCloseInstant,
  dailyLookback,
  strategyBarsOfDays,
  type CrossRegisteredKind,
  type DailyBar,
} from './strategies/daily-bars';
import { strategyOf } from './strategies/registry';
import type { IntradayBar, StrategySignal } from './strategies/types';

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
  /** market_data's daily bars up to the date, by symbol, oldest first: what a strategy kind's DailyBarsRequest asked for. */
  dailyBars: ReadonlyMap<string, readonly DailyBar[]>;
}

/** What a strategy kind's daily run reads: these symbols (empty: every symbol with a bar on the date), `bars` bars each up to the date. */
export interface DailyBarsRequest {
  symbols: readonly string[];
  bars: number;
}

/**
 * The day's inputs lack what the model needs (features not computed, WF3 not run, a feature its config names, daily bars of a
 * symbol its config trades): the run fails, nothing is stored.
 */
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

/**
 * A strategy's signals of one date as model signals, one per symbol of
 * `symbols`, in symbol order:
 * - a signal gives its action and confidence, its stop loss when it set one
 *   (else null) and its metrics as riskMetrics; no expected return (the
 *   strategies state none) and position size 0 (a strategy's orders are
 *   sized by the execution service from strategy_config, not as a fraction
 *   of equity);
 * - a symbol without one is HOLD with confidence 0 and `holdMetrics(symbol)`;
 * - as the intraday cycle does (src/domain/strategies/cycle.ts), a signal
 *   whose confidence is NaN or outside [0, 1] is dropped, several of one
 *   action on a symbol keep the highest confidence (the first of equals),
 *   and a BUY with a SELL on one symbol is a contradiction: HOLD.
 * Signals on symbols outside `symbols` are ignored (the strategy saw only
 * their bars, so there are none). Empty `symbols`: [].
 *
 * @example
 *   toModelSignals(['A', 'B'], [{ symbol: 'A', action: 'BUY', confidence: 0.6, reason: '' }], () => ({}))
 *   // [{ symbol: 'A', action: 'BUY', confidence: 0.6, ... }, { symbol: 'B', action: 'HOLD', confidence: 0, ... }]
 */
export function toModelSignals(
  symbols: readonly string[],
  signals: readonly StrategySignal[],
  holdMetrics: (symbol: string) => Record<string, number | null>,
): ModelSignal[] {
  const bySymbol = new Map<string, StrategySignal[]>();
  for (const s of signals) {
    if (!(s.confidence >= 0 && s.confidence <= 1)) continue;
    bySymbol.set(s.symbol, [...(bySymbol.get(s.symbol) ?? []), s]);
  }
  return [...new Set(symbols)]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((symbol): ModelSignal => {
      const list = bySymbol.get(symbol) ?? [];
      const contradicts = new Set(list.map((s) => s.action)).size > 1;
      const best = contradicts
        ? undefined
        : list.reduce<StrategySignal | undefined>((b, s) => (b && b.confidence >= s.confidence ? b : s), undefined);
      if (!best)
        return {
          symbol,
          action: 'HOLD',
          confidence: 0,
          expectedReturn: null,
          positionSize: 0,
          stopLoss: null,
          riskMetrics: holdMetrics(symbol),
        };
      return {
        symbol,
        action: best.action,
        confidence: best.confidence,
        expectedReturn: null,
        positionSize: 0,
        stopLoss: best.stopLoss ?? null,
        riskMetrics: { ...(best.metrics ?? {}) },
      };
    });
}

/**
 * A cross-registered strategy kind as a model: the same pure strategy
 * function the intraday cycle runs, given the daily bars up to the date
 * (each date one bar, src/domain/strategies/daily-bars.ts), deciding at the
 * date's close with no open positions, its signals mapped by toModelSignals
 * (a HOLD's metrics: the date's close and how many bars there were). With
 * no positions a long-only strategy (moving average, RSI) can only BUY:
 * its SELL closes a long it holds. The symbols are the config's own (a
 * pair's legs, a list of symbols), or every symbol with a bar on the date
 * when it lists none.
 *
 * Throws ModelInputError, naming the symbols and the date, when a symbol the
 * config trades has no bar on the date (the seed's ATEN/INGM pair: the daily
 * universe lacks them), and when no symbol has one at all.
 */
export function strategyOnDailyBars(kind: CrossRegisteredKind, inputs: ModelInputs, config: unknown): ModelSignal[] {
  const strategy = strategyOf(kind, kind);
  const onDate = (symbol: string) => inputs.dailyBars.get(symbol)?.some((b) => b.date === inputs.date) ?? false;
  const configured = strategy.symbols(config);
  const missing = [...new Set(configured)].filter((s) => !onDate(s)).sort();
  if (missing.length > 0)
    throw new ModelInputError(
      `no daily bars of ${missing.join(', ')} on ${inputs.date} in market_data: this ${kind} config trades ` +
        `${missing.length === 1 ? 'it' : 'them'}; ingest ${missing.length === 1 ? 'its' : 'their'} daily bars, or register a config whose symbols the daily data has`,
    );
  const symbols = configured.length > 0 ? [...new Set(configured)] : [...inputs.dailyBars.keys()].filter(onDate);
  if (symbols.length === 0)
    throw new ModelInputError(`no daily bars stored for ${inputs.date}: run the ingest workflow for that date first`);
  const bars = new Map<string, IntradayBar[]>(symbols.map((s) => [s, strategyBarsOfDays(inputs.dailyBars.get(s)!, inputs.date)]));
  const signals = strategy.signals({ at: dailyCloseInstant(inputs.date), bars, positions: new Map(), config });
  return toModelSignals(symbols, signals, (symbol) => {
    const list = bars.get(symbol)!;
    return { close: list[list.length - 1].close, bars: list.length };
  });
}

/** What a model kind's strategy reads, and the strategy. */
export interface ModelStrategy {
  needs: 'features' | 'scores' | 'dailyBars';
  /** For needs 'dailyBars': which symbols and how many bars of each the version's config reads. */
  dailyBars?: (config: never) => DailyBarsRequest;
  run: (inputs: ModelInputs, config: never) => ModelSignal[];
}

function strategyModel(kind: CrossRegisteredKind): ModelStrategy {
  const strategy = strategyOf(kind, kind);
  return {
    needs: 'dailyBars',
    dailyBars: (config: unknown) => ({ symbols: strategy.symbols(config), bars: dailyLookback(strategy, config) }),
    run: (inputs, config: unknown) => strategyOnDailyBars(kind, inputs, config),
  };
}

const STRATEGY_MODELS = Object.fromEntries(CROSS_REGISTERED_KINDS.map((kind) => [kind, strategyModel(kind)])) as Record<
  CrossRegisteredKind,
  ModelStrategy
>;

/** Each kind's strategy and what it reads. */
export const MODEL_STRATEGIES = {
  enhancedMomentum: { needs: 'features', run: enhancedMomentumSignals },
  combinedScore: { needs: 'scores', run: combinedScoreSignals },
  ...STRATEGY_MODELS,
} satisfies Record<string, ModelStrategy>;

export type StrategyKind = keyof typeof MODEL_STRATEGIES;
