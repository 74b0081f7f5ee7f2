/**
 * WF1 `ingest` and its backfill. `ingest` fetches the end-of-day bars of one
 * date (optionally with a lookback), validates ticks, stores them to Postgres
 * and to hive-partitioned Parquet in parallel, checks quality and writes a
 * report; a weekend or holiday is a `no_trading_data` outcome, an unknown
 * symbol is reported and the others proceed, a provider or store failure is
 * retried, recorded and reported. `ingestBackfill` splits a range into chunks
 * of trading days, runs one `ingestBackfillChunk` child per chunk (IDs
 * `ingest-backfill-<from>-<to>-chunk-<n>`), skips chunks whose completion
 * marker exists (resumable, and a rerun writes nothing), and continues as new
 * every 100 chunks so its history stays small. Bars never pass through
 * history: the activities hand each other object keys.
 */
import { ApplicationFailure, continueAsNew, executeChild, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SymbolFailure } from '../activities/ingest';
import { PIPELINE_DAILY, workflowIds } from './names';
import { resolveRunDate } from './run-date';
import { inheritedRunDate, runTags, tagRun } from './tag-run';
import { ingestBackfillChunkInputSchema, ingestBackfillInputSchema, ingestInputSchema } from './inputs';
import { validateInput } from './validate-input';
import { LONG_ACTIVITY } from './activity-options';
import type { BackfillChunkOutcome } from '../src/domain/ingest-day';

export interface IngestInput {
  /** YYYY-MM-DD; default: the previous weekday of the scheduled (or start) time, as for WF2/WF3. */
  date?: string;
  /** Default: the 49-name daily universe. */
  symbols?: string[];
  /** Also fetch this many trading days before `date` (default 0). */
  lookbackDays?: number;
}

export interface IngestResult {
  date: string;
  status: 'completed' | 'no_trading_data';
  provider: string;
  from: string;
  to: string;
  symbols: number;
  tradingDays: number;
  barsFetched: number;
  rowsWritten: number;
  rowsUnchanged: number;
  rejectedTicks: number;
  parquetFiles: number;
  qualityScore: number | null;
  staleSymbols: string[];
  failures: SymbolFailure[];
  reportKey: string | null;
}

export interface IngestBackfillInput {
  from: string;
  to: string;
  symbols?: string[];
  /** Trading days per chunk; default `marketData.backfillChunkDays` (63). */
  chunkDays?: number;
  /** Chunks running at once (default 4). */
  maxConcurrentChunks?: number;
  /** Internal (continueAsNew): where this run resumes and what earlier runs did. */
  resume?: { nextChunk: number; chunks: BackfillChunkOutcome[] };
}

export interface IngestBackfillResult {
  from: string;
  to: string;
  chunks: number;
  completed: number;
  skipped: number;
  failed: number;
  /** Bars stored by the chunks this backfill ran (skipped chunks count 0). */
  rowsStored: number;
  reportKey: string;
}

export interface IngestChunkInput {
  backfillKey: string;
  n: number;
  from: string;
  to: string;
  symbols?: string[];
  markerKey: string;
}

const CHUNKS_PER_RUN = 100;

// Infrastructure faults are retried through the worker's outage window; data errors fail at once.
const acts = proxyActivities<Activities>(LONG_ACTIVITY);
/** Store steps: retried through an outage; a data error fails the run, which is reported (nothing partial is committed). */
const storeActs = proxyActivities<Activities>(LONG_ACTIVITY);

function message(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  let msg = e?.message ?? String(err);
  while (e?.cause) {
    e = e.cause as { message?: string; cause?: unknown };
    if (e?.message) msg = e.message;
  }
  return msg;
}

interface PipelineParams {
  runKey: string;
  runDate: string;
  from?: string;
  to: string;
  lookbackDays?: number;
  symbols?: string[];
  requireTradingDay: boolean;
  runRows: 'single' | 'perDay';
  reportName?: string;
  markerKey?: string;
}

/** fetch -> validate -> (Postgres || Parquet) -> quality. Throws after the store steps' retries. */
async function runPipeline(p: PipelineParams): Promise<IngestResult> {
  setCurrentDetails(`fetching ${p.from ?? p.to}..${p.to}`);
  const fetched = await acts.fetchMarketData({
    runKey: p.runKey,
    from: p.from,
    to: p.to,
    lookbackDays: p.lookbackDays,
    symbols: p.symbols,
    requireTradingDay: p.requireTradingDay,
  });
  const base = {
    date: p.runDate,
    provider: fetched.provider,
    from: fetched.from,
    to: fetched.to,
    symbols: fetched.symbols.length,
    tradingDays: fetched.tradingDays.length,
    barsFetched: fetched.bars,
    failures: fetched.failures,
  };
  if (fetched.stagingKey === null) {
    return {
      ...base,
      status: 'no_trading_data',
      rowsWritten: 0,
      rowsUnchanged: 0,
      rejectedTicks: 0,
      parquetFiles: 0,
      qualityScore: null,
      staleSymbols: [],
      reportKey: null,
    };
  }
  setCurrentDetails(`validating ${fetched.bars} bars`);
  const validated = await acts.validateMarketData({ runKey: p.runKey, stagingKey: fetched.stagingKey });
  setCurrentDetails(`storing ${validated.kept} bars to Postgres and Parquet`);
  const [pg, pq] = await Promise.allSettled([
    storeActs.storeMarketDataPostgres({ validatedKey: validated.validatedKey, source: fetched.provider }),
    storeActs.storeMarketDataParquet({ validatedKey: validated.validatedKey, source: fetched.provider }),
  ]);
  if (pg.status === 'rejected') throw ApplicationFailure.nonRetryable(`storing to Postgres failed: ${message(pg.reason)}`, 'StoreFailed');
  if (pq.status === 'rejected') throw ApplicationFailure.nonRetryable(`storing to Parquet failed: ${message(pq.reason)}`, 'StoreFailed');
  setCurrentDetails('checking quality');
  const q = await acts.checkIngestQuality({
    runKey: p.runKey,
    runDate: p.runDate,
    provider: fetched.provider,
    from: fetched.from,
    to: fetched.to,
    symbols: fetched.symbols,
    tradingDays: fetched.tradingDays,
    failures: fetched.failures,
    validatedKey: validated.validatedKey,
    rejected: validated.rejected,
    rejectedSample: validated.rejectedSample,
    stored: pg.value,
    parquet: pq.value,
    runRows: p.runRows,
    reportName: p.reportName,
    markerKey: p.markerKey,
  });
  setCurrentDetails(`done: ${validated.kept} bars, quality ${q.qualityScore.toFixed(3)}`);
  return {
    ...base,
    status: 'completed',
    rowsWritten: pg.value.written,
    rowsUnchanged: pg.value.unchanged,
    rejectedTicks: validated.rejected,
    parquetFiles: pq.value.files,
    qualityScore: q.qualityScore,
    staleSymbols: q.staleSymbols,
    reportKey: q.reportKey,
  };
}

/**
 * WF1. ID `ingest-<date>`.
 *
 * @example
 *   await client.workflow.execute(ingest, { workflowId: 'ingest-2026-02-06', taskQueue, args: [{ date: '2026-02-06' }] });
 */
export async function ingest(input: IngestInput = {}): Promise<IngestResult> {
  validateInput('ingest', ingestInputSchema, input);
  // Same rule as WF2/WF3: a scheduled run without a date ingests the previous weekday's close.
  const date = resolveRunDate(input.date);
  tagRun({ pipeline: PIPELINE_DAILY, runDate: date });
  const reportName = `ingest-${date}`;
  let result: IngestResult;
  try {
    result = await runPipeline({
      runKey: workflowInfo().workflowId,
      runDate: date,
      to: date,
      lookbackDays: input.lookbackDays,
      symbols: input.symbols,
      requireTradingDay: true,
      runRows: 'single',
      reportName,
    });
  } catch (err) {
    const reason = message(err);
    const invalid =
      (err as { cause?: { type?: string } }).cause?.type === 'InvalidInput' || (err as { type?: string }).type === 'InvalidInput';
    if (!invalid)
      await acts.recordIngestOutcome({ runDate: date, status: 'failed', symbols: input.symbols ?? [], error: reason, reportName });
    throw ApplicationFailure.nonRetryable(`ingest ${date} failed: ${reason}`, invalid ? 'InvalidInput' : 'IngestFailed');
  }
  if (result.status === 'no_trading_data') {
    const { reportKey } = await acts.recordIngestOutcome({
      runDate: date,
      status: 'no_trading_data',
      symbols: input.symbols ?? [],
      reportName,
    });
    setCurrentDetails(`no trading data on ${date}`);
    return { ...result, reportKey };
  }
  return result;
}

/** One backfill chunk: the WF1 steps over a range of trading days, then its completion marker. */
export async function ingestBackfillChunk(input: IngestChunkInput): Promise<IngestResult> {
  validateInput('ingestBackfillChunk', ingestBackfillChunkInputSchema, input);
  // A chunk carries its backfill's date (set by the parent at its start); started alone, its own last date.
  tagRun({ pipeline: PIPELINE_DAILY, runDate: inheritedRunDate() ?? input.to });
  return runPipeline({
    runKey: workflowInfo().workflowId,
    runDate: input.to,
    from: input.from,
    to: input.to,
    symbols: input.symbols,
    requireTradingDay: false,
    runRows: 'perDay',
    markerKey: input.markerKey,
  });
}

/** The key of a backfill: `<from>-<to>`, plus an FNV-1a hash of the symbols when they are given. */
export function backfillKey(input: { from: string; to: string; symbols?: string[] }): string {
  if (!input.symbols) return `${input.from}-${input.to}`;
  let h = 0x811c9dc5;
  for (const ch of [...input.symbols].sort().join(',')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `${input.from}-${input.to}-${h.toString(16).padStart(8, '0')}`;
}

/**
 * Backfill [from, to]. ID `ingest-backfill-<key>`; chunk children `ingest-backfill-<key>-chunk-<n>`.
 *
 * @example
 *   await client.workflow.execute(ingestBackfill, { workflowId: 'ingest-backfill-2025-01-01-2025-12-31', taskQueue, args: [{ from: '2025-01-01', to: '2025-12-31' }] });
 */
export async function ingestBackfill(input: IngestBackfillInput): Promise<IngestBackfillResult> {
  validateInput('ingestBackfill', ingestBackfillInputSchema, input);
  tagRun({ pipeline: PIPELINE_DAILY, runDate: input.to });
  const key = backfillKey(input);
  const plan = await acts.planBackfill({ from: input.from, to: input.to, backfillKey: key, chunkDays: input.chunkDays });
  const lines: BackfillChunkOutcome[] = [...(input.resume?.chunks ?? [])];
  const start = input.resume?.nextChunk ?? 0;
  const window = Math.max(1, input.maxConcurrentChunks ?? 4);
  const todo = plan.chunks.filter((c) => c.n >= start);
  const thisRun = todo.slice(0, CHUNKS_PER_RUN);
  for (const c of thisRun.filter((c) => c.done)) lines.push({ n: c.n, from: c.from, to: c.to, status: 'skipped' });
  const pending = thisRun.filter((c) => !c.done);
  let next = 0;
  let finished = 0;
  const worker = async () => {
    while (next < pending.length) {
      const c = pending[next++];
      try {
        const r = await executeChild(ingestBackfillChunk, {
          workflowId: workflowIds.ingestBackfillChunk(key, c.n),
          args: [{ backfillKey: key, n: c.n, from: c.from, to: c.to, symbols: input.symbols, markerKey: c.markerKey }],
          staticSummary: `Ingest backfill chunk ${c.n}: ${c.from} .. ${c.to} (${c.days} trading days)`,
          typedSearchAttributes: runTags({ pipeline: PIPELINE_DAILY, runDate: input.to }),
        });
        lines.push({
          n: c.n,
          from: c.from,
          to: c.to,
          status: 'completed',
          rows: r.rowsWritten + r.rowsUnchanged,
          quality: r.qualityScore ?? undefined,
        });
      } catch (err) {
        lines.push({ n: c.n, from: c.from, to: c.to, status: 'failed', error: message(err).slice(0, 300) });
      }
      setCurrentDetails(`backfill ${input.from}..${input.to}: ${++finished}/${pending.length} chunks of this run done`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, pending.length) }, worker));
  if (todo.length > thisRun.length) {
    // Keep the history small: the next run resumes at the first chunk not yet looked at.
    await continueAsNew<typeof ingestBackfill>({ ...input, resume: { nextChunk: thisRun[thisRun.length - 1].n + 1, chunks: lines } });
  }
  lines.sort((a, b) => a.n - b.n);
  const { reportKey } = await acts.writeBackfillReport({
    backfillKey: key,
    from: input.from,
    to: input.to,
    symbols: input.symbols?.length ?? 49,
    chunks: lines,
  });
  const count = (s: BackfillChunkOutcome['status']) => lines.filter((l) => l.status === s).length;
  const result = {
    from: input.from,
    to: input.to,
    chunks: lines.length,
    completed: count('completed'),
    skipped: count('skipped'),
    failed: count('failed'),
    rowsStored: lines.reduce((s, l) => s + (l.status === 'completed' ? (l.rows ?? 0) : 0), 0),
    reportKey,
  };
  if (result.failed > 0) {
    const first = lines.find((l) => l.status === 'failed');
    throw ApplicationFailure.nonRetryable(
      `backfill ${input.from}..${input.to}: ${result.failed} of ${result.chunks} chunks failed (first: chunk ${first?.n}: ${first?.error}); rerun to resume (report ${reportKey})`,
      'BackfillIncomplete',
    );
  }
  return result;
}
