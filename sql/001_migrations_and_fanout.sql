-- Fan-out analysis: one row per orchestrator run, one per analysed contract.
-- Natural keys make every activity write an idempotent upsert.

CREATE TABLE IF NOT EXISTS fanout_runs (
  run_key            TEXT PRIMARY KEY,
  workflow_id        TEXT NOT NULL,
  dataset            TEXT NOT NULL,
  dataset_hash       TEXT NOT NULL,
  config_hash        TEXT NOT NULL,
  num_contracts      INTEGER NOT NULL CHECK (num_contracts > 0),
  status             TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  validation_status  TEXT CHECK (validation_status IN ('PASS', 'WARN', 'FAIL')),
  succeeded          INTEGER NOT NULL DEFAULT 0,
  failed             INTEGER NOT NULL DEFAULT 0,
  failed_contracts   JSONB NOT NULL DEFAULT '[]'::jsonb,
  report_key         TEXT,
  started_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at        TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS fanout_results (
  run_key        TEXT NOT NULL REFERENCES fanout_runs (run_key) ON DELETE CASCADE,
  contract       TEXT NOT NULL,
  bars           INTEGER NOT NULL,
  total_trades   INTEGER NOT NULL,
  good_trades    INTEGER NOT NULL,
  bad_trades     INTEGER NOT NULL,
  success_rate   DOUBLE PRECISION NOT NULL,
  avg_beta       DOUBLE PRECISION,
  avg_vix        DOUBLE PRECISION,
  pnl_pct        DOUBLE PRECISION NOT NULL,
  result_key     TEXT NOT NULL,
  result_sha256  TEXT NOT NULL,
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (run_key, contract)
);

CREATE TABLE IF NOT EXISTS fanout_aggregates (
  run_key         TEXT PRIMARY KEY REFERENCES fanout_runs (run_key) ON DELETE CASCADE,
  contracts       INTEGER NOT NULL,
  total_pnl_pct   DOUBLE PRECISION NOT NULL,
  sharpe          DOUBLE PRECISION,
  win_rate        DOUBLE PRECISION,
  equity_key      TEXT NOT NULL,
  report_key      TEXT NOT NULL,
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
