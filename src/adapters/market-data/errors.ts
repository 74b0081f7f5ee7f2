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

/**
 * At most `max` bytes of untrusted input, quoted, printable ASCII as is and
 * every other byte as \xNN, for an error message: a file's raw bytes never
 * reach a log, a history or a database error (not even as a JSON \u0000,
 * which Postgres refuses in jsonb).
 *
 * @example
 *   escapedExcerpt(new Uint8Array([0x50, 0x4b, 3, 4, 0]), 4); // '"PK\\x03\\x04"...'
 */
export function escapedExcerpt(input: Uint8Array | string, max = 40): string {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let out = '';
  for (const b of bytes.subarray(0, max)) {
    out += b >= 0x20 && b <= 0x7e && b !== 0x5c && b !== 0x22 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `"${out}"${bytes.length > max ? '...' : ''}`;
}

/** An import file that is not text (binary, or not valid UTF-8): refused before any row is read. */
export class NotTextFileError extends QuantError {
  readonly type = 'NotTextFile';
  readonly retryable = false;
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: not a text file: ${detail}`);
    this.name = 'NotTextFileError';
  }
}

/** An import file without one valid row: the ingest fails rather than succeeding with nothing. */
export class EmptyImportError extends QuantError {
  readonly type = 'EmptyImport';
  readonly retryable = false;
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: no valid rows: ${detail}`);
    this.name = 'EmptyImportError';
  }
}

/**
 * An import file with the same (symbol, date) on two rows. The rule: the whole
 * file is rejected (neither store gets any of it), because which row is right
 * is the user's call, and importing one of them would hide the conflict.
 */
export class DuplicateRowsError extends QuantError {
  readonly type = 'DuplicateRows';
  readonly retryable = false;
  constructor(
    readonly file: string,
    readonly duplicates: ReadonlyArray<{ line: number; firstLine: number; symbol: string; date: string }>,
  ) {
    const shown = duplicates.slice(0, 10).map((d) => `line ${d.line} repeats ${d.symbol} ${d.date} of line ${d.firstLine}`);
    super(
      `${file}: ${duplicates.length} duplicate (symbol, date) row${duplicates.length > 1 ? 's' : ''}, file rejected (nothing imported): ${shown.join('; ')}${duplicates.length > 10 ? `; and ${duplicates.length - 10} more` : ''}`,
    );
    this.name = 'DuplicateRowsError';
  }
}
