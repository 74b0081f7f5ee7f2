/**
 * The fan-out's Parquet tables: a contract's result file holds the kernel's
 * output under the documented column names and labels, and reads back into
 * the codes the portfolio accumulates; the portfolio tables keep their types.
 * Expected values are the kernel's own arrays and hand-written rows.
 */
import { describe, expect, it } from 'vitest';
import { parquetSchemaInfo, readParquet } from '../parquet';
import { analyzeSymbolBars } from '../../domain/symbol-analysis';
import { contractComparisonParquet, contractResultParquet, equityCurveParquet, readContractResultSignals } from './fanout';

const f64 = (a: number[]) => Float64Array.from(a);

describe('fan-out tables', () => {
  // +1 % (buy), -1.98 % (sell), 0 % (hold) on a VIX of 15 (thresholds +-0.5 %).
  const price = f64([100, 101, 99, 99]);
  const vix = f64([15, 15, 15, 15]);
  const timestamps = f64([0, 3_600_000, 7_200_000, 10_800_000]);
  const analysis = analyzeSymbolBars({ price, spx: f64([10, 10.1, 10, 10]), vix });

  it('writes the per-bar result with labels and reads back codes and changes', async () => {
    const bytes = contractResultParquet({ timestamps, price, vix, analysis });
    const info = await parquetSchemaInfo(bytes);
    expect(info.columns.map((c) => [c.name, c.type])).toEqual([
      ['timestamp', 'timestamp'],
      ['price', 'double'],
      ['price_change_pct', 'double'],
      ['spx_change_pct', 'double'],
      ['beta', 'double'],
      ['vix', 'double'],
      ['buy_threshold', 'double'],
      ['sell_threshold', 'double'],
      ['signal', 'string'],
      ['trade_quality', 'string'],
    ]);
    const t = await readParquet(bytes, { columns: ['signal', 'trade_quality', 'sell_threshold'] });
    expect(t.columns.signal).toEqual(['hold', 'buy', 'sell', 'hold']);
    // The buy is followed by a fall (bad); the sell by a flat bar (neutral).
    expect(t.columns.trade_quality).toEqual(['neutral', 'bad', 'neutral', 'neutral']);
    expect(Array.from(t.columns.sell_threshold as Float64Array)).toEqual([-0.5, -0.5, -0.5, -0.5]);

    const back = await readContractResultSignals(bytes, { timestamps: true });
    expect(Array.from(back.signal)).toEqual([0, 1, -1, 0]);
    expect(Array.from(back.timestamps!)).toEqual(Array.from(timestamps));
    expect(back.changePct[0]).toBeNaN();
    expect(Array.from(back.changePct.subarray(1))).toEqual(Array.from(analysis.priceChangePct.subarray(1)));
    expect((await readContractResultSignals(bytes)).timestamps).toBeUndefined();
  });

  it('writes the equity curve and the comparison with their types', async () => {
    const equity = equityCurveParquet(timestamps, { portfolioReturnPct: f64([0, 1, -2, 0]), cumulativePnlPct: f64([0, 1, -1, -1]) });
    expect((await parquetSchemaInfo(equity)).columns.map((c) => c.type)).toEqual(['timestamp', 'double', 'double']);
    const comparison = contractComparisonParquet([
      { contract: 'AAPL', successRate: 50, pnlPct: 1.5, totalTrades: 4, avgBeta: 1.1 },
      { contract: 'MSFT', successRate: 0, pnlPct: 0, totalTrades: 0, avgBeta: null },
    ]);
    const info = await parquetSchemaInfo(comparison);
    expect(info.columns.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['contract', 'string', false],
      ['success_rate', 'double', false],
      ['pnl_pct', 'double', false],
      ['total_trades', 'int32', false],
      ['avg_beta', 'double', true],
    ]);
    const t = await readParquet(comparison, { columns: ['contract', 'avg_beta'] });
    expect(t.columns.contract).toEqual(['AAPL', 'MSFT']);
    expect(Array.from(t.columns.avg_beta as ArrayLike<number | null>)).toEqual([1.1, null]);
  });
});
