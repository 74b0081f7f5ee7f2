/**
 * Each model version's cumulative-return curve for the Models page, and a
 * benchmark to read it against. The curves are recomputed the way the
 * `performance` workflow computed the ranking they sit beside (the same
 * signals window, the same closes, src/domain/model-performance.ts), so a
 * curve ends on the total return its ranking row shows, and the page draws
 * what the performance report's SVG chart draws.
 *
 * The performance test stores no benchmark series, so the benchmark is
 * computed here: an equal-weight buy and hold of the trading universe (the
 * symbols eligible on the base day; every symbol with a close that day when
 * the universe table is empty), bought at the close of the trading day
 * before the curves' first day and never traded
 * (src/domain/returns.ts equalWeightBenchmark), on the same dates.
 */
import { createMarketDataRepo } from '../../adapters/postgres/market-data-repo';
import { createModelPerformanceRepo } from '../../adapters/postgres/model-run-repo';
import type { Db } from '../../adapters/postgres/pool';
import { createUniverseRepo } from '../../adapters/postgres/universe-repo';
import { addDays } from '../../domain/dates';
import { modelPerformance } from '../../domain/model-performance';
import { equalWeightBenchmark } from '../../domain/returns';

export interface CurveSettings {
  /** Run dates of the signals judged: the last this many calendar days (MODELS_LOOKBACK_DAYS). */
  lookbackDays: number;
  /** Trading days a signal is held, when the day's performance rows do not say (MODELS_HOLDING_DAYS). */
  holdingDays: number;
}

export interface ModelCurves {
  /** The base day (all curves at 0) and every day a curve moves on, oldest first. */
  dates: string[];
  /** Cumulative return (0.05 = +5 %) per date, one series per model version. */
  models: { model_id: number; label: string; values: number[] }[];
  benchmark: { label: string; symbols: number; values: number[] } | null;
}

/**
 * The curves on the union of their dates, each flat before its first judged day and carried
 * forward over days it has no position (as renderPerformanceChart draws them), from 0 on `base`.
 *
 * @example
 *   alignCurves('2025-03-03', [{ model_id: 1, label: 'a@1', curve: [{ date: '2025-03-05', wealth: 1.02 }] }])
 *   // { dates: ['2025-03-03', '2025-03-05'], models: [{ model_id: 1, label: 'a@1', values: [0, 0.02] }] }
 */
export function alignCurves(
  base: string,
  curves: readonly { model_id: number; label: string; curve: readonly { date: string; wealth: number }[] }[],
): Pick<ModelCurves, 'dates' | 'models'> {
  const days = [...new Set(curves.flatMap((c) => c.curve.map((p) => p.date)))].sort();
  return {
    dates: [base, ...days],
    models: curves.map((c) => {
      const byDate = new Map(c.curve.map((p) => [p.date, p.wealth]));
      let wealth = 1;
      return { model_id: c.model_id, label: c.label, values: [0, ...days.map((d) => (wealth = byDate.get(d) ?? wealth) - 1)] };
    }),
  };
}

/**
 * Equal-weight buy and hold of `closes` over `dates` (bought on dates[0]) as cumulative returns;
 * a symbol without a close on dates[0] is left out, a missing later close carries the last one.
 *
 * @example
 *   benchmarkValues(['d0', 'd1'], new Map([['A', { dates: ['d0', 'd1'], adjClose: [100, 110] }], ['B', { dates: ['d0', 'd1'], adjClose: [50, 50] }]]))
 *   // { symbols: 2, values: [0, 0.05] }
 */
export function benchmarkValues(
  dates: readonly string[],
  closes: ReadonlyMap<string, { dates: readonly string[]; adjClose: ArrayLike<number> }>,
): { symbols: number; values: number[] } {
  const prices = [...closes.values()].map((c) => {
    const at = new Map(c.dates.map((d, i) => [d, c.adjClose[i]]));
    return Float64Array.from(dates, (d) => at.get(d) ?? NaN);
  });
  const path = equalWeightBenchmark(prices);
  return { symbols: path.included.length, values: Array.from(path.wealth, (w) => w - 1) };
}

/** The curves of the ranked versions `models` as of `date`, and the benchmark over the same days. */
export async function modelCurves(
  db: Db,
  date: string,
  models: readonly { model_id: number; label: string }[],
  settings: CurveSettings,
): Promise<ModelCurves> {
  const ids = models.map((m) => m.model_id);
  const held = await db.query<{ days: number | null }>(
    'SELECT max(holding_period_days) AS days FROM model_performance WHERE date = $1::date AND model_id = ANY($2::int[])',
    [date, ids],
  );
  const holdingDays = held.rows[0]?.days ?? settings.holdingDays;
  const from = addDays(date, -settings.lookbackDays);
  const signals = await createModelPerformanceRepo(db).signalsBetween(ids, from, date);
  const market = createMarketDataRepo(db);
  const symbols = [...new Set([...signals.values()].flatMap((list) => list.map((s) => s.symbol)))];
  const loaded = await market.loadCloses(symbols, from, date);
  const closes = new Map([...loaded].map(([s, c]) => [s, { dates: c.dates, closes: c.adjClose }]));
  const curves = models.map((m) => ({
    ...m,
    // The risk-free rate only moves Sharpe and Sortino, not the curve.
    curve: modelPerformance(signals.get(m.model_id) ?? [], closes, date, { holdingDays, riskFreeRate: 0 }).curve,
  }));
  const first = curves.flatMap((c) => c.curve.map((p) => p.date)).sort()[0];
  if (first === undefined)
    return { dates: [], models: models.map((m) => ({ model_id: m.model_id, label: m.label, values: [] })), benchmark: null };
  const prior = await db.query<{ d: string | null }>(
    `SELECT to_char(max(date), 'YYYY-MM-DD') AS d FROM market_data WHERE date < $1::date`,
    [first],
  );
  // With no earlier close the base is the day before (no symbol can be bought on it: no benchmark).
  const base = prior.rows[0]?.d ?? addDays(first, -1);
  const aligned = alignCurves(base, curves);
  const universe = await universeOn(db, base);
  const bench = benchmarkValues(aligned.dates, await market.loadCloses(universe, base, date));
  return {
    ...aligned,
    benchmark: bench.symbols
      ? { label: `Equal-weight universe, buy and hold (${bench.symbols} symbols)`, symbols: bench.symbols, values: bench.values }
      : null,
  };
}

/** The point-in-time universe on `day`, or every symbol with a close that day when none is recorded. */
async function universeOn(db: Db, day: string): Promise<string[]> {
  const eligible = await createUniverseRepo(db).activeOn(day);
  if (eligible.length) return eligible;
  const r = await db.query<{ symbol: string }>('SELECT DISTINCT symbol FROM market_data WHERE date = $1::date ORDER BY symbol', [day]);
  return r.rows.map((x) => x.symbol);
}
