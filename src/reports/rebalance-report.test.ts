/**
 * The rebalance order report, rendered from a hand-built day (one buy with
 * its cost breakdown, one rejected buy, one reinvested dividend, one stale
 * position): each expected line below is written out from the numbers of
 * the day, not produced by the renderer.
 */
import { describe, expect, it } from 'vitest';
import type { RebalanceDay } from '../domain/rebalance-day';
import { DAILY_NO_BAND } from '../domain/rebalance-policy';
import { renderRebalanceReport, type RebalanceReportInput } from './rebalance-report';

const cost = { notional: 510, commission: 1, spread: 0.5, exchangeFee: 0.25, marketImpact: 0.25, total: 2 };
const day: RebalanceDay = {
  date: '2024-03-27',
  outcome: 'traded',
  infeasible: false,
  infeasibleReason: null,
  stale: ['XOM'],
  unpriced: [],
  dividends: [{ symbol: 'XOM', exDate: '2024-03-26', amountPerShare: 0.95, shares: 10, cash: 9.5, reinvestedShares: 0 }],
  allocation: null,
  targets: [{ symbol: 'AAPL', sector: 'Tech', signal: 'strong_buy', score: 82.34, weight: 0.05, capped: true }],
  orders: [{ symbol: 'AAPL', side: 'buy', shares: 3, price: 170, notional: 510, cost, score: 82.34, expectedAlpha: 3.29, netAlpha: -0.71 }],
  rejected: [
    { symbol: 'MSFT', side: 'buy', shares: 1, notional: 420, reason: 'net_alpha', netAlpha: -1.5 },
    {
      symbol: 'NVR',
      side: 'buy',
      shares: 0,
      notional: 0,
      reason: 'share_price_above_allocation',
      targetWeight: 0.05,
      allocation: 559.1,
      price: 7612.5,
    },
  ],
  inBand: [],
  rebalancePolicy: DAILY_NO_BAND,
  before: { cash: 10_000, positionsValue: 1182, totalValue: 11_182 },
  after: {
    cash: 9497.5,
    positionsValue: 1692,
    totalValue: 11_189.5,
    positions: [
      {
        symbol: 'AAPL',
        shares: 3,
        avgCost: 170,
        lastPrice: 170,
        lastPriceDate: '2024-03-27',
        sector: 'Tech',
        price: 170,
        priceDate: '2024-03-27',
        marketValue: 510,
        stale: false,
      },
      {
        symbol: 'XOM',
        shares: 10,
        avgCost: 100,
        lastPrice: 118.2,
        lastPriceDate: '2024-03-26',
        sector: 'Energy',
        price: 118.2,
        priceDate: '2024-03-26',
        marketValue: 1182,
        stale: true,
      },
    ],
  },
  costs: 2,
  dividendCash: 9.5,
};
const input: RebalanceReportInput = {
  day,
  signalsUsed: 7,
  flags: [{ type: 'stale_price', message: 'XOM has no price on 2024-03-27: kept at its last price 118.20 of 2024-03-26 and not traded' }],
  targetWeightsKey: 'rebalancing/tw.parquet',
  tradeOrdersKey: 'rebalancing/to.parquet',
  execution: { alreadyExecuted: false, cash: 9497.5, positionsValue: 1692, totalValue: 11_189.5, costsPaidCum: 12, dividendsCum: 20 },
};

describe('renderRebalanceReport', () => {
  const md = renderRebalanceReport(input);
  const lines = md.split('\n');

  it('states the outcome, the counts and the flags', () => {
    expect(lines[0]).toBe('# Rebalance 2024-03-27 (paper trading)');
    expect(md).toContain('Outcome: **traded**: orders executed (paper).');
    expect(md).toContain('Signals used: 7. Orders: 1 (0 sells, 1 buys); rejected: 2.');
    expect(md).toContain('- stale_price: XOM has no price on 2024-03-27: kept at its last price 118.20 of 2024-03-26 and not traded');
    expect(md).not.toContain('already been executed');
    expect(md).not.toContain('Caps infeasible');
  });

  it('tables the account, the costs, the targets, the orders, the rejections, the dividends and the positions', () => {
    expect(lines).toContain('| before (last snapshot prices) | 10000.00 | 1182.00 | 11182.00 |');
    expect(lines).toContain('| after (snapshot) | 9497.50 | 1692.00 | 11189.50 |');
    expect(md).toContain('Costs today 2.00 (cumulative 12.00); dividends today 9.50 (cumulative 20.00).');
    // The default policy: 3x / 2x, caps 5% / 25%, 5% cash; the alpha rule 4% a year over 63 days.
    expect(md).toContain(
      'Pension allocation: strong buy 3x, buy 2x; caps 5% per stock, 25% per sector, 5% cash. Parquet: `rebalancing/tw.parquet`.',
    );
    expect(md).toContain('Expected alpha = (score - 50) / 50 x 4% a year x 63/252 years x notional;');
    expect(lines).toContain('| AAPL | Tech | strong_buy | 82.3 | 5.00 | yes |');
    expect(lines).toContain('| buy | AAPL | 3 | 170.00 | 510.00 | 1.00 | 0.50 | 0.25 | 0.25 | 2.00 | -0.71 |');
    expect(lines).toContain('| buy | MSFT | 1 | 420.00 | net_alpha (-1.50) |');
    expect(lines).toContain('| buy | NVR | 0 | 0.00 | one share (7612.50) costs more than the allocation (5.00% = 559.10) |');
    expect(lines).toContain('| XOM | 2024-03-26 | 0.9500 | 10.0000 | 9.50 | 0.0000 |');
    // weight % = 510 / 11189.5 = 4.558%, 1182 / 11189.5 = 10.564%
    expect(lines).toContain('| AAPL | 3.0000 | 170.00 | 170.00 | 510.00 | 4.56 |  |');
    expect(lines).toContain('| XOM | 10.0000 | 100.00 | 118.20 | 1182.00 | 10.56 | stale: last price of 2024-03-26 |');
  });

  it('says when nothing was booked again, when the caps were infeasible, and renders empty sections', () => {
    const empty: RebalanceDay = {
      ...day,
      outcome: 'capital_too_small',
      infeasible: true,
      infeasibleReason: 'caps allow only 15.00% invested',
      stale: [],
      dividends: [],
      targets: [],
      orders: [],
      rejected: [],
      after: { ...day.after, positions: [] },
    };
    const text = renderRebalanceReport({ ...input, day: empty, flags: [], execution: { ...input.execution, alreadyExecuted: true } });
    expect(text).toContain('capital too small for any trade at the caps and the minimum trade value: no trades, the cash is kept');
    expect(text).toContain('This date had already been executed: nothing was booked again.');
    expect(text).toContain('Caps infeasible: caps allow only 15.00% invested. The unplaced weight stays in cash.');
    expect(text).toContain('_no orders_');
    expect(text).toContain('_all cash_');
    expect(text.match(/_none_/g)).toHaveLength(4); // flags, targets, rejected, dividends
    expect(text).not.toMatch(/\n\n\n/);
  });
});
