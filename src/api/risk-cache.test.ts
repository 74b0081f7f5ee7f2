/**
 * The risk cache's reload and a PATCH racing it: a reload that started
 * reading before a strategy was changed must not put the old settings back
 * (the next signal must see the change). The repositories are stand-ins whose
 * answers the test releases by hand, so the interleaving is exact.
 */
import { describe, expect, it } from 'vitest';
import type { Broker } from '../adapters/broker/types';
import type { StrategyRepo } from '../adapters/postgres/strategy-repo';
import type { TradingRepo } from '../adapters/postgres/trading-repo';
import type { QuoteSource } from './quotes';
import { createRiskCache } from './risk-cache';

type Row = Awaited<ReturnType<StrategyRepo['list']>>[number];

describe('risk cache reload vs a strategy change', () => {
  it('keeps a change made during a reload, and takes the stored row again on the reload after', async () => {
    const stored = { name: 's', enabled: true, confidenceThreshold: 0.6, maxPositionSize: 10_000 } as unknown as Row;
    let release: (rows: Row[]) => void = () => undefined;
    let gate: Promise<Row[]> | undefined;
    const strategies = { list: () => gate ?? Promise.resolve([stored]) } as unknown as StrategyRepo;
    const cache = createRiskCache({
      broker: { getAccount: async () => ({}), listPositions: async () => [] } as unknown as Broker,
      trading: {
        listCorrelations: async () => [],
        getTradingState: async () => ({ halted: false, haltReason: null }),
      } as unknown as TradingRepo,
      strategies,
      quotes: { refresh: async () => undefined, price: () => undefined } as unknown as QuoteSource,
      refreshMs: 60_000,
    });
    await cache.refresh();
    expect(cache.strategy('s')?.enabled).toBe(true);

    gate = new Promise((r) => (release = r));
    const reload = cache.refresh(); // reads the old row...
    const disabled = { ...stored, enabled: false } as Row;
    cache.setStrategy(disabled); // ...while a PATCH lands
    release([stored]);
    await reload;
    expect(cache.strategy('s')?.enabled).toBe(false);

    gate = undefined; // the next reload reads the stored row, which now has the change
    stored.enabled = false;
    await cache.refresh();
    expect(cache.strategy('s')?.enabled).toBe(false);
    stored.enabled = true; // changed elsewhere (another replica): the reload after takes it
    await cache.refresh();
    expect(cache.strategy('s')?.enabled).toBe(true);
  });
});
