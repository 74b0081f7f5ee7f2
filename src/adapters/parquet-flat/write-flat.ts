/**
 * A direct Parquet writer for flat files of required columns, written without
 * compression and without statistics: the fan-out's per-contract result file,
 * written 418 times a run, where a general writer's per-value work (BigInt
 * timestamps, boxed rows, a dictionary attempt and range checks per value)
 * cost more than the analysis. Typed arrays go into pages as they are:
 *
 *  - `timestamp`: INT64 TIMESTAMP(MILLIS, UTC), DELTA_BINARY_PACKED;
 *  - `double`: DOUBLE, PLAIN (the array's own little-endian bytes);
 *  - `int32`: INT32, PLAIN;
 *  - `string`: BYTE_ARRAY UTF8, a PLAIN dictionary page (values in order of
 *    first appearance) and RLE_DICTIONARY indices;
 *  - `labels`: the same STRING column from integer codes and their labels
 *    (a kernel's Int8Array of signals), without a string per row.
 *
 * One row group, one data page (v1) per column. The bytes depend only on the
 * values, so a re-run writes the same file. Readers: hyparquet, pyarrow, DuckDB.
 */
import { CompactWriter } from './thrift-compact';
import { bitWidth, deltaBinaryPacked, plainByteArrays, rleDictionaryIndices } from './encodings';

export type FlatColumn =
  | { name: string; type: 'timestamp' | 'double'; data: Float64Array }
  | { name: string; type: 'int32'; data: Int32Array }
  | { name: string; type: 'string'; data: ArrayLike<string> }
  | { name: string; type: 'labels'; data: ArrayLike<number>; labels: Readonly<Record<number, string>> };

export interface FlatWriteOptions {
  metadata?: Record<string, string>;
  createdBy?: string;
}

// parquet.thrift enums
const TYPE = { INT32: 1, INT64: 2, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
const ENCODING = { PLAIN: 0, RLE: 3, DELTA_BINARY_PACKED: 5, RLE_DICTIONARY: 8 } as const;
const PAGE = { DATA: 0, DICTIONARY: 2 } as const;
const CONVERTED = { UTF8: 0, TIMESTAMP_MILLIS: 9 } as const;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A typed array's values as little-endian bytes (a view on little-endian machines, every target of ours). */
function littleEndianBytes(a: Float64Array | Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) {
    if (a instanceof Float64Array) view.setFloat64(i * 8, a[i], true);
    else view.setInt32(i * 4, a[i], true);
  }
  return out;
}

interface ChunkMeta {
  column: FlatColumn;
  physicalType: number;
  encodings: number[];
  start: number;
  dictionaryPageOffset?: number;
  dataPageOffset: number;
  size: number;
}

function pageHeader(type: number, size: number, numValues: number, encoding: number): Uint8Array {
  const w = new CompactWriter();
  w.i32(1, type);
  w.i32(2, size);
  w.i32(3, size);
  if (type === PAGE.DATA) {
    w.struct(5, () => {
      w.i32(1, numValues);
      w.i32(2, encoding);
      w.i32(3, ENCODING.RLE);
      w.i32(4, ENCODING.RLE);
    });
  } else {
    w.struct(7, () => {
      w.i32(1, numValues);
      w.i32(2, encoding);
    });
  }
  return w.end();
}

interface Dictionary {
  labels: string[];
  indices: Uint32Array;
}

/** A string column's dictionary (first-appearance order) and each row's index into it. */
function dictionaryOfStrings(name: string, data: ArrayLike<string>): Dictionary {
  const index = new Map<string, number>();
  const labels: string[] = [];
  const indices = new Uint32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v !== 'string') throw new Error(`writeFlatParquet: column ${name} row ${i} is not a string (${String(v)})`);
    let k = index.get(v);
    if (k === undefined) {
      k = labels.length;
      index.set(v, k);
      labels.push(v);
    }
    indices[i] = k;
  }
  return { labels, indices };
}

/**
 * A coded column's dictionary: the labels of the codes that occur, in order of
 * first appearance (so it equals the dictionary of the same column as strings),
 * through a table indexed by code instead of a Map per row.
 */
function dictionaryOfCodes(name: string, codes: ArrayLike<number>, labelOf: Readonly<Record<number, string>>): Dictionary {
  const known = Object.keys(labelOf).map(Number);
  const lo = Math.min(...known);
  // Per code: NO_LABEL, NOT_SEEN (a label not yet in the dictionary) or its dictionary index.
  const NO_LABEL = -1;
  const NOT_SEEN = -2;
  const slot = new Int32Array(Math.max(...known) - lo + 1).fill(NO_LABEL);
  for (const c of known) slot[c - lo] = NOT_SEEN;
  const labels: string[] = [];
  const indices = new Uint32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] - lo;
    let k = slot[c];
    if (k === undefined || k === NO_LABEL || !Number.isInteger(c))
      throw new Error(`writeFlatParquet: column ${name} row ${i} has code ${codes[i]}, which has no label`);
    if (k === NOT_SEEN) {
      k = slot[c] = labels.length;
      labels.push(labelOf[codes[i]]);
    }
    indices[i] = k;
  }
  return { labels, indices };
}

function checkedTimestamps(name: string, data: Float64Array): Float64Array {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isSafeInteger(data[i]))
      throw new Error(`writeFlatParquet: column ${name} row ${i} is not a whole millisecond (${data[i]})`);
  }
  return data;
}

/**
 * Encode columns of equal length as one Parquet file.
 *
 * @example
 *   writeFlatParquet([
 *     { name: 'timestamp', type: 'timestamp', data: Float64Array.from([Date.UTC(2024, 0, 2, 15)]) },
 *     { name: 'signal', type: 'string', data: ['hold'] },
 *   ]);
 */
export function writeFlatParquet(columns: readonly FlatColumn[], opts: FlatWriteOptions = {}): Uint8Array {
  if (columns.length === 0) throw new Error('writeFlatParquet: no columns');
  const numRows = columns[0].data.length;
  const parts: Uint8Array[] = [new TextEncoder().encode('PAR1')];
  let offset = 4;
  const push = (b: Uint8Array) => {
    parts.push(b);
    offset += b.length;
  };
  const chunks: ChunkMeta[] = [];
  for (const column of columns) {
    if (column.data.length !== numRows)
      throw new Error(`writeFlatParquet: column ${column.name} has ${column.data.length} rows, ${columns[0].name} has ${numRows}`);
    const start = offset;
    let physicalType: number;
    let encodings: number[];
    let dictionaryPageOffset: number | undefined;
    let body: Uint8Array;
    let encoding: number;
    switch (column.type) {
      case 'timestamp':
        physicalType = TYPE.INT64;
        encoding = ENCODING.DELTA_BINARY_PACKED;
        body = deltaBinaryPacked(checkedTimestamps(column.name, column.data)).bytes();
        break;
      case 'double':
      case 'int32':
        physicalType = column.type === 'double' ? TYPE.DOUBLE : TYPE.INT32;
        encoding = ENCODING.PLAIN;
        body = littleEndianBytes(column.data);
        break;
      case 'string':
      case 'labels': {
        physicalType = TYPE.BYTE_ARRAY;
        encoding = ENCODING.RLE_DICTIONARY;
        const { labels, indices } =
          column.type === 'string'
            ? dictionaryOfStrings(column.name, column.data)
            : dictionaryOfCodes(column.name, column.data, column.labels);
        const dictionary = plainByteArrays(labels).bytes();
        dictionaryPageOffset = offset;
        push(pageHeader(PAGE.DICTIONARY, dictionary.length, labels.length, ENCODING.PLAIN));
        push(dictionary);
        body = rleDictionaryIndices(indices, Math.max(1, bitWidth(labels.length - 1))).bytes();
        break;
      }
      default:
        throw new Error(`writeFlatParquet: column ${(column as FlatColumn).name} has unknown type ${(column as { type: string }).type}`);
    }
    encodings = dictionaryPageOffset === undefined ? [encoding] : [ENCODING.PLAIN, encoding];
    const dataPageOffset = offset;
    push(pageHeader(PAGE.DATA, body.length, numRows, encoding));
    push(body);
    chunks.push({ column, physicalType, encodings, start, dictionaryPageOffset, dataPageOffset, size: offset - start });
  }
  const footer = fileMetadata(chunks, numRows, opts);
  push(footer);
  const tail = new Uint8Array(8);
  new DataView(tail.buffer).setUint32(0, footer.length, true);
  tail.set(new TextEncoder().encode('PAR1'), 4);
  push(tail);
  const out = new Uint8Array(offset);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function fileMetadata(chunks: readonly ChunkMeta[], numRows: number, opts: FlatWriteOptions): Uint8Array {
  const w = new CompactWriter();
  w.i32(1, 2);
  w.listStruct(2, [null, ...chunks], (c) => {
    if (c === null) {
      w.string(4, 'root');
      w.i32(5, chunks.length);
      return;
    }
    w.i32(1, c.physicalType);
    w.i32(3, 0); // REQUIRED
    w.string(4, c.column.name);
    if (c.column.type === 'string' || c.column.type === 'labels') {
      w.i32(6, CONVERTED.UTF8);
      w.struct(10, () => w.struct(1, () => {}));
    } else if (c.column.type === 'timestamp') {
      w.i32(6, CONVERTED.TIMESTAMP_MILLIS);
      w.struct(10, () =>
        w.struct(8, () => {
          w.bool(1, true);
          w.struct(2, () => w.struct(1, () => {}));
        }),
      );
    }
  });
  w.i64(3, numRows);
  const total = chunks.reduce((s, c) => s + c.size, 0);
  w.listStruct(4, [chunks], (cs) => {
    w.listStruct(1, cs, (c) => {
      w.i64(2, c.start);
      w.struct(3, () => {
        w.i32(1, c.physicalType);
        w.listI32(2, c.encodings);
        w.listString(3, [c.column.name]);
        w.i32(4, 0); // UNCOMPRESSED
        w.i64(5, numRows);
        w.i64(6, c.size);
        w.i64(7, c.size);
        w.i64(9, c.dataPageOffset);
        if (c.dictionaryPageOffset !== undefined) w.i64(11, c.dictionaryPageOffset);
      });
    });
    w.i64(2, total);
    w.i64(3, numRows);
    w.i64(5, cs[0]?.start ?? 4);
    w.i64(6, total);
  });
  const kv = Object.entries(opts.metadata ?? {});
  if (kv.length > 0) {
    w.listStruct(5, kv, ([key, value]) => {
      w.string(1, key);
      w.string(2, value);
    });
  }
  w.string(6, opts.createdBy ?? 'quant-workflows');
  return w.end();
}
