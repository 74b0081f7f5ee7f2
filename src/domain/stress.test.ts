import { describe, expect, it } from 'vitest';
import { marketShock, runStress, worstDayScenario } from './stress';

describe('runStress', () => {
  const positions = [
    { symbol: 'AAPL', qty: 10, price: 200 },
    { symbol: 'MSFT', qty: -5, price: 400 },
  ];

  it('a -10% market shock loses 10% of the long and gains 10% on the short (hand computed)', () => {
    // AAPL 10 x 200 x -0.1 = -200; MSFT -5 x 400 x -0.1 = +200
    const [r] = runStress(positions, 20_000, [marketShock(-0.1)]);
    expect(r.name).toBe('market -10%');
    expect(r.pnl).toBeCloseTo(0, 9);
    expect(r.worst).toEqual({ symbol: 'AAPL', pnl: -200 });
  });

  it('uses per-symbol shocks and reports the loss as a fraction of equity', () => {
    const returns = new Map([
      [
        'AAPL',
        new Map([
          ['2026-01-02', 0.01],
          ['2026-01-05', -0.05],
        ]),
      ],
      ['MSFT', new Map([['2026-01-02', 0.03]])],
    ]);
    const s = worstDayScenario(returns);
    expect(s.bySymbol).toEqual({ AAPL: -0.05, MSFT: 0 });
    // AAPL 10 x 200 x -0.05 = -100; MSFT 0
    const [r] = runStress(positions, 5_000, [s]);
    expect(r.pnl).toBeCloseTo(-100, 9);
    expect(r.pnlPctOfEquity).toBeCloseTo(-0.02, 12);
  });

  it('an empty book loses nothing; equity <= 0 gives NaN; a bad price is named', () => {
    expect(runStress([], 1000, [marketShock(-0.2)])[0]).toMatchObject({ pnl: 0, worst: null, name: 'market -20%' });
    expect(runStress(positions, 0, [marketShock(-0.2)])[0].pnlPctOfEquity).toBeNaN();
    expect(() => runStress([{ symbol: 'TSLA', qty: 1, price: 0 }], 1000, [marketShock(-0.1)])).toThrow(/TSLA/);
  });
});
