/**
 * The backtest inputs: parameter checks (each bad field named), defaults,
 * signal grouping, the close matrix and the benchmark alignment, against
 * values written out by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  checkBacktestParams,
  closeMatrix,
  earliestSignalDay,
  equityOn,
  InvalidBacktestInput,
  marketOf,
  signalDaysOf,
} from './backtest-inputs';
import { DEFAULT_COST_MODEL } from './costs';

const defaults = { lookbackDays: 365, initialCapital: 100_000 };

describe('checkBacktestParams', () => {
  it('defaults: end = run date, search from lookbackDays before it, configured capital, default costs', () => {
    // 2024 is a leap year: 2024-05-15 minus 365 days is 2023-05-16
    expect(checkBacktestParams({ date: '2024-05-15' }, defaults)).toEqual({
      end: '2024-05-15',
      from: '2023-05-16',
      initialCapital: 100_000,
      costModel: DEFAULT_COST_MODEL,
    });
  });

  it('an explicit window, capital and a partial cost model override the defaults', () => {
    const r = checkBacktestParams(
      { date: '2024-05-15', start: '2024-01-02', end: '2024-03-29', initialCapital: 5000, costModel: { spreadBps: 0 } },
      defaults,
    );
    expect(r).toEqual({ end: '2024-03-29', from: '2024-01-02', initialCapital: 5000, costModel: { ...DEFAULT_COST_MODEL, spreadBps: 0 } });
  });

  it('names the bad field, non-retryable', () => {
    const bad = (input: Parameters<typeof checkBacktestParams>[0]) => {
      try {
        checkBacktestParams(input, defaults);
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidBacktestInput);
        expect((err as InvalidBacktestInput).retryable).toBe(false);
        expect((err as InvalidBacktestInput).type).toBe('InvalidInput');
        return (err as Error).message;
      }
      throw new Error('no error');
    };
    expect(bad({ date: '2024-05-15', start: '2024-02-30' })).toBe('backtest start "2024-02-30" must be a date YYYY-MM-DD');
    expect(bad({ date: '2024-05-15', end: '15/05/2024' })).toBe('backtest end "15/05/2024" must be a date YYYY-MM-DD');
    expect(bad({ date: '2024-05-15', start: '2024-05-16' })).toBe('backtest start 2024-05-16 is after its end 2024-05-15');
    expect(bad({ date: '2024-05-15', initialCapital: 0 })).toBe('backtest initial capital must be positive, got 0');
    expect(bad({ date: '2024-05-15', initialCapital: Infinity })).toBe('backtest initial capital must be positive, got Infinity');
    expect(bad({ date: '2024-05-15', costModel: { commissionPerShare: -1 } })).toBe(
      'backtest cost parameter commissionPerShare must be >= 0, got -1',
    );
  });
});

describe('signal days', () => {
  const rows = [
    { date: '2024-01-03', symbol: 'B', sector: 'Tech', signal: 'buy' as const },
    { date: '2024-01-02', symbol: 'A', sector: null, signal: 'strong_buy' as const },
    { date: '2024-01-03', symbol: 'C', sector: 'Energy', signal: 'hold' as const },
  ];

  it('groups by date in order of appearance, a missing sector becomes Unknown', () => {
    expect(signalDaysOf(rows)).toEqual([
      {
        date: '2024-01-03',
        candidates: [
          { symbol: 'B', sector: 'Tech', recommendation: 'buy' },
          { symbol: 'C', sector: 'Energy', recommendation: 'hold' },
        ],
      },
      { date: '2024-01-02', candidates: [{ symbol: 'A', sector: 'Unknown', recommendation: 'strong_buy' }] },
    ]);
  });

  it('the earliest day is found whatever the order; none for no signals', () => {
    expect(earliestSignalDay(signalDaysOf(rows))?.date).toBe('2024-01-02');
    expect(earliestSignalDay([])).toBeUndefined();
  });
});

describe('closeMatrix / marketOf', () => {
  it('puts each close at (symbol, date) over the sorted dates, null where there is no bar', () => {
    const m = closeMatrix(
      [
        { symbol: 'A', date: '2024-01-03', adjClose: 2 },
        { symbol: 'B', date: '2024-01-02', adjClose: 5 },
        { symbol: 'A', date: '2024-01-02', adjClose: 1 },
        { symbol: 'Z', date: '2024-01-04', adjClose: 9 },
      ],
      ['A', 'B'],
    );
    expect(m).toEqual({
      dates: ['2024-01-02', '2024-01-03', '2024-01-04'],
      symbols: ['A', 'B'],
      closes: [
        [1, 2, null],
        [5, null, null],
      ],
    });
    const market = marketOf(m);
    expect(Array.from(market.closes[1])).toEqual([5, NaN, NaN]);
    expect(market.dates).toEqual(m.dates);
  });
});

describe('equityOn', () => {
  it('reads the equity on the given dates, NaN where the curve has no point', () => {
    expect(equityOn(['d1', 'd2', 'd3'], { dates: ['d2', 'd3', 'd4'], equity: [101, 102, 103] })).toEqual([NaN, 101, 102]);
  });
});
