/**
 * The intraday book's risk check (`portfolioRisk`, hourly): concentration,
 * correlation between held symbols, historical VaR 95 of the book's
 * intraday returns, and drawdown of its equity over the day. Each breach is
 * a violation with a severity; a critical one (drawdown beyond
 * `criticalDrawdown`, or a position above `criticalPositionMultiple` x its
 * cap) is what halts trading. Mitigations are proposals, never orders: trim
 * an over-cap position to its cap; on a critical drawdown, close every
 * position.
 *
 * Conventions: weights are |qty| x price / equity; VaR 95 is the 5 %
 * quantile of the book's per-bar returns (equity_t / equity_{t-1} - 1,
 * numpy's linear interpolation, see risk.ts historicalVaR), a loss shown
 * negative; drawdown is max over the day of 1 - equity_t / running peak.
 */
import { drawdownOfValues, historicalVaR } from '../risk';

export interface RiskCheckLimits {
  /** Fraction of equity one position may hold (the risk manager's max single position). */
  maxSinglePosition: number;
  /** A position above this multiple of its cap is critical (default 2). */
  criticalPositionMultiple: number;
  /** Correlation above which two held symbols are a violation (the risk manager's 0.7). */
  maxCorrelation: number;
  /** VaR 95 (a negative return) below which the book is in breach, e.g. -0.02. */
  var95Limit: number;
  /** Drawdown that is a warning, e.g. 0.03. */
  maxDrawdown: number;
  /** Drawdown that halts trading, e.g. 0.05. */
  criticalDrawdown: number;
}

export const DEFAULT_RISK_CHECK_LIMITS: RiskCheckLimits = {
  maxSinglePosition: 0.1,
  criticalPositionMultiple: 2,
  maxCorrelation: 0.7,
  var95Limit: -0.02,
  maxDrawdown: 0.03,
  criticalDrawdown: 0.05,
};

export interface RiskCheckPosition {
  symbol: string;
  qty: number;
  price: number;
}

export interface RiskCheckInput {
  positions: readonly RiskCheckPosition[];
  equity: number;
  /** The book's equity at each bar close of the day so far (oldest first). */
  equityCurve: readonly number[];
  /** Correlations between held symbols (each pair once). */
  correlations: readonly { a: string; b: string; correlation: number }[];
  limits: RiskCheckLimits;
}

export type RiskCheckRule = 'concentration' | 'correlation' | 'var95' | 'drawdown';

export interface RiskCheckViolation {
  rule: RiskCheckRule;
  severity: 'warning' | 'critical';
  symbol: string | null;
  value: number;
  limit: number;
  message: string;
}

export interface MitigationOrder {
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  reason: string;
}

export interface RiskCheckResult {
  metrics: { maxWeight: number; grossExposure: number; var95: number; drawdown: number; correlatedPairs: number };
  violations: RiskCheckViolation[];
  mitigations: MitigationOrder[];
  critical: boolean;
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

/**
 * Check the book against the limits.
 *
 * @example
 *   checkBookRisk({ positions: [{ symbol: 'A', qty: 300, price: 100 }], equity: 100_000, equityCurve: [100_000], correlations: [],
 *     limits: DEFAULT_RISK_CHECK_LIMITS }).violations[0].rule; // 'concentration' (30 % > 2 x 10 %: critical)
 */
export function checkBookRisk(input: RiskCheckInput): RiskCheckResult {
  const { limits } = input;
  const violations: RiskCheckViolation[] = [];
  const mitigations: MitigationOrder[] = [];
  let maxWeight = 0;
  let gross = 0;
  const sorted = [...input.positions].filter((p) => p.qty !== 0).sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  for (const p of sorted) {
    const value = Math.abs(p.qty) * p.price;
    gross += value;
    const weight = input.equity > 0 ? value / input.equity : Infinity;
    maxWeight = Math.max(maxWeight, weight);
    if (weight > limits.maxSinglePosition) {
      const critical = weight > limits.criticalPositionMultiple * limits.maxSinglePosition;
      violations.push({
        rule: 'concentration',
        severity: critical ? 'critical' : 'warning',
        symbol: p.symbol,
        value: weight,
        limit: limits.maxSinglePosition,
        message: `${p.symbol} is ${pct(weight)} of equity, above its cap of ${pct(limits.maxSinglePosition)}${critical ? ` (more than ${limits.criticalPositionMultiple}x: critical)` : ''}`,
      });
      // a cap on equity <= 0 is zero shares: without the clamp the trim would exceed the position and flip it
      const keep = Math.max(0, Math.floor((limits.maxSinglePosition * input.equity) / p.price));
      const trim = Math.abs(p.qty) - keep;
      if (trim > 0)
        mitigations.push({
          symbol: p.symbol,
          side: p.qty > 0 ? 'sell' : 'buy',
          qty: trim,
          reason: `trim ${p.symbol} to its cap of ${pct(limits.maxSinglePosition)}`,
        });
    }
  }
  let correlatedPairs = 0;
  for (const c of input.correlations) {
    if (Math.abs(c.correlation) > limits.maxCorrelation) {
      correlatedPairs++;
      violations.push({
        rule: 'correlation',
        severity: 'warning',
        symbol: `${c.a}/${c.b}`,
        value: c.correlation,
        limit: limits.maxCorrelation,
        message: `${c.a} and ${c.b} are both held and correlated at ${c.correlation.toFixed(2)} (limit ${limits.maxCorrelation})`,
      });
    }
  }
  const returns: number[] = [];
  for (let i = 1; i < input.equityCurve.length; i++) {
    const prev = input.equityCurve[i - 1]!;
    if (prev > 0) returns.push(input.equityCurve[i]! / prev - 1);
  }
  const var95 = returns.length >= 2 ? historicalVaR(returns, 0.95) : NaN;
  if (var95 < limits.var95Limit) {
    violations.push({
      rule: 'var95',
      severity: 'warning',
      symbol: null,
      value: var95,
      limit: limits.var95Limit,
      message: `VaR 95 of the book's bar returns is ${pct(var95)}, beyond the limit of ${pct(limits.var95Limit)}`,
    });
  }
  const dd = input.equityCurve.length > 0 ? drawdownOfValues(input.equityCurve).maxDrawdown : 0;
  const drawdown = Number.isFinite(dd) ? dd : 0;
  if (drawdown > limits.maxDrawdown) {
    const critical = drawdown > limits.criticalDrawdown;
    violations.push({
      rule: 'drawdown',
      severity: critical ? 'critical' : 'warning',
      symbol: null,
      value: drawdown,
      limit: critical ? limits.criticalDrawdown : limits.maxDrawdown,
      message: `the book is ${pct(drawdown)} below its peak of the day (${critical ? `critical beyond ${pct(limits.criticalDrawdown)}` : `warning beyond ${pct(limits.maxDrawdown)}`})`,
    });
    if (critical) {
      mitigations.length = 0;
      for (const p of sorted)
        mitigations.push({ symbol: p.symbol, side: p.qty > 0 ? 'sell' : 'buy', qty: Math.abs(p.qty), reason: 'close: critical drawdown' });
    }
  }
  return {
    metrics: { maxWeight, grossExposure: gross, var95, drawdown, correlatedPairs },
    violations,
    mitigations,
    critical: violations.some((v) => v.severity === 'critical'),
  };
}
