/**
 * JSON claim-check objects: what one activity hands to the next through the
 * object store instead of through workflow history. NaN and +-Infinity have
 * no JSON form, so they are written as null; readers turn the nulls they
 * care about back into NaN (see `reviveMetricsRecords` in src/domain/screen-day.ts).
 */
import type { ObjectStore } from '../../src/adapters/object-store/types';

/**
 * Write `value` as JSON under `key` (non-finite numbers as null).
 *
 * @example
 *   await putJson(store, layout.dailyWork('screen', day, 'metrics.json'), records);
 */
export async function putJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  const body = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
  await store.put(key, body, { contentType: 'application/json' });
}

/** Read the JSON object under `key` (as written by `putJson`). */
export async function getJson<T>(store: ObjectStore, key: string): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await store.get(key))) as T;
}
