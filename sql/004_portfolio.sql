-- Daily pipeline, WF4 rebalance and paper trading. A run is keyed by its
-- date; `rebalancing_runs.status = 'executed'` is written in the same
-- transaction as its trades, positions and snapshot, so a rebalance for one
-- date trades once however often it runs. Trades are additionally UNIQUE on
-- (run_date, symbol, side); dividends on (symbol, ex_date).

CREATE TABLE IF NOT EXISTS rebalancing_runs (
  run_date          DATE PRIMARY KEY,
  -- 'planned' after orders are generated; 'executed' once trades, positions
  -- and the snapshot of the date are committed (a run is never executed twice).
  status            TEXT NOT NULL CHECK (status IN ('planned', 'executed')),
  outcome           TEXT NOT NULL CHECK (outcome IN ('traded', 'no_signals', 'no_trades', 'capital_too_small')),
  signals_used      INTEGER NOT NULL DEFAULT 0,
  target_weights    JSONB NOT NULL DEFAULT '{}'::jsonb,
  orders            INTEGER NOT NULL DEFAULT 0,
  cash_before       DOUBLE PRECISION NOT NULL,
  cash_after        DOUBLE PRECISION,
  infeasible        BOOLEAN NOT NULL DEFAULT false,
  infeasible_reason TEXT,
  -- e.g. held symbols without a price on the date (kept at their last price)
  flags             JSONB NOT NULL DEFAULT '[]'::jsonb,
  costs             DOUBLE PRECISION NOT NULL DEFAULT 0,
  dividends         DOUBLE PRECISION NOT NULL DEFAULT 0,
  target_weights_key TEXT,
  trade_orders_key  TEXT,
  report_key        TEXT,
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS positions (
  symbol           TEXT PRIMARY KEY,
  shares           DOUBLE PRECISION NOT NULL CHECK (shares >= 0),
  avg_cost         DOUBLE PRECISION NOT NULL,
  last_price       DOUBLE PRECISION NOT NULL,
  last_price_date  DATE NOT NULL,
  sector           TEXT,
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS trades (
  id            BIGSERIAL PRIMARY KEY,
  run_date      DATE NOT NULL,
  symbol        TEXT NOT NULL,
  side          TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  shares        DOUBLE PRECISION NOT NULL CHECK (shares > 0),
  price         DOUBLE PRECISION NOT NULL CHECK (price > 0),
  gross         DOUBLE PRECISION NOT NULL,
  commission    DOUBLE PRECISION NOT NULL,
  spread_cost   DOUBLE PRECISION NOT NULL,
  exchange_fee  DOUBLE PRECISION NOT NULL,
  impact        DOUBLE PRECISION NOT NULL,
  total_cost    DOUBLE PRECISION NOT NULL,
  executed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT trades_run_symbol_side UNIQUE (run_date, symbol, side)
);
CREATE INDEX IF NOT EXISTS trades_run_date ON trades (run_date);

CREATE TABLE IF NOT EXISTS dividends (
  id                 BIGSERIAL PRIMARY KEY,
  symbol             TEXT NOT NULL,
  ex_date            DATE NOT NULL,
  amount_per_share   DOUBLE PRECISION NOT NULL,
  shares             DOUBLE PRECISION NOT NULL,
  cash               DOUBLE PRECISION NOT NULL,
  reinvested_shares  DOUBLE PRECISION NOT NULL DEFAULT 0,
  run_date           DATE NOT NULL,
  recorded_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT dividends_symbol_ex_date UNIQUE (symbol, ex_date)
);

CREATE TABLE IF NOT EXISTS portfolio_snapshots (
  snapshot_date    DATE PRIMARY KEY,
  cash             DOUBLE PRECISION NOT NULL,
  positions_value  DOUBLE PRECISION NOT NULL,
  total_value      DOUBLE PRECISION NOT NULL,
  costs_paid_cum   DOUBLE PRECISION NOT NULL DEFAULT 0,
  dividends_cum    DOUBLE PRECISION NOT NULL DEFAULT 0,
  -- [{symbol, shares, avgCost, price, priceDate, marketValue, sector, stale}]
  positions        JSONB NOT NULL DEFAULT '[]'::jsonb,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
