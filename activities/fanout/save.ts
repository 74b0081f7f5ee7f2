/**
 * `saveContractResult`, step 3 of `analyzeSymbol`: publish the result file
 * and its summary row (both idempotent), then drop the staging copies.
 */
import { createHash } from 'node:crypto';
import { layout } from '../../src/adapters/layout';
import { asActivityFailure } from '../support/failures';
import type { ContractSummary } from './analyze';
import type { FanoutDeps } from './deps';

export interface SaveContractInput {
  runKey: string;
  contract: string;
  outputPrefix: string;
  stagingKey: string;
  summary: ContractSummary;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function createSaveActivities({ store, repo, onContractAnalyzed }: FanoutDeps) {
  return {
    /** Step 3: publish the result file and its summary row (both idempotent), then drop the staging copies. */
    async saveContractResult(input: SaveContractInput): Promise<{ resultKey: string; sha256: string }> {
      return asActivityFailure(async () => {
        const resultKey = layout.fanoutResult(input.outputPrefix, input.runKey, input.contract);
        let bytes: Uint8Array;
        try {
          bytes = await store.get(input.stagingKey);
        } catch (err) {
          // A retry after a crash between publish and cleanup finds the result already published.
          if ((err as { type?: string }).type !== 'ObjectNotFound') throw err;
          bytes = await store.get(resultKey);
        }
        await store.put(resultKey, bytes);
        const digest = sha256(bytes);
        await repo.upsertResult({ ...input.summary, runKey: input.runKey, contract: input.contract, resultKey, resultSha256: digest });
        await store.delete(input.stagingKey);
        await store.delete(layout.fanoutInput(input.outputPrefix, input.runKey, input.contract));
        onContractAnalyzed?.();
        return { resultKey, sha256: digest };
      });
    },
  };
}
