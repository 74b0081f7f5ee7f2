/**
 * The per-contract analysis kernel of the fan-out (`analyzeSymbol`): bar-to-bar
 * changes of a contract and of SPX, a clipped ratio "beta", VIX-scaled buy/sell
 * thresholds, a signal per bar and the quality of each trade judged by the
 * next bar. Pure and allocation-light so one pass handles tens of millions of
 * bars per second; the activity around it only moves bytes.
 */

/** Signal codes, stored as Int8 so a 28k-bar column is 28 KB. */
export const SIGNAL = { hold: 0, buy: 1, sell: -1 } as const;
/** Trade-quality codes: good = the next change agreed with the signal. */
export const QUALITY = { neutral: 0, good: 1, bad: -1 } as const;

export const BETA_CLIP = 3;

export interface SymbolBars {
  /** Contract prices in time order. */
  price: Float64Array;
  /** SPX level on the same bars. */
  spx: Float64Array;
  /** VIX level on the same bars. */
  vix: Float64Array;
}

export interface SymbolSummary {
  bars: number;
  totalTrades: number;
  goodTrades: number;
  badTrades: number;
  /** good / total * 100, 0 when there are no trades. */
  successRate: number;
  /** Mean of beta over the bars where it is defined (bar 1 onward). NaN for < 2 bars. */
  avgBeta: number;
  /** Mean VIX over all bars. NaN for no bars. */
  avgVix: number;
}

export interface SymbolAnalysis {
  /** (p[t] / p[t-1] - 1) * 100; NaN on bar 0 and where an input is missing. */
  priceChangePct: Float64Array;
  spxChangePct: Float64Array;
  /** price_change_pct / spx_change_pct, undefined -> 1.0, then clipped to [-3, 3]. */
  beta: Float64Array;
  /** 0.5 * VIX / 15 (sell threshold is its negative). */
  buyThreshold: Float64Array;
  signal: Int8Array;
  quality: Int8Array;
  summary: SymbolSummary;
}

/**
 * Analyse one contract.
 *
 * Formulas, per bar t >= 1 (bar 0 has no change and is a hold):
 * - change_t = (p_t / p_{t-1} - 1) * 100, the same for SPX;
 * - beta_t = change_t / spx_change_t; 0/0 or a missing input gives 1.0; the
 *   result is clipped to [-3, 3], so x/0 with x != 0 gives +-3;
 * - buy_t = 0.5 * vix_t / 15, sell_t = -buy_t;
 * - signal_t = buy if change_t > buy_t, sell if change_t < sell_t, else hold
 *   (an undefined change is a hold);
 * - quality_t = good when a buy is followed by change_{t+1} > 0 or a sell by
 *   change_{t+1} < 0, bad for the opposite sign, neutral otherwise (hold,
 *   zero next change, last bar).
 *
 * Empty input gives empty arrays and a summary of zeros with NaN averages.
 * The three series must have equal length; callers validate at the boundary.
 *
 * @example
 *   const a = analyzeSymbolBars({ price, spx, vix });
 *   a.summary.successRate // e.g. 51.2
 */
export function analyzeSymbolBars({ price, spx, vix }: SymbolBars): SymbolAnalysis {
  const n = price.length;
  if (spx.length !== n || vix.length !== n) {
    throw new RangeError(`series lengths differ: price ${n}, spx ${spx.length}, vix ${vix.length}`);
  }
  const priceChangePct = new Float64Array(n);
  const spxChangePct = new Float64Array(n);
  const beta = new Float64Array(n);
  const buyThreshold = new Float64Array(n);
  const signal = new Int8Array(n);
  const quality = new Int8Array(n);

  let betaSum = 0;
  let betaCount = 0;
  let vixSum = 0;
  for (let t = 0; t < n; t++) {
    const v = vix[t];
    vixSum += v;
    const buy = (0.5 * v) / 15;
    buyThreshold[t] = buy;
    if (t === 0) {
      priceChangePct[0] = NaN;
      spxChangePct[0] = NaN;
      beta[0] = NaN;
      continue;
    }
    const c = (price[t] / price[t - 1] - 1) * 100;
    const s = (spx[t] / spx[t - 1] - 1) * 100;
    priceChangePct[t] = c;
    spxChangePct[t] = s;
    let b = c / s;
    if (b !== b) b = 1; // NaN: 0/0 or a missing input
    else if (b > BETA_CLIP) b = BETA_CLIP;
    else if (b < -BETA_CLIP) b = -BETA_CLIP;
    beta[t] = b;
    betaSum += b;
    betaCount++;
    // Comparisons with NaN are false, so an undefined change stays a hold.
    signal[t] = c > buy ? SIGNAL.buy : c < -buy ? SIGNAL.sell : SIGNAL.hold;
  }

  let total = 0;
  let good = 0;
  let bad = 0;
  for (let t = 1; t < n; t++) {
    const sig = signal[t];
    if (sig === SIGNAL.hold) continue;
    total++;
    if (t === n - 1) continue;
    const next = priceChangePct[t + 1];
    const q = sig * next > 0 ? QUALITY.good : sig * next < 0 ? QUALITY.bad : QUALITY.neutral;
    quality[t] = q;
    if (q === QUALITY.good) good++;
    else if (q === QUALITY.bad) bad++;
  }

  return {
    priceChangePct,
    spxChangePct,
    beta,
    buyThreshold,
    signal,
    quality,
    summary: {
      bars: n,
      totalTrades: total,
      goodTrades: good,
      badTrades: bad,
      successRate: total === 0 ? 0 : (good / total) * 100,
      avgBeta: betaCount === 0 ? NaN : betaSum / betaCount,
      avgVix: n === 0 ? NaN : vixSum / n,
    },
  };
}
