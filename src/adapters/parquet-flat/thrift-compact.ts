/**
 * The Thrift compact protocol, write side only, for Parquet's page headers and
 * footer. A struct is written field by field in increasing id order; the
 * writer keeps the last field id per open struct so each header is one byte.
 * Integers are zigzag varints computed with Number arithmetic, exact up to
 * 2^52 in magnitude (file offsets, row counts and epoch milliseconds all fit).
 */

/** Compact-protocol type codes (a bool field carries its value in the type). */
export const CT = { TRUE: 1, FALSE: 2, I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;

const utf8 = new TextEncoder();

/** A growable byte buffer with the compact protocol's primitives. */
export class CompactWriter {
  private buf = new Uint8Array(256);
  private len = 0;
  private lastField: number[] = [0];

  get length(): number {
    return this.len;
  }

  /** The bytes written so far (a copy-free view). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  /** Unsigned varint of a non-negative integer below 2^53. */
  varint(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  /** Zigzag varint: 0, -1, 1, -2 ... -> 0, 1, 2, 3 ... */
  zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  private fieldHeader(id: number, type: number): void {
    const last = this.lastField[this.lastField.length - 1];
    const delta = id - last;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.zigzag(id);
    }
    this.lastField[this.lastField.length - 1] = id;
  }

  i32(id: number, v: number): void {
    this.fieldHeader(id, CT.I32);
    this.zigzag(v);
  }

  i64(id: number, v: number): void {
    this.fieldHeader(id, CT.I64);
    this.zigzag(v);
  }

  bool(id: number, v: boolean): void {
    this.fieldHeader(id, v ? CT.TRUE : CT.FALSE);
  }

  string(id: number, s: string): void {
    this.fieldHeader(id, CT.BINARY);
    this.binaryValue(utf8.encode(s));
  }

  private binaryValue(b: Uint8Array): void {
    this.varint(b.length);
    this.raw(b);
  }

  /** A nested struct field: `body` writes its fields, the stop byte closes it. */
  struct(id: number, body: () => void): void {
    this.fieldHeader(id, CT.STRUCT);
    this.structValue(body);
  }

  private structValue(body: () => void): void {
    this.lastField.push(0);
    body();
    this.byte(0);
    this.lastField.pop();
  }

  private listHeader(id: number, size: number, elemType: number): void {
    this.fieldHeader(id, CT.LIST);
    if (size < 15) this.byte((size << 4) | elemType);
    else {
      this.byte(0xf0 | elemType);
      this.varint(size);
    }
  }

  listI32(id: number, values: readonly number[]): void {
    this.listHeader(id, values.length, CT.I32);
    for (const v of values) this.zigzag(v);
  }

  listString(id: number, values: readonly string[]): void {
    this.listHeader(id, values.length, CT.BINARY);
    for (const v of values) this.binaryValue(utf8.encode(v));
  }

  listStruct<T>(id: number, items: readonly T[], body: (item: T) => void): void {
    this.listHeader(id, items.length, CT.STRUCT);
    for (const item of items) this.structValue(() => body(item));
  }

  /** Close the top-level struct. */
  end(): Uint8Array {
    this.byte(0);
    return this.bytes();
  }
}
