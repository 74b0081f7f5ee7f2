/**
 * The symbols the intraday strategies trade and the intraday data fetches
 * (issue 14): the 49 names of the daily pipeline's universe, then the
 * seed's pair ATEN / INGM (002: "ATEN-INGM"), which the pairs strategy
 * trades. Every intraday provider is asked for this list; the synthetic
 * market knows exactly these 51.
 */
import { DAILY_UNIVERSE } from '../hourly-dataset/universe';

/** The seed's pair (002: "ATEN-INGM"), not in the daily universe. */
export const INTRADAY_PAIR_SYMBOLS = ['ATEN', 'INGM'] as const;

/** DAILY_UNIVERSE (49) then the pair: 51 symbols. */
export const INTRADAY_SYMBOLS: readonly string[] = Object.freeze([...DAILY_UNIVERSE.map((c) => c.symbol), ...INTRADAY_PAIR_SYMBOLS]);

/**
 * @example
 *   intradayUniverse().length; // 51
 */
export function intradayUniverse(): readonly string[] {
  return INTRADAY_SYMBOLS;
}
