/**
 * The dashboard's demo data: what `quant demo dashboard` runs before it
 * serves the dashboard, and what the dashboard's browser tests run first, so
 * that no page is empty. Everything goes through the real workflows on a
 * worker: a short daily pipeline history (WF1-WF6 for every trading day of
 * the range), the model pipeline over the same days, one replayed intraday
 * trading day on its own book, and a small fan-out run.
 */

export interface DemoSeed {
  /** Trading days the daily pipeline ran (`pipeline-<date>`), oldest first. */
  pipelineDates: string[];
  /** Days the model pipeline (features, models, performance) ran, oldest first. */
  modelDates: string[];
  /** The intraday day replayed, and the book it traded (`replay:<date>`). */
  replayDate: string;
  replayBook: string;
  /** The fan-out run (`orchestrator-<runKey>`) and its contracts. */
  fanoutRunKey: string;
  fanoutWorkflowId: string;
  fanoutContracts: string[];
}
