/**
 * A tiny binary format for the claim-check object between `loadContract` and
 * `analyzeContract`: equal-length float64 columns behind a small JSON header.
 * It exists for speed (encoding is a memcpy, where Parquet costs tens of ms
 * per contract), and it is internal: the object is deleted once the
 * contract's result Parquet is published.
 *
 * Layout: "QWS1" | u32 LE header length | header JSON {"rows":n,"columns":[...]} |
 * padding to 8 bytes | n float64 LE per column, in header order.
 */
import { QuantError } from '../domain/errors';

const MAGIC = 'QWS1';

export class SeriesBlobError extends QuantError {
  readonly type = 'CorruptSeriesBlob';
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = 'SeriesBlobError';
  }
}

/**
 * @example
 *   const bytes = encodeSeries({ price: Float64Array.of(1, 2) });
 *   decodeSeries(bytes).price[1]; // 2
 */
export function encodeSeries(columns: Record<string, Float64Array>): Uint8Array {
  const names = Object.keys(columns);
  const rows = names.length ? columns[names[0]].length : 0;
  for (const n of names)
    if (columns[n].length !== rows) throw new RangeError(`column ${n} has ${columns[n].length} rows, expected ${rows}`);
  const header = new TextEncoder().encode(JSON.stringify({ rows, columns: names }));
  const dataStart = Math.ceil((8 + header.length) / 8) * 8;
  const out = new Uint8Array(dataStart + names.length * rows * 8);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, header.length, true);
  out.set(header, 8);
  const data = new Float64Array(out.buffer, dataStart, names.length * rows);
  names.forEach((n, i) => data.set(columns[n], i * rows));
  return out;
}

export function decodeSeries(bytes: Uint8Array, label = 'series blob'): Record<string, Float64Array> {
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC)
    throw new SeriesBlobError(`${label}: not a series blob`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true);
  let header: { rows: number; columns: string[] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw new SeriesBlobError(`${label}: unreadable header`);
  }
  const dataStart = Math.ceil((8 + headerLength) / 8) * 8;
  const expected = dataStart + header.columns.length * header.rows * 8;
  if (bytes.length !== expected) throw new SeriesBlobError(`${label}: ${bytes.length} bytes, expected ${expected} (truncated?)`);
  // Copy into an aligned buffer: the input may sit at any byte offset.
  const data = new Float64Array(bytes.slice(dataStart).buffer);
  const out: Record<string, Float64Array> = {};
  header.columns.forEach((n, i) => (out[n] = data.subarray(i * header.rows, (i + 1) * header.rows)));
  return out;
}
