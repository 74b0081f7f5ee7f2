/**
 * The intraday strategies' one interface (issue 14). A strategy is pure: it
 * is given the bars closed up to the cycle instant, the open positions and
 * its config, and returns signals, each with a confidence in [0, 1] and a
 * reason a person can read. It never sees a clock (the cycle instant is an
 * argument) and never places an order: the cycle submits its signals to the
 * execution service's path, which risk-checks them.
 */

/** Bar lengths the intraday providers serve. */
export type BarInterval = '1m' | '5m' | '15m';

export const BAR_INTERVAL_MS: Readonly<Record<BarInterval, number>> = { '1m': 60_000, '5m': 300_000, '15m': 900_000 };

/** One intraday bar; `ts` is the bar's start (epoch ms, UTC). A bar is closed at `ts + interval`. */
export interface IntradayBar {
  symbol: string;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A position a strategy may act on (signed quantity: negative is short). */
export interface StrategyPosition {
  symbol: string;
  qty: number;
  avgEntryPrice: number;
}

/** What every strategy is given for one cycle. */
export interface StrategyInputs<C> {
  /** The cycle instant (epoch ms). */
  at: number;
  /** Per symbol, the bars closed at or before `at`, oldest first (today's and the warm-up before it). */
  bars: ReadonlyMap<string, readonly IntradayBar[]>;
  /** The strategy's own open positions, by symbol. */
  positions: ReadonlyMap<string, StrategyPosition>;
  config: C;
  /** The model strategy's input: the latest run's signals of the registered model it follows, by symbol. */
  modelSignals?: ReadonlyMap<string, ModelSignalInput>;
}

export type StrategyAction = 'BUY' | 'SELL';

/** One symbol's signal from a registered model's latest run (model_signals). */
export interface ModelSignalInput {
  /** name@version of the model version that made it. */
  model: string;
  runDate: string;
  action: 'BUY' | 'SELL' | 'HOLD';
  confidence: number;
  stopLoss: number | null;
}

/** One signal; the cycle adds the strategy name, the cycle time and the idempotency key. */
export interface StrategySignal {
  symbol: string;
  action: StrategyAction;
  confidence: number;
  reason: string;
  /** Shares; absent: the execution service sizes it from the strategy's max position size. */
  quantity?: number;
  stopLoss?: number;
  takeProfit?: number;
  /**
   * A pair trade's legs carry the same group id and their leg number: both
   * are placed or neither (leg 2 rejected -> leg 1 is flattened).
   */
  group?: { id: string; leg: 1 | 2 };
  /** Numbers the decision rested on (z-score, averages, RSI ...). */
  metrics?: Record<string, number>;
  /**
   * `name@version` of the registered model version the signal comes from, when the strategy acts on a model's signals
   * (modelSignals); absent, the cycle names the strategy's own registered version (its output's `model`).
   */
  model?: string;
}

/** A strategy config that cannot work (fast period >= slow period, ...): names the setting. */
export interface ConfigProblem {
  setting: string;
  message: string;
}

export interface IntradayStrategy<C> {
  /** The kind, as stored in strategy_config.kind. */
  readonly kind: string;
  readonly defaults: C;
  /**
   * Merge a stored (partial, untrusted) config over the defaults and check it; a problem names the setting.
   * `problems`, when present, lists every bad setting (the first is `problem`), so a PATCH can report them all at once.
   */
  parseConfig(raw: Record<string, unknown>): { config: C } | { problem: ConfigProblem; problems?: readonly ConfigProblem[] };
  /** Symbols whose bars the strategy needs (empty: every symbol of the universe). */
  symbols(config: C): readonly string[];
  /** How many closed bars before the cycle it needs per symbol to say anything. */
  warmupBars(config: C): number;
  signals(inputs: StrategyInputs<C>): StrategySignal[];
}
