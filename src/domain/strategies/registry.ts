/**
 * The intraday strategy kinds: one line per kind. A `strategy_config` row
 * names its kind and holds its params (JSONB, partial: defaults fill the
 * rest); this is the one place a kind's params are parsed and checked, for
 * the API's PATCH, `quant strategies set` and the cycle alike.
 */
import { QuantError } from '../errors';
import { modelSignals } from './model-signals';
import { movingAverageCrossover } from './moving-average';
import { pairsTrading } from './pairs-trading';
import { rsiMeanReversion } from './rsi-reversion';
import type { IntradayStrategy } from './types';

/** A strategy's stored config cannot work (unknown kind, fast >= slow, a missing pair symbol): names strategy and setting. */
export class StrategyConfigError extends QuantError {
  readonly type = 'InvalidStrategyConfig';
  readonly retryable = false;
  constructor(
    readonly strategy: string,
    readonly setting: string,
    message: string,
  ) {
    super(`strategy "${strategy}": ${setting}: ${message}`);
    this.name = 'StrategyConfigError';
  }
}

/** Every kind, by the name stored in strategy_config.kind. */
export const STRATEGY_KINDS: Readonly<Record<string, IntradayStrategy<any>>> = {
  [movingAverageCrossover.kind]: movingAverageCrossover,
  [rsiMeanReversion.kind]: rsiMeanReversion,
  [pairsTrading.kind]: pairsTrading,
  [modelSignals.kind]: modelSignals,
};

export function strategyOf(name: string, kind: string): IntradayStrategy<any> {
  const s = STRATEGY_KINDS[kind];
  if (!s) throw new StrategyConfigError(name, 'kind', `unknown kind "${kind}" (known: ${Object.keys(STRATEGY_KINDS).join(', ')})`);
  return s;
}

/** The full config of a stored row (defaults + params), or a StrategyConfigError naming the setting. */
export function parseStrategyConfig(name: string, kind: string, params: Record<string, unknown>): unknown {
  const r = strategyOf(name, kind).parseConfig(params);
  if ('problem' in r) throw new StrategyConfigError(name, r.problem.setting, r.problem.message);
  return r.config;
}
