/**
 * monitorSummary: P&L arithmetic, and every alert exactly at its threshold
 * (strictly above fires, equal or below does not).
 */
import { describe, expect, it } from 'vitest';
import {
  benchmarkStart,
  DEFAULT_MONITOR_THRESHOLDS,
  firstHoldingsBenchmark,
  monitorSummary,
  periodStarts,
  type MonitorInput,
} from './monitoring';

const base = (over: Partial<MonitorInput> = {}): MonitorInput => ({
  latest: {
    date: '2025-03-14',
    cash: 1000,
    totalValue: 10_000,
    positions: [
      { symbol: 'A', shares: 10, avgCost: 50, price: 60, sector: 'Tech' }, // 600 = 6 %
      { symbol: 'B', shares: 20, avgCost: 100, price: 95, sector: 'Health' }, // 1900, about -5 %
      { symbol: 'C', shares: 65, avgCost: 100, price: 100, sector: 'Tech' }, // 6500
    ],
  },
  previous: { date: '2025-03-13', cash: 1000, totalValue: 9_900, positions: [{ symbol: 'A', shares: 10, avgCost: 50, price: 58 }] },
  window: [10_000, 10_000, 10_000],
  mtdBase: 9_500,
  ytdBase: 8_000,
  riskFreeRate: 0.05,
  thresholds: { ...DEFAULT_MONITOR_THRESHOLDS, maxPositionWeight: 0.9 },
  ...over,
});

describe('monitorSummary', () => {
  it('P&L: daily from the last two snapshots, MTD, YTD, unrealised per position', () => {
    const s = monitorSummary(base());
    expect(s.dailyPnl).toBe(100);
    expect(s.dailyReturn).toBeCloseTo(100 / 9_900, 12);
    expect(s.mtdPnl).toBe(500);
    expect(s.ytdReturn).toBeCloseTo(0.25, 12);
    expect(s.unrealizedPnl).toBe(100 - 100);
    const a = s.positions.find((p) => p.symbol === 'A')!;
    expect(a).toMatchObject({ marketValue: 600, unrealizedPnl: 100, dayPnl: 20 });
    expect(a.weight).toBeCloseTo(0.06, 12);
    expect(s.positions.find((p) => p.symbol === 'B')!.dayPnl).toBeNaN();
    expect(s.sectors.map((x) => [x.sector, x.value])).toEqual([
      ['Tech', 7100],
      ['Health', 1900],
    ]);
    expect(s.alerts).toEqual([]);
  });

  it('no previous snapshot: daily P&L is NaN, ratios of a short window are NaN, nothing alerts', () => {
    const s = monitorSummary(base({ previous: null, window: [10_000] }));
    expect(s.dailyPnl).toBeNaN();
    expect(s.risk.sharpe).toBeNaN();
    expect(s.risk.var95).toBeNaN();
    expect(s.alerts).toEqual([]);
  });

  it('each alert fires strictly above its threshold', () => {
    const kinds = (i: MonitorInput) => monitorSummary(i).alerts.map((a) => `${a.kind}${a.symbol ? `:${a.symbol}` : ''}`);
    // C weighs 6500 / 10000 = 0.65 -> use thresholds around the actual values
    // exactly at the thresholds (the same float expressions the summary computes): nothing fires
    // 21 totals = 20 returns (MIN_PERIODS_FOR_RATIOS): one -10 % day, then 19 flat days
    const window = [100, ...Array<number>(20).fill(90)];
    const probe = monitorSummary(base({ window }));
    const th = {
      maxDrawdown: probe.risk.maxDrawdown,
      maxPositionWeight: 6500 / 10_000,
      maxVar95: -probe.risk.var95,
      maxUnrealizedLoss: -(95 / 100 - 1),
    };
    const at = base({ thresholds: th, window });
    expect(probe.risk.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(kinds(at)).toEqual([]);
    const down = (x: number) => x * (1 - 1e-9);
    const above = base({
      thresholds: {
        maxDrawdown: down(th.maxDrawdown),
        maxPositionWeight: down(th.maxPositionWeight),
        maxVar95: down(th.maxVar95),
        maxUnrealizedLoss: down(th.maxUnrealizedLoss),
      },
      window,
    });
    expect(kinds(above)).toEqual(['drawdown', 'position_weight:C', 'var95', 'unrealized_loss:B']);
    // VaR 95 of [-0.1, 0 x 19], numpy's linear percentile: h = (20 - 1) x 0.05 = 0.95,
    // so -0.1 + 0.95 x (0 - (-0.1)) = -0.005: a 0.5 % loss
    expect(monitorSummary(above).risk.var95).toBeCloseTo(-0.005, 12);
    expect(monitorSummary(above).risk.var95Unavailable).toBeNull();
  });
});

describe('what the monitor withholds', () => {
  it('below 20 returns: Sharpe, Sortino and VaR are NaN with the reason, and a big VaR does not alert', () => {
    // two returns, one of them -50 %: "VaR" would be -0.475 and alert against 3 %; it is not defined yet
    const s = monitorSummary(base({ window: [100, 50, 50] }));
    expect(s.risk.sharpe).toBeNaN();
    expect(s.risk.sortino).toBeNaN();
    expect(s.risk.ratiosUnavailable).toBe('2 periods; needs at least 20');
    expect(s.risk.var95).toBeNaN();
    expect(s.risk.var95Value).toBeNaN();
    expect(s.risk.var95Unavailable).toBe('2 returns; needs at least 20');
    expect(s.risk.maxDrawdown).toBeCloseTo(0.5, 12);
    expect(s.alerts.map((a) => a.kind)).not.toContain('var95');
  });

  it('20 returns that do not vary (an account still flat): VaR is not defined', () => {
    const s = monitorSummary(base({ window: Array<number>(21).fill(10_000) }));
    expect(s.risk.var95).toBeNaN();
    expect(s.risk.var95Unavailable).toBe('the 20 returns do not vary');
    expect(s.risk.ratiosUnavailable).toBeNull();
  });

  it('labels a position winner or loser only on a nonzero unrealised P&L', () => {
    const s = monitorSummary(base());
    // A: 10 x (60 - 50) = +100; B: 20 x (95 - 100) = -100; C: 65 x (100 - 100) = 0
    expect(Object.fromEntries(s.positions.map((p) => [p.symbol, p.outcome]))).toEqual({ A: 'winner', B: 'loser', C: 'flat' });
  });
});

describe('periodStarts', () => {
  it('gives the first of the month and of the year of the snapshot date', () => {
    expect(periodStarts('2025-03-14')).toEqual({ monthStart: '2025-03-01', yearStart: '2025-01-01' });
    expect(periodStarts('2024-12-31')).toEqual({ monthStart: '2024-12-01', yearStart: '2024-01-01' });
  });
});

describe('firstHoldingsBenchmark', () => {
  const dates = ['2024-12-31', '2025-01-02', '2025-01-03', '2025-01-06'];
  const close = (symbol: string, date: string, adjClose: number) => ({ symbol, date, adjClose });

  it('starts at the first snapshot that holds shares', () => {
    expect(
      benchmarkStart([
        { date: '2024-12-31', positions: [] },
        { date: '2025-01-02', positions: [{ symbol: 'Z', shares: 0 }] },
        {
          date: '2025-01-03',
          positions: [
            { symbol: 'A', shares: 5 },
            { symbol: 'Z', shares: 0 },
          ],
        },
      ]),
    ).toEqual({ date: '2025-01-03', symbols: ['A'] });
    expect(benchmarkStart([{ date: '2024-12-31', positions: [] }])).toBeNull();
  });

  it('splits the start value equally over the first names and holds them', () => {
    // By hand: the account is in cash on 12-31 (no benchmark yet); V0 = 10,000 on 01-02, half in A (10 -> 12 -> 11),
    // half in B (50 -> 50 -> 60); B misses 01-03 (carried at 50).
    // 01-03: 5,000 x 12/10 + 5,000 x 50/50 = 11,000; 01-06: 5,000 x 11/10 + 5,000 x 60/50 = 11,500.
    const b = firstHoldingsBenchmark({
      curve: { dates, values: [9_000, 10_000, 10_400, 10_900] },
      start: { date: '2025-01-02', symbols: ['A', 'B', 'C'] },
      closes: [
        close('A', '2024-12-31', 1),
        close('A', '2025-01-02', 10),
        close('A', '2025-01-03', 12),
        close('A', '2025-01-06', 11),
        close('B', '2025-01-02', 50),
        close('B', '2025-01-06', 60),
        // C has no close on the start date: it could not have been bought then
        close('C', '2025-01-03', 5),
      ],
    })!;
    expect(b.symbols).toEqual(['A', 'B']);
    expect(b.values[0]).toBeNaN();
    expect(b.values[1]).toBeCloseTo(10_000, 9);
    expect(b.values[2]).toBeCloseTo(11_000, 9);
    expect(b.values[3]).toBeCloseTo(11_500, 9);
  });

  it('is null without a priced name on the start date or a start on the curve', () => {
    const curve = { dates, values: [1, 1, 1, 1] };
    expect(
      firstHoldingsBenchmark({ curve, start: { date: '2025-01-02', symbols: ['A'] }, closes: [close('A', '2025-01-03', 1)] }),
    ).toBeNull();
    expect(
      firstHoldingsBenchmark({ curve, start: { date: '2025-02-02', symbols: ['A'] }, closes: [close('A', '2025-02-02', 1)] }),
    ).toBeNull();
  });
});
