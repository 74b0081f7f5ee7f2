/**
 * Typed errors of the market-data providers. Each carries a `type` that
 * `activities/errors.ts` maps to a non-retryable ApplicationFailure when it
 * describes the input (an unknown symbol, a bad file), so no retry budget is
 * spent on it; provider outages stay plain errors and are retried.
 */

/** The provider has no such symbol (Yahoo's 404 "No data found, symbol may be delisted"). */
export class UnknownSymbolError extends Error {
  readonly type = 'UnknownSymbol';
  constructor(
    readonly symbol: string,
    detail = 'unknown symbol',
  ) {
    super(`${symbol}: ${detail}`);
    this.name = 'UnknownSymbolError';
  }
}

/** A response or file that does not have the documented shape. */
export class MalformedResponseError extends Error {
  readonly type = 'MalformedResponse';
  constructor(
    readonly symbol: string,
    detail: string,
  ) {
    super(`${symbol}: malformed response: ${detail}`);
    this.name = 'MalformedResponseError';
  }
}

/** A file to import lacks required columns, or cannot be read as CSV/Parquet. */
export class MarketDataFileError extends Error {
  readonly type = 'MissingColumn';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'MarketDataFileError';
  }
}
