/**
 * Which failures of an activity are worth retrying. Our own errors say so
 * themselves (QuantError.retryable, activities/support/failures.ts); this
 * module classifies the errors that come from libraries: a Postgres error
 * whose SQLSTATE says the statement itself is wrong for its data (a data
 * exception, a constraint violation, a RAISE in a trigger, an unknown
 * column) fails the same way every time, so it is a data error; a refused
 * or dropped connection, a server shutting down or starting up, too many
 * connections, a timeout, or the object store's 5xx are infrastructure
 * errors, retried through the outage window. Anything unknown stays
 * retryable: waiting out a fault we did not foresee is cheaper than losing
 * a contract to it.
 */

/** SQLSTATE classes that describe the statement's data, not the server's health. */
const DATA_SQLSTATE_CLASSES = ['21', '22', '23', '42', '2B', '2F', 'P0'];
/** SQLSTATEs that describe the server's health (connection, shutdown, resources). */
const INFRA_SQLSTATE_PREFIXES = ['08', '53', '57', '58', '40001', '40P01', 'XX'];
/** Node / network error codes of a service that is down, restarting or slow. */
const INFRA_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  'EADDRNOTAVAIL',
]);

export type FailureClass = 'data' | 'infra' | 'unknown';

/**
 * Classify an error thrown inside an activity.
 *
 * @example
 *   classifyFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) // 'infra'
 *   classifyFailure(Object.assign(new Error('duplicate key'), { code: '23505', severity: 'ERROR' })) // 'data'
 */
export function classifyFailure(err: unknown): FailureClass {
  const e = err as {
    code?: unknown;
    severity?: unknown;
    $metadata?: { httpStatusCode?: number };
    message?: unknown;
    cause?: unknown;
  } | null;
  if (!e || typeof e !== 'object') return 'unknown';
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && INFRA_ERRNOS.has(code)) return 'infra';
  // A pg DatabaseError carries a 5-character SQLSTATE and a severity.
  if (code && /^[0-9A-Z]{5}$/.test(code) && typeof e.severity === 'string') {
    if (INFRA_SQLSTATE_PREFIXES.some((p) => code.startsWith(p))) return 'infra';
    if (DATA_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return 'data';
    return 'unknown';
  }
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429 || status === 408)) return 'infra';
  const message = typeof e.message === 'string' ? e.message : '';
  if (
    /timeout|timed out|too many (clients|connections)|Connection terminated|the database system is (starting up|shutting down)/i.test(
      message,
    )
  )
    return 'infra';
  return e.cause !== undefined && e.cause !== err ? classifyFailure(e.cause) : 'unknown';
}
