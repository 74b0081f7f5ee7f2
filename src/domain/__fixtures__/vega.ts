/**
 * Test-only loader for the real market data that ships in the `vega-datasets`
 * npm package: `sp500-2000.csv` (daily S&P 500 OHLCV from 2000-01-03, 5,104
 * bars) and `stocks.csv` (monthly prices of MSFT, AMZN, IBM, GOOG, AAPL from
 * January 2000). Only tests import this file; the domain itself does no I/O.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DATA = join(__dirname, '..', '..', '..', 'node_modules', 'vega-datasets', 'data');

/** Daily closes of the S&P 500 from 2000-01-03, in file order. */
export function sp500Closes(): number[] {
  const lines = readFileSync(join(DATA, 'sp500-2000.csv'), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const c = header.indexOf('close');
  return lines.slice(1).map((l) => Number(l.split(',')[c]));
}

/** Monthly prices per symbol from stocks.csv, in file order. */
export function monthlyStocks(): Record<string, number[]> {
  const lines = readFileSync(join(DATA, 'stocks.csv'), 'utf8').trim().split('\n').slice(1);
  const out: Record<string, number[]> = {};
  for (const l of lines) {
    const [sym, , price] = l.split(',');
    (out[sym] ??= []).push(Number(price));
  }
  return out;
}
