/**
 * The rules of a fan-out run that are not the per-contract kernel: which
 * contracts a request covers (and when a request is bad), what defines the
 * run's results (the object hashed into its config hash), how the finished
 * run splits into succeeded and failed contracts, and the failed share.
 * Pure: the activities read the dataset manifest and the stored rows, call
 * these, and write the outcome.
 */
import { QuantError } from './errors';
import { contractPnlPct } from './fanout-portfolio';
import { ANALYSIS_PARAMETERS, type AnalysisParameters, type SymbolAnalysis } from './symbol-analysis';

/** A fan-out request that cannot run as asked (too many contracts, an unknown drill contract). Not retryable. */
export class InvalidRunRequestError extends QuantError {
  readonly type = 'InvalidInput';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRunRequestError';
  }
}

export interface RunRequest {
  dataset: string;
  numContracts: number;
  outputPrefix: string;
  /** The failure drill: contracts whose children must fail. */
  failContracts: readonly string[];
}

/**
 * The run's contracts: the first `numContracts` of the dataset, in manifest
 * order. Throws `InvalidRunRequestError` naming the field when `numContracts`
 * is not a positive integer or exceeds the dataset, or when a drill contract
 * is not among the run's contracts.
 *
 * @example
 *   selectRunContracts(['AAPL', 'MSFT', 'IBM'], { dataset: 'd', numContracts: 2, outputPrefix: 'fanout', failContracts: [] })
 *   // ['AAPL', 'MSFT']
 */
export function selectRunContracts(available: readonly string[], request: RunRequest): string[] {
  const { numContracts, dataset } = request;
  if (!Number.isInteger(numContracts) || numContracts <= 0) {
    throw new InvalidRunRequestError(`numContracts must be a positive integer, got ${numContracts}`);
  }
  if (numContracts > available.length) {
    throw new InvalidRunRequestError(`numContracts ${numContracts} exceeds the ${available.length} contracts in dataset "${dataset}"`);
  }
  const contracts = available.slice(0, numContracts);
  const unknownDrill = request.failContracts.filter((c) => !contracts.includes(c));
  if (unknownDrill.length > 0) {
    throw new InvalidRunRequestError(`failContracts ${unknownDrill.join(', ')} are not among the ${numContracts} contracts of this run`);
  }
  return contracts;
}

/**
 * Everything that defines a run's results, as the object the run's config
 * hash is taken over: the kernel's parameters (the very object the kernel
 * reads by default) and the request. The drill list is sorted so its order
 * does not change the hash.
 *
 * @example
 *   stableHash(fanoutRunConfig(request)) // the configHash of the run row and the report
 */
export function fanoutRunConfig(request: RunRequest, analysis: AnalysisParameters = ANALYSIS_PARAMETERS) {
  return {
    analysis,
    dataset: request.dataset,
    numContracts: request.numContracts,
    outputPrefix: request.outputPrefix,
    failContracts: [...request.failContracts].sort(),
  };
}

/** A contract's analysis in one row: what the summary row, the run report and the child's result hold. */
export interface ContractSummary {
  contract: string;
  bars: number;
  totalTrades: number;
  goodTrades: number;
  badTrades: number;
  /** Percent of trades that were good (0 without trades). */
  successRate: number;
  /** null where the kernel's average is undefined (fewer than 2 bars). */
  avgBeta: number | null;
  avgVix: number | null;
  /** Sum of the contract's trade returns, percent (`contractPnlPct`). */
  pnlPct: number;
}

/**
 * The summary row of one contract's analysis: the kernel's counts, its
 * averages with NaN as null (JSON and SQL have no NaN), and the P&L.
 *
 * @example
 *   summarizeContract('AAPL', analyzeSymbolBars(bars)).successRate // e.g. 51.2
 */
export function summarizeContract(contract: string, a: SymbolAnalysis): ContractSummary {
  const s = a.summary;
  const nullIfNaN = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    contract,
    bars: s.bars,
    totalTrades: s.totalTrades,
    goodTrades: s.goodTrades,
    badTrades: s.badTrades,
    successRate: s.successRate,
    avgBeta: nullIfNaN(s.avgBeta),
    avgVix: nullIfNaN(s.avgVix),
    pnlPct: contractPnlPct(a.signal, a.priceChangePct),
  };
}

/**
 * The stored result rows of the contracts that did not fail. A contract that
 * failed after an earlier attempt had saved its row is counted as failed.
 */
export function succeededResults<T extends { contract: string }>(results: readonly T[], failures: readonly { contract: string }[]): T[] {
  const failed = new Set(failures.map((f) => f.contract));
  return results.filter((r) => !failed.has(r.contract));
}

/**
 * Failed children as a fraction of the contracts requested, in [0, 1];
 * 0 for an empty run.
 *
 * @example
 *   failedShare(1, 8) // 0.125
 */
export function failedShare(failed: number, requested: number): number {
  return requested > 0 ? failed / requested : 0;
}

/**
 * The contracts a `--retry-failed` pass analyses: `only`, each of which must
 * be one of the run's contracts (else `InvalidRunRequestError` naming them);
 * every contract when `only` is absent.
 *
 * @example
 *   contractsToAnalyze(['AAPL', 'MSFT', 'IBM'], ['MSFT']) // ['MSFT']
 */
export function contractsToAnalyze(contracts: readonly string[], only?: readonly string[]): string[] {
  if (!only) return [...contracts];
  const known = new Set(contracts);
  const unknown = only.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new InvalidRunRequestError(
      `onlyContracts ${unknown.slice(0, 20).join(', ')} are not among the ${contracts.length} contracts of this run`,
    );
  }
  const wanted = new Set(only);
  return contracts.filter((c) => wanted.has(c));
}

/** What a finished run holds: the contracts with a consistent result, the others with why, and files to drop. */
export interface RunOutcome<R> {
  succeeded: R[];
  failures: { contract: string; error: string }[];
  /** Result files without their summary row (a save that gave up between the two writes): removed so both stores agree. */
  orphanFiles: string[];
}

/**
 * Split a run's contracts by what the two stores hold. A contract succeeded
 * only when its summary row exists, the row's result file exists, and its
 * child did not fail in this pass; otherwise it failed, with the child's
 * error or what is missing. The save step writes the file, then the row, so
 * a file without a row is an interrupted save: listed in `orphanFiles`.
 *
 * @example
 *   reconcileRun(['A', 'B'], [{ contract: 'A', resultKey: 'r/A' }], new Set(['r/A', 'r/B']), [], (c) => `r/${c}`)
 *   // { succeeded: [row A], failures: [{ contract: 'B', error: 'result file without its summary row' }], orphanFiles: ['r/B'] }
 */
export function reconcileRun<R extends { contract: string; resultKey: string }>(
  contracts: readonly string[],
  rows: readonly R[],
  files: ReadonlySet<string>,
  childFailures: readonly { contract: string; error: string }[],
  resultKeyOf: (contract: string) => string,
): RunOutcome<R> {
  const errors = new Map(childFailures.map((f) => [f.contract, f.error]));
  const rowOf = new Map(rows.map((r) => [r.contract, r]));
  const out: RunOutcome<R> = { succeeded: [], failures: [], orphanFiles: [] };
  for (const contract of contracts) {
    const row = rowOf.get(contract);
    const fileKey = resultKeyOf(contract);
    if (row && files.has(row.resultKey) && !errors.has(contract)) {
      out.succeeded.push(row);
      continue;
    }
    if (!row && files.has(fileKey)) out.orphanFiles.push(fileKey);
    const error =
      errors.get(contract) ??
      (row
        ? `summary row without its result file ${row.resultKey}`
        : files.has(fileKey)
          ? 'result file without its summary row'
          : 'no result');
    out.failures.push({ contract, error });
  }
  return out;
}
