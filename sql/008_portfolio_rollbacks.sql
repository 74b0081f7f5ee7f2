-- `quant portfolio rollback --to DATE --yes`: each rollback of the paper book
-- (trades, dividends, snapshots and rebalancing runs after DATE removed,
-- positions restored from the snapshot of DATE or before) is logged here in
-- the same transaction, with what it removed.
CREATE TABLE IF NOT EXISTS portfolio_rollbacks (
  id              BIGSERIAL PRIMARY KEY,
  to_date         DATE NOT NULL,
  restored_from   DATE,
  trades          INTEGER NOT NULL,
  dividends       INTEGER NOT NULL,
  snapshots       INTEGER NOT NULL,
  runs            INTEGER NOT NULL,
  -- the run dates removed, e.g. ["2027-06-01"]
  removed_dates   JSONB NOT NULL DEFAULT '[]'::jsonb,
  rolled_back_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
