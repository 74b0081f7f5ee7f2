/**
 * Turn our typed errors into Temporal failures. A `QuantError` that says it
 * is not retryable (a missing column, an unknown contract, a corrupt file)
 * becomes a non-retryable ApplicationFailure with the error's type and
 * message, so the Web UI shows what is wrong and no retry budget is wasted on
 * it; anything else (a network blip, a busy database) stays retryable. Each
 * error class decides for itself (src/domain/errors.ts): there is no list of
 * type names here to keep in step.
 */
import { ApplicationFailure } from '@temporalio/common';
import { isNonRetryable } from '../../src/domain/errors';

/** A non-retryable failure for bad input the activity itself detected. */
export function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'InvalidInput');
}

/**
 * Run `fn`, rethrowing non-retryable `QuantError`s as non-retryable failures.
 *
 * @example
 *   return asActivityFailure(() => store.readContract(dataset, symbol));
 */
export async function asActivityFailure<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApplicationFailure) throw err;
    if (isNonRetryable(err)) throw ApplicationFailure.nonRetryable(err.message, err.type);
    throw err;
  }
}
