/**
 * `quant models list|register|retire|show`: the model registry
 * (src/adapters/postgres/model-repo.ts). Only Postgres is needed; the
 * embedded one is started when it is not running, and the built-in models
 * are registered first, so `quant models list` on a fresh checkout shows them.
 * And `quant run features|models|performance` (the model pipeline's
 * workflows) and `quant rankings`.
 */
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { parse as parseYaml } from 'yaml';
import { createModelRepo, parseModelRef, type ModelRow } from '../../adapters/postgres/model-repo';
import { ModelRegistrationError } from '../../config/model-kinds';
import type { Config } from '../../config/schema';
import { checkedInput, type OutputFormat } from '../args';
import { withPreparedDatabase } from '../database';
import { announceRun, out, printResult, textTable, webUiLink } from '../output';
import { refuseFutureRunDate } from '../run-date';
import { runWorkflowCommand } from '../with-client';
import { PIPELINE_MODELS, workflowIds } from '../../../workflows/names';
import type { FeaturesInput, FeaturesResult } from '../../../workflows/features';
import type { ModelsInput, ModelsResult, PerformanceResult } from '../../../workflows/models';
import type { ModelPipelineInput, ModelPipelineResult } from '../../../workflows/model-pipeline';
import { modelPipelineInputSchema } from '../../../workflows/inputs';
import { createModelPerformanceRepo } from '../../adapters/postgres/model-run-repo';
import { createObjectStore } from '../../adapters/object-store';
import { dailyStartOptions } from './daily-start';
import { createTracker } from '../../adapters/tracking';
import type { Db } from '../../adapters/postgres/pool';
import { errorMessage } from '../../domain/errors';

/**
 * With MLFLOW_TRACKING_URI set, carry a name's versions (a new one, a retirement) into MLflow's model registry
 * now rather than at the next `models` run. Best effort: MLflow being down is reported, not an error (the
 * `models` workflow syncs again). Returns the line to print, or undefined when tracking is off.
 */
async function mirrorToTracker(config: Config, db: Db, name: string): Promise<string | undefined> {
  const tracker = createTracker(config.tracking);
  if (tracker.kind === 'off') return undefined;
  const versions = (await createModelRepo(db).versions()).filter((v) => v.name === name);
  try {
    const { created } = await tracker.syncModelVersions(versions.map((v) => ({ ...v, createdAt: Date.parse(v.createdAt) })));
    return `MLflow: ${name} has ${versions.length} version(s) in the model registry${created ? ` (${created} added now)` : ''}`;
  } catch (err) {
    return `MLflow not updated (${errorMessage(err)}); the next \`quant run models\` syncs it`;
  }
}

const fixed = (v: number | null, digits = 2) => (v === null ? '-' : v.toFixed(digits));
const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);

/** A config file: YAML or JSON (a JSON document is YAML), an object at the top. */
function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ModelRegistrationError(`cannot read model config ${file}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    throw new ModelRegistrationError(`model config ${file} is not valid YAML or JSON: ${(e as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ModelRegistrationError(`model config ${file} must be a mapping of settings (field: value)`);
  return parsed;
}

const describe = (m: ModelRow) => `${m.name}@${m.version} (${m.kind}, ${m.status})`;

export const modelsCommands = {
  async list(o: { output: OutputFormat }, config: Config): Promise<void> {
    const rows = await withPreparedDatabase(config, (db) => createModelRepo(db).list());
    if (o.output === 'json') return out(JSON.stringify(rows, null, 2));
    out(
      textTable(
        ['name', 'version', 'kind', 'status', 'created', 'last run', 'last rank'],
        rows.map((m) => [
          m.name,
          m.version,
          m.kind,
          m.status,
          m.createdAt.slice(0, 10),
          m.lastRunDate ? `${m.lastRunDate} ${m.lastRunStatus}` : '-',
          m.lastRank === null ? '-' : `${m.lastRank} (${m.lastRankDate})`,
        ]),
      ),
    );
  },

  async register(o: { name: string; kind: string; config?: string; output: OutputFormat }, config: Config): Promise<void> {
    const raw = o.config === undefined ? {} : readConfigFile(o.config);
    const { r, tracked } = await withPreparedDatabase(config, async (db) => {
      const r = await createModelRepo(db).register({ name: o.name, kind: o.kind, config: raw });
      return { r, tracked: await mirrorToTracker(config, db, o.name) };
    });
    if (o.output === 'json') return out(JSON.stringify({ ...r, ...(tracked ? { tracking: tracked } : {}) }, null, 2));
    out(r.created ? `registered ${describe(r.model)}` : `unchanged: the config is already ${describe(r.model)}`);
    if (tracked) out(tracked);
  },

  async retire(ref: string, config: Config): Promise<void> {
    const { name, version } = parseModelRef(ref);
    const { retired, tracked } = await withPreparedDatabase(config, async (db) => {
      const retired = await createModelRepo(db).retire(name, version);
      return { retired, tracked: retired.length ? await mirrorToTracker(config, db, name) : undefined };
    });
    out(retired.length ? `retired ${retired.map((m) => `${m.name}@${m.version}`).join(', ')}` : `${ref}: nothing active to retire`);
    if (tracked) out(tracked);
  },

  async show(name: string, o: { output: OutputFormat }, config: Config): Promise<void> {
    const r = await withPreparedDatabase(config, (db) => createModelRepo(db).show(name));
    if (o.output === 'json') return out(JSON.stringify(r, null, 2));
    for (const v of r.versions) {
      out(`${describe(v)}  created ${v.createdAt}${v.retiredAt ? `  retired ${v.retiredAt}` : ''}${v.builtIn ? '  built-in' : ''}`);
      out(`  config: ${JSON.stringify(v.config)}`);
      const perf = r.performance.filter((p) => p.modelId === v.id);
      if (perf.length === 0) {
        out('  performance: none recorded yet');
        continue;
      }
      out(
        textTable(
          ['  date', 'holding', 'return', 'win rate', 'Sharpe', 'Sortino', 'max DD', 'signals'],
          perf.map((p) => [
            `  ${p.date}`,
            `${p.holdingPeriodDays}d`,
            pct(p.totalReturn),
            pct(p.winRate),
            fixed(p.sharpe),
            fixed(p.sortino),
            pct(p.maxDrawdown),
            p.signalCount,
          ]),
        ),
      );
    }
  },
};

/** `features` for one date under `features-<date>`; waits for the result. */
export async function runFeatures(client: Client, taskQueue: string, input: FeaturesInput & { date: string }): Promise<FeaturesResult> {
  return client.workflow.execute('features', {
    ...dailyStartOptions(taskQueue, workflowIds.features(input.date), input.date, `features ${input.date}`, PIPELINE_MODELS),
    args: [input],
  });
}

/** `models` for one date under `models-<date>`; waits for the result. */
export async function runModels(client: Client, taskQueue: string, input: ModelsInput & { date: string }): Promise<ModelsResult> {
  return client.workflow.execute('models', {
    ...dailyStartOptions(taskQueue, workflowIds.models(input.date), input.date, `models ${input.date}`, PIPELINE_MODELS),
    args: [input],
  });
}

type RunOptions = { date: string; output: OutputFormat; worker?: boolean };

/** One model-pipeline workflow for `--date` as a command: its ID and Web UI link, then its result. */
function runDated(
  workflowType: 'features' | 'models' | 'performance',
  run: (c: Client, taskQueue: string, date: string) => Promise<unknown>,
) {
  return async (o: RunOptions, config: Config) => {
    const date = refuseFutureRunDate(o.date);
    const workflowId = workflowIds[workflowType](date);
    return runWorkflowCommand(config, { workflowId, workflowType, inProcessWorker: o.worker }, async (c, uiUrl) => {
      announceRun(o.output, workflowId, webUiLink(uiUrl, config.temporal.namespace, workflowId));
      printResult(o.output, await run(c, config.temporal.taskQueue, date));
    });
  };
}

/** `quant run features --date D [--worker] [-o json]`. */
export const featuresRunCommand = runDated('features', (c, q, date) => runFeatures(c, q, { date }));
/** `quant run models --date D [--worker] [-o json]`. */
export const modelsRunCommand = runDated('models', (c, q, date) => runModels(c, q, { date }));

/** `performance` for one date under `performance-<date>`; waits for the result. */
export async function runPerformance(client: Client, taskQueue: string, date: string): Promise<PerformanceResult> {
  return client.workflow.execute('performance', {
    ...dailyStartOptions(taskQueue, workflowIds.performance(date), date, `model performance ${date}`, PIPELINE_MODELS),
    args: [{ date }],
  });
}

/** `quant run performance --date D [--worker] [-o json]`. */
export const performanceRunCommand = runDated('performance', (c, q, date) => runPerformance(c, q, date));

/** `quant rankings [--date D] [-o json]`: the stored ranking and where its chart is. */
export async function rankingsCommand(o: { date?: string; output: OutputFormat }, config: Config): Promise<number | void> {
  const report = await withPreparedDatabase(config, (db) => createModelPerformanceRepo(db).report(o.date));
  if (!report) {
    process.stderr.write(`no performance report${o.date ? ` for ${o.date}` : ''}: run \`quant run performance --date D\` first\n`);
    return 1;
  }
  if (o.output === 'json') return out(JSON.stringify(report, null, 2));
  out(`rankings of ${report.date} (by ${report.score})`);
  out(
    textTable(
      ['rank', 'model', 'Sharpe', 'return', 'max DD', 'signals'],
      report.rankings.map((r) => [r.rank, `${r.name}@${r.version}`, fixed(r.sharpe), pct(r.total_return), pct(r.max_drawdown), r.signals]),
    ),
  );
  out(`top performers: ${report.topPerformers.join(', ') || 'none'}`);
  for (const u of report.underperformers) out(`underperforming: ${u.model}: ${u.reason}`);
  if (report.chartKey) out(`chart: ${createObjectStore(config).locate(report.chartKey)}`);
}

const MODEL_PIPELINE_USAGE = 'quant run model-pipeline --from YYYY-MM-DD --to YYYY-MM-DD [--dates-per-run N]';

/** `model-pipeline-<from>-<to>`; waits for the result (a range already running is joined). */
export async function runModelPipeline(client: Client, taskQueue: string, input: ModelPipelineInput): Promise<ModelPipelineResult> {
  return client.workflow.execute('modelPipeline', {
    ...dailyStartOptions(
      taskQueue,
      workflowIds.modelPipeline(input.from, input.to),
      input.to,
      `model pipeline ${input.from}..${input.to}`,
      PIPELINE_MODELS,
    ),
    args: [input],
  });
}

/** `quant run model-pipeline --from D1 --to D2 [--dates-per-run N]`: checked as the workflow checks it, then run and waited for. */
export async function modelPipelineRunCommand(
  o: { from: string; to: string; datesPerRun?: number; output: OutputFormat; worker?: boolean },
  config: Config,
): Promise<number | undefined> {
  refuseFutureRunDate(o.to, MODEL_PIPELINE_USAGE);
  const input = checkedInput(
    'modelPipeline',
    modelPipelineInputSchema,
    { from: o.from, to: o.to, datesPerRun: o.datesPerRun },
    { from: '--from', to: '--to', datesPerRun: '--dates-per-run' },
    MODEL_PIPELINE_USAGE,
  );
  const workflowId = workflowIds.modelPipeline(input.from, input.to);
  return runWorkflowCommand(config, { workflowId, workflowType: 'modelPipeline', inProcessWorker: o.worker }, async (c, uiUrl) => {
    announceRun(o.output, workflowId, webUiLink(uiUrl, config.temporal.namespace, workflowId));
    printResult(o.output, await runModelPipeline(c, config.temporal.taskQueue, input));
  });
}
