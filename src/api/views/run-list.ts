/**
 * The latest runs of both kinds, one listing for `quant runs list` and the
 * dashboard's Runs page (`GET /api/runs`): daily runs (the pipeline and its
 * steps, from Temporal's visibility store, every one tagged
 * `Pipeline = 'daily'`) and fan-out runs (from Postgres, with their contract
 * counts). Either source may be down; the other is still listed and the gap
 * is said in words, so a caller never shows an empty list for a partial one.
 */
import type { Client } from '@temporalio/client';
import { createFanoutRepo } from '../../adapters/postgres/fanout-repo';
import type { Db } from '../../adapters/postgres/pool';
import type { PIPELINE_DAILY } from '../../../workflows/names';

/**
 * The API may not import workflow values (the lint wall), so the tag is spelled here; typed with
 * workflows/names' constant, a renamed pipeline fails the type check instead of listing nothing.
 */
const DAILY: typeof PIPELINE_DAILY = 'daily';

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

/** The Web UI page of a workflow (its latest run), when the UI's address is known. */
export function workflowLink(uiUrl: string | undefined, namespace: string, workflowId: string): string | null {
  return uiUrl ? `${uiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}` : null;
}

/** Daily runs, as visibility returns them (at most `limit`). */
export async function dailyRuns(client: Client, limit: number, uiUrl: string | undefined, namespace: string): Promise<RunLine[]> {
  const lines: RunLine[] = [];
  for await (const w of client.workflow.list({ query: `Pipeline = '${DAILY}'`, pageSize: limit })) {
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
      webUi: workflowLink(uiUrl, namespace, w.workflowId),
    });
    if (lines.length >= limit) break;
  }
  return lines;
}

/** The latest `limit` fan-out runs, newest first. */
export async function fanoutRuns(db: Db, limit: number, uiUrl: string | undefined, namespace: string): Promise<RunLine[]> {
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
    webUi: workflowLink(uiUrl, namespace, r.workflowId),
  }));
}

export interface RunListing {
  /** Both kinds merged, newest start first. */
  runs: RunLine[];
  /** Why a source is not listed (its error's message), by source. */
  missing: { daily?: string; fanout?: string };
}

/**
 * Both sources at once; a source that throws is left out with its message.
 *
 * @example
 *   await listRuns({ daily: () => dailyRuns(client, 20, ui, 'default'), fanout: () => fanoutRuns(db, 20, ui, 'default') })
 *   // { runs: [...], missing: {} }
 */
export async function listRuns(sources: { daily: () => Promise<RunLine[]>; fanout: () => Promise<RunLine[]> }): Promise<RunListing> {
  const [daily, fanout] = await Promise.allSettled([sources.daily(), sources.fanout()]);
  const reason = (r: PromiseRejectedResult) => (r.reason instanceof Error ? r.reason.message : String(r.reason));
  return {
    runs: [daily, fanout].flatMap((r) => (r.status === 'fulfilled' ? r.value : [])).sort((a, b) => b.startedAt.localeCompare(a.startedAt)),
    missing: {
      ...(daily.status === 'rejected' ? { daily: reason(daily) } : {}),
      ...(fanout.status === 'rejected' ? { fanout: reason(fanout) } : {}),
    },
  };
}
