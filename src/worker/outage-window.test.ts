/** The outage window interceptor: data errors fail at once, outages are retried until the window ends. */
import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import type { Context } from '@temporalio/activity';
import { createOutageWindowInterceptor } from './outage-window';

const scheduledAt = 1_000_000;
const ctx = {
  info: { scheduledTimestampMs: scheduledAt, activityType: 'saveContractResult', attempt: 7 },
  cancellationSignal: { aborted: false },
} as unknown as Context;

/** Run one attempt that throws `err`, `elapsedMs` after the first attempt was scheduled. */
async function attempt(err: unknown, elapsedMs: number): Promise<unknown> {
  const inbound = createOutageWindowInterceptor(600_000, () => scheduledAt + elapsedMs)(ctx).inbound!;
  return inbound.execute!({ args: [], headers: {} }, async () => Promise.reject(err)).catch((e: unknown) => e);
}

describe('createOutageWindowInterceptor', () => {
  it('passes an outage through while the window is open, so the retry policy retries it', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' });
    expect(await attempt(refused, 599_000)).toBe(refused);
  });
  it('gives up once the window has passed, naming the activity, the time and the attempts', async () => {
    const f = await attempt(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 601_000);
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f).toMatchObject({ type: 'OutageWindowExceeded', nonRetryable: true });
    expect((f as Error).message).toMatch(
      /saveContractResult still failing after 601 s and 7 attempts \(outage window 600 s\): connect ECONNREFUSED/,
    );
  });
  it('makes a data error from Postgres non-retryable at once', async () => {
    const f = await attempt(Object.assign(new Error('duplicate key value'), { code: '23505', severity: 'ERROR' }), 1_000);
    expect(f).toMatchObject({ type: 'DataError', nonRetryable: true, message: 'duplicate key value' });
  });
  it('leaves our non-retryable failures as they are', async () => {
    const bad = ApplicationFailure.nonRetryable('contract NOPE not in dataset', 'UnknownContract');
    expect(await attempt(bad, 1_000)).toBe(bad);
  });
});
