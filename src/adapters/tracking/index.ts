/** The tracker the config asks for: MLflow when `MLFLOW_TRACKING_URI` is set, otherwise none. */
import type { Config } from '../../config/schema';
import { createMlflowTracker } from './mlflow';
import { NO_TRACKER, type ExperimentTracker } from './types';

export function createTracker(tracking: Config['tracking']): ExperimentTracker {
  if (!tracking.mlflowUri) return NO_TRACKER;
  return createMlflowTracker({
    trackingUri: tracking.mlflowUri,
    token: tracking.mlflowToken,
    username: tracking.mlflowUsername,
    password: tracking.mlflowPassword,
    maxConcurrentRequests: tracking.mlflowMaxConcurrentRequests,
  });
}
