/**
 * The error vocabulary of the whole project. Every error we throw on purpose
 * extends `QuantError`, which says two things a caller needs: a stable `type`
 * (shown as the Temporal failure type in the Web UI) and whether trying again
 * can help (`retryable`). Bad input (a missing column, an unknown symbol, a
 * corrupt file) is not retryable; an outage is. Activities turn a
 * non-retryable `QuantError` into a non-retryable ApplicationFailure with the
 * same type (activities/support/failures.ts); there is no list of type names
 * to keep in step.
 *
 * Domain functions return NaN or null for results that are merely undefined
 * (zero volatility, too little data); they throw a `DomainInputError` only
 * for input that makes the question meaningless (a negative price in an
 * order, mismatched lengths, a cap that is not a fraction).
 */

/**
 * Base of every deliberate error. Subclasses set `type` and `retryable`.
 *
 * @example
 *   class UnknownSymbolError extends QuantError {
 *     readonly type = 'UnknownSymbol';
 *     readonly retryable = false;
 *   }
 */
export abstract class QuantError extends Error {
  /** Stable, machine-readable name of the failure (the Temporal failure type). */
  abstract readonly type: string;
  /** False when the same call with the same input cannot succeed. */
  abstract readonly retryable: boolean;
}

/** True for a `QuantError` that says retrying cannot help. */
export function isNonRetryable(err: unknown): err is QuantError {
  return err instanceof QuantError && !err.retryable;
}

/** Machine-readable reasons for a `DomainInputError`. */
export type DomainErrorCode =
  | 'LENGTH_MISMATCH'
  | 'INVALID_PARAMETER'
  | 'INVALID_PRICE'
  | 'MISSING_PRICE'
  | 'INSUFFICIENT_SHARES'
  | 'INSUFFICIENT_CASH'
  | 'INSUFFICIENT_DATA';

/**
 * Bad input to a domain function. `code` says which rule was broken (and is
 * the failure type); the message names the offending symbol, parameter or index.
 *
 * @example
 *   throw new DomainInputError('INVALID_PRICE', 'price for AAPL is -3');
 */
export class DomainInputError extends QuantError {
  readonly code: DomainErrorCode;
  readonly retryable = false;
  get type(): string {
    return this.code;
  }
  constructor(code: DomainErrorCode, message: string) {
    super(message);
    this.name = 'DomainInputError';
    this.code = code;
  }
}

/**
 * The message of anything thrown, for logs and reports (an Error's message,
 * else its string form).
 *
 * @example
 *   logger.warn('fetch failed', { error: errorMessage(err) });
 */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Input a step cannot work with (a date that is not a date, weights that sum
 * to 0, an unknown ticker shape): not retryable; the message names the field.
 * Its type, `InvalidInput`, is the failure type the Web UI shows.
 *
 * @example
 *   throw new InvalidInputError(`lookbackDays must be an integer 0..3650, got ${n}`);
 */
export class InvalidInputError extends QuantError {
  readonly type = 'InvalidInput';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}
