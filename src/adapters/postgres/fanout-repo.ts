/**
 * Rows of the fan-out analysis: runs, per-contract results, aggregates.
 * Every write is an upsert on its natural key, so an activity retried after
 * a crash (or a whole run repeated under the same run key) writes nothing twice.
 */
import type { Db } from './pool';
import type { ContractLine } from '../../reports/fanout-report';

export interface FanoutRunStart {
  runKey: string;
  workflowId: string;
  dataset: string;
  datasetHash: string;
  configHash: string;
  numContracts: number;
}

export interface ContractResultRow extends ContractLine {
  runKey: string;
  resultKey: string;
  resultSha256: string;
}

export interface FanoutRunRow {
  runKey: string;
  workflowId: string;
  dataset: string;
  datasetHash: string;
  configHash: string;
  numContracts: number;
  status: string;
  validationStatus: string | null;
  succeeded: number;
  failed: number;
  failedContracts: string[];
  reportKey: string | null;
  /** Why a `failed` run stopped. */
  failureReason: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const finiteOrNull = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);

export function createFanoutRepo(db: Db) {
  return {
    /** Insert the run, or reset a repeated run of the same key to `running` (its results stay: they are upserted). */
    async startRun(r: FanoutRunStart): Promise<void> {
      await db.query(
        `INSERT INTO fanout_runs (run_key, workflow_id, dataset, dataset_hash, config_hash, num_contracts, status)
         VALUES ($1, $2, $3, $4, $5, $6, 'running')
         ON CONFLICT (run_key) DO UPDATE SET workflow_id = EXCLUDED.workflow_id, dataset = EXCLUDED.dataset,
           dataset_hash = EXCLUDED.dataset_hash, config_hash = EXCLUDED.config_hash,
           num_contracts = EXCLUDED.num_contracts, status = 'running', finished_at = NULL`,
        [r.runKey, r.workflowId, r.dataset, r.datasetHash, r.configHash, r.numContracts],
      );
    },

    async setValidation(runKey: string, status: 'PASS' | 'WARN' | 'FAIL'): Promise<void> {
      await db.query('UPDATE fanout_runs SET validation_status = $2 WHERE run_key = $1', [runKey, status]);
    },

    async upsertResult(r: ContractResultRow): Promise<void> {
      await db.query(
        `INSERT INTO fanout_results (run_key, contract, bars, total_trades, good_trades, bad_trades, success_rate,
           avg_beta, avg_vix, pnl_pct, result_key, result_sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (run_key, contract) DO UPDATE SET bars = EXCLUDED.bars, total_trades = EXCLUDED.total_trades,
           good_trades = EXCLUDED.good_trades, bad_trades = EXCLUDED.bad_trades, success_rate = EXCLUDED.success_rate,
           avg_beta = EXCLUDED.avg_beta, avg_vix = EXCLUDED.avg_vix, pnl_pct = EXCLUDED.pnl_pct,
           result_key = EXCLUDED.result_key, result_sha256 = EXCLUDED.result_sha256, updated_at = now()`,
        [
          r.runKey,
          r.contract,
          r.bars,
          r.totalTrades,
          r.goodTrades,
          r.badTrades,
          r.successRate,
          finiteOrNull(r.avgBeta),
          finiteOrNull(r.avgVix),
          r.pnlPct,
          r.resultKey,
          r.resultSha256,
        ],
      );
    },

    async finishRun(
      runKey: string,
      f: {
        status: 'completed' | 'partial' | 'failed';
        succeeded: number;
        failed: number;
        failedContracts: string[];
        reportKey: string | null;
        failureReason?: string | null;
      },
    ): Promise<void> {
      await db.query(
        `UPDATE fanout_runs SET status = $2, succeeded = $3, failed = $4, failed_contracts = $5::jsonb, report_key = $6, failure_reason = $7,
           finished_at = now()
         WHERE run_key = $1`,
        [runKey, f.status, f.succeeded, f.failed, JSON.stringify(f.failedContracts), f.reportKey, f.failureReason ?? null],
      );
    },

    async getRun(runKey: string): Promise<FanoutRunRow | undefined> {
      const r = await db.query(
        `SELECT run_key, workflow_id, dataset, dataset_hash, config_hash, num_contracts, status, validation_status,
                succeeded, failed, failed_contracts, report_key, failure_reason, started_at, finished_at
         FROM fanout_runs WHERE run_key = $1`,
        [runKey],
      );
      return r.rows[0] ? toRunRow(r.rows[0]) : undefined;
    },

    async listRuns(limit = 20): Promise<FanoutRunRow[]> {
      const r = await db.query(
        `SELECT run_key, workflow_id, dataset, dataset_hash, config_hash, num_contracts, status, validation_status,
                succeeded, failed, failed_contracts, report_key, failure_reason, started_at, finished_at
         FROM fanout_runs ORDER BY started_at DESC LIMIT $1`,
        [limit],
      );
      return r.rows.map(toRunRow);
    },

    async listResults(runKey: string): Promise<ContractResultRow[]> {
      const r = await db.query(
        `SELECT run_key, contract, bars, total_trades, good_trades, bad_trades, success_rate, avg_beta, avg_vix, pnl_pct,
                result_key, result_sha256 FROM fanout_results WHERE run_key = $1 ORDER BY contract`,
        [runKey],
      );
      return r.rows.map((x) => ({
        runKey: x.run_key,
        contract: x.contract,
        bars: x.bars,
        totalTrades: x.total_trades,
        goodTrades: x.good_trades,
        badTrades: x.bad_trades,
        successRate: x.success_rate,
        avgBeta: x.avg_beta,
        avgVix: x.avg_vix,
        pnlPct: x.pnl_pct,
        resultKey: x.result_key,
        resultSha256: x.result_sha256,
      }));
    },

    async countResults(runKey: string): Promise<number> {
      const r = await db.query('SELECT count(*)::int AS n FROM fanout_results WHERE run_key = $1', [runKey]);
      return r.rows[0].n as number;
    },

    async upsertAggregate(a: {
      runKey: string;
      contracts: number;
      totalPnlPct: number;
      sharpe: number | null;
      winRate: number | null;
      equityKey: string;
      reportKey: string;
    }): Promise<void> {
      await db.query(
        `INSERT INTO fanout_aggregates (run_key, contracts, total_pnl_pct, sharpe, win_rate, equity_key, report_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (run_key) DO UPDATE SET contracts = EXCLUDED.contracts, total_pnl_pct = EXCLUDED.total_pnl_pct,
           sharpe = EXCLUDED.sharpe, win_rate = EXCLUDED.win_rate, equity_key = EXCLUDED.equity_key,
           report_key = EXCLUDED.report_key, updated_at = now()`,
        [a.runKey, a.contracts, a.totalPnlPct, a.sharpe, a.winRate, a.equityKey, a.reportKey],
      );
    },
  };
}

export type FanoutRepo = ReturnType<typeof createFanoutRepo>;

function toRunRow(x: Record<string, any>): FanoutRunRow {
  return {
    runKey: x.run_key,
    workflowId: x.workflow_id,
    dataset: x.dataset,
    datasetHash: x.dataset_hash,
    configHash: x.config_hash,
    numContracts: x.num_contracts,
    status: x.status,
    validationStatus: x.validation_status,
    succeeded: x.succeeded,
    failed: x.failed,
    failedContracts: x.failed_contracts,
    reportKey: x.report_key,
    failureReason: x.failure_reason ?? null,
    startedAt: x.started_at,
    finishedAt: x.finished_at,
  };
}
