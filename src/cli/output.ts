/**
 * How `quant` prints: results on stdout, messages on stderr. With `-o json`
 * stdout carries exactly one JSON document (scripts pipe it to jq); with the
 * default `-o table` it carries an aligned table with a header row.
 */
import type { OutputFormat } from './args';

export const out = (s: string): void => void process.stdout.write(`${s}\n`);
export const err = (s: string): void => void process.stderr.write(`${s}\n`);

/**
 * Columns padded to their widest cell, under a header row.
 *
 * @example
 *   textTable(['id', 'status'], [['a', 'ok']]) // 'id  status\na   ok'
 */
export function textTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

/** The Web UI page of a workflow, when the UI's address is known (embedded profile). */
export function webUiLink(uiUrl: string | undefined, namespace: string, workflowId: string): string | undefined {
  return uiUrl ? `${uiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}` : undefined;
}

/** A cell for one value of a result: scalars as they are, the rest as compact JSON cut to `max` characters. */
function cell(v: unknown, max = 100): string {
  if (v === null || v === undefined) return '-';
  if (typeof v !== 'object') return String(v);
  const s = JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}

/**
 * Announce a run: its workflow ID and Web UI link, on stdout for a table and
 * on stderr with `-o json` (stdout is the result's alone).
 */
export function announceRun(format: OutputFormat, workflowId: string, link: string | undefined): void {
  const say = format === 'json' ? err : out;
  say(`workflow: ${workflowId}`);
  if (link) say(`Web UI:   ${link}`);
}

/**
 * Print a workflow's result: the JSON document itself, or a field/value table of its top-level fields.
 *
 * @example
 *   printResult('table', { date: '2026-02-06', stored: 49 }) // field  value / date  2026-02-06 / stored  49
 */
export function printResult(format: OutputFormat, result: unknown): void {
  if (format === 'json') return out(JSON.stringify(result ?? null, null, 2));
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return out(cell(result, 10_000));
  out(
    textTable(
      ['field', 'value'],
      Object.entries(result as Record<string, unknown>).map(([k, v]) => [k, cell(v)]),
    ),
  );
}
