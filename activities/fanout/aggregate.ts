/**
 * `aggregateRun`: portfolio P&L, Sharpe, win rate, equity curve and contract
 * comparison over a finished run. Reads each result file through the fan-out
 * tables adapter, accumulates in src/domain/fanout-portfolio.ts, writes the
 * two Parquet tables, the report and the aggregate row.
 */
import { layout } from '../../src/adapters/layout';
import { objectStoreAsyncBuffer } from '../../src/adapters/parquet';
import { contractComparisonParquet, equityCurveParquet, readContractResultSignals } from '../../src/adapters/tables/fanout';
import { PortfolioAccumulator, type PortfolioSummary } from '../../src/domain/fanout-portfolio';
import { renderPortfolioReport } from '../../src/reports/fanout-report';
import { asActivityFailure, invalidInput } from '../support/failures';
import { checkpoint } from '../support/heartbeat';
import type { FanoutDeps } from './deps';

export interface AggregateRunInput {
  runKey: string;
  outputPrefix: string;
}

/** The portfolio's headline figures and where its equity curve and report are. */
export type AggregateResult = Pick<PortfolioSummary, 'contracts' | 'bars' | 'totalPnlPct' | 'sharpe' | 'winRate'> & {
  runKey: string;
  equityKey: string;
  reportKey: string;
};

export function createAggregateActivities({ store, repo }: FanoutDeps) {
  return {
    /** Portfolio P&L, Sharpe, win rate, equity curve and contract comparison over a finished run. */
    async aggregateRun(input: AggregateRunInput): Promise<AggregateResult> {
      return asActivityFailure(async () => {
        const run = await repo.getRun(input.runKey);
        if (!run) throw invalidInput(`no fan-out run with run key "${input.runKey}"`);
        const rows = await repo.listResults(input.runKey);
        if (rows.length === 0) throw invalidInput(`run "${input.runKey}" has no contract results to aggregate`);
        let acc: PortfolioAccumulator | undefined;
        let timestamps: ArrayLike<number> = [];
        for (const [i, row] of rows.entries()) {
          // The first contract also supplies the run's bar times (all contracts share them).
          const r = await readContractResultSignals(await objectStoreAsyncBuffer(store, row.resultKey), { timestamps: i === 0 });
          if (r.timestamps) timestamps = r.timestamps;
          acc ??= new PortfolioAccumulator(r.signal.length);
          acc.add(r.signal, r.changePct, row.goodTrades, row.badTrades);
          if (i % 20 === 0) checkpoint({ contracts: i + 1 });
        }
        const p = acc!.finish();
        const equityKey = layout.fanoutEquity(input.outputPrefix, input.runKey);
        await store.put(equityKey, equityCurveParquet(timestamps, p));
        await store.put(layout.fanoutComparison(input.outputPrefix, input.runKey), contractComparisonParquet(rows));
        const reportKey = layout.report('aggregatePortfolio', run.startedAt, input.runKey);
        const report = renderPortfolioReport({ ...p, runKey: input.runKey, equityKey, results: rows });
        await store.put(reportKey, report, { contentType: 'text/markdown' });
        const { contracts, bars, totalPnlPct, sharpe, winRate } = p;
        const result = { runKey: input.runKey, contracts, bars, totalPnlPct, sharpe, winRate, equityKey, reportKey };
        await repo.upsertAggregate(result);
        return result;
      });
    },
  };
}
