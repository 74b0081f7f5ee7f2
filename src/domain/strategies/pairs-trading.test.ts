import { describe, expect, it } from 'vitest';
import { expectClose } from '../__fixtures__/expect-close';
import { DEFAULT_PAIR_THRESHOLDS, pairPositions } from '../pairs';
import { mulberry32 } from '../random';
import { barsOf, FIVE_MINUTES, inputsOf, positionsOf, T0 } from './__fixtures__/bars';
import { evaluatePairs, pairDataProblems, pairDecision, PAIRS_DEFAULTS, pairsTrading, type PairsConfig } from './pairs-trading';
import type { StrategySignal } from './types';

const config = (over: Partial<PairsConfig> = {}): PairsConfig => ({ ...PAIRS_DEFAULTS, ...over });
const iso = (i: number) => new Date(T0 + i * FIVE_MINUTES).toISOString();

// A written-down ATEN/INGM day: 59 five-minute closes in cents, spread = ATEN - 1.0 INGM. The spread is calm
// for 20 bars, rises past 2 sd, reverts, falls past -2 and on through -3, calms again, then spikes.
// Expected z-scores: pandas 3.1.1 / numpy 2.4.6 (Python 3.11), independently of our rollingZScore:
//   sp = pd.Series(ATEN) - 1.0 * pd.Series(INGM)
//   z = (sp - sp.rolling(20).mean()) / sp.rolling(20).std()
// and the events by stepping the seed's rules (entry 2.0, exit 0.5, stop 3.0, no entry at |z| >= stop) over z.
const ATEN = [
  25.0, 25.44, 25.08, 25.52, 25.16, 25.05, 25.54, 25.13, 25.02, 25.31, 25.0, 24.99, 25.23, 24.97, 25.41, 25.25, 24.84, 25.28, 25.12, 24.81,
  25.38, 25.2, 25.12, 25.47, 25.19, 25.46, 25.2, 24.99, 25.27, 25.02, 24.89, 25.14, 24.84, 24.5, 24.78, 24.35, 24.37, 23.67, 24.01, 24.76,
  24.88, 24.44, 24.89, 24.49, 24.45, 24.69, 24.43, 24.89, 24.49, 24.36, 24.65, 24.48, 24.17, 24.53, 24.34, 24.05, 26.05, 25.6, 25.3,
];
const INGM = [
  20.0, 20.34, 20.13, 20.47, 20.26, 20.05, 20.39, 20.18, 19.97, 20.31, 20.1, 19.89, 20.23, 20.02, 20.36, 20.15, 19.94, 20.28, 20.07, 19.86,
  20.2, 19.99, 19.78, 20.12, 19.91, 20.25, 20.04, 19.83, 20.17, 19.96, 19.75, 20.09, 19.88, 19.67, 20.01, 19.8, 20.14, 19.93, 19.72, 20.06,
  19.85, 19.64, 19.98, 19.77, 19.56, 19.9, 19.69, 20.03, 19.82, 19.61, 19.95, 19.74, 19.53, 19.87, 19.66, 19.45, 19.79, 19.58, 19.92,
];
// pandas z for bars 19..58 (bars 0..18 have no full window)
const Z_PANDAS: Record<number, number> = {
  19: -0.7871893531304076,
  20: 1.980774986060214,
  21: 2.0530498797367187,
  22: 2.6145538173475162,
  23: 2.1996966509085585,
  24: 1.4929435653123158,
  25: 0.8925958725712417,
  26: 0.5280897992231374,
  27: 0.4624490369670311,
  28: 0.003682390450371802,
  29: -0.31688055098571294,
  30: 0.20317358795148477,
  31: -0.4908640132929384,
  32: -1.1675622170198203,
  33: -1.9750439266913993,
  34: -2.0337291908631063,
  35: -2.5850906980562915,
  36: -2.952997892324203,
  37: -3.099719611702801,
  38: -1.509680588051324,
  39: -0.5063349251992456,
  40: 0.2890942288387887,
  41: -0.21009033615146536,
  42: 0.10924295339375333,
  43: -0.2956639247073008,
  44: 0.2009565261715088,
  45: -0.011066528523591723,
  46: -0.09398495906778591,
  47: 0.300046450414457,
  48: -0.20111920298490535,
  49: 0.09010822983656239,
  50: 0.003264218397836462,
  51: 0.19132996714919628,
  52: -0.09544859766592777,
  53: 0.003501852324698599,
  54: 0.08965337144255635,
  55: -0.200930133632203,
  56: 3.3978191329070158,
  57: 2.4995517000895062,
  58: 1.0046164428655566,
};
// The reference's events; the bars just before each are near misses: 20 (z 1.98 < 2), 26 (0.528 > 0.5),
// 33 (-1.975 > -2), 36 (-2.953 > -3), and 56 (3.40: flat but beyond the stop, no entry).
const EVENTS = [
  [21, 'enter_short'],
  [27, 'exit'],
  [34, 'enter_long'],
  [37, 'stop'],
  [57, 'enter_short'],
] as const;

/** Run the strategy bar by bar over the day, filling every signal at once; the signals by bar. */
function replayDay(c: PairsConfig = config()): Map<number, StrategySignal[]> {
  const held = new Map<string, number>();
  const out = new Map<number, StrategySignal[]>();
  for (let t = 0; t < ATEN.length; t++) {
    const inputs = inputsOf(
      c,
      { ATEN: barsOf('ATEN', ATEN.slice(0, t + 1)), INGM: barsOf('INGM', INGM.slice(0, t + 1)) },
      positionsOf(...held),
    );
    const signals = pairsTrading.signals(inputs);
    if (signals.length === 0) continue;
    out.set(t, signals);
    for (const s of signals) {
      const q = (held.get(s.symbol) ?? 0) + (s.action === 'BUY' ? s.quantity! : -s.quantity!);
      if (q === 0) held.delete(s.symbol);
      else held.set(s.symbol, q);
    }
  }
  return out;
}

describe('pairsTrading, fixed ATEN/INGM on a written-down spread (seed thresholds 2.0 / 0.5 / 3.0, 20 bars)', () => {
  const day = replayDay();

  it('acts exactly on the bars where z crosses entry, exit and stop, and nowhere else', () => {
    expect([...day.keys()]).toEqual(EVENTS.map(([t]) => t));
    for (const [t, event] of EVENTS) {
      const signals = day.get(t)!;
      expect(signals.map((s) => s.group)).toEqual([
        { id: `pairs:ATEN/INGM:${event}:${iso(t)}`, leg: 1 },
        { id: `pairs:ATEN/INGM:${event}:${iso(t)}`, leg: 2 },
      ]);
      for (const s of signals) expectClose(s.metrics!.z, Z_PANDAS[t], 1e-9);
    }
  });

  it('the reference z-scores put each event on the right side of its threshold', () => {
    expect(Z_PANDAS[20]).toBeLessThan(2);
    expect(Z_PANDAS[21]).toBeGreaterThanOrEqual(2);
    expect(Z_PANDAS[26]).toBeGreaterThan(0.5);
    expect(Z_PANDAS[27]).toBeLessThanOrEqual(0.5);
    expect(Z_PANDAS[33]).toBeGreaterThan(-2);
    expect(Z_PANDAS[34]).toBeLessThanOrEqual(-2);
    expect(Z_PANDAS[36]).toBeGreaterThan(-3);
    expect(Z_PANDAS[37]).toBeLessThanOrEqual(-3);
    expect(Z_PANDAS[56]).toBeGreaterThanOrEqual(3);
  });

  it('z on every bar matches pandas (the readings)', () => {
    for (let t = 19; t < ATEN.length; t++) {
      const bars = { ATEN: barsOf('ATEN', ATEN.slice(0, t + 1)), INGM: barsOf('INGM', INGM.slice(0, t + 1)) };
      const r = evaluatePairs(inputsOf(config(), bars, positionsOf(['ATEN', -1], ['INGM', 1])));
      expectClose(r.pairs[0].z, Z_PANDAS[t], 1e-9);
    }
  });

  it('short entry: SELL ATEN first, BUY INGM; units = floor(min(10000 / (25.20 + 19.99), 300 / sd)) = 221', () => {
    // pandas: sd of the spread over bars 2..21 = 0.09157108254189641, mean 5.022; 10000 / 45.19 = 221.29; 300 / sd = 3276.1
    const [l1, l2] = day.get(21)!;
    expect([l1.action, l1.symbol, l1.quantity, l2.action, l2.symbol, l2.quantity]).toEqual(['SELL', 'ATEN', 221, 'BUY', 'INGM', 221]);
    expectClose(l1.metrics!.spreadSd, 0.09157108254189641, 1e-9);
    expectClose(l1.metrics!.spreadMean, 5.022, 1e-9);
    // 0.5 + 0.5 (2.05305 - 2) / (3 - 2)
    expectClose(l1.confidence, 0.5265249398683594, 1e-9);
    expect(l2.confidence).toBe(l1.confidence);
    expect(l1.reason).toContain('z 2.05 >= entry 2');
    expect(l1.reason).toContain('short the spread: SELL 221 ATEN, BUY 221 INGM');
  });

  it('exit closes the held legs, SELL leg first, confidence 1', () => {
    const [l1, l2] = day.get(27)!;
    expect([l1.action, l1.symbol, l1.quantity, l2.action, l2.symbol, l2.quantity]).toEqual(['SELL', 'INGM', 221, 'BUY', 'ATEN', 221]);
    expect([l1.confidence, l2.confidence]).toEqual([1, 1]);
    expect(l1.reason).toContain('<= exit 0.5: the spread reverted');
  });

  it('long entry then stop loss: BUY ATEN / SELL INGM, closed at z <= -3', () => {
    // bar 34: 10000 / (24.78 + 20.01) = 223.26 units; pandas confidence 0.5168645954315532
    const entry = day.get(34)!;
    expect(entry.map((s) => [s.action, s.symbol, s.quantity])).toEqual([
      ['SELL', 'INGM', 223],
      ['BUY', 'ATEN', 223],
    ]);
    expectClose(entry[0].confidence, 0.5168645954315532, 1e-9);
    const stop = day.get(37)!;
    expect(stop.map((s) => [s.action, s.symbol, s.quantity, s.confidence])).toEqual([
      ['SELL', 'ATEN', 223, 1],
      ['BUY', 'INGM', 223, 1],
    ]);
    expect(stop[0].reason).toContain('<= -stop 3: stop loss');
  });

  it('riskPerTrade caps the units when the spread is volatile: 0.001 x 10000 / sd = 109.2 units', () => {
    const small = replayDay(config({ riskPerTrade: 0.001 }));
    expect(small.get(21)!.map((s) => s.quantity)).toEqual([109, 109]);
  });

  it('the group id is the same for the same decision on the same bar', () => {
    const bars = { ATEN: barsOf('ATEN', ATEN.slice(0, 22)), INGM: barsOf('INGM', INGM.slice(0, 22)) };
    const a = pairsTrading.signals(inputsOf(config(), bars));
    const b = pairsTrading.signals({ ...inputsOf(config(), bars), at: T0 + 99 * FIVE_MINUTES });
    expect(b.map((s) => s.group)).toEqual(a.map((s) => s.group));
  });

  it('a hedge ratio other than 1: spread ATEN - 0.5 INGM, B sized round(h x units)', () => {
    // pandas on sp = ATEN - 0.5 INGM: z is 0.93 at bar 22 and 2.048737070161233 at bar 23 (entry);
    // units = floor(10000 / (25.47 + 0.5 x 20.12)) = floor(281.45) = 281 (300 / sd 0.1463 = 2050 does not bind); INGM round(140.5) = 141
    const bars = (n: number) => ({ ATEN: barsOf('ATEN', ATEN.slice(0, n)), INGM: barsOf('INGM', INGM.slice(0, n)) });
    expect(pairsTrading.signals(inputsOf(config({ hedgeRatio: 0.5 }), bars(23)))).toEqual([]);
    const r = evaluatePairs(inputsOf(config({ hedgeRatio: 0.5 }), bars(24)));
    expect(r.pairs[0].hedge).toBe(0.5);
    expectClose(r.pairs[0].z, 2.048737070161233, 1e-9);
    expectClose(r.pairs[0].spreadSd, 0.14630964820508163, 1e-9);
    expect(r.signals.map((s) => [s.action, s.symbol, s.quantity])).toEqual([
      ['SELL', 'ATEN', 281],
      ['BUY', 'INGM', 141],
    ]);
  });
});

describe('pairsTrading data problems (fixed mode)', () => {
  const full = { ATEN: barsOf('ATEN', ATEN.slice(0, 22)), INGM: barsOf('INGM', INGM.slice(0, 22)) };

  it('a leg without bars: no signals, and a problem naming the symbol', () => {
    const inputs = inputsOf(config(), { ATEN: full.ATEN });
    expect(pairsTrading.signals(inputs)).toEqual([]);
    expect(pairDataProblems(inputs)).toEqual(['pair ATEN/INGM: INGM has no bars']);
    expect(pairDataProblems(inputsOf(config(), { ATEN: full.ATEN, INGM: [] }))).toEqual(['pair ATEN/INGM: INGM has no bars']);
    expect(pairDataProblems(inputsOf(config(), {}))).toEqual(['pair ATEN/INGM: ATEN and INGM have no bars']);
  });

  it('legs whose latest bars differ: no signals (not trading on a stale leg)', () => {
    const inputs = inputsOf(config(), { ATEN: full.ATEN, INGM: full.INGM.slice(0, -1) });
    expect(pairsTrading.signals(inputs)).toEqual([]);
    expect(pairDataProblems(inputs)).toEqual([
      `pair ATEN/INGM: the latest bars differ (ATEN ${iso(21)}, INGM ${iso(20)}), not trading on a stale leg`,
    ]);
  });

  it('too few aligned bars for the z window', () => {
    const inputs = inputsOf(config(), { ATEN: full.ATEN.slice(0, 12), INGM: full.INGM.slice(0, 12) });
    expect(pairDataProblems(inputs)).toEqual(['pair ATEN/INGM: 12 aligned bars, the 20-bar z-score needs 20']);
  });

  it('bars missing on one leg in the middle are skipped: the window is the last 20 bars both have', () => {
    const gappy = { ATEN: full.ATEN, INGM: full.INGM.filter((_, i) => i !== 10) };
    const r = evaluatePairs(inputsOf(config(), gappy));
    expect(r.problems).toEqual([]);
    // pandas on the spread of bars 0..21 without bar 10: z = 2.013280710422768 (not 2.0530 with it), still an entry
    expectClose(r.pairs[0].z, 2.013280710422768, 1e-9);
    expect(r.signals).toHaveLength(2);
  });

  it('one leg held alone is a broken pair: the leg is flattened (a BUY of the 221 short), and reported', () => {
    const inputs = inputsOf(config(), full, positionsOf(['ATEN', -221]));
    const signals = pairsTrading.signals(inputs);
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({ symbol: 'ATEN', action: 'BUY', quantity: 221, confidence: 1 });
    expect(signals[0]!.group).toBeUndefined();
    expect(pairDataProblems(inputs)).toEqual(['pair ATEN/INGM: only ATEN is held (-221 shares): a broken pair (flattened)']);
  });

  it('both legs on one side is reported and left alone', () => {
    const inputs = inputsOf(config(), full, positionsOf(['ATEN', 100], ['INGM', 50]));
    expect(pairsTrading.signals(inputs)).toEqual([]);
    expect(pairDataProblems(inputs)[0]).toContain('held on the same side');
  });
});

describe('pairDecision', () => {
  const t = DEFAULT_PAIR_THRESHOLDS;
  it('thresholds are inclusive: entry at exactly 2, exit at exactly 0.5, stop at exactly 3', () => {
    expect(pairDecision(0, 2, t)).toBe('enter_short');
    expect(pairDecision(0, -2, t)).toBe('enter_long');
    expect(pairDecision(0, 1.999, t)).toBeNull();
    expect(pairDecision(-1, 0.5, t)).toBe('exit');
    expect(pairDecision(1, -0.5, t)).toBe('exit');
    expect(pairDecision(-1, 3, t)).toBe('stop');
    expect(pairDecision(1, -3, t)).toBe('stop');
    expect(pairDecision(-1, 2.999, t)).toBeNull();
  });
  it('no entry beyond the stop; an overshoot through the mean is an exit, not a stop; NaN does nothing', () => {
    expect(pairDecision(0, 3.2, t)).toBeNull();
    expect(pairDecision(1, 3.5, t)).toBe('exit');
    expect(pairDecision(-1, -3.5, t)).toBe('exit');
    expect(pairDecision(-1, NaN, t)).toBeNull();
  });
  it('stepping it over a z series gives the events of pairs.ts pairPositions', () => {
    const rng = mulberry32(14);
    const z = Array.from({ length: 2000 }, () => (rng() - 0.5) * 8);
    const expected = pairPositions(z, t).events.map((e) => [e.index, e.type]);
    const got: [number, string][] = [];
    let pos: -1 | 0 | 1 = 0;
    z.forEach((v, i) => {
      const e = pairDecision(pos, v, t);
      if (e === null) return;
      got.push([i, e]);
      pos = e === 'enter_long' ? 1 : e === 'enter_short' ? -1 : 0;
    });
    expect(got.length).toBeGreaterThan(100);
    expect(got).toEqual(expected);
  });
});

// Statistical mode on a synthetic book: BBB a random walk, AAA = 10 + 1.5 BBB + AR(0.5) noise (cointegrated), CCC an
// independent walk; mulberry32(14) draws in the order BBB, noise, CCC per bar, 200 bars, AAA's last close moved by `bump`.
// Expected values: statsmodels 0.15.0 coint(trend='c', autolag='aic'), numpy 2.4.6 corrcoef/polyfit, pandas 3.1.1
// rolling(20) z of AAA - beta BBB, all on the last 156 bars (the same arithmetic rebuilds the same doubles):
//   beta, alpha = np.polyfit(x[-156:], y[-156:], 1); resid = y - alpha - beta x
//   halfLife = -ln 2 / np.polyfit(resid[:-1], np.diff(resid), 1)[0]
function syntheticBook(bump: number): Record<string, number[]> {
  const rng = mulberry32(14);
  const n = 200;
  const x = [40];
  const s = [0];
  const c = [60];
  for (let t = 1; t < n; t++) {
    x.push(x[t - 1] + (rng() - 0.5) * 2 * 0.2);
    s.push(0.5 * s[t - 1] + (rng() - 0.5) * 0.2);
    c.push(c[t - 1] + (rng() - 0.5) * 2 * 0.2);
  }
  const y = x.map((v, t) => 10 + 1.5 * v + s[t]);
  y[n - 1] = y[n - 1] + bump;
  return { AAA: y, BBB: x, CCC: c };
}
function bookBars(bump: number) {
  return Object.fromEntries(Object.entries(syntheticBook(bump)).map(([k, v]) => [k, barsOf(k, v)]));
}
const stat = (over: Partial<PairsConfig> = {}) => config({ mode: 'statistical', selectionBars: 156, ...over });

describe('pairsTrading, statistical mode', () => {
  it('selects AAA/BBB (the cointegrated pair) with the reference statistics, and enters long at z -2.26', () => {
    const r = evaluatePairs(inputsOf(stat(), bookBars(-0.05)));
    expect(r.problems).toEqual([]);
    expect(r.pairs.map((p) => `${p.a}/${p.b}`)).toEqual(['AAA/BBB']);
    const p = r.pairs[0];
    expectClose(p.selection!.correlation, 0.9967423912988114, 1e-9);
    expectClose(p.selection!.pValue, 8.278648911673317e-10, 1e-5, 1e-15);
    expectClose(p.hedge, 1.4938982944096435, 1e-9);
    expectClose(p.selection!.alpha, 10.246027912351382, 1e-9);
    expectClose(p.selection!.halfLife, 1.288863194098677, 1e-9);
    expectClose(p.z, -2.255375577877457, 1e-8);
    expectClose(p.spreadSd, 0.0729828316791077, 1e-9);
    expect(p.event).toBe('enter_long');
    // units = floor(10000 / (68.0257 + 1.4939 x 38.7919)) = floor(79.38) = 79; BBB round(1.4939 x 79) = 118
    expect(r.signals.map((s) => [s.action, s.symbol, s.quantity, s.group!.leg])).toEqual([
      ['SELL', 'BBB', 118, 1],
      ['BUY', 'AAA', 79, 2],
    ]);
    expectClose(r.signals[0].confidence, 0.6276877889387285, 1e-8);
    expect(r.signals[0].metrics).toMatchObject({ pValue: expect.any(Number), halfLife: expect.any(Number) });
  });

  it('the correlation, p-value and half-life filters apply (numpy: the CCC pairs correlate -0.28 and -0.27, coint p 0.96)', () => {
    expect(evaluatePairs(inputsOf(stat({ minHalfLife: 1.3 }), bookBars(-0.05))).pairs).toEqual([]);
    expect(evaluatePairs(inputsOf(stat({ maxPValue: 1e-10 }), bookBars(-0.05))).pairs).toEqual([]);
    expect(evaluatePairs(inputsOf(stat({ minCorrelation: 0.999 }), bookBars(-0.05))).pairs).toEqual([]);
    expect(evaluatePairs(inputsOf(stat({ candidates: ['AAA', 'CCC'] }), bookBars(-0.05))).pairs).toEqual([]);
  });

  it('an open pair is managed even when it no longer passes the selection: exit at z 0.40', () => {
    // bump +0.15: pandas z = 0.39511304235864086 >= -0.5 exits the long spread
    const held = positionsOf(['AAA', 79], ['BBB', -118]);
    const r = evaluatePairs(inputsOf(stat({ minCorrelation: 0.999 }), bookBars(0.15), held));
    expect(r.pairs).toHaveLength(1);
    expectClose(r.pairs[0].z, 0.39511304235864086, 1e-8);
    expect(r.signals.map((s) => [s.action, s.symbol, s.quantity, s.confidence])).toEqual([
      ['SELL', 'AAA', 79, 1],
      ['BUY', 'BBB', 118, 1],
    ]);
  });

  it('maxOpenPairs: a held leg that belongs to no pair takes the slot, and is reported', () => {
    const r = evaluatePairs(inputsOf(stat(), bookBars(-0.05), positionsOf(['CCC', 10])));
    expect(r.signals).toEqual([]);
    expect(r.pairs[0].note).toBe('enter_long not taken: 1 pair(s) already open (maxOpenPairs)');
    expect(r.problems).toEqual(['CCC is held (10 shares) but is not a leg of a pair: left alone']);
    expect(evaluatePairs(inputsOf(stat({ maxOpenPairs: 2 }), bookBars(-0.05), positionsOf(['CCC', 10]))).signals).toHaveLength(2);
  });

  it('listed candidates without enough bars are reported', () => {
    const bars = { ...bookBars(-0.05), DDD: barsOf('DDD', [1, 2, 3]) };
    const r = evaluatePairs(inputsOf(stat({ candidates: ['AAA', 'BBB', 'DDD', 'EEE'] }), bars));
    expect(r.problems).toEqual(['DDD has 3 bars, the selection needs 156', 'EEE has no bars']);
    expect(r.pairs.map((p) => `${p.a}/${p.b}`)).toEqual(['AAA/BBB']);
  });
});

describe('pairsTrading.parseConfig', () => {
  it('the defaults are the seed ATEN/INGM pair', () => {
    expect(pairsTrading.parseConfig({})).toEqual({ config: PAIRS_DEFAULTS });
    expect(PAIRS_DEFAULTS).toMatchObject({
      symbolA: 'ATEN',
      symbolB: 'INGM',
      hedgeRatio: 1,
      entry: 2,
      exit: 0.5,
      stop: 3,
      lookback: 20,
      notionalPerTrade: 10_000,
      maxOpenPairs: 1,
      riskPerTrade: 0.03,
    });
    expect(pairsTrading.symbols(PAIRS_DEFAULTS)).toEqual(['ATEN', 'INGM']);
    expect(pairsTrading.warmupBars(PAIRS_DEFAULTS)).toBe(40);
    expect(pairsTrading.warmupBars(config({ mode: 'statistical' }))).toBe(98);
  });
  it('rejects thresholds out of order, naming the setting and both values', () => {
    expect(pairsTrading.parseConfig({ exit: 2 })).toMatchObject({
      problem: { setting: 'exit', message: 'exit 2 must be less than entry 2' },
    });
    expect(pairsTrading.parseConfig({ stop: 1.5 })).toMatchObject({
      problem: { setting: 'stop', message: 'stop 1.5 must be greater than entry 2' },
    });
  });
  it('rejects a pair of one symbol, a bad mode, and bad statistical settings', () => {
    expect(pairsTrading.parseConfig({ symbolB: 'ATEN' })).toMatchObject({ problem: { setting: 'symbolB' } });
    expect(pairsTrading.parseConfig({ mode: 'cointegration' })).toMatchObject({ problem: { setting: 'mode' } });
    expect(pairsTrading.parseConfig({ mode: 'statistical', candidates: ['A'] })).toMatchObject({ problem: { setting: 'candidates' } });
    expect(pairsTrading.parseConfig({ mode: 'statistical', minHalfLife: 50 })).toMatchObject({ problem: { setting: 'maxHalfLife' } });
    expect(pairsTrading.parseConfig({ mode: 'statistical', selectionBars: 30, lookback: 40 })).toMatchObject({
      problem: { setting: 'selectionBars' },
    });
    expect(pairsTrading.parseConfig({ hedgeRatio: -1 })).toMatchObject({ problem: { setting: 'hedgeRatio' } });
    expect(pairsTrading.parseConfig({ riskPerTrade: 0 })).toMatchObject({ problem: { setting: 'riskPerTrade' } });
  });
});
