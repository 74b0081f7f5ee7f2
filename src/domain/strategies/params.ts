/**
 * Reading a strategy's stored params (strategy_config's JSONB, partial and
 * untrusted) over its defaults: one check per setting, unknown settings
 * refused (a misspelt "fastPeriode" must not silently leave the default in
 * force), and every bad setting reported at once, each naming the setting.
 * src/domain may not import zod, so the few checks the strategies need are
 * written here; cross-setting rules (fast < slow ...) stay in each strategy.
 * Also the small helpers the strategy modules share (closes, held quantity,
 * number formatting for reasons).
 */
import type { ConfigProblem, IntradayBar, StrategyPosition } from './types';

/** A setting's check: null when the value is fine, else the message (the setting is named by the caller). */
export type Check = (value: unknown) => string | null;

function show(v: unknown): string {
  return typeof v === 'string' || Array.isArray(v) || (typeof v === 'object' && v !== null) ? JSON.stringify(v) : String(v);
}

/**
 * An integer >= min.
 *
 * @example
 *   integerAtLeast(2)(14) // null; integerAtLeast(2)(1.5) // 'must be an integer >= 2, got 1.5'
 */
export function integerAtLeast(min: number): Check {
  return (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min ? null : `must be an integer >= ${min}, got ${show(v)}`);
}

/**
 * A finite number within the bounds; `exclusive` makes a bound strict.
 *
 * @example
 *   numberIn(0, 1, { minExclusive: true })(0) // 'must be a number in (0, 1], got 0'
 */
export function numberIn(min: number, max: number, exclusive: { minExclusive?: boolean; maxExclusive?: boolean } = {}): Check {
  const range = `${exclusive.minExclusive ? '(' : '['}${min}, ${max}${exclusive.maxExclusive ? ')' : ']'}`;
  return (v) => {
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (exclusive.minExclusive ? v > min : v >= min) &&
      (exclusive.maxExclusive ? v < max : v <= max);
    return ok ? null : `must be a number in ${range}, got ${show(v)}`;
  };
}

/**
 * One of the listed strings.
 *
 * @example
 *   oneOf('fixed', 'statistical')('stat') // 'must be one of fixed, statistical, got "stat"'
 */
export function oneOf(...values: readonly string[]): Check {
  return (v) => (typeof v === 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}, got ${show(v)}`);
}

const SYMBOL = /^[^\s,]{1,20}$/;

/** A ticker: 1-20 characters, no whitespace or comma. */
export const symbolName: Check = (v) =>
  typeof v === 'string' && SYMBOL.test(v) ? null : `must be a symbol (1-20 characters, no spaces), got ${show(v)}`;

/** A list of distinct tickers (may be empty). */
export const symbolList: Check = (v) => {
  if (!Array.isArray(v)) return `must be a list of symbols, got ${show(v)}`;
  for (const s of v) if (symbolName(s) !== null) return `must be a list of symbols, got ${show(s)} in it`;
  const dup = v.find((s, i) => v.indexOf(s) !== i);
  return dup === undefined ? null : `lists ${dup} twice`;
};

/** A non-empty string. */
export const text: Check = (v) => (typeof v === 'string' && v.trim() !== '' ? null : `must be a non-empty string, got ${show(v)}`);

/**
 * Merge `raw` over `defaults` and run each setting's check. A key missing,
 * undefined or null in `raw` takes the default; a key not in `defaults` is a
 * problem ("unknown setting"). Arrays are copied. Problems come in the order
 * of `defaults`' keys, unknown settings last.
 *
 * @example
 *   readParams({ fastPeriod: 0 }, { fastPeriod: 10 }, { fastPeriod: integerAtLeast(1) }).problems
 *   // [{ setting: 'fastPeriod', message: 'must be an integer >= 1, got 0' }]
 */
export function readParams<C extends object>(
  raw: Record<string, unknown> | null | undefined,
  defaults: C,
  checks: { readonly [K in keyof C]: Check },
): { config: C; problems: ConfigProblem[] } {
  const given = raw ?? {};
  const config = { ...defaults } as Record<string, unknown>;
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(defaults)) {
    const v = given[key];
    if (v === undefined || v === null) continue;
    const message = (checks as Record<string, Check>)[key](v);
    if (message !== null) problems.push({ setting: key, message });
    else config[key] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
  const known = Object.keys(defaults);
  for (const key of Object.keys(given).sort()) {
    if (!(key in defaults)) problems.push({ setting: key, message: `unknown setting (known: ${known.join(', ')})` });
  }
  return { config: config as C, problems };
}

/** The parseConfig result: the config, or the first problem with the full list. */
export function configOrProblems<C>(
  config: C,
  problems: readonly ConfigProblem[],
): { config: C } | { problem: ConfigProblem; problems: readonly ConfigProblem[] } {
  return problems.length === 0 ? { config } : { problem: problems[0], problems };
}

/** Closing prices of the last `count` bars (all when count is absent). */
export function closesOf(bars: readonly IntradayBar[], count = bars.length): Float64Array {
  const from = Math.max(0, bars.length - count);
  const out = new Float64Array(bars.length - from);
  for (let i = from; i < bars.length; i++) out[i - from] = bars[i].close;
  return out;
}

/** Signed quantity held (0 when no position). */
export function heldQty(positions: ReadonlyMap<string, StrategyPosition>, symbol: string): number {
  return positions.get(symbol)?.qty ?? 0;
}

/** A number for a reason string: `digits` decimals, no "-0.00". */
export function fmt(x: number, digits = 2): string {
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** The symbols a strategy looks at: its configured list, or every symbol with bars (sorted, for a deterministic order). */
export function symbolsToScan(configured: readonly string[], bars: ReadonlyMap<string, unknown>): string[] {
  return configured.length > 0 ? [...configured] : [...bars.keys()].sort();
}
