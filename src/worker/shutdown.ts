/**
 * How `quant worker` stops: SIGTERM or SIGINT starts a drain (no new tasks
 * are polled, running activities may finish), and WORKER_SHUTDOWN_GRACE_SECONDS
 * is an upper bound on the whole stop. Inside it the SDK cancels activities
 * still running at 75 % of the grace and gives up waiting at 90 %; at 100 %
 * the process exits whatever still runs, so Kubernetes' SIGKILL (the chart's
 * terminationGracePeriodSeconds, a little longer) never has to fire.
 */

export interface ShutdownTimings {
  /** Worker `shutdownGraceTime`: running activities are cancelled after this. */
  graceTimeMs: number;
  /** Worker `shutdownForceTime`: the SDK stops waiting for the drain after this. */
  forceTimeMs: number;
  /** The process exits after this, drained or not. */
  hardExitMs: number;
}

/**
 * @example
 *   shutdownTimings(30) // { graceTimeMs: 22500, forceTimeMs: 27000, hardExitMs: 30000 }
 */
export function shutdownTimings(graceSeconds: number): ShutdownTimings {
  const hardExitMs = Math.max(0, Math.round(graceSeconds * 1000));
  return { graceTimeMs: Math.round(hardExitMs * 0.75), forceTimeMs: Math.round(hardExitMs * 0.9), hardExitMs };
}

export const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Resolves with the first SIGTERM/SIGINT received after the call. */
export function nextStopSignal(): Promise<StopSignal> {
  return new Promise((resolve) => {
    const handlers = STOP_SIGNALS.map((sig) => {
      const handler = () => {
        for (const [s, h] of handlers) process.off(s, h);
        resolve(sig);
      };
      process.on(sig, handler);
      return [sig, handler] as const;
    });
  });
}
