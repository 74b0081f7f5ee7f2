-- The strategies' book (issue 14): what the hourly risk check found and what
-- each trading day came to, per book. A book is a venue name as in
-- trading_orders.broker: 'paper' / 'alpaca' for the service's own account,
-- 'paper:<account>' for the strategies' own paper account, and
-- 'replay:<date>[:<tag>]' for a replayed day (its own paper account, so a
-- replay never touches a live book). Positions and P&L are not stored here:
-- they are rebuilt from order_fills (one source of truth).

CREATE TABLE IF NOT EXISTS book_risk_checks (
  id                BIGSERIAL PRIMARY KEY,
  book              TEXT NOT NULL,
  checked_at        TIMESTAMPTZ NOT NULL,
  equity            DOUBLE PRECISION NOT NULL,
  metrics           JSONB NOT NULL,
  violations        JSONB NOT NULL,
  -- proposed, not placed (unless PORTFOLIO_RISK_PLACE_MITIGATIONS is on)
  mitigations       JSONB NOT NULL,
  critical          BOOLEAN NOT NULL,
  halted            BOOLEAN NOT NULL,
  report_key        TEXT,
  -- one check per book and instant: a retried or re-run check replaces its row
  UNIQUE (book, checked_at)
);

CREATE TABLE IF NOT EXISTS strategy_day_results (
  book              TEXT NOT NULL,
  session_date      DATE NOT NULL,
  -- '*' is the book's total
  strategy          TEXT NOT NULL,
  pnl               DOUBLE PRECISION NOT NULL,
  orders            INTEGER NOT NULL,
  filled_orders     INTEGER NOT NULL,
  rejected_orders   INTEGER NOT NULL,
  round_trips       INTEGER NOT NULL,
  success_rate      DOUBLE PRECISION,
  sharpe            DOUBLE PRECISION,
  attribution       DOUBLE PRECISION,
  report_key        TEXT NOT NULL,
  computed_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (book, session_date, strategy)
);

-- How far a replayed day got: the cycles done, in order. A retry after a lost worker, or a re-run,
-- resumes at the next cycle (never earlier: the book's venue has already seen the later bars).
CREATE TABLE IF NOT EXISTS replay_progress (
  book              TEXT PRIMARY KEY,
  cycles_done       INTEGER NOT NULL CHECK (cycles_done >= 0),
  last_cycle_at     TIMESTAMPTZ NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
