import { describe, expect, it } from 'vitest';
import { DomainInputError, InvalidInputError } from './errors';
import { expectClose } from './__fixtures__/expect-close';
import { classifyScore, combinedScore, fundamentalScore, normaliseWeights, sentimentScore, technicalScore } from './scoring';

const DAY = 86_400_000;

describe('technicalScore', () => {
  it('weights SMA 40, MACD 35, Bollinger 25', () => {
    expect(technicalScore({ smaCross: 'golden_cross', macd: 'bullish', bollinger: 'oversold' }).score).toBe(100);
    expect(technicalScore({ smaCross: 'death_cross', macd: 'bearish', bollinger: 'overbought' }).score).toBe(0);
    expect(technicalScore({ smaCross: 'neutral', macd: 'neutral', bollinger: 'neutral' }).score).toBe(50);
    // 0.40 x 100 + 0.35 x 100 + 0.25 x 50 = 87.5
    expect(technicalScore({ smaCross: 'golden_cross', macd: 'bullish', bollinger: 'neutral' }).score).toBeCloseTo(87.5, 12);
    // 0.40 x 0 + 0.35 x 100 + 0.25 x 0 = 35
    expect(technicalScore({ smaCross: 'death_cross', macd: 'bullish', bollinger: 'overbought' }).score).toBeCloseTo(35, 12);
  });
});

describe('fundamentalScore', () => {
  it('hand-worked: P/E one deviation below the sector median, ROE 25 %, rest missing', () => {
    // peers [15, 20, 25]: median 20, sample sd 5; z = (15 - 20) / 5 = -1 -> 50 + 25 = 75
    // total = 0.30 x 75 + 0.15 x 50 + 0.25 x 100 + 0.15 x 50 + 0.15 x 50 = 70
    const f = fundamentalScore({ pe: 15, sectorPe: [15, 20, 25], roe: 0.25 });
    expect(f.pe).toBeCloseTo(75, 12);
    expect(f.roe).toBe(100);
    expect(f.score).toBeCloseTo(70, 12);
  });
  it('each part scores in the documented direction', () => {
    const f = fundamentalScore({
      pe: 30,
      sectorPe: [10, 20, 30, 40],
      dividendYield: 0.03,
      roe: 0.1,
      debtToEquity: 0.5,
      currentRatio: 2.25,
    });
    // median 25, sd 12.9099; z = 0.3873 -> 50 - 9.68 = 40.32
    expectClose(f.pe, 50 - 25 * ((30 - 25) / Math.sqrt(500 / 3)));
    expect(f.dividendYield).toBeCloseTo(50, 12);
    expect(f.roe).toBeCloseTo(40, 12);
    expect(f.debtToEquity).toBeCloseTo(75, 12);
    expect(f.currentRatio).toBeCloseTo(50, 12);
  });
  it('edge cases: nothing known is neutral 50; losses score 0 on P/E; negative equity scores 0; clipping', () => {
    expect(fundamentalScore({}).score).toBe(50);
    expect(fundamentalScore({ pe: NaN, roe: null, dividendYield: undefined }).score).toBe(50);
    expect(fundamentalScore({ pe: -5, sectorPe: [10, 20] }).pe).toBe(0);
    expect(fundamentalScore({ pe: 12, sectorPe: [20] }).pe).toBe(50); // one peer: no dispersion
    expect(fundamentalScore({ pe: 12, sectorPe: [20, 20, 20] }).pe).toBe(50);
    expect(fundamentalScore({ debtToEquity: -1 }).debtToEquity).toBe(0);
    expect(fundamentalScore({ dividendYield: 0.5, roe: -0.3, currentRatio: 10 })).toMatchObject({
      dividendYield: 100,
      roe: 0,
      currentRatio: 0,
    });
  });
});

describe('sentimentScore', () => {
  const now = Date.UTC(2026, 1, 7);
  it('no items -> 50 flagged no sentiment', () => {
    expect(sentimentScore([], now)).toEqual({ score: 50, items: 0, noSentiment: true });
  });
  it('3-day half-life: an item 3 days old weighs half a fresh one', () => {
    // weights 1 (fresh, +1) and 0.5 (3 days, -1): mean = (1 - 0.5) / 1.5 = 1/3 -> 50 (1 + 1/3) = 66.67
    const s = sentimentScore(
      [
        { publishedAt: now, sentiment: 1 },
        { publishedAt: now - 3 * DAY, sentiment: -1 },
      ],
      now,
    );
    expectClose(s.score, 200 / 3);
    expect(s.items).toBe(2);
  });
  it('ignores items older than 7 days, from the future, or NaN; clips to [-1, 1]', () => {
    const s = sentimentScore(
      [
        { publishedAt: now - 8 * DAY, sentiment: -1 },
        { publishedAt: now + DAY, sentiment: -1 },
        { publishedAt: now - DAY, sentiment: NaN },
        { publishedAt: now - 7 * DAY, sentiment: 5 },
      ],
      now,
    );
    expect(s).toEqual({ score: 100, items: 1, noSentiment: false });
    expect(sentimentScore([{ publishedAt: now - 8 * DAY, sentiment: 1 }], now).noSentiment).toBe(true);
  });
});

describe('combinedScore and classifyScore', () => {
  it('30/40/30 by default, configurable, NaN branch neutral', () => {
    expectClose(combinedScore({ technical: 80, fundamental: 70, sentiment: 50 }), 0.3 * 80 + 0.4 * 70 + 0.3 * 50);
    expectClose(combinedScore({ technical: 80, fundamental: 70, sentiment: 50 }, { technical: 1, fundamental: 0, sentiment: 0 }), 80);
    expectClose(combinedScore({ technical: NaN, fundamental: 100, sentiment: 100 }), 0.3 * 50 + 70);
    expect(() => combinedScore({ technical: 1, fundamental: 1, sentiment: 1 }, { technical: -1 })).toThrow(DomainInputError);
  });
  it('bands: >= 75 strong buy, 60-74 buy, 40-59 hold, 25-39 sell, < 25 strong sell', () => {
    const cases: [number, string][] = [
      [100, 'strong_buy'],
      [75, 'strong_buy'],
      [74.99, 'buy'],
      [60, 'buy'],
      [59.99, 'hold'],
      [40, 'hold'],
      [39.99, 'sell'],
      [25, 'sell'],
      [24.99, 'strong_sell'],
      [0, 'strong_sell'],
      [NaN, 'hold'],
    ];
    for (const [s, c] of cases) expect(classifyScore(s), String(s)).toBe(c);
  });
});

describe('normaliseWeights', () => {
  it('scales the weights to sum 1; sentiment 0 renormalises technical + fundamental', () => {
    expect(normaliseWeights({ technical: 3, fundamental: 4, sentiment: 3 })).toEqual({ technical: 0.3, fundamental: 0.4, sentiment: 0.3 });
    const w = normaliseWeights({ technical: 0.3, fundamental: 0.4, sentiment: 0 });
    expectClose(w.technical, 3 / 7);
    expectClose(w.fundamental, 4 / 7);
    expect(w.sentiment).toBe(0);
  });
  it('a sum that is not positive is bad input (InvalidInput, not retryable)', () => {
    expect(() => normaliseWeights({ technical: 0, fundamental: 0, sentiment: 0 })).toThrow(InvalidInputError);
    expect(() => normaliseWeights({ technical: NaN, fundamental: 1, sentiment: 0 })).toThrow(
      'signal weights sum to NaN; at least one must be positive',
    );
  });
});
