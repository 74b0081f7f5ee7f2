/**
 * The experiment-tracking port: where model runs, performance tests and
 * backtests are recorded for comparison (MLflow when `MLFLOW_TRACKING_URI`
 * is set, nothing otherwise). Activities log through this port only, so the
 * pipelines neither know nor care which tracker is behind it.
 *
 * Idempotent by `key`: logging a run whose key was logged before updates
 * that run (same params, same metric points), never adds a second one, so a
 * retried activity leaves one run per thing tracked.
 */

/** A param value as given; nested objects are flattened to dotted keys (`weights.technical`). */
export type ParamValue = string | number | boolean | null | undefined | { [k: string]: ParamValue } | ParamValue[];

export interface TrackedMetric {
  key: string;
  /** Non-finite values are not sent (MLflow's JSON cannot carry them). */
  value: number | null;
  /** Position in a series (day index of a curve); 0 for a single value. */
  step?: number;
  /** Epoch ms the point belongs to (a curve's date); default: the run's end time. */
  timestamp?: number;
}

export interface TrackedArtifact {
  /** Path inside the run's artifacts, e.g. `report.md` or `charts/equity.svg`. */
  path: string;
  body: string | Uint8Array;
  contentType: string;
}

export interface TrackedRun {
  /** Experiment name, created on first use. */
  experiment: string;
  /** Our stable identity of the run, e.g. `model-run:momentum@2:2024-03-01`. */
  key: string;
  /** Display name in the tracker's UI. */
  name: string;
  /** Epoch ms. */
  startTime: number;
  endTime: number;
  params: Record<string, ParamValue>;
  metrics: TrackedMetric[];
  tags: Record<string, string>;
  artifacts: TrackedArtifact[];
}

export interface LoggedRun {
  key: string;
  experimentId: string;
  runId: string;
  /** Where the tracker keeps the run's artifacts (MLflow: `mlflow-artifacts:/<experiment>/<run>/artifacts`). */
  artifactUri: string;
  /** The run in the tracker's web UI. */
  url: string;
  /** Set when the tracker could not take the artifacts (it does not proxy them). */
  artifactsSkipped?: string;
}

/** One version of a registered model, as our registry has it. */
export interface TrackedModelVersion {
  name: string;
  version: number;
  kind: string;
  status: string;
  config: unknown;
  createdAt: number;
}

export interface ExperimentTracker {
  /** `off`: nothing is sent (no tracking URI configured). */
  readonly kind: 'mlflow' | 'off';
  logRun(run: TrackedRun): Promise<LoggedRun>;
  /**
   * Make the tracker's model registry hold every given version of each model
   * name (in version order, so the tracker's numbering follows ours), with
   * its status; returns how many versions were created now.
   */
  syncModelVersions(versions: readonly TrackedModelVersion[]): Promise<{ created: number }>;
}

/** The tracker when none is configured: it is never called by the activities (they check `kind`), and refuses if it is. */
export const NO_TRACKER: ExperimentTracker = {
  kind: 'off',
  async logRun() {
    throw new Error('experiment tracking is off (set MLFLOW_TRACKING_URI)');
  },
  async syncModelVersions() {
    return { created: 0 };
  },
};
