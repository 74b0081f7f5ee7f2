/**
 * The `file` intraday provider: bars imported from a CSV or Parquet file
 * with the columns symbol, ts, open, high, low, close, volume (any order,
 * extra columns ignored; what `intradayBarsToParquet` writes). `ts` is
 * the bar's start: ISO 8601 with an offset (`2024-03-04T09:30:00-05:00`,
 * `2024-03-04T14:30:00Z`) or epoch milliseconds; in Parquet also a
 * TIMESTAMP column. A time without an offset is refused (New York or UTC?
 * the file must say), and so are epoch seconds (they would land in 1970).
 *
 * Every row is validated with zod. Unlike the daily file import, which skips
 * a bad row, one bad row fails the whole file: an intraday series with a
 * hole where a row was refused would feed strategies a wrong price path, and
 * "corrupt data is worse than no data". The error (IntradayFileError,
 * non-retryable) names the file, and each bad row with its column (first 10
 * in the message, all in `problems`). The same (symbol, ts) twice, and a ts
 * off the file's bar clock, are row errors too. Prices are checked for being
 * numbers here; whether they make sense (positive, high >= low) is the
 * intraday validation's job, as for every provider.
 *
 * The file's bar length is an option; by default it is read off the file:
 * the longest of 15m, 5m and 1m that every ts is a multiple of and that
 * divides the shortest step between two bars of one symbol (a 5m file with
 * holes is still 5m; a file of 09:30, 09:45, ... is 15m). Every ts must be on
 * a whole minute, and with the option given, on that interval's clock.
 * Coarser bars are aggregated from the file's (a 5m file serves 15m); finer
 * ones cannot be made and come back as failures. The file is read once, on
 * first use.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { QuantError } from '../../domain/errors';
import { aggregateBars } from '../../domain/intraday-bars';
import { BAR_INTERVAL_MS } from '../../domain/strategies/types';
import { EmptyImportError, escapedExcerpt } from '../market-data/errors';
import { decodeCsvText, splitCsvLine } from '../market-data/file';
import { parquetSchemaInfo, readParquet } from '../parquet';
import { INTRADAY_BAR_COLUMNS } from './parquet';
import type { BarInterval, IntradayBar, IntradayFailure, IntradayProvider, IntradayResult } from './types';

export interface FileIntradayOptions {
  /** A `.csv` or `.parquet` file. */
  path: string;
  /** The bar length of the file's rows (every ts must be on its clock); default: read off the file. */
  interval?: BarInterval;
}

/** One bad row (or the whole file, row 0) and the column at fault. */
export interface IntradayFileProblem {
  /** 1-based data row (the first row under the header is 1); 0 for the file as a whole. */
  row: number;
  /** CSV only: the line in the file (the header is line 1). */
  line?: number;
  /** The column at fault; '*' for the whole row or file. */
  column: string;
  message: string;
}

/** An intraday import that cannot be used: names the file, and each bad row and column. Not retryable. */
export class IntradayFileError extends QuantError {
  readonly type = 'InvalidIntradayFile';
  readonly retryable = false;
  constructor(
    readonly file: string,
    readonly problems: readonly IntradayFileProblem[],
  ) {
    const where = (p: IntradayFileProblem) =>
      [p.row === 0 ? '' : `row ${p.row}${p.line ? ` (line ${p.line})` : ''}`, p.column === '*' ? '' : `column ${p.column}`]
        .filter(Boolean)
        .join(', ');
    const shown = problems.slice(0, 10).map((p) => [where(p), p.message].filter(Boolean).join(': '));
    const more = problems.length > 10 ? `; and ${problems.length - 10} more` : '';
    super(`${file}: ${problems.length > 1 ? `${problems.length} problems: ` : ''}${shown.join('; ')}${more}`);
    this.name = 'IntradayFileError';
  }
}

/** Epoch ms the file may hold: 1990-01-01 .. 2100-01-01 (anything else is a unit mistake). */
const MIN_MS = Date.UTC(1990, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1);
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const ISO_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/** `ts` as epoch ms, or a message saying what is wrong with it. */
export function parseBarTs(raw: string | number): number | string {
  if (typeof raw === 'number' || /^\d+$/.test(raw.trim())) {
    const ms = Number(raw);
    if (!Number.isInteger(ms)) return 'epoch milliseconds must be a whole number';
    if (ms >= MIN_MS / 1000 && ms < MAX_MS / 1000) return `${ms} looks like epoch seconds; give epoch milliseconds`;
    if (ms < MIN_MS || ms >= MAX_MS) return `${ms} ms is not between 1990 and 2100`;
    return ms;
  }
  const s = raw.trim();
  const m = ISO_WITH_OFFSET.exec(s);
  if (!m) {
    if (ISO_WITHOUT_OFFSET.test(s)) return `${escapedExcerpt(s, 40)} has no UTC offset (add Z or e.g. -05:00)`;
    return `${escapedExcerpt(s, 40)} is neither ISO 8601 with an offset nor epoch milliseconds`;
  }
  const [, y, mo, d, h, mi, sec = '00', frac = '0', off] = m;
  let offsetMin = 0;
  if (off.toUpperCase() !== 'Z') {
    const digits = off.slice(1).replace(':', '');
    offsetMin = (off[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
  }
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), Number(frac.padEnd(3, '0')));
  // Date.UTC rolls 2024-02-30 over to March; a date that does not survive the round trip is not a date.
  const back = new Date(local).toISOString();
  if (back.slice(0, 19) !== `${y}-${mo}-${d}T${h}:${mi}:${sec}`) return `${escapedExcerpt(s, 40)} is not a valid date and time`;
  const ms = local - offsetMin * 60_000;
  if (ms < MIN_MS || ms >= MAX_MS) return `${escapedExcerpt(s, 40)} is not between 1990 and 2100`;
  return ms;
}

const num = z.coerce.number({ error: 'not a number' }).refine(Number.isFinite, 'not a finite number');

/** One row after coercion; `ts` is checked by `parseBarTs` before (its messages are more specific than zod's). */
export const intradayFileRowSchema = z.object({
  symbol: z
    .string()
    .trim()
    .min(1, 'empty symbol')
    .max(20, 'symbol longer than 20 characters')
    .regex(/^[^\s\p{Cc}]+$/u, 'symbol has spaces or control characters'),
  open: num,
  high: num,
  low: num,
  close: num,
  volume: num.refine((v) => v >= 0, 'volume must be >= 0'),
});

type Cell = string | number | bigint | null | undefined;
type Cells = Record<(typeof INTRADAY_BAR_COLUMNS)[number], Cell>;
/** A data row as read: its cells, or why it could not even be split into cells. */
type RawRow =
  { row: number; line?: number; cells: Cells; problem?: undefined } | { row: number; line?: number; cells?: undefined; problem: string };

/** Rows (as cells by column) to bars, collecting every problem; throws when there is any. */
function toBars(label: string, rows: Iterable<RawRow>, interval: BarInterval | undefined): IntradayBar[] {
  const problems: IntradayFileProblem[] = [];
  const bars: IntradayBar[] = [];
  const first = new Map<string, number>();
  const step = BAR_INTERVAL_MS[interval ?? '1m'];
  const clock = interval ? `a ${interval} bar start (a multiple of ${step / 60_000} minutes)` : 'on a whole minute';
  const add = (p: IntradayFileProblem) => {
    if (problems.length < 1000) problems.push(p);
  };
  for (const { row, line, cells, problem } of rows) {
    const at = { row, line };
    if (problem !== undefined) {
      add({ ...at, column: '*', message: problem });
      continue;
    }
    const empty = INTRADAY_BAR_COLUMNS.filter(
      (c) => cells[c] === null || cells[c] === undefined || (typeof cells[c] === 'string' && cells[c].trim() === ''),
    );
    for (const column of empty) add({ ...at, column, message: 'empty' });
    if (empty.length) continue;
    const ts = parseBarTs(typeof cells.ts === 'bigint' ? Number(cells.ts) : (cells.ts as string | number));
    if (typeof ts === 'string') add({ ...at, column: 'ts', message: ts });
    else if (ts % step !== 0)
      add({
        ...at,
        column: 'ts',
        message: `${new Date(ts).toISOString()} is not ${clock}`,
      });
    const raw = Object.fromEntries(
      (['symbol', 'open', 'high', 'low', 'close', 'volume'] as const).map((c) => [
        c,
        typeof cells[c] === 'bigint' ? Number(cells[c]) : cells[c],
      ]),
    );
    const r = intradayFileRowSchema.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) {
        const column = String(issue.path[0] ?? 'row');
        add({ ...at, column, message: `${issue.message} (${escapedExcerpt(String(raw[column] ?? ''), 24)})` });
      }
      continue;
    }
    if (typeof ts === 'string' || ts % step !== 0) continue;
    const key = `${r.data.symbol}\u0000${ts}`;
    const seen = first.get(key);
    if (seen !== undefined) {
      add({ ...at, column: 'ts', message: `repeats ${r.data.symbol} ${new Date(ts).toISOString()} of row ${seen}` });
      continue;
    }
    first.set(key, row);
    bars.push({ ...r.data, ts });
  }
  if (problems.length) throw new IntradayFileError(label, problems);
  if (bars.length === 0) throw new EmptyImportError(label, 'the file has a header and no data rows');
  return bars;
}

function missingColumns(label: string, names: readonly string[], described: string): void {
  const missing = INTRADAY_BAR_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length)
    throw new IntradayFileError(
      label,
      missing.map((column) => ({ row: 0, column, message: `missing (the file has ${described})` })),
    );
}

/**
 * Parse CSV text into bars.
 *
 * @example
 *   parseIntradayCsv('symbol,ts,open,high,low,close,volume\nAAPL,2024-03-04T09:30:00-05:00,176.15,176.4,175.9,176.2,412000\n', 'x.csv', '5m')
 */
export function parseIntradayCsv(text: string, label: string, interval?: BarInterval): IntradayBar[] {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  missingColumns(label, header, `header ${escapedExcerpt(lines[0] ?? '', 80)}`);
  const idx = Object.fromEntries(INTRADAY_BAR_COLUMNS.map((c) => [c, header.indexOf(c)]));
  function* rows(): Generator<RawRow> {
    let row = 0;
    for (let i = 1; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      row++;
      const cells = splitCsvLine(lines[i]);
      if (cells.length !== header.length) yield { row, line: i + 1, problem: `expected ${header.length} fields, got ${cells.length}` };
      else yield { row, line: i + 1, cells: Object.fromEntries(INTRADAY_BAR_COLUMNS.map((c) => [c, cells[idx[c]]])) as Cells };
    }
  }
  return toBars(label, rows(), interval);
}

async function parseIntradayParquet(bytes: Uint8Array, label: string, interval?: BarInterval): Promise<IntradayBar[]> {
  const info = await parquetSchemaInfo(bytes, { label });
  missingColumns(
    label,
    info.columns.map((c) => c.name),
    `columns ${escapedExcerpt(info.columns.map((c) => c.name).join(', '), 80)}`,
  );
  const t = await readParquet(bytes, { columns: [...INTRADAY_BAR_COLUMNS], label });
  const tsType = info.columns.find((c) => c.name === 'ts')!.type;
  if (tsType !== 'timestamp' && tsType !== 'int64' && tsType !== 'int32' && tsType !== 'double' && tsType !== 'string')
    throw new IntradayFileError(label, [
      { row: 0, column: 'ts', message: `has type ${tsType}; give a TIMESTAMP, epoch milliseconds or ISO 8601 text` },
    ]);
  const c = t.columns;
  function* rows(): Generator<RawRow> {
    for (let i = 0; i < t.numRows; i++)
      yield { row: i + 1, cells: Object.fromEntries(INTRADAY_BAR_COLUMNS.map((k) => [k, c[k][i] as Cell])) as Cells };
  }
  return toBars(label, rows(), interval);
}

/**
 * The bar length of a file without a declared one (see the top of the file): the longest of 15m, 5m, 1m that
 * every ts and the shortest step between two bars of one symbol are multiples of. Bars are on whole minutes.
 *
 * @example
 *   inferBarInterval([{ symbol: 'A', ts: t0 }, { symbol: 'A', ts: t0 + 600_000 }]); // '5m' (t0 = 09:30; 10 minutes is two 5m steps)
 */
export function inferBarInterval(bars: readonly Pick<IntradayBar, 'symbol' | 'ts'>[]): BarInterval {
  const last = new Map<string, number>();
  let minStep = Infinity;
  for (const b of [...bars].sort((x, y) => x.ts - y.ts)) {
    const prev = last.get(b.symbol);
    if (prev !== undefined && b.ts > prev) minStep = Math.min(minStep, b.ts - prev);
    last.set(b.symbol, b.ts);
  }
  for (const interval of ['15m', '5m'] as const) {
    const step = BAR_INTERVAL_MS[interval];
    if ((minStep === Infinity || minStep % step === 0) && bars.every((b) => b.ts % step === 0)) return interval;
  }
  return '1m';
}

/**
 * @example
 *   const p = createFileIntradayProvider({ path: 'bars_5m.csv' });
 *   const { bars } = await p.fetchBars(['AAPL'], Date.parse('2024-03-04T14:30:00Z'), Date.parse('2024-03-04T21:00:00Z'), '15m');
 */
export function createFileIntradayProvider(opts: FileIntradayOptions): IntradayProvider {
  let loaded: Promise<{ bySymbol: Map<string, IntradayBar[]>; fileInterval: BarInterval }> | null = null;
  const load = () =>
    (loaded ??= (async () => {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(opts.path));
      } catch (err) {
        throw new IntradayFileError(opts.path, [{ row: 0, column: '*', message: `cannot read: ${(err as Error).message}` }]);
      }
      const bars = /\.parquet$/i.test(opts.path)
        ? await parseIntradayParquet(bytes, opts.path, opts.interval)
        : parseIntradayCsv(decodeCsvText(bytes, opts.path), opts.path, opts.interval);
      const bySymbol = new Map<string, IntradayBar[]>();
      for (const b of bars) (bySymbol.get(b.symbol) ?? bySymbol.set(b.symbol, []).get(b.symbol)!).push(b);
      for (const list of bySymbol.values()) list.sort((a, b) => a.ts - b.ts);
      return { bySymbol, fileInterval: opts.interval ?? inferBarInterval(bars) };
    })().catch((err: unknown) => {
      loaded = null;
      throw err;
    }));

  return {
    name: 'file',
    async fetchBars(symbols, from, to, interval): Promise<IntradayResult> {
      if (!Object.hasOwn(BAR_INTERVAL_MS, interval)) throw new RangeError(`interval must be 1m, 5m or 15m, got ${String(interval)}`);
      const { bySymbol, fileInterval } = await load();
      const bars: IntradayBar[] = [];
      const failures: IntradayFailure[] = [];
      const step = BAR_INTERVAL_MS[interval];
      const finer = step < BAR_INTERVAL_MS[fileInterval];
      // Whole buckets of the coarser interval, so a cut range does not aggregate part of a bar.
      const lo = Math.floor(from / step) * step;
      const hi = Math.ceil(to / step) * step;
      for (const symbol of symbols) {
        const list = bySymbol.get(symbol);
        if (!list) {
          failures.push({ symbol, reason: `${symbol}: not in ${opts.path}` });
          continue;
        }
        if (finer) {
          failures.push({ symbol, reason: `${symbol}: ${opts.path} has ${fileInterval} bars; ${interval} bars cannot be made from them` });
          continue;
        }
        if (to <= from) continue;
        const inRange = list.filter((b) => b.ts >= lo && b.ts < hi);
        for (const b of interval === fileInterval ? inRange : aggregateBars(inRange, interval)) if (b.ts >= from && b.ts < to) bars.push(b);
      }
      return { bars, failures };
    },
  };
}
