-- What was sent to the experiment tracker (MLflow), one row per tracked run
-- (a model run, one model's performance test of a date, a backtest, the sync
-- of the registry's versions): `logged` with the tracker's run id and link, or
-- `skipped` with the reason when the tracker stayed unreachable through the
-- logging step's retries (tracking never fails a pipeline). Nothing is written
-- while tracking is off.
CREATE TABLE experiment_tracking (
  run_key TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('model_run', 'performance', 'backtest', 'model_versions')),
  experiment TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('logged', 'skipped')),
  tracker_run_id TEXT,
  url TEXT,
  reason TEXT,
  attempts INTEGER NOT NULL CHECK (attempts > 0),
  workflow_id TEXT,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK ((status = 'logged') = (reason IS NULL))
);
CREATE INDEX experiment_tracking_kind ON experiment_tracking (kind, updated_at DESC);
