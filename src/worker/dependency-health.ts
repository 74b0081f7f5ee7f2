/**
 * Watches the worker's dependencies (Postgres, the object store) so an outage
 * is visible: each is checked every few seconds in the background, a failure
 * logs one warning within seconds and a recovery logs one line with the
 * outage's length, and `/readyz` reads the cached result (a probe never waits
 * on a database). Activities keep retrying through an outage on their own;
 * this only reports it.
 */
import type { Logger } from '@temporalio/common';
import { errorMessage } from '../domain/errors';

export interface DependencyCheck {
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check: () => Promise<unknown>;
}

export interface DependencyState {
  ok: boolean;
  /** ISO time of the last state change. */
  since: string;
  error?: string;
}

export interface DependencyMonitor {
  /** The cached result: every dependency up (and checked at least once). */
  ready(): boolean;
  /** Per dependency, for /readyz's body. */
  states(): Record<string, DependencyState | undefined>;
  /** Check all now (the loop does this every interval). */
  checkNow(): Promise<void>;
  stop(): void;
}

export interface DependencyMonitorOptions {
  checks: readonly DependencyCheck[];
  log: Logger;
  /** Default 2 s: an outage is logged within about intervalMs + timeoutMs. */
  intervalMs?: number;
  /** A check slower than this counts as failed (a frozen server never answers). Default 2 s. */
  timeoutMs?: number;
}

function withTimeout(p: Promise<unknown>, ms: number, name: string): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Start checking `checks` every `intervalMs`; the first round runs at once.
 *
 * @example
 *   const deps = startDependencyMonitor({ checks: [{ name: 'postgres', check: () => db.query('SELECT 1') }], log });
 *   startMetricsServer({ ..., readiness: () => ({ ready: deps.ready() }) });
 */
export function startDependencyMonitor(options: DependencyMonitorOptions): DependencyMonitor {
  const intervalMs = options.intervalMs ?? 2_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const states: Record<string, DependencyState | undefined> = {};
  let running: Promise<void> | undefined;

  const checkOne = async ({ name, check }: DependencyCheck): Promise<void> => {
    const before = states[name];
    try {
      await withTimeout(check(), timeoutMs, name);
      if (before && !before.ok) {
        options.log.info('dependency recovered', { dependency: name, downSeconds: (Date.now() - Date.parse(before.since)) / 1000 });
      }
      if (!before || !before.ok) states[name] = { ok: true, since: new Date().toISOString() };
    } catch (err) {
      const error = errorMessage(err).slice(0, 300);
      if (!before || before.ok) {
        options.log.warn('dependency unavailable', { dependency: name, error });
        states[name] = { ok: false, since: new Date().toISOString(), error };
      } else {
        states[name] = { ...before, error };
      }
    }
  };

  const checkNow = (): Promise<void> => {
    // One round at a time: a slow round is not stacked under the next tick.
    running ??= Promise.all(options.checks.map(checkOne)).then(() => {
      running = undefined;
    });
    return running;
  };

  void checkNow();
  const timer = setInterval(() => void checkNow(), intervalMs);
  timer.unref();
  return {
    ready: () => options.checks.every((c) => states[c.name]?.ok === true),
    states: () => ({ ...states }),
    checkNow,
    stop: () => clearInterval(timer),
  };
}
