-- Daily pipeline, WF1 ingest: end-of-day bars (hot store) and ingest runs.
-- UNIQUE (symbol, date) makes every ingest an upsert.

CREATE TABLE IF NOT EXISTS market_data (
  symbol      TEXT NOT NULL,
  date        DATE NOT NULL,
  open        DOUBLE PRECISION NOT NULL,
  high        DOUBLE PRECISION NOT NULL,
  low         DOUBLE PRECISION NOT NULL,
  close       DOUBLE PRECISION NOT NULL,
  adj_close   DOUBLE PRECISION NOT NULL,
  volume      BIGINT NOT NULL,
  source      TEXT NOT NULL,
  ingested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT market_data_symbol_date UNIQUE (symbol, date)
);
CREATE INDEX IF NOT EXISTS market_data_date ON market_data (date);

CREATE TABLE IF NOT EXISTS fundamentals (
  symbol          TEXT NOT NULL,
  as_of           DATE NOT NULL,
  sector          TEXT,
  pe_ratio        DOUBLE PRECISION,
  dividend_yield  DOUBLE PRECISION,
  roe             DOUBLE PRECISION,
  debt_to_equity  DOUBLE PRECISION,
  current_ratio   DOUBLE PRECISION,
  source          TEXT NOT NULL,
  PRIMARY KEY (symbol, as_of)
);

CREATE TABLE IF NOT EXISTS ingest_runs (
  run_date        DATE PRIMARY KEY,
  provider        TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('completed', 'no_trading_data', 'failed')),
  symbols         INTEGER NOT NULL,
  rows_stored     INTEGER NOT NULL,
  rejected_ticks  INTEGER NOT NULL,
  quality_score   DOUBLE PRECISION,
  stale_symbols   JSONB NOT NULL DEFAULT '[]'::jsonb,
  failed_symbols  JSONB NOT NULL DEFAULT '[]'::jsonb,
  parquet_key     TEXT,
  report_key      TEXT,
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
