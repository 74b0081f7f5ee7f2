/**
 * The shared contract every IntradayProvider passes (as the daily providers'
 * contract.ts): one vitest suite, run by `synthetic.test.ts`,
 * `yahoo.test.ts` (recorded responses on loopback) and `file.test.ts`. Not
 * a test file itself; call `describeIntradayProviderContract` from one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newYorkClock } from '../../domain/intraday-bars';
import { isTradingDay } from '../../domain/trading-calendar';
import { BAR_INTERVAL_MS, type BarInterval } from '../../domain/strategies/types';
import type { IntradayProvider } from './types';

export interface IntradayProviderFixture {
  provider: IntradayProvider;
  /** Two symbols the provider has bars for in [from, to) at `interval`. */
  symbols: [string, string];
  /** A symbol it does not know. */
  unknown: string;
  from: number;
  to: number;
  interval: BarInterval;
  cleanup?(): Promise<void>;
}

export function describeIntradayProviderContract(name: string, make: () => Promise<IntradayProviderFixture>): void {
  describe(`IntradayProvider contract: ${name}`, () => {
    let fx: IntradayProviderFixture;
    beforeAll(async () => {
      fx = await make();
    });
    afterAll(async () => {
      await fx?.cleanup?.();
    });

    it('returns sane session bars of the requested symbols starting inside [from, to), oldest first per symbol', async () => {
      const r = await fx.provider.fetchBars(fx.symbols, fx.from, fx.to, fx.interval);
      expect(r.failures).toEqual([]);
      for (const s of fx.symbols)
        expect(
          r.bars.some((b) => b.symbol === s),
          s,
        ).toBe(true);
      const step = BAR_INTERVAL_MS[fx.interval];
      const last = new Map<string, number>();
      for (const b of r.bars) {
        expect(fx.symbols).toContain(b.symbol);
        expect(b.ts >= fx.from && b.ts < fx.to, new Date(b.ts).toISOString()).toBe(true);
        expect(b.ts % step, `${new Date(b.ts).toISOString()} is not on the ${fx.interval} clock`).toBe(0);
        const ny = newYorkClock(b.ts);
        expect(isTradingDay(ny.date), ny.date).toBe(true);
        expect(ny.hhmm >= '09:30' && ny.hhmm < '16:00', `${ny.date} ${ny.hhmm} ET is outside the session`).toBe(true);
        expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
        expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
        for (const p of [b.open, b.high, b.low, b.close]) expect(p).toBeGreaterThan(0);
        expect(b.volume).toBeGreaterThanOrEqual(0);
        expect(b.ts).toBeGreaterThan(last.get(b.symbol) ?? -Infinity);
        last.set(b.symbol, b.ts);
      }
    });

    it('reports an unknown symbol as a failure naming it, and still returns the others', async () => {
      const r = await fx.provider.fetchBars([fx.symbols[0], fx.unknown], fx.from, fx.to, fx.interval);
      expect(r.failures).toEqual([{ symbol: fx.unknown, reason: expect.stringContaining(fx.unknown) }]);
      expect(r.bars.length).toBeGreaterThan(0);
      expect(r.bars.every((b) => b.symbol === fx.symbols[0])).toBe(true);
    });

    it('gives the same bars for the same request', async () => {
      const a = await fx.provider.fetchBars([fx.symbols[0]], fx.from, fx.to, fx.interval);
      const b = await fx.provider.fetchBars([fx.symbols[0]], fx.from, fx.to, fx.interval);
      expect(b.bars).toEqual(a.bars);
    });

    it('returns no bars for a weekend or an empty range', async () => {
      // 2024-03-09/10 is a Saturday and Sunday.
      const weekend = await fx.provider.fetchBars(
        fx.symbols,
        Date.parse('2024-03-09T00:00:00Z'),
        Date.parse('2024-03-11T00:00:00Z'),
        fx.interval,
      );
      expect(weekend.bars).toEqual([]);
      expect((await fx.provider.fetchBars(fx.symbols, fx.from, fx.from, fx.interval)).bars).toEqual([]);
    });
  });
}
