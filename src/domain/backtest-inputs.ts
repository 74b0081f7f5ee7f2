/**
 * What the `backtest` workflow (WF6) feeds the engine in backtest.ts, as
 * pure rules: the checked parameters (window, capital, cost model), the
 * signals grouped by date, the closes as a symbol x date matrix, and the
 * benchmark's equity read on the signal curve's dates for the chart.
 */
import type { AllocationCandidate } from './allocation';
import type { BacktestMarket, SignalDay, SimulationResult } from './backtest';
import { DEFAULT_COST_MODEL, type CostModel } from './costs';
import { addDays, isIsoDate } from './dates';
import type { RebalancePolicy } from './rebalance-policy';
import { QuantError } from './errors';

/** What a caller may ask of a backtest; everything but the run date has a default. */
export interface BacktestParamsInput {
  /** The run date (the default end). */
  date: string;
  start?: string;
  end?: string;
  initialCapital?: number;
  costModel?: Partial<CostModel>;
}

/** The parameters a backtest ran with, all resolved. */
export interface ResolvedBacktestParams {
  date: string;
  start: string;
  end: string;
  initialCapital: number;
  costModel: CostModel;
  minTradeValue: number;
  riskFreeRate: number;
  /** Frequency and no-trade band: WF4's (the configured REBALANCE_* settings). */
  rebalance: RebalancePolicy;
}

/** A backtest parameter that cannot be right (a bad date, a reversed window, a negative capital or cost): retrying cannot help. */
export class InvalidBacktestInput extends QuantError {
  readonly type = 'InvalidInput';
  readonly retryable = false;
}

/**
 * Check the asked parameters and fill the defaults: the end is the run
 * date, the search for signals starts `lookbackDays` before the end (the
 * window then starts at its first signal date), the capital and the cost
 * model default to the configured ones. Throws `InvalidBacktestInput`
 * naming the bad field.
 *
 * @example
 *   checkBacktestParams({ date: '2024-05-15' }, { lookbackDays: 365, initialCapital: 100_000 })
 *   // { end: '2024-05-15', from: '2023-05-16', initialCapital: 100000, costModel: DEFAULT_COST_MODEL }
 */
export function checkBacktestParams(
  input: BacktestParamsInput,
  defaults: { lookbackDays: number; initialCapital: number },
): { end: string; from: string; initialCapital: number; costModel: CostModel } {
  const end = input.end ?? input.date;
  for (const [k, v] of [
    ['start', input.start],
    ['end', end],
  ] as const) {
    if (v !== undefined && !isIsoDate(v)) throw new InvalidBacktestInput(`backtest ${k} "${v}" must be a date YYYY-MM-DD`);
  }
  if (input.start !== undefined && input.start > end)
    throw new InvalidBacktestInput(`backtest start ${input.start} is after its end ${end}`);
  const initialCapital = input.initialCapital ?? defaults.initialCapital;
  if (!(initialCapital > 0) || !Number.isFinite(initialCapital))
    throw new InvalidBacktestInput(`backtest initial capital must be positive, got ${initialCapital}`);
  const costModel = { ...DEFAULT_COST_MODEL, ...input.costModel };
  for (const [k, v] of Object.entries(costModel)) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new InvalidBacktestInput(`backtest cost parameter ${k} must be >= 0, got ${v}`);
  }
  return { end, from: input.start ?? addDays(end, -defaults.lookbackDays), initialCapital, costModel };
}

/**
 * Signal rows grouped into one `SignalDay` per date, in the order the dates
 * first appear; a missing sector becomes 'Unknown' (the allocation's sector
 * cap needs a name).
 *
 * @example
 *   signalDaysOf([{ date: 'd1', symbol: 'A', sector: null, signal: 'buy' }])
 *   // [{ date: 'd1', candidates: [{ symbol: 'A', sector: 'Unknown', recommendation: 'buy' }] }]
 */
export function signalDaysOf(
  signals: readonly { date: string; symbol: string; sector: string | null; signal: AllocationCandidate['recommendation'] }[],
): SignalDay[] {
  const byDate = new Map<string, SignalDay>();
  for (const s of signals) {
    const d = byDate.get(s.date) ?? { date: s.date, candidates: [] };
    d.candidates.push({ symbol: s.symbol, sector: s.sector ?? 'Unknown', recommendation: s.signal });
    byDate.set(s.date, d);
  }
  return [...byDate.values()];
}

/** The earliest signal day (the buy-and-hold benchmark buys its names), or undefined. */
export function earliestSignalDay(days: readonly SignalDay[]): SignalDay | undefined {
  return [...days].sort((a, b) => a.date.localeCompare(b.date))[0];
}

/** Closes as a JSON-safe matrix: `closes[k][t]` of `symbols[k]` on `dates[t]`, null where there is no bar. */
export interface CloseMatrix {
  dates: string[];
  symbols: string[];
  closes: (number | null)[][];
}

/**
 * Close rows as a matrix over the sorted union of their dates; rows of a
 * symbol not in `symbols` are ignored.
 *
 * @example
 *   closeMatrix([{ symbol: 'A', date: 'd2', adjClose: 2 }, { symbol: 'B', date: 'd1', adjClose: 5 }], ['A', 'B'])
 *   // { dates: ['d1', 'd2'], symbols: ['A', 'B'], closes: [[null, 2], [5, null]] }
 */
export function closeMatrix(rows: readonly { symbol: string; date: string; adjClose: number }[], symbols: readonly string[]): CloseMatrix {
  const dates = [...new Set(rows.map((r) => r.date))].sort();
  const di = new Map(dates.map((d, i) => [d, i]));
  const si = new Map(symbols.map((s, i) => [s, i]));
  const closes = symbols.map(() => new Array<number | null>(dates.length).fill(null));
  for (const r of rows) {
    const k = si.get(r.symbol);
    if (k !== undefined) closes[k][di.get(r.date)!] = r.adjClose;
  }
  return { dates, symbols: [...symbols], closes };
}

/** The engine's market of a matrix: null (no bar) becomes NaN. */
export function marketOf(m: CloseMatrix): BacktestMarket {
  return { dates: m.dates, symbols: m.symbols, closes: m.closes.map((c) => c.map((x) => (x === null ? NaN : x))) };
}

/**
 * The equity of `sim` on each of `dates` (NaN where it has no point), to
 * draw two curves on one axis. Both curves start on the first signal's
 * execution day, so the dates mostly coincide.
 *
 * @example
 *   equityOn(['d1', 'd2'], { dates: ['d2'], equity: [101] }) // [NaN, 101]
 */
export function equityOn(dates: readonly string[], sim: Pick<SimulationResult, 'dates' | 'equity'>): number[] {
  const by = new Map(sim.dates.map((d, i) => [d, sim.equity[i]]));
  return dates.map((d) => by.get(d) ?? NaN);
}
