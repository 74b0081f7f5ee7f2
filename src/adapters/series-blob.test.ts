/** The claim-check blob round-trips exactly and rejects damaged bytes with a clear message. */
import { describe, expect, it } from 'vitest';
import { decodeSeries, encodeSeries, SeriesBlobError } from './series-blob';

describe('series blob', () => {
  it('round-trips columns bit for bit, NaN included', () => {
    const cols = { timestamp: Float64Array.of(946684800000, 946688400000, 946692000000), price: Float64Array.of(1.5, NaN, -0) };
    const back = decodeSeries(encodeSeries(cols));
    expect(Object.keys(back)).toEqual(['timestamp', 'price']);
    expect(Array.from(back.timestamp)).toEqual(Array.from(cols.timestamp));
    expect(Object.is(back.price[2], -0)).toBe(true);
    expect(Number.isNaN(back.price[1])).toBe(true);
  });
  it('decodes from an unaligned view', () => {
    const bytes = encodeSeries({ a: Float64Array.of(1, 2, 3) });
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(Array.from(decodeSeries(padded.subarray(3)).a)).toEqual([1, 2, 3]);
  });
  it('rejects truncated and foreign bytes, naming the object', () => {
    const bytes = encodeSeries({ a: Float64Array.of(1, 2, 3) });
    expect(() => decodeSeries(bytes.subarray(0, bytes.length - 8), 'fanout/r/input/AAPL.f64')).toThrowError(
      /fanout\/r\/input\/AAPL\.f64: \d+ bytes, expected \d+ \(truncated\?\)/,
    );
    expect(() => decodeSeries(new TextEncoder().encode('PAR1xxxxxxxx'))).toThrowError(SeriesBlobError);
  });
  it('rejects columns of different lengths', () => {
    expect(() => encodeSeries({ a: Float64Array.of(1), b: Float64Array.of(1, 2) })).toThrowError(/column b has 2 rows, expected 1/);
  });
});
