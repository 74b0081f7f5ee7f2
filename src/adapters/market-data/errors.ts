/**
 * Typed errors of the market-data providers. Each is a `QuantError` that says
 * it is not retryable when it describes the input (an unknown symbol, a bad
 * file), so no retry budget is spent on it; provider outages stay plain
 * errors and are retried.
 */
import { QuantError } from '../../domain/errors';

/** The provider has no such symbol (Yahoo's 404 "No data found, symbol may be delisted"). */
export class UnknownSymbolError extends QuantError {
  readonly type = 'UnknownSymbol';
  readonly retryable = false;
  constructor(
    readonly symbol: string,
    detail = 'unknown symbol',
  ) {
    super(`${symbol}: ${detail}`);
    this.name = 'UnknownSymbolError';
  }
}

/** A response or file that does not have the documented shape. */
export class MalformedResponseError extends QuantError {
  readonly type = 'MalformedResponse';
  readonly retryable = false;
  constructor(
    readonly symbol: string,
    detail: string,
  ) {
    super(`${symbol}: malformed response: ${detail}`);
    this.name = 'MalformedResponseError';
  }
}

/** A file to import lacks required columns, or cannot be read as CSV/Parquet. */
export class MarketDataFileError extends QuantError {
  readonly type = 'MissingColumn';
  readonly retryable = false;
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'MarketDataFileError';
  }
}
