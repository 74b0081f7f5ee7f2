-- The model registry and its daily pipelines (features -> models -> performance).
--
-- How these tables relate to the daily pipeline's: WF3 (`signal_runs`,
-- `signal_results`) scores every symbol once a day with the combined score and
-- feeds WF4's rebalance; it stays as it is. Here, the combined score is one
-- registered model among others (`models`, kind combinedScore): its runs and
-- signals are recorded per model version in `model_runs` / `model_signals`, so
-- models can be compared and ranked (`model_performance`,
-- `performance_reports`), without touching the book WF4 keeps. `feature_store`
-- holds the indicators the models read (computed from `market_data`), and
-- `trading_universe` the point-in-time list of symbols a run may trade
-- (`market_data` and `fundamentals` say what was observed, this says what was
-- eligible on a date). The execution service's `strategy_config` is the
-- intraday strategies' live risk settings, not a model version.

-- Point-in-time universe: one row per membership spell of a symbol; a symbol
-- removed and re-added gets a second row. At most one open spell per symbol.
CREATE TABLE trading_universe (
  id BIGSERIAL PRIMARY KEY,
  symbol TEXT NOT NULL,
  sector TEXT,
  listing TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
  added_on DATE NOT NULL,
  removed_on DATE,
  CHECK (removed_on IS NULL OR removed_on >= added_on),
  CHECK ((status = 'removed') = (removed_on IS NOT NULL)),
  UNIQUE (symbol, added_on)
);
CREATE UNIQUE INDEX trading_universe_one_open_spell ON trading_universe (symbol) WHERE removed_on IS NULL;

-- The versions of each feature set's definition (the indicators' parameters):
-- a changed definition is the next version; the same definition is the same one.
CREATE TABLE feature_sets (
  name TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  definition JSONB NOT NULL,
  definition_hash TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (name, version),
  UNIQUE (name, definition_hash)
);

-- Features of one symbol on one date under one version of a feature set:
-- rows written under an old definition stay, under its version number.
CREATE TABLE feature_store (
  symbol TEXT NOT NULL,
  date DATE NOT NULL,
  feature_set TEXT NOT NULL,
  feature_set_version INTEGER NOT NULL CHECK (feature_set_version > 0),
  features JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (symbol, date, feature_set, feature_set_version),
  FOREIGN KEY (feature_set, feature_set_version) REFERENCES feature_sets (name, version)
);
CREATE INDEX feature_store_by_set_date ON feature_store (feature_set, feature_set_version, date);

-- A model version: a kind (the strategy code) and its config. A changed
-- config is a new version of the same name; the same config twice is the same
-- version (unique hash per name). Versions are retired, never deleted, so
-- every signal stays traceable to the version that made it.
CREATE TABLE models (
  id SERIAL PRIMARY KEY,
  name TEXT NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  version INTEGER NOT NULL CHECK (version > 0),
  kind TEXT NOT NULL,
  config JSONB NOT NULL,
  config_hash TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  built_in BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  retired_at TIMESTAMPTZ,
  CHECK ((status = 'retired') = (retired_at IS NOT NULL)),
  UNIQUE (name, version),
  UNIQUE (name, config_hash)
);

-- One run of one model version for one date (a re-run replaces it).
CREATE TABLE model_runs (
  id BIGSERIAL PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES models (id),
  run_date DATE NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  workflow_id TEXT,
  started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ,
  load_ms INTEGER,
  run_ms INTEGER,
  store_ms INTEGER,
  signal_count INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  UNIQUE (model_id, run_date)
);

-- The signals of a run; model_id repeats the run's so a signal names its
-- model version without a join. A failed run has none.
CREATE TABLE model_signals (
  id BIGSERIAL PRIMARY KEY,
  model_run_id BIGINT NOT NULL REFERENCES model_runs (id) ON DELETE CASCADE,
  model_id INTEGER NOT NULL REFERENCES models (id),
  symbol TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('BUY', 'SELL', 'HOLD')),
  confidence DOUBLE PRECISION NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  expected_return DOUBLE PRECISION,
  position_size DOUBLE PRECISION CHECK (position_size IS NULL OR position_size >= 0),
  stop_loss DOUBLE PRECISION,
  risk_metrics JSONB NOT NULL DEFAULT '{}',
  UNIQUE (model_run_id, symbol)
);

-- A model version's record on a date: its signals judged over the holding period.
CREATE TABLE model_performance (
  model_id INTEGER NOT NULL REFERENCES models (id),
  date DATE NOT NULL,
  holding_period_days INTEGER NOT NULL CHECK (holding_period_days > 0),
  total_return DOUBLE PRECISION,
  mean_return DOUBLE PRECISION,
  win_rate DOUBLE PRECISION,
  sharpe DOUBLE PRECISION,
  sortino DOUBLE PRECISION,
  max_drawdown DOUBLE PRECISION,
  hit_rate_by_confidence JSONB NOT NULL DEFAULT '{}',
  avg_holding_days DOUBLE PRECISION,
  signal_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (model_id, date)
);

-- The daily ranking of every active model version.
CREATE TABLE performance_reports (
  report_date DATE PRIMARY KEY,
  score TEXT NOT NULL,
  rankings JSONB NOT NULL,
  top_performers JSONB NOT NULL DEFAULT '[]',
  underperformers JSONB NOT NULL DEFAULT '[]',
  alerts JSONB NOT NULL DEFAULT '[]',
  chart_key TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
