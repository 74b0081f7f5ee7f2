/**
 * The paper-trading day: the expected-alpha rule, the four bad-input cases
 * at the domain level, and a fast-check property: on every simulated day,
 * total value + costs paid = previous total + market P&L + dividends.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { transactionCost } from './costs';
import { buyNetAlpha, expectedAlpha, rebalanceDay, type DaySignal, type DueDividend, type HeldPosition } from './rebalance-day';
import { classifyScore } from './scoring';

const SECTORS = ['Tech', 'Health', 'Energy', 'Utilities'];
const SYMBOLS = Array.from({ length: 12 }, (_, i) => `S${String(i).padStart(2, '0')}`);
const sectorOf = (s: string) => SECTORS[Number(s.slice(1)) % SECTORS.length];

describe('expected alpha', () => {
  it('is (score - 50)/50 x 4% x 63/252 x notional, and a buy must beat twice its cost', () => {
    expect(expectedAlpha(75, 10_000)).toBeCloseTo(0.5 * 0.04 * 0.25 * 10_000, 12);
    expect(expectedAlpha(50, 10_000)).toBe(0);
    expect(expectedAlpha(NaN, 10_000)).toBe(0);
    const cost = transactionCost(100, 50);
    expect(buyNetAlpha(80, { notional: 5000, cost })).toBeCloseTo(expectedAlpha(80, 5000) - 2 * cost.total, 12);
  });
});

describe('rebalanceDay bad input', () => {
  const base = { date: '2024-01-02', minTradeValue: 100, dividends: [] as DueDividend[] };
  const sig = (symbol: string, score: number): DaySignal => ({ symbol, sector: sectorOf(symbol), signal: classifyScore(score), score });

  it('no signals: no trades, the account is only marked', () => {
    const pos: HeldPosition[] = [{ symbol: 'S00', shares: 10, avgCost: 90, lastPrice: 95, lastPriceDate: '2023-12-29', sector: 'Tech' }];
    const d = rebalanceDay({ ...base, cash: 1000, positions: pos, prices: { S00: 100 }, signals: [] });
    expect(d.outcome).toBe('no_signals');
    expect(d.orders).toEqual([]);
    expect(d.after.totalValue).toBeCloseTo(2000, 9);
  });

  it('a held symbol without a price stays at its last price, is flagged and not traded', () => {
    const pos: HeldPosition[] = [{ symbol: 'S00', shares: 10, avgCost: 90, lastPrice: 95, lastPriceDate: '2023-12-29', sector: 'Tech' }];
    const d = rebalanceDay({ ...base, cash: 50_000, positions: pos, prices: { S01: 50 }, signals: [sig('S01', 80)] });
    expect(d.stale).toEqual(['S00']);
    expect(d.orders.map((o) => o.symbol)).toEqual(['S01']);
    const s00 = d.after.positions.find((p) => p.symbol === 'S00')!;
    expect(s00).toMatchObject({ shares: 10, price: 95, priceDate: '2023-12-29', stale: true });
  });

  it('capital too small for any trade: reported, the cash is kept', () => {
    const d = rebalanceDay({ ...base, cash: 500, positions: [], prices: { S00: 40, S01: 60 }, signals: [sig('S00', 80), sig('S01', 65)] });
    expect(d.outcome).toBe('capital_too_small');
    expect(d.after.cash).toBe(500);
  });

  it('a target whose one share costs more than its allocation is listed under rejected, with its numbers', () => {
    // two strong buys in two sectors: 5 % each (stock cap) of 10,000 = 500 dollars each.
    // S00 at 40: 12 shares (480). S01 at 600: 500 / 600 < 1 share -> no order, rejected.
    const d = rebalanceDay({
      ...base,
      cash: 10_000,
      positions: [],
      prices: { S00: 40, S01: 600 },
      signals: [sig('S00', 80), sig('S01', 80)],
    });
    expect(d.orders.map((o) => [o.symbol, o.shares])).toEqual([['S00', 12]]);
    expect(d.rejected).toHaveLength(1);
    expect(d.rejected[0]).toMatchObject({ symbol: 'S01', side: 'buy', shares: 0, reason: 'share_price_above_allocation', price: 600 });
    expect(d.rejected[0].targetWeight).toBeCloseTo(0.05, 12);
    expect(d.rejected[0].allocation).toBeCloseTo(500, 9);
  });

  it('caps infeasible: reported, the unplaced weight stays in cash', () => {
    const d = rebalanceDay({
      ...base,
      cash: 100_000,
      positions: [],
      prices: { S00: 40, S01: 60, S02: 25 },
      signals: [sig('S00', 80), sig('S01', 90), sig('S02', 62)],
    });
    expect(d.infeasible).toBe(true);
    expect(d.infeasibleReason).toMatch(/caps allow only 15\.00% invested/);
    // targets apply to the value before the trades (costs then lower the total a little)
    for (const p of d.after.positions) expect(p.marketValue / d.before.totalValue).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(d.after.cash / d.after.totalValue).toBeGreaterThan(0.85);
  });
});

describe('rebalanceDay accounting (property)', () => {
  const day = fc.record({
    moves: fc.array(fc.double({ min: -0.08, max: 0.08, noNaN: true }), { minLength: SYMBOLS.length, maxLength: SYMBOLS.length }),
    scores: fc.array(fc.option(fc.double({ min: 20, max: 95, noNaN: true }), { nil: undefined }), {
      minLength: SYMBOLS.length,
      maxLength: SYMBOLS.length,
    }),
    missing: fc.array(fc.boolean(), { minLength: SYMBOLS.length, maxLength: SYMBOLS.length }),
    dividends: fc.array(fc.option(fc.double({ min: 0.01, max: 2, noNaN: true }), { nil: undefined, freq: 4 }), {
      minLength: SYMBOLS.length,
      maxLength: SYMBOLS.length,
    }),
  });

  it('cash + positions value + costs paid = previous total + market P&L + dividends, every day', () => {
    fc.assert(
      fc.property(fc.double({ min: 1_000, max: 500_000, noNaN: true }), fc.array(day, { minLength: 1, maxLength: 12 }), (capital, days) => {
        let cash = capital;
        let positions: HeldPosition[] = [];
        let level: Record<string, number> = Object.fromEntries(SYMBOLS.map((s, i) => [s, 20 + 15 * i]));
        days.forEach((d, k) => {
          const date = `2024-01-${String(k + 2).padStart(2, '0')}`;
          level = Object.fromEntries(SYMBOLS.map((s, i) => [s, level[s] * (1 + d.moves[i])]));
          const prices = Object.fromEntries(SYMBOLS.filter((_, i) => !(d.missing[i] && k % 3 === 1)).map((s) => [s, level[s]]));
          const signals: DaySignal[] = SYMBOLS.flatMap((s, i) =>
            d.scores[i] === undefined ? [] : [{ symbol: s, sector: sectorOf(s), signal: classifyScore(d.scores[i]!), score: d.scores[i]! }],
          );
          const held = new Set(positions.map((p) => p.symbol));
          const dividends: DueDividend[] = SYMBOLS.flatMap((s, i) =>
            d.dividends[i] !== undefined && held.has(s) ? [{ symbol: s, exDate: date, amount: d.dividends[i]! }] : [],
          );
          const prevTotal = cash + positions.reduce((a, p) => a + p.shares * p.lastPrice, 0);
          const marketPnl = positions.reduce((a, p) => a + p.shares * ((prices[p.symbol] ?? p.lastPrice) - p.lastPrice), 0);
          const r = rebalanceDay({ date, cash, positions, prices, signals, dividends, minTradeValue: 100 });
          expect(r.before.totalValue).toBeCloseTo(prevTotal, 6);
          const lhs = r.after.cash + r.after.positionsValue + r.costs;
          expect(Math.abs(lhs - (prevTotal + marketPnl + r.dividendCash))).toBeLessThan(1e-6 * Math.max(1, prevTotal));
          expect(r.after.cash).toBeGreaterThanOrEqual(-0.01);
          for (const o of r.orders) {
            expect(o.cost.total).toBeCloseTo(transactionCost(o.shares, o.price).total, 12);
            if (o.side === 'buy') {
              expect(Number.isInteger(o.shares)).toBe(true);
              expect(o.notional).toBeGreaterThanOrEqual(100);
              expect(o.netAlpha).toBeGreaterThan(0);
            }
          }
          cash = r.after.cash;
          positions = r.after.positions.map((p) => ({
            symbol: p.symbol,
            shares: p.shares,
            avgCost: p.avgCost,
            lastPrice: p.price,
            lastPriceDate: p.priceDate,
            sector: p.sector,
          }));
        });
      }),
      { numRuns: 150, seed: 4242 },
    );
  });
});
