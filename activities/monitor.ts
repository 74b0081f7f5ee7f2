/**
 * Activities of WF5 `monitor`: compute P&L, risk and alerts from the paper
 * portfolio's snapshots (domain `monitorSummary`), UPSERT `monitoring_runs`,
 * and write the markdown report with its equity-curve SVG next to it.
 * The two writes degrade instead of failing: a database or object-store
 * error is caught and returned, so the workflow still returns its numbers
 * and the report (inline when it could not be stored).
 */
import { layout } from '../src/adapters/layout';
import type { Notifier } from '../src/adapters/notify/types';
import type { ObjectStore } from '../src/adapters/object-store/types';
import type { BacktestRepo } from '../src/adapters/postgres/backtest-repo';
import type { MonitoringRepo, PortfolioSnapshotRow } from '../src/adapters/postgres/monitoring-repo';
import { errorMessage } from '../src/domain/errors';
import {
  benchmarkStart,
  firstHoldingsBenchmark,
  monitorSummary,
  periodStarts,
  type MonitorComputation,
  type MonitorSnapshot,
  type MonitorThresholds,
} from '../src/domain/monitoring';
import { renderMonitorReport } from '../src/reports/monitor-report';
import { renderEquityChart } from '../src/reports/svg-chart';
import { addDays, parseIsoDate } from '../src/domain/dates';

export interface MonitorDeps {
  store: ObjectStore;
  monitoring: MonitoringRepo;
  /** Adjusted closes from the hot store, for the chart's benchmark (the backtest repository's query). */
  marketCloses: Pick<BacktestRepo, 'closes'>;
  monitorSettings: { windowDays: number; riskFreeRate: number; thresholds: MonitorThresholds; initialCapital: number };
  /** Where the day's alerts go (the log, and ALERT_WEBHOOK_URL when set). */
  notifier: Notifier;
}

/** Snapshots drawn in the report's equity curve (about a year of trading days). */
export const MONITOR_CURVE_CALENDAR_DAYS = 366;

export interface MonitorReportResult {
  reportKey: string | null;
  chartKey: string | null;
  /** The markdown, returned inline only when it could not be stored. */
  markdown: string | null;
  error: string | null;
}

const toSnapshot = (s: PortfolioSnapshotRow): MonitorSnapshot => ({
  date: s.date,
  cash: s.cash,
  totalValue: s.totalValue,
  positions: s.positions.map((p) => ({
    symbol: p.symbol,
    shares: Number(p.shares),
    avgCost: Number(p.avgCost),
    price: Number(p.price),
    sector: p.sector ?? null,
    stale: p.stale === true,
  })),
});

/** `TypeError: message`: the class says whether the store or the database failed. */
const errText = (err: unknown) => `${err instanceof Error ? err.name : 'Error'}: ${errorMessage(err)}`;

export const monitorKeys = (date: string) => ({
  reportKey: layout.report('monitor', parseIsoDate(date), `monitor-${date}`),
  chartKey: layout.reportAsset('monitor', parseIsoDate(date), `monitor-${date}-equity.svg`),
});

export function createMonitorActivities(deps: MonitorDeps) {
  const { store, monitoring, marketCloses, monitorSettings: cfg } = deps;
  const sendAlerts = (c: MonitorComputation) =>
    c.status === 'completed'
      ? deps.notifier.notify(
          c.summary.alerts.map((a) => ({
            severity: 'warning' as const,
            source: 'monitor',
            at: c.date,
            message: a.message,
            details: { kind: a.kind, value: a.value, threshold: a.threshold, ...(a.symbol ? { symbol: a.symbol } : {}) },
          })),
        )
      : Promise.resolve(true);

  return {
    /**
     * Load the snapshots up to `date` and compute the summary. MTD / YTD
     * bases are the last snapshot before the 1st of the month / year, or
     * the initial capital when the account started inside the period.
     */
    async computeMonitoring(input: { date: string }): Promise<MonitorComputation> {
      const { date } = input;
      const recent = await monitoring.latestSnapshots(date, cfg.windowDays + 1);
      if (recent.length === 0) return { status: 'no_portfolio', date };
      const latest = recent[0];
      const { monthStart, yearStart } = periodStarts(latest.date);
      const [mtd, ytd, curve] = await Promise.all([
        monitoring.totalBefore(monthStart),
        monitoring.totalBefore(yearStart),
        monitoring.snapshotTotals(addDays(latest.date, -MONITOR_CURVE_CALENDAR_DAYS), latest.date),
      ]);
      const summary = monitorSummary({
        latest: toSnapshot(latest),
        previous: recent[1] ? toSnapshot(recent[1]) : null,
        window: recent.map((s) => s.totalValue).reverse(),
        mtdBase: mtd?.totalValue ?? cfg.initialCapital,
        ytdBase: ytd?.totalValue ?? cfg.initialCapital,
        riskFreeRate: cfg.riskFreeRate,
        thresholds: cfg.thresholds,
      });
      const dates = curve.map((c) => c.date);
      const values = curve.map((c) => c.totalValue);
      // The chart's benchmark: the first invested snapshot's names, equally weighted and held (the rule of WF6).
      const charted = curve.length > 0 ? await monitoring.latestSnapshots(latest.date, curve.length) : [];
      const start = benchmarkStart(charted.map(toSnapshot).reverse());
      const benchmark = start
        ? firstHoldingsBenchmark({
            curve: { dates, values },
            start,
            closes: await marketCloses.closes(start.symbols, start.date, latest.date),
          })
        : null;
      return {
        status: 'completed',
        date,
        summary,
        curve: { dates, values },
        benchmark,
        windowDays: cfg.windowDays,
        riskFreeRate: cfg.riskFreeRate,
        thresholds: cfg.thresholds,
      };
    },

    /** UPSERT the date's monitoring_runs row; a database error is returned, not thrown. */
    async storeMonitoringRun(input: { computation: MonitorComputation }): Promise<{ stored: boolean; error: string | null }> {
      const c = input.computation;
      const keys = monitorKeys(c.date);
      const s = c.status === 'completed' ? c.summary : null;
      let error: string | null = null;
      try {
        await monitoring.upsertMonitoringRun({
          runDate: c.date,
          status: c.status,
          snapshotDate: s?.snapshotDate ?? null,
          totalValue: s?.totalValue ?? null,
          dailyPnl: s?.dailyPnl ?? null,
          dailyReturn: s?.dailyReturn ?? null,
          mtdPnl: s?.mtdPnl ?? null,
          mtdReturn: s?.mtdReturn ?? null,
          ytdPnl: s?.ytdPnl ?? null,
          ytdReturn: s?.ytdReturn ?? null,
          unrealizedPnl: s?.unrealizedPnl ?? null,
          sharpe: s?.risk.sharpe ?? null,
          sortino: s?.risk.sortino ?? null,
          maxDrawdown: s?.risk.maxDrawdown ?? null,
          var95: s?.risk.var95 ?? null,
          windowReturns: s?.risk.returns ?? 0,
          alerts: s?.alerts ?? [],
          details: s
            ? {
                previousDate: s.previousDate,
                cash: s.cash,
                positionsValue: s.positionsValue,
                var95Value: s.risk.var95Value,
                sectors: s.sectors,
              }
            : {},
          reportKey: keys.reportKey,
          chartKey: c.status === 'completed' ? keys.chartKey : null,
        });
      } catch (err) {
        error = `monitoring_runs upsert for ${c.date} failed: ${errText(err)}`;
      }
      // Stored or not, the alerts go out: a person needs them more when the run could not be saved.
      await sendAlerts(c);
      return { stored: error === null, error };
    },

    /** Render the report and the equity-curve SVG and write both; an object-store error is returned with the markdown inline. */
    async writeMonitorReport(input: { computation: MonitorComputation; notes?: string[] }): Promise<MonitorReportResult> {
      const c = input.computation;
      const keys = monitorKeys(c.date);
      const chartFile = keys.chartKey.split('/').pop()!;
      const markdown = renderMonitorReport(c, chartFile, input.notes ?? []);
      try {
        if (c.status === 'completed') {
          const svg = renderEquityChart({
            title: `Paper portfolio equity and drawdown to ${c.summary.snapshotDate}`,
            dates: c.curve.dates,
            series: [{ name: 'portfolio value', values: c.curve.values }, ...(c.benchmark ? [c.benchmark] : [])],
            unit: 'usd',
          });
          await store.put(keys.chartKey, svg, { contentType: 'image/svg+xml' });
        }
        await store.put(keys.reportKey, markdown, { contentType: 'text/markdown' });
        return { reportKey: keys.reportKey, chartKey: c.status === 'completed' ? keys.chartKey : null, markdown: null, error: null };
      } catch (err) {
        return { reportKey: null, chartKey: null, markdown, error: `writing ${keys.reportKey} failed: ${errText(err)}` };
      }
    },
  };
}
