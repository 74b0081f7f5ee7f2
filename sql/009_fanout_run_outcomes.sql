-- A fan-out run ends in one of three states: completed (every contract has its result), partial (some
-- contracts failed: `quant run orchestrator --retry-failed RUNKEY` reruns them) or failed (the run itself
-- stopped; failure_reason says why). No run row stays `running` after its workflow ended.
ALTER TABLE fanout_runs DROP CONSTRAINT IF EXISTS fanout_runs_status_check;
ALTER TABLE fanout_runs ADD CONSTRAINT fanout_runs_status_check CHECK (status IN ('running', 'completed', 'partial', 'failed'));
ALTER TABLE fanout_runs ADD COLUMN IF NOT EXISTS failure_reason TEXT;
