/**
 * The logging steps of the model pipelines and WF6: each sends what its
 * workflow just produced to the experiment tracker (MLflow, when
 * `MLFLOW_TRACKING_URI` is set; src/adapters/tracking) and records the
 * outcome in `experiment_tracking`.
 *
 * - `trackModelVersions` (the `models` workflow, before its children): the
 *   registry's versions into MLflow's model registry, in our order.
 * - `trackModelRun` (each `modelRun` child): the run, under the model's
 *   experiment; params = the version's config, metrics = signal counts and
 *   timings.
 * - `trackPerformance` (the `performance` workflow): one run per ranked
 *   version, under its experiment; metrics = rank, Sharpe, Sortino, return,
 *   drawdown, win rate; artifacts = the day's report and chart.
 * - `trackBacktest` (WF6): params = the allocation settings, metrics = both
 *   portfolios' CAGR, Sharpe, Sortino, drawdown, turnover and costs, the two
 *   equity curves as series (one step per day), artifacts = report and
 *   chart; under the experiment of the daily book's model, `combined-score`.
 *
 * Tracking never fails a pipeline: a failed attempt is retried by Temporal
 * (the workflow gives the step `attempts` attempts), and the last attempt
 * records `skipped` with the reason, logs a warning and returns normally.
 * With tracking off the step returns `off` at once and writes nothing. Every
 * run is keyed (`model-run:NAME@V:DATE`, ...), so a retry or a re-run
 * updates the same tracker run.
 */
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { createHash } from 'node:crypto';
import type { ObjectStore } from '../src/adapters/object-store/types';
import type { ModelRepo } from '../src/adapters/postgres/model-repo';
import type { ModelPerformanceRepo, ModelRunRepo } from '../src/adapters/postgres/model-run-repo';
import type { TrackingKind, TrackingRecord, TrackingRepo } from '../src/adapters/postgres/tracking-repo';
import { experimentFor } from '../src/adapters/tracking/mlflow';
import type { ExperimentTracker, TrackedArtifact, TrackedMetric, TrackedRun } from '../src/adapters/tracking/types';
import { canonicalJson } from '../src/domain/canonical-json';
import type { BacktestComparison, SimulationResult } from '../src/domain/backtest';
import type { ResolvedBacktestParams } from '../src/domain/backtest-inputs';
import { mapLimit } from '../src/domain/async';
import { errorMessage } from '../src/domain/errors';
import type { ExecuteModelResult } from './models';
import { getJson } from './support/claim-check';

export interface TrackingDeps {
  tracker: ExperimentTracker;
  trackingLog: TrackingRepo;
  store: ObjectStore;
  modelRegistry: Pick<ModelRepo, 'versions'>;
  modelRuns: Pick<ModelRunRepo, 'model'>;
  modelPerformance: Pick<ModelPerformanceRepo, 'report' | 'performanceOn'>;
  modelSettings: { holdingDays: number; riskFreeRate: number; lookbackDays: number };
}

/** Every tracking step's input carries how many attempts its workflow gives it; the last one skips instead of failing. */
interface Attempts {
  attempts: number;
}

export type TrackingOutcome =
  { status: 'off' } | { status: 'logged'; runs: number; urls: string[] } | { status: 'skipped'; reason: string };

/** Runs one step sends to the tracker at the same time. */
const TRACKER_CONCURRENCY = 4;

/** The model whose experiment holds WF6's backtests: the daily book trades the combined score's signals. */
const DAILY_BOOK_MODEL = 'combined-score';

/** A metric point of a date, timestamped at that date, so a retry sends exactly the same point. */
const at = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** The numeric fields of an object as metrics `prefix.field` (nulls and non-numbers left out). */
function numericMetrics(prefix: string, values: object, timestamp: number): TrackedMetric[] {
  return Object.entries(values).flatMap(([k, v]) => (typeof v === 'number' ? [{ key: `${prefix}.${k}`, value: v, timestamp }] : []));
}

/** What a tracking step logged (or would have): the row it keeps in `experiment_tracking`. */
interface Logged {
  kind: TrackingKind;
  key: string;
  experiment: string;
  runId: string | null;
  url: string | null;
}

export function createTrackingActivities(deps: TrackingDeps) {
  const workflowId = () => Context.current().info.workflowExecution?.workflowId ?? null;

  /**
   * Do `work` (which names what it will log through `plan` as soon as it knows) and record what it logged;
   * on failure, let Temporal retry until the last attempt, which records the planned keys as skipped and
   * returns normally.
   */
  async function track(
    what: string,
    input: Attempts,
    work: (plan: (keys: Omit<Logged, 'runId' | 'url'>[]) => void) => Promise<Logged[]>,
  ): Promise<TrackingOutcome> {
    if (deps.tracker.kind === 'off') return { status: 'off' };
    const attempt = Context.current().info.attempt;
    let planned: Omit<Logged, 'runId' | 'url'>[] = [];
    const row = (
      l: Omit<Logged, 'runId' | 'url'> & Partial<Logged>,
      status: 'logged' | 'skipped',
      reason: string | null,
    ): TrackingRecord => ({
      runKey: l.key,
      kind: l.kind,
      experiment: l.experiment,
      status,
      trackerRunId: l.runId ?? null,
      url: l.url ?? null,
      reason,
      attempts: attempt,
      workflowId: workflowId(),
    });
    try {
      const logged = await work((keys) => (planned = keys));
      await deps.trackingLog.record(logged.map((l) => row(l, 'logged', null)));
      return { status: 'logged', runs: logged.length, urls: logged.flatMap((l) => (l.url ? [l.url] : [])) };
    } catch (err) {
      const reason = errorMessage(err);
      if (attempt < input.attempts)
        throw ApplicationFailure.retryable(`${what}: attempt ${attempt} of ${input.attempts} failed: ${reason}`, 'TrackingUnavailable');
      log.warn(`${what} skipped after ${attempt} attempts: ${reason}`);
      // The database may be what failed: then the warning above is the only record.
      await deps.trackingLog
        .record(planned.map((p) => row(p, 'skipped', reason)))
        .catch((e) => log.warn(`${what}: could not record the skip: ${errorMessage(e)}`));
      return { status: 'skipped', reason };
    }
  }

  /** Log runs of one kind (a few at once, answers in the runs' order); planned first, so a failure part-way records every one as skipped. */
  async function logRuns(kind: TrackingKind, runs: TrackedRun[], plan: (keys: Omit<Logged, 'runId' | 'url'>[]) => void): Promise<Logged[]> {
    plan(runs.map((r) => ({ kind, key: r.key, experiment: r.experiment })));
    // A few at once: a performance test logs one run per version, and MLflow serves requests in parallel.
    return mapLimit(runs, TRACKER_CONCURRENCY, async (run) => {
      const l = await deps.tracker.logRun(run);
      if (l.artifactsSkipped) log.warn(`${run.key}: artifacts not sent: ${l.artifactsSkipped}`);
      return { kind, key: run.key, experiment: run.experiment, runId: l.runId, url: l.url };
    });
  }

  async function artifact(key: string | null, path: string, contentType: string): Promise<TrackedArtifact[]> {
    return key ? [{ path, body: await deps.store.get(key), contentType }] : [];
  }

  return {
    async trackModelVersions(input: Attempts): Promise<TrackingOutcome> {
      return track('syncing model versions to the experiment tracker', input, async (plan) => {
        const versions = await deps.modelRegistry.versions();
        const names = [...new Set(versions.map((v) => v.name))];
        const keys = names.map((name) => ({
          kind: 'model_versions' as const,
          key: `model-versions:${name}`,
          experiment: experimentFor(name),
        }));
        plan(keys);
        const { created } = await deps.tracker.syncModelVersions(
          versions.map((v) => ({
            name: v.name,
            version: v.version,
            kind: v.kind,
            status: v.status,
            config: v.config,
            createdAt: Date.parse(v.createdAt),
          })),
        );
        if (created) log.info(`registered ${created} model version(s) in the experiment tracker`);
        return keys.map((k) => ({ ...k, runId: null, url: null }));
      });
    },

    async trackModelRun(
      input: Attempts & { date: string; modelId: number; name: string; version: number; result: ExecuteModelResult },
    ): Promise<TrackingOutcome> {
      const key = `model-run:${input.name}@${input.version}:${input.date}`;
      const experiment = experimentFor(input.name);
      return track(`logging model run ${input.name}@${input.version} ${input.date}`, input, async (plan) => {
        plan([{ kind: 'model_run', key, experiment }]);
        const model = await deps.modelRuns.model(input.modelId);
        const r = input.result;
        const t = at(input.date);
        const now = Date.now();
        return logRuns(
          'model_run',
          [
            {
              experiment,
              key,
              name: `run ${input.date} v${input.version}`,
              startTime: now - r.loadMs - r.runMs,
              endTime: now,
              params: { model: model.name, version: model.version, kind: model.kind, date: input.date, config: model.config as never },
              metrics: [
                { key: 'signals', value: r.signals, timestamp: t },
                { key: 'buys', value: r.buys, timestamp: t },
                { key: 'sells', value: r.sells, timestamp: t },
                { key: 'holds', value: r.holds, timestamp: t },
                { key: 'load_ms', value: r.loadMs, timestamp: t },
                { key: 'run_ms', value: r.runMs, timestamp: t },
              ],
              tags: {
                'quant.kind': 'model_run',
                'quant.model': model.name,
                'quant.model_version': String(model.version),
                'quant.date': input.date,
                'quant.workflow_id': workflowId() ?? '',
              },
              artifacts: [],
            },
          ],
          plan,
        );
      });
    },

    async trackPerformance(input: Attempts & { date: string; reportKey: string; chartKey: string }): Promise<TrackingOutcome> {
      const { date } = input;
      return track(`logging the performance test of ${date}`, input, async (plan) => {
        const report = await deps.modelPerformance.report(date);
        if (!report) throw new Error(`no performance report stored for ${date}`);
        const extra = await deps.modelPerformance.performanceOn(date);
        const chartFile = input.chartKey.split('/').pop()!;
        // Fetched once, attached to every version's run (the report ranks them all).
        const artifacts = [
          ...(await artifact(input.reportKey, 'report.md', 'text/markdown; charset=utf-8')),
          ...(await artifact(input.chartKey, chartFile, 'image/svg+xml')),
        ];
        const t = at(date);
        const now = Date.now();
        return logRuns(
          'performance',
          report.rankings.map((r) => {
            const more = extra.get(r.model_id);
            return {
              experiment: experimentFor(r.name),
              key: `performance:${date}:${r.name}@${r.version}`,
              name: `performance ${date} v${r.version}`,
              startTime: now,
              endTime: now,
              params: {
                score: report.score,
                holding_days: deps.modelSettings.holdingDays,
                risk_free_rate: deps.modelSettings.riskFreeRate,
                lookback_days: deps.modelSettings.lookbackDays,
              },
              metrics: [
                { key: 'rank', value: r.rank, timestamp: t },
                { key: 'sharpe', value: r.sharpe, timestamp: t },
                { key: 'total_return', value: r.total_return, timestamp: t },
                { key: 'max_drawdown', value: r.max_drawdown, timestamp: t },
                { key: 'signals', value: r.signals, timestamp: t },
                { key: 'sortino', value: more?.sortino ?? null, timestamp: t },
                { key: 'win_rate', value: more?.winRate ?? null, timestamp: t },
                { key: 'mean_return', value: more?.meanReturn ?? null, timestamp: t },
              ],
              tags: {
                'quant.kind': 'performance',
                'quant.model': r.name,
                'quant.model_version': String(r.version),
                'quant.date': date,
                'quant.workflow_id': workflowId() ?? '',
                'quant.underperforming': String(report.underperformers.some((u) => u.model === `${r.name}@${r.version}`)),
              },
              artifacts,
            };
          }),
          plan,
        );
      });
    },

    async trackBacktest(
      input: Attempts & {
        params: ResolvedBacktestParams;
        signalDates: number;
        comparison: BacktestComparison;
        trades: { signal: number; benchmark: number };
        signalCurveKey: string;
        benchmarkCurveKey: string;
        reportKey: string | null;
        chartKey: string | null;
      },
    ): Promise<TrackingOutcome> {
      const p = input.params;
      // The window and the settings: a re-run of the same window with other costs is another run.
      const key = `backtest:${p.start}_${p.end}:${createHash('sha256')
        .update(canonicalJson({ ...p, date: null }))
        .digest('hex')
        .slice(0, 12)}`;
      const experiment = experimentFor(DAILY_BOOK_MODEL);
      return track(`logging backtest ${p.start} .. ${p.end}`, input, async (plan) => {
        plan([{ kind: 'backtest', key, experiment }]);
        const [sig, bench] = await Promise.all([
          getJson<SimulationResult>(deps.store, input.signalCurveKey),
          getJson<SimulationResult>(deps.store, input.benchmarkCurveKey),
        ]);
        const curve = (name: string, s: SimulationResult): TrackedMetric[] =>
          s.equity.map((value, step) => ({ key: name, value, step, timestamp: at(s.dates[step]) }));
        const t = at(p.end);
        const c = input.comparison;
        const now = Date.now();
        return logRuns(
          'backtest',
          [
            {
              experiment,
              key,
              name: `backtest ${p.start} .. ${p.end}`,
              startTime: now,
              endTime: now,
              params: {
                start: p.start,
                end: p.end,
                initial_capital: p.initialCapital,
                rebalance: p.rebalance as never,
                min_trade_value: p.minTradeValue,
                risk_free_rate: p.riskFreeRate,
                cost_model: p.costModel as never,
                signal_dates: input.signalDates,
              },
              metrics: [
                ...numericMetrics('signal', c.signal, t),
                ...numericMetrics('benchmark', c.benchmark, t),
                ...numericMetrics('excess', c.excess, t),
                { key: 'signal.trades', value: input.trades.signal, timestamp: t },
                { key: 'benchmark.trades', value: input.trades.benchmark, timestamp: t },
                ...curve('equity', sig),
                ...curve('benchmark_equity', bench),
              ],
              tags: {
                'quant.kind': 'backtest',
                'quant.model': DAILY_BOOK_MODEL,
                'quant.date': p.date,
                'quant.workflow_id': workflowId() ?? '',
              },
              artifacts: [
                ...(await artifact(input.reportKey, 'report.md', 'text/markdown; charset=utf-8')),
                ...(await artifact(input.chartKey, input.chartKey?.split('/').pop() ?? 'chart.svg', 'image/svg+xml')),
              ],
            },
          ],
          plan,
        );
      });
    },
  };
}
