/**
 * All activities of the worker, merged from their factories. Workflows import
 * only `type Activities` from here; the worker entry builds the real deps.
 */
import { createFanoutActivities, type FanoutDeps } from './fanout';

export type ActivityDeps = FanoutDeps;

export function createActivities(deps: ActivityDeps) {
  return { ...createFanoutActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
