/**
 * Runs of registered model versions (`model_runs`) and their signals
 * (`model_signals`). One run per (model version, date): a re-run reuses the
 * row. A run's signals and its `completed` status are written in one
 * transaction, and a failed run has its signals removed in the same
 * transaction that marks it failed, so a run is never half-written.
 */
import type { ModelSignal } from '../../domain/model-strategies';
import { inTransaction, type Db } from './pool';

export interface ActiveModel {
  id: number;
  name: string;
  version: number;
  kind: string;
  config: Record<string, unknown>;
}

export interface RunTimings {
  loadMs: number;
  runMs: number;
  storeMs?: number;
}

export function createModelRunRepo(db: Db) {
  return {
    /** Active model versions, by name then version. */
    async activeModels(): Promise<ActiveModel[]> {
      const r = await db.query(`SELECT id, name, version, kind, config FROM models WHERE status = 'active' ORDER BY name, version`);
      return r.rows.map((x) => ({ id: Number(x.id), name: x.name, version: Number(x.version), kind: x.kind, config: x.config }));
    },

    async model(id: number): Promise<ActiveModel & { status: string }> {
      const r = await db.query('SELECT id, name, version, kind, config, status FROM models WHERE id = $1', [id]);
      if (!r.rowCount) throw new Error(`no model version with id ${id}`);
      const x = r.rows[0];
      return { id: Number(x.id), name: x.name, version: Number(x.version), kind: x.kind, config: x.config, status: x.status };
    },

    /** Mark (model, date) running under `workflowId`; the run's id. */
    async startRun(modelId: number, date: string, workflowId: string): Promise<number> {
      const r = await db.query<{ id: string }>(
        `INSERT INTO model_runs (model_id, run_date, status, workflow_id) VALUES ($1, $2::date, 'running', $3)
         ON CONFLICT (model_id, run_date) DO UPDATE SET status = 'running', workflow_id = EXCLUDED.workflow_id, started_at = now(),
           finished_at = NULL, error = NULL, load_ms = NULL, run_ms = NULL, store_ms = NULL
         RETURNING id`,
        [modelId, date, workflowId],
      );
      return Number(r.rows[0].id);
    },

    /** Replace the run's signals and mark it completed, in one transaction. */
    async completeRun(runId: number, modelId: number, signals: readonly ModelSignal[], timings: RunTimings): Promise<void> {
      const started = performance.now();
      await inTransaction(db, async (c) => {
        await c.query('DELETE FROM model_signals WHERE model_run_id = $1', [runId]);
        if (signals.length)
          await c.query(
            `INSERT INTO model_signals (model_run_id, model_id, symbol, action, confidence, expected_return, position_size, stop_loss, risk_metrics)
             SELECT $1, $2, s, a, c, e, p, l, m
               FROM unnest($3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::jsonb[]) AS t(s, a, c, e, p, l, m)`,
            [
              runId,
              modelId,
              signals.map((s) => s.symbol),
              signals.map((s) => s.action),
              signals.map((s) => s.confidence),
              signals.map((s) => s.expectedReturn),
              signals.map((s) => s.positionSize),
              signals.map((s) => s.stopLoss),
              signals.map((s) => JSON.stringify(s.riskMetrics)),
            ],
          );
        await c.query(
          `UPDATE model_runs SET status = 'completed', finished_at = now(), load_ms = $2, run_ms = $3, store_ms = $4, signal_count = $5, error = NULL
            WHERE id = $1`,
          [
            runId,
            Math.round(timings.loadMs),
            Math.round(timings.runMs),
            Math.round(timings.storeMs ?? performance.now() - started),
            signals.length,
          ],
        );
      });
    },

    /** Mark the run failed with `error`, leaving no signals. */
    async failRun(runId: number, error: string): Promise<void> {
      await inTransaction(db, async (c) => {
        await c.query('DELETE FROM model_signals WHERE model_run_id = $1', [runId]);
        await c.query(`UPDATE model_runs SET status = 'failed', finished_at = now(), error = $2, signal_count = 0 WHERE id = $1`, [
          runId,
          error,
        ]);
      });
    },
  };
}

export type ModelRunRepo = ReturnType<typeof createModelRunRepo>;
