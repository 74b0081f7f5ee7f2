/**
 * Turnover, total costs and cost drag on a two-day example worked out by
 * hand (below), first from the series alone, then through the backtest
 * engine and `performanceSummary`.
 *
 * Capital 1,000; one name at 10, then 11. Day 0 buys 50 shares (weight 0.5,
 * notional 500) paying 1 % = 5 in costs: equity 495 + 500 = 995. Day 1:
 * 495 + 50 x 11 = 1,045. Without costs (same 50 shares): 1,000 then 1,050.
 * - net returns: 995 / 1000 - 1 = -0.005, 1045 / 995 - 1; W = 1.045;
 * - gross returns: 0, 0.05; W = 1.05;
 * - with P = 2 periods a year and N = 2: CAGR = W - 1, so net 4.5 %, gross
 *   5 %, cost drag 0.5 %;
 * - turnover: day 0 500 / (2 x 995) = 0.2512563, day 1 0; annual = mean x P
 *   = 0.2512563;
 * - costs: 5 / 1000 = 0.5 % of the capital.
 */
import { describe, expect, it } from 'vitest';
import { simulateSignalPortfolio } from './backtest';
import { DAILY_NO_BAND } from './rebalance-policy';
import { performanceSummary } from './risk';
import { annualTurnover, costDrag, totalCosts, tradingSeries } from './turnover';

const curve = { equity: [995, 1045], initialCapital: 1000, traded: [500, 0], dayCosts: [5, 0] };

describe('turnover and cost drag (hand example)', () => {
  it('the series', () => {
    const t = tradingSeries(curve);
    expect(t.turnover[0]).toBeCloseTo(500 / 1990, 15);
    expect(t.turnover[1]).toBe(0);
    expect(t.grossReturns[0]).toBeCloseTo(0, 15);
    expect(t.grossReturns[1]).toBeCloseTo(0.05, 15);
    expect(t.costs).toEqual([0.005, 0]);
    expect(annualTurnover(t.turnover, 2)).toBeCloseTo(0.2512563, 7);
    expect(totalCosts(t.costs)).toBe(0.005);
    expect(costDrag([995 / 1000 - 1, 1045 / 995 - 1], t.grossReturns, 2)).toBeCloseTo(0.005, 12);
  });

  it('through the engine and performanceSummary', () => {
    const sim = simulateSignalPortfolio(
      { dates: ['2024-01-02', '2024-01-03'], symbols: ['A'], closes: [[10, 11]] },
      [{ date: '2024-01-02', candidates: [{ symbol: 'A', sector: 'Tech', recommendation: 'strong_buy' }] }],
      {
        initialCapital: 1000,
        policy: { maxStockWeight: 1, maxSectorWeight: 1, cashReserve: 0.5 },
        costModel: { commissionPerShare: 0, spreadBps: 100, exchangeFeeBps: 0, impactBpsPer1000: 0 },
        rebalance: DAILY_NO_BAND,
      },
    );
    expect(sim.equity).toEqual([995, 1045]);
    expect(sim.traded).toEqual([500, 0]);
    expect(sim.dayCosts).toEqual([5, 0]);
    const s = performanceSummary(sim.returns, { periodsPerYear: 2, trading: tradingSeries(sim) });
    expect(s.cagr).toBeCloseTo(0.045, 12);
    expect(s.costDrag).toBeCloseTo(0.005, 12);
    expect(s.turnoverAnnual).toBeCloseTo(0.2512563, 7);
    expect(s.costsTotal).toBeCloseTo(0.005, 15);
  });

  it('a curve stored without its trading series gives NaN, and performanceSummary without it adds nothing', () => {
    const t = tradingSeries({ equity: [1, 2], initialCapital: 1, traded: undefined as never, dayCosts: undefined as never });
    expect(Number.isNaN(annualTurnover(t.turnover))).toBe(true);
    expect(performanceSummary([0.01]).costDrag).toBeUndefined();
  });
});
