-- The real-time execution service (quant api). Kept apart from the daily
-- pipeline's paper book (positions, paper_trades): a strategy's orders go to a
-- broker (the local paper venue or Alpaca) and are mirrored here.
--
-- Exactly once: a signal is stored with its idempotency key (UNIQUE) and its
-- order with the client order id the broker receives (UNIQUE), both before the
-- API answers "executed"; a repeat of the key finds the stored order.

CREATE TABLE IF NOT EXISTS strategy_config (
  name                  TEXT PRIMARY KEY,
  enabled               BOOLEAN NOT NULL DEFAULT true,
  confidence_threshold  DOUBLE PRECISION NOT NULL CHECK (confidence_threshold >= 0 AND confidence_threshold <= 1),
  -- dollars; the position a signal without a quantity may open at most
  max_position_size     DOUBLE PRECISION NOT NULL CHECK (max_position_size > 0),
  -- per-strategy overrides of the global risk limits (fractions), null = global
  stop_loss_pct         DOUBLE PRECISION CHECK (stop_loss_pct > 0 AND stop_loss_pct < 1),
  max_single_position   DOUBLE PRECISION CHECK (max_single_position > 0 AND max_single_position <= 1),
  updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS trading_signals (
  id                BIGSERIAL PRIMARY KEY,
  idempotency_key   TEXT NOT NULL UNIQUE,
  strategy_id       TEXT NOT NULL,
  symbol            TEXT NOT NULL,
  action            TEXT NOT NULL CHECK (action IN ('BUY', 'SELL', 'HOLD')),
  quantity          INTEGER,
  price_target      DOUBLE PRECISION,
  stop_loss         DOUBLE PRECISION,
  take_profit       DOUBLE PRECISION,
  confidence        DOUBLE PRECISION NOT NULL,
  signal_ts         TIMESTAMPTZ NOT NULL,
  metadata          JSONB NOT NULL DEFAULT '{}'::jsonb,
  -- 'executed' (an order exists), 'rejected' (a risk rule said no), 'held' (HOLD: recorded, no order)
  outcome           TEXT NOT NULL CHECK (outcome IN ('executed', 'rejected', 'held')),
  received_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS trading_signals_strategy_idx ON trading_signals (strategy_id, received_at);

CREATE TABLE IF NOT EXISTS trading_orders (
  id                BIGSERIAL PRIMARY KEY,
  signal_id         BIGINT REFERENCES trading_signals (id),
  client_order_id   TEXT NOT NULL UNIQUE,
  broker            TEXT NOT NULL,
  -- null until the broker acknowledged the order
  broker_order_id   TEXT UNIQUE,
  strategy_id       TEXT NOT NULL,
  symbol            TEXT NOT NULL,
  side              TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  qty               INTEGER NOT NULL CHECK (qty > 0),
  order_type        TEXT NOT NULL CHECK (order_type IN ('market', 'limit')),
  limit_price       DOUBLE PRECISION,
  stop_loss         DOUBLE PRECISION,
  take_profit       DOUBLE PRECISION,
  status            TEXT NOT NULL,
  filled_qty        INTEGER NOT NULL DEFAULT 0,
  filled_avg_price  DOUBLE PRECISION,
  submitted_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS trading_orders_status_idx ON trading_orders (status);
CREATE INDEX IF NOT EXISTS trading_orders_symbol_idx ON trading_orders (symbol, submitted_at);

CREATE TABLE IF NOT EXISTS order_fills (
  -- the venue's execution id (Alpaca's trade update id, the paper venue's fill id)
  execution_id      TEXT PRIMARY KEY,
  order_id          BIGINT NOT NULL REFERENCES trading_orders (id),
  symbol            TEXT NOT NULL,
  side              TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  qty               INTEGER NOT NULL CHECK (qty > 0),
  price             DOUBLE PRECISION NOT NULL CHECK (price > 0),
  filled_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS broker_positions (
  broker            TEXT NOT NULL,
  symbol            TEXT NOT NULL,
  -- signed: negative for a short
  qty               INTEGER NOT NULL,
  avg_entry_price   DOUBLE PRECISION NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (broker, symbol)
);

CREATE TABLE IF NOT EXISTS risk_violations (
  id                BIGSERIAL PRIMARY KEY,
  signal_id         BIGINT REFERENCES trading_signals (id),
  strategy_id       TEXT NOT NULL,
  symbol            TEXT NOT NULL,
  rule              TEXT NOT NULL,
  reason            TEXT NOT NULL,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS risk_violations_rule_idx ON risk_violations (rule, created_at);

CREATE TABLE IF NOT EXISTS execution_metrics (
  id                BIGSERIAL PRIMARY KEY,
  signal_id         BIGINT REFERENCES trading_signals (id),
  strategy_id       TEXT NOT NULL,
  outcome           TEXT NOT NULL,
  latency_ms        DOUBLE PRECISION NOT NULL,
  recorded_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS api_keys (
  id                BIGSERIAL PRIMARY KEY,
  name              TEXT NOT NULL,
  -- 'read' (GET endpoints and /ws) or 'trade' (everything)
  role              TEXT NOT NULL CHECK (role IN ('read', 'trade')),
  -- the first 8 characters of the key, to find its row; the key itself is never stored
  prefix            TEXT NOT NULL UNIQUE,
  -- scrypt hash of the whole key, compared in constant time
  key_hash          TEXT NOT NULL,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  revoked_at        TIMESTAMPTZ
);

-- The trading halt: set by hand (quant api halt), by reconciliation when it
-- finds a gap it cannot explain (fail closed), or by the strategies' risk workflow.
CREATE TABLE IF NOT EXISTS trading_state (
  id                BOOLEAN PRIMARY KEY DEFAULT true CHECK (id),
  halted            BOOLEAN NOT NULL DEFAULT false,
  halt_reason       TEXT,
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO trading_state (id, halted) VALUES (true, false) ON CONFLICT (id) DO NOTHING;

-- Correlations of daily returns between symbols (last 60 sessions), refreshed
-- by the risk-analysis workflow and read by the API's risk cache.
CREATE TABLE IF NOT EXISTS symbol_correlations (
  symbol_a          TEXT NOT NULL,
  symbol_b          TEXT NOT NULL,
  correlation       DOUBLE PRECISION NOT NULL,
  observations      INTEGER NOT NULL,
  as_of             DATE NOT NULL,
  PRIMARY KEY (symbol_a, symbol_b)
);

-- The seed's strategies and their thresholds.
INSERT INTO strategy_config (name, enabled, confidence_threshold, max_position_size)
VALUES ('moving_average_crossover', true, 0.75, 10000), ('ml_strategy', true, 0.80, 10000)
ON CONFLICT (name) DO NOTHING;
