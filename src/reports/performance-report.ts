/**
 * The report of the `performance` workflow: the ranking of every active
 * model version by Sharpe over the judged window, the top performers and the
 * underperformers with their reasons, and the chart of each version's
 * cumulative return next to it. Pure, so the same evaluation renders the
 * same bytes.
 */
import type { ModelPerformance, RankedModel } from '../domain/model-performance';
import { fmt, mdTable, pct } from './markdown';
import { renderEquityChart } from './svg-chart';

export interface PerformanceReportInput {
  date: string;
  holdingDays: number;
  riskFreeRate: number;
  lookbackDays: number;
  rankings: readonly RankedModel[];
  topPerformers: readonly string[];
  underperformers: readonly { model: string; reason: string }[];
}

const pctOrDash = (v: number | null) => (v === null ? '-' : pct(v));

export function renderPerformanceReport(r: PerformanceReportInput, chartFile: string): string {
  return [
    `# Model performance ${r.date}`,
    '',
    `Signals of the last ${r.lookbackDays} days, each held ${r.holdingDays} trading days; Sharpe and Sortino against a ${pct(r.riskFreeRate)} risk-free rate. Ranked by Sharpe.`,
    '',
    mdTable(
      ['rank', 'model', 'Sharpe', 'return', 'max drawdown', 'signals judged'],
      r.rankings.map((m) => [
        m.rank,
        `${m.name}@${m.version}`,
        fmt(m.sharpe),
        pctOrDash(m.total_return),
        pctOrDash(m.max_drawdown),
        m.signals,
      ]),
    ),
    '',
    `Top performers: ${r.topPerformers.length ? r.topPerformers.join(', ') : 'none (no model with a positive Sharpe)'}`,
    '',
    r.underperformers.length ? '## Underperformers' : 'No underperformers.',
    ...r.underperformers.map((u) => `- ${u.model}: ${u.reason}`),
    '',
    `![cumulative return per model](${chartFile})`,
    '',
  ].join('\n');
}

/** Cumulative return of each model version on the union of their dates (flat before a model's first judged day). */
export function renderPerformanceChart(date: string, models: readonly { label: string; performance: ModelPerformance }[]): string {
  const dates = [...new Set(models.flatMap((m) => m.performance.curve.map((c) => c.date)))].sort();
  const series = models.map((m) => {
    const byDate = new Map(m.performance.curve.map((c) => [c.date, c.wealth]));
    let wealth = 1;
    return {
      name: m.label,
      values: dates.map((d) => {
        wealth = byDate.get(d) ?? wealth;
        return wealth - 1;
      }),
    };
  });
  return renderEquityChart({ title: `Cumulative return per model to ${date}`, dates, series, unit: 'percent' });
}
