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
  backtestMetrics, compareBacktests, monthlyReturns, simulateBuyAndHold, simulateSignalPortfolio,
  type BacktestComparison, type BacktestMarket, type BacktestMetrics, type SignalDay, type SimulationResult,
} from '../src/domain/backtest';
import { DEFAULT_COST_MODEL, type CostModel } from '../src/domain/costs';
import { fmt, mdTable } from '../src/reports/markdown';
import { renderLineChart } from '../src/reports/svg-chart';
import { addDays, dateOf, getJson, putJson, withDbFailures } from './daily-common';
import { invalidInput } from './support/failures';

export interface BacktestDeps {
  store: ObjectStore;
  backtests: BacktestRepo;
  backtestSettings: { lookbackDays: number; initialCapital: number; minTradeValue: number; riskFreeRate: number };
}

export interface BacktestParamsInput {
  /** The run date (the default end). */
  date: string;
  start?: string;
  end?: string;
  initialCapital?: number;
  costModel?: Partial<CostModel>;
}

export interface ResolvedBacktestParams {
  date: string;
  start: string;
  end: string;
  initialCapital: number;
  costModel: CostModel;
  minTradeValue: number;
  riskFreeRate: number;
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
const ISO = /^\d{4}-\d{2}-\d{2}$/;

const tag = (p: { start: string; end: string }) => `${p.start}_${p.end}`;
const work = (p: ResolvedBacktestParams, name: string) => layout.dailyWork('backtest', dateOf(p.end), `${tag(p)}/${name}`);
export const backtestKeys = (p: { date: string; start: string; end: string }) => ({
  reportKey: layout.report('backtest', dateOf(p.date), `backtest-${tag(p)}`),
  chartKey: layout.reportAsset('backtest', dateOf(p.date), `backtest-${tag(p)}-equity.svg`),
});

interface BacktestData {
  market: { dates: string[]; symbols: string[]; closes: (number | null)[][] };
  signalDays: SignalDay[];
}

const toMarket = (d: BacktestData): BacktestMarket => ({
  dates: d.market.dates, symbols: d.market.symbols, closes: d.market.closes.map((c) => c.map((x) => (x === null ? NaN : x))),
});

export function createBacktestActivities(deps: BacktestDeps) {
  const { store, backtests, backtestSettings: cfg } = deps;

  return {
    /** Window [start, end] (default: the lookback before the run date, starting at its first signal date), capital and costs. */
    async resolveBacktestParams(input: BacktestParamsInput): Promise<ResolveBacktestResult> {
      const end = input.end ?? input.date;
      for (const [k, v] of [['start', input.start], ['end', end]] as const) {
        if (v !== undefined && !(ISO.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v)) throw invalidInput(`backtest ${k} "${v}" must be a date YYYY-MM-DD`);
      }
      if (input.start !== undefined && input.start > end) throw invalidInput(`backtest start ${input.start} is after its end ${end}`);
      const capital = input.initialCapital ?? cfg.initialCapital;
      if (!(capital > 0) || !Number.isFinite(capital)) throw invalidInput(`backtest initial capital must be positive, got ${capital}`);
      const costModel = { ...DEFAULT_COST_MODEL, ...input.costModel };
      for (const [k, v] of Object.entries(costModel)) if (!(v >= 0) || !Number.isFinite(v)) throw invalidInput(`backtest cost parameter ${k} must be >= 0, got ${v}`);
      const from = input.start ?? addDays(end, -cfg.lookbackDays);
      const dates = await backtests.signalDates(from, end);
      const params: ResolvedBacktestParams = {
        date: input.date, start: input.start ?? dates[0] ?? from, end, initialCapital: capital, costModel, minTradeValue: cfg.minTradeValue, riskFreeRate: cfg.riskFreeRate,
      };
      return dates.length === 0 ? { status: 'no_signals', params, signalDates: 0 } : { status: 'ok', params, signalDates: dates.length };
    },

    /** Signals of [start, end] and the adjusted closes of every signalled symbol, as one claim-check object. */
    async loadBacktestData(input: { params: ResolvedBacktestParams }): Promise<{ dataKey: string; signalDates: number; symbols: number; days: number }> {
      const p = input.params;
      const signals = await backtests.signalsBetween(p.start, p.end);
      const byDate = new Map<string, SignalDay>();
      for (const s of signals) {
        const d = byDate.get(s.date) ?? { date: s.date, candidates: [] };
        d.candidates.push({ symbol: s.symbol, sector: s.sector ?? 'Unknown', recommendation: s.signal });
        byDate.set(s.date, d);
      }
      const symbols = [...new Set(signals.map((s) => s.symbol))].sort();
      const rows = await backtests.closes(symbols, addDays(p.start, -PRICE_WARMUP_DAYS), p.end);
      const dates = [...new Set(rows.map((r) => r.date))].sort();
      const di = new Map(dates.map((d, i) => [d, i]));
      const si = new Map(symbols.map((s, i) => [s, i]));
      const closes = symbols.map(() => new Array<number | null>(dates.length).fill(null));
      for (const r of rows) closes[si.get(r.symbol)!][di.get(r.date)!] = r.adjClose;
      const data: BacktestData = { market: { dates, symbols, closes }, signalDays: [...byDate.values()] };
      const dataKey = work(p, 'data.json');
      await putJson(store, dataKey, data);
      return { dataKey, signalDates: byDate.size, symbols: symbols.length, days: dates.length };
    },

    /** One portfolio through the engine; the curve goes to the object store, the metrics come back. */
    async simulateBacktest(input: { kind: 'signal' | 'benchmark'; params: ResolvedBacktestParams; dataKey: string }): Promise<SimulationSummary> {
      const p = input.params;
      const data = await getJson<BacktestData>(store, input.dataKey);
      const market = toMarket(data);
      const bp = { initialCapital: p.initialCapital, costModel: p.costModel, minTradeValue: p.minTradeValue };
      const sim: SimulationResult = input.kind === 'signal'
        ? simulateSignalPortfolio(market, data.signalDays, bp)
        : simulateBuyAndHold(market, [...data.signalDays].sort((a, b) => a.date.localeCompare(b.date))[0], bp);
      const curveKey = work(p, `${input.kind}-curve.json`);
      await putJson(store, curveKey, sim);
      const m = backtestMetrics(sim.returns, p.riskFreeRate);
      return {
        kind: input.kind, curveKey, points: sim.equity.length, trades: sim.trades, costs: sim.costs,
        finalValue: sim.equity.at(-1) ?? null, metrics: m, notes: sim.notes.slice(0, 10),
      };
    },

    /** Compare, UPSERT backtest_runs on (start, end) with both curves, write the report and the two-curve SVG. */
    async finishBacktest(input: { params: ResolvedBacktestParams; signalDates: number; signalCurveKey: string | null; benchmarkCurveKey: string | null }): Promise<{
      comparison: BacktestComparison | null; reportKey: string; chartKey: string | null;
    }> {
      const p = input.params;
      const keys = backtestKeys(p);
      if (!input.signalCurveKey || !input.benchmarkCurveKey) {
        await withDbFailures(`storing backtest ${tag(p)}`, () => backtests.upsertBacktestRun({
          startDate: p.start, endDate: p.end, runDate: p.date, status: 'no_signals', initialCapital: p.initialCapital, params: paramsJson(p), signalDates: 0,
          signalMetrics: null, benchmarkMetrics: null, excess: null, signalCurve: null, benchmarkCurve: null, reportKey: keys.reportKey, chartKey: null,
        }));
        await store.put(keys.reportKey, `# Backtest ${p.start} .. ${p.end}\n\nNo signals in this window: nothing to replay. Run \`signal\` (WF3) for these dates first.\n`, { contentType: 'text/markdown' });
        return { comparison: null, reportKey: keys.reportKey, chartKey: null };
      }
      const sig = await getJson<SimulationResult>(store, input.signalCurveKey);
      const bench = await getJson<SimulationResult>(store, input.benchmarkCurveKey);
      const comparison = compareBacktests(sig, bench, p.riskFreeRate);
      const curve = (s: SimulationResult): BacktestCurve => ({ dates: s.dates, equity: s.equity });
      const svg = renderLineChart(
        [{ name: 'signal portfolio', values: sig.equity }, { name: 'equal-weight buy and hold', values: alignTo(sig.dates, bench) }],
        { title: `Backtest ${p.start} .. ${p.end}: equity`, labels: sig.dates },
      );
      await store.put(keys.chartKey, svg, { contentType: 'image/svg+xml' });
      await store.put(keys.reportKey, renderBacktestReport(p, input.signalDates, sig, bench, comparison, keys.chartKey.split('/').pop()!), { contentType: 'text/markdown' });
      await withDbFailures(`storing backtest ${tag(p)}`, () => backtests.upsertBacktestRun({
        startDate: p.start, endDate: p.end, runDate: p.date, status: 'completed', initialCapital: p.initialCapital, params: paramsJson(p),
        signalDates: input.signalDates, signalMetrics: { ...comparison.signal }, benchmarkMetrics: { ...comparison.benchmark }, excess: { ...comparison.excess },
        signalCurve: curve(sig), benchmarkCurve: curve(bench), reportKey: keys.reportKey, chartKey: keys.chartKey,
      }));
      return { comparison, reportKey: keys.reportKey, chartKey: keys.chartKey };
    },
  };
}

const paramsJson = (p: ResolvedBacktestParams) => ({ costModel: p.costModel, minTradeValue: p.minTradeValue, riskFreeRate: p.riskFreeRate });

/** The benchmark's equity on the signal curve's dates (both start on the first signal's execution day; NaN where absent). */
function alignTo(dates: string[], s: SimulationResult): number[] {
  const by = new Map(s.dates.map((d, i) => [d, s.equity[i]]));
  return dates.map((d) => by.get(d) ?? NaN);
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'n/a');

function renderBacktestReport(
  p: ResolvedBacktestParams, signalDates: number, sig: SimulationResult, bench: SimulationResult, c: BacktestComparison, chartFile: string,
): string {
  const rows: [string, keyof BacktestComparison['excess'], (x: number) => string][] = [
    ['total return', 'totalReturn', pct], ['CAGR', 'cagr', pct], ['volatility', 'volatility', pct], ['Sharpe', 'sharpe', (x) => fmt(x, 2)],
    ['Sortino', 'sortino', (x) => fmt(x, 2)], ['max drawdown', 'maxDrawdown', pct], ['Calmar', 'calmar', (x) => fmt(x, 2)],
  ];
  const ms = monthlyReturns(sig);
  const mb = new Map(monthlyReturns(bench).map((m) => [m.month, m.return]));
  return [
    `# Backtest ${p.start} .. ${p.end}`,
    '',
    `Signal portfolio (pension allocation: strong buy 3x, buy 2x, caps 5% per stock, 25% per sector, 5% cash; rebalanced on each of ${signalDates} signal dates)`,
    `against the equal-weight buy-and-hold of the first signal date's buy and strong-buy names. Initial capital $${p.initialCapital.toFixed(2)};`,
    `costs: commission $${p.costModel.commissionPerShare}/share, spread ${p.costModel.spreadBps} bp, exchange fee ${p.costModel.exchangeFeeBps} bp, impact ${p.costModel.impactBpsPer1000} bp per $1,000;`,
    `minimum trade $${p.minTradeValue}. Adjusted closes (dividends reinvested). A signal of day t trades at day t's close (or the next trading close), never earlier.`,
    `Sharpe and Sortino use rf ${pct(p.riskFreeRate)} a year, (1 + rf)^(1/252) - 1 per day.`,
    '',
    `![Equity curves](${chartFile})`,
    '',
    '## Comparison',
    '',
    mdTable(['metric', 'signal portfolio', 'buy and hold', 'excess'], rows.map(([label, k, f]) => [label, f(c.signal[k]), f(c.benchmark[k]), f(c.excess[k])])),
    '',
    mdTable(['', 'signal portfolio', 'buy and hold'], [
      ['final value', `$${fmt(sig.equity.at(-1), 2)}`, `$${fmt(bench.equity.at(-1), 2)}`],
      ['trades', sig.trades, bench.trades],
      ['costs paid', `$${fmt(sig.costs, 2)}`, `$${fmt(bench.costs, 2)}`],
      ['days', sig.equity.length, bench.equity.length],
    ]),
    '',
    '## Per-period returns (calendar months)',
    '',
    mdTable(['month', 'signal portfolio', 'buy and hold', 'difference'], ms.map((m) => [m.month, pct(m.return), pct(mb.get(m.month) ?? NaN), pct(m.return - (mb.get(m.month) ?? NaN))])),
    '',
    ...(sig.notes.length + bench.notes.length > 0 ? ['## Notes', '', ...[...sig.notes, ...bench.notes].slice(0, 30).map((n) => `- ${n}`), ''] : []),
  ].join('\n');
}
