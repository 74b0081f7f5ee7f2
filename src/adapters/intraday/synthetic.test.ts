/**
 * The synthetic intraday market: the shared contract; agreement with the
 * daily synthetic market (the independent source: its open, close and volume
 * of the same seed); the session clock; 1m/5m/15m agreeing with each other;
 * the U-shaped profile against the ratio its formula implies; the ATEN/INGM
 * pair against the seed's spread statistics (002: mean $4.930, std $0.538)
 * and a z-score rule's entries and exits; determinism, the cache, speed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeIntradayProviderContract } from './contract';
import { createSyntheticIntradayProvider, INTRADAY_PAIR_SYMBOLS, INTRADAY_SYMBOLS, PAIR_SPREAD } from './synthetic';
import { createSyntheticProvider } from '../market-data/synthetic';
import { DAILY_UNIVERSE } from '../hourly-dataset/universe';
import { aggregateBars, newYorkClock, sessionBarStarts } from '../../domain/intraday-bars';
import { tradingDays } from '../../domain/trading-calendar';
import type { IntradayBar } from './types';

const SEED = 20000127;
const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
const nextDay = (d: string) => day(d) + 86_400_000;
const bySymbol = (bars: readonly IntradayBar[]) => {
  const m = new Map<string, IntradayBar[]>();
  for (const b of bars) (m.get(b.symbol) ?? m.set(b.symbol, []).get(b.symbol)!).push(b);
  return m;
};
const dateOf = (b: IntradayBar) => newYorkClock(b.ts).date;

describeIntradayProviderContract('synthetic', async () => ({
  provider: createSyntheticIntradayProvider({ seed: 7 }),
  symbols: ['AAPL', 'ATEN'],
  unknown: 'ZZZZ',
  from: day('2024-03-04'),
  to: day('2024-03-09'),
  interval: '5m',
}));

describe('synthetic intraday provider', () => {
  const p = createSyntheticIntradayProvider({ seed: SEED });
  const daily = createSyntheticProvider({ seed: SEED });
  const universe = DAILY_UNIVERSE.map((c) => c.symbol);

  beforeAll(async () => {
    // Warm the daily market (its first call computes every path since 2000), so the timings below are the intraday part.
    await daily.fetchEod(universe, '2024-03-01', '2024-03-01');
  });

  it('knows 51 symbols: the daily universe and the pair', () => {
    expect(INTRADAY_SYMBOLS).toHaveLength(51);
    expect(INTRADAY_PAIR_SYMBOLS).toEqual(['ATEN', 'INGM']);
    expect(INTRADAY_SYMBOLS.slice(0, 49)).toEqual(universe);
  });

  it('opens each day at the daily open, closes at the daily close and trades the daily volume, at 1m, 5m and 15m', async () => {
    const dates = ['2024-03-04', '2024-03-05'];
    const d = await daily.fetchEod(universe, dates[0], dates[1]);
    const want = new Map(d.bars.map((b) => [`${b.symbol}|${b.date}`, b]));
    expect(want.size).toBeGreaterThan(90);
    for (const interval of ['1m', '5m', '15m'] as const) {
      const r = await p.fetchBars(universe, day(dates[0]), nextDay(dates[1]), interval);
      const days = new Map<string, IntradayBar[]>();
      for (const b of r.bars)
        (days.get(`${b.symbol}|${dateOf(b)}`) ?? days.set(`${b.symbol}|${dateOf(b)}`, []).get(`${b.symbol}|${dateOf(b)}`)!).push(b);
      expect([...days.keys()].sort(), interval).toEqual([...want.keys()].sort());
      for (const [key, bars] of days) {
        const eod = want.get(key)!;
        expect(bars[0].open, `${key} ${interval} open`).toBe(eod.open);
        expect(bars[bars.length - 1].close, `${key} ${interval} close`).toBe(eod.close);
        expect(
          bars.reduce((s, b) => s + b.volume, 0),
          `${key} ${interval} volume`,
        ).toBe(eod.volume);
      }
    }
  });

  it('has one bar per session start: 78 five-minute bars from 09:30 to 15:55 New York time per symbol and day', async () => {
    const r = await p.fetchBars(INTRADAY_SYMBOLS, day('2024-07-01'), nextDay('2024-07-01'), '5m');
    const starts = sessionBarStarts('2024-07-01', '5m');
    const groups = bySymbol(r.bars);
    // A symbol may miss a whole day when the daily market has a gap there (0.3 %); none does on this date.
    expect(groups.size).toBe(51);
    for (const [s, bars] of groups)
      expect(
        bars.map((b) => b.ts),
        s,
      ).toEqual(starts);
    expect(newYorkClock(starts[0]).hhmm).toBe('09:30');
  });

  it('gives no bars on a holiday, a weekend or outside the session, and only those starting in [from, to)', async () => {
    expect((await p.fetchBars(['AAPL', 'ATEN'], day('2024-07-04'), nextDay('2024-07-04'), '5m')).bars).toEqual([]);
    expect((await p.fetchBars(['AAPL'], day('2024-07-06'), nextDay('2024-07-07'), '1m')).bars).toEqual([]);
    const evening = Date.parse('2024-07-01T20:00:00Z'); // 16:00 New York
    expect((await p.fetchBars(['AAPL'], evening, evening + 8 * 3_600_000, '5m')).bars).toEqual([]);
    const ten = Date.parse('2024-07-01T14:00:00Z'); // 10:00 New York
    const hour = await p.fetchBars(['AAPL'], ten, ten + 3_600_000, '5m');
    expect(hour.bars.map((b) => newYorkClock(b.ts).hhmm)).toEqual([
      '10:00',
      '10:05',
      '10:10',
      '10:15',
      '10:20',
      '10:25',
      '10:30',
      '10:35',
      '10:40',
      '10:45',
      '10:50',
      '10:55',
    ]);
    // A 15m request cut inside a bucket still returns whole 15m bars: the same as the full day's.
    const cut = await p.fetchBars(['AAPL'], ten + 60_000, ten + 3_600_000, '15m');
    const full = await p.fetchBars(['AAPL'], day('2024-07-01'), nextDay('2024-07-01'), '15m');
    expect(cut.bars).toEqual(full.bars.filter((b) => b.ts >= ten + 60_000 && b.ts < ten + 3_600_000));
    expect(cut.bars.map((b) => newYorkClock(b.ts).hhmm)).toEqual(['10:15', '10:30', '10:45']);
  });

  it('agrees with itself across intervals: 1m aggregates to the 5m bars, and 5m to the 15m bars', async () => {
    const syms = ['MSFT', 'XOM', 'ATEN', 'INGM'];
    const [one, five, fifteen] = await Promise.all(
      (['1m', '5m', '15m'] as const).map((i) => p.fetchBars(syms, day('2024-03-04'), nextDay('2024-03-05'), i)),
    );
    expect(one.bars).toHaveLength(4 * 2 * 390);
    expect(aggregateBars(one.bars, '5m')).toEqual(five.bars);
    expect(aggregateBars(five.bars, '15m')).toEqual(fifteen.bars);
  });

  it('gives the same bar whatever range, interval order or provider instance asked first; another seed differs', async () => {
    const a = await createSyntheticIntradayProvider({ seed: 31 }).fetchBars(
      ['NVDA', 'INGM'],
      day('2024-05-06'),
      nextDay('2024-05-06'),
      '5m',
    );
    const wide = await createSyntheticIntradayProvider({ seed: 31 }).fetchBars(
      ['INGM', 'KO', 'NVDA'],
      day('2024-04-29'),
      nextDay('2024-05-10'),
      '5m',
    );
    const inDay = wide.bars.filter((b) => dateOf(b) === '2024-05-06' && b.symbol !== 'KO');
    expect(inDay.length).toBe(a.bars.length);
    expect(new Set(inDay)).toEqual(new Set(a.bars));
    const other = await createSyntheticIntradayProvider({ seed: 32 }).fetchBars(['NVDA'], day('2024-05-06'), nextDay('2024-05-06'), '5m');
    expect(other.bars).not.toEqual(a.bars.filter((b) => b.symbol === 'NVDA'));
  });

  it('reports unknown symbols as failures and serves the rest', async () => {
    const r = await p.fetchBars(['ZZZZ', 'AAPL', 'SPY'], day('2024-03-04'), nextDay('2024-03-04'), '5m');
    expect(r.failures).toEqual([
      { symbol: 'ZZZZ', reason: 'ZZZZ: not in the synthetic intraday universe' },
      { symbol: 'SPY', reason: 'SPY: not in the synthetic intraday universe' },
    ]);
    expect(r.bars).toHaveLength(78);
  });

  it('has no intraday bars for a name on a day the daily market has a gap for it', async () => {
    const days = tradingDays('2023-01-01', '2023-12-31');
    const d = await daily.fetchEod(universe, days[0], days[days.length - 1]);
    const have = new Set(d.bars.map((b) => `${b.symbol}|${b.date}`));
    const gap = universe.flatMap((s) => days.filter((x) => !have.has(`${s}|${x}`)).map((x) => ({ s, x })))[0];
    expect(gap).toBeDefined();
    const r = await p.fetchBars(universe, day(gap.x), nextDay(gap.x), '5m');
    expect(r.bars.some((b) => b.symbol === gap.s)).toBe(false);
    expect(bySymbol(r.bars).size).toBeGreaterThanOrEqual(45);
  });

  it('is U-shaped: the first and last bars move and trade more than midday, as the profile m(u) = 1 + 1.5 (2u - 1)^2 implies', async () => {
    // Independent of the code: the 5m bar's volatility share from the formula, first bar vs bar 38 (12:40).
    const m = (k: number) => 1 + 1.5 * (2 * ((k + 0.5) / 390) - 1) ** 2;
    const barVar = (j: number) => [0, 1, 2, 3, 4].reduce((s, i) => s + m(5 * j + i) ** 2, 0);
    const barU = (j: number) => [0, 1, 2, 3, 4].reduce((s, i) => s + m(5 * j + i), 0);
    const sdRatio = Math.sqrt(barVar(0) / barVar(38));
    const volRatio = barU(0) / barU(38);
    expect(sdRatio).toBeCloseTo(2.46, 2);

    const days = tradingDays('2023-06-01', '2023-08-31');
    const r = await p.fetchBars(universe, day(days[0]), nextDay(days[days.length - 1]), '5m');
    const absRet = new Float64Array(78);
    const vol = new Float64Array(78);
    let n = 0;
    for (const bars of bySymbol(r.bars).values()) {
      for (let i = 0; i + 78 <= bars.length; i += 78) {
        // Only expensive names: a cent is a large share of a $15 stock's quiet 5m move.
        if (bars[i].open < 80) continue;
        n++;
        for (let j = 0; j < 78; j++) {
          absRet[j] += Math.abs(Math.log(bars[i + j].close / bars[i + j].open));
          vol[j] += bars[i + j].volume;
        }
      }
    }
    expect(n).toBeGreaterThan(300);
    const edge = (x: Float64Array) => (x[0] + x[77]) / 2;
    expect(edge(absRet) / absRet[38]).toBeGreaterThan(sdRatio * 0.8);
    expect(edge(absRet) / absRet[38]).toBeLessThan(sdRatio * 1.2);
    expect(edge(vol) / vol[38]).toBeGreaterThan(volRatio * 0.85);
    expect(edge(vol) / vol[38]).toBeLessThan(volRatio * 1.15);
  });

  describe('the ATEN / INGM pair', () => {
    const year = tradingDays('2023-01-01', '2023-12-31');
    let aten: IntradayBar[];
    let ingm: IntradayBar[];
    beforeAll(async () => {
      const r = await p.fetchBars(['ATEN', 'INGM'], day(year[0]), nextDay(year[year.length - 1]), '5m');
      const g = bySymbol(r.bars);
      aten = g.get('ATEN')!;
      ingm = g.get('INGM')!;
    });

    it('has the seed spread statistics at 5m closes: ATEN - INGM mean ~ $4.93, std ~ $0.538', () => {
      expect(aten.length).toBe(year.length * 78);
      expect(aten.map((b) => b.ts)).toEqual(ingm.map((b) => b.ts));
      const spread = aten.map((b, i) => b.close - ingm[i].close);
      const mean = spread.reduce((s, x) => s + x, 0) / spread.length;
      const std = Math.sqrt(spread.reduce((s, x) => s + (x - mean) ** 2, 0) / (spread.length - 1));
      // ~250 days x 78 bars with a 30-minute half-life: about 2,700 independent draws, so a few cents of sampling error.
      expect(Math.abs(mean - PAIR_SPREAD.mean)).toBeLessThan(0.08);
      expect(Math.abs(std - PAIR_SPREAD.std)).toBeLessThan(0.05);
    });

    it("gives a z-score rule (20 bars, enter |z| > 2, exit |z| < 0.5: the seed's) entries and exits on most days", () => {
      let daysWithRoundTrip = 0;
      for (let d = 0; d < year.length; d++) {
        const sp = Array.from({ length: 78 }, (_, j) => aten[d * 78 + j].close - ingm[d * 78 + j].close);
        let open = false;
        let trips = 0;
        for (let t = 20; t < 78; t++) {
          const w = sp.slice(t - 20, t);
          const mu = w.reduce((s, x) => s + x, 0) / 20;
          const sd = Math.sqrt(w.reduce((s, x) => s + (x - mu) ** 2, 0) / 19);
          const z = (sp[t] - mu) / sd;
          if (!open && Math.abs(z) > 2) open = true;
          else if (open && Math.abs(z) < 0.5) {
            open = false;
            trips++;
          }
        }
        if (trips > 0) daysWithRoundTrip++;
      }
      expect(daysWithRoundTrip / year.length).toBeGreaterThan(0.8);
    });

    it('walks INGM at random: daily log changes with sd ~ 30 % / sqrt(252) and no autocorrelation', () => {
      const closes = year.map((_, d) => ingm[d * 78 + 77].close);
      const r = closes.slice(1).map((c, i) => Math.log(c / closes[i]));
      const mean = r.reduce((s, x) => s + x, 0) / r.length;
      const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / (r.length - 1));
      const rho = r.slice(1).reduce((s, x, i) => s + (x - mean) * (r[i] - mean), 0) / ((r.length - 1) * sd * sd);
      expect(sd).toBeGreaterThan((0.3 / Math.sqrt(252)) * 0.85);
      expect(sd).toBeLessThan((0.3 / Math.sqrt(252)) * 1.15);
      expect(Math.abs(rho)).toBeLessThan(0.2);
      expect(Math.min(...closes)).toBeGreaterThan(5);
    });
  });

  it('rebuilds evicted days identically (more days than the cache holds)', async () => {
    const q = createSyntheticIntradayProvider({ seed: 77 });
    const first = await q.fetchBars(INTRADAY_SYMBOLS, day('2022-01-03'), nextDay('2022-01-04'), '5m');
    // 51 symbols x ~85 days > the 2,048 cached paths: the first days are evicted.
    await q.fetchBars(INTRADAY_SYMBOLS, day('2022-01-05'), day('2022-05-10'), '5m');
    const again = await q.fetchBars(INTRADAY_SYMBOLS, day('2022-01-03'), nextDay('2022-01-04'), '5m');
    expect(again.bars).toEqual(first.bars);
  });

  it('serves 51 symbols x 2 days of 5m bars in milliseconds once the daily market is warm', async () => {
    const q = createSyntheticIntradayProvider({ seed: SEED });
    await q.fetchBars(INTRADAY_SYMBOLS, day('2024-02-05'), nextDay('2024-02-06'), '5m'); // compile the code paths
    const t0 = performance.now();
    const r = await q.fetchBars(INTRADAY_SYMBOLS, day('2024-02-07'), nextDay('2024-02-08'), '5m');
    const cold = performance.now() - t0;
    expect(r.bars.length).toBeGreaterThan(51 * 2 * 78 - 2 * 78);
    // Typically ~5 ms (README figures); the bound only catches an accidental slow path on a loaded CI machine.
    expect(cold).toBeLessThan(100);
  });
});
