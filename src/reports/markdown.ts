/**
 * Tiny markdown helpers shared by every report: tables and number formats.
 * Reports are pure functions of their inputs so the same run renders the
 * same bytes (reproducible runs compare report hashes too).
 */

/** Format a number with `digits` decimals; null/NaN/Infinity render as "n/a". */
export function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
}

/**
 * A fraction as a percentage with two decimals; NaN/Infinity render as "n/a".
 *
 * @example
 *   pct(0.01234) // '1.23%'
 */
export function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'n/a';
}

/**
 * Dollars with thousands separators and two decimals; NaN/Infinity/null render as "n/a".
 *
 * @example
 *   money(-1234.5) // '-$1,234.50'
 */
export function money(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x)
    ? 'n/a'
    : `${x < 0 ? '-' : ''}$${Math.abs(x).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A GitHub-flavoured markdown table. Pipes in cells are escaped. */
export function mdTable(headers: string[], rows: (string | number)[][]): string {
  const esc = (v: string | number) => String(v).replace(/\|/g, '\\|');
  const lines = [`| ${headers.map(esc).join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.map(esc).join(' | ')} |`);
  return lines.join('\n');
}
