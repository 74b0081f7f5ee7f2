/**
 * Activities of the on-demand `riskAnalysis` workflow: refresh
 * symbol_correlations from the last 60 daily returns in market_data (pure
 * computation in src/domain/correlations.ts), then stress the broker's
 * positions (src/domain/stress.ts) and write the markdown report
 * (src/reports/risk-report.ts). Both are idempotent: an upsert on the pair,
 * a report key derived from the date.
 */
import { layout } from '../../src/adapters/layout';
import { createRiskStore } from '../../src/adapters/trading/risk-store';
import { dailyReturns, pairCorrelations } from '../../src/domain/correlations';
import { marketShock, runStress, worstDayScenario, type StressResult } from '../../src/domain/stress';
import { renderRiskReport } from '../../src/reports/risk-report';
import { heartbeat } from '../support/heartbeat';
import { asActivityFailure } from '../support/failures';
import { parseIsoDate } from '../../src/domain/dates';
import type { TradingDeps } from './deps';

export interface RefreshCorrelationsInput {
  /** YYYY-MM-DD: the last session the returns may use. */
  asOf: string;
  /** Daily returns per pair. */
  window: number;
  /** Pairs with fewer shared returns are not written. */
  minObservations: number;
  /** Only these symbols; default every symbol with bars in the window. */
  symbols?: string[];
}

export interface RefreshCorrelationsResult {
  asOf: string;
  symbols: number;
  pairs: number;
}

export interface StressPositionsInput {
  asOf: string;
  window: number;
  /** Market shocks as returns (-0.1 = -10 %). */
  shocks: number[];
  maxCorrelation: number;
  pairsRefreshed: number;
}

export interface StressPositionsResult {
  reportKey: string;
  positions: number;
  equity: number;
  scenarios: Pick<StressResult, 'name' | 'pnl' | 'pnlPctOfEquity'>[];
  /** Held pairs whose correlation is above `maxCorrelation`. */
  correlatedPairs: number;
}

export const riskReportKey = (asOf: string) => layout.report('riskAnalysis', parseIsoDate(asOf), `risk-analysis-${asOf}`);

export function createRiskAnalysisActivities(deps: TradingDeps) {
  const risk = createRiskStore(deps.tradingDb);
  return {
    /** Recompute every pair's correlation over the last `window` returns and upsert symbol_correlations. */
    async refreshCorrelations(input: RefreshCorrelationsInput): Promise<RefreshCorrelationsResult> {
      return asActivityFailure(async () => {
        // Twice the window of sessions: a symbol with missing bars still reaches `window` returns shared with each other symbol.
        const closes = await risk.recentCloses(input.asOf, 2 * input.window + 1, input.symbols);
        heartbeat({ closes: closes.length });
        const pairs = pairCorrelations(closes, { window: input.window, minObservations: input.minObservations });
        heartbeat({ pairs: pairs.length });
        const written = await risk.upsertCorrelations(pairs, input.asOf);
        return { asOf: input.asOf, symbols: new Set(closes.map((c) => c.symbol)).size, pairs: written };
      });
    },

    /** Stress the broker's positions (market shocks and each symbol's worst day in the window) and write the report. */
    async stressPositions(input: StressPositionsInput): Promise<StressPositionsResult> {
      return asActivityFailure(async () => {
        const broker = await deps.broker();
        const [account, held] = await Promise.all([broker.getAccount(), broker.listPositions()]);
        const positions = held
          .map((p) => ({ symbol: p.symbol, qty: p.qty, price: p.currentPrice }))
          .sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
        const symbols = positions.map((p) => p.symbol);
        const [closes, correlations] = await Promise.all([
          symbols.length ? risk.recentCloses(input.asOf, input.window + 1, symbols) : Promise.resolve([]),
          risk.correlationsAmong(symbols),
        ]);
        const scenarios = runStress(positions, account.equity, [
          ...input.shocks.map(marketShock),
          worstDayScenario(dailyReturns(closes), `worst day of ${input.window}`),
        ]);
        const markdown = renderRiskReport({
          asOf: input.asOf,
          broker: broker.name,
          equity: account.equity,
          positions,
          scenarios,
          correlations,
          maxCorrelation: input.maxCorrelation,
          window: input.window,
          pairsRefreshed: input.pairsRefreshed,
        });
        const reportKey = riskReportKey(input.asOf);
        await deps.store.put(reportKey, markdown, { contentType: 'text/markdown' });
        return {
          reportKey,
          positions: positions.length,
          equity: account.equity,
          scenarios: scenarios.map((s) => ({ name: s.name, pnl: s.pnl, pnlPctOfEquity: s.pnlPctOfEquity })),
          correlatedPairs: correlations.filter((c) => Math.abs(c.correlation) > input.maxCorrelation).length,
        };
      });
    },
  };
}
