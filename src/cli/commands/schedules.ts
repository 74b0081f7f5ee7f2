/**
 * `quant schedules apply|list|pause|unpause|trigger|backfill`: the Temporal
 * Schedules of the daily pipeline, from the schedules file
 * (`QUANT_SCHEDULES_FILE`, or `--file`). `apply` is idempotent: it creates
 * missing schedules, updates changed ones and leaves the rest untouched.
 */
import type { Config } from '../../config/schema';
import { loadSchedulesFile } from '../../schedules/config';
import { applySchedules, backfillSchedule, listSchedules, pauseSchedule, triggerSchedule, unpauseSchedule } from '../../schedules/apply';
import { parseCommandArgs, UsageError } from '../args';
import type { Client } from '@temporalio/client';
import { withClient } from '../with-client';
import { reportFailures } from '../run-failure';

/** One operator verb on one schedule: a schedule that does not exist is named (exit 1), not a stack. */
function onSchedule(config: Config, fn: (client: Client) => Promise<void>, done: string): Promise<number | undefined> {
  return reportFailures({ namespace: config.temporal.namespace }, async () => {
    await withClient(config, fn);
    out(done);
  });
}

type Command = (argv: string[], config: Config) => Promise<void | number>;
const out = (s: string) => process.stdout.write(`${s}\n`);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

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

function idArg(argv: string[], usage: string): { id: string; rest: string[] } {
  const [id, ...rest] = argv;
  if (!id || id.startsWith('-')) throw new UsageError('a schedule id is required', usage);
  return { id, rest };
}

export const schedulesCommands: Record<string, Command> = {
  apply: async (argv, config) => {
    const o = parseCommandArgs(argv, { file: { type: 'string' } }, 'quant schedules apply [--file config/schedules.prod.yaml]');
    await withClient(config, (c) => applyConfiguredSchedules(config, c, out, o.file ?? config.schedulesFile));
  },
  list: async (argv, config) => {
    parseCommandArgs(argv, {}, 'quant schedules list');
    const lines = await withClient(config, listSchedules);
    if (lines.length === 0) out('no schedules');
    for (const s of lines) {
      out(
        `${s.id.padEnd(24)} ${s.workflow.padEnd(10)} ${s.paused ? 'PAUSED ' : 'active '} next ${s.nextRuns[0]?.toISOString() ?? '-'}  last ${s.recent.at(-1)?.toISOString() ?? '-'}  ${s.note}`,
      );
    }
  },
  pause: async (argv, config) => {
    const usage = 'quant schedules pause <id> [--note text]';
    const { id, rest } = idArg(argv, usage);
    const o = parseCommandArgs(rest, { note: { type: 'string' } }, usage);
    return onSchedule(config, (c) => pauseSchedule(c, id, o.note), `paused ${id}`);
  },
  unpause: async (argv, config) => {
    const usage = 'quant schedules unpause <id> [--note text]';
    const { id, rest } = idArg(argv, usage);
    const o = parseCommandArgs(rest, { note: { type: 'string' } }, usage);
    return onSchedule(config, (c) => unpauseSchedule(c, id, o.note), `unpaused ${id}`);
  },
  trigger: async (argv, config) => {
    const usage = 'quant schedules trigger <id>';
    const { id, rest } = idArg(argv, usage);
    parseCommandArgs(rest, {}, usage);
    return onSchedule(config, (c) => triggerSchedule(c, id), `triggered ${id}`);
  },
  backfill: async (argv, config) => {
    const usage = 'quant schedules backfill <id> --from YYYY-MM-DD --to YYYY-MM-DD';
    const { id, rest } = idArg(argv, usage);
    const o = parseCommandArgs(rest, { from: { type: 'string' }, to: { type: 'string' } }, usage);
    for (const k of ['from', 'to'] as const) {
      if (!o[k] || !ISO_DATE.test(o[k])) throw new UsageError(`--${k} must be a date YYYY-MM-DD`, usage);
    }
    return onSchedule(
      config,
      (c) => backfillSchedule(c, id, o.from!, o.to!),
      `backfill of ${id} requested for ${o.from}..${o.to} (one run per slot, buffered)`,
    );
  },
};
