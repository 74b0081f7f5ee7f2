/**
 * Following a registered model (kind `modelSignals`): the intraday cycle
 * acts on the latest daily run of the model named in the config
 * (`inputs.modelSignals`, one row per symbol from model_signals).
 * - the model says BUY and the strategy is not long: BUY (the execution
 *   service sizes it);
 * - the model says SELL and the strategy is long: SELL the held quantity;
 * - HOLD, or a confidence below `minConfidence`: nothing.
 * Confidence is the model's; the stop-loss is passed through when the model
 * set one; the reason names model@version and its run date, and the signal's
 * `model` is that version (what its trading_signals row is traced to: this
 * kind is not a model itself). A row made by
 * another model than `model` is ignored (a wiring mistake must not trade on
 * the wrong model's signals). No modelSignals: no signals. Bars are not read.
 */
import { configOrProblems, fmt, heldQty, numberIn, readParams, text, type Check } from './params';
import type { IntradayStrategy, ModelSignalInput, StrategyInputs, StrategySignal } from './types';

export interface ModelSignalsConfig {
  /** Registered model name (without @version). */
  model: string;
  /** Signals of lower confidence are not followed. */
  minConfidence: number;
}

/** A model name: non-empty, without the @version (the version followed is always the latest run's). */
const modelName: Check = (v) => text(v) ?? (String(v).includes('@') ? `must be a model name without @version, got "${String(v)}"` : null);

export const MODEL_SIGNALS_DEFAULTS: Readonly<ModelSignalsConfig> = { model: 'combined-score', minConfidence: 0 };

/**
 * The model name of a `name@version` label (the text before the last `@`; the whole label without one).
 *
 * @example
 *   modelNameOf('combined-score@3') // 'combined-score'
 */
export function modelNameOf(label: string): string {
  const at = label.lastIndexOf('@');
  return at < 0 ? label : label.slice(0, at);
}

function signalsOf(inputs: StrategyInputs<ModelSignalsConfig>): StrategySignal[] {
  const { config: c, positions, modelSignals } = inputs;
  if (!modelSignals) return [];
  const out: StrategySignal[] = [];
  for (const symbol of [...modelSignals.keys()].sort()) {
    const m: ModelSignalInput = modelSignals.get(symbol)!;
    if (modelNameOf(m.model) !== c.model || m.action === 'HOLD' || !(m.confidence >= c.minConfidence)) continue;
    const held = heldQty(positions, symbol);
    const buy = m.action === 'BUY' && held <= 0;
    const sell = m.action === 'SELL' && held > 0;
    if (!buy && !sell) continue;
    out.push({
      symbol,
      action: m.action,
      confidence: m.confidence,
      reason:
        `${m.model} said ${m.action} on its ${m.runDate} run (confidence ${fmt(m.confidence, 3)})` +
        (sell ? `; closing the long of ${held}` : ''),
      ...(sell ? { quantity: held } : {}),
      ...(m.stopLoss !== null ? { stopLoss: m.stopLoss } : {}),
      metrics: { modelConfidence: m.confidence },
      model: m.model,
    });
  }
  return out;
}

/**
 * The strategy object registered as `modelSignals`.
 *
 * @example
 *   modelSignals.signals({ at, bars: new Map(), positions, config: modelSignals.defaults, modelSignals: latest })
 */
export const modelSignals: IntradayStrategy<ModelSignalsConfig> = {
  kind: 'modelSignals',
  defaults: MODEL_SIGNALS_DEFAULTS,
  parseConfig(raw) {
    const { config, problems } = readParams(raw, MODEL_SIGNALS_DEFAULTS, { model: modelName, minConfidence: numberIn(0, 1) });
    return configOrProblems(config, problems);
  },
  symbols: () => [],
  warmupBars: () => 0,
  signals: signalsOf,
};
