/** `loadContract`, step 1 of `analyzeSymbol`: the contract's column plus SPX and VIX into one small claim-check object. */
import { ApplicationFailure } from '@temporalio/common';
import { layout } from '../../src/adapters/layout';
import { createContractSeriesReader } from '../../src/adapters/hourly-dataset/store';
import { encodeSeries } from '../../src/adapters/series-blob';
import { asActivityFailure } from '../support/failures';
import type { FanoutDeps } from './deps';

export interface LoadContractInput {
  runKey: string;
  dataset: string;
  contract: string;
  outputPrefix: string;
  /** The failure drill: fail every attempt so the child fails after its retries. */
  failureDrill?: boolean;
}

export function createLoadActivities({ store }: FanoutDeps) {
  // One reader per worker: the bar times, SPX, VIX and the wide file's footer are read once per dataset,
  // not once per contract (they were five of a contract's six column decodes and two of its footer parses).
  const series = createContractSeriesReader(store);
  return {
    /** Step 1 of analyzeSymbol: this contract's column plus SPX and VIX into one small input object. */
    async loadContract(input: LoadContractInput): Promise<{ inputKey: string; bars: number }> {
      if (input.failureDrill) {
        throw ApplicationFailure.retryable(`failure drill: contract ${input.contract} is listed in failContracts`, 'FailureDrill');
      }
      return asActivityFailure(async () => {
        const s = await series.read(input.dataset, input.contract);
        const inputKey = layout.fanoutInput(input.outputPrefix, input.runKey, input.contract);
        await store.put(inputKey, encodeSeries({ timestamp: s.timestamps, price: s.price, spx: s.spx, vix: s.vix }));
        return { inputKey, bars: s.price.length };
      });
    },
  };
}
