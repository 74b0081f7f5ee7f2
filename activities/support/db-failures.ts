/**
 * Postgres data errors as non-retryable failures: SQLSTATE class 22 (data
 * exception) and 23 (integrity constraint violation) say the rows
 * themselves are wrong, and retrying the same rows cannot make them valid.
 * Every other error (a lost connection, a busy server) stays retryable.
 */
import { ApplicationFailure } from '@temporalio/common';

/**
 * Run `fn`; rethrow a Postgres data/integrity error as a non-retryable
 * `InvalidData` failure that says `what` failed.
 *
 * @example
 *   await withDbFailures(`storing the signals of ${date}`, () => signals.replaceSignals(run, rows));
 */
export async function withDbFailures<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'))) {
      throw ApplicationFailure.nonRetryable(`${what}: ${(err as Error).message} (SQLSTATE ${code})`, 'InvalidData');
    }
    throw err;
  }
}
