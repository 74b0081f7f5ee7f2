/**
 * `quant schedules apply|list|pause|unpause|trigger|backfill`: the Temporal
 * Schedules of the daily pipeline, from the schedules file
 * (`QUANT_SCHEDULES_FILE`, or `--file`). `apply` is idempotent: it creates
 * missing schedules, updates changed ones and leaves the rest untouched.
 */
import type { Config } from '../../config/schema';
import { loadSchedulesFile } from '../../schedules/config';
import { applySchedules, backfillSchedule, listSchedules, pauseSchedule, triggerSchedule, unpauseSchedule } from '../../schedules/apply';
import { UsageError, type OutputFormat } from '../args';
import type { Client } from '@temporalio/client';
import { withClient } from '../with-client';
import { out, textTable } from '../output';
import { reportFailures } from '../run-failure';

/** One operator verb on one schedule: a schedule that does not exist is named (exit 1), not a stack. */
function onSchedule(config: Config, fn: (client: Client) => Promise<void>, done: string): Promise<number | undefined> {
  return reportFailures({ namespace: config.temporal.namespace }, async () => {
    await withClient(config, fn);
    out(done);
  });
}

/**
 * Apply the configured schedules file (no-op without one). Used by
 * `quant schedules apply` and `quant cluster init`.
 *
 * @example
 *   await applyConfiguredSchedules(config, client, console.log) // daily-ingest: created ...
 */
export async function applyConfiguredSchedules(
  config: Config,
  client: Client,
  log: (s: string) => void,
  file = config.schedulesFile,
): Promise<void> {
  if (!file) {
    log('no schedules file configured (QUANT_SCHEDULES_FILE): nothing to apply');
    return;
  }
  const entries = loadSchedulesFile(file);
  const results = await applySchedules(client, entries, config.temporal.taskQueue);
  if (results.length === 0) log(`${file}: no schedules (development profile)`);
  for (const r of results)
    log(`schedule ${r.id}: ${r.outcome}${r.detail && r.detail !== r.outcome ? ` - ${r.detail}` : ''}${r.paused ? ' [PAUSED]' : ''}`);
}

export const schedulesCommands = {
  apply: async (o: { file?: string }, config: Config): Promise<void> => {
    await withClient(config, (c) => applyConfiguredSchedules(config, c, out, o.file ?? config.schedulesFile));
  },
  list: async (o: { output: OutputFormat }, config: Config): Promise<void> => {
    const lines = await withClient(config, listSchedules);
    if (o.output === 'json') {
      out(JSON.stringify(lines, null, 2));
      return;
    }
    if (lines.length === 0) {
      out('no schedules');
      return;
    }
    out(
      textTable(
        ['id', 'workflow', 'state', 'next run', 'last run', 'note'],
        lines.map((s) => [
          s.id,
          s.workflow,
          s.paused ? 'PAUSED' : 'active',
          s.nextRuns[0]?.toISOString() ?? '-',
          s.recent.at(-1)?.toISOString() ?? '-',
          s.note,
        ]),
      ),
    );
  },
  pause: (id: string, o: { note?: string }, config: Config) => onSchedule(config, (c) => pauseSchedule(c, id, o.note), `paused ${id}`),
  unpause: (id: string, o: { note?: string }, config: Config) =>
    onSchedule(config, (c) => unpauseSchedule(c, id, o.note), `unpaused ${id}`),
  trigger: (id: string, config: Config) => onSchedule(config, (c) => triggerSchedule(c, id), `triggered ${id}`),
  backfill: async (id: string, o: { from: string; to: string }, config: Config) => {
    if (o.from > o.to) throw new UsageError(`--from ${o.from} is after --to ${o.to}`);
    return onSchedule(
      config,
      (c) => backfillSchedule(c, id, o.from, o.to),
      `backfill of ${id} requested for ${o.from}..${o.to} (one run per slot, buffered)`,
    );
  },
};
