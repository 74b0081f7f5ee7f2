/**
 * `quant runs list`: the latest runs of both kinds, newest first - daily
 * runs (the pipeline and its steps, from Temporal's visibility store: every
 * one carries `Pipeline = 'daily'`) and fan-out runs (from Postgres, with
 * their contract counts). Either source may be down; the other is still
 * listed and the gap is said on stderr.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/schema';
import { stackEndpoints } from '../../stack/stack';
import { createPool } from '../../adapters/postgres/pool';
import { createFanoutRepo } from '../../adapters/postgres/fanout-repo';
import { PIPELINE_DAILY } from '../../../workflows/names';
import type { OutputFormat } from '../args';
import { withClient } from '../with-client';
import { err, out, textTable, webUiLink } from '../output';

export interface RunLine {
  kind: 'daily' | 'fanout';
  /** The Temporal workflow type (pipeline, ingest, ..., orchestrator). */
  workflow: string;
  workflowId: string;
  /** The run date of a daily run, the run key of a fan-out run. */
  run: string;
  status: string;
  startedAt: string;
  closedAt: string | null;
  /** Counts and reasons, in words. */
  detail: string;
  webUi: string | null;
}

async function dailyRuns(client: Client, limit: number, uiUrl: string | undefined, namespace: string): Promise<RunLine[]> {
  const lines: RunLine[] = [];
  for await (const w of client.workflow.list({ query: `Pipeline = '${PIPELINE_DAILY}'`, pageSize: limit })) {
    const runDate = w.searchAttributes?.RunDate?.[0];
    lines.push({
      kind: 'daily',
      workflow: w.type,
      workflowId: w.workflowId,
      run: runDate instanceof Date ? runDate.toISOString().slice(0, 10) : String(runDate ?? '-'),
      status: w.status.name.toLowerCase(),
      startedAt: w.startTime.toISOString(),
      closedAt: w.closeTime?.toISOString() ?? null,
      detail: '',
      webUi: webUiLink(uiUrl, namespace, w.workflowId) ?? null,
    });
    if (lines.length >= limit) break;
  }
  return lines;
}

async function fanoutRuns(config: Config, limit: number, uiUrl: string | undefined): Promise<RunLine[]> {
  const db = createPool(stackEndpoints(config).databaseUrl, 2);
  try {
    return (await createFanoutRepo(db).listRuns(limit)).map((r) => ({
      kind: 'fanout' as const,
      workflow: 'orchestrator',
      workflowId: r.workflowId,
      run: r.runKey,
      status: r.status,
      startedAt: r.startedAt.toISOString(),
      closedAt: r.finishedAt?.toISOString() ?? null,
      detail:
        `${r.succeeded} ok ${r.failed} failed, validation ${r.validationStatus ?? '-'}` +
        (r.reportKey ? `, report ${r.reportKey}` : '') +
        (r.status === 'failed' && r.failureReason ? `, reason: ${r.failureReason.slice(0, 120)}` : ''),
      webUi: webUiLink(uiUrl, config.temporal.namespace, r.workflowId) ?? null,
    }));
  } finally {
    await db.end();
  }
}

export async function runsListCommand(o: { limit: number; output: OutputFormat }, config: Config): Promise<number | void> {
  const uiUrl = stackEndpoints(config).uiUrl;
  const [daily, fanout] = await Promise.allSettled([
    withClient(config, (client) => dailyRuns(client, o.limit, uiUrl, config.temporal.namespace)),
    fanoutRuns(config, o.limit, uiUrl),
  ]);
  if (daily.status === 'rejected') err(`quant: daily runs not listed (Temporal): ${(daily.reason as Error).message}`);
  if (fanout.status === 'rejected') err(`quant: fan-out runs not listed (Postgres): ${(fanout.reason as Error).message}`);
  const lines = [daily, fanout]
    .flatMap((r) => (r.status === 'fulfilled' ? r.value : []))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  if (o.output === 'json') out(JSON.stringify(lines, null, 2));
  else if (lines.length === 0) out('no runs yet');
  else
    out(
      textTable(
        ['started', 'kind', 'workflow', 'workflow ID', 'run', 'status', 'detail'],
        // PARTIAL / FAILED in capitals: a run that lost contracts must not read like a finished one.
        lines.map((l) => [
          l.startedAt,
          l.kind,
          l.workflow,
          l.workflowId,
          l.run,
          l.status === 'completed' || l.status === 'running' ? l.status : l.status.toUpperCase(),
          l.detail,
        ]),
      ),
    );
  if (daily.status === 'rejected' && fanout.status === 'rejected') return 1;
}
