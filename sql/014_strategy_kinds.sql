-- Intraday strategies (issue 14): a strategy_config row names its kind (the
-- code that makes its signals, src/domain/strategies/registry.ts) and holds
-- that kind's params, partial (the kind's defaults fill the rest). Writers
-- (PATCH /strategies/:name, `quant strategies set`) check the merged params
-- with the kind's parser before storing them, so a stored row always parses.
--
-- kind NULL is an external strategy: its signals come from outside, over
-- POST /signals/execute only; no cycle runs it, and it has no params. The
-- risk settings (enabled, threshold, sizes, overrides) apply to both.
ALTER TABLE strategy_config ADD COLUMN IF NOT EXISTS kind TEXT;
ALTER TABLE strategy_config ADD COLUMN IF NOT EXISTS params JSONB NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE strategy_config DROP CONSTRAINT IF EXISTS strategy_config_params_object;
ALTER TABLE strategy_config ADD CONSTRAINT strategy_config_params_object CHECK (jsonb_typeof(params) = 'object');
-- Opening orders get the risk manager's default protective stop unless false: a pair trade manages its
-- exits as a whole (its z-score stop closes both legs), and a venue stop on one leg would unhedge the other.
ALTER TABLE strategy_config ADD COLUMN IF NOT EXISTS protective_stops BOOLEAN NOT NULL DEFAULT true;

-- The seed's two strategies get their kinds; a row an operator already gave a kind keeps it.
UPDATE strategy_config SET kind = 'movingAverageCrossover' WHERE name = 'moving_average_crossover' AND kind IS NULL;
UPDATE strategy_config SET kind = 'modelSignals', params = '{"model": "combined-score"}'::jsonb || params
 WHERE name = 'ml_strategy' AND kind IS NULL;

INSERT INTO strategy_config (name, kind, params, enabled, confidence_threshold, max_position_size, protective_stops) VALUES
  ('rsi_mean_reversion', 'rsiMeanReversion', '{}'::jsonb, true, 0.6, 10000, true),
  ('pairs_aten_ingm', 'pairsTrading',
   '{"mode": "fixed", "symbolA": "ATEN", "symbolB": "INGM", "hedgeRatio": 1, "entry": 2, "exit": 0.5, "stop": 3, "lookback": 20, "notionalPerTrade": 10000, "maxOpenPairs": 1, "riskPerTrade": 0.03}'::jsonb,
   true, 0.5, 10000, false),
  ('pairs_statistical', 'pairsTrading', '{"mode": "statistical"}'::jsonb, false, 0.5, 10000, false)
ON CONFLICT (name) DO NOTHING;
