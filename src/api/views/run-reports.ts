/**
 * Which reports a listed run wrote, from the run tables of Postgres: each
 * daily step's row of its run date (ingest_runs, screening_runs, signal_runs,
 * rebalancing_runs, monitoring_runs, backtest_runs) and a fan-out run's
 * report and its portfolio aggregate's. The pipeline itself and the range
 * runs write none (their steps do, listed as runs of their own).
 */
import type { Db } from '../../adapters/postgres/pool';
import type { RunLine } from './run-list';

export interface RunReport {
  label: string;
  key: string;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What a daily step's report is called on the page, by workflow type. */
const DAILY_LABELS: Record<string, string> = {
  ingest: 'Ingest report',
  screen: 'Screening report',
  signal: 'Signal report',
  rebalance: 'Rebalance report',
  monitor: 'Monitor report',
  backtest: 'Backtest report',
};

/** `kind|workflow|run` -> the run's reports; lines without any are absent. */
export async function reportsOfRuns(db: Db, lines: readonly RunLine[]): Promise<Map<string, RunReport[]>> {
  const out = new Map<string, RunReport[]>();
  const add = (line: Pick<RunLine, 'kind' | 'workflow' | 'run'>, report: RunReport) => {
    const id = runReportId(line);
    (out.get(id) ?? out.set(id, []).get(id)!).push(report);
  };
  const days = [...new Set(lines.filter((l) => l.kind === 'daily' && l.workflow in DAILY_LABELS && ISO_DAY.test(l.run)).map((l) => l.run))];
  if (days.length) {
    // A backtest's row is keyed by its window; the latest written for the run date is the one its run wrote.
    const r = await db.query<{ workflow: string; run: string; report_key: string }>(
      `SELECT 'ingest' AS workflow, to_char(run_date, 'YYYY-MM-DD') AS run, report_key FROM ingest_runs WHERE run_date = ANY($1::date[]) AND report_key IS NOT NULL
       UNION ALL SELECT 'screen', to_char(run_date, 'YYYY-MM-DD'), report_key FROM screening_runs WHERE run_date = ANY($1::date[]) AND report_key IS NOT NULL
       UNION ALL SELECT 'signal', to_char(run_date, 'YYYY-MM-DD'), report_key FROM signal_runs WHERE run_date = ANY($1::date[]) AND report_key IS NOT NULL
       UNION ALL SELECT 'rebalance', to_char(run_date, 'YYYY-MM-DD'), report_key FROM rebalancing_runs WHERE run_date = ANY($1::date[]) AND report_key IS NOT NULL
       UNION ALL SELECT 'monitor', to_char(run_date, 'YYYY-MM-DD'), report_key FROM monitoring_runs WHERE run_date = ANY($1::date[]) AND report_key IS NOT NULL
       UNION ALL (SELECT DISTINCT ON (run_date) 'backtest', to_char(run_date, 'YYYY-MM-DD'), report_key FROM backtest_runs
                   WHERE run_date = ANY($1::date[]) AND report_key IS NOT NULL ORDER BY run_date, updated_at DESC)`,
      [days],
    );
    for (const x of r.rows)
      add({ kind: 'daily', workflow: x.workflow, run: x.run }, { label: DAILY_LABELS[x.workflow], key: x.report_key });
  }
  const runKeys = lines.filter((l) => l.kind === 'fanout').map((l) => l.run);
  if (runKeys.length) {
    const r = await db.query<{ run_key: string; report_key: string | null; aggregate_key: string | null }>(
      `SELECT f.run_key, f.report_key, a.report_key AS aggregate_key
         FROM fanout_runs f LEFT JOIN fanout_aggregates a ON a.run_key = f.run_key WHERE f.run_key = ANY($1::text[])`,
      [runKeys],
    );
    for (const x of r.rows) {
      const line = { kind: 'fanout' as const, workflow: 'orchestrator', run: x.run_key };
      if (x.report_key) add(line, { label: 'Run report', key: x.report_key });
      if (x.aggregate_key) add(line, { label: 'Portfolio report', key: x.aggregate_key });
    }
  }
  return out;
}

/** The id `reportsOfRuns` keys a line's reports by. */
export const runReportId = (l: Pick<RunLine, 'kind' | 'workflow' | 'run'>): string => `${l.kind}|${l.workflow}|${l.run}`;
