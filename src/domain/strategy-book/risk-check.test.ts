/**
 * The intraday book's risk check at its thresholds: concentration warning vs
 * critical, trim quantities, correlation, VaR 95, drawdown warning vs
 * critical (close-all replacing trims), and the empty book. Weights, trims
 * and correlations are hand arithmetic; VaR 95 and drawdown were computed
 * with python3 (numpy.percentile(returns, 5), linear interpolation;
 * pandas (1 - s / s.cummax()).max()), the value named beside each.
 */
import { describe, expect, it } from 'vitest';
import { checkBookRisk, DEFAULT_RISK_CHECK_LIMITS, type RiskCheckInput } from './risk-check';

const input = (over: Partial<RiskCheckInput> = {}): RiskCheckInput => ({
  positions: [],
  equity: 100_000,
  equityCurve: [100_000],
  correlations: [],
  limits: DEFAULT_RISK_CHECK_LIMITS,
  ...over,
});

describe('checkBookRisk: concentration', () => {
  const r = checkBookRisk(
    input({
      positions: [
        { symbol: 'B', qty: 150, price: 100 }, // 15 000 / 100 000 = 0.15: over 0.10, not over 0.20 -> warning
        { symbol: 'A', qty: -70, price: 333 }, // 23 310 / 100 000 = 0.2331 > 2 x 0.10 -> critical
        { symbol: 'C', qty: 50, price: 100 }, // 0.05: fine
        { symbol: 'D', qty: 0, price: 1_000 }, // flat: ignored
      ],
    }),
  );

  it('flags a position over its cap as a warning and one over twice its cap as critical, in symbol order', () => {
    expect(r.violations.map((v) => [v.rule, v.symbol, v.severity])).toEqual([
      ['concentration', 'A', 'critical'],
      ['concentration', 'B', 'warning'],
    ]);
    expect(r.violations[0]!.value).toBeCloseTo(0.2331, 12); // hand: 70 x 333 / 100 000
    expect(r.violations[1]!.value).toBeCloseTo(0.15, 12); // hand: 150 x 100 / 100 000
    expect(r.violations[0]!.limit).toBe(0.1);
    expect(r.critical).toBe(true);
  });

  it('proposes trims to the cap, buying back shorts', () => {
    // hand: A keeps floor(10 000 / 333) = floor(30.03) = 30 -> buy 70 - 30 = 40; B keeps floor(10 000 / 100) = 100 -> sell 50
    expect(r.mitigations.map(({ symbol, side, qty }) => ({ symbol, side, qty }))).toEqual([
      { symbol: 'A', side: 'buy', qty: 40 },
      { symbol: 'B', side: 'sell', qty: 50 },
    ]);
  });

  it('reports the largest weight and gross exposure', () => {
    expect(r.metrics.maxWeight).toBeCloseTo(0.2331, 12); // hand: A
    expect(r.metrics.grossExposure).toBeCloseTo(43_310, 8); // hand: 15 000 + 23 310 + 5 000
    expect(r.metrics.correlatedPairs).toBe(0);
    expect(r.metrics.drawdown).toBe(0); // one equity point: no drawdown
    expect(r.metrics.var95).toBeNaN(); // no returns
  });

  it('is strict at both thresholds: exactly the cap is fine, exactly twice the cap is only a warning', () => {
    const edge = checkBookRisk(
      input({
        positions: [
          { symbol: 'X', qty: 100, price: 100 }, // hand: 10 000 / 100 000 = 0.1, not > 0.1
          { symbol: 'Y', qty: 200, price: 100 }, // hand: 20 000 / 100 000 = 0.2, not > 0.2
        ],
      }),
    );
    expect(edge.violations.map((v) => [v.symbol, v.severity])).toEqual([['Y', 'warning']]);
    expect(edge.mitigations).toEqual([expect.objectContaining({ symbol: 'Y', side: 'sell', qty: 100 })]); // hand: 200 - 100
    expect(edge.critical).toBe(false);
  });

  it('never trims more than the position when equity is not positive', () => {
    // equity <= 0: every held position is over its cap (weight Infinity); the cap is 0 shares, so the trim closes it
    const neg = checkBookRisk(input({ equity: -1_000, positions: [{ symbol: 'A', qty: 10, price: 100 }] }));
    expect(neg.metrics.maxWeight).toBe(Infinity);
    expect(neg.violations[0]).toMatchObject({ rule: 'concentration', severity: 'critical' });
    expect(neg.mitigations).toEqual([expect.objectContaining({ symbol: 'A', side: 'sell', qty: 10 })]);
  });
});

describe('checkBookRisk: correlation', () => {
  it('counts held pairs whose |correlation| is above the limit, as warnings', () => {
    const r = checkBookRisk(
      input({
        correlations: [
          { a: 'A', b: 'B', correlation: 0.85 }, // hand: 0.85 > 0.7
          { a: 'A', b: 'C', correlation: -0.75 }, // hand: |-0.75| > 0.7 (same rule as reports/risk-report.ts)
          { a: 'B', b: 'C', correlation: 0.7 }, // hand: not > 0.7
        ],
      }),
    );
    expect(r.metrics.correlatedPairs).toBe(2);
    expect(r.violations.map((v) => [v.rule, v.symbol, v.severity, v.value])).toEqual([
      ['correlation', 'A/B', 'warning', 0.85],
      ['correlation', 'A/C', 'warning', -0.75],
    ]);
    expect(r.mitigations).toEqual([]);
    expect(r.critical).toBe(false);
  });
});

describe('checkBookRisk: VaR 95', () => {
  it('flags a VaR below the limit without a drawdown breach', () => {
    // returns -0.022, +0.022495, -0.022, +0.022495; python3 numpy.percentile(r, 5) = -0.02200000000000002 < -0.02;
    // pandas drawdown 0.02200000000000002 < 0.03
    const r = checkBookRisk(input({ equityCurve: [100_000, 97_800, 100_000, 97_800, 100_000] }));
    expect(r.metrics.var95).toBeCloseTo(-0.022, 12); // python3 numpy.percentile
    expect(r.metrics.drawdown).toBeCloseTo(0.022, 12); // python3 pandas
    expect(r.violations.map((v) => [v.rule, v.severity, v.limit])).toEqual([['var95', 'warning', -0.02]]);
    expect(r.critical).toBe(false);
  });

  it('needs two returns for a VaR', () => {
    // one return: NaN, so no var95 violation even though that return is -10 %
    const r = checkBookRisk(input({ equityCurve: [100_000, 90_000] }));
    expect(r.metrics.var95).toBeNaN();
    expect(r.violations.some((v) => v.rule === 'var95')).toBe(false);
  });
});

describe('checkBookRisk: drawdown', () => {
  const positions = [
    { symbol: 'B', qty: -20, price: 50 }, // hand: 1 000 / 100 000 = 0.01
    { symbol: 'A', qty: 150, price: 100 }, // hand: 0.15 -> concentration warning, trim 50
  ];

  it('a drawdown between the limits is a warning and keeps the trims', () => {
    // python3: numpy.percentile(returns, 5) = -0.030374738727978502; pandas drawdown = 0.03431372549019607 (1 - 98 500 / 102 000)
    const r = checkBookRisk(input({ positions, equityCurve: [100_000, 102_000, 98_500, 99_000] }));
    expect(r.metrics.drawdown).toBeCloseTo(0.03431372549019607, 12); // python3 pandas
    expect(r.metrics.var95).toBeCloseTo(-0.030374738727978502, 12); // python3 numpy.percentile
    expect(r.violations.map((v) => [v.rule, v.symbol, v.severity, v.limit])).toEqual([
      ['concentration', 'A', 'warning', 0.1],
      ['var95', null, 'warning', -0.02],
      ['drawdown', null, 'warning', 0.03],
    ]);
    expect(r.mitigations.map(({ symbol, side, qty }) => ({ symbol, side, qty }))).toEqual([{ symbol: 'A', side: 'sell', qty: 50 }]);
    expect(r.critical).toBe(false);
  });

  it('a drawdown beyond the critical limit replaces the trims with closing every position', () => {
    // python3 pandas drawdown of [100 000, 90 000] = 0.09999999999999998 > 0.05
    const r = checkBookRisk(input({ positions, equityCurve: [100_000, 90_000] }));
    expect(r.metrics.drawdown).toBeCloseTo(0.1, 12); // python3 pandas
    const dd = r.violations.find((v) => v.rule === 'drawdown')!;
    expect(dd.severity).toBe('critical');
    expect(dd.limit).toBe(0.05);
    // hand: close A (long 150: sell 150) and B (short 20: buy 20), in symbol order, and nothing else
    expect(r.mitigations.map(({ symbol, side, qty, reason }) => ({ symbol, side, qty, reason }))).toEqual([
      { symbol: 'A', side: 'sell', qty: 150, reason: 'close: critical drawdown' },
      { symbol: 'B', side: 'buy', qty: 20, reason: 'close: critical drawdown' },
    ]);
    expect(r.critical).toBe(true);
  });
});

describe('checkBookRisk: an empty book', () => {
  it('has no violations, no mitigations and is not critical', () => {
    const r = checkBookRisk(input({ equityCurve: [] }));
    expect(r.metrics).toEqual({ maxWeight: 0, grossExposure: 0, var95: NaN, drawdown: 0, correlatedPairs: 0 });
    expect(r.violations).toEqual([]);
    expect(r.mitigations).toEqual([]);
    expect(r.critical).toBe(false);
  });

  it('with a critical drawdown still reports it but has nothing to close', () => {
    const r = checkBookRisk(input({ equityCurve: [100_000, 90_000] }));
    expect(r.violations.map((v) => [v.rule, v.severity])).toEqual([['drawdown', 'critical']]);
    expect(r.mitigations).toEqual([]);
    expect(r.critical).toBe(true);
  });
});
