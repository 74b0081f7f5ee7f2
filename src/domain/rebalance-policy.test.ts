/**
 * The rebalance policy: band boundaries worked out by hand in the comments,
 * the periods and due days of each frequency against the calendar, and the
 * paper account (rebalanceDay, WF4) against the backtest engine (WF6) on
 * the same market and signals: same days traded, same trades, same equity.
 */
import { describe, expect, it } from 'vitest';
import { simulateSignalPortfolio, type BacktestMarket, type SignalDay } from './backtest';
import { mulberry32 } from './random';
import { REBALANCED_OUTCOMES, rebalanceDay, type DaySignal, type HeldPosition } from './rebalance-day';
import {
  applyNoTradeBand,
  bandWidth,
  DAILY_NO_BAND,
  DEFAULT_REBALANCE_POLICY,
  isRebalanceDue,
  outsideBand,
  rebalancePeriod,
  resolveRebalancePolicy,
  type RebalancePolicy,
} from './rebalance-policy';
import type { Recommendation } from './scoring';

/** Weekdays from `first` (UTC), `n` of them. */
function weekdays(first: string, n: number): string[] {
  const out: string[] = [];
  for (let d = new Date(`${first}T00:00:00Z`); out.length < n; d.setUTCDate(d.getUTCDate() + 1)) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

describe('no-trade band', () => {
  // Default policy: band = max(0.005, 0.25 x target). One strong buy A gets the 5 % stock cap,
  // so its band is max(0.005, 0.0125) = 0.0125: A trades only outside [3.75 %, 6.25 %].
  // Account: price 10, value V = 100,000 (cash + shares x 10).
  const day = (shares: number) =>
    rebalanceDay({
      date: '2024-03-01',
      cash: 100_000 - shares * 10,
      positions: shares > 0 ? [{ symbol: 'A', shares, avgCost: 10, lastPrice: 10, lastPriceDate: '2024-02-29', sector: 'Tech' }] : [],
      prices: { A: 10 },
      signals: [{ symbol: 'A', sector: 'Tech', signal: 'strong_buy', score: 100 }],
      dividends: [],
      minTradeValue: 100,
    });

  it('just inside the band: no trade (below and above the target)', () => {
    // 380 shares = 3,800 = 3.8 %: |3.8 - 5| = 1.2 pp <= 1.25 pp
    const below = day(380);
    expect(below.orders).toEqual([]);
    expect(below.inBand).toEqual(['A']);
    expect(below.outcome).toBe('no_trades');
    // 620 shares = 6.2 %: |6.2 - 5| = 1.2 pp <= 1.25 pp
    expect(day(620).orders).toEqual([]);
  });

  it('just outside the band: trades all the way to the target', () => {
    // 370 shares = 3.7 %: 1.3 pp > 1.25 pp; target 5 % of 100,000 / 10 = 500 shares: buy 130
    const below = day(370);
    expect(below.orders.map((o) => [o.side, o.symbol, o.shares])).toEqual([['buy', 'A', 130]]);
    expect(below.inBand).toEqual([]);
    // 630 shares = 6.3 %: 1.3 pp > 1.25 pp: sell 130 back to 500
    expect(day(630).orders.map((o) => [o.side, o.symbol, o.shares])).toEqual([['sell', 'A', 130]]);
  });

  it('band 0 (the old behaviour) trades any whole-share drift', () => {
    const d = rebalanceDay({
      date: '2024-03-01',
      cash: 100_000 - 4900,
      positions: [{ symbol: 'A', shares: 490, avgCost: 10, lastPrice: 10, lastPriceDate: '2024-02-29', sector: 'Tech' }],
      prices: { A: 10 },
      signals: [{ symbol: 'A', sector: 'Tech', signal: 'strong_buy', score: 100 }],
      dividends: [],
      minTradeValue: 100,
      rebalancePolicy: DAILY_NO_BAND,
    });
    // 490 -> 500 shares: 10 x 10 = 100 >= the 100 minimum
    expect(d.orders.map((o) => [o.side, o.shares])).toEqual([['buy', 10]]);
  });

  it('the width is max(absolute, relative x target); a target of 0 always sells what is held', () => {
    const p: RebalancePolicy = { frequency: 'daily', bandAbsolute: 0.01, bandRelative: 0.2 };
    expect(bandWidth(0.02, p)).toBe(0.01); // 0.2 x 0.02 = 0.004 < 0.01
    expect(bandWidth(0.1, p)).toBeCloseTo(0.02, 15); // 0.2 x 0.1 = 0.02 > 0.01
    expect(outsideBand(0.001, 0, p)).toBe(true);
    expect(outsideBand(0, 0, p)).toBe(false);
    // a new name whose target is inside the absolute band is not bought
    expect(applyNoTradeBand({ A: 0.008 }, {}, { A: 10 }, 1000, p)).toEqual({ weights: {}, inBand: ['A'] });
  });

  it('frozen names that drifted up leave the traded targets scaled to fit under 100 %', () => {
    // V = 100 + 90 x 10 = 1000, so A holds 90 % against a 50 % target; B (target 60 %) is not held.
    // Band 50 pp: A (|0.9 - 0.5| = 0.4 <= 0.5) is frozen at 0.9; B (|0 - 0.6| = 0.6 > 0.5) trades,
    // but 0.9 + 0.6 > 1, so B is scaled to 1 - 0.9 = 0.1.
    const wide: RebalancePolicy = { frequency: 'daily', bandAbsolute: 0.5, bandRelative: 0 };
    const r = applyNoTradeBand({ A: 0.5, B: 0.6 }, { A: 90 }, { A: 10, B: 10 }, 100, wide);
    expect(r.inBand).toEqual(['A']);
    expect(r.weights.A).toBeCloseTo(0.9, 15);
    expect(r.weights.B).toBeCloseTo(0.1, 15);
  });

  it('rejects a negative band or an unknown frequency', () => {
    expect(() => resolveRebalancePolicy({ bandAbsolute: -0.01 })).toThrow(/bandAbsolute/);
    expect(() => resolveRebalancePolicy({ frequency: 'hourly' as never })).toThrow(/frequency/);
    expect(resolveRebalancePolicy()).toEqual(DEFAULT_REBALANCE_POLICY);
  });
});

describe('rebalance frequency', () => {
  it('periods: the date, the Monday of its week, the month, the quarter', () => {
    expect(rebalancePeriod('2024-05-15', 'daily')).toBe('2024-05-15');
    expect(rebalancePeriod('2024-05-15', 'weekly')).toBe('2024-05-13'); // a Wednesday -> its Monday
    expect(rebalancePeriod('2024-05-19', 'weekly')).toBe('2024-05-13'); // Sunday belongs to the week before
    expect(rebalancePeriod('2024-05-15', 'monthly')).toBe('2024-05');
    expect(rebalancePeriod('2024-05-15', 'quarterly')).toBe('2024-Q2');
    expect(rebalancePeriod('2024-12-31', 'quarterly')).toBe('2024-Q4');
  });

  it('due when the last rebalance was in an earlier period (so, run daily: the first trading day of each period)', () => {
    expect(isRebalanceDue('2024-06-03', '2024-05-31', 'monthly')).toBe(true); // Monday after the last Friday of May
    expect(isRebalanceDue('2024-06-04', '2024-05-01', 'monthly')).toBe(true); // June 3 had no rebalance: the 4th is due
    expect(isRebalanceDue('2024-06-04', '2024-06-03', 'monthly')).toBe(false);
    expect(isRebalanceDue('2024-06-04', null, 'monthly')).toBe(true); // a new account invests at once
    expect(isRebalanceDue('2024-04-01', '2024-03-28', 'quarterly')).toBe(true); // Good Friday 2024-03-29 closed
    expect(isRebalanceDue('2024-06-10', '2024-06-07', 'weekly')).toBe(true);
    expect(isRebalanceDue('2024-06-11', '2024-06-10', 'weekly')).toBe(false);
    expect(isRebalanceDue('2024-06-11', '2024-06-10', 'daily')).toBe(true);
  });

  it('monthly: the paper account trades only on the first trading day of each month, though the signal changes daily', () => {
    // A and B swap the strong buy every day, so every day would trade under the daily policy.
    const dates = weekdays('2024-01-25', 12); // 2024-01-25 .. 2024-02-09
    let cash = 100_000;
    let positions: HeldPosition[] = [];
    let last: string | null = null;
    const traded: string[] = [];
    dates.forEach((date, i) => {
      const top = i % 2 === 0 ? 'A' : 'B';
      const signals: DaySignal[] = ['A', 'B'].map((symbol) => ({
        symbol,
        sector: symbol,
        signal: symbol === top ? 'strong_buy' : 'sell',
        score: symbol === top ? 100 : 10,
      }));
      const d = rebalanceDay({
        date,
        cash,
        positions,
        prices: { A: 10, B: 20 },
        signals,
        dividends: [],
        minTradeValue: 100,
        lastRebalanceDate: last,
      });
      if (d.orders.length > 0) traded.push(date);
      else expect(d.outcome).toBe('not_due');
      cash = d.after.cash;
      positions = d.after.positions.filter((p) => p.shares > 0);
      if (REBALANCED_OUTCOMES.includes(d.outcome)) last = date;
    });
    // the first day (a new account) and the first trading day of February
    expect(traded).toEqual(['2024-01-25', '2024-02-01']);
  });

  it('monthly: the backtest executes only on the first market day of each month', () => {
    const dates = weekdays('2024-01-02', 70); // into April
    const market: BacktestMarket = { dates, symbols: ['A', 'B'], closes: [dates.map(() => 10), dates.map(() => 20)] };
    const signalDays: SignalDay[] = dates.map((date, i) => ({
      date,
      candidates: [
        { symbol: 'A', sector: 'A', recommendation: i % 2 === 0 ? 'strong_buy' : 'sell' },
        { symbol: 'B', sector: 'B', recommendation: i % 2 === 0 ? 'sell' : 'strong_buy' },
      ],
    }));
    const sim = simulateSignalPortfolio(market, signalDays, { initialCapital: 100_000 });
    expect(sim.executionDates).toEqual(['2024-01-02', '2024-02-01', '2024-03-01', '2024-04-01']);
    const daily = simulateSignalPortfolio(market, signalDays, { initialCapital: 100_000, rebalance: DAILY_NO_BAND });
    expect(daily.executionDates).toHaveLength(70);
  });
});

describe('the paper account and the backtest agree', () => {
  /** A seeded market of 8 names over ~5 months and a fresh random signal set every day. */
  function scenario(seed: number) {
    const rng = mulberry32(seed);
    const dates = weekdays('2024-01-02', 100);
    const symbols = Array.from({ length: 8 }, (_, k) => `S${k}`);
    const closes = symbols.map((_, k) => {
      let p = 20 + 15 * k;
      return dates.map(() => (p *= 1 + (rng() - 0.5) * 0.04));
    });
    const recs: Recommendation[] = ['strong_buy', 'buy', 'hold', 'sell', 'strong_sell'];
    // no signals at all on the first trading days of February and March: both sides rebalance on the next day
    const missing = new Set(['2024-02-01', '2024-03-01']);
    const signals = dates.map((date) => ({
      date,
      rows: missing.has(date)
        ? []
        : symbols
            .filter(() => rng() < 0.7)
            .map((symbol, k) => ({ symbol, sector: `Sec${k % 3}`, signal: recs[Math.floor(rng() * 5)], score: 100 })),
    }));
    return { market: { dates, symbols, closes } as BacktestMarket, signals };
  }

  for (const [name, policy] of [
    ['default (monthly, band)', DEFAULT_REBALANCE_POLICY],
    ['weekly, 1 pp / 10 %', { frequency: 'weekly', bandAbsolute: 0.01, bandRelative: 0.1 } as RebalancePolicy],
    ['daily, no band', DAILY_NO_BAND],
  ] as const) {
    it(`same days, trades, costs and equity: ${name}`, () => {
      const { market, signals } = scenario(7);
      // score 100 on every name: the paper account's net-alpha filter (1 % of notional vs ~0.2 % round-trip costs)
      // passes every buy, and the backtest has no such filter
      const sim = simulateSignalPortfolio(
        market,
        // a date without signal rows is no signal day (as signalDaysOf builds them)
        signals
          .filter((d) => d.rows.length > 0)
          .map((d): SignalDay => ({
            date: d.date,
            candidates: d.rows.map((r) => ({ symbol: r.symbol, sector: r.sector, recommendation: r.signal })),
          })),
        { initialCapital: 50_000, rebalance: policy },
      );
      let cash = 50_000;
      let positions: HeldPosition[] = [];
      let last: string | null = null;
      let trades = 0;
      let costs = 0;
      const executed: string[] = [];
      market.dates.forEach((date, t) => {
        const prices = Object.fromEntries(market.symbols.map((s, k) => [s, market.closes[k][t]]));
        const d = rebalanceDay({
          date,
          cash,
          positions,
          prices,
          signals: signals[t].rows,
          dividends: [],
          minTradeValue: 100,
          rebalancePolicy: policy,
          lastRebalanceDate: last,
        });
        expect(d.rejected.filter((r) => r.reason === 'net_alpha')).toEqual([]);
        if (REBALANCED_OUTCOMES.includes(d.outcome)) executed.push(date);
        trades += d.orders.length;
        costs += d.costs;
        expect(d.after.totalValue).toBeCloseTo(sim.equity[t], 6);
        cash = d.after.cash;
        positions = d.after.positions.filter((p) => p.shares > 0);
        if (REBALANCED_OUTCOMES.includes(d.outcome)) last = date;
      });
      expect(executed).toEqual(sim.executionDates);
      if (policy.frequency === 'monthly') expect(executed).toEqual(['2024-01-02', '2024-02-02', '2024-03-04', '2024-04-01', '2024-05-01']);
      expect(trades).toBe(sim.trades);
      expect(costs).toBeCloseTo(sim.costs, 8);
      expect(trades).toBeGreaterThan(0);
    });
  }
});
