/**
 * Benchmark of the fan-out's per-contract result file encoding; prints one JSON object.
 *
 * - flat_ms_per_contract: `contractResultParquet` (the flat writer) for one
 *   contract of 28,048 hourly bars (the real dataset's length), median of 20
 *   after a warm-up.
 * - general_ms_per_contract: the same ten columns through the general writer
 *   (hyparquet-writer, uncompressed, no statistics: what the fan-out used before).
 * - flat_kb, general_kb: file sizes.
 *
 * Run with `npm run bench:result-file`. The kernel runs outside the timings.
 */
import { performance } from 'node:perf_hooks';
import { writeParquet, type ParquetColumn } from '../src/adapters/parquet';
import { contractResultColumns, contractResultParquet } from '../src/adapters/tables/fanout';
import { analyzeSymbolBars } from '../src/domain/symbol-analysis';
import { mulberry32, normalSampler } from '../src/domain/random';
import { loadAverage } from './support';

const BARS = 28_048;
const RUNS = 20;
const rng = mulberry32(7);
const z = normalSampler(rng);
const walk = (start: number, vol: number) => {
  const p = new Float64Array(BARS);
  p[0] = start;
  for (let t = 1; t < BARS; t++) p[t] = p[t - 1] * Math.exp(vol * z());
  return p;
};
const timestamps = Float64Array.from({ length: BARS }, (_, i) => Date.UTC(2018, 0, 2, 14, 30) + i * 3_600_000);
const price = walk(100, 0.01);
const vix = Float64Array.from(walk(15, 0.02), (v) => Math.min(80, Math.max(9, v)));
const analysis = analyzeSymbolBars({ price, spx: walk(3000, 0.006), vix });

/** The same columns through the general writer, label columns as strings (what the fan-out wrote before). */
function general(): Uint8Array {
  const columns = contractResultColumns({ timestamps, price, vix, analysis }).map((c): ParquetColumn =>
    c.type === 'labels' ? { name: c.name, type: 'string', data: Array.from(c.data, (k) => c.labels[k]) } : c,
  );
  return writeParquet(columns, { statistics: false, codec: 'UNCOMPRESSED' });
}
const flat = () => contractResultParquet({ timestamps, price, vix, analysis });

function medianMs(fn: () => Uint8Array): { ms: number; bytes: number } {
  const bytes = fn().length; // warm-up
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { ms: t[t.length >> 1], bytes };
}

const f = medianMs(flat);
const g = medianMs(general);
console.log(
  JSON.stringify({
    bars: BARS,
    flat_ms_per_contract: +f.ms.toFixed(2),
    general_ms_per_contract: +g.ms.toFixed(2),
    speedup: +(g.ms / f.ms).toFixed(1),
    flat_kb: Math.round(f.bytes / 1024),
    general_kb: Math.round(g.bytes / 1024),
    ...loadAverage(),
  }),
);
