/**
 * The outage window: how long a failing activity keeps being retried before
 * it is given up. Workflows retry activities without an attempt limit
 * (workflows/activity-options.ts), with backoff up to 30 s between attempts;
 * this worker-side interceptor ends the retries once the activity's first
 * attempt was scheduled longer ago than the window (`RETRY_OUTAGE_WINDOW_SECONDS`,
 * default 10 minutes), so a Postgres restart or an object store blink is
 * ridden out while a real, lasting outage still fails the run in bounded
 * time. Bad input never waits: our data errors are non-retryable from the
 * start (src/domain/errors.ts) and pass through untouched, and a library
 * error that names a data problem (a constraint violation, a RAISE in a
 * trigger: src/worker/failure-classes.ts) is made non-retryable here.
 *
 * Kept in the worker (not in each workflow's retry policy) so the window is a
 * setting of the deployment, read from config, not a constant baked into
 * workflow histories.
 */
import type { Context as ActivityContext } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { errorMessage } from '../domain/errors';
import { classifyFailure } from './failure-classes';

/**
 * @example
 *   Worker.create({ ..., interceptors: { activity: [createOutageWindowInterceptor(600_000)] } });
 */
export function createOutageWindowInterceptor(windowMs: number, now: () => number = Date.now): ActivityInterceptorsFactory {
  return (ctx: ActivityContext) => ({
    inbound: {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (err) {
          if (err instanceof ApplicationFailure && err.nonRetryable) throw err;
          if (ctx.cancellationSignal.aborted) throw err;
          if (!(err instanceof ApplicationFailure) && classifyFailure(err) === 'data') {
            throw ApplicationFailure.create({
              type: 'DataError',
              nonRetryable: true,
              message: errorMessage(err),
              cause: err instanceof Error ? err : undefined,
            });
          }
          const elapsedMs = now() - ctx.info.scheduledTimestampMs;
          if (elapsedMs < windowMs) throw err;
          throw ApplicationFailure.create({
            type: 'OutageWindowExceeded',
            nonRetryable: true,
            message: `${ctx.info.activityType} still failing after ${Math.round(elapsedMs / 1000)} s and ${ctx.info.attempt} attempts (outage window ${Math.round(windowMs / 1000)} s): ${errorMessage(err)}`,
            cause: err instanceof Error ? err : undefined,
          });
        }
      },
    },
  });
}
