/**
 * All activities of the worker, merged from their factories. Workflows import
 * only `type Activities` from here; the worker entry builds the real deps.
 */
import { createFanoutActivities, type FanoutDeps } from './fanout';
import { createScreenActivities, type ScreenDeps } from './screen';
import { createSignalActivities, type SignalDeps } from './signal';
import { createIngestActivities, type IngestDeps } from './ingest';
import { createRebalanceActivities, type RebalanceDeps } from './rebalance';
import { createMonitorActivities, type MonitorDeps } from './monitor';
import { createBacktestActivities, type BacktestDeps } from './backtest';
import { createReconciliationActivities } from './trading/reconciliation';
import { createRiskAnalysisActivities } from './trading/risk-analysis';
import type { TradingDeps } from './trading/deps';
import { createWorkflowRunActivities } from './workflow-runs';
import { createFeaturesActivities, type FeaturesDeps } from './features';
import { createModelsActivities, type ModelsDeps } from './models';
import { createPerformanceActivities, type PerformanceDeps } from './performance';
import { createTrackingActivities, type TrackingDeps } from './tracking';
import { createStrategiesActivities, type StrategiesDeps } from './strategies';

export type ActivityDeps = FanoutDeps &
  ScreenDeps &
  SignalDeps &
  IngestDeps &
  RebalanceDeps &
  MonitorDeps &
  BacktestDeps &
  TradingDeps &
  FeaturesDeps &
  ModelsDeps &
  PerformanceDeps &
  TrackingDeps &
  StrategiesDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createFanoutActivities(deps),
    ...createScreenActivities(deps),
    ...createSignalActivities(deps),
    ...createIngestActivities(deps),
    ...createRebalanceActivities(deps),
    ...createMonitorActivities(deps),
    ...createBacktestActivities(deps),
    ...createReconciliationActivities(deps),
    ...createRiskAnalysisActivities(deps),
    ...createFeaturesActivities(deps),
    ...createModelsActivities(deps),
    ...createPerformanceActivities(deps),
    ...createTrackingActivities(deps),
    ...createStrategiesActivities(deps),
    ...createWorkflowRunActivities(),
  };
}

export type Activities = ReturnType<typeof createActivities>;
