-- Daily pipeline, WF5 monitor and WF6 backtest. A monitoring run is keyed by
-- its run date and a backtest by its (start, end) window; every write is an
-- UPSERT on that key, so a rerun replaces its row and never duplicates it.
-- Equity curves are stored with the backtest so its metrics can be
-- recomputed from the row alone.

CREATE TABLE IF NOT EXISTS monitoring_runs (
  run_date        DATE PRIMARY KEY,
  status          TEXT NOT NULL CHECK (status IN ('completed', 'no_portfolio')),
  snapshot_date   DATE,
  total_value     DOUBLE PRECISION,
  daily_pnl       DOUBLE PRECISION,
  daily_return    DOUBLE PRECISION,
  mtd_pnl         DOUBLE PRECISION,
  mtd_return      DOUBLE PRECISION,
  ytd_pnl         DOUBLE PRECISION,
  ytd_return      DOUBLE PRECISION,
  unrealized_pnl  DOUBLE PRECISION,
  sharpe          DOUBLE PRECISION,
  sortino         DOUBLE PRECISION,
  max_drawdown    DOUBLE PRECISION,
  var95           DOUBLE PRECISION,
  window_returns  INTEGER NOT NULL DEFAULT 0,
  alerts          JSONB NOT NULL DEFAULT '[]'::jsonb,
  details         JSONB NOT NULL DEFAULT '{}'::jsonb,
  report_key      TEXT,
  chart_key       TEXT,
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS backtest_runs (
  start_date         DATE NOT NULL,
  end_date           DATE NOT NULL,
  run_date           DATE NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('completed', 'no_signals')),
  initial_capital    DOUBLE PRECISION NOT NULL,
  params             JSONB NOT NULL DEFAULT '{}'::jsonb,
  signal_dates       INTEGER NOT NULL DEFAULT 0,
  signal_metrics     JSONB,
  benchmark_metrics  JSONB,
  excess             JSONB,
  -- {dates: [...], equity: [...]} of each portfolio
  signal_curve       JSONB,
  benchmark_curve    JSONB,
  report_key         TEXT,
  chart_key          TEXT,
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (start_date, end_date),
  CHECK (start_date <= end_date)
);
CREATE INDEX IF NOT EXISTS backtest_runs_run_date ON backtest_runs (run_date);
