/**
 * Heartbeats that say "this worker is alive and still on it". Every activity
 * has a heartbeat timeout of seconds (workflows/activity-options.ts) so the
 * work of a worker that died (SIGKILL, a lost pod) is retried elsewhere in
 * seconds instead of after its start-to-close timeout. This interceptor
 * heartbeats for every running activity at a third of its heartbeat
 * timeout, so a short step never needs to, and a long step's own progress
 * heartbeats (activities/support/heartbeat.ts) come on top. It also lets the
 * server's cancellation reach the activity, which then stops at its next
 * safe point (`checkpoint()`).
 */
import type { Context as ActivityContext } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/**
 * @example
 *   Worker.create({ ..., interceptors: { activity: [createLivenessHeartbeatInterceptor()] } });
 */
export function createLivenessHeartbeatInterceptor(): ActivityInterceptorsFactory {
  return (ctx: ActivityContext) => ({
    inbound: {
      async execute(input, next) {
        const timeoutMs = ctx.info.heartbeatTimeoutMs;
        if (!timeoutMs) return next(input);
        const timer = setInterval(() => ctx.heartbeat(), Math.max(200, Math.floor(timeoutMs / 3)));
        timer.unref();
        try {
          return await next(input);
        } finally {
          clearInterval(timer);
        }
      },
    },
  });
}
