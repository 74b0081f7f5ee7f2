-- Daily pipeline, WF2 screen and WF3 signal. A run is keyed by its date;
-- results by (run date, symbol). A rerun replaces its results in one
-- transaction, so a failed run leaves no partial rows for its date.

CREATE TABLE IF NOT EXISTS screening_runs (
  run_date      DATE PRIMARY KEY,
  symbols       INTEGER NOT NULL,
  lookback_days INTEGER NOT NULL,
  clusters      INTEGER,
  weights       JSONB NOT NULL,
  parquet_key   TEXT,
  report_key    TEXT,
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS screening_results (
  run_date        DATE NOT NULL REFERENCES screening_runs (run_date) ON DELETE CASCADE,
  symbol          TEXT NOT NULL,
  sector          TEXT,
  momentum_score  DOUBLE PRECISION,
  low_vol_score   DOUBLE PRECISION,
  rsi_score       DOUBLE PRECISION,
  sharpe_score    DOUBLE PRECISION,
  composite       DOUBLE PRECISION,
  composite_z     DOUBLE PRECISION,
  rank            INTEGER NOT NULL,
  quintile        INTEGER NOT NULL CHECK (quintile BETWEEN 1 AND 5),
  cluster         INTEGER,
  cluster_label   TEXT,
  metrics         JSONB NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (run_date, symbol)
);

CREATE TABLE IF NOT EXISTS signal_runs (
  run_date            DATE PRIMARY KEY,
  symbols             INTEGER NOT NULL,
  weights             JSONB NOT NULL,
  distribution        JSONB NOT NULL,
  parquet_key         TEXT,
  report_key          TEXT,
  updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS signal_results (
  run_date            DATE NOT NULL REFERENCES signal_runs (run_date) ON DELETE CASCADE,
  symbol              TEXT NOT NULL,
  sector              TEXT,
  technical_score     DOUBLE PRECISION NOT NULL,
  fundamental_score   DOUBLE PRECISION NOT NULL,
  sentiment_score     DOUBLE PRECISION NOT NULL,
  has_sentiment       BOOLEAN NOT NULL,
  news_count          INTEGER NOT NULL DEFAULT 0,
  combined_score      DOUBLE PRECISION NOT NULL,
  signal              TEXT NOT NULL CHECK (signal IN ('strong_buy', 'buy', 'hold', 'sell', 'strong_sell')),
  close               DOUBLE PRECISION,
  details             JSONB NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (run_date, symbol)
);
