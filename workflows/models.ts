/**
 * `models`: every active model version for one date, one `modelRun` child
 * each (all at once: there are tens of models, not thousands), tolerant of
 * any one failing: a failed child is listed with its reason and the others
 * go on. Each child loads what its strategy reads, runs it and stores the
 * signals with its model version (activities/models.ts); its ID is
 * `model-run-<name>-v<version>-<date>` and it carries `Model = name@version`,
 * so the Web UI filters runs by model. ID `models-<date>`;
 * `Pipeline = 'models'`, `RunDate = <date>`.
 *
 * `performance`: the day's performance test of every active version
 * (activities/performance.ts): rankings, top performers, underperformers,
 * report and chart. ID `performance-<date>`; `Pipeline = 'models'`.
 */
import { ChildWorkflowFailure, executeChild, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ExecuteModelResult } from '../activities/models';
import type { EvaluateModelsResult } from '../activities/performance';
import { LONG_ACTIVITY, SHORT_ACTIVITY } from './activity-options';
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

export type ModelRunResult = ExecuteModelResult;

export interface ModelsResult {
  date: string;
  completed: number;
  failed: number;
  models: ({ name: string; version: number; kind: string; workflowId: string } & (
    ({ status: 'completed' } & ModelRunResult) | { status: 'failed'; error: string }
  ))[];
}

const short = proxyActivities<Activities>(SHORT_ACTIVITY);
const long = proxyActivities<Activities>(LONG_ACTIVITY);

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
  return long.executeModel.executeWithOptions(
    { startToCloseTimeout: '5 minutes', summary: `load inputs, run ${input.name}@${input.version}, store its signals` },
    [{ date: input.date, modelId: input.modelId, workflowId: workflowInfo().workflowId }],
  );
}

export async function models(input: ModelsInput = {}): Promise<ModelsResult> {
  validateInput('models', modelsInputSchema, input);
  const date = resolveRunDate(input.date);
  tagRun({ pipeline: PIPELINE_MODELS, runDate: date });
  const active = await short.listActiveModels.executeWithOptions({ startToCloseTimeout: '1 minute', summary: 'active model versions' }, []);
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
  return { date, completed: runs.length - failed, failed, models: runs };
}

export interface PerformanceInput {
  /** YYYY-MM-DD; omitted on scheduled runs (then the previous weekday of the scheduled time). */
  date?: string;
}

export type PerformanceResult = EvaluateModelsResult;

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
  return r;
}
