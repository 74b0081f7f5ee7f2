/**
 * The schedules file (`QUANT_SCHEDULES_FILE`, the format the Helm chart
 * renders): `schedules: [{ id, workflow, cron, timeZone?, overlap,
 * catchupWindow?, paused?, input?, note? }]`, validated with zod at the
 * boundary. `cron` is one five-field expression or a list of them (the
 * schedule fires at the union of their times), read as clock time in the
 * entry's `timeZone` (an IANA name, UTC by default): `0 9 * * 1-5` in
 * America/New_York is 09:00 in New York all year, across daylight saving. An
 * empty list (the development profile) means no schedules.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { sortKeys } from '../domain/canonical-json';

/** The YAML spelling of Temporal's overlap policies -> the SDK's. */
export const OVERLAP_POLICIES = {
  Skip: 'SKIP',
  BufferOne: 'BUFFER_ONE',
  BufferAll: 'BUFFER_ALL',
  CancelOther: 'CANCEL_OTHER',
  TerminateOther: 'TERMINATE_OTHER',
  AllowAll: 'ALLOW_ALL',
} as const;

/**
 * Five-field cron (minute hour day-of-month month day-of-week); Temporal also accepts @daily etc.
 * Six and seven fields are refused on purpose: cron dialects disagree on them (node-cron and
 * Quartz read six fields seconds-first, Temporal reads the sixth as the year), so the seed's
 * `0 * 9-16 * * 1-5` means "every minute of 09..16" in one and "years 1 to 5" (never) in the other.
 */
const CRON = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/;
const cronExpression = z.string().trim().regex(CRON, 'a five-field cron expression, e.g. "0 6 * * 1-5"');
/** Go/ms-style duration: 90s, 30m, 12h, 1d (a number is milliseconds). */
const DURATION = /^\d+(ms|s|m|h|d)$/;

/**
 * Why `tz` is not a usable IANA zone name, or undefined when it is.
 *
 * @example
 *   timeZoneProblem('America/New_York') // undefined
 *   timeZoneProblem('America/New_Yrok') // 'unknown time zone "America/New_Yrok" (an IANA name such as America/New_York or UTC)'
 *   timeZoneProblem('america/new_york') // 'time zone "america/new_york" must be written America/New_York'
 */
export function timeZoneProblem(tz: string): string | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch (err) {
    if (err instanceof RangeError) return `unknown time zone "${tz}" (an IANA name such as America/New_York or UTC)`;
    throw err;
  }
  // Intl is case-insensitive; the server loads the zone file by name, which is not.
  const badCase = resolved !== tz && resolved.toLowerCase() === tz.toLowerCase();
  if (badCase || tz.split('/').some((part) => !/^[A-Z]/.test(part))) return `time zone "${tz}" must be written ${resolved}`;
  return undefined;
}

export const scheduleEntrySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/, 'letters, digits, _ . - (at most 200)'),
    workflow: z.string().min(1),
    /**
     * One expression or a list (the union of their times), in `timeZone`. A list covers what one
     * line cannot, e.g. every 15 minutes from 09:00 to 16:00 inclusive: `0,15,30,45 9-15 * * 1-5`
     * and `0 16 * * 1-5` (a range of hours cannot stop at the first minute of its last hour).
     */
    cron: z.union([cronExpression, z.array(cronExpression).min(1, 'give at least one cron expression')]),
    /**
     * The IANA time zone the cron is read in (default UTC). Checked here, before the server is
     * contacted, against the zone database Node carries: an unknown name is refused, and so is a
     * name in the wrong case, which Node would accept but the server's (case-sensitive) database not.
     */
    timeZone: z
      .string()
      .default('UTC')
      .superRefine((tz, ctx) => {
        const problem = timeZoneProblem(tz);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    overlap: z.enum(Object.keys(OVERLAP_POLICIES) as [keyof typeof OVERLAP_POLICIES, ...(keyof typeof OVERLAP_POLICIES)[]]).default('Skip'),
    /** Missed slots younger than this are still run after an outage (default 1h). */
    catchupWindow: z.union([z.number().int().positive(), z.string().regex(DURATION, 'a duration such as 30m, 6h, 1d')]).default('1h'),
    /**
     * Absent: a new schedule starts active and an existing one keeps the
     * pause state an operator gave it (`quant schedules pause`). Only an
     * explicit true/false here pauses or unpauses on apply.
     */
    paused: z.boolean().optional(),
    /** The workflow's input object; the daily workflows take { date? } and derive the date from the slot when absent. */
    input: z.record(z.string(), z.unknown()).default({}),
    note: z.string().optional(),
  })
  .strict();

export const schedulesFileSchema = z
  .object({
    schedules: z
      .array(scheduleEntrySchema)
      .nullish()
      .transform((v) => v ?? []),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.schedules.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['schedules', i, 'id'], message: `duplicate schedule id ${s.id}` });
      seen.add(s.id);
    });
  });

export type ScheduleEntry = z.infer<typeof scheduleEntrySchema>;

export class SchedulesFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(`schedules file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SchedulesFileError';
  }
}

/** ` (id intraday-data)` for an issue inside an entry that has a readable id, so a long file's error names the schedule. */
function entryName(raw: unknown, path: readonly PropertyKey[]): string {
  if (path[0] !== 'schedules' || typeof path[1] !== 'number' || path[2] === 'id') return '';
  const list = (raw as { schedules?: unknown } | null)?.schedules;
  const id = Array.isArray(list) ? (list[path[1]] as { id?: unknown } | null)?.id : undefined;
  return typeof id === 'string' && id !== '' ? ` (id ${id})` : '';
}

/** The entry's cron expressions as a list (a single expression is a list of one). */
export function cronExpressions(entry: Pick<ScheduleEntry, 'cron'>): string[] {
  return typeof entry.cron === 'string' ? [entry.cron] : entry.cron;
}

/** Parse and validate YAML text; `file` names the source in errors. */
export function parseSchedules(text: string, file = '<schedules>'): ScheduleEntry[] {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    throw new SchedulesFileError(file, [(err as Error).message]);
  }
  const r = schedulesFileSchema.safeParse(raw);
  if (!r.success)
    throw new SchedulesFileError(
      file,
      r.error.issues.map((i) => `${i.path.join('.') || '(root)'}${entryName(raw, i.path)}: ${i.message}`),
    );
  return r.data.schedules;
}

export function loadSchedulesFile(file: string): ScheduleEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SchedulesFileError(file, [(err as Error).message]);
  }
  return parseSchedules(text, file);
}

/**
 * A stable hash of one entry plus the task queue: `apply` updates a
 * schedule only when this changed. The pause state is not in it: apply
 * compares that with the server's own state (an operator may have paused).
 * The time zone is in it only when it is not UTC, so an entry that says
 * nothing new keeps the hash that schedules applied before time zones existed
 * carry (an upgrade does not rewrite every schedule), while any change of
 * zone, to or from UTC, changes the hash.
 */
export function scheduleHash(entry: ScheduleEntry, taskQueue: string): string {
  const canon = JSON.stringify([
    entry.id,
    entry.workflow,
    entry.cron,
    entry.overlap,
    entry.catchupWindow,
    sortKeys(entry.input),
    entry.note ?? null,
    taskQueue,
    ...(entry.timeZone === 'UTC' ? [] : [entry.timeZone]),
  ]);
  return createHash('sha256').update(canon).digest('hex').slice(0, 16);
}
