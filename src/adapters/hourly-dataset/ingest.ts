/**
 * Load an hourly dataset into the object store from its provider (the seeded
 * synthetic market, or the three Parquet files of a local folder), unless the
 * same dataset is already there. One implementation for the `ingestDataset`
 * activity, `quant data generate`, the demo, the benchmark and the tests: the
 * CLI calls this adapter directly and never runs activity code.
 */
import type { ObjectStore } from '../object-store/types';
import { DATA_DEFAULTS } from '../../config/schema';
import { DatasetError, importHourlyDatasetFromFiles, readDatasetManifest, writeHourlyDataset } from './store';
import { generateHourlyDataset } from './synthetic';

export interface IngestDatasetInput {
  dataset: string;
  provider: 'synthetic' | 'file';
  /** synthetic provider: the generator's seed (default: the config's `data.seed` default). */
  seed?: number;
  contracts?: number;
  bars?: number;
  /** file provider: a local folder with the three Parquet files. */
  sourceDir?: string;
  /** Regenerate even when a dataset with the same parameters exists. */
  force?: boolean;
}

export interface DatasetSummary {
  dataset: string;
  datasetHash: string;
  contracts: number;
  bars: number;
  /** True when the dataset was already there and nothing was written. */
  skipped: boolean;
}

/** The file provider was asked to import without a folder to import from. */
export class MissingSourceDirError extends DatasetError {
  readonly type = 'InvalidInput';
  constructor(readonly dataset: string) {
    super(`dataset "${dataset}": the file provider needs sourceDir (a folder with the three Parquet files)`);
    this.name = 'MissingSourceDirError';
  }
}

/**
 * Load a dataset into the store from its provider, unless the same dataset is
 * already there (same seed and size, or any dataset of that name when no
 * parameters are given). `progress` is called once before writing starts.
 *
 * @example
 *   const r = await ingestHourlyDataset(store, { dataset: 'synthetic', provider: 'synthetic' });
 *   r.skipped // true on the second call
 */
export async function ingestHourlyDataset(
  store: ObjectStore,
  input: IngestDatasetInput,
  progress: () => void = () => undefined,
): Promise<DatasetSummary> {
  const seed = input.seed ?? DATA_DEFAULTS.seed;
  if (!input.force) {
    const existing = await readDatasetManifest(store, input.dataset).catch(() => undefined);
    const unparameterised = input.seed === undefined && input.contracts === undefined && input.bars === undefined;
    const sameSynthetic =
      existing !== undefined &&
      input.provider === 'synthetic' &&
      existing.seed === seed &&
      (input.contracts === undefined || existing.contracts.length === input.contracts) &&
      (input.bars === undefined || existing.bars === input.bars);
    if (existing && (sameSynthetic || (input.provider === 'synthetic' && unparameterised))) {
      return {
        dataset: input.dataset,
        datasetHash: existing.datasetHash,
        contracts: existing.contracts.length,
        bars: existing.bars,
        skipped: true,
      };
    }
  }
  progress();
  const manifest =
    input.provider === 'file'
      ? await importHourlyDatasetFromFiles(store, input.dataset, requireSourceDir(input))
      : await writeHourlyDataset(store, input.dataset, generateHourlyDataset({ seed, contracts: input.contracts, bars: input.bars }), {
          seed,
        });
  return {
    dataset: input.dataset,
    datasetHash: manifest.datasetHash,
    contracts: manifest.contracts.length,
    bars: manifest.bars,
    skipped: false,
  };
}

function requireSourceDir(input: IngestDatasetInput): string {
  if (!input.sourceDir) throw new MissingSourceDirError(input.dataset);
  return input.sourceDir;
}
