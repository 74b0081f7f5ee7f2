/**
 * Runs of registered model versions (`model_runs`) and their signals
 * (`model_signals`), and the performance test's results
 * (`model_performance`, `performance_reports`). One run per (model version,
 * date): a re-run reuses the row. A run's signals and its `completed` status
 * are written in one transaction, and a failed run has its signals removed
 * in the same transaction that marks it failed, so a run is never
 * half-written. A day's performance rows and its report row are written in
 * one transaction too.
 */
import type { JudgedSignal, ModelPerformance, RankedModel } from '../../domain/model-performance';
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

export interface PerformanceReportRow {
  date: string;
  score: string;
  rankings: RankedModel[];
  topPerformers: string[];
  underperformers: { model: string; reason: string }[];
  alerts: string[];
  chartKey: string | null;
}

/** Extra performance-test functions, on the same tables. */
export function createModelPerformanceRepo(db: Db) {
  return {
    /** Signals of completed runs of each model version with run dates in [from, to], by model id. */
    async signalsBetween(modelIds: readonly number[], from: string, to: string): Promise<Map<number, JudgedSignal[]>> {
      const r = await db.query(
        `SELECT r.model_id, to_char(r.run_date, 'YYYY-MM-DD') AS run_date, s.symbol, s.action, s.confidence
           FROM model_runs r JOIN model_signals s ON s.model_run_id = r.id
          WHERE r.status = 'completed' AND r.model_id = ANY($1::int[]) AND r.run_date BETWEEN $2::date AND $3::date
          ORDER BY r.model_id, r.run_date, s.symbol`,
        [modelIds, from, to],
      );
      const out = new Map<number, JudgedSignal[]>(modelIds.map((id) => [id, []]));
      for (const x of r.rows)
        out.get(Number(x.model_id))!.push({ runDate: x.run_date, symbol: x.symbol, action: x.action, confidence: Number(x.confidence) });
      return out;
    },

    /** Each version's Sharpe on its latest `n` evaluations before `date`, newest first. */
    async previousSharpes(modelIds: readonly number[], date: string, n: number): Promise<Map<number, (number | null)[]>> {
      const r = await db.query(
        `SELECT model_id, sharpe FROM (
           SELECT model_id, sharpe, date, row_number() OVER (PARTITION BY model_id ORDER BY date DESC) AS k
             FROM model_performance WHERE model_id = ANY($1::int[]) AND date < $2::date) x
          WHERE k <= $3 ORDER BY model_id, date DESC`,
        [modelIds, date, n],
      );
      const out = new Map<number, (number | null)[]>(modelIds.map((id) => [id, []]));
      for (const x of r.rows) out.get(Number(x.model_id))!.push(x.sharpe === null ? null : Number(x.sharpe));
      return out;
    },

    /** The day's performance of every version and its report, in one transaction (a re-run replaces both). */
    async storeEvaluation(
      date: string,
      rows: readonly { modelId: number; performance: ModelPerformance }[],
      report: PerformanceReportRow,
    ): Promise<void> {
      await inTransaction(db, async (c) => {
        for (const { modelId, performance: p } of rows)
          await c.query(
            `INSERT INTO model_performance (model_id, date, holding_period_days, total_return, mean_return, win_rate, sharpe, sortino, max_drawdown,
                                            hit_rate_by_confidence, avg_holding_days, signal_count)
             VALUES ($1, $2::date, $3::int, $4, $5, $6, $7, $8, $9, $10, $3::float8, $11)
             ON CONFLICT (model_id, date) DO UPDATE SET holding_period_days = EXCLUDED.holding_period_days, total_return = EXCLUDED.total_return,
               mean_return = EXCLUDED.mean_return, win_rate = EXCLUDED.win_rate, sharpe = EXCLUDED.sharpe, sortino = EXCLUDED.sortino,
               max_drawdown = EXCLUDED.max_drawdown, hit_rate_by_confidence = EXCLUDED.hit_rate_by_confidence,
               avg_holding_days = EXCLUDED.avg_holding_days, signal_count = EXCLUDED.signal_count`,
            [
              modelId,
              date,
              p.holdingDays,
              p.totalReturn,
              p.meanSignalReturn,
              p.winRate,
              p.sharpe,
              p.sortino,
              p.maxDrawdown,
              JSON.stringify(p.hitRateByConfidence),
              p.signalCount,
            ],
          );
        await c.query(
          `INSERT INTO performance_reports (report_date, score, rankings, top_performers, underperformers, alerts, chart_key)
           VALUES ($1::date, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (report_date) DO UPDATE SET score = EXCLUDED.score, rankings = EXCLUDED.rankings, top_performers = EXCLUDED.top_performers,
             underperformers = EXCLUDED.underperformers, alerts = EXCLUDED.alerts, chart_key = EXCLUDED.chart_key, created_at = now()`,
          [
            date,
            report.score,
            JSON.stringify(report.rankings),
            JSON.stringify(report.topPerformers),
            JSON.stringify(report.underperformers),
            JSON.stringify(report.alerts),
            report.chartKey,
          ],
        );
      });
    },

    /** The day's Sortino, win rate and mean signal return per version (what the ranking table leaves out), by model id. */
    async performanceOn(date: string): Promise<Map<number, { sortino: number | null; winRate: number | null; meanReturn: number | null }>> {
      const r = await db.query('SELECT model_id, sortino, win_rate, mean_return FROM model_performance WHERE date = $1::date', [date]);
      const num = (v: unknown) => (v === null ? null : Number(v));
      return new Map(
        r.rows.map((x) => [Number(x.model_id), { sortino: num(x.sortino), winRate: num(x.win_rate), meanReturn: num(x.mean_return) }]),
      );
    },

    async report(date?: string): Promise<PerformanceReportRow | null> {
      const r = await db.query(
        `SELECT to_char(report_date, 'YYYY-MM-DD') AS d, score, rankings, top_performers, underperformers, alerts, chart_key
           FROM performance_reports WHERE ($1::date IS NULL OR report_date = $1::date) ORDER BY report_date DESC LIMIT 1`,
        [date ?? null],
      );
      if (!r.rowCount) return null;
      const x = r.rows[0];
      return {
        date: x.d,
        score: x.score,
        rankings: x.rankings,
        topPerformers: x.top_performers,
        underperformers: x.underperformers,
        alerts: x.alerts,
        chartKey: x.chart_key,
      };
    },
  };
}

export type ModelRunRepo = ReturnType<typeof createModelRunRepo>;
export type ModelPerformanceRepo = ReturnType<typeof createModelPerformanceRepo>;
