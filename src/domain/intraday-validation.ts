/**
 * Validation of intraday bars (issue 14), as WF1's tick validation does for
 * daily bars: bars that cannot be right are dropped, and what is merely
 * unusual is reported: gaps in the session, price spikes, symbols that
 * stopped trading (halted) and symbols with no bars at all. Pure: the caller
 * passes the bar starts it expected (`sessionBarStarts` of the trading days
 * it asked for, cut at the last closed bar when the session is still going);
 * nothing here reads a clock or the calendar.
 *
 * "Corrupt data is worse than no data": a bar with a non-finite, zero or
 * negative price, or a range that contradicts itself, is dropped, never
 * repaired. A spike is not corrupt by itself (see `validateIntradayBars`).
 */
import { newYorkClock } from './intraday-bars';
import type { IntradayBar } from './strategies/types';
import { DEFAULT_MAX_SPREAD_BPS, spreadBps } from './tick-validation';

export { sessionBarStarts, newYorkClock, aggregateBars, barsPerSession } from './intraday-bars';

export type BarRejectReason = 'non_finite' | 'non_positive_price' | 'inconsistent_range' | 'spread_too_wide' | 'off_schedule' | 'duplicate';

export interface RejectedBar {
  symbol: string;
  ts: number;
  reason: BarRejectReason;
  detail: string;
}

/** Expected bar starts of one symbol that have no kept bar, before its last bar (a trailing run is `halted`, or a gap when short). */
export interface BarGap {
  symbol: string;
  /** Start of the first missing bar (epoch ms). */
  firstMissing: number;
  /** Missing bars in all. */
  missing: number;
}

/** A bar whose close moved more than the spike threshold from the previous kept close of its symbol. */
export interface BarSpike {
  symbol: string;
  ts: number;
  prevClose: number;
  close: number;
  /** (close - prevClose) / prevClose. */
  change: number;
}

/** A symbol whose bars stop before the last expected bar, for at least `minHaltBars` bars. */
export interface HaltedSymbol {
  symbol: string;
  /** Start of the first expected bar after its last bar (epoch ms). */
  since: number;
  /** Start of its last kept bar. */
  lastBarTs: number;
  /** Expected bars after its last bar. */
  missing: number;
  /** `halted since HH:MM ET` (New York wall clock of `since`). */
  message: string;
}

export interface IntradayValidationOptions {
  /** |close - previous close| / previous close above this is a spike (strictly greater). Default 0.10 (10 % in one bar). */
  maxSpikePct?: number;
  /** Bars whose (high - low) / close exceeds this many basis points are dropped. Default 1000, as for daily ticks. */
  maxSpreadBps?: number;
  /** A trailing run of at least this many missing bars is a halt; a shorter one is a gap. Default 3. */
  minHaltBars?: number;
}

export const DEFAULT_MAX_SPIKE_PCT = 0.1;
export const DEFAULT_MIN_HALT_BARS = 3;

export interface IntradayValidationResult {
  /** Bars that passed, in input order. */
  kept: IntradayBar[];
  rejected: RejectedBar[];
  /** Per symbol with interior (or short trailing) holes, in symbol order. */
  gaps: BarGap[];
  /** Reported, and the bars kept. In symbol, then time order. */
  spikes: BarSpike[];
  halted: HaltedSymbol[];
  /** Symbols asked for with no kept bar at all (none sent, or every one dropped), sorted. */
  noBars: string[];
  /** Kept bars on expected starts / (symbols x expected starts); 1 when nothing was expected. */
  completeness: number;
}

/**
 * Check the bars of `symbols` against the `expectedStarts` (epoch ms, any order).
 *
 * Drops, first rule that matches wins, in this order:
 *   1. a price or the volume not finite -> `non_finite`;
 *   2. a price <= 0 or volume < 0 -> `non_positive_price` (volume 0 is a quiet bar, kept);
 *   3. high < low, or open or close outside [low, high] -> `inconsistent_range`;
 *   4. spreadBps (10,000 x (high - low) / close) > maxSpreadBps -> `spread_too_wide`;
 *   5. ts not one of the expected starts (pre-market, unaligned, another day) -> `off_schedule`;
 *   6. the same (symbol, ts) as a bar already kept -> `duplicate` (the first one stays).
 * Bars of symbols not in `symbols` go through the same checks and are kept
 * when they pass, but no gap, halt or completeness is worked out for them.
 *
 * Reports, on the kept bars of each symbol in time order:
 *   - spikes: |close_t - close_{t-1}| / close_{t-1} > maxSpikePct, t-1 the previous kept
 *     bar of the symbol in the input (the first bar has none, so a gap at the
 *     open is not measured). The bar is KEPT: it passed the checks that catch
 *     impossible prices, a 10 % bar is rare but real (news, a halt lifting),
 *     and dropping it would move the level shift to the next bar, which would
 *     then be a spike itself. Consumers that must not trade on one skip the
 *     symbol for the cycle instead.
 *   - halted: the expected starts after the symbol's last kept bar, when
 *     there are at least `minHaltBars` of them: "halted since HH:MM ET", HH:MM
 *     the New York time the first missing bar starts (the last bar's end).
 *   - gaps: every other missing expected start (before the last kept bar,
 *     including a late first bar, or a trailing run shorter than
 *     `minHaltBars`), as first missing start and count.
 *   - noBars: symbols with no kept bar (never gaps or halted as well).
 * Empty `expectedStarts`: no gaps, no halts, completeness 1; spikes and
 * drops still apply, and rule 5 drops every bar (nothing was expected).
 *
 * @example
 *   const expected = sessionBarStarts('2024-03-04', '5m');
 *   const r = validateIntradayBars(bars, ['AAPL', 'MSFT'], expected);
 *   r.halted; // [{ symbol: 'MSFT', since: ..., message: 'halted since 14:05 ET', ... }]
 */
export function validateIntradayBars(
  bars: readonly IntradayBar[],
  symbols: readonly string[],
  expectedStarts: readonly number[],
  opts: IntradayValidationOptions = {},
): IntradayValidationResult {
  const maxSpike = opts.maxSpikePct ?? DEFAULT_MAX_SPIKE_PCT;
  const maxSpread = opts.maxSpreadBps ?? DEFAULT_MAX_SPREAD_BPS;
  const minHalt = opts.minHaltBars ?? DEFAULT_MIN_HALT_BARS;
  const expected = new Set(expectedStarts);
  const starts = [...expected].sort((a, b) => a - b);

  const kept: IntradayBar[] = [];
  const rejected: RejectedBar[] = [];
  const seen = new Map<string, Set<number>>();
  const reject = (b: IntradayBar, reason: BarRejectReason, detail: string) => rejected.push({ symbol: b.symbol, ts: b.ts, reason, detail });
  for (const b of bars) {
    const prices = [b.open, b.high, b.low, b.close];
    if (![...prices, b.volume, b.ts].every(Number.isFinite)) {
      reject(b, 'non_finite', `non-finite value in o/h/l/c/vol ${prices.join('/')}/${b.volume}`);
    } else if (prices.some((p) => p <= 0) || b.volume < 0) {
      reject(b, 'non_positive_price', `zero or negative value in o/h/l/c/vol ${prices.join('/')}/${b.volume}`);
    } else if (b.high < b.low || b.open > b.high || b.open < b.low || b.close > b.high || b.close < b.low) {
      reject(b, 'inconsistent_range', `open ${b.open} / close ${b.close} outside low ${b.low} .. high ${b.high}`);
    } else if (spreadBps(b) > maxSpread) {
      reject(b, 'spread_too_wide', `spread ${spreadBps(b).toFixed(0)} bps > ${maxSpread} bps`);
    } else if (!expected.has(b.ts)) {
      reject(b, 'off_schedule', `${new Date(b.ts).toISOString()} is not an expected bar start`);
    } else {
      let s = seen.get(b.symbol);
      if (!s) seen.set(b.symbol, (s = new Set()));
      if (s.has(b.ts)) reject(b, 'duplicate', `a second bar at ${new Date(b.ts).toISOString()}`);
      else {
        s.add(b.ts);
        kept.push(b);
      }
    }
  }

  const bySymbol = new Map<string, IntradayBar[]>();
  for (const b of kept) {
    const list = bySymbol.get(b.symbol);
    if (list) list.push(b);
    else bySymbol.set(b.symbol, [b]);
  }

  const spikes: BarSpike[] = [];
  for (const symbol of [...bySymbol.keys()].sort()) {
    const list = [...bySymbol.get(symbol)!].sort((a, b) => a.ts - b.ts);
    for (let i = 1; i < list.length; i++) {
      const change = (list[i].close - list[i - 1].close) / list[i - 1].close;
      if (Math.abs(change) > maxSpike) spikes.push({ symbol, ts: list[i].ts, prevClose: list[i - 1].close, close: list[i].close, change });
    }
  }

  const gaps: BarGap[] = [];
  const halted: HaltedSymbol[] = [];
  const noBars: string[] = [];
  let present = 0;
  const asked = [...new Set(symbols)].sort();
  for (const symbol of asked) {
    const have = seen.get(symbol);
    if (!have || have.size === 0) {
      noBars.push(symbol);
      continue;
    }
    present += have.size;
    let last = -1;
    for (let i = starts.length - 1; i >= 0; i--)
      if (have.has(starts[i])) {
        last = i;
        break;
      }
    const trailing = starts.length - 1 - last;
    const haltedHere = trailing >= minHalt;
    if (haltedHere) {
      const since = starts[last + 1];
      halted.push({ symbol, since, lastBarTs: starts[last], missing: trailing, message: `halted since ${newYorkClock(since).hhmm} ET` });
    }
    const end = haltedHere ? last + 1 : starts.length;
    let firstMissing = NaN;
    let missing = 0;
    for (let i = 0; i < end; i++) {
      if (have.has(starts[i])) continue;
      if (missing === 0) firstMissing = starts[i];
      missing++;
    }
    if (missing > 0) gaps.push({ symbol, firstMissing, missing });
  }
  const completeness = starts.length === 0 || asked.length === 0 ? 1 : present / (starts.length * asked.length);
  return { kept, rejected, gaps, spikes, halted, noBars, completeness };
}
