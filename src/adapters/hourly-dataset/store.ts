/**
 * The hourly fan-out dataset in the object store, and the boundary where its
 * data is checked before any analysis sees it. Layout under
 * `datasets/<name>/`:
 *
 *   spx_holdings_hourly.parquet  `timestamp` + one DOUBLE column per contract (ticker)
 *   spx_hourly.parquet           `timestamp`, `close`
 *   vix_hourly.parquet           `timestamp`, `close`
 *   manifest.json                name, provider, seed or source, contracts, bars,
 *                                first/last bar, per-file sha256 and size, datasetHash
 *
 * The manifest is written last, so a dataset whose manifest exists is whole;
 * a crash mid-write leaves no manifest and the next write simply redoes it.
 * Bad data fails fast with typed errors (a stable `type` each) that name the
 * contract, series, column and row: "corrupt data is worse than no data".
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ObjectStore } from '../object-store/types';
import { ObjectNotFoundError } from '../object-store/types';
import {
  objectStoreAsyncBuffer,
  parquetFooter,
  parquetSchemaInfo,
  readParquet,
  writeParquet,
  type ParquetColumn,
  type ParquetFooter,
  type ParquetSchemaInfo,
  type ParquetSource,
} from '../parquet';
import type { HourlyDataset } from './synthetic';
import { HOURLY_UNIVERSE } from './universe';
import { QuantError } from '../../domain/errors';

export const HOLDINGS_FILE = 'spx_holdings_hourly.parquet';
export const SPX_FILE = 'spx_hourly.parquet';
export const VIX_FILE = 'vix_hourly.parquet';
export const MANIFEST_FILE = 'manifest.json';
const DATA_FILES = [HOLDINGS_FILE, SPX_FILE, VIX_FILE] as const;

export interface DatasetKeys {
  prefix: string;
  holdings: string;
  spx: string;
  vix: string;
  manifest: string;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Object keys of dataset `name`.
 *
 * @example
 *   datasetKeys('synthetic').holdings; // 'datasets/synthetic/spx_holdings_hourly.parquet'
 */
export function datasetKeys(name: string): DatasetKeys {
  if (!NAME_RE.test(name) || name.includes('..')) throw new InvalidDatasetNameError(name);
  const prefix = `datasets/${name}/`;
  return { prefix, holdings: prefix + HOLDINGS_FILE, spx: prefix + SPX_FILE, vix: prefix + VIX_FILE, manifest: prefix + MANIFEST_FILE };
}

// ---------------------------------------------------------------- errors

/** Every dataset error carries a stable `type` (the ApplicationFailure type) and is not worth retrying. */
export abstract class DatasetError extends QuantError {
  /** A dataset error describes the data: retrying cannot help. */
  readonly retryable = false;
}

export class InvalidDatasetNameError extends DatasetError {
  readonly type = 'InvalidDatasetName';
  constructor(readonly dataset: string) {
    super(`invalid dataset name ${JSON.stringify(dataset)}: use letters, digits, '.', '_' or '-' (at most 100)`);
    this.name = 'InvalidDatasetNameError';
  }
}

export class DatasetNotFoundError extends DatasetError {
  readonly type = 'DatasetNotFound';
  constructor(
    readonly dataset: string,
    readonly key: string,
  ) {
    super(`dataset "${dataset}" not found (no ${key}); generate it with \`quant data generate\` or ingest it`);
    this.name = 'DatasetNotFoundError';
  }
}

export class BadManifestError extends DatasetError {
  readonly type = 'BadManifest';
  constructor(
    readonly dataset: string,
    detail: string,
  ) {
    super(`dataset "${dataset}": manifest is invalid: ${detail}`);
    this.name = 'BadManifestError';
  }
}

export class UnknownContractError extends DatasetError {
  readonly type = 'UnknownContract';
  constructor(
    readonly contract: string,
    readonly dataset: string,
  ) {
    super(`unknown contract "${contract}" in dataset "${dataset}"`);
    this.name = 'UnknownContractError';
  }
}

/** A column the dataset needs is absent from a file, or has the wrong type. */
export class MissingColumnError extends DatasetError {
  readonly type = 'MissingColumn';
  constructor(
    readonly file: string,
    readonly column: string,
    detail?: string,
  ) {
    super(`${file}: ${detail ?? `missing column "${column}"`}`);
    this.name = 'MissingColumnError';
  }
}

export class BadPriceError extends DatasetError {
  readonly type = 'BadPrice';
  constructor(
    /** The contract symbol, or 'SPX' / 'VIX'. */
    readonly series: string,
    readonly row: number,
    readonly timestamp: number,
    readonly value: number | null,
    readonly dataset: string,
  ) {
    super(
      `bad price in ${series} (dataset "${dataset}") at row ${row} (${Number.isFinite(timestamp) ? new Date(timestamp).toISOString() : 'no timestamp'}): ${describeBad(value)}`,
    );
    this.name = 'BadPriceError';
  }
}

const describeBad = (v: number | null) =>
  v === null || Number.isNaN(v) ? 'missing (NaN/null)' : v === 0 ? 'zero' : v < 0 ? `negative (${v})` : `not finite (${v})`;

export class MisalignedSeriesError extends DatasetError {
  readonly type = 'MisalignedSeries';
  constructor(
    readonly series: string,
    readonly dataset: string,
    message: string,
  ) {
    super(`${series} of dataset "${dataset}" is misaligned with the prices: ${message}`);
    this.name = 'MisalignedSeriesError';
  }
}

export class MissingFileError extends DatasetError {
  readonly type = 'MissingFile';
  constructor(
    readonly dataset: string,
    readonly file: string,
  ) {
    super(`dataset "${dataset}": file ${file} is missing`);
    this.name = 'MissingFileError';
  }
}

export class BadTimestampError extends DatasetError {
  readonly type = 'BadTimestamp';
  constructor(
    readonly file: string,
    readonly row: number,
    message: string,
  ) {
    super(`${file}: ${message} at row ${row}`);
    this.name = 'BadTimestampError';
  }
}

// ---------------------------------------------------------------- manifest

const fileEntry = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() });

export const datasetManifestSchema = z.object({
  name: z.string(),
  provider: z.enum(['synthetic', 'file']),
  /** The synthetic generator's seed. */
  seed: z.number().int().optional(),
  /** Where a file import came from. */
  source: z.string().optional(),
  contracts: z.array(z.object({ symbol: z.string().min(1), sector: z.string() })).min(1),
  bars: z.number().int().positive(),
  /** First and last bar, ISO 8601 UTC. */
  first: z.string(),
  last: z.string(),
  files: z.object({ [HOLDINGS_FILE]: fileEntry, [SPX_FILE]: fileEntry, [VIX_FILE]: fileEntry }),
  /** sha256 over the three files' hashes (see `datasetHashOf`). */
  datasetHash: z.string().regex(/^[0-9a-f]{64}$/),
});

export type DatasetManifest = z.infer<typeof datasetManifestSchema>;

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/**
 * The dataset's content hash: sha256 of the lines `<file> <sha256>\n` for the
 * three data files in the fixed order holdings, spx, vix. Independent of the
 * dataset's name and of the manifest's other fields.
 */
export function datasetHashOf(files: DatasetManifest['files']): string {
  return sha256(DATA_FILES.map((f) => `${f} ${files[f].sha256}\n`).join(''));
}

/**
 * Read and check `datasets/<name>/manifest.json`.
 *
 * @example
 *   const m = await readDatasetManifest(store, 'synthetic'); m.contracts.length; // 418
 */
export async function readDatasetManifest(store: ObjectStore, name: string): Promise<DatasetManifest> {
  const keys = datasetKeys(name);
  let raw: Uint8Array;
  try {
    raw = await store.get(keys.manifest);
  } catch (err) {
    if (err instanceof ObjectNotFoundError) throw new DatasetNotFoundError(name, keys.manifest);
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(raw));
  } catch (err) {
    throw new BadManifestError(name, `not JSON (${(err as Error).message})`);
  }
  const parsed = datasetManifestSchema.safeParse(json);
  if (!parsed.success)
    throw new BadManifestError(name, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  if (parsed.data.datasetHash !== datasetHashOf(parsed.data.files))
    throw new BadManifestError(name, 'datasetHash does not match the file hashes');
  return parsed.data;
}

// ---------------------------------------------------------------- writing

export interface WriteDatasetMeta {
  seed?: number;
  /** Free text naming where the data came from (file imports). */
  source?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Encode the dataset as the three Parquet files and the manifest. Idempotent
 * (same data, same bytes, same keys); the manifest goes last.
 *
 * @example
 *   await writeHourlyDataset(store, 'synthetic', generateHourlyDataset({ seed: 1 }), { seed: 1 });
 */
export async function writeHourlyDataset(
  store: ObjectStore,
  name: string,
  dataset: HourlyDataset,
  meta: WriteDatasetMeta = {},
): Promise<DatasetManifest> {
  const keys = datasetKeys(name);
  const n = dataset.timestamps.length;
  if (dataset.prices.length !== dataset.contracts.length)
    throw new Error(`dataset ${name}: ${dataset.prices.length} price series for ${dataset.contracts.length} contracts`);
  // The name stays out of the files, so the same data under another name has the same hash.
  const kv: Record<string, string> =
    meta.seed !== undefined ? { seed: String(meta.seed), generator: 'quant-workflows synthetic hourly v1' } : {};
  const ts: ParquetColumn = { name: 'timestamp', type: 'timestamp', data: dataset.timestamps };
  const files: Record<string, Uint8Array> = {
    [HOLDINGS_FILE]: writeParquet(
      [ts, ...dataset.contracts.map((c, i): ParquetColumn => ({ name: c.symbol, type: 'double', data: dataset.prices[i] }))],
      { metadata: kv },
    ),
    [SPX_FILE]: writeParquet([ts, { name: 'close', type: 'double', data: dataset.spx }], { metadata: kv }),
    [VIX_FILE]: writeParquet([ts, { name: 'close', type: 'double', data: dataset.vix }], { metadata: kv }),
  };
  for (const f of DATA_FILES) await store.put(keys.prefix + f, files[f], { contentType: 'application/vnd.apache.parquet' });
  const entries = Object.fromEntries(
    DATA_FILES.map((f) => [f, { sha256: sha256(files[f]), bytes: files[f].byteLength }]),
  ) as DatasetManifest['files'];
  const manifest: DatasetManifest = {
    name,
    provider: meta.seed !== undefined ? 'synthetic' : 'file',
    ...(meta.seed !== undefined ? { seed: meta.seed } : {}),
    ...(meta.source !== undefined ? { source: meta.source } : {}),
    contracts: dataset.contracts.map((c) => ({ symbol: c.symbol, sector: c.sector })),
    bars: n,
    first: iso(dataset.timestamps[0]),
    last: iso(dataset.timestamps[n - 1]),
    files: entries,
    datasetHash: datasetHashOf(entries),
  };
  await store.put(keys.manifest, JSON.stringify(manifest, null, 2) + '\n', { contentType: 'application/json' });
  return manifest;
}

// ---------------------------------------------------------------- reading one contract

export interface ContractSeries {
  /** Bar times, UTC epoch ms, strictly increasing. */
  timestamps: Float64Array;
  price: Float64Array;
  spx: Float64Array;
  vix: Float64Array;
}

/** Check a file's schema for the columns we are about to read; throw MissingColumnError naming the first problem. */
function requireColumns(info: ParquetSchemaInfo, file: string, wanted: { name: string; type: 'timestamp' | 'double' }[]): void {
  for (const w of wanted) {
    const col = info.columns.find((c) => c.name === w.name);
    if (!col) throw new MissingColumnError(file, w.name);
    if (col.type !== w.type)
      throw new MissingColumnError(
        file,
        w.name,
        `column "${w.name}" is ${col.type}, expected ${w.type === 'double' ? 'DOUBLE' : 'a TIMESTAMP'}`,
      );
  }
}

const asFloat64 = (v: ArrayLike<unknown>): Float64Array => {
  if (v instanceof Float64Array) return v;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] === null || v[i] === undefined ? NaN : Number(v[i]);
  return out;
};

function checkPrices(series: string, dataset: string, values: Float64Array, ts: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // NaN fails `v > 0`, so one comparison catches NaN, zero and negatives; Infinity is caught separately.
    if (!(v > 0) || v === Infinity) throw new BadPriceError(series, i, ts[i], Number.isNaN(v) ? null : v, dataset);
  }
}

function checkTimestamps(file: string, ts: Float64Array): void {
  for (let i = 0; i < ts.length; i++) {
    if (!Number.isFinite(ts[i])) throw new BadTimestampError(file, i, 'missing timestamp');
    if (i > 0 && !(ts[i] > ts[i - 1]))
      throw new BadTimestampError(file, i, `timestamps not strictly increasing (${iso(ts[i - 1])} then ${iso(ts[i])})`);
  }
}

function checkAligned(
  series: string,
  dataset: string,
  prices: Float64Array,
  ts: Float64Array,
  other: Float64Array,
  otherTs: Float64Array,
): void {
  if (other.length !== prices.length) {
    throw new MisalignedSeriesError(series, dataset, `${series} has ${other.length} bars, the prices have ${prices.length}`);
  }
  for (let i = 0; i < ts.length; i++) {
    if (otherTs[i] !== ts[i]) {
      throw new MisalignedSeriesError(
        series,
        dataset,
        `first mismatch at row ${i}: prices at ${iso(ts[i])}, ${series} at ${Number.isFinite(otherTs[i]) ? iso(otherTs[i]) : 'no timestamp'}`,
      );
    }
  }
}

/** A data file's footer, its columns checked against `cols`. */
async function footerOf(file: ParquetSource, key: string, cols: { name: string; type: 'timestamp' | 'double' }[]): Promise<ParquetFooter> {
  const footer = await parquetFooter(file);
  requireColumns(footer.info, key, cols);
  return footer;
}

async function openDataFile(store: ObjectStore, dataset: string, key: string): Promise<Awaited<ReturnType<typeof objectStoreAsyncBuffer>>> {
  return objectStoreAsyncBuffer(store, key).catch((err: unknown) => {
    if (err instanceof ObjectNotFoundError) throw new MissingFileError(dataset, key);
    throw err;
  });
}

async function readColumns(
  store: ObjectStore,
  dataset: string,
  key: string,
  cols: { name: string; type: 'timestamp' | 'double' }[],
  knownFooter?: ParquetFooter,
): Promise<Float64Array[]> {
  const file = await openDataFile(store, dataset, key);
  const footer = knownFooter ?? (await footerOf(file, key, cols));
  if (knownFooter) requireColumns(footer.info, key, cols);
  const table = await readParquet(file, { columns: cols.map((c) => c.name), footer });
  return cols.map((c) => asFloat64(table.columns[c.name]));
}

/** What every contract of one dataset shares, read and checked once: the bar times, SPX, VIX and the wide file's footer. */
interface SharedSeries {
  timestamps: Float64Array;
  spx: Float64Array;
  vix: Float64Array;
  holdingsFooter: ParquetFooter;
}

async function readSharedSeries(store: ObjectStore, name: string): Promise<SharedSeries> {
  const keys = datasetKeys(name);
  const timestampCol = { name: 'timestamp', type: 'timestamp' } as const;
  const holdingsFooter = await footerOf(await openDataFile(store, name, keys.holdings), keys.holdings, [timestampCol]);
  const [[timestamps], [spxTs, spx], [vixTs, vix]] = await Promise.all([
    readColumns(store, name, keys.holdings, [timestampCol], holdingsFooter),
    readColumns(store, name, keys.spx, [timestampCol, { name: 'close', type: 'double' }]),
    readColumns(store, name, keys.vix, [timestampCol, { name: 'close', type: 'double' }]),
  ]);
  checkTimestamps(keys.holdings, timestamps);
  checkAligned('SPX', name, timestamps, timestamps, spx, spxTs);
  checkAligned('VIX', name, timestamps, timestamps, vix, vixTs);
  checkPrices('SPX', name, spx, timestamps);
  checkPrices('VIX', name, vix, timestamps);
  return { timestamps, spx, vix, holdingsFooter };
}

export interface ContractSeriesReader {
  /** One contract's prices with SPX and VIX (as `readContractSeries`); `timestamps`, `spx` and `vix` are shared: read them, never write. */
  read(name: string, contract: string): Promise<ContractSeries>;
}

/**
 * A reader for many contracts of the same datasets (the fan-out's load step, once per worker): what the
 * contracts share (bar times, SPX, VIX, the wide file's footer) is read and checked once per dataset
 * content (the manifest's file hashes: a dataset re-ingested under the same name is read afresh), so a
 * contract costs its own column only. The last `keepDatasets` datasets (default 4) are kept.
 *
 * @example
 *   const reader = createContractSeriesReader(store);
 *   const { price, spx } = await reader.read('synthetic', 'AAPL');
 */
export function createContractSeriesReader(store: ObjectStore, opts: { keepDatasets?: number } = {}): ContractSeriesReader {
  const keep = opts.keepDatasets ?? 4;
  const shared = new Map<string, Promise<SharedSeries>>();
  return {
    async read(name, contract) {
      const manifest = await readDatasetManifest(store, name);
      if (!manifest.contracts.some((c) => c.symbol === contract)) throw new UnknownContractError(contract, name);
      const content = `${name}\n${datasetHashOf(manifest.files)}`;
      let pending = shared.get(content);
      if (!pending) {
        pending = readSharedSeries(store, name);
        shared.set(content, pending);
        // A failed read is not kept: the next contract tries again (and reports the same problem if it stays).
        pending.catch(() => shared.get(content) === pending && shared.delete(content));
        if (shared.size > keep) shared.delete(shared.keys().next().value!);
      }
      const s = await pending;
      const keys = datasetKeys(name);
      const [price] = await readColumns(store, name, keys.holdings, [{ name: contract, type: 'double' }], s.holdingsFooter);
      checkPrices(contract, name, price, s.timestamps);
      return { timestamps: s.timestamps, price, spx: s.spx, vix: s.vix };
    },
  };
}

/**
 * One contract's prices with SPX and VIX, read by column projection: only the
 * footer, the `timestamp` and `<contract>` column chunks of the wide file are
 * fetched, plus the two small market files. Everything is checked here:
 * unknown contract, missing/mistyped columns, NaN/zero/negative prices,
 * unsorted timestamps, SPX/VIX of another length or on other bars. For many
 * contracts of one dataset, `createContractSeriesReader` reads the shared
 * part once.
 *
 * @example
 *   const { timestamps, price, spx, vix } = await readContractSeries(store, 'synthetic', 'AAPL');
 */
export async function readContractSeries(store: ObjectStore, name: string, contract: string): Promise<ContractSeries> {
  return createContractSeriesReader(store).read(name, contract);
}

// ---------------------------------------------------------------- the file provider

export interface ImportOptions {
  /** Sector per symbol for names outside the built-in universe (else 'Unknown'). */
  sectors?: Record<string, string>;
}

/**
 * The file provider: import a folder holding `spx_holdings_hourly.parquet`,
 * `spx_hourly.parquet` and `vix_hourly.parquet` (e.g. written by pandas or
 * pyarrow). Checks the schemas (a timestamp column, DOUBLE prices, `close` in
 * the market files), equal row counts and identical timestamps, then copies
 * the files in byte for byte and writes the manifest. Prices are checked per
 * contract when read (readContractSeries) and by the validation workflow.
 *
 * @example
 *   await importHourlyDatasetFromFiles(store, 'vendor-2013', '/data/hourly');
 */
export async function importHourlyDatasetFromFiles(
  store: ObjectStore,
  name: string,
  dir: string,
  opts: ImportOptions = {},
): Promise<DatasetManifest> {
  const keys = datasetKeys(name);
  const bytes: Record<string, Uint8Array> = {};
  for (const f of DATA_FILES) {
    const path = join(dir, f);
    try {
      bytes[f] = new Uint8Array(await readFile(path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingFileError(name, path);
      throw err;
    }
  }
  const src = (f: string): ParquetSource => Object.assign(toAsyncBufferOf(bytes[f]), { name: join(dir, f) });

  const hInfo = await parquetSchemaInfo(src(HOLDINGS_FILE));
  requireColumns(hInfo, join(dir, HOLDINGS_FILE), [{ name: 'timestamp', type: 'timestamp' }]);
  const contractCols = hInfo.columns.filter((c) => c.name !== 'timestamp');
  if (contractCols.length === 0)
    throw new MissingColumnError(join(dir, HOLDINGS_FILE), '<contract>', 'no contract columns besides "timestamp"');
  for (const c of contractCols) {
    if (c.type !== 'double')
      throw new MissingColumnError(join(dir, HOLDINGS_FILE), c.name, `column "${c.name}" is ${c.type}, expected DOUBLE prices`);
  }
  const { columns: hCols } = await readParquet(src(HOLDINGS_FILE), { columns: ['timestamp'] });
  const timestamps = asFloat64(hCols.timestamp);
  if (timestamps.length === 0) throw new BadTimestampError(join(dir, HOLDINGS_FILE), 0, 'no rows');
  checkTimestamps(join(dir, HOLDINGS_FILE), timestamps);
  for (const [f, series] of [
    [SPX_FILE, 'SPX'],
    [VIX_FILE, 'VIX'],
  ] as const) {
    const info = await parquetSchemaInfo(src(f));
    requireColumns(info, join(dir, f), [
      { name: 'timestamp', type: 'timestamp' },
      { name: 'close', type: 'double' },
    ]);
    const t = await readParquet(src(f), { columns: ['timestamp', 'close'] });
    const close = asFloat64(t.columns.close);
    checkAligned(series, name, timestamps, timestamps, close, asFloat64(t.columns.timestamp));
  }

  const sectorOf = new Map(HOURLY_UNIVERSE.map((c) => [c.symbol, c.sector as string]));
  for (const f of DATA_FILES) await store.put(keys.prefix + f, bytes[f], { contentType: 'application/vnd.apache.parquet' });
  const entries = Object.fromEntries(
    DATA_FILES.map((f) => [f, { sha256: sha256(bytes[f]), bytes: bytes[f].byteLength }]),
  ) as DatasetManifest['files'];
  const manifest: DatasetManifest = {
    name,
    provider: 'file',
    source: dir,
    contracts: contractCols.map((c) => ({ symbol: c.name, sector: opts.sectors?.[c.name] ?? sectorOf.get(c.name) ?? 'Unknown' })),
    bars: timestamps.length,
    first: iso(timestamps[0]),
    last: iso(timestamps[timestamps.length - 1]),
    files: entries,
    datasetHash: datasetHashOf(entries),
  };
  await store.put(keys.manifest, JSON.stringify(manifest, null, 2) + '\n', { contentType: 'application/json' });
  return manifest;
}

function toAsyncBufferOf(b: Uint8Array) {
  const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  return { byteLength: ab.byteLength, slice: (s: number, e?: number) => ab.slice(s, e) };
}
