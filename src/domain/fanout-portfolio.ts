/**
 * Portfolio view of a fan-out run: each non-hold signal is a one-bar trade
 * that earns the next bar's change, contracts are averaged bar by bar, and
 * the run gets a total P&L, a Sharpe ratio and a win rate. Pure: the
 * aggregate activity streams contracts through `PortfolioAccumulator` so a
 * 418 x 28,048 run never holds more than one contract in memory.
 */
import { sharpeRatio } from './risk';

/**
 * Per-bar trade returns in percent: r_t = signal_t * change_{t+1}
 * (+next for a buy, -next for a sell, 0 for a hold, the last bar and an
 * undefined next change).
 *
 * @example
 *   tradeReturns(Int8Array.of(1, -1, 0), Float64Array.of(NaN, 2, -1)) // [2, 1, 0]
 */
export function tradeReturns(signal: Int8Array, changePct: Float64Array): Float64Array {
  const n = signal.length;
  const out = new Float64Array(n);
  for (let t = 0; t < n - 1; t++) {
    const s = signal[t];
    if (s === 0) continue;
    const next = changePct[t + 1];
    out[t] = next === next ? s * next : 0;
  }
  return out;
}

/** Sum of a contract's trade returns, in percent (its P&L in the run report). */
export function contractPnlPct(signal: Int8Array, changePct: Float64Array): number {
  let sum = 0;
  const r = tradeReturns(signal, changePct);
  for (let i = 0; i < r.length; i++) sum += r[i];
  return sum;
}

export interface PortfolioSummary {
  contracts: number;
  bars: number;
  /** Sum over bars of the portfolio return, in percent. */
  totalPnlPct: number;
  /**
   * `sharpeRatio` of risk.ts on the per-bar portfolio returns, risk-free 0:
   * mean(r) / std(r, ddof 1) * sqrt(periodsPerYear); null where that is NaN
   * (< 2 bars or zero deviation).
   */
  sharpe: number | null;
  /** good / (good + bad); null when there were no judged trades. */
  winRate: number | null;
  goodTrades: number;
  badTrades: number;
  /** Per-bar portfolio return in percent (mean over contracts, 0 for a hold). */
  portfolioReturnPct: Float64Array;
  /** Running sum of portfolioReturnPct: the equity curve in P&L percent. */
  cumulativePnlPct: Float64Array;
}

/** Bars per year of the hourly fan-out data: 252 trading days x 8 bars. */
export const HOURLY_PERIODS_PER_YEAR = 252 * 8;

/**
 * Accumulates contracts one at a time (all with the same bar count).
 *
 * @example
 *   const acc = new PortfolioAccumulator(bars);
 *   acc.add(signal, changePct, good, bad);
 *   const summary = acc.finish();
 */
export class PortfolioAccumulator {
  private readonly sum: Float64Array;
  private count = 0;
  private good = 0;
  private bad = 0;

  constructor(
    readonly bars: number,
    private readonly periodsPerYear = HOURLY_PERIODS_PER_YEAR,
  ) {
    this.sum = new Float64Array(bars);
  }

  add(signal: Int8Array, changePct: Float64Array, goodTrades: number, badTrades: number): void {
    if (signal.length !== this.bars || changePct.length !== this.bars) {
      throw new RangeError(`contract has ${signal.length} bars, the run has ${this.bars}`);
    }
    const r = tradeReturns(signal, changePct);
    for (let t = 0; t < this.bars; t++) this.sum[t] += r[t];
    this.count++;
    this.good += goodTrades;
    this.bad += badTrades;
  }

  finish(): PortfolioSummary {
    const n = this.bars;
    const ret = new Float64Array(n);
    const cum = new Float64Array(n);
    let total = 0;
    for (let t = 0; t < n; t++) {
      ret[t] = this.count === 0 ? 0 : this.sum[t] / this.count;
      total += ret[t];
      cum[t] = total;
    }
    // risk.ts's Sharpe (rf 0; NaN when undefined); the run summary stores an undefined ratio as null.
    const s = sharpeRatio(ret, { periodsPerYear: this.periodsPerYear });
    const sharpe = Number.isFinite(s) ? s : null;
    const judged = this.good + this.bad;
    return {
      contracts: this.count,
      bars: n,
      totalPnlPct: total,
      sharpe,
      winRate: judged === 0 ? null : this.good / judged,
      goodTrades: this.good,
      badTrades: this.bad,
      portfolioReturnPct: ret,
      cumulativePnlPct: cum,
    };
  }
}
