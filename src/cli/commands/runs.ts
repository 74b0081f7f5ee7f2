/**
 * `quant runs list`: the latest runs of both kinds, newest first - daily
 * runs (Temporal's visibility store) and fan-out runs (Postgres, with their
 * contract counts), through the listing the dashboard's Runs page shares
 * (src/api/views/run-list.ts). Either source may be down; the other is
 * still listed and the gap is said on stderr.
 */
import type { Config } from '../../config/schema';
import { stackEndpoints } from '../../stack/stack';
import { createPool } from '../../adapters/postgres/pool';
import { dailyRuns, fanoutRuns, listRuns } from '../../api/views/run-list';
import type { OutputFormat } from '../args';
import { withClient } from '../with-client';
import { err, out, textTable } from '../output';

export async function runsListCommand(o: { limit: number; output: OutputFormat }, config: Config): Promise<number | void> {
  const endpoints = stackEndpoints(config);
  const namespace = config.temporal.namespace;
  const { runs: lines, missing } = await listRuns({
    daily: () => withClient(config, (client) => dailyRuns(client, o.limit, endpoints.uiUrl, namespace)),
    fanout: async () => {
      const db = createPool(endpoints.databaseUrl, 2);
      try {
        return await fanoutRuns(db, o.limit, endpoints.uiUrl, namespace);
      } finally {
        await db.end();
      }
    },
  });
  if (missing.daily !== undefined) err(`quant: daily runs not listed (Temporal): ${missing.daily}`);
  if (missing.fanout !== undefined) err(`quant: fan-out runs not listed (Postgres): ${missing.fanout}`);
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
  if (missing.daily !== undefined && missing.fanout !== undefined) return 1;
}
