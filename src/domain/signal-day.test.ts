/**
 * The signal run's step shaping, with expected values written out by hand
 * from the formulas in scoring.ts (fundamental: 0.30 P/E + 0.15 yield +
 * 0.25 ROE + 0.15 D/E + 0.15 current ratio; combined: weighted mean).
 */
import { describe, expect, it } from 'vitest';
import { expectClose } from './__fixtures__/expect-close';
import {
  combineSignalDay,
  fundamentalRecords,
  recommendationCounts,
  sectorMedianPe,
  sectorPeerPes,
  sentimentRecords,
  signalCandidates,
  technicalRecords,
  type ReportedFundamentals,
} from './signal-day';

const cand = (symbol: string, sector: string | null, quintile = 1, rank = 1) => ({ symbol, sector, quintile, rank });
const fund = (symbol: string, sector: string | null, peRatio: number | null): ReportedFundamentals => ({
  symbol,
  sector,
  peRatio,
  dividendYield: null,
  roe: null,
  debtToEquity: null,
  currentRatio: null,
});

describe('signalCandidates', () => {
  it('quintiles 1-2 are candidates; every screened symbol is a peer', () => {
    const r = signalCandidates([cand('A', 'Tech', 1, 1), cand('B', 'Tech', 3, 5), cand('C', null, 2, 3)]);
    expect(r.candidates.map((c) => c.symbol)).toEqual(['A', 'C']);
    expect(r.universe).toEqual([
      { symbol: 'A', sector: 'Tech' },
      { symbol: 'B', sector: 'Tech' },
      { symbol: 'C', sector: null },
    ]);
  });
});

describe('peer P/E', () => {
  it('groups finite positive P/Es by sector; the median is the middle (mean of the two middles)', () => {
    const fetched = [
      fund('A', 'Tech', 10),
      fund('B', 'Tech', 30),
      fund('C', 'Tech', -5),
      fund('D', 'Tech', 20),
      fund('E', null, 12),
      fund('F', 'Tech', 25),
    ];
    const peers = sectorPeerPes(
      fetched.map((f) => ({ symbol: f.symbol, f })),
      (s) => fetched.find((f) => f.symbol === s)!.sector,
    );
    expect(peers).toEqual(new Map([['Tech', [10, 30, 20, 25]]]));
    expect(sectorMedianPe(peers.get('Tech')!)).toBe(22.5);
    expect(sectorMedianPe([7, 3, 5])).toBe(5);
    expect(sectorMedianPe([])).toBeNull();
  });
});

describe('fundamentalRecords', () => {
  it('scores P/E against the sector peers (provider sector first, else the screen), keeps fetch errors', () => {
    const universe = [
      { symbol: 'A', sector: 'Tech' },
      { symbol: 'B', sector: 'Tech' },
      { symbol: 'C', sector: 'Tech' },
      { symbol: 'D', sector: 'Energy' },
    ];
    const fetched = [
      fund('A', null, 10),
      fund('B', 'Tech', 20),
      fund('C', 'Tech', 30),
      { symbol: 'D', f: null, error: 'ProviderError: down' },
    ];
    const asFetch = fetched.map((x) => ('f' in x ? x : { symbol: x.symbol, f: x }));
    const [a, d] = fundamentalRecords([cand('A', 'Tech'), cand('D', 'Energy')], universe, asFetch);
    // Peers 10, 20, 30: median 20, sd 10 -> z(A) = -1 -> P/E part 75; the four missing parts are 50.
    expect(a.sector).toBe('Tech');
    expect(a.sectorMedianPe).toBe(20);
    expect(a.parts.pe).toBe(75);
    expectClose(a.score, 0.3 * 75 + 0.7 * 50);
    expect(a.error).toBeUndefined();
    expect(d).toMatchObject({
      symbol: 'D',
      sector: 'Energy',
      score: 50,
      fundamentals: null,
      sectorMedianPe: null,
      error: 'ProviderError: down',
    });
  });
});

describe('technicalRecords', () => {
  it('one record per symbol; no rows -> no bars, no close', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ symbol: 'A', adjClose: 100 + i, close: 101 + i }));
    const [a, b] = technicalRecords(['A', 'B'], rows);
    expect(a).toMatchObject({ symbol: 'A', bars: 30, close: 130 });
    expect(b).toMatchObject({ symbol: 'B', bars: 0, close: null });
    expect(b.score).toBe(technicalRecords(['B'], [])[0].score);
  });
});

describe('sentimentRecords', () => {
  it('hands the predictions back symbol by symbol; no news is 50 without sentiment', () => {
    const asOf = Date.parse('2024-06-29T00:00:00Z');
    const news = [
      { symbol: 'A', items: [{ publishedAt: '2024-06-28T12:00:00Z', headline: 'up' }] },
      { symbol: 'B', items: [], error: 'timeout' },
      { symbol: 'C', items: [{ publishedAt: '2024-06-28T12:00:00Z', headline: 'down' }] },
    ];
    const [a, b, c] = sentimentRecords(
      news,
      [
        { label: 'positive', score: 1 },
        { label: 'negative', score: -1 },
      ],
      asOf,
    );
    expect(a).toMatchObject({ hasSentiment: true, newsCount: 1, headlines: [{ headline: 'up', label: 'positive', score: 1 }] });
    expect(a.score).toBeCloseTo(100, 10); // one item: 50 (1 + s/|w|) with s = w
    expect(b).toEqual({ symbol: 'B', score: 50, hasSentiment: false, newsCount: 0, headlines: [], error: 'timeout' });
    expect(c.score).toBeCloseTo(0, 10);
  });
});

describe('combineSignalDay', () => {
  const t = (symbol: string, score: number) => ({
    symbol,
    score,
    sma: 0,
    macd: 0,
    bollinger: 0,
    smaCross: 'none',
    macdSignal: 'none',
    bollingerSignal: 'none',
    bars: 1,
    close: 9,
  });
  it('weighted mean per candidate, a missing branch as 50, sorted best first, counted per class', () => {
    const { rows, distribution } = combineSignalDay(
      [cand('A', 'Tech', 1, 2), cand('B', null, 2, 7)],
      { technical: [t('A', 90), t('B', 10)], fundamental: [], sentiment: [] },
      { technical: 0.5, fundamental: 0.5, sentiment: 0 },
    );
    // A: 0.5 * 90 + 0.5 * 50 = 70 (buy); B: 0.5 * 10 + 0.5 * 50 = 30 (sell)
    expect(rows.map((r) => [r.symbol, r.combinedScore, r.signal, r.close])).toEqual([
      ['A', 70, 'buy', 9],
      ['B', 30, 'sell', 9],
    ]);
    expect(rows[0]).toMatchObject({ sector: 'Tech', quintile: 1, rank: 2, fundamentalScore: 50, hasSentiment: false, newsCount: 0 });
    expect(rows[0].details).toMatchObject({ quintile: 1, screen_rank: 2, fundamental: null, sentiment: null, technical: { bars: 1 } });
    expect(distribution).toEqual({ strong_buy: 0, buy: 1, hold: 0, sell: 1, strong_sell: 0 });
  });
  it('ties go by symbol', () => {
    const { rows } = combineSignalDay(
      [cand('B', null), cand('A', null)],
      { technical: [], fundamental: [], sentiment: [] },
      { technical: 1, fundamental: 0, sentiment: 0 },
    );
    expect(rows.map((r) => r.symbol)).toEqual(['A', 'B']);
    expect(recommendationCounts(rows).hold).toBe(2);
  });
});
