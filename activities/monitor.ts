/**
 * Activities of WF5 `monitor`: compute P&L, risk and alerts from the paper
 * portfolio's snapshots (domain `monitorSummary`), UPSERT `monitoring_runs`,
 * and write the markdown report with its equity-curve SVG next to it.
 * The two writes degrade instead of failing: a database or object-store
 * error is caught and returned, so the workflow still returns its numbers
 * and the report (inline when it could not be stored).
 */
import { layout } from '../src/adapters/layout';
import type { ObjectStore } from '../src/adapters/object-store/types';
import type { MonitoringRepo, PortfolioSnapshotRow } from '../src/adapters/postgres/monitoring-repo';
import { monitorSummary, type MonitorSnapshot, type MonitorSummary, type MonitorThresholds } from '../src/domain/monitoring';
import { fmt, mdTable } from '../src/reports/markdown';
import { renderLineChart } from '../src/reports/svg-chart';
import { addDays, dateOf } from './daily-common';

export interface MonitorDeps {
  store: ObjectStore;
  monitoring: MonitoringRepo;
  monitorSettings: { windowDays: number; riskFreeRate: number; thresholds: MonitorThresholds; initialCapital: number };
}

/** Snapshots drawn in the report's equity curve (about a year of trading days). */
export const MONITOR_CURVE_CALENDAR_DAYS = 366;

export type MonitorComputation =
  | { status: 'no_portfolio'; date: string }
  | { status: 'completed'; date: string; summary: MonitorSummary; curve: { dates: string[]; values: number[] }; windowDays: number; riskFreeRate: number; thresholds: MonitorThresholds };

export interface MonitorReportResult {
  reportKey: string | null;
  chartKey: string | null;
  /** The markdown, returned inline only when it could not be stored. */
  markdown: string | null;
  error: string | null;
}

const toSnapshot = (s: PortfolioSnapshotRow): MonitorSnapshot => ({
  date: s.date, cash: s.cash, totalValue: s.totalValue,
  positions: s.positions.map((p) => ({ symbol: p.symbol, shares: Number(p.shares), avgCost: Number(p.avgCost), price: Number(p.price), sector: p.sector ?? null, stale: p.stale === true })),
});

const errText = (err: unknown) => `${(err as Error).name ?? 'Error'}: ${(err as Error).message ?? String(err)}`;

export const monitorKeys = (date: string) => ({
  reportKey: layout.report('monitor', dateOf(date), `monitor-${date}`),
  chartKey: layout.reportAsset('monitor', dateOf(date), `monitor-${date}-equity.svg`),
});

export function createMonitorActivities(deps: MonitorDeps) {
  const { store, monitoring, monitorSettings: cfg } = deps;

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
      const monthStart = `${latest.date.slice(0, 7)}-01`;
      const yearStart = `${latest.date.slice(0, 4)}-01-01`;
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
      return {
        status: 'completed', date, summary, curve: { dates: curve.map((c) => c.date), values: curve.map((c) => c.totalValue) },
        windowDays: cfg.windowDays, riskFreeRate: cfg.riskFreeRate, thresholds: cfg.thresholds,
      };
    },

    /** UPSERT the date's monitoring_runs row; a database error is returned, not thrown. */
    async storeMonitoringRun(input: { computation: MonitorComputation }): Promise<{ stored: boolean; error: string | null }> {
      const c = input.computation;
      const keys = monitorKeys(c.date);
      const s = c.status === 'completed' ? c.summary : null;
      try {
        await monitoring.upsertMonitoringRun({
          runDate: c.date, status: c.status, snapshotDate: s?.snapshotDate ?? null, totalValue: s?.totalValue ?? null,
          dailyPnl: s?.dailyPnl ?? null, dailyReturn: s?.dailyReturn ?? null, mtdPnl: s?.mtdPnl ?? null, mtdReturn: s?.mtdReturn ?? null,
          ytdPnl: s?.ytdPnl ?? null, ytdReturn: s?.ytdReturn ?? null, unrealizedPnl: s?.unrealizedPnl ?? null, sharpe: s?.risk.sharpe ?? null,
          sortino: s?.risk.sortino ?? null, maxDrawdown: s?.risk.maxDrawdown ?? null, var95: s?.risk.var95 ?? null, windowReturns: s?.risk.returns ?? 0,
          alerts: s?.alerts ?? [],
          details: s ? { previousDate: s.previousDate, cash: s.cash, positionsValue: s.positionsValue, var95Value: s.risk.var95Value, sectors: s.sectors } : {},
          reportKey: keys.reportKey, chartKey: c.status === 'completed' ? keys.chartKey : null,
        });
        return { stored: true, error: null };
      } catch (err) {
        return { stored: false, error: `monitoring_runs upsert for ${c.date} failed: ${errText(err)}` };
      }
    },

    /** Render the report and the equity-curve SVG and write both; an object-store error is returned with the markdown inline. */
    async writeMonitorReport(input: { computation: MonitorComputation; notes?: string[] }): Promise<MonitorReportResult> {
      const c = input.computation;
      const keys = monitorKeys(c.date);
      const chartFile = keys.chartKey.split('/').pop()!;
      const markdown = renderMonitorReport(c, chartFile, input.notes ?? []);
      try {
        if (c.status === 'completed') {
          const svg = renderLineChart([{ name: 'portfolio value', values: c.curve.values }], {
            title: `Paper portfolio equity to ${c.summary.snapshotDate}`, labels: c.curve.dates, yDigits: 0,
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

const money = (x: number) => (Number.isFinite(x) ? `${x < 0 ? '-' : ''}$${Math.abs(x).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` : 'n/a');
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'n/a');

/** The monitor report: summary, P&L, winners and losers, risk, sectors, alerts. Pure. */
export function renderMonitorReport(c: MonitorComputation, chartFile: string, notes: string[] = []): string {
  if (c.status === 'no_portfolio') {
    return [`# Portfolio monitor ${c.date}`, '', 'No portfolio snapshot on or before this date: run `rebalance` (WF4) first.', ...notes.map((n) => `- ${n}`), ''].join('\n');
  }
  const s = c.summary;
  const byPnl = [...s.positions].sort((a, b) => b.unrealizedPct - a.unrealizedPct || a.symbol.localeCompare(b.symbol));
  const posLine = (p: (typeof s.positions)[number]) => [
    p.symbol, p.sector, fmt(p.shares, 0), fmt(p.avgCost, 2), fmt(p.price, 2), money(p.marketValue), pct(p.weight), money(p.unrealizedPnl), pct(p.unrealizedPct),
    Number.isFinite(p.dayPnl) ? money(p.dayPnl) : 'new', p.stale ? 'stale price' : '',
  ];
  const head = ['symbol', 'sector', 'shares', 'avg cost', 'price', 'value', 'weight', 'unrealized', 'unrealized %', 'day P&L', ''];
  const th = c.thresholds;
  return [
    `# Portfolio monitor ${c.date}`,
    '',
    '## Summary',
    '',
    `- Snapshot: ${s.snapshotDate}${s.snapshotDate !== c.date ? ` (the latest on or before ${c.date})` : ''}; previous: ${s.previousDate ?? 'none'}`,
    `- Total value ${money(s.totalValue)} = cash ${money(s.cash)} + positions ${money(s.positionsValue)} (${s.positions.length} positions)`,
    `- Day ${money(s.dailyPnl)} (${pct(s.dailyReturn)}), MTD ${money(s.mtdPnl)} (${pct(s.mtdReturn)}), YTD ${money(s.ytdPnl)} (${pct(s.ytdReturn)})`,
    `- Alerts: ${s.alerts.length === 0 ? 'none' : s.alerts.length}`,
    ...notes.map((n) => `- Note: ${n}`),
    '',
    `![Equity curve](${chartFile})`,
    '',
    '## P&L',
    '',
    mdTable(['period', 'P&L', 'return'], [
      ['day (last two snapshots)', money(s.dailyPnl), pct(s.dailyReturn)],
      ['month to date', money(s.mtdPnl), pct(s.mtdReturn)],
      ['year to date', money(s.ytdPnl), pct(s.ytdReturn)],
      ['unrealized (open positions)', money(s.unrealizedPnl), ''],
    ]),
    '',
    '## Winners and losers',
    '',
    byPnl.length ? mdTable(['', ...head], [...byPnl.slice(0, 5).map((p) => ['winner', ...posLine(p)]), ...byPnl.slice(-5).reverse().filter((p) => !byPnl.slice(0, 5).includes(p)).map((p) => ['loser', ...posLine(p)])]) : '_no positions_',
    '',
    '## Risk',
    '',
    `Window: the last ${s.risk.returns} snapshot returns (configured ${c.windowDays}); rf ${pct(c.riskFreeRate)} a year, (1 + rf)^(1/252) - 1 per day.`,
    '',
    mdTable(['metric', 'value'], [
      ['Sharpe (annualised)', fmt(s.risk.sharpe, 2)],
      ['Sortino (annualised)', fmt(s.risk.sortino, 2)],
      ['max drawdown', pct(s.risk.maxDrawdown)],
      ['VaR 95 (historical, one day)', `${pct(-s.risk.var95)} = ${money(s.risk.var95Value)}`],
    ]),
    '',
    '## Sectors',
    '',
    s.sectors.length ? mdTable(['sector', 'positions', 'value', 'weight'], s.sectors.map((x) => [x.sector, x.positions, money(x.value), pct(x.weight)])) : '_no positions_',
    '',
    '## Alerts',
    '',
    `Thresholds: drawdown > ${pct(th.maxDrawdown)}, position > ${pct(th.maxPositionWeight)}, VaR 95 > ${pct(th.maxVar95)}, unrealized loss > ${pct(th.maxUnrealizedLoss)}.`,
    '',
    s.alerts.length ? s.alerts.map((a) => `- **${a.kind}**${a.symbol ? ` ${a.symbol}` : ''}: ${a.message}`).join('\n') : '_none_',
    '',
    '## All positions',
    '',
    s.positions.length ? mdTable(head, s.positions.map(posLine)) : '_none_',
    '',
  ].join('\n');
}
