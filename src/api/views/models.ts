/**
 * The Models page's data: `GET /api/models` (the latest ranking the
 * `performance` workflow stored, each version flagged when it is a top
 * performer or an underperformer, with a link to its MLflow experiment when
 * MLflow is configured, and the versions' cumulative-return curves against a
 * benchmark, model-curves.ts). `?date=` reads the ranking of that day instead.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createModelPerformanceRepo } from '../../adapters/postgres/model-run-repo';
import type { Db } from '../../adapters/postgres/pool';
import { experimentFor } from '../../adapters/tracking/mlflow';
import { errorSchema } from '../schemas';
import type { DashboardViewsDeps } from './deps';
import { modelCurves } from './model-curves';

const rankingSchema = z.object({
  rank: z.number().int(),
  model_id: z.number().int(),
  name: z.string(),
  version: z.number().int(),
  label: z.string().describe('name@version'),
  kind: z.string().nullable(),
  status: z.string().nullable(),
  sharpe: z.number().nullable(),
  total_return: z.number().nullable(),
  max_drawdown: z.number().nullable(),
  signals: z.number().int().describe('Signals judged'),
  top_performer: z.boolean(),
  underperforming: z.string().nullable().describe('Why the version underperforms; null when it does not'),
  mlflow_url: z.string().nullable().describe("The version's MLflow experiment; null when MLflow is not configured or has none yet"),
});
const curveSchema = z.object({ label: z.string(), values: z.array(z.number()) });
const modelsSchema = z.object({
  date: z.string().nullable().describe('The ranking of this day; null when no performance test ran yet'),
  score: z.string().nullable(),
  rankings: z.array(rankingSchema),
  alerts: z.array(z.string()),
  mlflow_configured: z.boolean(),
  curves: z.object({
    dates: z.array(z.string()),
    models: z.array(curveSchema.extend({ model_id: z.number().int() })),
    benchmark: curveSchema.extend({ symbols: z.number().int() }).nullable(),
  }),
});
const modelsQuerySchema = z.strictObject({ date: z.iso.date().optional().describe('The ranking of this day (default: the latest)') });

/** An experiment id out of a run link MLflow gave (`<base>/#/experiments/<id>/runs/<run>`). */
const EXPERIMENT_IN_URL = /#\/experiments\/([A-Za-z0-9_-]+)/;

/** Each model name's MLflow experiment page, from the latest run logged under its experiment. */
async function mlflowLinks(db: Db, mlflowUrl: string | undefined, names: readonly string[]): Promise<Map<string, string>> {
  if (!mlflowUrl || names.length === 0) return new Map();
  const byExperiment = new Map(names.map((n) => [experimentFor(n), n]));
  const r = await db.query<{ experiment: string; url: string }>(
    `SELECT DISTINCT ON (experiment) experiment, url FROM experiment_tracking
      WHERE experiment = ANY($1::text[]) AND status = 'logged' AND url IS NOT NULL ORDER BY experiment, updated_at DESC`,
    [[...byExperiment.keys()]],
  );
  const base = mlflowUrl.replace(/\/+$/, '');
  const out = new Map<string, string>();
  for (const x of r.rows) {
    const id = EXPERIMENT_IN_URL.exec(x.url)?.[1];
    if (id) out.set(byExperiment.get(x.experiment)!, `${base}/#/experiments/${id}`);
  }
  return out;
}

/**
 * @example
 *   GET /api/models -> { date: '2025-03-14', score: 'sharpe', rankings: [{ rank: 1, label: 'combined-score@1', ... }], curves: {...} }
 */
export function registerModelsRoutes(server: FastifyInstance, deps: DashboardViewsDeps): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const performance = createModelPerformanceRepo(deps.db);

  app.get(
    '/api/models',
    {
      schema: {
        summary: 'The latest model ranking, flags, MLflow links and cumulative-return curves against a benchmark',
        querystring: modelsQuerySchema,
        response: { 200: modelsSchema, 400: errorSchema },
      },
    },
    async (request) => {
      const report = await performance.report(request.query.date);
      if (!report)
        return {
          date: null,
          score: null,
          rankings: [],
          alerts: [],
          mlflow_configured: Boolean(deps.mlflowUrl),
          curves: { dates: [], models: [], benchmark: null },
        };
      const ids = report.rankings.map((r) => r.model_id);
      const described = await deps.db.query<{ id: number; kind: string; status: string }>(
        'SELECT id, kind, status FROM models WHERE id = ANY($1::int[])',
        [ids],
      );
      const versions = new Map(described.rows.map((x) => [Number(x.id), x]));
      const links = await mlflowLinks(deps.db, deps.mlflowUrl, [...new Set(report.rankings.map((r) => r.name))]);
      const underperforming = new Map(report.underperformers.map((u) => [u.model, u.reason]));
      const rankings = report.rankings.map((r) => {
        const label = `${r.name}@${r.version}`;
        return {
          ...r,
          label,
          kind: versions.get(r.model_id)?.kind ?? null,
          status: versions.get(r.model_id)?.status ?? null,
          top_performer: report.topPerformers.includes(label),
          underperforming: underperforming.get(label) ?? null,
          mlflow_url: links.get(r.name) ?? null,
        };
      });
      return {
        date: report.date,
        score: report.score,
        rankings,
        alerts: report.alerts,
        mlflow_configured: Boolean(deps.mlflowUrl),
        curves: await modelCurves(deps.db, report.date, rankings, deps.modelCurves),
      };
    },
  );
}
