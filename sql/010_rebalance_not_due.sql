-- WF4 trades only on the first trading day of each rebalance period (REBALANCE_FREQUENCY); the other
-- days are recorded with outcome 'not_due' (dividends booked, positions marked, nothing traded).
ALTER TABLE rebalancing_runs DROP CONSTRAINT IF EXISTS rebalancing_runs_outcome_check;
ALTER TABLE rebalancing_runs ADD CONSTRAINT rebalancing_runs_outcome_check
  CHECK (outcome IN ('traded', 'no_signals', 'no_trades', 'capital_too_small', 'not_due'));
