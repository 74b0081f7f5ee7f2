/**
 * Helpers shared by the daily-pipeline activities (screen, signal): JSON
 * claim-check objects (NaN survives the round trip as null -> NaN), date
 * arithmetic on YYYY-MM-DD strings, and the mapping of Postgres data errors
 * (SQLSTATE class 22 data exception, 23 integrity violation) to
 * non-retryable failures: retrying the same rows cannot make them valid.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ObjectStore } from '../src/adapters/object-store/types';

export async function putJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  const body = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
  await store.put(key, body, { contentType: 'application/json' });
}

export async function getJson<T>(store: ObjectStore, key: string): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await store.get(key))) as T;
}

/** null (a NaN written by putJson) back to NaN. */
export const nan = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);

/** `date` plus `days` calendar days, YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const dateOf = (date: string): Date => new Date(`${date}T00:00:00Z`);

/** Rethrow Postgres data/integrity errors as non-retryable; everything else unchanged. */
export async function withDbFailures<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'))) {
      throw ApplicationFailure.nonRetryable(`${what}: ${(err as Error).message} (SQLSTATE ${code})`, 'InvalidData');
    }
    throw err;
  }
}
