/**
 * Activity of the `performance` workflow: judge every active model version's
 * signals of the look-back window against the stored closes
 * (src/domain/model-performance.ts), rank the versions by Sharpe, name the
 * top performers (best three with a positive Sharpe) and the underperformers
 * (the configured rule), store the day's performance rows and report row in
 * one transaction, then write the Markdown report and its chart of
 * cumulative returns to the object store. Re-running a date replaces all of
 * it. Underperformers are kept as alerts in the report row and sent through
 * the notifier (the log, and ALERT_WEBHOOK_URL when set) as the last step.
 */
import { layout } from '../src/adapters/layout';
import type { Notifier } from '../src/adapters/notify/types';
import type { ObjectStore } from '../src/adapters/object-store/types';
import type { MarketDataRepo } from '../src/adapters/postgres/market-data-repo';
import type { ModelPerformanceRepo, ModelRunRepo } from '../src/adapters/postgres/model-run-repo';
import { addDays, parseIsoDate } from '../src/domain/dates';
import { modelPerformance, rankModels, underperformance, type RankedModel } from '../src/domain/model-performance';
import { renderPerformanceChart, renderPerformanceReport } from '../src/reports/performance-report';
import { withDbFailures } from './support/db-failures';
import { asActivityFailure } from './support/failures';

export interface PerformanceDeps {
  store: ObjectStore;
  modelRuns: ModelRunRepo;
  modelPerformance: ModelPerformanceRepo;
  marketDataRepo: Pick<MarketDataRepo, 'loadCloses'>;
  notifier: Notifier;
  modelSettings: {
    holdingDays: number;
    riskFreeRate: number;
    lookbackDays: number;
    underperformSharpe: number;
    underperformDays: number;
    maxDrawdown: number;
  };
}

export interface EvaluateModelsResult {
  date: string;
  models: number;
  signalsJudged: number;
  rankings: RankedModel[];
  topPerformers: string[];
  underperformers: { model: string; reason: string }[];
  reportKey: string;
  chartKey: string;
}

/** How many top-ranked versions with a positive Sharpe the report names. */
const TOP_PERFORMERS = 3;

export function createPerformanceActivities(deps: PerformanceDeps) {
  const cfg = deps.modelSettings;
  return {
    async evaluateModels(input: { date: string }): Promise<EvaluateModelsResult> {
      return asActivityFailure(() =>
        withDbFailures(`evaluating the models on ${input.date}`, async () => {
          const { date } = input;
          const from = addDays(date, -cfg.lookbackDays);
          const models = await deps.modelRuns.activeModels();
          const ids = models.map((m) => m.id);
          const signals = await deps.modelPerformance.signalsBetween(ids, from, date);
          const symbols = [...new Set([...signals.values()].flatMap((list) => list.map((s) => s.symbol)))];
          const loaded = await deps.marketDataRepo.loadCloses(symbols, from, date);
          const closes = new Map([...loaded].map(([s, c]) => [s, { dates: c.dates, closes: c.adjClose }]));
          const previous = await deps.modelPerformance.previousSharpes(ids, date, cfg.underperformDays - 1);
          const evaluated = models.map((m) => ({
            modelId: m.id,
            name: m.name,
            version: m.version,
            performance: modelPerformance(signals.get(m.id)!, closes, date, {
              holdingDays: cfg.holdingDays,
              riskFreeRate: cfg.riskFreeRate,
            }),
          }));
          const rankings = rankModels(evaluated);
          const topPerformers = rankings
            .filter((r) => r.sharpe !== null && r.sharpe > 0)
            .slice(0, TOP_PERFORMERS)
            .map((r) => `${r.name}@${r.version}`);
          const underperformers = evaluated.flatMap((e) => {
            const reason = underperformance(e.performance, previous.get(e.modelId)!, {
              minSharpe: cfg.underperformSharpe,
              days: cfg.underperformDays,
              maxDrawdown: cfg.maxDrawdown,
            });
            return reason ? [{ model: `${e.name}@${e.version}`, reason }] : [];
          });
          const alerts = underperformers.map((u) => `model ${u.model} underperforms: ${u.reason}`);
          const day = parseIsoDate(date);
          const chartFile = `performance-${date}-cumulative.svg`;
          const reportKey = layout.report('performance', day, `performance-${date}`);
          const chartKey = layout.reportAsset('performance', day, chartFile);
          await deps.modelPerformance.storeEvaluation(date, evaluated, {
            date,
            score: 'sharpe',
            rankings,
            topPerformers,
            underperformers,
            alerts,
            chartKey,
          });
          const chart = renderPerformanceChart(
            date,
            evaluated.map((e) => ({ label: `${e.name}@${e.version}`, performance: e.performance })),
          );
          await deps.store.put(chartKey, chart, { contentType: 'image/svg+xml' });
          const report = renderPerformanceReport(
            {
              date,
              holdingDays: cfg.holdingDays,
              riskFreeRate: cfg.riskFreeRate,
              lookbackDays: cfg.lookbackDays,
              rankings,
              topPerformers,
              underperformers,
            },
            chartFile,
          );
          await deps.store.put(reportKey, report, { contentType: 'text/markdown; charset=utf-8' });
          // Last, so a retry of anything above never sends twice; a failed delivery is logged, not thrown.
          await deps.notifier.notify(
            underperformers.map((u) => ({
              severity: 'warning' as const,
              source: 'performance',
              at: date,
              message: `model ${u.model} underperforms: ${u.reason}`,
              details: { model: u.model, report: reportKey },
            })),
          );
          return {
            date,
            models: models.length,
            signalsJudged: evaluated.reduce((a, e) => a + e.performance.signalCount, 0),
            rankings,
            topPerformers,
            underperformers,
            reportKey,
            chartKey,
          };
        }),
      );
    },
  };
}
