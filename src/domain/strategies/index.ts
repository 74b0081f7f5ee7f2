/**
 * The intraday strategies of issue 14: the interface, the four kinds, the
 * registry that parses a stored config by kind, and the cycle's pure
 * bookkeeping (idempotency keys, dropping bad or contradictory signals).
 */
export * from './types';
export { STRATEGY_KINDS, StrategyConfigError, parseStrategyConfig, strategyOf } from './registry';
export { movingAverageCrossover, crossoverConfidence, MOVING_AVERAGE_DEFAULTS, type MovingAverageConfig } from './moving-average';
export { rsiMeanReversion, rsiConfidence, RSI_REVERSION_DEFAULTS, type RsiReversionConfig } from './rsi-reversion';
export {
  pairsTrading,
  pairDataProblems,
  evaluatePairs,
  pairDecision,
  PAIRS_DEFAULTS,
  type PairsConfig,
  type PairsMode,
  type PairReading,
  type PairSelection,
  type PairsEvaluation,
} from './pairs-trading';
export { modelSignals, modelNameOf, MODEL_SIGNALS_DEFAULTS, type ModelSignalsConfig } from './model-signals';
export {
  prepareCycleSignals,
  signalIdempotencyKey,
  type CycleSignal,
  type DroppedSignal,
  type PreparedCycle,
  type StrategyOutput,
} from './cycle';
