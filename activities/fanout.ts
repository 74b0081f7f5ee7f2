/**
 * Activities of the fan-out analysis: ingest a dataset, prepare and finalise
 * a run, validate the data, and the three steps of `analyzeSymbol`
 * (load -> analyze -> save) plus the portfolio aggregation. They pass object
 * keys and small summaries, never price arrays (claim check), and every write
 * is idempotent: keys come from the inputs and rows are upserts.
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ObjectStore } from '../src/adapters/object-store/types';
import type { FanoutRepo } from '../src/adapters/postgres/fanout-repo';
import { layout } from '../src/adapters/layout';
import { readParquet, writeParquet, objectStoreAsyncBuffer, parquetColumnNames } from '../src/adapters/parquet';
import { datasetKeys, readDatasetManifest, readContractSeries, writeHourlyDataset, importHourlyDatasetFromFiles } from '../src/adapters/hourly-dataset/store';
import { generateHourlyDataset } from '../src/adapters/hourly-dataset/synthetic';
import { decodeSeries, encodeSeries } from '../src/adapters/series-blob';
import { analyzeSymbolBars, SIGNAL, QUALITY, BETA_CLIP } from '../src/domain/symbol-analysis';
import { contractPnlPct, PortfolioAccumulator } from '../src/domain/fanout-portfolio';
import { checkPriceColumn, judgeColumns, worst, type ValidationStatus } from '../src/domain/data-validation';
import { renderPortfolioReport, renderRunReport, type ContractLine } from '../src/reports/fanout-report';
import { stableHash } from '../src/config/load';
import { asActivityFailure, invalidInput } from './support/failures';

export interface FanoutDeps {
  store: ObjectStore;
  repo: FanoutRepo;
  /** Called with the number of contracts analysed (metrics). */
  onContractAnalyzed?: () => void;
  onDataQuality?: (dataset: string, score: number) => void;
}

/** Analysis parameters that define a run's results; part of its config hash. */
export const ANALYSIS_PARAMETERS = { kernel: 'analyzeSymbolBars/1', thresholdFactor: 0.5, vixScale: 15, betaClip: BETA_CLIP } as const;

export interface IngestDatasetInput {
  dataset: string;
  provider: 'synthetic' | 'file';
  seed?: number;
  contracts?: number;
  bars?: number;
  /** file provider: a local folder with the three Parquet files. */
  sourceDir?: string;
  /** Regenerate even when a dataset with the same parameters exists. */
  force?: boolean;
}

export interface DatasetSummary {
  dataset: string;
  datasetHash: string;
  contracts: number;
  bars: number;
  skipped: boolean;
}

export interface PrepareRunInput {
  runKey: string;
  workflowId: string;
  dataset: string;
  numContracts: number;
  outputPrefix: string;
  failContracts: string[];
  /** `--retry-failed`: analyse only these contracts of the run (they must be among its `numContracts`). */
  onlyContracts?: string[];
}

export interface PreparedRun {
  contracts: string[];
  datasetHash: string;
  configHash: string;
  bars: number;
}

export interface ValidateDatasetInput {
  runKey: string;
  dataset: string;
  numContracts: number;
}

export interface ValidationResult {
  status: ValidationStatus;
  problems: string[];
  reportKey: string;
  qualityScore: number;
}

export interface LoadContractInput {
  runKey: string;
  dataset: string;
  contract: string;
  outputPrefix: string;
  /** The failure drill: fail every attempt so the child fails after its retries. */
  failureDrill?: boolean;
}

export interface AnalyzeContractInput {
  runKey: string;
  contract: string;
  outputPrefix: string;
  inputKey: string;
}

/** A contract's analysis summary: what the summary row and the run report hold. */
export type ContractSummary = ContractLine;

export interface SaveContractInput {
  runKey: string;
  contract: string;
  outputPrefix: string;
  stagingKey: string;
  summary: ContractSummary;
}

export interface FinalizeRunInput {
  runKey: string;
  dataset: string;
  datasetHash: string;
  configHash: string;
  requested: number;
  validation: { status: ValidationStatus; problems: string[]; reportKey?: string } | null;
  failures: { contract: string; error: string }[];
  startedAt: string;
  /** Where the run's files live (default "fanout"): finalizeRun checks results/ and clears staging/. */
  outputPrefix?: string;
}

export interface FinalizedRun {
  reportKey: string;
  status: 'completed' | 'partial';
  /** Every contract of the run (not only those of a `--retry-failed` pass). */
  total: number;
  succeeded: number;
  failed: number;
  failedContracts: string[];
}

export interface AggregateRunInput {
  runKey: string;
  outputPrefix: string;
}

export interface AggregateResult {
  runKey: string;
  contracts: number;
  bars: number;
  totalPnlPct: number;
  sharpe: number | null;
  winRate: number | null;
  equityKey: string;
  reportKey: string;
}

/**
 * Undefined values (the first bar's change and beta) are stored as NaN in
 * non-nullable DOUBLE columns: pandas and DuckDB read them as missing, and
 * typed arrays encode several times faster than arrays of boxed nullable numbers.
 * Result files skip footer statistics: min/max on 10 columns more than doubles
 * the encoding time of the fan-out's hottest step, and the files are read whole.
 */
const RESULT_PARQUET_OPTIONS = { statistics: false } as const;

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const nullIfNaN = (x: number) => (Number.isFinite(x) ? x : null);
const SIGNAL_NAMES: Record<number, string> = { [SIGNAL.buy]: 'buy', [SIGNAL.sell]: 'sell', [SIGNAL.hold]: 'hold' };
const SIGNAL_CODES: Record<string, number> = { buy: SIGNAL.buy, sell: SIGNAL.sell, hold: SIGNAL.hold };
const QUALITY_NAMES: Record<number, string> = { [QUALITY.good]: 'good', [QUALITY.bad]: 'bad', [QUALITY.neutral]: 'neutral' };

function heartbeat(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    /* called outside an activity (tests, CLI): nothing to report to */
  }
}

export function createFanoutActivities(deps: FanoutDeps) {
  const { store, repo } = deps;

  return {
    /** Load a dataset into the object store from a provider; a no-op when the same dataset is already there. */
    async ingestDataset(input: IngestDatasetInput): Promise<DatasetSummary> {
      return asActivityFailure(() => ingestHourlyDataset(store, input, () => heartbeat('writing')));
    },

    /** Check the request against the dataset, record the run, and return its contracts and hashes. */
    async prepareRun(input: PrepareRunInput): Promise<PreparedRun> {
      return asActivityFailure(async () => {
        const manifest = await readDatasetManifest(store, input.dataset);
        const available = manifest.contracts.length;
        if (!Number.isInteger(input.numContracts) || input.numContracts <= 0) {
          throw invalidInput(`numContracts must be a positive integer, got ${input.numContracts}`);
        }
        if (input.numContracts > available) {
          throw invalidInput(`numContracts ${input.numContracts} exceeds the ${available} contracts in dataset "${input.dataset}"`);
        }
        const contracts = manifest.contracts.slice(0, input.numContracts).map((c) => c.symbol);
        const unknownDrill = input.failContracts.filter((c) => !contracts.includes(c));
        if (unknownDrill.length > 0) {
          throw invalidInput(`failContracts ${unknownDrill.join(', ')} are not among the ${input.numContracts} contracts of this run`);
        }
        const unknownRetry = (input.onlyContracts ?? []).filter((c) => !contracts.includes(c));
        if (unknownRetry.length > 0) {
          throw invalidInput(`onlyContracts ${unknownRetry.slice(0, 20).join(', ')} are not among the ${input.numContracts} contracts of run "${input.runKey}"`);
        }
        const configHash = stableHash({
          analysis: ANALYSIS_PARAMETERS,
          dataset: input.dataset,
          numContracts: input.numContracts,
          outputPrefix: input.outputPrefix,
          failContracts: [...input.failContracts].sort(),
        });
        await repo.startRun({
          runKey: input.runKey, workflowId: input.workflowId, dataset: input.dataset,
          datasetHash: manifest.datasetHash, configHash, numContracts: input.numContracts,
        });
        await store.put(
          layout.fanoutManifest(input.outputPrefix, input.runKey),
          JSON.stringify({ runKey: input.runKey, dataset: input.dataset, datasetHash: manifest.datasetHash, configHash, contracts }, null, 2),
          { contentType: 'application/json' },
        );
        const only = input.onlyContracts ? new Set(input.onlyContracts) : null;
        return { contracts: only ? contracts.filter((c) => only.has(c)) : contracts, datasetHash: manifest.datasetHash, configHash, bars: manifest.bars };
      });
    },

    /** Missing values, outliers, SPX/VIX availability and alignment over the run's contracts. */
    async validateDataset(input: ValidateDatasetInput): Promise<ValidationResult> {
      return asActivityFailure(async () => {
        const manifest = await readDatasetManifest(store, input.dataset);
        const keys = datasetKeys(input.dataset);
        const problems: string[] = [];
        let status: ValidationStatus = 'PASS';
        const contracts = manifest.contracts.slice(0, Math.max(0, input.numContracts)).map((c) => c.symbol);

        const holdings = objectStoreAsyncBuffer(store, keys.holdings);
        const holdingColumns = new Set(await parquetColumnNames(await holdings));
        const timestamps = (await readParquet(await holdings, { columns: ['timestamp'] })).columns.timestamp as ArrayLike<number>;

        const market: Record<string, ArrayLike<number> | undefined> = {};
        for (const [name, key] of [['SPX', keys.spx], ['VIX', keys.vix]] as const) {
          if (!(await store.exists(key))) {
            status = 'FAIL';
            problems.push(`FAIL ${name}: market data file ${key} is missing`);
            continue;
          }
          const buf = await objectStoreAsyncBuffer(store, key);
          const cols = await parquetColumnNames(buf);
          if (!cols.includes('close') || !cols.includes('timestamp')) {
            status = 'FAIL';
            problems.push(`FAIL ${name}: ${key} lacks a ${cols.includes('close') ? 'timestamp' : 'close'} column`);
            continue;
          }
          const t = await readParquet(buf, { columns: ['timestamp', 'close'] });
          const ts = t.columns.timestamp as ArrayLike<number>;
          if (ts.length !== timestamps.length) {
            status = 'FAIL';
            problems.push(`FAIL ${name}: ${ts.length} bars, the holdings have ${timestamps.length}`);
            continue;
          }
          for (let i = 0; i < ts.length; i++) {
            if (Number(ts[i]) !== Number(timestamps[i])) {
              status = 'FAIL';
              problems.push(`FAIL ${name}: timestamp at row ${i} differs from the holdings'`);
              break;
            }
          }
          market[name] = t.columns.close as ArrayLike<number>;
        }
        const checks = [];
        for (const [name, values] of Object.entries(market)) if (values) checks.push(checkPriceColumn(name, values));
        const missingColumns = contracts.filter((c) => !holdingColumns.has(c));
        if (missingColumns.length > 0) {
          status = 'FAIL';
          problems.push(`FAIL holdings: no column for contract(s) ${missingColumns.slice(0, 20).join(', ')}${missingColumns.length > 20 ? ', ...' : ''}`);
        }
        // Columns in batches keep memory flat on the 418-column file.
        const present = contracts.filter((c) => holdingColumns.has(c));
        for (let i = 0; i < present.length; i += 25) {
          const batch = present.slice(i, i + 25);
          const t = await readParquet(await holdings, { columns: batch });
          for (const c of batch) checks.push(checkPriceColumn(c, t.columns[c] as ArrayLike<number>));
          heartbeat({ checked: i + batch.length });
        }
        const judged = judgeColumns(checks);
        status = worst(status, judged.status);
        problems.push(...judged.problems);
        const clean = checks.filter((c) => c.missing === 0 && c.nonPositive === 0 && c.outliers === 0).length;
        const qualityScore = checks.length === 0 ? 0 : clean / checks.length;
        deps.onDataQuality?.(input.dataset, qualityScore);
        await repo.setValidation(input.runKey, status).catch(() => undefined);
        const reportKey = layout.report('validateData', new Date(), input.runKey);
        await store.put(
          reportKey,
          [
            `# Data validation for run ${input.runKey}`, '',
            `- Dataset: \`${input.dataset}\` (${manifest.bars} bars, ${contracts.length} contracts checked)`,
            `- Status: **${status}**`,
            `- Quality score (share of clean columns): ${(qualityScore * 100).toFixed(1)} %`, '',
            '## Findings', '', ...(problems.length ? problems.map((p) => `- ${p}`) : ['None.']), '',
          ].join('\n'),
          { contentType: 'text/markdown' },
        );
        return { status, problems: problems.slice(0, 50), reportKey, qualityScore };
      });
    },

    /** Step 1 of analyzeSymbol: this contract's column plus SPX and VIX into one small input object. */
    async loadContract(input: LoadContractInput): Promise<{ inputKey: string; bars: number }> {
      if (input.failureDrill) {
        throw ApplicationFailure.retryable(`failure drill: contract ${input.contract} is listed in failContracts`, 'FailureDrill');
      }
      return asActivityFailure(async () => {
        const s = await readContractSeries(store, input.dataset, input.contract);
        const inputKey = layout.fanoutInput(input.outputPrefix, input.runKey, input.contract);
        await store.put(inputKey, encodeSeries({ timestamp: s.timestamps, price: s.price, spx: s.spx, vix: s.vix }));
        return { inputKey, bars: s.price.length };
      });
    },

    /** Step 2: run the kernel; the full per-bar result goes to a staging object, the summary comes back. */
    async analyzeContract(input: AnalyzeContractInput): Promise<{ stagingKey: string; summary: ContractSummary }> {
      return asActivityFailure(async () => {
        const t = decodeSeries(await store.get(input.inputKey), input.inputKey);
        const timestamps = t.timestamp;
        const price = t.price;
        const a = analyzeSymbolBars({ price, spx: t.spx, vix: t.vix });
        const n = price.length;
        const stagingKey = layout.fanoutStaging(input.outputPrefix, input.runKey, input.contract);
        await store.put(
          stagingKey,
          writeParquet([
            { name: 'timestamp', type: 'timestamp', data: timestamps },
            { name: 'price', type: 'double', data: price },
            { name: 'price_change_pct', type: 'double', data: a.priceChangePct },
            { name: 'spx_change_pct', type: 'double', data: a.spxChangePct },
            { name: 'beta', type: 'double', data: a.beta },
            { name: 'vix', type: 'double', data: t.vix },
            { name: 'buy_threshold', type: 'double', data: a.buyThreshold },
            { name: 'sell_threshold', type: 'double', data: a.buyThreshold.map((x) => -x) },
            { name: 'signal', type: 'string', data: Array.from(a.signal, (s) => SIGNAL_NAMES[s]) },
            { name: 'trade_quality', type: 'string', data: Array.from(a.quality, (q) => QUALITY_NAMES[q]) },
          ], RESULT_PARQUET_OPTIONS),
        );
        const s = a.summary;
        return {
          stagingKey,
          summary: {
            contract: input.contract, bars: n, totalTrades: s.totalTrades, goodTrades: s.goodTrades, badTrades: s.badTrades,
            successRate: s.successRate, avgBeta: nullIfNaN(s.avgBeta), avgVix: nullIfNaN(s.avgVix),
            pnlPct: contractPnlPct(a.signal, a.priceChangePct),
          },
        };
      });
    },

    /** Step 3: publish the result file and its summary row (both idempotent), then drop the staging copies. */
    async saveContractResult(input: SaveContractInput): Promise<{ resultKey: string; sha256: string }> {
      return asActivityFailure(async () => {
        const resultKey = layout.fanoutResult(input.outputPrefix, input.runKey, input.contract);
        let bytes: Uint8Array;
        try {
          bytes = await store.get(input.stagingKey);
        } catch (err) {
          // A retry after a crash between publish and cleanup finds the result already published.
          if ((err as { type?: string }).type !== 'ObjectNotFound') throw err;
          bytes = await store.get(resultKey);
        }
        await store.put(resultKey, bytes);
        const digest = sha256(bytes);
        const s = input.summary;
        await repo.upsertResult({
          runKey: input.runKey, contract: input.contract, bars: s.bars, totalTrades: s.totalTrades, goodTrades: s.goodTrades,
          badTrades: s.badTrades, successRate: s.successRate, avgBeta: s.avgBeta, avgVix: s.avgVix, pnlPct: s.pnlPct,
          resultKey, resultSha256: digest,
        });
        await store.delete(input.stagingKey);
        await store.delete(layout.fanoutInput(input.outputPrefix, input.runKey, input.contract));
        deps.onContractAnalyzed?.();
        return { resultKey, sha256: digest };
      });
    },

    /**
     * Write the run report and close the run row. A contract counts as
     * succeeded only when its summary row AND its result file exist (the
     * save step writes the file, then the row, then drops staging, so a
     * retry completes whatever a crash interrupted); a row without its file
     * or a file without its row is a failed contract, and such an orphan
     * file is removed so the store and the database agree. The counts cover
     * every contract of the run (its manifest), so a `--retry-failed` pass
     * ends with the run's whole picture. Staging files are removed.
     */
    async finalizeRun(input: FinalizeRunInput): Promise<FinalizedRun> {
      const prefix = input.outputPrefix ?? 'fanout';
      const manifest = JSON.parse(new TextDecoder().decode(await store.get(layout.fanoutManifest(prefix, input.runKey)))) as { contracts: string[] };
      const rows = await repo.listResults(input.runKey);
      const files = new Set(await store.list(`${prefix}/${input.runKey}/results/`));
      const errors = new Map(input.failures.map((f) => [f.contract, f.error]));
      const rowByContract = new Map(rows.map((r) => [r.contract, r]));
      const succeeded: ContractSummary[] = [];
      const failures: { contract: string; error: string }[] = [];
      for (const contract of manifest.contracts) {
        const row = rowByContract.get(contract);
        const fileKey = layout.fanoutResult(prefix, input.runKey, contract);
        if (row && files.has(row.resultKey) && !errors.has(contract)) {
          succeeded.push(row);
          continue;
        }
        if (files.has(fileKey) && !row) await store.delete(fileKey);
        const error = errors.get(contract) ?? (row ? `summary row without its result file ${row.resultKey}` : files.has(fileKey) ? 'result file without its summary row' : 'no result');
        failures.push({ contract, error });
      }
      await clearStaging(store, prefix, input.runKey);
      const status = failures.length > 0 ? 'partial' : 'completed';
      const reportKey = layout.report('orchestrator', new Date(input.startedAt), input.runKey);
      await store.put(
        reportKey,
        renderRunReport({
          runKey: input.runKey, status, dataset: input.dataset, datasetHash: input.datasetHash, configHash: input.configHash,
          requested: manifest.contracts.length, validation: input.validation, results: succeeded, failures,
        }),
        { contentType: 'text/markdown' },
      );
      const failedContracts = failures.map((f) => f.contract);
      await repo.finishRun(input.runKey, { status, succeeded: succeeded.length, failed: failures.length, failedContracts, reportKey });
      return { reportKey, status, total: manifest.contracts.length, succeeded: succeeded.length, failed: failures.length, failedContracts };
    },

    /**
     * Close a run that stopped (validation FAIL, a child or an activity that
     * gave up, a cancellation) as `failed` with its reason, so `quant runs
     * list` tells the truth, and remove its staging files. Results already
     * saved stay (and count in a later `--retry-failed`).
     */
    async markRunFailed(input: { runKey: string; reason: string; outputPrefix?: string }): Promise<void> {
      await clearStaging(store, input.outputPrefix ?? 'fanout', input.runKey);
      const run = await repo.getRun(input.runKey);
      if (!run) return;
      await repo.finishRun(input.runKey, {
        status: 'failed', succeeded: await repo.countResults(input.runKey), failed: run.failed, failedContracts: run.failedContracts,
        reportKey: run.reportKey, failureReason: input.reason.slice(0, 2000),
      });
    },

    /** Portfolio P&L, Sharpe, win rate, equity curve and contract comparison over a finished run. */
    async aggregateRun(input: AggregateRunInput): Promise<AggregateResult> {
      return asActivityFailure(async () => {
        const run = await repo.getRun(input.runKey);
        if (!run) throw invalidInput(`no fan-out run with run key "${input.runKey}"`);
        const rows = await repo.listResults(input.runKey);
        if (rows.length === 0) throw invalidInput(`run "${input.runKey}" has no contract results to aggregate`);
        let acc: PortfolioAccumulator | undefined;
        let timestamps: ArrayLike<number> | undefined;
        for (const [i, row] of rows.entries()) {
          const buf = await objectStoreAsyncBuffer(store, row.resultKey);
          const t = await readParquet(buf, { columns: i === 0 ? ['timestamp', 'signal', 'price_change_pct'] : ['signal', 'price_change_pct'] });
          if (i === 0) timestamps = t.columns.timestamp as ArrayLike<number>;
          const sig = t.columns.signal as ArrayLike<string>;
          const signal = Int8Array.from({ length: sig.length }, (_, k) => SIGNAL_CODES[sig[k]] ?? 0);
          const change = Float64Array.from(t.columns.price_change_pct as ArrayLike<number | null>, (v) => (v === null ? NaN : v));
          acc ??= new PortfolioAccumulator(signal.length);
          acc.add(signal, change, row.goodTrades, row.badTrades);
          if (i % 20 === 0) heartbeat({ contracts: i + 1 });
        }
        const p = acc!.finish();
        const equityKey = layout.fanoutEquity(input.outputPrefix, input.runKey);
        await store.put(
          equityKey,
          writeParquet([
            { name: 'timestamp', type: 'timestamp', data: timestamps! },
            { name: 'portfolio_return_pct', type: 'double', data: p.portfolioReturnPct },
            { name: 'cumulative_pnl_pct', type: 'double', data: p.cumulativePnlPct },
          ]),
        );
        const lines: ContractLine[] = rows;
        await store.put(
          layout.fanoutComparison(input.outputPrefix, input.runKey),
          writeParquet([
            { name: 'contract', type: 'string', data: rows.map((r) => r.contract) },
            { name: 'success_rate', type: 'double', data: rows.map((r) => r.successRate) },
            { name: 'pnl_pct', type: 'double', data: rows.map((r) => r.pnlPct) },
            { name: 'total_trades', type: 'int32', data: rows.map((r) => r.totalTrades) },
            { name: 'avg_beta', type: 'double', data: rows.map((r) => r.avgBeta), nullable: true },
          ]),
        );
        const reportKey = layout.report('aggregatePortfolio', run.startedAt, input.runKey);
        await store.put(
          reportKey,
          renderPortfolioReport({
            runKey: input.runKey, contracts: p.contracts, bars: p.bars, totalPnlPct: p.totalPnlPct, sharpe: p.sharpe,
            winRate: p.winRate, goodTrades: p.goodTrades, badTrades: p.badTrades, equityKey, results: lines,
          }),
          { contentType: 'text/markdown' },
        );
        await repo.upsertAggregate({
          runKey: input.runKey, contracts: p.contracts, totalPnlPct: p.totalPnlPct, sharpe: p.sharpe, winRate: p.winRate, equityKey, reportKey,
        });
        return { runKey: input.runKey, contracts: p.contracts, bars: p.bars, totalPnlPct: p.totalPnlPct, sharpe: p.sharpe, winRate: p.winRate, equityKey, reportKey };
      });
    },
  };
}

/**
 * Load a dataset into the store from its provider, unless the same dataset is
 * already there (same seed and size, or any dataset of that name when no
 * parameters are given). Shared by the activity and `quant data generate`.
 */
export async function ingestHourlyDataset(store: ObjectStore, input: IngestDatasetInput, progress: () => void = () => undefined): Promise<DatasetSummary> {
  const seed = input.seed ?? DEFAULT_SEED;
  if (!input.force) {
    const existing = await readDatasetManifest(store, input.dataset).catch(() => undefined);
    const unparameterised = input.seed === undefined && input.contracts === undefined && input.bars === undefined;
    const sameSynthetic =
      existing !== undefined && input.provider === 'synthetic' && existing.seed === seed &&
      (input.contracts === undefined || existing.contracts.length === input.contracts) &&
      (input.bars === undefined || existing.bars === input.bars);
    if (existing && (sameSynthetic || (input.provider === 'synthetic' && unparameterised))) {
      return { dataset: input.dataset, datasetHash: existing.datasetHash, contracts: existing.contracts.length, bars: existing.bars, skipped: true };
    }
  }
  progress();
  const manifest =
    input.provider === 'file'
      ? await importHourlyDatasetFromFiles(store, input.dataset, requireSourceDir(input))
      : await writeHourlyDataset(store, input.dataset, generateHourlyDataset({ seed, contracts: input.contracts, bars: input.bars }), { seed });
  return { dataset: input.dataset, datasetHash: manifest.datasetHash, contracts: manifest.contracts.length, bars: manifest.bars, skipped: false };
}

/** Remove a run's staging copies and per-contract inputs (its manifest stays: it lists the run's contracts). */
async function clearStaging(store: ObjectStore, prefix: string, runKey: string): Promise<void> {
  const keys = [...(await store.list(`${prefix}/${runKey}/staging/`)), ...(await store.list(`${prefix}/${runKey}/input/`))];
  const manifestKey = layout.fanoutManifest(prefix, runKey);
  for (const key of keys) if (key !== manifestKey) await store.delete(key);
}

/** The synthetic market's default seed (the first bar's date). */
export const DEFAULT_SEED = 20000127;

function requireSourceDir(input: IngestDatasetInput): string {
  if (!input.sourceDir) throw invalidInput(`dataset "${input.dataset}": the file provider needs sourceDir (a folder with the three Parquet files)`);
  return input.sourceDir;
}

export type FanoutActivities = ReturnType<typeof createFanoutActivities>;
