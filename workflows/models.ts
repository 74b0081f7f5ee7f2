/**
 * `models`: every active model version for one date, one `modelRun` child
 * each (all at once: there are tens of models, not thousands), tolerant of
 * any one failing: a failed child is listed with its reason and the others
 * go on. Each child loads what its strategy reads, runs it and stores the
 * signals with its model version (activities/models.ts), as one local step
 * (see MODEL_RUN_LOCAL_PATCH); its ID is
 * `model-run-<name>-v<version>-<date>` and it carries `Model = name@version`,
 * so the Web UI filters runs by model. ID `models-<date>`;
 * `Pipeline = 'models'`, `RunDate = <date>`.
 *
 * `performance`: the day's performance test of every active version
 * (activities/performance.ts): rankings, top performers, underperformers,
 * report and chart. ID `performance-<date>`; `Pipeline = 'models'`.
 *
 * Experiment tracking (behind the `mlflow-tracking` patch, so runs recorded
 * before it replay unchanged): `models` first mirrors the registry's
 * versions into MLflow's model registry, each `modelRun` logs its run and
 * `performance` its test, each as a last local step that is `off` without
 * MLFLOW_TRACKING_URI and `skipped` (never failed) when MLflow is down.
 */
import {
  ChildWorkflowFailure,
  executeChild,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ExecuteModelResult } from '../activities/models';
import type { EvaluateModelsResult } from '../activities/performance';
import type { TrackingOutcome } from '../activities/tracking';
import { LOCAL_STEP, LONG_ACTIVITY, SHORT_ACTIVITY, TRACKING_ATTEMPTS, TRACKING_PATCH, TRACKING_STEP } from './activity-options';
import { modelRunInputSchema, modelsInputSchema, performanceInputSchema } from './inputs';
import { PIPELINE_MODELS, workflowIds } from './names';
import { resolveRunDate } from './run-date';
import { runTags, tagRun } from './tag-run';
import { validateInput } from './validate-input';

export interface ModelsInput {
  /** YYYY-MM-DD; omitted on scheduled runs (then the previous weekday of the scheduled time). */
  date?: string;
}

export interface ModelRunInput {
  date: string;
  modelId: number;
  name: string;
  version: number;
}

/** `tracking` is absent in results of runs from before the `mlflow-tracking` patch. */
export type ModelRunResult = ExecuteModelResult & { tracking?: TrackingOutcome['status'] };

export interface ModelsResult {
  date: string;
  /** Whether the registry's versions reached the experiment tracker (absent before the `mlflow-tracking` patch). */
  tracking?: TrackingOutcome['status'];
  completed: number;
  failed: number;
  models: ({ name: string; version: number; kind: string; workflowId: string } & (
    ({ status: 'completed' } & ModelRunResult) | { status: 'failed'; error: string }
  ))[];
}

const short = proxyActivities<Activities>(SHORT_ACTIVITY);
const long = proxyActivities<Activities>(LONG_ACTIVITY);
const tracking = proxyLocalActivities<Activities>(TRACKING_STEP);
const localSteps = proxyLocalActivities<Activities>(LOCAL_STEP);

/**
 * The patch that made a model run's one step a local activity: a run is a
 * second or less of work, and as an activity task it cost the server more
 * than the run itself (three more events, an activity task to dispatch and
 * a second workflow task). Runs started before it replay on the old path.
 */
export const MODEL_RUN_LOCAL_PATCH = 'model-run-local-step';

/** The innermost message of a child's failure (the activity's own error). */
function reason(err: unknown): string {
  let e = err as { cause?: unknown; message?: string } | undefined;
  while (e?.cause) e = e.cause as typeof e;
  return e?.message ?? String(err);
}

export async function modelRun(input: ModelRunInput): Promise<ModelRunResult> {
  validateInput('modelRun', modelRunInputSchema, input);
  tagRun({ pipeline: PIPELINE_MODELS, runDate: input.date, model: `${input.name}@${input.version}` });
  setCurrentDetails(`${input.name}@${input.version} for ${input.date}`);
  const step = { startToCloseTimeout: '5 minutes', summary: `load inputs, run ${input.name}@${input.version}, store its signals` };
  const run = { date: input.date, modelId: input.modelId, workflowId: workflowInfo().workflowId };
  const result = patched(MODEL_RUN_LOCAL_PATCH)
    ? await localSteps.executeModel.executeWithOptions({ ...LOCAL_STEP, ...step }, [run])
    : await long.executeModel.executeWithOptions(step, [run]);
  if (!patched(TRACKING_PATCH)) return result;
  const tracked = await tracking.trackModelRun.executeWithOptions(
    { ...TRACKING_STEP, summary: `log the run of ${input.name}@${input.version} to the experiment tracker` },
    [{ ...input, result, attempts: TRACKING_ATTEMPTS }],
  );
  return { ...result, tracking: tracked.status };
}

export async function models(input: ModelsInput = {}): Promise<ModelsResult> {
  validateInput('models', modelsInputSchema, input);
  const date = resolveRunDate(input.date);
  tagRun({ pipeline: PIPELINE_MODELS, runDate: date });
  const active = await short.listActiveModels.executeWithOptions({ startToCloseTimeout: '1 minute', summary: 'active model versions' }, []);
  const versionsTracked = patched(TRACKING_PATCH)
    ? await tracking.trackModelVersions.executeWithOptions(
        { ...TRACKING_STEP, summary: "mirror the registry's model versions into the experiment tracker" },
        [{ attempts: TRACKING_ATTEMPTS }],
      )
    : undefined;
  setCurrentDetails(`${active.length} model versions for ${date}`);
  const runs = await Promise.all(
    active.map(async (m) => {
      const workflowId = workflowIds.modelRun(m.name, m.version, date);
      const base = { name: m.name, version: m.version, kind: m.kind, workflowId };
      try {
        const r = await executeChild(modelRun, {
          workflowId,
          args: [{ date, modelId: m.modelId, name: m.name, version: m.version }],
          typedSearchAttributes: runTags({ pipeline: PIPELINE_MODELS, runDate: date, model: `${m.name}@${m.version}` }),
          staticSummary: `${m.name}@${m.version} (${m.kind}) for ${date}`,
        });
        return { ...base, status: 'completed' as const, ...r };
      } catch (err) {
        if (!(err instanceof ChildWorkflowFailure)) throw err;
        return { ...base, status: 'failed' as const, error: reason(err) };
      }
    }),
  );
  const failed = runs.filter((r) => r.status === 'failed').length;
  setCurrentDetails(`${runs.length - failed} of ${runs.length} model versions ran; ${failed} failed`);
  return {
    date,
    ...(versionsTracked ? { tracking: versionsTracked.status } : {}),
    completed: runs.length - failed,
    failed,
    models: runs,
  };
}

export interface PerformanceInput {
  /** YYYY-MM-DD; omitted on scheduled runs (then the previous weekday of the scheduled time). */
  date?: string;
}

/** `tracking` is absent in results of runs from before the `mlflow-tracking` patch. */
export type PerformanceResult = EvaluateModelsResult & { tracking?: TrackingOutcome['status'] };

export async function performance(input: PerformanceInput = {}): Promise<PerformanceResult> {
  validateInput('performance', performanceInputSchema, input);
  const date = resolveRunDate(input.date);
  tagRun({ pipeline: PIPELINE_MODELS, runDate: date });
  setCurrentDetails(`judging the models' signals up to ${date}`);
  const r = await long.evaluateModels.executeWithOptions(
    { startToCloseTimeout: '5 minutes', summary: `performance, ranking and report of every active model on ${date}` },
    [{ date }],
  );
  setCurrentDetails(`${r.models} models ranked; ${r.underperformers.length} underperforming`);
  if (!patched(TRACKING_PATCH)) return r;
  const tracked = await tracking.trackPerformance.executeWithOptions(
    { ...TRACKING_STEP, summary: `log ${r.models} models' performance of ${date} to the experiment tracker` },
    [{ date, reportKey: r.reportKey, chartKey: r.chartKey, attempts: TRACKING_ATTEMPTS }],
  );
  return { ...r, tracking: tracked.status };
}
