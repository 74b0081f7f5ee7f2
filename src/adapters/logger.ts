/**
 * Structured JSON logs: one line per record with `time`, `level`, `msg` and
 * the record's metadata (Temporal adds `workflowId`, `runId`, `workflowType`,
 * `activityType`, `taskQueue` to workflow and activity logs; `activityType` is
 * written as `activity`, an activity's `workflowRunId` as `runId`, and the
 * activity task token is dropped). Used as the Temporal `Runtime` logger so SDK, worker,
 * workflow and activity logs all come out the same way, one line each, which
 * is what kubectl logs, Loki and friends expect.
 *
 * Secrets are never written: values under secret-looking keys become "***",
 * credentials inside URLs (`postgres://user:pass@host`) are masked, and any
 * literal secret value passed in `secretValues` is masked wherever it appears.
 */
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import type { LogLevel } from '@temporalio/common';

export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface JsonLoggerOptions {
  /** Lowest level written. Default info. */
  level?: LogLevelName;
  /** Where each line goes (without the newline it adds). Default: stdout. */
  write?: (line: string) => void;
  /** Literal secret values (DATABASE_URL, keys) to mask wherever they appear. Empty strings are ignored. */
  secretValues?: Array<string | undefined>;
  /** Fields added to every record, e.g. `{ service: 'quant-worker', pod: HOSTNAME }`. */
  base?: Record<string, unknown>;
}

const SECRET_KEY =
  /(secret|password|passwd|token|api[-_]?key|authorization|credential|access[-_]?key|database[-_]?url|connection[-_]?string)/i;
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^:/\s@]*):([^@\s/]+)@/gi;
const MAX_DEPTH = 5;

/**
 * A Temporal `Logger` that writes JSON lines.
 *
 * @example
 *   Runtime.install({ logger: createJsonLogger({ level: config.logLevel, secretValues: [config.postgres.url] }) });
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): DefaultLogger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const level = (options.level ?? 'info').toUpperCase() as LogLevel;
  const format = createLogFormatter(options);
  return new DefaultLogger(level, (entry) => write(format(entry)));
}

/**
 * The pure formatter behind `createJsonLogger`: a `LogEntry` to one JSON line.
 *
 * @example
 *   createLogFormatter()({ level: 'INFO', message: 'hi', timestampNanos: 0n, meta: { runId: 'r' } })
 *   // '{"time":"1970-01-01T00:00:00.000Z","level":"info","msg":"hi","runId":"r"}'
 */
export function createLogFormatter(options: Pick<JsonLoggerOptions, 'secretValues' | 'base'> = {}): (entry: LogEntry) => string {
  const secrets = (options.secretValues ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const scrub = (text: string): string => {
    let out = text.replace(URL_CREDENTIALS, '$1:***@');
    for (const s of secrets) out = out.split(s).join('***');
    return out;
  };
  const clean = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return scrub(value);
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
    if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
    if (seen.has(value)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[truncated]';
    seen.add(value);
    if (value instanceof Error) {
      const err: Record<string, unknown> = { name: value.name, message: scrub(value.message) };
      if (value.stack) err.stack = scrub(value.stack);
      const type = (value as { type?: unknown }).type;
      if (typeof type === 'string') err.type = type;
      if (value.cause !== undefined) err.cause = clean(value.cause, depth + 1, seen);
      return err;
    }
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1, seen));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '' ? '***' : clean(v, depth + 1, seen);
    }
    return out;
  };

  return (entry: LogEntry): string => {
    const record: Record<string, unknown> = {
      time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(),
      level: entry.level.toLowerCase(),
      msg: scrub(entry.message),
    };
    const fields = { ...options.base, ...(entry.meta ?? {}) } as Record<string, unknown>;
    // Activity records carry `workflowRunId`/`activityType`; workflow records `runId`.
    // One spelling for both, so `grep '"runId":"..."'` finds a run's every line.
    if ('activityType' in fields) {
      fields.activity = fields.activityType;
      delete fields.activityType;
    }
    if ('workflowRunId' in fields) {
      fields.runId ??= fields.workflowRunId;
      delete fields.workflowRunId;
    }
    // A task token completes the activity from outside: a credential, and noise besides.
    delete fields.taskToken;
    const cleaned = clean(fields, 0, new WeakSet()) as Record<string, unknown>;
    for (const [k, v] of Object.entries(cleaned)) {
      if (v !== undefined && !(k in record)) record[k] = v;
    }
    return JSON.stringify(record);
  };
}
