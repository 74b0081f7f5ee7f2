/**
 * Activities of the `models` workflow and its `modelRun` children: list the
 * active model versions, and run one version for one date (load what its
 * strategy reads: the feature store's rows of the daily feature set, WF3's
 * component scores, or, for an intraday strategy kind, the daily bars its
 * config asks for -> run the strategy of src/domain/model-strategies
 * -> store its signals and mark the run completed in one transaction). A run
 * whose inputs are missing is marked failed with the reason and keeps no
 * signals; the error is non-retryable (running again cannot conjure the
 * features), so the parent records it and goes on with the other models.
 */
import type { FeatureStoreRepo } from '../src/adapters/postgres/feature-store-repo';
import type { MarketDataRepo } from '../src/adapters/postgres/market-data-repo';
import type { ModelRunRepo } from '../src/adapters/postgres/model-run-repo';
import type { SignalRepo } from '../src/adapters/postgres/signal-repo';
import { parseModelConfig } from '../src/config/model-kinds';
import { errorMessage } from '../src/domain/errors';
import { DAILY_FEATURE_SET, type Features } from '../src/domain/features';
import {
  MODEL_STRATEGIES,
  ModelInputError,
  type ComponentScores,
  type ModelInputs,
  type ModelSignal,
  type ModelStrategy,
} from '../src/domain/model-strategies';
import type { DailyBar } from '../src/domain/strategies/daily-bars';
import { withDbFailures } from './support/db-failures';
import { asActivityFailure } from './support/failures';

export interface ModelsDeps {
  modelRuns: ModelRunRepo;
  featureStore: FeatureStoreRepo;
  signals: Pick<SignalRepo, 'getSignalResults'>;
  marketDataRepo: Pick<MarketDataRepo, 'lastBarsOn'>;
}

export interface ModelVersionRef {
  modelId: number;
  name: string;
  version: number;
  kind: string;
}

export interface ExecuteModelInput {
  date: string;
  modelId: number;
  workflowId: string;
}

export interface ExecuteModelResult {
  runId: number;
  signals: number;
  buys: number;
  sells: number;
  holds: number;
  loadMs: number;
  runMs: number;
}

const count = (signals: readonly ModelSignal[], action: ModelSignal['action']) => signals.filter((s) => s.action === action).length;

export function createModelsActivities(deps: ModelsDeps) {
  async function loadInputs(date: string, strategy: ModelStrategy, config: unknown): Promise<ModelInputs> {
    let features = new Map<string, Features>();
    let scores = new Map<string, ComponentScores>();
    const dailyBars = new Map<string, DailyBar[]>();
    if (strategy.needs === 'features') {
      const set = await deps.featureStore.ensureFeatureSet(DAILY_FEATURE_SET.name, DAILY_FEATURE_SET.definition);
      features = await deps.featureStore.featuresOn(set, date);
    } else if (strategy.needs === 'scores') {
      const rows = await deps.signals.getSignalResults(date);
      scores = new Map(
        rows.map((r) => [r.symbol, { technical: r.technicalScore, fundamental: r.fundamentalScore, sentiment: r.sentimentScore }]),
      );
    } else {
      const wanted = strategy.dailyBars!(config as never);
      const rows = await deps.marketDataRepo.lastBarsOn(date, wanted.bars, wanted.symbols.length > 0 ? wanted.symbols : undefined);
      for (const b of rows) (dailyBars.get(b.symbol) ?? dailyBars.set(b.symbol, []).get(b.symbol)!).push(b);
    }
    return { date, features, scores, dailyBars };
  }

  return {
    async listActiveModels(): Promise<ModelVersionRef[]> {
      return withDbFailures('listing the active models', async () =>
        (await deps.modelRuns.activeModels()).map((m) => ({ modelId: m.id, name: m.name, version: m.version, kind: m.kind })),
      );
    },

    async executeModel(input: ExecuteModelInput): Promise<ExecuteModelResult> {
      return asActivityFailure(() =>
        withDbFailures(`running model ${input.modelId} for ${input.date}`, async () => {
          const model = await deps.modelRuns.model(input.modelId);
          const runId = await deps.modelRuns.startRun(model.id, input.date, input.workflowId);
          try {
            const strategy: ModelStrategy | undefined = Object.hasOwn(MODEL_STRATEGIES, model.kind)
              ? MODEL_STRATEGIES[model.kind as keyof typeof MODEL_STRATEGIES]
              : undefined;
            if (!strategy)
              throw new ModelInputError(`model ${model.name}@${model.version} has kind "${model.kind}", which has no strategy`);
            const config = parseModelConfig(model.kind, model.config);
            const t0 = performance.now();
            const inputs = await loadInputs(input.date, strategy, config);
            const t1 = performance.now();
            const signals = strategy.run(inputs, config as never);
            const t2 = performance.now();
            await deps.modelRuns.completeRun(runId, model.id, signals, { loadMs: t1 - t0, runMs: t2 - t1 });
            return {
              runId,
              signals: signals.length,
              buys: count(signals, 'BUY'),
              sells: count(signals, 'SELL'),
              holds: count(signals, 'HOLD'),
              loadMs: Math.round(t1 - t0),
              runMs: Math.round(t2 - t1),
            };
          } catch (err) {
            // Best effort: when the database itself failed, the retry's startRun resets the row anyway.
            await deps.modelRuns.failRun(runId, errorMessage(err)).catch(() => undefined);
            throw err;
          }
        }),
      );
    },
  };
}
