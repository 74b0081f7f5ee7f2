/**
 * Turn the typed errors of our adapters into Temporal failures: bad input
 * (a missing column, an unknown contract, a corrupt file) becomes a
 * non-retryable ApplicationFailure with the adapter's type and message, so the
 * Web UI shows what is wrong and no retry budget is wasted on it; anything
 * else (a network blip, a busy database) stays retryable.
 */
import { ApplicationFailure } from '@temporalio/common';

/** Error `type`s that describe the input, not the environment: retrying cannot help. */
export const NON_RETRYABLE_TYPES = new Set([
  'UnknownContract',
  'UnknownDataset',
  'MissingColumn',
  'BadPrice',
  'MisalignedSeries',
  'CorruptParquet',
  'ParquetSchema',
  'ParquetFormat',
  'InvalidObjectKey',
  'InvalidInput',
  'ValidationFailed',
  'UnknownSymbol',
  'MalformedResponse',
  'MissingFile',
  'BadTimestamp',
  'DatasetNotFound',
  'BadManifest',
  'InvalidDatasetName',
]);

export function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'InvalidInput');
}

/** Run `fn`, rethrowing known bad-input errors as non-retryable failures. */
export async function asActivityFailure<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApplicationFailure) throw err;
    const type = (err as { type?: unknown }).type;
    const flagged = (err as { nonRetryable?: unknown }).nonRetryable === true;
    if (typeof type === 'string' && (flagged || NON_RETRYABLE_TYPES.has(type))) {
      throw ApplicationFailure.nonRetryable((err as Error).message, type);
    }
    throw err;
  }
}
