/**
 * All activities of the worker, merged from their factories. Workflows import
 * only `type Activities` from here; the worker entry builds the real deps.
 */
import { createFanoutActivities, type FanoutDeps } from './fanout';
import { createScreenActivities, type ScreenDeps } from './screen';
import { createSignalActivities, type SignalDeps } from './signal';
import { createIngestActivities, type IngestDeps } from './ingest';

export type ActivityDeps = FanoutDeps & ScreenDeps & SignalDeps & IngestDeps;

export function createActivities(deps: ActivityDeps) {
  return { ...createFanoutActivities(deps), ...createScreenActivities(deps), ...createSignalActivities(deps), ...createIngestActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
