/** `quant data generate`: the seeded synthetic hourly dataset in the object store (kept when it exists). */
import type { Config } from '../../config/schema';
import { createObjectStore } from '../../adapters/object-store';
import { ingestHourlyDataset } from '../../adapters/hourly-dataset/ingest';
import { out } from '../output';

export interface DataGenerateOptions {
  dataset?: string;
  contracts?: number;
  bars?: number;
  seed?: number;
  force?: boolean;
}

export async function dataGenerateCommand(o: DataGenerateOptions, config: Config): Promise<void> {
  const store = createObjectStore(config);
  const t0 = Date.now();
  const r = await ingestHourlyDataset(store, {
    dataset: o.dataset ?? config.fanout.defaultDataset,
    provider: 'synthetic',
    seed: o.seed ?? config.data.seed,
    contracts: o.contracts,
    bars: o.bars,
    force: o.force,
  });
  out(
    `${r.skipped ? 'kept existing' : 'generated'} dataset ${r.dataset}: ${r.contracts} contracts x ${r.bars} bars, sha256 ${r.datasetHash} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  out(`location: ${store.locate(`datasets/${r.dataset}`)}`);
}
