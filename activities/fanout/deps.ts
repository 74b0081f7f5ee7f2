/** What the fan-out activities need from the worker: the object store, the run repository and metric hooks. */
import type { ObjectStore } from '../../src/adapters/object-store/types';
import type { FanoutRepo } from '../../src/adapters/postgres/fanout-repo';

export interface FanoutDeps {
  store: ObjectStore;
  repo: FanoutRepo;
  /** Called with the number of contracts analysed (metrics). */
  onContractAnalyzed?: () => void;
  onDataQuality?: (dataset: string, score: number) => void;
}
