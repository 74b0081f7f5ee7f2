/**
 * The market-data provider interface of the daily pipeline. Every provider
 * (Yahoo, the seeded synthetic market, file import) returns the same shapes,
 * validated at its boundary, so the workflows never know which one ran.
 */
import type { TickBar } from '../../domain/tick-validation';

/**
 * One end-of-day bar. `date` is the trading day as YYYY-MM-DD (exchange local
 * date). The shape is defined once, in the domain's tick validation, which
 * checks exactly these bars.
 */
export type EodBar = TickBar;

/** Fundamentals; a field the provider does not have is null (scored as neutral). */
export interface Fundamentals {
  symbol: string;
  sector: string | null;
  peRatio: number | null;
  dividendYield: number | null;
  roe: number | null;
  debtToEquity: number | null;
  currentRatio: number | null;
}

export interface Dividend {
  symbol: string;
  /** Ex-dividend date, YYYY-MM-DD. */
  date: string;
  /** Cash per share. */
  amount: number;
}

/** A per-symbol problem that did not stop the others (unknown symbol, provider error after retries). */
export interface SymbolFailure {
  symbol: string;
  /** e.g. 'UnknownSymbol', 'ProviderError', 'MalformedResponse'. */
  type: string;
  message: string;
}

/** A row of an imported file that was not imported (file provider). */
export interface RejectedRow {
  /** 1-based line number in the file (the header is line 1); Parquet: 1-based row number + 1. */
  line: number;
  message: string;
}

export interface EodResult {
  bars: EodBar[];
  failures: SymbolFailure[];
  /** File imports only: malformed rows, skipped while the rest is imported. */
  rejectedRows?: RejectedRow[];
}

export interface DataProvider {
  /** Provider name as stored in `market_data.source` and the Parquet path (`source=<name>`). */
  readonly name: string;
  /** Bars for each symbol over [from, to] (inclusive, YYYY-MM-DD). Unknown symbols go to `failures`. */
  fetchEod(symbols: readonly string[], from: string, to: string): Promise<EodResult>;
  fetchFundamentals(symbol: string): Promise<Fundamentals>;
  fetchDividends(symbol: string, from: string, to: string): Promise<Dividend[]>;
}
