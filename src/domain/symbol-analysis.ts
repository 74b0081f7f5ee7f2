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

/**
 * The parameters that define the kernel's results, in one object: the kernel
 * reads them and the fan-out hashes them into every run's config hash
 * (`fanoutRunConfig` in ./fanout-run.ts), so the hash cannot drift from the
 * code. Bump `kernel` whenever the formulas change in a way these numbers do
 * not show.
 */
export interface AnalysisParameters {
  /** Name and version of the kernel's formulas. */
  readonly kernel: string;
  /**
   * How the buy/sell thresholds are set. The seeds disagree: seed 000 scales
   * them with the VIX, seed 001 ("Buy signal: price increase > 0.5%") fixes
   * them. `vix` (the default): buy = thresholdFactor * VIX / vixScale;
   * `fixed`: buy = thresholdFactor, whatever the VIX. Sell = -buy in both.
   * Absent means `vix`, so the default object, and with it every config
   * hash recorded before the setting existed, is unchanged.
   */
  readonly thresholds?: ThresholdMode;
  /** Percent: the fixed threshold, or the threshold at VIX = vixScale. */
  readonly thresholdFactor: number;
  readonly vixScale: number;
  /** beta is clipped to [-betaClip, betaClip]. */
  readonly betaClip: number;
}

/** The two threshold rules of the seeds: VIX-scaled (seed 000) or fixed (seed 001). */
export const THRESHOLD_MODES = ['vix', 'fixed'] as const;
export type ThresholdMode = (typeof THRESHOLD_MODES)[number];

export const ANALYSIS_PARAMETERS: AnalysisParameters = Object.freeze({
  kernel: 'analyzeSymbolBars/1',
  thresholdFactor: 0.5,
  vixScale: 15,
  betaClip: 3,
});

const FIXED_THRESHOLD_PARAMETERS: AnalysisParameters = Object.freeze({ ...ANALYSIS_PARAMETERS, thresholds: 'fixed' });

/**
 * The kernel's parameters for a threshold rule: ANALYSIS_PARAMETERS itself
 * for `vix`, the same with `thresholds: 'fixed'` (±0.5 %) otherwise.
 *
 * @example
 *   analyzeSymbolBars(bars, analysisParameters('fixed')).buyThreshold[0] // 0.5
 */
export function analysisParameters(thresholds: ThresholdMode): AnalysisParameters {
  return thresholds === 'fixed' ? FIXED_THRESHOLD_PARAMETERS : ANALYSIS_PARAMETERS;
}

export const BETA_CLIP = ANALYSIS_PARAMETERS.betaClip;

/** Labels of the signal and quality codes, as stored in the result files. */
export const SIGNAL_LABELS: Readonly<Record<number, 'buy' | 'sell' | 'hold'>> = {
  [SIGNAL.buy]: 'buy',
  [SIGNAL.sell]: 'sell',
  [SIGNAL.hold]: 'hold',
};
export const QUALITY_LABELS: Readonly<Record<number, 'good' | 'bad' | 'neutral'>> = {
  [QUALITY.good]: 'good',
  [QUALITY.bad]: 'bad',
  [QUALITY.neutral]: 'neutral',
};

/**
 * The code of a stored signal label; an unknown or missing label is a hold.
 *
 * @example
 *   signalCode('buy') // 1
 */
export function signalCode(label: string | null | undefined): number {
  return label === 'buy' ? SIGNAL.buy : label === 'sell' ? SIGNAL.sell : SIGNAL.hold;
}

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
  /** Mean of beta over the bars where it is defined (bar 1 onward; see analyzeSymbolBars on bar 0). NaN for < 2 bars. */
  avgBeta: number;
  /** Mean VIX over all bars. NaN for no bars. */
  avgVix: number;
}

export interface SymbolAnalysis {
  /** (p[t] / p[t-1] - 1) * 100; NaN on bar 0 and where an input is missing. */
  priceChangePct: Float64Array;
  spxChangePct: Float64Array;
  /** price_change_pct / spx_change_pct, undefined -> 1.0, then clipped to [-betaClip, betaClip]. */
  beta: Float64Array;
  /** thresholdFactor * VIX / vixScale, or thresholdFactor when fixed (sell threshold is its negative). */
  buyThreshold: Float64Array;
  signal: Int8Array;
  quality: Int8Array;
  summary: SymbolSummary;
}

/**
 * Analyse one contract with `params` (default: ANALYSIS_PARAMETERS, whose
 * values are shown in brackets).
 *
 * Formulas, per bar t >= 1 (bar 0 has no change and is a hold):
 * - change_t = (p_t / p_{t-1} - 1) * 100, the same for SPX;
 * - beta_t = change_t / spx_change_t; 0/0 or a missing input gives 1.0; the
 *   result is clipped to [-betaClip, betaClip] ([-3, 3]), so x/0 with x != 0
 *   gives +-betaClip;
 * - buy_t = thresholdFactor * vix_t / vixScale (0.5 * vix_t / 15), or
 *   thresholdFactor (0.5) with `thresholds: 'fixed'`; sell_t = -buy_t;
 * - signal_t = buy if change_t > buy_t, sell if change_t < sell_t, else hold
 *   (an undefined change is a hold);
 * - quality_t = good when a buy is followed by change_{t+1} > 0 or a sell by
 *   change_{t+1} < 0, bad for the opposite sign, neutral otherwise (hold,
 *   zero next change, last bar).
 *
 * The first bar departs from the seeds on purpose. The seeds' pandas code
 * fills every undefined beta with 1.0, bar 0's included (pct_change has no
 * bar before it), and averages that 1.0 in. Bar 0 has no change at all, so
 * here its beta stays NaN and `avgBeta` is the mean over bars 1..n-1 (0/0 on
 * later bars, a flat contract on a flat market, is still filled with 1.0 as
 * the seeds do). The seed's average is (sum + 1) / n, ours sum / (n - 1):
 * they differ by (1 - avgBeta) / n. Measured over the synthetic dataset
 * (seed 20000127, 418 contracts): 28,048 bars, at most 2.3e-5 (mean 1.1e-5);
 * the seed's 24-bar demo window, up to 0.075, which is the made-up 1.0
 * speaking, not the contract.
 *
 * Empty input gives empty arrays and a summary of zeros with NaN averages.
 * The three series must have equal length; callers validate at the boundary.
 *
 * @example
 *   const a = analyzeSymbolBars({ price, spx, vix });
 *   a.summary.successRate // e.g. 51.2
 */
export function analyzeSymbolBars({ price, spx, vix }: SymbolBars, params: AnalysisParameters = ANALYSIS_PARAMETERS): SymbolAnalysis {
  const n = price.length;
  // Locals, not property reads, in the hot loop; the expression order is kept
  // as (factor * v) / scale so results stay bit-identical across versions.
  const { thresholdFactor, vixScale, betaClip } = params;
  const fixed = params.thresholds === 'fixed';
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
    const buy = fixed ? thresholdFactor : (thresholdFactor * v) / vixScale;
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
    if (b !== b)
      b = 1; // NaN: 0/0 or a missing input
    else if (b > betaClip) b = betaClip;
    else if (b < -betaClip) b = -betaClip;
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
