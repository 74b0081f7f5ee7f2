/**
 * Rules of a fan-out run: contract selection and bad requests, the object the
 * config hash covers (one source of truth with the kernel), the split into
 * succeeded and failed contracts, the failed share and the contract summary.
 * Expected values are worked by hand from the formulas in the doc comments.
 */
import { describe, expect, it } from 'vitest';
import { stableHash } from '../config/load';
import { ANALYSIS_PARAMETERS, analysisParameters, analyzeSymbolBars } from './symbol-analysis';
import {
  InvalidRunRequestError,
  contractsToAnalyze,
  reconcileRun,
  failedShare,
  fanoutRunConfig,
  selectRunContracts,
  succeededResults,
  summarizeContract,
  type RunRequest,
} from './fanout-run';
import { isNonRetryable } from './errors';

const f64 = (a: number[]) => Float64Array.from(a);
const REQUEST: RunRequest = { dataset: 'syn', numContracts: 2, outputPrefix: 'fanout', failContracts: [] };

describe('selectRunContracts', () => {
  it('takes the first numContracts in manifest order', () => {
    expect(selectRunContracts(['AAPL', 'MSFT', 'IBM'], REQUEST)).toEqual(['AAPL', 'MSFT']);
  });
  it.each([
    [0, 'numContracts must be a positive integer, got 0'],
    [1.5, 'numContracts must be a positive integer, got 1.5'],
    [4, 'numContracts 4 exceeds the 3 contracts in dataset "syn"'],
  ])('rejects numContracts %s, non-retryably, naming the field', (numContracts, message) => {
    const call = () => selectRunContracts(['AAPL', 'MSFT', 'IBM'], { ...REQUEST, numContracts });
    expect(call).toThrow(InvalidRunRequestError);
    expect(call).toThrow(message);
    try {
      call();
    } catch (err) {
      expect(isNonRetryable(err)).toBe(true);
      expect((err as InvalidRunRequestError).type).toBe('InvalidInput');
    }
  });
  it('rejects a drill contract outside the run', () => {
    expect(() => selectRunContracts(['AAPL', 'MSFT', 'IBM'], { ...REQUEST, failContracts: ['MSFT', 'IBM'] })).toThrow(
      'failContracts IBM are not among the 2 contracts of this run',
    );
  });
});

describe('fanoutRunConfig: one source of truth for the analysis parameters', () => {
  // A VIX of 15 makes the default buy threshold 0.5 * 15 / 15 = 0.5 %. Bar 1 moves +0.4 %:
  // a hold under the default, a buy once the threshold factor is 0.25 (threshold 0.25 %).
  const bars = { price: f64([100, 100.4, 100.4]), spx: f64([4000, 4004, 4004]), vix: f64([15, 15, 15]) };

  it('hashes the very object the kernel reads by default', () => {
    expect(fanoutRunConfig(REQUEST).analysis).toBe(ANALYSIS_PARAMETERS);
    expect(analyzeSymbolBars(bars)).toEqual(analyzeSymbolBars(bars, ANALYSIS_PARAMETERS));
  });

  it('a changed parameter changes both the config hash and the results', () => {
    const changed = { ...ANALYSIS_PARAMETERS, thresholdFactor: 0.25 };
    expect(stableHash(fanoutRunConfig(REQUEST, changed))).not.toBe(stableHash(fanoutRunConfig(REQUEST)));
    const before = analyzeSymbolBars(bars);
    const after = analyzeSymbolBars(bars, changed);
    expect(before.buyThreshold[1]).toBeCloseTo(0.5, 15);
    expect(after.buyThreshold[1]).toBeCloseTo(0.25, 15);
    expect(before.signal[1]).toBe(0);
    expect(after.signal[1]).toBe(1);
    expect([before.summary.totalTrades, after.summary.totalTrades]).toEqual([0, 1]);
  });

  it('beta clip and VIX scale are read too', () => {
    // Bar 1: +0.4 % against SPX +0.1 % -> ratio 4, clipped to 3 by default and to 2 with betaClip 2.
    const b = { price: f64([100, 100.4]), spx: f64([4000, 4004]), vix: f64([15, 15]) };
    expect(analyzeSymbolBars(b).beta[1]).toBe(3);
    expect(analyzeSymbolBars(b, { ...ANALYSIS_PARAMETERS, betaClip: 2 }).beta[1]).toBe(2);
    // vixScale 30: threshold 0.5 * 15 / 30 = 0.25 %.
    expect(analyzeSymbolBars(b, { ...ANALYSIS_PARAMETERS, vixScale: 30 }).buyThreshold[1]).toBeCloseTo(0.25, 15);
    for (const changed of [{ betaClip: 2 }, { vixScale: 30 }, { kernel: 'analyzeSymbolBars/2' }]) {
      expect(stableHash(fanoutRunConfig(REQUEST, { ...ANALYSIS_PARAMETERS, ...changed }))).not.toBe(stableHash(fanoutRunConfig(REQUEST)));
    }
  });

  it('the drill order does not change the hash; the request does', () => {
    const a = stableHash(fanoutRunConfig({ ...REQUEST, failContracts: ['B', 'A'] }));
    expect(stableHash(fanoutRunConfig({ ...REQUEST, failContracts: ['A', 'B'] }))).toBe(a);
    expect(stableHash(fanoutRunConfig({ ...REQUEST, outputPrefix: 'other' }))).not.toBe(stableHash(fanoutRunConfig(REQUEST)));
  });

  it('fixed thresholds (seed 001, ±0.5 %) ignore the VIX; VIX-scaled ones (seed 000) follow it; each has its own hash', () => {
    // Bar 1: +0.6 % at VIX 30. VIX-scaled: 0.5 * 30 / 15 = 1.0 % -> hold. Fixed: 0.5 % -> buy.
    // Bar 2: -0.3 % at VIX 6. VIX-scaled: 0.5 * 6 / 15 = 0.2 % -> sell. Fixed: 0.5 % -> hold.
    const b = { price: f64([100, 100.6, 100.2982]), spx: f64([4000, 4004, 4000]), vix: f64([15, 30, 6]) };
    const vix = analyzeSymbolBars(b, analysisParameters('vix'));
    const fixed = analyzeSymbolBars(b, analysisParameters('fixed'));
    expect(analysisParameters('vix')).toBe(ANALYSIS_PARAMETERS);
    expect(Array.from(vix.buyThreshold)).toEqual([0.5, 1, 0.2]);
    expect(Array.from(fixed.buyThreshold)).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(vix.signal)).toEqual([0, 0, -1]);
    expect(Array.from(fixed.signal)).toEqual([0, 1, 0]);
    expect(stableHash(fanoutRunConfig(REQUEST, analysisParameters('fixed')))).not.toBe(stableHash(fanoutRunConfig(REQUEST)));
    expect(Object.isFrozen(analysisParameters('fixed'))).toBe(true);
  });

  it('pins the parameters every recorded config hash was taken over', () => {
    expect(ANALYSIS_PARAMETERS).toEqual({ kernel: 'analyzeSymbolBars/1', thresholdFactor: 0.5, vixScale: 15, betaClip: 3 });
    expect(Object.isFrozen(ANALYSIS_PARAMETERS)).toBe(true);
  });
});

describe('succeededResults and failedShare', () => {
  it('drops rows of contracts that failed in the end', () => {
    const rows = [{ contract: 'A' }, { contract: 'B' }, { contract: 'C' }];
    expect(succeededResults(rows, [{ contract: 'B' }])).toEqual([{ contract: 'A' }, { contract: 'C' }]);
    expect(succeededResults(rows, [])).toEqual(rows);
  });
  it('failed share is failed / requested, 0 for an empty run', () => {
    expect(failedShare(1, 8)).toBe(0.125);
    expect(failedShare(0, 10)).toBe(0);
    expect(failedShare(3, 3)).toBe(1);
    expect(failedShare(0, 0)).toBe(0);
  });
});

describe('summarizeContract', () => {
  it('counts, averages (NaN -> null) and P&L of one analysis', () => {
    // Changes: bar 1 +1 % (buy, threshold 0.5 %), bar 2 -1 % (sell): the buy is bad, the last
    // bar's sell is a trade without a verdict. SPX is flat, so beta is +3 then -3 (x/0 clipped): mean 0.
    // P&L sums signal_t * change_{t+1}: only the buy earns bar 2's -1 %.
    const a = analyzeSymbolBars({ price: f64([100, 101, 99.99]), spx: f64([1, 1, 1]), vix: f64([15, 15, 15]) });
    const s = summarizeContract('AAPL', a);
    expect(s).toMatchObject({
      contract: 'AAPL',
      bars: 3,
      totalTrades: 2,
      goodTrades: 0,
      badTrades: 1,
      successRate: 0,
      avgBeta: 0,
      avgVix: 15,
    });
    expect(s.pnlPct).toBeCloseTo((99.99 / 101 - 1) * 100, 12);
    const one = summarizeContract('X', analyzeSymbolBars({ price: f64([5]), spx: f64([5]), vix: f64([20]) }));
    expect(one.avgBeta).toBeNull();
    expect(one.avgVix).toBe(20);
  });
});

describe('contractsToAnalyze (--retry-failed)', () => {
  it('keeps the run order and refuses a contract of another run by name', () => {
    expect(contractsToAnalyze(['AAPL', 'MSFT', 'IBM'], ['IBM', 'AAPL'])).toEqual(['AAPL', 'IBM']);
    expect(contractsToAnalyze(['AAPL', 'MSFT'])).toEqual(['AAPL', 'MSFT']);
    expect(() => contractsToAnalyze(['AAPL'], ['NOPE'])).toThrowError(/onlyContracts NOPE are not among the 1 contracts/);
  });
});

describe('reconcileRun', () => {
  const key = (c: string) => `fanout/r/results/${c}_analysis.parquet`;
  const row = (c: string) => ({ contract: c, resultKey: key(c) });
  it('counts a contract only when its row and its file both exist', () => {
    const out = reconcileRun(
      ['A', 'B', 'C', 'D', 'E'],
      [row('A'), row('B'), row('E')],
      new Set([key('A'), key('C'), key('E')]),
      [{ contract: 'E', error: 'boom' }],
      key,
    );
    expect(out.succeeded.map((r) => r.contract)).toEqual(['A']);
    expect(out.failures).toEqual([
      { contract: 'B', error: `summary row without its result file ${key('B')}` },
      { contract: 'C', error: 'result file without its summary row' },
      { contract: 'D', error: 'no result' },
      { contract: 'E', error: 'boom' },
    ]);
    expect(out.orphanFiles).toEqual([key('C')]);
  });
  it('an empty run has nothing to count', () => {
    expect(reconcileRun([], [], new Set(), [], key)).toEqual({ succeeded: [], failures: [], orphanFiles: [] });
  });
});
