/**
 * The pieces around a paper-trading day: symbols to price, dividends due in
 * the window since the last snapshot, and the flag messages (texts written
 * out by hand from the rule they state).
 */
import { describe, expect, it } from 'vitest';
import { dividendsDue, rebalanceFlags, symbolsToPrice } from './rebalance-context';
import type { HeldPosition } from './rebalance-day';

const held: HeldPosition[] = [
  { symbol: 'XOM', shares: 10, avgCost: 100, lastPrice: 118.2, lastPriceDate: '2024-03-26', sector: 'Energy' },
  { symbol: 'KO', shares: 5, avgCost: 60, lastPrice: 61, lastPriceDate: '2024-03-26', sector: 'Staples' },
];

describe('symbolsToPrice', () => {
  it('lists held then signalled symbols, each once', () => {
    expect(symbolsToPrice(held, [{ symbol: 'KO' }, { symbol: 'AAPL' }])).toEqual(['XOM', 'KO', 'AAPL']);
    expect(symbolsToPrice([], [])).toEqual([]);
  });
});

describe('dividendsDue', () => {
  it('keeps ex-dates inside [from, to], both ends included', () => {
    const ds = [
      { date: '2024-02-29', amount: 1 },
      { date: '2024-03-01', amount: 2 },
      { date: '2024-03-27', amount: 3 },
      { date: '2024-03-28', amount: 4 },
    ];
    expect(dividendsDue('KO', ds, '2024-03-01', '2024-03-27')).toEqual([
      { symbol: 'KO', exDate: '2024-03-01', amount: 2 },
      { symbol: 'KO', exDate: '2024-03-27', amount: 3 },
    ]);
  });
});

describe('rebalanceFlags', () => {
  it('flags stale held symbols with their last price, then unpriced buys', () => {
    const flags = rebalanceFlags({ date: '2024-03-27', stale: ['XOM'], unpriced: ['NVDA'] }, held);
    expect(flags).toEqual([
      {
        type: 'stale_price',
        symbol: 'XOM',
        message: 'XOM has no price on 2024-03-27: kept at its last price 118.20 of 2024-03-26 and not traded',
      },
      { type: 'no_price', symbol: 'NVDA', message: 'NVDA is rated buy but has no price on 2024-03-27: not bought' },
    ]);
  });

  it('a clean day raises no flag', () => {
    expect(rebalanceFlags({ date: '2024-03-27', stale: [], unpriced: [] }, held)).toEqual([]);
  });
});
