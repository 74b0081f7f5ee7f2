/** What the fan-out activities need from the worker: the object store, the run repository and metric hooks. */
import type { ObjectStore } from '../../src/adapters/object-store/types';
import type { FanoutRepo } from '../../src/adapters/postgres/fanout-repo';
import type { AnalysisParameters } from '../../src/domain/symbol-analysis';

export interface FanoutDeps {
  store: ObjectStore;
  repo: FanoutRepo;
  /**
   * The kernel's parameters (FANOUT_THRESHOLDS picks them); default ANALYSIS_PARAMETERS. Every worker of a
   * deployment reads the same setting, and prepareRun hashes it into the run's config hash.
   */
  analysis?: AnalysisParameters;
  /** Called with the number of contracts analysed (metrics). */
  onContractAnalyzed?: () => void;
  onDataQuality?: (dataset: string, score: number) => void;
}
