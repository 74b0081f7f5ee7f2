/**
 * The screen report from two hand-built rows: each expected line is written
 * out from the rows' numbers, not produced by the renderer.
 */
import { describe, expect, it } from 'vitest';
import type { ScreenedSymbol } from '../domain/screen-day';
import { renderScreenReport } from './screen-report';

const row = (symbol: string, rank: number, quintile: number, composite: number, label: string, m252: number | null): ScreenedSymbol => ({
  symbol,
  sector: rank === 1 ? 'Technology' : null,
  momentumScore: null,
  lowVolScore: null,
  rsiScore: null,
  sharpeScore: null,
  composite,
  compositeZ: null,
  rank,
  quintile,
  cluster: 0,
  clusterLabel: label,
  metrics: { momentum_252: m252, volatility: 0.2, rsi: 55.55, sharpe: 1.234 },
  bars: 300,
  lastDate: '2024-06-28',
  lastClose: 100,
});

describe('renderScreenReport', () => {
  const md = renderScreenReport({
    date: '2024-06-28',
    rows: [row('AAPL', 1, 1, 0.5, 'HiMom-LoVol', 0.1), row('XOM', 2, 3, -0.25, 'HiMom-LoVol', null)],
    k: 1,
    inertias: [12.34, 5],
    weights: { momentum: 0.3, lowVolatility: 0.25, rsi: 0.2, sharpe: 0.25 },
    skipped: [{ symbol: 'NEW', bars: 12 }],
    parquetKey: 'screening/x.parquet',
  });
  const lines = md.split('\n');
  it('heads with the counts, the skipped symbols, the weights and the file', () => {
    expect(lines[0]).toBe('# Screen 2024-06-28');
    expect(lines[2]).toBe('2 symbols screened, 1 skipped for short history (NEW: 12 bars).');
    expect(lines[3]).toBe('Weights: momentum 0.3, low volatility 0.25, RSI 0.2, Sharpe 0.25. Window 252 bars.');
    expect(lines[4]).toBe('Results: `screening/x.parquet`.');
  });
  it('quintile means, the cluster table with the inertia curve, the symbol rows', () => {
    expect(md).toContain('| Q1 | 1 | 0.500 |');
    expect(md).toContain('| Q2 | 0 | n/a |');
    expect(md).toContain('## Clusters (K = 1 by the elbow; inertia k=1..2: 12.3, 5.0)');
    expect(md).toContain('| HiMom-LoVol | 2 | 10.0 % | 20.0 % | AAPL XOM |');
    expect(md).toContain('| 1 | AAPL | Technology | 0.500 | Q1 | HiMom-LoVol | 10.0 % | 20.0 % | 55.5 | 1.23 | 300 |');
    expect(md).toContain('| 2 | XOM | - | -0.250 | Q3 | HiMom-LoVol | n/a | 20.0 % | 55.5 | 1.23 | 300 |');
  });
});
