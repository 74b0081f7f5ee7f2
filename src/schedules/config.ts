/**
 * The schedules file (`QUANT_SCHEDULES_FILE`, the format the Helm chart
 * renders): `schedules: [{ id, workflow, cron, overlap, catchupWindow?,
 * paused?, input?, note? }]`, validated with zod at the boundary. Cron
 * expressions are UTC. An empty list (the development profile) means no
 * schedules.
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

/** Five-field cron (minute hour day-of-month month day-of-week); Temporal also accepts @daily etc. */
const CRON = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/;
/** Go/ms-style duration: 90s, 30m, 12h, 1d (a number is milliseconds). */
const DURATION = /^\d+(ms|s|m|h|d)$/;

export const scheduleEntrySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/, 'letters, digits, _ . - (at most 200)'),
    workflow: z.string().min(1),
    cron: z.string().trim().regex(CRON, 'a five-field cron expression (UTC), e.g. "0 6 * * 1-5"'),
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
      r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
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
  ]);
  return createHash('sha256').update(canon).digest('hex').slice(0, 16);
}
