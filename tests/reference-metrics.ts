/**
 * Performance metrics of a value series written out from their definitions
 * (the conventions: simple returns, rf converted per period as
 * (1 + rf)^(1/252) - 1, Sharpe with the sample deviation, Sortino with the
 * downside deviation over all observations as empyrical does, drawdown on
 * wealth, CAGR = (end / start)^(252 / n) - 1), independent of src/domain, for
 * tests that recompute stored results.
 */
export function referenceMetrics(values: number[], rfAnnual = 0.05) {
  const r = values.slice(1).map((v, i) => v / values[i] - 1);
  const n = r.length;
  const rf = Math.pow(1 + rfAnnual, 1 / 252) - 1;
  const ex = r.map((x) => x - rf);
  const mu = ex.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(ex.reduce((a, b) => a + (b - mu) ** 2, 0) / (n - 1));
  const down = Math.sqrt(ex.reduce((a, b) => a + Math.min(b, 0) ** 2, 0) / n);
  let peak = -Infinity;
  let mdd = 0;
  for (const v of values) {
    peak = Math.max(peak, v);
    mdd = Math.max(mdd, 1 - v / peak);
  }
  const cagr = Math.pow(values[n] / values[0], 252 / n) - 1;
  return {
    r,
    cagr,
    sharpe: (mu / sd) * Math.sqrt(252),
    sortino: (mu * 252) / (down * Math.sqrt(252)),
    maxDrawdown: mdd,
    calmar: cagr / mdd,
    totalReturn: values[n] / values[0] - 1,
  };
}
