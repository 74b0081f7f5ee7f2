import { describe, expect, it } from 'vitest';
import { renderRiskReport } from './risk-report';

describe('renderRiskReport', () => {
  it('lists positions, scenarios and the pairs above the correlation limit', () => {
    const md = renderRiskReport({
      asOf: '2026-03-02',
      broker: 'paper',
      equity: 10_000,
      positions: [{ symbol: 'AAPL', qty: 10, price: 200 }],
      scenarios: [
        {
          name: 'market -10%',
          description: 'every price moves -10% at once',
          pnl: -200,
          pnlPctOfEquity: -0.02,
          worst: { symbol: 'AAPL', pnl: -200 },
        },
      ],
      correlations: [
        { symbolA: 'AAPL', symbolB: 'MSFT', correlation: 0.82, observations: 60 },
        { symbolA: 'AAPL', symbolB: 'XOM', correlation: 0.1, observations: 60 },
      ],
      maxCorrelation: 0.7,
      window: 60,
      pairsRefreshed: 3,
    });
    expect(md).toContain('# Risk analysis 2026-03-02');
    expect(md).toContain('| AAPL | 10 | 200.00 | 2000.00 | 20.00% |');
    expect(md).toContain('| market -10% | every price moves -10% at once | -200.00 | -2.00% | AAPL -200.00 |');
    expect(md).toContain('| AAPL / MSFT | 0.820 | 60 | yes |');
    expect(md).toContain('1 pair(s) above the limit');
  });

  it('says so when the book is empty', () => {
    const md = renderRiskReport({
      asOf: '2026-03-02',
      broker: 'alpaca',
      equity: 5,
      positions: [],
      scenarios: [],
      correlations: [],
      maxCorrelation: 0.7,
      window: 60,
      pairsRefreshed: 0,
    });
    expect(md).toContain('No open positions.');
    expect(md).toContain('Fewer than two held symbols');
  });
});
