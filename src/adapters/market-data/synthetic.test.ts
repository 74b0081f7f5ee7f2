/** The synthetic provider: the shared contract, determinism across ranges, calendar, speed. */
import { describe, expect, it } from 'vitest';
import { describeDataProviderContract } from './contract';
import { createSyntheticProvider } from './synthetic';
import { DAILY_UNIVERSE } from '../hourly-dataset/universe';
import { tradingDays } from '../../domain/trading-calendar';

describeDataProviderContract('synthetic', async () => ({
  provider: createSyntheticProvider({ seed: 7 }),
  symbols: ['AAPL', 'KO'],
  unknown: 'ZZZZ',
  from: '2023-01-01',
  to: '2023-12-31',
}));

describe('synthetic provider', () => {
  it('gives the same bar for a symbol and date whatever the requested range', async () => {
    const a = await createSyntheticProvider({ seed: 11 }).fetchEod(['MSFT'], '2024-06-03', '2024-06-07');
    const b = await createSyntheticProvider({ seed: 11 }).fetchEod(['MSFT', 'AAPL'], '2010-01-01', '2024-12-31');
    expect(b.bars.filter((x) => x.symbol === 'MSFT' && x.date >= '2024-06-03' && x.date <= '2024-06-07')).toEqual(a.bars);
    const other = await createSyntheticProvider({ seed: 12 }).fetchEod(['MSFT'], '2024-06-03', '2024-06-07');
    expect(other.bars).not.toEqual(a.bars);
  });

  it('a private cache gives the same bars as the shared one (it only changes who holds the paths)', async () => {
    const shared = await createSyntheticProvider({ seed: 13 }).fetchEod(['KO', 'XOM'], '2024-01-02', '2024-03-28');
    const own = await createSyntheticProvider({ seed: 13, cache: 'private' }).fetchEod(['KO', 'XOM'], '2024-01-02', '2024-03-28');
    expect(own.bars.length).toBeGreaterThan(100);
    expect(own.bars).toEqual(shared.bars);
  });

  it('has bars only on NYSE trading days, with rare gaps, and no bars on a holiday', async () => {
    const p = createSyntheticProvider({ seed: 7 });
    const r = await p.fetchEod(
      DAILY_UNIVERSE.map((c) => c.symbol),
      '2022-01-01',
      '2022-12-31',
    );
    const days = new Set(tradingDays('2022-01-01', '2022-12-31'));
    expect(r.bars.every((b) => days.has(b.date))).toBe(true);
    const expected = days.size * 49;
    expect(r.bars.length).toBeLessThan(expected);
    expect(r.bars.length).toBeGreaterThan(expected * 0.99);
    expect((await p.fetchEod(['AAPL'], '2022-07-04', '2022-07-04')).bars).toEqual([]);
  });

  it('pays quarterly dividends matching the fundamentals yield and lifts adj close above close', async () => {
    const p = createSyntheticProvider({ seed: 7 });
    const payers: string[] = [];
    for (const { symbol } of DAILY_UNIVERSE) if (((await p.fetchFundamentals(symbol)).dividendYield ?? 0) > 0) payers.push(symbol);
    expect(payers.length).toBeGreaterThan(20);
    const d = await p.fetchDividends(payers[0], '2020-01-01', '2020-12-31');
    expect(d.map((x) => x.date.slice(5, 7))).toEqual(['02', '05', '08', '11']);
    const bars = (await p.fetchEod([payers[0]], '2020-12-01', '2020-12-31')).bars;
    expect(bars.every((b) => b.adjClose > b.close)).toBe(true);
  });

  it('generates 10 years x 49 symbols in well under two seconds', async () => {
    const t0 = performance.now();
    const r = await createSyntheticProvider({ seed: 99 }).fetchEod(
      DAILY_UNIVERSE.map((c) => c.symbol),
      '2015-01-01',
      '2024-12-31',
    );
    expect(r.bars.length).toBeGreaterThan(120_000);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
