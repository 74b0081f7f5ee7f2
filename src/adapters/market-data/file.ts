/**
 * The `file` provider: end-of-day bars imported from a CSV or Parquet file
 * with the columns date, symbol, open, high, low, close, adj_close, volume
 * (any order, extra columns ignored). Every row is validated with zod; a
 * malformed CSV row is reported with its line number in `rejectedRows` and
 * the rest is imported. These make the whole file an error (non-retryable,
 * nothing imported): a missing column (named); a CSV that is not UTF-8 text
 * (NotTextFile); no valid row at all (EmptyImport); the same (symbol, date)
 * on two rows (DuplicateRows, every repeat listed by line: which row is right
 * is the user's call). Messages quote the file's content only as a short
 * escaped excerpt. The file is read once, on first use. Fundamentals and dividends are not in such a file:
 * fundamentals come back all-null (neutral), dividends empty.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { parquetColumnNames, readParquet } from '../parquet';
import { DuplicateRowsError, EmptyImportError, escapedExcerpt, MarketDataFileError, NotTextFileError, UnknownSymbolError } from './errors';
import { BAR_COLUMNS } from '../tables/market-data';
import type { DataProvider, Dividend, EodBar, EodResult, Fundamentals, RejectedRow, SymbolFailure } from './types';

export interface FileProviderOptions {
  /** A `.csv` or `.parquet` file. */
  path: string;
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d,
    'not a calendar date',
  );
const num = z.coerce.number({ error: 'not a number' }).refine(Number.isFinite, 'not a finite number');

/** One imported row, after coercion from text. */
export const fileRowSchema = z.object({
  date: isoDate,
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
  adj_close: num,
  volume: num.refine((v) => v >= 0, 'volume must be >= 0'),
});

/** Split one CSV line (RFC 4180 quotes, no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * The file's text, or NotTextFileError: a NUL byte means binary data, and
 * bytes that are not UTF-8 cannot be text we could quote or store.
 */
export function decodeCsvText(bytes: Uint8Array, label: string): string {
  const nul = bytes.indexOf(0);
  const excerpt = () => escapedExcerpt(bytes, 32);
  if (nul >= 0) throw new NotTextFileError(label, `binary data (NUL byte at offset ${nul}); starts ${excerpt()}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new NotTextFileError(label, `not valid UTF-8; starts ${excerpt()}`);
  }
  const control = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
  if (control) {
    const line = text.slice(0, control.index).split('\n').length;
    throw new NotTextFileError(
      label,
      `control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} on line ${line}`,
    );
  }
  return text;
}

/** The (symbol, date) pairs seen twice, each with the line that had it first. */
function findDuplicates(rows: ReadonlyArray<{ line: number; bar: EodBar }>) {
  const first = new Map<string, number>();
  const duplicates: Array<{ line: number; firstLine: number; symbol: string; date: string }> = [];
  for (const { line, bar } of rows) {
    const key = `${bar.symbol}\u0000${bar.date}`;
    const seen = first.get(key);
    if (seen === undefined) first.set(key, line);
    else duplicates.push({ line, firstLine: seen, symbol: bar.symbol, date: bar.date });
  }
  return duplicates;
}

/** The whole-file rules every format shares: at least one valid row, no repeated (symbol, date). */
function checkImport(
  rows: ReadonlyArray<{ line: number; bar: EodBar }>,
  rejectedRows: RejectedRow[],
  label: string,
): { bars: EodBar[]; rejectedRows: RejectedRow[] } {
  if (rows.length === 0) {
    const detail = rejectedRows.length
      ? `all ${rejectedRows.length} data rows are malformed (first: line ${rejectedRows[0].line}: ${rejectedRows[0].message})`
      : 'the file has a header and no data rows';
    throw new EmptyImportError(label, detail);
  }
  const duplicates = findDuplicates(rows);
  if (duplicates.length) throw new DuplicateRowsError(label, duplicates);
  return { bars: rows.map((r) => r.bar), rejectedRows };
}

function describeIssues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ');
}

/**
 * Parse CSV text into bars and rejected rows.
 *
 * @example
 *   parseBarsCsv('date,symbol,open,high,low,close,adj_close,volume\n2024-01-02,AAPL,1,2,0.5,1.5,1.5,100\n', 'x.csv')
 */
export function parseBarsCsv(text: string, label: string): { bars: EodBar[]; rejectedRows: RejectedRow[] } {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  const missing = BAR_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length)
    throw new MarketDataFileError(
      label,
      `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header starts ${escapedExcerpt(lines[0] ?? '', 80)})`,
    );
  const idx = Object.fromEntries(BAR_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof BAR_COLUMNS)[number], number>;
  const rows: Array<{ line: number; bar: EodBar }> = [];
  const rejectedRows: RejectedRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = splitCsvLine(lines[i]);
    if (cells.length !== header.length) {
      rejectedRows.push({ line: i + 1, message: `expected ${header.length} fields, got ${cells.length}` });
      continue;
    }
    const raw = Object.fromEntries(BAR_COLUMNS.map((c) => [c, cells[idx[c]].trim()]));
    // z.coerce.number turns '' into 0; an empty cell is missing, not zero.
    const empty = BAR_COLUMNS.filter((c) => raw[c] === '');
    if (empty.length) {
      rejectedRows.push({ line: i + 1, message: `empty ${empty.join(', ')}` });
      continue;
    }
    const r = fileRowSchema.safeParse(raw);
    if (!r.success) {
      rejectedRows.push({ line: i + 1, message: describeIssues(r.error) });
      continue;
    }
    const v = r.data;
    rows.push({
      line: i + 1,
      bar: {
        symbol: v.symbol,
        date: v.date,
        open: v.open,
        high: v.high,
        low: v.low,
        close: v.close,
        adjClose: v.adj_close,
        volume: v.volume,
      },
    });
  }
  return checkImport(rows, rejectedRows, label);
}

async function parseBarsParquet(bytes: Uint8Array, label: string): Promise<{ bars: EodBar[]; rejectedRows: RejectedRow[] }> {
  const names = await parquetColumnNames(bytes, { label });
  const missing = BAR_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length)
    throw new MarketDataFileError(
      label,
      `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (file has ${escapedExcerpt(names.join(', '), 80)})`,
    );
  const t = await readParquet(bytes, { columns: [...BAR_COLUMNS], label });
  const c = t.columns;
  const rows: Array<{ line: number; bar: EodBar }> = [];
  const rejectedRows: RejectedRow[] = [];
  for (let i = 0; i < t.numRows; i++) {
    const d = c.date[i];
    const raw = {
      date: typeof d === 'string' ? d : d === null ? '' : new Date(Number(d)).toISOString().slice(0, 10),
      symbol: c.symbol[i] === null ? '' : String(c.symbol[i]),
      ...Object.fromEntries(
        ['open', 'high', 'low', 'close', 'adj_close', 'volume'].map((k) => [k, c[k][i] === null ? NaN : Number(c[k][i])]),
      ),
    };
    const r = fileRowSchema.safeParse(raw);
    if (!r.success) {
      rejectedRows.push({ line: i + 2, message: describeIssues(r.error) });
      continue;
    }
    const v = r.data;
    rows.push({
      line: i + 2,
      bar: {
        symbol: v.symbol,
        date: v.date,
        open: v.open,
        high: v.high,
        low: v.low,
        close: v.close,
        adjClose: v.adj_close,
        volume: v.volume,
      },
    });
  }
  return checkImport(rows, rejectedRows, label);
}

/**
 * @example
 *   const p = createFileProvider({ path: 'prices.csv' });
 *   const { bars, rejectedRows } = await p.fetchEod(['AAPL'], '2024-01-01', '2024-12-31');
 */
export function createFileProvider(opts: FileProviderOptions): DataProvider {
  let loaded: Promise<{ bySymbol: Map<string, EodBar[]>; rejectedRows: RejectedRow[] }> | null = null;
  const load = () =>
    (loaded ??= (async () => {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(opts.path));
      } catch (err) {
        loaded = null;
        throw new MarketDataFileError(opts.path, `cannot read: ${(err as Error).message}`);
      }
      const parsed = /\.parquet$/i.test(opts.path)
        ? await parseBarsParquet(bytes, opts.path)
        : parseBarsCsv(decodeCsvText(bytes, opts.path), opts.path);
      const bySymbol = new Map<string, EodBar[]>();
      for (const b of parsed.bars) (bySymbol.get(b.symbol) ?? bySymbol.set(b.symbol, []).get(b.symbol)!).push(b);
      for (const list of bySymbol.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      return { bySymbol, rejectedRows: parsed.rejectedRows };
    })());

  return {
    name: 'file',
    async fetchEod(symbols, from, to): Promise<EodResult> {
      const { bySymbol, rejectedRows } = await load();
      const bars: EodBar[] = [];
      const failures: SymbolFailure[] = [];
      for (const s of symbols) {
        const list = bySymbol.get(s);
        if (!list) {
          failures.push({ symbol: s, type: 'UnknownSymbol', message: `${s}: not in ${opts.path}` });
          continue;
        }
        for (const b of list) if (b.date >= from && b.date <= to) bars.push(b);
      }
      return { bars, failures, rejectedRows };
    },
    async fetchFundamentals(symbol): Promise<Fundamentals> {
      const { bySymbol } = await load();
      if (!bySymbol.has(symbol)) throw new UnknownSymbolError(symbol, `not in ${opts.path}`);
      return { symbol, sector: null, peRatio: null, dividendYield: null, roe: null, debtToEquity: null, currentRatio: null };
    },
    async fetchDividends(symbol): Promise<Dividend[]> {
      const { bySymbol } = await load();
      if (!bySymbol.has(symbol)) throw new UnknownSymbolError(symbol, `not in ${opts.path}`);
      return [];
    },
  };
}
