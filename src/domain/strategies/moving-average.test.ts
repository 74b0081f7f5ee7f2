import { describe, expect, it } from 'vitest';
import { expectClose } from '../__fixtures__/expect-close';
import { barsOf, inputsOf, positionsOf } from './__fixtures__/bars';
import { crossoverConfidence, MOVING_AVERAGE_DEFAULTS, movingAverageCrossover as ma, type MovingAverageConfig } from './moving-average';

// Expected values: TA-Lib 0.8.2 SMA and pandas 3.1.1 on the closes below (Python 3.11):
//   c = np.array(closes); f = talib.SMA(c, 10); s = talib.SMA(c, 30)
//   sd = pd.Series(c).pct_change().tail(20).std()          # ddof 1
//   conf = 0.5 + 0.5 * min(1, abs(f[-1] - s[-1]) / (sd * c[-1]))
// UP slides for 30 bars and rebounds: SMA(10) crosses above SMA(30) on the last bar
// (d: 98.12 - 98.29667 < 0, then 98.42 - 98.30 > 0). DOWN is 200 - UP (cross below).
const UP = [
  101.0, 100.2, 100.7, 99.8, 100.3, 100.0, 99.6, 99.9, 99.3, 99.5, 98.9, 99.2, 98.6, 98.8, 98.2, 98.5, 97.9, 98.1, 97.6, 97.8, 97.2, 97.5,
  97.0, 97.3, 96.8, 97.1, 96.6, 97.0, 97.4, 97.9, 98.3, 98.6, 99.1, 99.4, 99.8, 100.1,
];
const DOWN = UP.map((c) => Math.round((200 - c) * 10) / 10);
const REF_UP = { fast: 98.41999999999999, slow: 98.30000000000001, returnSd: 0.004294145283842668, confidence: 0.6395855425888384 };
const REF_DOWN = { fast: 101.58, slow: 101.69999999999999, returnSd: 0.004111040676924978, confidence: 0.6460945409690755 };

const config = (over: Partial<MovingAverageConfig> = {}): MovingAverageConfig => ({ ...MOVING_AVERAGE_DEFAULTS, ...over });

describe('movingAverageCrossover signals', () => {
  it('BUYs on a cross above at the latest bar, with the averages, gap and confidence of the reference', () => {
    const [s] = ma.signals(inputsOf(config(), { XYZ: barsOf('XYZ', UP) }));
    expect(s).toMatchObject({ symbol: 'XYZ', action: 'BUY' });
    expect(s.quantity).toBeUndefined();
    expectClose(s.metrics!.fastSma, REF_UP.fast, 1e-12);
    expectClose(s.metrics!.slowSma, REF_UP.slow, 1e-12);
    expectClose(s.metrics!.returnSd, REF_UP.returnSd, 1e-10);
    expectClose(s.confidence, REF_UP.confidence, 1e-9);
    expect(s.reason).toMatch(
      /^SMA\(10\) 98\.42 crossed above SMA\(30\) 98\.30; gap 0\.1200 is 0\.28 x the 20-bar price deviation 0\.4298$/,
    );
  });

  it('SELLs the held quantity on a cross below when long (a close)', () => {
    const [s] = ma.signals(inputsOf(config(), { XYZ: barsOf('XYZ', DOWN) }, positionsOf(['XYZ', 40])));
    expect(s).toMatchObject({ symbol: 'XYZ', action: 'SELL', quantity: 40 });
    expectClose(s.metrics!.fastSma, REF_DOWN.fast, 1e-12);
    expectClose(s.metrics!.slowSma, REF_DOWN.slow, 1e-12);
    expectClose(s.confidence, REF_DOWN.confidence, 1e-9);
    expect(s.reason).toContain('crossed below');
    expect(s.reason).toContain('closing the long of 40');
  });

  it('opens no short: a cross below while flat gives nothing', () => {
    expect(ma.signals(inputsOf(config(), { XYZ: barsOf('XYZ', DOWN) }))).toEqual([]);
  });

  it('does not BUY again when already long', () => {
    expect(ma.signals(inputsOf(config(), { XYZ: barsOf('XYZ', UP) }, positionsOf(['XYZ', 10])))).toEqual([]);
  });

  it('acts only on a cross at the latest bar (one bar later the cross is old news)', () => {
    expect(ma.signals(inputsOf(config(), { XYZ: barsOf('XYZ', [...UP, 100.5]) }))).toEqual([]);
  });

  it('reads only the last max(slow, volatilityBars) + 1 bars: earlier history changes nothing', () => {
    const longer = [90, 150, 20, ...UP];
    const [a] = ma.signals(inputsOf(config(), { XYZ: barsOf('XYZ', UP) }));
    const [b] = ma.signals(inputsOf(config(), { XYZ: barsOf('XYZ', longer) }));
    expect(b.confidence).toBe(a.confidence);
    expect(ma.warmupBars(config())).toBe(31);
    expect(ma.warmupBars(config({ volatilityBars: 50 }))).toBe(51);
  });

  it('says nothing with fewer bars than the warm-up', () => {
    expect(ma.signals(inputsOf(config(), { XYZ: barsOf('XYZ', UP.slice(-30)) }))).toEqual([]);
  });

  it('trades every symbol with bars when symbols is empty, only the listed ones otherwise', () => {
    const bars = { B: barsOf('B', UP), A: barsOf('A', UP) };
    expect(ma.signals(inputsOf(config(), bars)).map((s) => s.symbol)).toEqual(['A', 'B']);
    expect(ma.signals(inputsOf(config({ symbols: ['B', 'ZZZ'] }), bars)).map((s) => s.symbol)).toEqual(['B']);
    expect(ma.symbols(config({ symbols: ['B'] }))).toEqual(['B']);
  });
});

describe('crossoverConfidence', () => {
  it('is 0.5 + 0.5 min(1, gap / price deviation)', () => {
    expect(crossoverConfidence(0, 0.4)).toBe(0.5);
    expect(crossoverConfidence(0.1, 0.4)).toBe(0.625);
    expect(crossoverConfidence(0.4, 0.4)).toBe(1);
    expect(crossoverConfidence(2, 0.4)).toBe(1);
  });
  it('zero deviation (a steady drift) gives 1; NaN gives NaN', () => {
    expect(crossoverConfidence(0.1, 0)).toBe(1);
    expect(crossoverConfidence(NaN, 0.4)).toBeNaN();
    expect(crossoverConfidence(0.1, NaN)).toBeNaN();
  });
});

describe('movingAverageCrossover.parseConfig', () => {
  it('fills the defaults (10 / 30 / 20, every symbol)', () => {
    expect(ma.parseConfig({})).toEqual({ config: { fastPeriod: 10, slowPeriod: 30, volatilityBars: 20, symbols: [] } });
    expect(ma.parseConfig({ fastPeriod: 5, symbols: ['AAPL'] })).toEqual({
      config: { fastPeriod: 5, slowPeriod: 30, volatilityBars: 20, symbols: ['AAPL'] },
    });
  });
  it('rejects fastPeriod >= slowPeriod on fastPeriod, naming both values', () => {
    const r = ma.parseConfig({ fastPeriod: 30, slowPeriod: 20 });
    expect(r).toMatchObject({ problem: { setting: 'fastPeriod', message: 'fastPeriod 30 must be less than slowPeriod 20' } });
    expect(ma.parseConfig({ fastPeriod: 30 })).toMatchObject({
      problem: { setting: 'fastPeriod', message: expect.stringContaining('30') },
    });
  });
  it('rejects non-integer and non-positive periods, naming the setting', () => {
    expect(ma.parseConfig({ fastPeriod: 2.5 })).toMatchObject({
      problem: { setting: 'fastPeriod', message: 'must be an integer >= 1, got 2.5' },
    });
    expect(ma.parseConfig({ slowPeriod: 0 })).toMatchObject({ problem: { setting: 'slowPeriod' } });
    expect(ma.parseConfig({ volatilityBars: -3 })).toMatchObject({ problem: { setting: 'volatilityBars' } });
    expect(ma.parseConfig({ slowPeriod: '30' })).toMatchObject({
      problem: { setting: 'slowPeriod', message: 'must be an integer >= 2, got "30"' },
    });
  });
  it('reports every bad setting at once, unknown ones included', () => {
    const r = ma.parseConfig({ fastPeriod: 0, volatilityBars: 1.5, fastPeriode: 5 });
    expect('problems' in r && r.problems?.map((p) => p.setting)).toEqual(['fastPeriod', 'volatilityBars', 'fastPeriode']);
  });
});
