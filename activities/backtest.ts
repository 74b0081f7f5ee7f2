/**
 * Activities of WF6 `backtest`: resolve the window and parameters, load the
 * historical signals (WF3's `signal_results`) and adjusted closes into one
 * claim-check object, simulate the signal portfolio and the equal-weight
 * buy-and-hold benchmark (two activities the workflow runs in parallel, on
 * the pure engine in src/domain/backtest.ts), then compare, UPSERT
 * `backtest_runs` on (start, end) with both curves, and write the report
 * with both curves in one SVG chart. Adjusted closes make both portfolios
 * total-return (dividends reinvested) on the same footing.
 */
import { layout } from '../src/adapters/layout';
import type { ObjectStore } from '../src/adapters/object-store/types';
import type { BacktestRepo, BacktestCurve } from '../src/adapters/postgres/backtest-repo';
import {
  backtestMetrics,
  compareBacktests,
  simulateBuyAndHold,
  simulateSignalPortfolio,
  type BacktestComparison,
  type BacktestMetrics,
  type SignalDay,
  type SimulationResult,
} from '../src/domain/backtest';
import {
  checkBacktestParams,
  closeMatrix,
  earliestSignalDay,
  equityOn,
  marketOf,
  signalDaysOf,
  type BacktestParamsInput,
  type CloseMatrix,
  type ResolvedBacktestParams,
} from '../src/domain/backtest-inputs';
import type { RebalancePolicy } from '../src/domain/rebalance-policy';
import { tradingSeries } from '../src/domain/turnover';
import { renderBacktestReport, renderNoSignalsBacktestReport } from '../src/reports/backtest-report';
import { renderEquityChart } from '../src/reports/svg-chart';
import { addDays, parseIsoDate } from '../src/domain/dates';
import { getJson, putJson } from './support/claim-check';
import { withDbFailures } from './support/db-failures';
import { asActivityFailure } from './support/failures';
import { ApplicationFailure } from '@temporalio/common';
import { errorMessage } from '../src/domain/errors';

const errText = (err: unknown) => `${err instanceof Error ? err.name : 'Error'}: ${errorMessage(err)}`;

export interface BacktestDeps {
  store: ObjectStore;
  backtests: BacktestRepo;
  backtestSettings: {
    lookbackDays: number;
    initialCapital: number;
    minTradeValue: number;
    riskFreeRate: number;
    rebalance: RebalancePolicy;
  };
}

/** What finishBacktest did: the comparison, and which writes failed (keys null, markdown inline). */
export interface FinishedBacktest {
  comparison: BacktestComparison | null;
  /** null when the report could not be written (then `markdown` holds it). */
  reportKey: string | null;
  chartKey: string | null;
  /** Whether the backtest_runs row was written. */
  stored: boolean;
  markdown: string | null;
  errors: string[];
}

export type ResolveBacktestResult =
  | { status: 'no_signals'; params: ResolvedBacktestParams; signalDates: 0 }
  | { status: 'ok'; params: ResolvedBacktestParams; signalDates: number };

export interface SimulationSummary {
  kind: 'signal' | 'benchmark';
  curveKey: string;
  points: number;
  trades: number;
  costs: number;
  finalValue: number | null;
  metrics: BacktestMetrics;
  notes: string[];
}

/** Calendar days of closes loaded before the first signal, so a symbol without a bar on that day still has its last close. */
const PRICE_WARMUP_DAYS = 10;

const tag = (p: { start: string; end: string }) => `${p.start}_${p.end}`;
const work = (p: ResolvedBacktestParams, name: string) => layout.dailyWork('backtest', parseIsoDate(p.end), `${tag(p)}/${name}`);
export const backtestKeys = (p: { date: string; start: string; end: string }) => ({
  reportKey: layout.report('backtest', parseIsoDate(p.date), `backtest-${tag(p)}`),
  chartKey: layout.reportAsset('backtest', parseIsoDate(p.date), `backtest-${tag(p)}-equity.svg`),
});

/** The claim-check object of one backtest: closes (JSON-safe, null = no bar) and the signals by date. */
interface BacktestData {
  market: CloseMatrix;
  signalDays: SignalDay[];
}

export function createBacktestActivities(deps: BacktestDeps) {
  const { store, backtests, backtestSettings: cfg } = deps;

  return {
    /** Window [start, end] (default: the lookback before the run date, starting at its first signal date), capital and costs. */
    async resolveBacktestParams(input: BacktestParamsInput): Promise<ResolveBacktestResult> {
      const { end, from, initialCapital, costModel } = await asActivityFailure(async () => checkBacktestParams(input, cfg));
      const dates = await backtests.signalDates(from, end);
      const params: ResolvedBacktestParams = {
        date: input.date,
        start: input.start ?? dates[0] ?? from,
        end,
        initialCapital,
        costModel,
        minTradeValue: cfg.minTradeValue,
        riskFreeRate: cfg.riskFreeRate,
        rebalance: cfg.rebalance,
      };
      return dates.length === 0 ? { status: 'no_signals', params, signalDates: 0 } : { status: 'ok', params, signalDates: dates.length };
    },

    /** Signals of [start, end] and the adjusted closes of every signalled symbol, as one claim-check object. */
    async loadBacktestData(input: {
      params: ResolvedBacktestParams;
    }): Promise<{ dataKey: string; signalDates: number; symbols: number; days: number }> {
      const p = input.params;
      const signals = await backtests.signalsBetween(p.start, p.end);
      const symbols = [...new Set(signals.map((s) => s.symbol))].sort();
      const market = closeMatrix(await backtests.closes(symbols, addDays(p.start, -PRICE_WARMUP_DAYS), p.end), symbols);
      const data: BacktestData = { market, signalDays: signalDaysOf(signals) };
      const dataKey = work(p, 'data.json');
      await putJson(store, dataKey, data);
      return { dataKey, signalDates: data.signalDays.length, symbols: symbols.length, days: market.dates.length };
    },

    /** One portfolio through the engine; the curve goes to the object store, the metrics come back. */
    async simulateBacktest(input: {
      kind: 'signal' | 'benchmark';
      params: ResolvedBacktestParams;
      dataKey: string;
    }): Promise<SimulationSummary> {
      const p = input.params;
      const data = await getJson<BacktestData>(store, input.dataKey);
      const market = marketOf(data.market);
      const bp = { initialCapital: p.initialCapital, costModel: p.costModel, minTradeValue: p.minTradeValue, rebalance: p.rebalance };
      const sim: SimulationResult =
        input.kind === 'signal'
          ? simulateSignalPortfolio(market, data.signalDays, bp)
          : simulateBuyAndHold(market, earliestSignalDay(data.signalDays), bp);
      const curveKey = work(p, `${input.kind}-curve.json`);
      await putJson(store, curveKey, sim);
      const m = backtestMetrics(sim.returns, p.riskFreeRate, 252, tradingSeries(sim));
      return {
        kind: input.kind,
        curveKey,
        points: sim.equity.length,
        trades: sim.trades,
        costs: sim.costs,
        finalValue: sim.equity.at(-1) ?? null,
        metrics: m,
        notes: sim.notes.slice(0, 10),
      };
    },

    /**
     * Compare, UPSERT backtest_runs on (start, end) with both curves, write the report and the two-curve SVG.
     * The writes are not fatal (seed 003: "DB and MinIO failures are non-fatal"): a failed write is listed in
     * `errors` and, when it was the report, the markdown comes back inline. A data error (a constraint the
     * row breaks) still fails: retrying or skipping cannot make the row right.
     */
    async finishBacktest(input: {
      params: ResolvedBacktestParams;
      signalDates: number;
      signalCurveKey: string | null;
      benchmarkCurveKey: string | null;
    }): Promise<FinishedBacktest> {
      const p = input.params;
      const keys = backtestKeys(p);
      const errors: string[] = [];
      const attempt = async (what: string, fn: () => Promise<unknown>): Promise<boolean> => {
        try {
          await fn();
          return true;
        } catch (err) {
          if (err instanceof ApplicationFailure && err.nonRetryable) throw err;
          errors.push(`${what} failed: ${errText(err)}`);
          return false;
        }
      };
      const upsert = (row: Parameters<BacktestRepo['upsertBacktestRun']>[0]) =>
        attempt(`backtest_runs upsert ${tag(p)}`, () =>
          withDbFailures(`storing backtest ${tag(p)}`, () => backtests.upsertBacktestRun(row)),
        );
      const putReport = (markdown: string) =>
        attempt(`writing ${keys.reportKey}`, () => store.put(keys.reportKey, markdown, { contentType: 'text/markdown' }));

      if (!input.signalCurveKey || !input.benchmarkCurveKey) {
        const markdown = renderNoSignalsBacktestReport(p);
        const stored = await upsert({
          startDate: p.start,
          endDate: p.end,
          runDate: p.date,
          status: 'no_signals',
          initialCapital: p.initialCapital,
          params: paramsJson(p),
          signalDates: 0,
          signalMetrics: null,
          benchmarkMetrics: null,
          excess: null,
          signalCurve: null,
          benchmarkCurve: null,
          reportKey: keys.reportKey,
          chartKey: null,
        });
        const written = await putReport(markdown);
        return {
          comparison: null,
          reportKey: written ? keys.reportKey : null,
          chartKey: null,
          stored,
          markdown: written ? null : markdown,
          errors,
        };
      }
      const sig = await getJson<SimulationResult>(store, input.signalCurveKey);
      const bench = await getJson<SimulationResult>(store, input.benchmarkCurveKey);
      const comparison = compareBacktests(sig, bench, p.riskFreeRate);
      const curve = (s: SimulationResult): BacktestCurve => ({ dates: s.dates, equity: s.equity });
      const svg = renderEquityChart({
        title: `Backtest ${p.start} .. ${p.end}: equity and drawdown`,
        dates: sig.dates,
        series: [
          { name: 'signal portfolio', values: sig.equity },
          { name: 'equal-weight buy and hold', values: equityOn(sig.dates, bench) },
        ],
        unit: 'usd',
      });
      const charted = await attempt(`writing ${keys.chartKey}`, () => store.put(keys.chartKey, svg, { contentType: 'image/svg+xml' }));
      const markdown = renderBacktestReport({
        params: p,
        signalDates: input.signalDates,
        signal: sig,
        benchmark: bench,
        comparison,
        chartFile: keys.chartKey.split('/').pop()!,
      });
      const written = await putReport(markdown);
      const stored = await upsert({
        startDate: p.start,
        endDate: p.end,
        runDate: p.date,
        status: 'completed',
        initialCapital: p.initialCapital,
        params: paramsJson(p),
        signalDates: input.signalDates,
        signalMetrics: { ...comparison.signal },
        benchmarkMetrics: { ...comparison.benchmark },
        excess: { ...comparison.excess },
        signalCurve: curve(sig),
        benchmarkCurve: curve(bench),
        reportKey: written ? keys.reportKey : null,
        chartKey: charted ? keys.chartKey : null,
      });
      return {
        comparison,
        reportKey: written ? keys.reportKey : null,
        chartKey: charted ? keys.chartKey : null,
        stored,
        markdown: written ? null : markdown,
        errors,
      };
    },
  };
}

const paramsJson = (p: ResolvedBacktestParams) => ({
  costModel: p.costModel,
  minTradeValue: p.minTradeValue,
  riskFreeRate: p.riskFreeRate,
  rebalance: p.rebalance,
});
