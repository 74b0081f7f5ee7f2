/**
 * What the dashboard's read-only views (`GET /api/...`) read from: the one
 * database (pipeline, model and trading tables alike), the object store
 * (reports and their charts), and Temporal's visibility store for the Runs
 * page. Temporal is connected on first use and only by these views: the
 * hot path (signals, orders) never waits on it, and the service starts and
 * serves every other page when Temporal is down.
 */
import type { Client } from '@temporalio/client';
import type { ObjectStore } from '../../adapters/object-store/types';
import type { Db } from '../../adapters/postgres/pool';

export interface DashboardViewsDeps {
  db: Db;
  /** Reports and charts; absent, the Runs page lists runs without their reports. */
  store?: ObjectStore;
  /** A connected client, or undefined (with the reason) when Temporal cannot be reached now. */
  temporal: () => Promise<{ client: Client } | { client?: undefined; reason: string }>;
  namespace: string;
  /** The Temporal Web UI's base URL, for links to each workflow; absent, no links. */
  uiUrl?: string;
  /** The MLflow server (MLFLOW_TRACKING_URI), for links to a model's runs; absent, no links. */
  mlflowUrl?: string;
  /** The execution service's book (the paper account the live strategies trade). */
  executionAccount: string;
  /** The performance test's window (MODELS_LOOKBACK_DAYS, MODELS_HOLDING_DAYS): the Models page draws the curves over it. */
  modelCurves: { lookbackDays: number; holdingDays: number };
}
