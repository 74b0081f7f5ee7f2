/**
 * The signal report from hand-built rows: each expected line is written out
 * from the rows' numbers, not produced by the renderer.
 */
import { describe, expect, it } from 'vitest';
import type { Recommendation } from '../domain/scoring';
import type { CombinedSignal } from '../domain/signal-day';
import { renderSignalReport } from './signal-report';

const row = (symbol: string, combinedScore: number, signal: Recommendation, news: number): CombinedSignal => ({
  symbol,
  sector: 'Energy',
  quintile: 2,
  rank: 9,
  technicalScore: 61.25,
  fundamentalScore: 40,
  sentimentScore: news ? 70 : 50,
  hasSentiment: news > 0,
  newsCount: news,
  combinedScore,
  signal,
  close: 10,
  details: {},
});

describe('renderSignalReport', () => {
  const rows = [row('AAA', 80, 'strong_buy', 2), row('BBB', 30, 'sell', 0), row('CCC', 20, 'strong_sell', 0)];
  const md = renderSignalReport({
    date: '2024-06-28',
    rows,
    weights: { technical: 3 / 7, fundamental: 4 / 7, sentiment: 0 },
    distribution: { strong_buy: 1, buy: 0, hold: 0, sell: 1, strong_sell: 1 },
    parquetKey: 'signals/x.parquet',
  });
  it('heads with the weights (sentiment off), news coverage and the file', () => {
    const lines = md.split('\n');
    expect(lines[0]).toBe('# Signals 2024-06-28');
    expect(lines[2]).toBe(
      '3 candidates (screen quintiles 1-2). Weights: technical 0.43, fundamental 0.57, sentiment 0.00 (sentiment off: technical + fundamental renormalised).',
    );
    expect(lines[3]).toBe('1 of 3 have news in the last 7 days. Results: `signals/x.parquet`.');
  });
  it('distribution in class order; top buys; top sells worst first', () => {
    expect(md).toContain(
      '| signal | count |\n| --- | --- |\n| strong buy | 1 |\n| buy | 0 |\n| hold | 0 |\n| sell | 1 |\n| strong sell | 1 |',
    );
    expect(md).toContain(
      '## Top buys\n\n| symbol | sector | quintile | technical | fundamental | sentiment | combined | signal |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n| AAA | Energy | Q2 | 61.3 | 40.0 | 70.0 (2 news) | 80.0 | strong buy |\n',
    );
    const sells = md.slice(md.indexOf('## Top sells'), md.indexOf('## All candidates'));
    expect(sells.indexOf('| CCC |')).toBeLessThan(sells.indexOf('| BBB |'));
    expect(sells).toContain('| BBB | Energy | Q2 | 61.3 | 40.0 | n/a (no news, 50) | 30.0 | sell |');
  });
  it('no buys -> _none_', () => {
    expect(
      renderSignalReport({
        date: 'd',
        rows: [],
        weights: { technical: 0.3, fundamental: 0.4, sentiment: 0.3 },
        distribution: { strong_buy: 0, buy: 0, hold: 0, sell: 0, strong_sell: 0 },
        parquetKey: 'k',
      }),
    ).toContain('## Top buys\n\n_none_');
  });
});
