/**
 * The shared contract every DataProvider passes (the unstorage pattern): one
 * vitest suite, run by `synthetic.test.ts`, `file.test.ts` and
 * `yahoo.test.ts` (against recorded responses on loopback). Not a test file
 * itself; call `describeDataProviderContract` from one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataProvider } from './types';

export interface ProviderFixture {
  provider: DataProvider;
  /** Two symbols the provider has bars for in [from, to]. */
  symbols: [string, string];
  /** A symbol it does not know. */
  unknown: string;
  from: string;
  to: string;
  cleanup?(): Promise<void>;
}

export function describeDataProviderContract(name: string, make: () => Promise<ProviderFixture>): void {
  describe(`DataProvider contract: ${name}`, () => {
    let fx: ProviderFixture;
    beforeAll(async () => {
      fx = await make();
    });
    afterAll(async () => {
      await fx?.cleanup?.();
    });

    it('returns sane bars for the requested symbols inside [from, to] only', async () => {
      const r = await fx.provider.fetchEod(fx.symbols, fx.from, fx.to);
      expect(r.failures).toEqual([]);
      expect(r.bars.length).toBeGreaterThan(0);
      for (const s of fx.symbols) expect(r.bars.some((b) => b.symbol === s)).toBe(true);
      for (const b of r.bars) {
        expect(fx.symbols).toContain(b.symbol);
        expect(b.date >= fx.from && b.date <= fx.to, b.date).toBe(true);
        expect(b.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        const wd = new Date(`${b.date}T00:00:00Z`).getUTCDay();
        expect(wd === 0 || wd === 6, `${b.date} is a weekend`).toBe(false);
        expect(b.low).toBeLessThanOrEqual(b.high);
        for (const p of [b.open, b.high, b.low, b.close, b.adjClose]) expect(p).toBeGreaterThan(0);
        expect(b.volume).toBeGreaterThanOrEqual(0);
      }
      // At most one bar per symbol and date.
      const keys = r.bars.map((b) => `${b.symbol}|${b.date}`);
      expect(new Set(keys).size).toBe(keys.length);
    });

    it('reports an unknown symbol as UnknownSymbol and still returns the others', async () => {
      const r = await fx.provider.fetchEod([fx.symbols[0], fx.unknown], fx.from, fx.to);
      expect(r.failures).toEqual([expect.objectContaining({ symbol: fx.unknown, type: 'UnknownSymbol' })]);
      expect(r.bars.length).toBeGreaterThan(0);
      expect(r.bars.every((b) => b.symbol === fx.symbols[0])).toBe(true);
    });

    it('gives the same bars for the same request', async () => {
      const a = await fx.provider.fetchEod([fx.symbols[0]], fx.from, fx.to);
      const b = await fx.provider.fetchEod([fx.symbols[0]], fx.from, fx.to);
      expect(b.bars).toEqual(a.bars);
    });

    it('returns nothing for a weekend-only range', async () => {
      // 2024-03-09/10 is a Saturday and Sunday.
      const r = await fx.provider.fetchEod([fx.symbols[0]], '2024-03-09', '2024-03-10');
      expect(r.bars).toEqual([]);
    });

    it('returns fundamentals with every field a number or null', async () => {
      const f = await fx.provider.fetchFundamentals(fx.symbols[0]);
      expect(f.symbol).toBe(fx.symbols[0]);
      for (const k of ['peRatio', 'dividendYield', 'roe', 'debtToEquity', 'currentRatio'] as const) {
        expect(f[k] === null || Number.isFinite(f[k]), k).toBe(true);
      }
      await expect(fx.provider.fetchFundamentals(fx.unknown)).rejects.toMatchObject({ type: 'UnknownSymbol' });
    });

    it('returns dividends inside the range', async () => {
      const d = await fx.provider.fetchDividends(fx.symbols[1], fx.from, fx.to);
      for (const x of d) {
        expect(x.symbol).toBe(fx.symbols[1]);
        expect(x.date >= fx.from && x.date <= fx.to).toBe(true);
        expect(x.amount).toBeGreaterThan(0);
      }
    });
  });
}
