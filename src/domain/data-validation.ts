/**
 * Data-quality rules for the hourly fan-out dataset, applied column by
 * column: missing values, non-positive prices, and price outliers by the
 * z-score of bar returns. The verdict is PASS, WARN or FAIL with one finding
 * per problem, each naming the column and the first offending row.
 */

export type ValidationStatus = 'PASS' | 'WARN' | 'FAIL';

export interface ValidationThresholds {
  /** |z| of a bar return above which the bar is an outlier (WARN). */
  outlierZ: number;
  /** A column with more than this fraction missing FAILs; any missing at all WARNs. */
  maxMissingFraction: number;
}

export const DEFAULT_THRESHOLDS: ValidationThresholds = { outlierZ: 8, maxMissingFraction: 0.05 };

export interface ColumnCheck {
  column: string;
  rows: number;
  missing: number;
  firstMissingRow: number;
  nonPositive: number;
  firstNonPositiveRow: number;
  outliers: number;
  firstOutlierRow: number;
}

/**
 * Check one price column. Missing = NaN/null; non-positive = <= 0; outliers:
 * simple returns r_t = p_t / p_{t-1} - 1 over consecutive valid prices,
 * z_t = (r_t - mean(r)) / std(r) (population), |z_t| > outlierZ.
 * Empty columns have no findings; a constant column has no outliers.
 */
export function checkPriceColumn(column: string, values: ArrayLike<number | null>, thresholds = DEFAULT_THRESHOLDS): ColumnCheck {
  const n = values.length;
  let missing = 0,
    firstMissingRow = -1,
    nonPositive = 0,
    firstNonPositiveRow = -1;
  const returns = new Float64Array(n);
  const returnRow = new Int32Array(n);
  let m = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v !== v) {
      missing++;
      if (firstMissingRow < 0) firstMissingRow = i;
      continue;
    }
    if (v <= 0) {
      nonPositive++;
      if (firstNonPositiveRow < 0) firstNonPositiveRow = i;
      continue;
    }
    if (prev === prev) {
      returns[m] = v / prev - 1;
      returnRow[m] = i;
      m++;
    }
    prev = v;
  }
  let mean = 0;
  for (let i = 0; i < m; i++) mean += returns[i];
  mean = m > 0 ? mean / m : 0;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (returns[i] - mean) ** 2;
  const sd = m > 0 ? Math.sqrt(ss / m) : 0;
  let outliers = 0,
    firstOutlierRow = -1;
  if (sd > 0) {
    for (let i = 0; i < m; i++) {
      if (Math.abs((returns[i] - mean) / sd) > thresholds.outlierZ) {
        outliers++;
        if (firstOutlierRow < 0) firstOutlierRow = returnRow[i];
      }
    }
  }
  return { column, rows: n, missing, firstMissingRow, nonPositive, firstNonPositiveRow, outliers, firstOutlierRow };
}

/** Findings (human sentences) and the verdict for a set of column checks. */
export function judgeColumns(checks: ColumnCheck[], thresholds = DEFAULT_THRESHOLDS): { status: ValidationStatus; problems: string[] } {
  const problems: string[] = [];
  let fail = false,
    warn = false;
  for (const c of checks) {
    if (c.nonPositive > 0) {
      fail = true;
      problems.push(`FAIL ${c.column}: ${c.nonPositive} zero or negative price(s), first at row ${c.firstNonPositiveRow}`);
    }
    if (c.missing > 0) {
      const frac = c.missing / Math.max(1, c.rows);
      if (frac > thresholds.maxMissingFraction) fail = true;
      else warn = true;
      problems.push(
        `${frac > thresholds.maxMissingFraction ? 'FAIL' : 'WARN'} ${c.column}: ${c.missing} missing value(s) (${(frac * 100).toFixed(2)} %), first at row ${c.firstMissingRow}`,
      );
    }
    if (c.outliers > 0) {
      warn = true;
      problems.push(
        `WARN ${c.column}: ${c.outliers} return outlier(s) beyond |z| > ${thresholds.outlierZ}, first at row ${c.firstOutlierRow}`,
      );
    }
  }
  return { status: fail ? 'FAIL' : warn ? 'WARN' : 'PASS', problems };
}

/** Combine verdicts: FAIL beats WARN beats PASS. */
export function worst(...statuses: ValidationStatus[]): ValidationStatus {
  return statuses.includes('FAIL') ? 'FAIL' : statuses.includes('WARN') ? 'WARN' : 'PASS';
}

/**
 * Share of clean columns (no missing, non-positive or outlier values) among
 * the checked ones, in [0, 1]: the dataset's quality score. 0 when nothing
 * was checked.
 *
 * @example
 *   qualityScore([cleanCheck, cleanCheck, columnWithOneOutlier]) // 0.666...
 */
export function qualityScore(checks: readonly ColumnCheck[]): number {
  if (checks.length === 0) return 0;
  const clean = checks.filter((c) => c.missing === 0 && c.nonPositive === 0 && c.outliers === 0).length;
  return clean / checks.length;
}

/** A market series (SPX, VIX) as read for validation: absent, lacking a column, or its timestamps and closes. */
export type MarketSeriesRead =
  | { kind: 'missing'; key: string }
  | { kind: 'lacksColumn'; key: string; column: 'timestamp' | 'close' }
  | { kind: 'read'; key: string; timestamps: ArrayLike<number>; close: ArrayLike<number> };

/**
 * The FAIL finding for a market series that is absent, lacks a column, or is
 * not aligned bar for bar with the holdings' timestamps (names the first
 * differing row); null when it is usable.
 *
 * @example
 *   marketSeriesProblem('VIX', { kind: 'missing', key: 'datasets/d/vix_hourly.parquet' }, ts)
 *   // 'FAIL VIX: market data file datasets/d/vix_hourly.parquet is missing'
 */
export function marketSeriesProblem(name: string, series: MarketSeriesRead, holdingTimestamps: ArrayLike<number>): string | null {
  if (series.kind === 'missing') return `FAIL ${name}: market data file ${series.key} is missing`;
  if (series.kind === 'lacksColumn') return `FAIL ${name}: ${series.key} lacks a ${series.column} column`;
  const ts = series.timestamps;
  if (ts.length !== holdingTimestamps.length) return `FAIL ${name}: ${ts.length} bars, the holdings have ${holdingTimestamps.length}`;
  for (let i = 0; i < ts.length; i++) {
    if (Number(ts[i]) !== Number(holdingTimestamps[i])) return `FAIL ${name}: timestamp at row ${i} differs from the holdings'`;
  }
  return null;
}

/** At most this many missing contract columns are named in the finding. */
const MAX_NAMED_COLUMNS = 20;

export interface DatasetVerdict {
  status: ValidationStatus;
  problems: string[];
  qualityScore: number;
}

/**
 * The verdict over a whole dataset: FAIL findings about the market series and
 * about contracts without a column come first, then the findings of every
 * column check (market closes, then contracts); the status is the worst of
 * them and the quality score is `qualityScore(checks)`.
 */
export function judgeDataset(
  input: { seriesProblems: readonly string[]; missingContracts: readonly string[]; checks: ColumnCheck[] },
  thresholds = DEFAULT_THRESHOLDS,
): DatasetVerdict {
  const problems = [...input.seriesProblems];
  const missing = input.missingContracts;
  if (missing.length > 0) {
    const more = missing.length > MAX_NAMED_COLUMNS ? ', ...' : '';
    problems.push(`FAIL holdings: no column for contract(s) ${missing.slice(0, MAX_NAMED_COLUMNS).join(', ')}${more}`);
  }
  const judged = judgeColumns(input.checks, thresholds);
  const status = worst(problems.length > 0 ? 'FAIL' : 'PASS', judged.status);
  return { status, problems: [...problems, ...judged.problems], qualityScore: qualityScore(input.checks) };
}
