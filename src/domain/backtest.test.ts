/**
 * The backtest engine: no look-ahead (a jump on the signal's own day earns
 * nothing; the same signal a day earlier earns it), execution on the next
 * trading day for a weekend signal, the benchmark against the library's
 * equalWeightBenchmark (zero costs, huge capital), exact accounting with
 * zero costs, determinism over random markets, and metrics recomputed here by hand from the equity curve.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  backtestMetrics,
  compareBacktests,
  executionIndex,
  monthlyReturns,
  simulateBuyAndHold,
  simulateSignalPortfolio,
  type BacktestMarket,
  type SignalDay,
} from './backtest';
import { MIN_PERIODS_FOR_RATIOS } from './metric-availability';
import { equalWeightBenchmark } from './returns';

const ZERO_COST = { commissionPerShare: 0, spreadBps: 0, exchangeFeeBps: 0, impactBpsPer1000: 0 };
const LOOSE = { maxStockWeight: 1, maxSectorWeight: 1, cashReserve: 0 };
const DATES = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09', '2024-01-10'];

/** X doubles at the close of 2024-01-05 (index 4) and stays there; Y is flat. */
const jumpMarket: BacktestMarket = {
  dates: DATES,
  symbols: ['X', 'Y'],
  closes: [
    [10, 10, 10, 10, 20, 20, 20, 20],
    [50, 50, 50, 50, 50, 50, 50, 50],
  ],
};
const buyX = (date: string): SignalDay => ({ date, candidates: [{ symbol: 'X', sector: 'Tech', recommendation: 'strong_buy' }] });

describe('no look-ahead', () => {
  it('a signal dated on the jump day trades at that close: no profit from the jump', () => {
    const sim = simulateSignalPortfolio(jumpMarket, [buyX('2024-01-05')], { initialCapital: 10_000, costModel: ZERO_COST, policy: LOOSE });
    expect(sim.executionDates).toEqual(['2024-01-05']);
    expect(sim.dates[0]).toBe('2024-01-05');
    expect(Math.max(...sim.equity)).toBeCloseTo(10_000, 6);
    expect(sim.equity.at(-1)).toBeCloseTo(10_000, 6);
  });

  it('the same signal one day earlier earns the jump (the engine is not simply blind)', () => {
    const sim = simulateSignalPortfolio(jumpMarket, [buyX('2024-01-04')], { initialCapital: 10_000, costModel: ZERO_COST, policy: LOOSE });
    expect(sim.equity.at(-1)).toBeCloseTo(20_000, 6);
  });

  it('a signal of a non-trading day executes at the next trading close', () => {
    expect(executionIndex(DATES, '2024-01-06')).toBe(5);
    expect(executionIndex(DATES, '2024-01-11')).toBe(-1);
    const sim = simulateSignalPortfolio(jumpMarket, [buyX('2024-01-06')], { initialCapital: 10_000, costModel: ZERO_COST, policy: LOOSE });
    expect(sim.executionDates).toEqual(['2024-01-08']);
  });

  it('future prices never fill a missing bar: a symbol first priced after the signal is skipped', () => {
    const m: BacktestMarket = { dates: DATES.slice(0, 4), symbols: ['Z'], closes: [[NaN, NaN, 5, 6]] };
    const sim = simulateSignalPortfolio(m, [{ date: '2024-01-01', candidates: [{ symbol: 'Z', sector: 'S', recommendation: 'buy' }] }], {
      initialCapital: 1000,
      policy: LOOSE,
    });
    expect(sim.trades).toBe(0);
    expect(sim.notes.join(' ')).toMatch(/without a price/);
  });
});

describe('benchmark', () => {
  it('equals equalWeightBenchmark (buy and hold) with zero costs and a huge capital', () => {
    const m: BacktestMarket = {
      dates: DATES,
      symbols: ['A', 'B', 'C'],
      closes: [
        [10, 11, 12, 11, 13, 14, 13, 15],
        [100, 98, 97, 99, 101, 100, 102, 104],
        [7, 7, 8, NaN, 9, 8, 8, 9],
      ],
    };
    const first: SignalDay = {
      date: DATES[1],
      candidates: [
        { symbol: 'A', sector: 'S1', recommendation: 'buy' },
        { symbol: 'B', sector: 'S2', recommendation: 'strong_buy' },
        { symbol: 'C', sector: 'S3', recommendation: 'hold' },
      ],
    };
    const sim = simulateBuyAndHold(m, first, { initialCapital: 1e9, costModel: ZERO_COST });
    const ref = equalWeightBenchmark([m.closes[0], m.closes[1]].map((c) => Array.from(c).slice(1)));
    sim.equity.forEach((v, i) => expect(v / 1e9).toBeCloseTo(ref.wealth[i], 5));
  });
});

describe('accounting', () => {
  it('random markets and signal cadences: equity stays positive, costs are paid, reruns are identical', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.08, max: 0.08, noNaN: true }), { minLength: 30, maxLength: 30 }),
        fc.integer({ min: 1, max: 9 }),
        (shocks, every) => {
          const syms = ['A', 'B', 'C', 'D'];
          const closes = syms.map((_, k) => {
            const out: number[] = [];
            let p = 20 + 10 * k;
            for (let t = 0; t < 30; t++) out.push((p *= 1 + shocks[(t + 7 * k) % 30]));
            return out;
          });
          const dates = Array.from({ length: 30 }, (_, t) => new Date(Date.UTC(2024, 0, 1 + t)).toISOString().slice(0, 10));
          const m: BacktestMarket = { dates, symbols: syms, closes };
          const recs = ['strong_buy', 'buy', 'hold', 'sell'] as const;
          const days: SignalDay[] = dates
            .filter((_, t) => t % every === 0)
            .map((date, j) => ({
              date,
              candidates: syms.map((symbol, k) => ({ symbol, sector: `S${k}`, recommendation: recs[(j + k) % 4] })),
            }));
          const sim = simulateSignalPortfolio(m, days, { initialCapital: 100_000, policy: LOOSE });
          expect(sim.equity.every((v) => v > 0)).toBe(true);
          const total = sim.equity.at(-1)! - sim.initialCapital;
          expect(Number.isFinite(total)).toBe(true);
          expect(sim.costs).toBeGreaterThan(0);
          // Re-running gives identical bytes (determinism).
          expect(simulateSignalPortfolio(m, days, { initialCapital: 100_000, policy: LOOSE }).equity).toEqual(sim.equity);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('with zero costs and one rebalance, equity moves exactly with the held shares', () => {
    const sim = simulateSignalPortfolio(jumpMarket, [buyX('2024-01-02')], { initialCapital: 10_005, costModel: ZERO_COST, policy: LOOSE });
    // 1000 shares of X at 10 (whole shares), 5 left in cash.
    expect(sim.equity).toEqual([10_005, 10_005, 10_005, 20_005, 20_005, 20_005, 20_005]);
    expect(sim.returns[0]).toBe(0);
  });
});

describe('metrics', () => {
  it('equal a by-hand recomputation from the equity curve (rf 5 %, P = 252)', () => {
    // 24 trading days (at least MIN_PERIODS_FOR_RATIOS = 20 returns): the 8-day pattern three times, shifted up.
    const a = [10, 11, 10.5, 11.5, 12, 11, 11.8, 12.4];
    const b = [20, 19, 19.5, 21, 20, 20.5, 22, 21];
    const m: BacktestMarket = {
      dates: Array.from({ length: 24 }, (_, i) => `2024-02-${String(i + 1).padStart(2, '0')}`),
      symbols: ['A', 'B'],
      closes: [[0, 1, 2].flatMap((k) => a.map((x) => x + k)), [0, 1, 2].flatMap((k) => b.map((x) => x + 2 * k))],
    };
    const sig = simulateSignalPortfolio(
      m,
      [
        {
          date: m.dates[0],
          candidates: [
            { symbol: 'A', sector: 'S', recommendation: 'buy' },
            { symbol: 'B', sector: 'T', recommendation: 'strong_buy' },
          ],
        },
      ],
      { initialCapital: 25_000, policy: LOOSE },
    );
    const eq = [sig.initialCapital, ...sig.equity];
    const r = eq.slice(1).map((v, i) => v / eq[i] - 1);
    const rf = Math.pow(1.05, 1 / 252) - 1;
    const ex = r.map((x) => x - rf);
    const mu = ex.reduce((a, b) => a + b, 0) / ex.length;
    const sd = Math.sqrt(ex.reduce((a, b) => a + (b - mu) ** 2, 0) / (ex.length - 1));
    const down = Math.sqrt(ex.reduce((a, b) => a + Math.min(b, 0) ** 2, 0) / ex.length);
    let peak = -Infinity;
    let mdd = 0;
    for (const v of eq) {
      peak = Math.max(peak, v);
      mdd = Math.max(mdd, 1 - v / peak);
    }
    const cagr = Math.pow(eq.at(-1)! / eq[0], 252 / r.length) - 1;
    const got = backtestMetrics(sig.returns, 0.05);
    expect(got.sharpe).toBeCloseTo((mu / sd) * Math.sqrt(252), 9);
    expect(got.sortino).toBeCloseTo((mu * 252) / (down * Math.sqrt(252)), 9);
    expect(got.maxDrawdown).toBeCloseTo(mdd, 12);
    expect(got.cagr).toBeCloseTo(cagr, 9);
    expect(got.calmar).toBeCloseTo(cagr / mdd, 9);
    const bench = simulateBuyAndHold(
      m,
      { date: m.dates[0], candidates: [{ symbol: 'A', sector: 'S', recommendation: 'buy' }] },
      { initialCapital: 25_000 },
    );
    const c = compareBacktests(sig, bench, 0.05);
    expect(c.excess.cagr).toBeCloseTo(c.signal.cagr - c.benchmark.cagr, 12);
    expect(c.excess.maxDrawdown).toBeCloseTo(c.signal.maxDrawdown - c.benchmark.maxDrawdown, 12);
  });

  it('withholds annualised figures below MIN_PERIODS_FOR_RATIOS periods, keeps total return and drawdown', () => {
    // One day: a 1 % loss on the first close (costs and a move). By hand: total -1 %, drawdown 1 %;
    // annualised, the same day would read CAGR 0.99^252 - 1 = -92 % and a Calmar of -92.
    const one = backtestMetrics([-0.01], 0.05);
    expect(one.periods).toBe(1);
    expect(one.totalReturn).toBeCloseTo(-0.01, 12);
    expect(one.maxDrawdown).toBeCloseTo(0.01, 12);
    for (const k of ['cagr', 'volatility', 'sharpe', 'sortino', 'calmar'] as const) expect(one[k]).toBeNaN();
    const r19 = Array.from({ length: MIN_PERIODS_FOR_RATIOS - 1 }, (_, i) => (i % 2 ? 0.01 : -0.008));
    expect(backtestMetrics(r19, 0).sharpe).toBeNaN();
    expect(Number.isFinite(backtestMetrics([...r19, 0.01], 0).sharpe)).toBe(true);
  });

  it('monthly returns chain to the total return', () => {
    const dates = ['2024-01-30', '2024-01-31', '2024-02-01', '2024-02-29', '2024-03-01'];
    const mr = monthlyReturns({ dates, equity: [100, 110, 105, 99, 120], initialCapital: 100 });
    expect(mr.map((x) => x.month)).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(mr[0].return).toBeCloseTo(0.1, 12);
    expect(mr[1].return).toBeCloseTo(99 / 110 - 1, 12);
    expect(mr.reduce((w, x) => w * (1 + x.return), 1)).toBeCloseTo(1.2, 12);
  });

  it('infeasible caps on many rebalance days make one note with the count', () => {
    // one strong buy can hold only the 5 % stock cap: infeasible on each of the 3 daily rebalances
    const days = ['2024-01-02', '2024-01-03', '2024-01-04'].map(buyX);
    const sim = simulateSignalPortfolio(jumpMarket, days, {
      initialCapital: 100_000,
      rebalance: { frequency: 'daily', bandAbsolute: 0, bandRelative: 0 },
    });
    const caps = sim.notes.filter((n) => n.includes('caps'));
    expect(caps).toHaveLength(1);
    expect(caps[0]).toMatch(
      /^caps left weight in cash on 3 rebalance date\(s\) \(2024-01-02 \.\. 2024-01-04\); first: caps allow only 5\.00% invested/,
    );
  });

  it('rejects a non-positive capital and misaligned closes', () => {
    expect(() => simulateSignalPortfolio(jumpMarket, [], { initialCapital: 0 })).toThrow(/initial capital/);
    expect(() => simulateSignalPortfolio({ ...jumpMarket, closes: [[1], [2]] }, [], { initialCapital: 1 })).toThrow(/closes of X/);
    expect(simulateSignalPortfolio(jumpMarket, [], { initialCapital: 1 }).equity).toEqual([]);
  });
});
