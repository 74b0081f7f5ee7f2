/**
 * The one error type the domain library throws. Domain functions return NaN or
 * null for results that are merely undefined (zero volatility, too little
 * data); they throw a `DomainInputError` only for input that makes the
 * question meaningless (a negative price in an order, mismatched lengths, a
 * cap that is not a fraction). Activities turn it into a non-retryable
 * ApplicationFailure, using `code` as the failure type.
 */

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
 * Bad input to a domain function. `code` says which rule was broken; the
 * message names the offending symbol, parameter or index.
 *
 * @example
 *   throw new DomainInputError('INVALID_PRICE', 'price for AAPL is -3');
 */
export class DomainInputError extends Error {
  readonly code: DomainErrorCode;
  constructor(code: DomainErrorCode, message: string) {
    super(message);
    this.name = 'DomainInputError';
    this.code = code;
  }
}
