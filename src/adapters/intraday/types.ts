/**
 * The intraday bar port (issue 14): 1-, 5- and 15-minute bars with the same
 * three kinds as the daily provider (synthetic, Yahoo, file).
 */
import type { BarInterval, IntradayBar } from '../../domain/strategies/types';

export type { BarInterval, IntradayBar };

/** A symbol the provider had nothing for (unknown, halted, a request that failed for good). */
export interface IntradayFailure {
  symbol: string;
  reason: string;
}

/** Rows a provider received and did not turn into bars (Yahoo's null candles, its in-progress last row), counted per symbol and reason. */
export interface IntradaySkipped {
  symbol: string;
  reason: string;
  count: number;
}

export interface IntradayResult {
  /** Oldest first per symbol; only bars that start in [from, to). */
  bars: IntradayBar[];
  failures: IntradayFailure[];
  /** Only providers that drop rows on the way say so here (Yahoo). */
  skipped?: IntradaySkipped[];
}

export interface IntradayProvider {
  /** As stored in `intraday_bars.source` and the Parquet path (`source=<name>`). */
  readonly name: string;
  /** Bars of `interval` for each symbol starting in [from, to) (epoch ms). */
  fetchBars(symbols: readonly string[], from: number, to: number, interval: BarInterval): Promise<IntradayResult>;
}
