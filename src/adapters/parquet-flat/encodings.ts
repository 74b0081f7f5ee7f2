/**
 * Parquet value encodings for the flat writer, each producing a page body:
 * DELTA_BINARY_PACKED for INT64 (regular bar times cost a few bits a row),
 * the RLE / bit-packed hybrid for dictionary indices (a label column of long
 * runs costs a few bytes per run), and PLAIN byte arrays for a dictionary.
 * Integers are Numbers, exact below 2^53 in magnitude: epoch milliseconds and
 * their differences stay far inside that.
 */
import { CompactWriter } from './thrift-compact';

/** Bits needed for a non-negative integer below 2^53 (0 for 0). */
export function bitWidth(max: number): number {
  if (max < 0x100000000) return 32 - Math.clz32(max);
  return 32 + bitWidth(Math.floor(max / 0x100000000));
}

/**
 * Parquet's bit packing (least significant bit first): `count` non-negative
 * integers below 2^53 from `values[from]`, those at `end` or beyond packed as
 * 0 (padding), at `width` bits each, appended to `out`. One pass with a local
 * accumulator, 16 bits at a time so the shifts stay inside 32 bits. Shared by
 * the delta encoder's miniblocks and the RLE hybrid's literal groups.
 */
function bitPack(values: ArrayLike<number>, from: number, end: number, count: number, width: number, out: CompactWriter): void {
  const bytes = new Uint8Array(Math.ceil((count * width) / 8));
  let acc = 0;
  let bits = 0;
  let pos = 0;
  for (let k = from; k < from + count; k++) {
    let v = k < end ? values[k] : 0;
    let left = width;
    while (left > 0) {
      const take = left > 16 ? 16 : left;
      const part = take === 16 ? v % 0x10000 : v;
      acc |= part << bits;
      bits += take;
      while (bits >= 8) {
        bytes[pos++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
      v = Math.floor(v / 0x10000);
      left -= take;
    }
  }
  if (bits > 0) bytes[pos] = acc & 0xff;
  out.raw(bytes);
}

const BLOCK = 128;
const MINIBLOCKS = 4;
const MINIBLOCK = BLOCK / MINIBLOCKS;

/**
 * DELTA_BINARY_PACKED: a header (block size 128, 4 miniblocks, count, first
 * value), then per block of 128 deltas the smallest delta and each miniblock's
 * deltas above it, bit-packed at the miniblock's width. A last partial
 * miniblock is padded to 32 values; miniblocks past the end have width 0 and no bytes.
 *
 * @example
 *   deltaBinaryPacked(Float64Array.from([1e12, 1e12 + 3.6e6, 1e12 + 7.2e6])); // 11 bytes
 */
export function deltaBinaryPacked(values: ArrayLike<number>, out = new CompactWriter()): CompactWriter {
  const n = values.length;
  out.varint(BLOCK);
  out.varint(MINIBLOCKS);
  out.varint(n);
  out.zigzag(n > 0 ? values[0] : 0);
  const deltas = new Float64Array(BLOCK);
  const widths = new Uint8Array(MINIBLOCKS);
  for (let start = 1; start < n; start += BLOCK) {
    const count = Math.min(BLOCK, n - start);
    let min = Infinity;
    for (let k = 0; k < count; k++) {
      const d = values[start + k] - values[start + k - 1];
      deltas[k] = d;
      if (d < min) min = d;
    }
    out.zigzag(min);
    widths.fill(0);
    for (let m = 0; m * MINIBLOCK < count; m++) {
      let max = 0;
      const end = Math.min(count, (m + 1) * MINIBLOCK);
      for (let k = m * MINIBLOCK; k < end; k++) if (deltas[k] - min > max) max = deltas[k] - min;
      widths[m] = bitWidth(max);
    }
    for (const w of widths) out.byte(w);
    for (let m = 0; m * MINIBLOCK < count; m++) {
      const w = widths[m];
      if (w === 0) continue;
      for (let k = m * MINIBLOCK; k < Math.min(count, (m + 1) * MINIBLOCK); k++) deltas[k] -= min;
      bitPack(deltas, m * MINIBLOCK, count, MINIBLOCK, w, out);
    }
  }
  return out;
}

/**
 * The RLE / bit-packed hybrid of dictionary indices, prefixed by the bit
 * width byte (the RLE_DICTIONARY data page body): runs of 8 or more equal
 * indices become one RLE run, the rest bit-packed groups of 8.
 *
 * @example
 *   rleDictionaryIndices(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), 1);
 */
export function rleDictionaryIndices(indices: ArrayLike<number>, width: number, out = new CompactWriter()): CompactWriter {
  out.byte(width);
  const n = indices.length;
  const valueBytes = Math.ceil(width / 8);
  let literalStart = 0;
  let literalCount = 0;
  const flushLiterals = () => {
    if (literalCount === 0) return;
    const groups = Math.ceil(literalCount / 8);
    out.varint(groups * 2 + 1);
    bitPack(indices, literalStart, literalStart + literalCount, groups * 8, width, out);
    literalCount = 0;
  };
  let i = 0;
  while (i < n) {
    let run = 1;
    while (i + run < n && indices[i + run] === indices[i]) run++;
    if (run >= 8 && literalCount % 8 === 0) {
      flushLiterals();
      out.varint(run * 2);
      let v = indices[i];
      for (let b = 0; b < valueBytes; b++) {
        out.byte(v & 0xff);
        v >>>= 8;
      }
      i += run;
    } else {
      // Literals go out in whole groups of 8: a run that starts mid-group first tops the group up.
      const take = run >= 8 ? 8 - (literalCount % 8) : 1;
      if (literalCount === 0) literalStart = i;
      literalCount += take;
      i += take;
    }
  }
  flushLiterals();
  return out;
}

const utf8 = new TextEncoder();

/** PLAIN BYTE_ARRAY values: each a 4-byte little-endian length and its UTF-8 bytes. */
export function plainByteArrays(values: readonly string[], out = new CompactWriter()): CompactWriter {
  for (const v of values) {
    const b = utf8.encode(v);
    out.byte(b.length & 0xff);
    out.byte((b.length >>> 8) & 0xff);
    out.byte((b.length >>> 16) & 0xff);
    out.byte((b.length >>> 24) & 0xff);
    out.raw(b);
  }
  return out;
}
