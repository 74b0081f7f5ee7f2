/**
 * The one way a workflow tags its run for the Web UI's filters and the
 * CLI's queries: `Pipeline`, `RunDate`, `RunDay` and, for per-contract
 * children, `Contract`.
 *
 * `RunDate` means one thing everywhere: the BUSINESS DATE the run is for,
 * as midnight UTC of a `YYYY-MM-DD` date (never a wall-clock time).
 * - Daily pipeline (ingest, screen, signal, rebalance, monitor, backtest,
 *   pipeline): the run date it resolves (`resolveRunDate`). A backfill is
 *   for its range and is tagged with its last date (`to`).
 * - Fan-out (orchestrator and the rest): a run started by a client carries
 *   the date it was started with (the UTC date of the `RunDate` the client
 *   set), or else the UTC date it started (`workflowInfo().startTime`).
 * - A child carries its parent's date: the parent starts it with
 *   `runTags(...)`, and the child's own `tagRun` keeps what it inherited,
 *   so a query on one date finds a whole run, parent and children.
 * `RunDay` is the same date as a Keyword ('2026-12-01'), for equality
 * queries (Datetime equality finds nothing on the dev server).
 * Every workflow upserts its tags once, at its start (the recorded
 * histories in tests/histories/ hold that one upsert command; adding
 * `RunDay` to it adds a key, not a command, so old histories still replay).
 */
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributePair } from '@temporalio/common';
import { formatIsoDate, parseIsoDate } from '../src/domain/dates';
import { SEARCH_ATTRIBUTES } from './names';

/** The tags of one run. */
export interface RunTag {
  /** `PIPELINE_DAILY` or `PIPELINE_FANOUT`. */
  pipeline: string;
  /** The business date the run is for, YYYY-MM-DD. */
  runDate: string;
  /** The contract of a per-contract child. */
  contract?: string;
  /** The model version (`name@version`) of a model run. */
  model?: string;
}

/**
 * The search attributes of a run, for `typedSearchAttributes` when starting
 * a child (so it carries the parent's date from its first event).
 *
 * @example
 *   await executeChild(screen, { workflowId, args: [{ date }], typedSearchAttributes: runTags({ pipeline: PIPELINE_DAILY, runDate: date }) });
 */
export function runTags(tag: RunTag): SearchAttributePair[] {
  return [
    { key: SEARCH_ATTRIBUTES.Pipeline, value: tag.pipeline },
    { key: SEARCH_ATTRIBUTES.RunDate, value: parseIsoDate(tag.runDate) },
    { key: SEARCH_ATTRIBUTES.RunDay, value: tag.runDate },
    ...(tag.contract === undefined ? [] : [{ key: SEARCH_ATTRIBUTES.Contract, value: tag.contract }]),
    ...(tag.model === undefined ? [] : [{ key: SEARCH_ATTRIBUTES.Model, value: tag.model }]),
  ];
}

/**
 * Tag the current run (one upsert).
 *
 * @example
 *   tagRun({ pipeline: PIPELINE_DAILY, runDate: date });
 */
export function tagRun(tag: RunTag): void {
  upsertSearchAttributes(runTags(tag));
}

/** The business date this run was started with (a child: its parent's), YYYY-MM-DD; undefined when it was started untagged. */
export function inheritedRunDate(): string | undefined {
  const d = workflowInfo().typedSearchAttributes.get(SEARCH_ATTRIBUTES.RunDate);
  return d === undefined ? undefined : formatIsoDate(d);
}

/**
 * The business date of a fan-out run: the one it inherited, else the UTC
 * date it started.
 *
 * @example
 *   tagRun({ pipeline: PIPELINE_FANOUT, runDate: fanoutRunDate() });
 */
export function fanoutRunDate(): string {
  return inheritedRunDate() ?? formatIsoDate(workflowInfo().startTime);
}
