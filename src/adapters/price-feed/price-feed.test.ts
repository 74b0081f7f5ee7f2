/**
 * The price feeds: the manual feed's boundary checks, and the replay feed
 * over bars from the synthetic provider and from the market_data table
 * (embedded Postgres), instant by instant with its own clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../../../tests/helpers';
import { createSyntheticProvider } from '../market-data/synthetic';
import type { Db } from '../postgres/pool';
import { createMarketDataRepo } from '../postgres/market-data-repo';
import { createManualPriceFeed } from './manual';
import { barsFromMarketData, barsFromProvider, createReplayPriceFeed, ReplayDataError } from './replay';
import { InvalidPriceError, type PriceTick } from './types';

describe('manual price feed', () => {
  it('publishes ticks in order to subscribers, stamped by its clock, and keeps the last per symbol', async () => {
    const feed = createManualPriceFeed({ now: () => 1_000, initial: { AAPL: 100 } });
    const seen: PriceTick[] = [];
    const stop = feed.subscribe((t) => seen.push(t));
    feed.set('AAPL', 101);
    feed.set('MSFT', 200, 2_000);
    expect(seen).toEqual([
      { symbol: 'AAPL', price: 101, at: 1_000 },
      { symbol: 'MSFT', price: 200, at: 2_000 },
    ]);
    expect(feed.last('AAPL')?.price).toBe(101);
    expect(feed.last('NOPE')).toBeUndefined();
    stop();
    feed.set('AAPL', 102);
    expect(seen).toHaveLength(2);
    await feed.close();
  });

  it('refuses an impossible price, naming the symbol, and keeps the previous one', () => {
    const feed = createManualPriceFeed({ initial: { AAPL: 100 } });
    for (const bad of [0, -1, NaN, Infinity]) {
      expect(() => feed.set('AAPL', bad)).toThrow(InvalidPriceError);
      expect(() => feed.set('AAPL', bad)).toThrow(/price for AAPL is/);
    }
    expect(feed.last('AAPL')?.price).toBe(100);
  });
});

describe('replay price feed', () => {
  let db: Db;
  beforeAll(() => {
    db = testDb();
  });
  afterAll(async () => {
    await db.end();
  });

  it('replays each bar as its open at 09:30 and its close at 15:59 New York, one instant per step', async () => {
    const bars = await barsFromProvider(createSyntheticProvider({ seed: 3 }), ['AAPL', 'MSFT'], '2026-03-02', '2026-03-06');
    expect(bars).toHaveLength(10);
    const feed = createReplayPriceFeed(bars);
    expect(feed.remaining()).toBe(10);
    const opens = feed.step();
    expect(opens.map((t) => t.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(feed.now()).toBe(Date.parse('2026-03-02T14:30:00Z'));
    expect(opens[0].price).toBe(bars.find((b) => b.symbol === 'AAPL' && b.date === '2026-03-02')!.open);
    const closes = feed.step();
    expect(feed.now()).toBe(Date.parse('2026-03-02T20:59:00Z'));
    expect(closes[1].price).toBe(bars.find((b) => b.symbol === 'MSFT' && b.date === '2026-03-02')!.close);
    let n = 2;
    while (feed.step().length > 0) n++;
    expect(n).toBe(10);
    expect(feed.remaining()).toBe(0);
    expect(feed.last('AAPL')?.price).toBe(bars.find((b) => b.symbol === 'AAPL' && b.date === '2026-03-06')!.close);
  });

  it('plays on a timer until the end', async () => {
    const feed = createReplayPriceFeed([{ symbol: 'A', date: '2026-03-02', open: 1, close: 2 }]);
    const seen: number[] = [];
    feed.subscribe((t) => seen.push(t.price));
    await feed.play(1);
    expect(seen).toEqual([1, 2]);
  });

  it('reads stored bars from market_data, and names a symbol that has none', async () => {
    const repo = createMarketDataRepo(db);
    const bars = (await createSyntheticProvider({ seed: 5 }).fetchEod(['AAPL'], '2026-02-02', '2026-02-06')).bars;
    await repo.storeBars(bars, 'synthetic');
    const stored = await barsFromMarketData(repo, ['AAPL'], '2026-02-02', '2026-02-06');
    const feed = createReplayPriceFeed(stored);
    const ticks: PriceTick[] = [];
    while (feed.remaining() > 0) ticks.push(...feed.step());
    expect(ticks.map((t) => t.price)).toEqual(bars.flatMap((b) => [b.open, b.close]));
    await expect(barsFromMarketData(repo, ['AAPL', 'ZZZZ'], '2026-02-02', '2026-02-06')).rejects.toThrow(ReplayDataError);
    await expect(barsFromMarketData(repo, ['AAPL', 'ZZZZ'], '2026-02-02', '2026-02-06')).rejects.toThrow(/ZZZZ/);
  });

  it('refuses corrupt bars before replaying anything', () => {
    expect(() => createReplayPriceFeed([{ symbol: 'A', date: '2026-03-02', open: 1, close: NaN }])).toThrow(/price for A is NaN/);
  });
});
