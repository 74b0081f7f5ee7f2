-- The local paper venue (src/adapters/broker/paper.ts): the simulated broker
-- the execution service trades against by default. Its book lives in memory;
-- every order change and fill is written here first, so a restart resumes the
-- same account: open orders rest again, positions and cash are rebuilt from
-- the fills (one source of truth, nothing to drift).
--
-- These are the venue's own records, like Alpaca's side of an account; the
-- service's mirror of them is trading_orders / order_fills (006).

CREATE TABLE IF NOT EXISTS paper_venue_accounts (
  account           TEXT PRIMARY KEY,
  starting_cash     DOUBLE PRECISION NOT NULL CHECK (starting_cash > 0),
  currency          TEXT NOT NULL DEFAULT 'USD',
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS paper_venue_orders (
  id                TEXT PRIMARY KEY,
  account           TEXT NOT NULL REFERENCES paper_venue_accounts (account),
  client_order_id   TEXT NOT NULL,
  symbol            TEXT NOT NULL,
  side              TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  qty               INTEGER NOT NULL CHECK (qty > 0),
  order_type        TEXT NOT NULL CHECK (order_type IN ('market', 'limit', 'stop')),
  limit_price       DOUBLE PRECISION,
  stop_price        DOUBLE PRECISION,
  time_in_force     TEXT NOT NULL CHECK (time_in_force IN ('day', 'gtc')),
  status            TEXT NOT NULL CHECK (status IN ('accepted', 'new', 'held', 'filled', 'canceled', 'expired', 'rejected')),
  filled_qty        INTEGER NOT NULL DEFAULT 0,
  filled_avg_price  DOUBLE PRECISION,
  -- a day order expires at this close
  expires_at        TIMESTAMPTZ,
  -- bracket legs point at their entry
  parent_id         TEXT REFERENCES paper_venue_orders (id),
  leg_role          TEXT CHECK (leg_role IN ('take_profit', 'stop_loss')),
  reject_reason     TEXT,
  submitted_at      TIMESTAMPTZ NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL,
  -- idempotency: one order per client order id and account
  UNIQUE (account, client_order_id)
);
CREATE INDEX IF NOT EXISTS paper_venue_orders_open_idx ON paper_venue_orders (account, status);

CREATE TABLE IF NOT EXISTS paper_venue_fills (
  execution_id      TEXT PRIMARY KEY,
  account           TEXT NOT NULL REFERENCES paper_venue_accounts (account),
  order_id          TEXT NOT NULL REFERENCES paper_venue_orders (id),
  symbol            TEXT NOT NULL,
  side              TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  qty               INTEGER NOT NULL CHECK (qty > 0),
  price             DOUBLE PRECISION NOT NULL CHECK (price > 0),
  fees              DOUBLE PRECISION NOT NULL CHECK (fees >= 0),
  filled_at         TIMESTAMPTZ NOT NULL,
  -- replay order when rebuilding positions and cash
  seq               BIGSERIAL
);
CREATE INDEX IF NOT EXISTS paper_venue_fills_account_idx ON paper_venue_fills (account, seq);
