/**
 * Parquet read/write for the whole project, on hyparquet + hyparquet-writer
 * (pure JS, columnar, column projection and byte-range reads, no native deps;
 * chosen over the unmaintained parquetjs). The writer emits the types standard
 * readers expect: timestamps are INT64 TIMESTAMP(MILLIS, isAdjustedToUTC=true),
 * so pyarrow shows `timestamp[ms, tz=UTC]` and DuckDB `TIMESTAMP WITH TIME
 * ZONE`; prices are DOUBLE. The reader takes bytes or any range-readable
 * source (see `objectStoreAsyncBuffer`) and fetches only the footer and the
 * column chunks it is asked for, so one contract's column of a wide table
 * costs one column's bytes.
 */
import { parquetMetadataAsync, parquetRead, type AsyncBuffer, type FileMetaData, type SchemaElement } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ObjectStore } from './object-store/types';
import { QuantError } from '../domain/errors';

export type ParquetColumnType = 'timestamp' | 'double' | 'int32' | 'int64' | 'string' | 'boolean';

/** One column to write. Timestamps are epoch milliseconds (UTC). */
export type ParquetColumn =
  | { name: string; type: 'timestamp' | 'double'; data: Float64Array | ArrayLike<number | null>; nullable?: boolean }
  | { name: string; type: 'int32'; data: Int32Array | ArrayLike<number | null>; nullable?: boolean }
  | { name: string; type: 'int64'; data: BigInt64Array | ArrayLike<number | bigint | null>; nullable?: boolean }
  | { name: string; type: 'string'; data: ArrayLike<string | null>; nullable?: boolean }
  | { name: string; type: 'boolean'; data: ArrayLike<boolean | null>; nullable?: boolean };

export interface WriteParquetOptions {
  /** Key-value metadata stored in the footer (pyarrow: `schema.metadata`). */
  metadata?: Record<string, string>;
  /** Rows per row group. Default: all rows in one group, which keeps a wide table's footer small and a column one contiguous range. */
  rowGroupSize?: number;
  /** Default SNAPPY (what every reader supports). */
  codec?: 'SNAPPY' | 'UNCOMPRESSED';
  /** Column statistics (min/max) in the footer. Default true. */
  statistics?: boolean;
}

/** A range-readable file: bytes, hyparquet's AsyncBuffer, or one from `objectStoreAsyncBuffer`. `name` labels errors. */
export type ParquetSource = Uint8Array | (AsyncBuffer & { name?: string });

export type ParquetColumnValues =
  Float64Array | Int32Array | BigInt64Array | string[] | boolean[] | (number | bigint | string | boolean | null)[];

export interface ParquetTable {
  numRows: number;
  /** Requested columns in file order. timestamp and non-null double columns are Float64Array (timestamps as epoch ms). */
  columns: Record<string, ParquetColumnValues>;
}

export interface ParquetColumnInfo {
  name: string;
  /** Our type for the column, or `other:<physical type>` for anything this adapter does not write. */
  type: ParquetColumnType | `other:${string}`;
  nullable: boolean;
  /** Only for timestamps. */
  timestampUnit?: 'MILLIS' | 'MICROS' | 'NANOS';
  isAdjustedToUTC?: boolean;
}

export interface ParquetSchemaInfo {
  numRows: number;
  columns: ParquetColumnInfo[];
  metadata: Record<string, string>;
}

/** The file is not Parquet, is truncated, or its data cannot be decoded. Retrying cannot help. */
export class ParquetFormatError extends QuantError {
  readonly type = 'CorruptParquet';
  readonly retryable = false;
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}`, options);
    this.name = 'ParquetFormatError';
  }
}

/** A requested column is absent (or has the wrong type). Retrying cannot help. */
export class ParquetSchemaError extends QuantError {
  readonly type = 'MissingColumn';
  readonly retryable = false;
  constructor(
    readonly file: string,
    readonly columns: string[],
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ParquetSchemaError';
  }
}

/**
 * Encode columns as one Parquet file. All columns must have the same length.
 *
 * @example
 *   const bytes = writeParquet([
 *     { name: 'timestamp', type: 'timestamp', data: [Date.UTC(2000, 0, 27, 15)] },
 *     { name: 'close', type: 'double', data: new Float64Array([1401.5]) },
 *   ], { metadata: { source: 'synthetic' } });
 */
export function writeParquet(columns: ParquetColumn[], opts: WriteParquetOptions = {}): Uint8Array {
  if (columns.length === 0) throw new Error('writeParquet: no columns');
  const numRows = columns[0].data.length;
  const seen = new Set<string>();
  for (const c of columns) {
    if (c.data.length !== numRows)
      throw new Error(`writeParquet: column ${c.name} has ${c.data.length} rows, ${columns[0].name} has ${numRows}`);
    if (seen.has(c.name)) throw new Error(`writeParquet: duplicate column ${c.name}`);
    seen.add(c.name);
  }
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }];
  const columnData = columns.map((c) => {
    const repetition_type = c.nullable ? 'OPTIONAL' : 'REQUIRED';
    if (!c.nullable) assertNoNulls(c);
    switch (c.type) {
      case 'timestamp':
        schema.push({
          name: c.name,
          type: 'INT64',
          repetition_type,
          converted_type: 'TIMESTAMP_MILLIS',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
        });
        // Regular bar times delta-encode to a few bytes per row instead of 8.
        return { name: c.name, data: timestampsToBigInt(c.data), encoding: 'DELTA_BINARY_PACKED' as const };
      case 'double':
        schema.push({ name: c.name, type: 'DOUBLE', repetition_type });
        // PLAIN skips the writer's dictionary attempt, which never wins on continuous prices.
        return { name: c.name, data: c.nullable ? Array.from(c.data) : toFloat64(c.data), encoding: 'PLAIN' as const };
      case 'int32':
        schema.push({ name: c.name, type: 'INT32', repetition_type });
        return { name: c.name, data: c.nullable ? Array.from(c.data) : Int32Array.from(c.data as ArrayLike<number>) };
      case 'int64':
        schema.push({ name: c.name, type: 'INT64', repetition_type });
        return { name: c.name, data: Array.from(c.data, (v) => (v === null ? null : BigInt(v))) };
      case 'string':
        schema.push({ name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type });
        return { name: c.name, data: Array.from(c.data) };
      case 'boolean':
        schema.push({ name: c.name, type: 'BOOLEAN', repetition_type });
        return { name: c.name, data: Array.from(c.data) };
      default:
        throw new Error(`writeParquet: column ${(c as ParquetColumn).name} has unknown type ${(c as { type: string }).type}`);
    }
  });
  const buf = parquetWriteBuffer({
    columnData,
    schema: schema as NonNullable<Parameters<typeof parquetWriteBuffer>[0]['schema']>,
    codec: opts.codec ?? 'SNAPPY',
    statistics: opts.statistics ?? true,
    rowGroupSize: opts.rowGroupSize ?? Math.max(1, numRows),
    kvMetadata: opts.metadata ? Object.entries(opts.metadata).map(([key, value]) => ({ key, value })) : undefined,
    createdBy: 'quant-workflows (hyparquet-writer)',
  });
  return new Uint8Array(buf);
}

function assertNoNulls(c: ParquetColumn): void {
  const d = c.data as ArrayLike<unknown>;
  if (d instanceof Float64Array || d instanceof Int32Array || d instanceof BigInt64Array) return;
  for (let i = 0; i < d.length; i++) {
    if (d[i] === null || d[i] === undefined)
      throw new Error(`writeParquet: column ${c.name} row ${i} is null but the column is not nullable`);
  }
}

function toFloat64(d: ArrayLike<number | null>): Float64Array {
  return d instanceof Float64Array ? d : Float64Array.from(d as ArrayLike<number>);
}

function timestampsToBigInt(d: ArrayLike<number | null>): (bigint | null)[] {
  const out = new Array<bigint | null>(d.length);
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v === null || v === undefined) out[i] = null;
    else if (!Number.isFinite(v)) throw new Error(`writeParquet: timestamp row ${i} is not finite (${v})`);
    else out[i] = BigInt(Math.round(v));
  }
  return out;
}

/** Default label for errors when the caller gave none. */
const labelOf = (src: ParquetSource): string => (src instanceof Uint8Array ? '<parquet bytes>' : (src.name ?? '<parquet file>'));

function toAsyncBuffer(src: ParquetSource): AsyncBuffer {
  if (src instanceof Uint8Array) {
    const ab = src.byteOffset === 0 && src.byteLength === src.buffer.byteLength ? (src.buffer as ArrayBuffer) : src.slice().buffer;
    return { byteLength: ab.byteLength, slice: (s: number, e?: number) => ab.slice(s, e) };
  }
  return src;
}

/**
 * An error of the object store under the range reads (an outage, a missing
 * object, a refused connection), not of the bytes: it keeps its own class and
 * retryability, so an outage is retried instead of failing as corrupt data.
 * Decoding errors from hyparquet are plain Errors without a system `code`.
 */
function isStoreError(err: unknown): boolean {
  return err instanceof QuantError || (err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string');
}

/** Read and parse the footer, turning every decoding failure into a ParquetFormatError that says what is wrong. */
async function readMetadata(file: AsyncBuffer, label: string): Promise<FileMetaData> {
  if (file.byteLength < 12) {
    throw new ParquetFormatError(label, `not a Parquet file (${file.byteLength} bytes; a Parquet file has at least 12)`);
  }
  try {
    // 64 KiB covers the footer of a 500-column file; hyparquet fetches the rest if it is bigger.
    return await parquetMetadataAsync(file, { initialFetchSize: 1 << 16, parsers: parsers() });
  } catch (err) {
    if (isStoreError(err)) throw err;
    const head = new Uint8Array(await file.slice(0, 4));
    const magic = String.fromCharCode(...head) === 'PAR1';
    const reason = magic
      ? `truncated or corrupt Parquet file (${file.byteLength} bytes; footer unreadable: ${(err as Error).message})`
      : 'not a Parquet file (no PAR1 magic bytes)';
    throw new ParquetFormatError(label, reason, { cause: err });
  }
}

/** Timestamps decode to epoch milliseconds (numbers), not Date objects: cheaper and what the domain code uses. */
function parsers() {
  return {
    timestampFromMilliseconds: (ms: bigint) => Number(ms),
    timestampFromMicroseconds: (us: bigint) => Number(us) / 1000,
    timestampFromNanoseconds: (ns: bigint) => Number(ns / 1000n) / 1000,
  };
}

function describeColumn(el: SchemaElement): ParquetColumnInfo {
  const nullable = el.repetition_type !== 'REQUIRED';
  const lt = el.logical_type;
  if (el.type === 'INT64' && lt?.type === 'TIMESTAMP') {
    return { name: el.name, type: 'timestamp', nullable, timestampUnit: lt.unit, isAdjustedToUTC: lt.isAdjustedToUTC };
  }
  if (el.type === 'INT64' && (el.converted_type === 'TIMESTAMP_MILLIS' || el.converted_type === 'TIMESTAMP_MICROS')) {
    return {
      name: el.name,
      type: 'timestamp',
      nullable,
      timestampUnit: el.converted_type === 'TIMESTAMP_MILLIS' ? 'MILLIS' : 'MICROS',
      isAdjustedToUTC: true,
    };
  }
  if (el.type === 'DOUBLE') return { name: el.name, type: 'double', nullable };
  if (el.type === 'INT32' && !el.converted_type && !lt) return { name: el.name, type: 'int32', nullable };
  if (el.type === 'INT64' && !el.converted_type && !lt) return { name: el.name, type: 'int64', nullable };
  if (el.type === 'BOOLEAN') return { name: el.name, type: 'boolean', nullable };
  if (el.type === 'BYTE_ARRAY' && (el.converted_type === 'UTF8' || lt?.type === 'STRING'))
    return { name: el.name, type: 'string', nullable };
  return { name: el.name, type: `other:${el.type ?? 'group'}${el.converted_type ? `/${el.converted_type}` : ''}`, nullable };
}

function schemaInfo(meta: FileMetaData): ParquetSchemaInfo {
  // Top-level columns only: the files this project writes are flat.
  const columns: ParquetColumnInfo[] = [];
  const els = meta.schema;
  let i = 1;
  while (i < els.length) {
    const el = els[i];
    columns.push(describeColumn(el));
    // skip a nested group's descendants
    let skip = el.num_children ?? 0;
    i++;
    while (skip > 0 && i < els.length) {
      skip += (els[i].num_children ?? 0) - 1;
      i++;
    }
  }
  const metadata: Record<string, string> = {};
  for (const kv of meta.key_value_metadata ?? []) metadata[kv.key] = kv.value ?? '';
  return { numRows: Number(meta.num_rows), columns, metadata };
}

/**
 * Footer facts: row count, column names and types, key-value metadata. Reads only the footer.
 *
 * @example
 *   const info = await parquetSchemaInfo(objectStoreAsyncBuffer(store, key));
 *   info.columns.find((c) => c.name === 'timestamp')?.type; // 'timestamp'
 */
export async function parquetSchemaInfo(source: ParquetSource, opts: { label?: string } = {}): Promise<ParquetSchemaInfo> {
  const label = opts.label ?? labelOf(source);
  return schemaInfo(await readMetadata(toAsyncBuffer(source), label));
}

/** A file's parsed footer, to read several column sets of one file without parsing its footer each time. */
export interface ParquetFooter {
  readonly info: ParquetSchemaInfo;
  /** hyparquet's metadata, passed back to `readParquet`. */
  readonly metadata: FileMetaData;
}

/**
 * Read and parse the footer once (a wide file's footer, hundreds of columns, costs more to parse than one
 * column chunk to decode). Valid for the file's bytes as they are now.
 *
 * @example
 *   const footer = await parquetFooter(file);
 *   await readParquet(file, { columns: ['AAPL'], footer });
 */
export async function parquetFooter(source: ParquetSource, opts: { label?: string } = {}): Promise<ParquetFooter> {
  const metadata = await readMetadata(toAsyncBuffer(source), opts.label ?? labelOf(source));
  return { info: schemaInfo(metadata), metadata };
}

/** Column names in file order. Reads only the footer. */
export async function parquetColumnNames(source: ParquetSource, opts: { label?: string } = {}): Promise<string[]> {
  return (await parquetSchemaInfo(source, opts)).columns.map((c) => c.name);
}

export interface ReadParquetOptions {
  /** Columns to read (only their bytes are fetched). Default: all. */
  columns?: string[];
  /** Names the file in errors; defaults to the source's `name` (an object key). */
  label?: string;
  /** The file's footer from `parquetFooter` (not read again). */
  footer?: ParquetFooter;
}

/**
 * Read columns of a Parquet file. Missing columns raise ParquetSchemaError
 * naming them and the file; an unreadable file raises ParquetFormatError.
 *
 * @example
 *   const { numRows, columns } = await readParquet(objectStoreAsyncBuffer(store, key), { columns: ['timestamp', 'AAPL'] });
 *   const ts = columns.timestamp as Float64Array; // epoch ms
 */
export async function readParquet(source: ParquetSource, opts: ReadParquetOptions = {}): Promise<ParquetTable> {
  const label = opts.label ?? labelOf(source);
  const file = toAsyncBuffer(source);
  const metadata = opts.footer?.metadata ?? (await readMetadata(file, label));
  const info = opts.footer?.info ?? schemaInfo(metadata);
  const byName = new Map(info.columns.map((c) => [c.name, c]));
  const wanted = opts.columns ?? info.columns.map((c) => c.name);
  const missing = wanted.filter((c) => !byName.has(c));
  if (missing.length > 0) {
    throw new ParquetSchemaError(
      label,
      missing,
      `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (file has ${summariseNames(info.columns.map((c) => c.name))})`,
    );
  }
  const numRows = info.numRows;
  const out: Record<string, ParquetColumnValues> = {};
  const targets = new Map<string, ParquetColumnValues>();
  for (const name of wanted) {
    const c = byName.get(name)!;
    let arr: ParquetColumnValues;
    if (!c.nullable && (c.type === 'double' || c.type === 'timestamp')) arr = new Float64Array(numRows);
    else if (!c.nullable && c.type === 'int32') arr = new Int32Array(numRows);
    else if (!c.nullable && c.type === 'int64') arr = new BigInt64Array(numRows);
    else arr = new Array(numRows);
    targets.set(name, arr);
  }
  const filled = new Map<string, number>();
  try {
    await parquetRead({
      file,
      metadata,
      columns: wanted,
      parsers: parsers(),
      onChunk: ({ columnName, columnData, rowStart }) => {
        const target = targets.get(columnName);
        if (!target) return;
        if (ArrayBuffer.isView(target)) {
          (target as Float64Array).set(columnData as ArrayLike<number>, rowStart);
        } else {
          for (let i = 0; i < columnData.length; i++) (target as unknown[])[rowStart + i] = columnData[i] ?? null;
        }
        filled.set(columnName, (filled.get(columnName) ?? 0) + columnData.length);
      },
    });
  } catch (err) {
    if (err instanceof ParquetFormatError || isStoreError(err)) throw err;
    throw new ParquetFormatError(label, `corrupt Parquet data: ${(err as Error).message}`, { cause: err });
  }
  for (const name of wanted) {
    const got = filled.get(name) ?? 0;
    if (got !== numRows) throw new ParquetFormatError(label, `column ${name} decoded ${got} rows, footer says ${numRows}`);
    out[name] = targets.get(name)!;
  }
  return { numRows, columns: out };
}

function summariseNames(names: string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 6).join(', ')}, ... ${names.length} columns`;
}

/**
 * hyparquet's AsyncBuffer over an object in a store: the reader pulls only
 * the byte ranges it needs (footer, then the requested column chunks) through
 * `getRange`. `byteLength` comes from one `size` call. `bytesRead` counts what
 * was fetched, for tests and diagnostics.
 *
 * @example
 *   const file = await objectStoreAsyncBuffer(store, 'datasets/synthetic/spx_holdings_hourly.parquet');
 *   await readParquet(file, { columns: ['timestamp', 'AAPL'] });
 */
export async function objectStoreAsyncBuffer(
  store: ObjectStore,
  key: string,
): Promise<AsyncBuffer & { name: string; bytesRead: () => number }> {
  const byteLength = await store.size(key);
  let bytesRead = 0;
  return {
    name: key,
    byteLength,
    bytesRead: () => bytesRead,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const s = start < 0 ? Math.max(0, byteLength + start) : start;
      const e = end === undefined ? byteLength : end < 0 ? byteLength + end : Math.min(end, byteLength);
      if (e <= s) return new ArrayBuffer(0);
      const bytes = await store.getRange(key, s, e - s);
      bytesRead += bytes.byteLength;
      return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : (bytes.slice().buffer as ArrayBuffer);
    },
  };
}
