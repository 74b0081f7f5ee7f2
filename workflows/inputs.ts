/**
 * The input schemas of the daily workflows (WF1..WF6, the pipeline and the pipeline range), one
 * zod schema each. A workflow checks its input against its schema as its very
 * first step (validateInput in workflows/validate-input.ts) and the CLI checks the same schema
 * before it starts one, so a bad input (the stock `temporal` CLI's `null`, a
 * `2025-13-01` date, a negative lookback) fails at once, non-retryably, with
 * the field named, instead of wedging a run. Schemas are strict: an unknown
 * field is a typo, and a typo is an error.
 *
 * Pure (zod, src/domain and workflows/names): workflows import it, and so does the CLI.
 *
 * Every schema is built on first use (`built`; components are functions): the
 * worker re-runs this module for every workflow it starts (Temporal gives each
 * workflow its own module instances), and building all of them eagerly cost
 * about 10 ms of workflow-thread CPU per fan-out child (even `z.lazy`
 * wrappers cost 3.5 ms: every zod instance binds its methods). A workflow now
 * builds only its own schema.
 */
import { z } from 'zod';
import { isIsoDate } from '../src/domain/dates';
import { RUN_KEY_PATTERN } from './names';

/** A workflow's input schema, built on its first use and kept (see the module comment). */
export type InputSchema<S extends z.ZodType = z.ZodType> = () => S;

function built<S extends z.ZodType>(build: () => S): InputSchema<S> {
  let schema: S | undefined;
  return () => (schema ??= build());
}

/** A real calendar date `YYYY-MM-DD`. */
const isoDate = () => z.string().refine(isIsoDate, { message: 'must be a calendar date YYYY-MM-DD' });

const symbol = () =>
  z
    .string()
    .regex(/^[A-Z0-9][A-Z0-9.^-]{0,14}$/, { message: 'must be a ticker symbol (upper-case letters, digits, ".", "-", "^"; at most 15)' });
const symbols = () => z.array(symbol()).min(1, { message: 'must list at least one symbol' }).max(5000);
const fraction = () => z.number().finite().min(0).max(1);

const factorWeights = () =>
  z.strictObject({ momentum: fraction(), lowVolatility: fraction(), rsi: fraction(), sharpe: fraction() }).partial();
const combinedWeights = () => z.strictObject({ technical: fraction(), fundamental: fraction(), sentiment: fraction() }).partial();
const costModel = () =>
  z
    .strictObject({
      commissionPerShare: z.number().finite().min(0),
      spreadBps: z.number().finite().min(0),
      exchangeFeeBps: z.number().finite().min(0),
      impactBpsPer1000: z.number().finite().min(0),
    })
    .partial();

/** WF1 `ingest`. */
export const ingestInputSchema = built(() =>
  z.strictObject({
    date: isoDate().optional(),
    symbols: symbols().optional(),
    lookbackDays: z.number().int().min(0).max(5000).optional(),
  }),
);

/** WF1 `ingestBackfill`. `resume` is written by the workflow itself (continue-as-new). */
export const ingestBackfillInputSchema = built(() =>
  z
    .strictObject({
      from: isoDate(),
      to: isoDate(),
      symbols: symbols().optional(),
      chunkDays: z.number().int().min(1).max(2520).optional(),
      maxConcurrentChunks: z.number().int().min(1).max(64).optional(),
      resume: z.strictObject({ nextChunk: z.number().int().min(0), chunks: z.array(z.looseObject({})) }).optional(),
    })
    .refine((i) => i.from <= i.to, { message: 'must not be after `to`', path: ['from'] }),
);

/** WF2 `screen`. */
export const screenInputSchema = built(() => z.strictObject({ date: isoDate().optional(), weights: factorWeights().optional() }));

/** WF3 `signal`. */
export const signalInputSchema = built(() => z.strictObject({ date: isoDate().optional(), weights: combinedWeights().optional() }));

/** WF4 `rebalance`. */
export const rebalanceInputSchema = built(() => z.strictObject({ date: isoDate().optional() }));

/** `features` (the model pipeline's first step). */
export const featuresInputSchema = built(() => z.strictObject({ date: isoDate().optional() }));

/** `models`: every active model version for one date. */
export const modelsInputSchema = built(() => z.strictObject({ date: isoDate().optional() }));

/** `modelRun`: one model version for one date (started by `models`). */
export const modelRunInputSchema = built(() =>
  z.strictObject({
    date: isoDate(),
    modelId: z.number().int().positive(),
    name: z.string().min(1),
    version: z.number().int().positive(),
  }),
);

/** `performance`: the models' performance test for one date. */
export const performanceInputSchema = built(() => z.strictObject({ date: isoDate().optional() }));

/** `modelPipeline`: features, models and performance over a range of dates. */
export const modelPipelineInputSchema = built(() =>
  z
    .strictObject({
      from: isoDate(),
      to: isoDate(),
      datesPerRun: z.number().int().min(1).max(500).optional(),
      resume: z
        .strictObject({
          next: isoDate(),
          dates: z.number().int().min(0),
          noTradingData: z.number().int().min(0),
          modelRunsCompleted: z.number().int().min(0),
          modelRunsFailed: z.number().int().min(0),
          runs: z.number().int().min(0),
        })
        .optional(),
    })
    .refine((i) => i.from <= i.to, { message: 'must not be after `to`', path: ['from'] }),
);

/** WF5 `monitor`. */
export const monitorInputSchema = built(() => z.strictObject({ date: isoDate().optional() }));

/** WF6 `backtest`. */
export const backtestInputSchema = built(() =>
  z
    .strictObject({
      date: isoDate().optional(),
      start: isoDate().optional(),
      end: isoDate().optional(),
      initialCapital: z.number().finite().positive().optional(),
      costModel: costModel().optional(),
    })
    .refine((i) => i.start === undefined || i.end === undefined || i.start <= i.end, {
      message: 'must not be after `end`',
      path: ['start'],
    }),
);

/** The daily `pipeline` parent. */
export const pipelineInputSchema = built(() =>
  z.strictObject({
    date: isoDate().optional(),
    lookbackDays: z.number().int().min(0).max(5000).optional(),
    symbols: symbols().optional(),
    signalWeights: combinedWeights().optional(),
  }),
);

/**
 * The `pipelineRange` parent: the daily pipeline for every trading day in
 * [from, to]. `resume` is written by the workflow itself (continue-as-new).
 */
export const pipelineRangeInputSchema = built(() =>
  z
    .strictObject({
      from: isoDate(),
      to: isoDate(),
      lookbackDays: z.number().int().min(0).max(5000).optional(),
      symbols: symbols().optional(),
      signalWeights: combinedWeights().optional(),
      datesPerRun: z.number().int().min(1).max(500).optional(),
      resume: z
        .strictObject({
          next: isoDate(),
          ran: z.number().int().min(0),
          skipped: z.number().int().min(0),
          noTradingData: z.number().int().min(0),
          runs: z.number().int().min(0),
        })
        .optional(),
    })
    .refine((i) => i.from <= i.to, { message: 'must not be after `to`', path: ['from'] }),
);

/**
 * The execution service's `reconciliation` loop: reconcile every
 * `intervalSeconds`, continue-as-new after `iterationsPerRun`. `carried` is
 * written by the workflow itself when it continues as new (totals so far).
 */
export const reconciliationInputSchema = built(() =>
  z.strictObject({
    intervalSeconds: z.number().int().min(1).max(3600).optional(),
    iterationsPerRun: z.number().int().min(1).max(1000).optional(),
    graceSeconds: z.number().int().min(1).max(86_400).optional(),
    lookbackHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .optional(),
    carried: z
      .strictObject({
        runs: z.number().int().min(0),
        iterations: z.number().int().min(0),
        booked: z.number().int().min(0),
        halted: z.number().int().min(0),
        failed: z.number().int().min(0),
      })
      .optional(),
  }),
);

/** The on-demand `riskAnalysis`: correlations over `window` daily returns as of `date`, stress shocks as returns (-0.1 = -10 %). */
export const riskAnalysisInputSchema = built(() =>
  z.strictObject({
    date: isoDate().optional(),
    window: z.number().int().min(2).max(500).optional(),
    minObservations: z.number().int().min(2).max(500).optional(),
    symbols: symbols().optional(),
    shocks: z.array(z.number().finite().gt(-1).lt(1)).min(1).max(20).optional(),
    maxCorrelation: z.number().finite().min(0).max(1).optional(),
  }),
);

/** A bad workflow input: which field, and what is wrong with it. */
export interface InputProblem {
  /** Dotted path of the field (`date`, `symbols.3`), or `(input)` for the whole input. */
  field: string;
  message: string;
}

/**
 * Check `input` against `schema`. Returns the parsed input, or the problems
 * (every bad field, each named). A missing input (`undefined`) means `{}`;
 * `null` is a bad input, as the stock CLI's `--input null` should be.
 *
 * @example
 *   const r = checkInput(screenInputSchema, { date: '2025-13-01' });
 *   // { ok: false, problems: [{ field: 'date', message: 'must be a calendar date YYYY-MM-DD' }] }
 */
export function checkInput<S extends z.ZodType>(
  schema: InputSchema<S>,
  input: unknown,
): { ok: true; value: z.output<S> } | { ok: false; problems: InputProblem[] } {
  const r = schema().safeParse(input === undefined ? {} : input);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    problems: r.error.issues.map((issue) => ({ field: issue.path.length ? issue.path.join('.') : '(input)', message: issue.message })),
  };
}

/** One line naming every problem, for a failure message or the CLI. */
export function describeProblems(what: string, problems: readonly InputProblem[]): string {
  return `invalid ${what} input: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
}

/** A fan-out run key: it is embedded in workflow IDs and object keys. */
const runKey = () =>
  z.string().regex(RUN_KEY_PATTERN, { message: 'must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit' });
/** A contract column of a fan-out dataset (`AAPL`, `BRK.B`). */
const contract = () =>
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._^-]{0,31}$/, {
    message: 'must be a contract symbol (letters, digits, ".", "_", "-", "^"; at most 32)',
  });
/** A dataset name or an object-store prefix: one safe path segment. */
const pathSegment = () =>
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { message: 'must be 1-64 letters, digits, "_", "." or "-"' });

/** Most contracts one fan-out run can hold (a tree of sub-orchestrators, 1,000 children each). */
export const MAX_FANOUT_CONTRACTS = 100_000;

/** The fan-out `orchestrator`. */
export const orchestratorInputSchema = built(() =>
  z.strictObject({
    numContracts: z.number().int().min(1).max(MAX_FANOUT_CONTRACTS),
    runIngestion: z.boolean().optional(),
    runValidation: z.boolean().optional(),
    dataset: pathSegment().optional(),
    outputPrefix: pathSegment().optional(),
    failContracts: z.array(contract()).max(MAX_FANOUT_CONTRACTS).optional(),
    runKey: runKey().optional(),
    maxConcurrentChildren: z.number().int().min(1).max(2000).optional(),
    maxChildrenPerParent: z.number().int().min(2).max(1000).optional(),
    /** Reprocess only these contracts of an earlier run under the same run key (`--retry-failed`). */
    onlyContracts: z.array(contract()).min(1).max(MAX_FANOUT_CONTRACTS).optional(),
  }),
);

/** A fan-out sub-orchestrator (one shard of a large run). */
export const analyzeShardInputSchema = built(() =>
  z.strictObject({
    runKey: runKey(),
    shard: z.string().regex(/^\d{3,}$/, { message: 'must be a zero-padded shard number' }),
    dataset: pathSegment(),
    outputPrefix: pathSegment(),
    contracts: z.array(contract()).min(1).max(1000),
    failContracts: z.array(contract()),
    maxConcurrentChildren: z.number().int().min(1).max(2000),
    parentWorkflowId: z.string().min(1),
  }),
);

/** `analyzeSymbol`: one contract of a run. */
export const analyzeSymbolInputSchema = built(() =>
  z.strictObject({
    runKey: runKey(),
    contract: contract(),
    dataset: pathSegment(),
    outputPrefix: pathSegment(),
    fail: z.boolean().optional(),
  }),
);

/** `aggregatePortfolio` over a finished run. */
export const aggregatePortfolioInputSchema = built(() => z.strictObject({ runKey: runKey(), outputPrefix: pathSegment().optional() }));

/** `validateData` (child of the orchestrator). */
export const validateDataInputSchema = built(() =>
  z.strictObject({
    runKey: runKey(),
    dataset: pathSegment(),
    numContracts: z.number().int().min(1).max(MAX_FANOUT_CONTRACTS),
  }),
);

/** `ingestMarketData` (child of the orchestrator, or alone). */
export const ingestMarketDataInputSchema = built(() =>
  z.strictObject({
    dataset: pathSegment(),
    provider: z.enum(['synthetic', 'file']),
    seed: z.number().int().optional(),
    contracts: z.number().int().min(1).max(MAX_FANOUT_CONTRACTS).optional(),
    bars: z.number().int().min(2).max(10_000_000).optional(),
    sourceDir: z.string().min(1).optional(),
    force: z.boolean().optional(),
  }),
);

/** `ingestBackfillChunk` (child of the backfill). */
export const ingestBackfillChunkInputSchema = built(() =>
  z
    .strictObject({
      backfillKey: z.string().min(1),
      n: z.number().int().min(0),
      from: isoDate(),
      to: isoDate(),
      symbols: symbols().optional(),
      markerKey: z.string().min(1),
    })
    .refine((i) => i.from <= i.to, { message: 'must not be after `to`', path: ['from'] }),
);

/** An instant with its offset (`2025-03-14T14:35:00-04:00`): a signal cycle, a risk check. */
const instant = () => z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time with its offset, e.g. 2025-03-14T14:35:00-04:00' });
const bookRef = () =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('live') }),
    z.strictObject({ kind: z.literal('replay'), tag: z.string().regex(RUN_KEY_PATTERN).optional() }),
  ]);
const strategyNames = () => z.array(z.string().min(1).max(64)).min(1).max(50);

/** intradayData: a session's bars; without a date, the session of the run's start, up to then. */
export const intradayDataInputSchema = built(() => z.strictObject({ date: isoDate().optional(), until: instant().optional() }));

/** strategySignals: one cycle at `at` (default: the run's start, rounded down to a bar close). */
export const strategySignalsInputSchema = built(() =>
  z.strictObject({ at: instant().optional(), book: bookRef().optional(), strategies: strategyNames().optional() }),
);

/** portfolioRisk: the check at `at` (default: the run's start). */
export const portfolioRiskInputSchema = built(() => z.strictObject({ at: instant().optional(), book: bookRef().optional() }));

/** endOfDay: the session `date` (default: the run's New York date). */
export const endOfDayInputSchema = built(() => z.strictObject({ date: isoDate().optional(), book: bookRef().optional() }));

/** tradingDay: replay a whole session into its own book. */
export const tradingDayInputSchema = built(() =>
  z.strictObject({ date: isoDate(), tag: z.string().regex(RUN_KEY_PATTERN).optional(), strategies: strategyNames().optional() }),
);
