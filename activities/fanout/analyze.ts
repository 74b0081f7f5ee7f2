/**
 * `analyzeContract`, step 2 of `analyzeSymbol`: run the kernel
 * (src/domain/symbol-analysis.ts, with the worker's analysis parameters, the
 * object the config hash covers) over the claim-check input; the per-bar result goes to
 * a staging object, the summary comes back.
 */
import { layout } from '../../src/adapters/layout';
import { decodeSeries } from '../../src/adapters/series-blob';
import { contractResultParquet } from '../../src/adapters/tables/fanout';
import { ANALYSIS_PARAMETERS, analyzeSymbolBars } from '../../src/domain/symbol-analysis';
import { summarizeContract, type ContractSummary } from '../../src/domain/fanout-run';
import { asActivityFailure } from '../support/failures';
import type { FanoutDeps } from './deps';

export type { ContractSummary };

export interface AnalyzeContractInput {
  runKey: string;
  contract: string;
  outputPrefix: string;
  inputKey: string;
}

export function createAnalyzeActivities({ store, analysis: parameters = ANALYSIS_PARAMETERS }: FanoutDeps) {
  return {
    /** Step 2: run the kernel; the full per-bar result goes to a staging object, the summary comes back. */
    async analyzeContract(input: AnalyzeContractInput): Promise<{ stagingKey: string; summary: ContractSummary }> {
      return asActivityFailure(async () => {
        const bars = decodeSeries(await store.get(input.inputKey), input.inputKey);
        const analysis = analyzeSymbolBars({ price: bars.price, spx: bars.spx, vix: bars.vix }, parameters);
        const stagingKey = layout.fanoutStaging(input.outputPrefix, input.runKey, input.contract);
        await store.put(stagingKey, contractResultParquet({ timestamps: bars.timestamp, price: bars.price, vix: bars.vix, analysis }));
        return { stagingKey, summary: summarizeContract(input.contract, analysis) };
      });
    },
  };
}
