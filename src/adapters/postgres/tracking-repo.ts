/**
 * `experiment_tracking`: what the pipelines sent to the experiment tracker,
 * one row per tracked run key (UPSERT: a re-run of the same thing updates its
 * row), `logged` with the tracker's run id and link or `skipped` with why.
 */
import type { Db } from './pool';

export type TrackingKind = 'model_run' | 'performance' | 'backtest' | 'model_versions';

export interface TrackingRecord {
  runKey: string;
  kind: TrackingKind;
  experiment: string;
  status: 'logged' | 'skipped';
  trackerRunId: string | null;
  url: string | null;
  reason: string | null;
  attempts: number;
  workflowId: string | null;
}

export function createTrackingRepo(db: Db) {
  return {
    async record(rows: readonly TrackingRecord[]): Promise<void> {
      if (rows.length === 0) return;
      await db.query(
        `INSERT INTO experiment_tracking (run_key, kind, experiment, status, tracker_run_id, url, reason, attempts, workflow_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[])
         ON CONFLICT (run_key) DO UPDATE SET kind = EXCLUDED.kind, experiment = EXCLUDED.experiment, status = EXCLUDED.status,
           tracker_run_id = EXCLUDED.tracker_run_id, url = EXCLUDED.url, reason = EXCLUDED.reason, attempts = EXCLUDED.attempts,
           workflow_id = EXCLUDED.workflow_id, updated_at = now()`,
        [
          rows.map((r) => r.runKey),
          rows.map((r) => r.kind),
          rows.map((r) => r.experiment),
          rows.map((r) => r.status),
          rows.map((r) => r.trackerRunId),
          rows.map((r) => r.url),
          rows.map((r) => r.reason),
          rows.map((r) => r.attempts),
          rows.map((r) => r.workflowId),
        ],
      );
    },

    /** Rows whose key starts with `prefix` (e.g. `performance:2024-03-01:`), by key. */
    async find(prefix: string): Promise<TrackingRecord[]> {
      const r = await db.query(
        `SELECT run_key, kind, experiment, status, tracker_run_id, url, reason, attempts, workflow_id
           FROM experiment_tracking WHERE starts_with(run_key, $1) ORDER BY run_key`,
        [prefix],
      );
      return r.rows.map((x) => ({
        runKey: x.run_key,
        kind: x.kind,
        experiment: x.experiment,
        status: x.status,
        trackerRunId: x.tracker_run_id,
        url: x.url,
        reason: x.reason,
        attempts: Number(x.attempts),
        workflowId: x.workflow_id,
      }));
    },
  };
}

export type TrackingRepo = ReturnType<typeof createTrackingRepo>;
