/** The synthetic hourly market: determinism, independence of streams, and the properties the analysis relies on. */
import { describe, expect, it } from 'vitest';
import { SPX_BASE, barTimestamps, contractTruth, generateHourlyDataset } from './synthetic';
import { DAILY_UNIVERSE, HOURLY_UNIVERSE, SECTORS, universeOf } from './universe';

const logReturns = (p: Float64Array) => {
  const r = new Float64Array(p.length - 1);
  for (let i = 1; i < p.length; i++) r[i - 1] = Math.log(p[i] / p[i - 1]);
  return r;
};
const mean = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
};
const sd = (a: ArrayLike<number>) => {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** 2;
  return Math.sqrt(s / (a.length - 1));
};
const corr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
};

describe('universe', () => {
  it('has 418 unique tickers in 11 sectors, opening with the 49-name daily universe', () => {
    expect(HOURLY_UNIVERSE.length).toBe(418);
    expect(new Set(HOURLY_UNIVERSE.map((c) => c.symbol)).size).toBe(418);
    expect(new Set(HOURLY_UNIVERSE.map((c) => c.sector))).toEqual(new Set(SECTORS));
    expect(DAILY_UNIVERSE.length).toBe(49);
    expect(HOURLY_UNIVERSE.slice(0, 49)).toEqual(DAILY_UNIVERSE);
    expect(DAILY_UNIVERSE.slice(0, 3).map((c) => c.symbol)).toEqual(['AAPL', 'MSFT', 'GOOGL']);
    expect(DAILY_UNIVERSE.find((c) => c.symbol === 'SHW')?.sector).toBe('Materials');
    for (const c of HOURLY_UNIVERSE) expect(c.symbol).toMatch(/^[A-Z]{1,5}$/);
  });

  it('continues past 418 with synthetic names', () => {
    const u = universeOf(420);
    expect(u[418]).toEqual({ symbol: 'Z00419', sector: SECTORS[418 % 11] });
    expect(() => universeOf(0)).toThrow(RangeError);
  });
});

describe('generateHourlyDataset', () => {
  it('is deterministic from the seed', () => {
    const a = generateHourlyDataset({ seed: 7, contracts: 5, bars: 500 });
    const b = generateHourlyDataset({ seed: 7, contracts: 5, bars: 500 });
    const c = generateHourlyDataset({ seed: 8, contracts: 5, bars: 500 });
    expect(a).toEqual(b);
    expect(a.prices[0]).not.toEqual(c.prices[0]);
  });

  it("keeps each contract's path and the market independent of the contract count, and bars a prefix", () => {
    const small = generateHourlyDataset({ seed: 11, contracts: 3, bars: 400 });
    const big = generateHourlyDataset({ seed: 11, contracts: 60, bars: 800 });
    for (let i = 0; i < 3; i++) expect(Array.from(big.prices[i].subarray(0, 400))).toEqual(Array.from(small.prices[i]));
    expect(Array.from(big.vix.subarray(0, 400))).toEqual(Array.from(small.vix));
    expect(Array.from(big.timestamps.subarray(0, 400))).toEqual(Array.from(small.timestamps));
    // a custom universe that holds AAPL elsewhere gives AAPL the same path
    const custom = generateHourlyDataset({ seed: 11, bars: 400, universe: [{ symbol: 'XOM', sector: 'Energy' }, HOURLY_UNIVERSE[0]] });
    expect(Array.from(custom.prices[1])).toEqual(Array.from(small.prices[0]));
  });

  it('gives positive, finite prices and an SPX that is the equal-weight index of the constituents', () => {
    const ds = generateHourlyDataset({ seed: 3, contracts: 40, bars: 3000 });
    for (const p of [...ds.prices, ds.spx, ds.vix])
      for (const v of p) if (!(v > 0 && Number.isFinite(v))) throw new Error(`bad value ${v}`);
    expect(ds.spx[0]).toBe(SPX_BASE);
    for (const t of [1, 100, 2999]) {
      const expected = (SPX_BASE / 40) * ds.prices.reduce((s, p) => s + p[t] / p[0], 0);
      expect(ds.spx[t]).toBeCloseTo(expected, 8);
    }
  });

  it('has per-contract annual vols of about 15-45 % and betas to SPX near the generating betas', () => {
    const ds = generateHourlyDataset({ seed: 5, contracts: 30, bars: 8 * 252 * 4 });
    const rm = logReturns(ds.spx);
    const varM = sd(rm) ** 2;
    for (let i = 0; i < 30; i++) {
      const r = logReturns(ds.prices[i]);
      const annualVol = sd(r) * Math.sqrt(252 * 8);
      expect(annualVol, ds.contracts[i].symbol).toBeGreaterThan(0.12);
      expect(annualVol, ds.contracts[i].symbol).toBeLessThan(0.6);
      const beta = (corr(r, rm) * sd(r) * sd(rm)) / varM;
      expect(beta).toBeGreaterThan(0.2);
      expect(beta).toBeLessThan(2.5);
    }
    const truth = contractTruth(5, 'AAPL');
    expect(truth.beta).toBeGreaterThanOrEqual(0.6);
    expect(truth.beta).toBeLessThanOrEqual(1.4);
  });

  it('gives a mean-reverting VIX that rises with the trailing realised volatility of SPX', () => {
    const ds = generateHourlyDataset({ seed: 20000127, contracts: 50, bars: 8 * 252 * 6 });
    const r = logReturns(ds.spx);
    const window = 8 * 21; // a month of bars
    const rv: number[] = [];
    const vix: number[] = [];
    for (let t = window; t < r.length; t += 8) {
      rv.push(sd(r.subarray(t - window, t)) * Math.sqrt(252 * 8) * 100);
      vix.push(ds.vix[t + 1]);
    }
    expect(corr(rv, vix)).toBeGreaterThan(0.6);
    // VIX sits above realised vol on average (a variance premium) and stays in a plausible range
    expect(mean(vix)).toBeGreaterThan(mean(rv));
    expect(Math.min(...ds.vix)).toBeGreaterThan(5);
    expect(Math.max(...ds.vix)).toBeLessThan(150);
    // mean reversion: daily VIX changes are negatively related to the VIX level
    const level: number[] = [];
    const change: number[] = [];
    for (let t = 0; t + 8 < ds.vix.length; t += 8) {
      level.push(Math.log(ds.vix[t]));
      change.push(Math.log(ds.vix[t + 8]) - Math.log(ds.vix[t]));
    }
    expect(corr(level, change)).toBeLessThan(0);
  });

  it('has no spurious downward market drift (vol and its own shock are not correlated within a bar)', () => {
    let sum = 0;
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    for (const seed of seeds) {
      const ds = generateHourlyDataset({ seed, contracts: 20 });
      sum += Math.log(ds.spx[ds.spx.length - 1] / ds.spx[0]);
    }
    // contract drifts average 5 % a year over 14 years: about +0.7 expected; a same-bar
    // vol/shock correlation would subtract ~0.11 a year (about -1.5 over the span)
    expect(sum / seeds.length).toBeGreaterThan(0);
  });

  it('continues the calendar past 28,048 bars and rejects bad sizes', () => {
    const ts = barTimestamps(28_048 + 80);
    expect(ts.length).toBe(28_128);
    expect(new Date(ts[28_048]).toISOString()).toBe('2013-12-23T14:30:00.000Z');
    expect(() => generateHourlyDataset({ seed: 1, bars: 1 })).toThrow(/bars/);
    expect(() => generateHourlyDataset({ seed: 1, contracts: 0 })).toThrow(/contracts/);
  });

  it('generates 2,500 contracts x 200 bars for the scale test quickly', () => {
    const t0 = performance.now();
    const ds = generateHourlyDataset({ seed: 1, contracts: 2500, bars: 200 });
    expect(ds.contracts.length).toBe(2500);
    expect(new Set(ds.contracts.map((c) => c.symbol)).size).toBe(2500);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
