/**
 * The Runs page's data: `GET /api/runs` (the latest daily and fan-out runs,
 * the listing `quant runs list` prints, each with the reports it wrote and
 * its links into the Temporal Web UI) and `GET /api/runs/report?key=` (one
 * report rendered to HTML with its charts inlined, report-html.ts). When
 * Temporal cannot be reached the fan-out runs are still listed and the
 * answer says why the daily ones are not.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ObjectNotFoundError, ObjectStoreUnavailableError } from '../../adapters/object-store/types';
import type { PIPELINE_FANOUT } from '../../../workflows/names';
import { errorSchema } from '../schemas';
import type { DashboardViewsDeps } from './deps';
import { renderReport, reportKeyProblem } from './report-html';
import { reportsOfRuns, runReportId } from './run-reports';
import { dailyRuns, fanoutRuns, listRuns } from './run-list';

/** Spelled here, typed by workflows/names (the API imports no workflow values). */
const FANOUT: typeof PIPELINE_FANOUT = 'fanout';
/** How long the listing waits on Temporal's visibility before it answers without the daily runs. */
const VISIBILITY_DEADLINE_MS = 5_000;

const runSchema = z.object({
  kind: z.enum(['daily', 'fanout']),
  workflow: z.string().describe('The Temporal workflow type'),
  workflow_id: z.string(),
  run: z.string().describe('The run date of a daily run, the run key of a fan-out run'),
  status: z.string(),
  started_at: z.string(),
  closed_at: z.string().nullable(),
  detail: z.string(),
  web_ui: z.string().nullable().describe("The workflow's page in the Temporal Web UI; null when its address is not known"),
  children_web_ui: z.string().nullable().describe("A fan-out's per-contract children in the Web UI (a visibility query)"),
  reports: z.array(z.object({ label: z.string(), key: z.string() })),
});
const runsSchema = z.object({
  runs: z.array(runSchema),
  missing: z.array(z.object({ source: z.enum(['daily', 'fanout']), reason: z.string() })).describe('Sources not listed, and why'),
});
const runsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Runs of each kind (daily, fan-out) at most'),
});

const reportQuerySchema = z.strictObject({
  key: z
    .string()
    .superRefine((key, ctx) => {
      const problem = reportKeyProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe('A report key, as listed with a run (reports/<workflow>/.../<name>.md)'),
});
const reportSchema = z.object({
  key: z.string(),
  title: z.string(),
  html: z.string().describe('The report as HTML: raw HTML in it escaped, its SVG charts inlined as data: URIs'),
  charts: z.object({ inlined: z.number().int(), missing: z.array(z.string()) }),
});

/** Run keys and workflow IDs use a safe alphabet (RUN_KEY_PATTERN); anything else gets no query link. */
const QUERY_SAFE = /^[A-Za-z0-9_.-]+$/;

/**
 * A fan-out's children in the Web UI: every workflow of the run's tree that carries a `Contract`
 * (one analyzeSymbol per contract, under the orchestrator or one of its shards).
 *
 * @example
 *   fanoutChildrenLink('http://localhost:8233', 'default', 'orchestrator-run1')
 *   // "http://localhost:8233/namespaces/default/workflows?query=Pipeline%20%3D%20'fanout'%20AND%20RootWorkflowId%20..."
 */
export function fanoutChildrenLink(uiUrl: string | undefined, namespace: string, workflowId: string): string | null {
  if (!uiUrl || !QUERY_SAFE.test(workflowId)) return null;
  const query = `Pipeline = '${FANOUT}' AND RootWorkflowId = '${workflowId}' AND Contract IS NOT NULL`;
  return `${uiUrl}/namespaces/${namespace}/workflows?query=${encodeURIComponent(query)}`;
}

/**
 * @example
 *   GET /api/runs?limit=20 -> { runs: [{ kind: 'daily', workflow: 'monitor', run: '2025-03-14', reports: [...], web_ui, ... }], missing: [] }
 *   GET /api/runs/report?key=reports/monitor/year=2025/month=03/day=14/monitor-2025-03-14.md -> { key, title, html, charts }
 */
export function registerRunsRoutes(server: FastifyInstance, deps: DashboardViewsDeps): void {
  const app = server.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/runs',
    {
      schema: {
        summary: 'The latest daily and fan-out runs, their reports and Web UI links',
        querystring: runsQuerySchema,
        response: { 200: runsSchema, 400: errorSchema },
      },
    },
    async (request) => {
      const { limit } = request.query;
      const { runs, missing } = await listRuns({
        daily: async () => {
          const t = await deps.temporal();
          if (!t.client) throw new Error(t.reason);
          const client = t.client;
          return client.connection.withDeadline(Date.now() + VISIBILITY_DEADLINE_MS, () =>
            dailyRuns(client, limit, deps.uiUrl, deps.namespace),
          );
        },
        fanout: () => fanoutRuns(deps.db, limit, deps.uiUrl, deps.namespace),
      });
      const reports = await reportsOfRuns(deps.db, runs);
      return {
        runs: runs.map((l) => ({
          kind: l.kind,
          workflow: l.workflow,
          workflow_id: l.workflowId,
          run: l.run,
          status: l.status,
          started_at: l.startedAt,
          closed_at: l.closedAt,
          detail: l.detail,
          web_ui: l.webUi,
          children_web_ui: l.kind === 'fanout' ? fanoutChildrenLink(deps.uiUrl, deps.namespace, l.workflowId) : null,
          reports: reports.get(runReportId(l)) ?? [],
        })),
        missing: [
          ...(missing.daily === undefined
            ? []
            : [{ source: 'daily' as const, reason: `daily runs not listed (Temporal): ${missing.daily}` }]),
          ...(missing.fanout === undefined
            ? []
            : [{ source: 'fanout' as const, reason: `fan-out runs not listed (Postgres): ${missing.fanout}` }]),
        ],
      };
    },
  );

  app.get(
    '/api/runs/report',
    {
      schema: {
        summary: "A run's report as HTML, its charts inlined",
        querystring: reportQuerySchema,
        response: { 200: reportSchema, 400: errorSchema, 404: errorSchema, 503: errorSchema },
      },
    },
    async (request, reply) => {
      const { key } = request.query;
      if (!deps.store) return reply.code(503).send({ error: 'store_unavailable', message: 'this service has no object store configured' });
      try {
        return await renderReport(deps.store, key);
      } catch (err) {
        if (err instanceof ObjectNotFoundError)
          return reply.code(404).send({ error: 'not_found', field: 'key', message: `no report at ${key}` });
        if (err instanceof ObjectStoreUnavailableError)
          return reply.code(503).send({ error: 'store_unavailable', message: `the object store cannot be read: ${err.message}` });
        throw err;
      }
    },
  );
}
