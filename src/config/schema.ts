/**
 * Every setting of quant-workflows in one zod schema. Values come from an
 * optional YAML file (`QUANT_CONFIG_FILE`) overlaid by environment variables;
 * see `load.ts`. Defaults describe the embedded stack (a laptop, CI, the demo).
 * zod only, no I/O. The fan-out's default values come from src/domain/fanout-defaults.ts,
 * which the workflows read too.
 */
import { z } from 'zod';
import {
  DATA_DEFAULTS as DATA_DEFAULT_VALUES,
  FANOUT_DEFAULTS as FANOUT_DEFAULT_VALUES,
  MAX_CHILDREN_PER_PARENT,
} from '../domain/fanout-defaults';
import { DEFAULT_REBALANCE_POLICY, REBALANCE_FREQUENCIES } from '../domain/rebalance-policy';
import { THRESHOLD_MODES } from '../domain/symbol-analysis';

export { MAX_CHILDREN_PER_PARENT };

/**
 * A TCP port: a decimal integer 1-65535. Strings are checked before they are
 * turned into numbers, so `1e4`, `0x4331` or ` 80` are refused rather than
 * read as 10000, 17201 or 80.
 */
const port = z
  .union([z.number(), z.string().regex(/^[0-9]{1,5}$/, 'must be a decimal integer 1-65535')])
  .transform(Number)
  .pipe(
    z
      .number()
      .int('must be a decimal integer 1-65535')
      .min(1, 'must be a decimal integer 1-65535')
      .max(65535, 'must be a decimal integer 1-65535'),
  );
const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => (typeof v === 'boolean' ? v : ['true', '1', 'yes'].includes(v)));

/**
 * The fan-out's settings. The CLI passes the configured values in the
 * orchestrator's input, and the workflows fall back to the same defaults
 * (src/domain/fanout-defaults.ts) for a field the input leaves out.
 */
export const fanoutSettingsSchema = z.object({
  /** Children running at once per (sub-)orchestrator. */
  maxConcurrentChildren: z.coerce.number().int().min(1).max(2000).default(FANOUT_DEFAULT_VALUES.maxConcurrentChildren),
  /** Above this many contracts, fan out through sub-orchestrators. */
  maxChildrenPerParent: z.coerce.number().int().min(2).max(MAX_CHILDREN_PER_PARENT).default(FANOUT_DEFAULT_VALUES.maxChildrenPerParent),
  defaultDataset: z.string().min(1).default(FANOUT_DEFAULT_VALUES.defaultDataset),
  /** Object-store prefix of run inputs, results and portfolio files: <outputPrefix>/<runKey>/... */
  outputPrefix: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { message: "must be letters, digits, '.', '_' or '-' (at most 100)" })
    .default(FANOUT_DEFAULT_VALUES.outputPrefix),
  /** The analysis kernel's buy/sell thresholds: `vix` = 0.5 x VIX/15 % (seed 000), `fixed` = ±0.5 % (seed 001). In the run's config hash. */
  thresholds: z.enum(THRESHOLD_MODES).default(FANOUT_DEFAULT_VALUES.thresholds),
});

/** The synthetic market's settings. */
export const dataSettingsSchema = z.object({
  /** The generator's default seed (the first bar's date). */
  seed: z.coerce.number().int().default(DATA_DEFAULT_VALUES.seed),
});

/** The defaults as the schema parses them. */
export const FANOUT_DEFAULTS = fanoutSettingsSchema.parse({});
export const DATA_DEFAULTS = dataSettingsSchema.parse({});

export const configSchema = z
  .object({
    /** `embedded` starts local services; `cluster` expects them to exist and requires their settings. */
    profile: z.enum(['embedded', 'cluster']).default('embedded'),
    /** Root of local state: Temporal SQLite file, embedded Postgres, filesystem objects, pid files. */
    dataDir: z.string().min(1).default('.data'),
    temporal: z
      .object({
        address: z.string().min(1).optional(),
        namespace: z.string().min(1).default('default'),
        taskQueue: z.string().min(1).default('quant-workflows'),
        port: port.default(7233),
        uiPort: port.default(8233),
        /** The Web UI of an existing frontend (TEMPORAL_ADDRESS), for the links runs print; the dev server's is known. */
        uiUrl: z.string().url().optional(),
        cliPath: z.string().min(1).optional(),
      })
      .prefault({}),
    postgres: z
      .object({
        /** When set, used as is and no embedded server is started. Secret: never logged. */
        url: z.string().min(1).optional(),
        embeddedPort: port.default(5433),
      })
      .prefault({}),
    objectStore: z
      .object({
        kind: z.enum(['fs', 's3']).default('fs'),
        bucket: z.string().min(3).default('quant-data'),
        /** fs only: objects live under <root>/<bucket>/<key>. Defaults to <dataDir>/objects. */
        root: z.string().min(1).optional(),
        endpoint: z.string().url().optional(),
        region: z.string().min(1).default('us-east-1'),
        accessKeyId: z.string().min(1).optional(),
        secretAccessKey: z.string().min(1).optional(),
        forcePathStyle: bool.default(true),
      })
      .prefault({}),
    worker: z
      .object({
        maxConcurrentActivities: z.coerce.number().int().min(1).default(32),
        maxConcurrentWorkflowTasks: z.coerce.number().int().min(1).default(16),
        maxCachedWorkflows: z.coerce.number().int().min(0).default(400),
        /** A prebuilt workflow bundle (production image); unset = bundle from source at start. */
        workflowBundlePath: z.string().min(1).optional(),
        metricsPort: port.default(9464),
        /** Where the metrics server listens: loopback by default (no authentication); the chart sets 0.0.0.0 behind its NetworkPolicy. */
        metricsHost: z.string().min(1).default('127.0.0.1'),
        /** The Temporal SDK's own Prometheus exporter (loopback only; /metrics appends it). Unset = metricsPort + 1. */
        sdkMetricsPort: port.optional(),
        /** Upper bound of a SIGTERM/SIGINT drain: after it the worker exits whatever still runs (see src/worker/shutdown.ts). */
        shutdownGraceSeconds: z.coerce.number().int().min(0).max(3600).default(30),
        /** An activity failing with an infrastructure error is retried this long (from its first attempt) before it is given up. */
        retryOutageWindowSeconds: z.coerce.number().int().min(1).max(86_400).default(600),
      })
      .prefault({}),
    fanout: fanoutSettingsSchema.prefault({}),
    data: dataSettingsSchema.prefault({}),
    /** Daily pipeline (WF1-WF3): where end-of-day prices come from and how they are checked. */
    marketData: z
      .object({
        provider: z.enum(['synthetic', 'yahoo', 'file', 'polygon']).default('synthetic'),
        /** file provider: a CSV or Parquet file (date, symbol, open, high, low, close, adj_close, volume). */
        filePath: z.string().min(1).optional(),
        /** Yahoo: pause between symbols. */
        yahooDelayMs: z.coerce.number().int().min(0).default(200),
        /** Yahoo: base URL override (tests point it at a loopback server). */
        yahooBaseUrl: z.string().url().optional(),
        /** Secret. Polygon.io key, required with provider polygon. */
        polygonApiKey: z.string().min(1).optional(),
        /** Polygon: base URL override (tests point it at a loopback server). */
        polygonBaseUrl: z.string().url().optional(),
        /** Polygon: requests a minute (the free tier's 5). */
        polygonPerMinute: z.coerce.number().positive().default(5),
        /** A symbol whose last bar is older than this many trading days is stale. */
        staleAfterDays: z.coerce.number().int().min(1).default(3),
        /** Ticks whose high-low spread exceeds this many bps of the close are dropped. */
        maxSpreadBps: z.coerce.number().positive().default(1000),
        /** Trading days per backfill chunk. */
        backfillChunkDays: z.coerce.number().int().min(1).default(63),
      })
      .prefault({}),
    news: z
      .object({
        /** Secret. Finnhub company-news (primary). */
        finnhubApiKey: z.string().min(1).optional(),
        /** Secret. Marketaux (fallback when the primary returns nothing). */
        marketauxApiKey: z.string().min(1).optional(),
        finnhubBaseUrl: z.string().url().default('https://finnhub.io/api/v1'),
        marketauxBaseUrl: z.string().url().default('https://api.marketaux.com/v1'),
        /** Finnhub free tier. */
        finnhubPerMinute: z.coerce.number().int().min(1).default(60),
      })
      .prefault({}),
    sentiment: z
      .object({
        /** A model directory (model.onnx + tokenizer.json/vocab + labels); default: the shipped model. */
        modelDir: z.string().min(1).optional(),
      })
      .prefault({}),
    /** WF2 screen. */
    screening: z
      .object({
        /** Annual risk-free rate of the screen's Sharpe ratio (seed 003: "risk-free rate adjusted"; its rate is 5 %, as in WF5). */
        riskFreeRate: z.coerce.number().min(0).max(1).default(0.05),
      })
      .prefault({}),
    signals: z
      .object({
        technicalWeight: z.coerce.number().min(0).max(1).default(0.3),
        fundamentalWeight: z.coerce.number().min(0).max(1).default(0.4),
        sentimentWeight: z.coerce.number().min(0).max(1).default(0.3),
      })
      .prefault({}),
    /** WF4 rebalance: the paper account. */
    portfolio: z
      .object({
        /** Cash of the account before its first snapshot, in the prices' currency (USD for the US universe; seed 003's EUR 25,000 taken as 25,000). */
        initialCapital: z.coerce.number().positive().default(25_000),
        /** Paper trading (the only mode today): trades are booked in Postgres, no broker is called. */
        paperTrading: bool.default(true),
        /** Trades with a notional below this are skipped (prices' currency, like initialCapital; seed 003: EUR 100). */
        minTradeValue: z.coerce.number().min(0).default(100),
        /**
         * WF4 and WF6 trade only on the first trading day of each period; defaults and their reasons:
         * DEFAULT_REBALANCE_POLICY in src/domain/rebalance-policy.ts.
         */
        rebalanceFrequency: z
          .enum(REBALANCE_FREQUENCIES as [string, ...string[]])
          .transform((v) => v as (typeof REBALANCE_FREQUENCIES)[number])
          .default(DEFAULT_REBALANCE_POLICY.frequency),
        /** No-trade band, absolute: a name trades only when |weight - target| > max(this, bandRelative x target). */
        rebalanceBandAbsolute: z.coerce.number().min(0).max(1).default(DEFAULT_REBALANCE_POLICY.bandAbsolute),
        /** No-trade band, relative to the target weight. */
        rebalanceBandRelative: z.coerce.number().min(0).max(10).default(DEFAULT_REBALANCE_POLICY.bandRelative),
      })
      .prefault({}),
    /** WF5 monitor: the risk window and the alert thresholds (fractions: 0.05 = 5 %). */
    monitoring: z
      .object({
        /** Returns in the risk window (Sharpe, Sortino, drawdown, VaR). */
        windowDays: z.coerce.number().int().min(2).default(30),
        /** Annual risk-free rate of Sharpe and Sortino, per period (1 + rf)^(1/252) - 1. */
        riskFreeRate: z.coerce.number().min(0).max(1).default(0.05),
        maxDrawdown: z.coerce.number().positive().default(0.05),
        maxPositionWeight: z.coerce.number().positive().default(0.07),
        maxVar95: z.coerce.number().positive().default(0.03),
        maxUnrealizedLoss: z.coerce.number().positive().default(0.1),
      })
      .prefault({}),
    /** The model pipeline's performance test (src/domain/model-performance.ts). */
    models: z
      .object({
        /** Trading days each BUY/SELL signal is held (seed 004: DEFAULT_HOLDING_PERIOD = 5). */
        holdingDays: z.coerce.number().int().min(1).max(60).default(5),
        /** Annual risk-free rate of the models' Sharpe and Sortino: seed 004's 2 % (the daily pipeline's WF5 uses 5 %, its seed's). */
        riskFreeRate: z.coerce.number().min(0).max(1).default(0.02),
        /** Run dates of signals judged on each evaluation: the last this many calendar days. */
        lookbackDays: z.coerce.number().int().min(7).default(90),
        /** A model underperforms when its Sharpe stays below this ... */
        underperformSharpe: z.coerce.number().default(0),
        /** ... on this many consecutive evaluations ... */
        underperformDays: z.coerce.number().int().min(1).default(5),
        /** ... or its drawdown exceeds this fraction. */
        maxDrawdown: z.coerce.number().positive().max(1).default(0.2),
      })
      .prefault({}),
    /** Where alerts go (src/adapters/notify): always the log; also this webhook when set. */
    alerts: z
      .object({
        /** Secret (webhook URLs carry a token). Alerts of a run are POSTed here as `{ text, alerts }`. */
        webhookUrl: z.string().url().optional(),
      })
      .prefault({}),
    /**
     * Experiment tracking (src/adapters/tracking): with `MLFLOW_TRACKING_URI` set, model runs, performance
     * tests and backtests are logged to MLflow and model versions appear in its registry; unset, nothing is sent.
     */
    tracking: z
      .object({
        /** The MLflow server, e.g. http://mlflow.mlops:5000 (it must proxy artifacts: `mlflow server`'s default). */
        mlflowUri: z.string().url().optional(),
        /** Secret. Bearer token, for an MLflow behind a token-checking proxy. */
        mlflowToken: z.string().min(1).optional(),
        /** Secret. Basic auth (MLflow's own `--app-name basic-auth`). */
        mlflowUsername: z.string().min(1).optional(),
        mlflowPassword: z.string().min(1).optional(),
        /** Requests a worker sends MLflow at once: an MLflow on SQLite stalls concurrent writes; on Postgres raise it. */
        mlflowMaxConcurrentRequests: z.coerce.number().int().min(1).max(64).default(2),
      })
      .prefault({}),
    /** WF6 backtest: the default window (calendar days before the run date); capital and costs follow portfolio / the cost model. */
    backtest: z
      .object({
        lookbackDays: z.coerce.number().int().min(1).default(1825),
      })
      .prefault({}),
    /** The execution service's venue (see src/config/broker-select.ts, which refuses live trading without a confirmation). */
    broker: z
      .object({
        /** `paper`: the local simulated venue; `alpaca`: Alpaca's Trading API. */
        kind: z.enum(['paper', 'alpaca']).default('paper'),
        /** `live` trades real money; it needs BROKER=alpaca and ALPACA_LIVE_CONFIRM. */
        tradingMode: z.enum(['paper', 'live']).default('paper'),
      })
      .prefault({}),
    alpaca: z
      .object({
        /** Secret. APCA-API-KEY-ID. */
        apiKey: z.string().min(1).optional(),
        /** Secret. APCA-API-SECRET-KEY. */
        secretKey: z.string().min(1).optional(),
        /** REST base; unset = https://paper-api.alpaca.markets (paper) or https://api.alpaca.markets (live). */
        baseUrl: z.string().url().optional(),
        /** trade_updates WebSocket; unset = the base URL's host with wss:// and /stream. */
        streamUrl: z.string().url().optional(),
        /** Must be exactly I_UNDERSTAND for TRADING_MODE=live. */
        liveConfirm: z.string().min(1).optional(),
      })
      .prefault({}),
    /** The execution service (`quant api`): where it listens, what it accepts, and the global risk limits (fractions of equity). */
    api: z
      .object({
        /** Loopback by default: expose it on purpose (API_HOST=0.0.0.0). */
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(8080),
        /** Largest request body; a larger one is 413 before it is parsed. */
        bodyLimitBytes: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
        /** A signal whose timestamp is older than this is refused as stale (400 naming `timestamp`). */
        maxSignalAgeSeconds: z.coerce.number().int().min(1).default(300),
        /** A signal timestamp further than this in the future is refused (clock skew allowance). */
        maxFutureSkewSeconds: z.coerce.number().int().min(0).default(5),
        /** `nyse`: orders only in the regular NYSE session (New York time); `always`: a 24/7 test venue. */
        marketHours: z.enum(['nyse', 'always']).default('nyse'),
        allowShortSelling: bool.default(false),
        maxSinglePosition: z.coerce.number().gt(0).max(1).default(0.1),
        maxPortfolioRisk: z.coerce.number().gt(0).max(1).default(0.05),
        defaultStopLoss: z.coerce.number().gt(0).lt(1).default(0.02),
        maxCorrelation: z.coerce.number().min(-1).max(1).default(0.7),
        /** How often the risk cache reloads account, positions, prices, correlations, strategies and the halt flag. */
        refreshSeconds: z.coerce.number().min(0.1).default(5),
        /** How often the service reconciles its orders and positions with the broker's (it also does on start, before listening). */
        reconcileSeconds: z.coerce.number().min(0.1).default(60),
        /** Minimum time between two WebSocket frames to a client: events within it share a frame (bounds socket writes at any order rate). */
        wsFrameMs: z.coerce.number().int().min(0).max(1000).default(100),
        /**
         * Off the hot path, the venue's trade updates are booked into trading_orders/order_fills, and positions
         * mirrored into broker_positions, at most once per this window: updates within it share one statement.
         * Bounds those writes at any order rate (each is a database round trip competing with the hot path's two).
         */
        bookingBatchMs: z.coerce.number().int().min(0).max(5000).default(50),
        /** How long a verified API key is trusted before its row is read again: a revocation takes effect within it (0 = every request). */
        keyRecheckMs: z.coerce.number().int().min(0).max(60_000).default(1000),
      })
      .prefault({}),
    /** The local paper venue of the execution service (the default broker). */
    paper: z
      .object({
        /** Cash of a new paper account. */
        startingCash: z.coerce.number().positive().default(100_000),
        /** Quoted bid-ask spread in bps of the price; a market order pays half of it. */
        spreadBps: z.coerce.number().min(0).max(1000).default(5),
        /** Slippage in bps of the price on top of the half-spread (the cost model's market impact comes on top). */
        slippageBps: z.coerce.number().min(0).max(1000).default(2),
        /** Orders that arrive while the market is closed: queue until the open, or reject. */
        outsideHours: z.enum(['queue', 'reject']).default('queue'),
        /** `nyse`: regular NYSE sessions (09:30-16:00 America/New_York); `always`: a 24/7 test venue. */
        marketHours: z.enum(['nyse', 'always']).default('nyse'),
        /** The paper account's name: its orders, fills and cash are kept under it, so a restart resumes it. */
        account: z.string().min(1).max(64).default('default'),
      })
      .prefault({}),
    /** The intraday strategies (issue 14): their bars, their book and its hourly risk check. */
    strategies: z
      .object({
        /** Where intraday bars come from: the seeded synthetic market (default), Yahoo's chart endpoint, or a file (INTRADAY_FILE). */
        intradaySource: z.enum(['synthetic', 'yahoo', 'file']).default('synthetic'),
        intradayFile: z.string().min(1).optional(),
        /** The bars the strategies read (5-minute bars: one per signal cycle). */
        barInterval: z.enum(['1m', '5m', '15m']).default('5m'),
        /**
         * The strategies' own paper account (a venue name 'paper:<account>' in trading_orders): the paper venue
         * takes no lock, so the strategies never trade the account `quant api` holds in memory.
         */
        account: z.string().min(1).max(64).default('strategies'),
        /** Short sales in the strategies' book: pairs trading needs them (moving average and RSI never open one). */
        allowShortSelling: bool.default(true),
        /** Intraday bars older than this many days are deleted by the end of day. */
        retentionDays: z.coerce.number().int().min(1).default(30),
        /** Hourly risk check: drawdown of the day that warns, and that halts trading (critical). */
        maxDrawdown: z.coerce.number().gt(0).lt(1).default(0.03),
        criticalDrawdown: z.coerce.number().gt(0).lt(1).default(0.05),
        /** A position above this multiple of its cap (RISK_MAX_SINGLE_POSITION) is critical. */
        criticalPositionMultiple: z.coerce.number().gt(1).default(2),
        /** VaR 95 of the book's bar returns beyond this (a loss, negative) is a violation. */
        var95Limit: z.coerce.number().lt(0).gt(-1).default(-0.02),
        /** Place the mitigation orders a critical check proposes (default: propose only). */
        placeMitigations: bool.default(false),
      })
      .prefault({}),
    /** Temporal Schedules: a YAML file with `schedules: [...]` (helm mounts it); unset = none. */
    schedulesFile: z.string().min(1).optional(),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  })
  .superRefine((c, ctx) => {
    if (c.marketData.provider === 'polygon' && !c.marketData.polygonApiKey)
      ctx.addIssue({
        code: 'custom',
        path: ['marketData', 'polygonApiKey'],
        message: 'required when MARKET_DATA_PROVIDER=polygon: get a key at polygon.io (the free tier is enough)',
      });
    if (c.profile === 'cluster') {
      if (!c.postgres.url)
        ctx.addIssue({ code: 'custom', path: ['postgres', 'url'], message: 'required in the cluster profile (DATABASE_URL)' });
      if (!c.temporal.address)
        ctx.addIssue({ code: 'custom', path: ['temporal', 'address'], message: 'required in the cluster profile (TEMPORAL_ADDRESS)' });
    }
    const sdkPort = c.worker.sdkMetricsPort ?? c.worker.metricsPort + 1;
    if (sdkPort > 65535) {
      ctx.addIssue({
        code: 'custom',
        path: ['worker', 'sdkMetricsPort'],
        message: `METRICS_PORT ${c.worker.metricsPort} leaves no port for the SDK metrics (METRICS_PORT + 1 > 65535): set SDK_METRICS_PORT`,
      });
    } else if (sdkPort === c.worker.metricsPort) {
      ctx.addIssue({
        code: 'custom',
        path: ['worker', 'sdkMetricsPort'],
        message: `must differ from METRICS_PORT (${c.worker.metricsPort})`,
      });
    }
    if (c.objectStore.kind === 's3') {
      for (const k of ['endpoint', 'accessKeyId', 'secretAccessKey'] as const) {
        if (!c.objectStore[k])
          ctx.addIssue({
            code: 'custom',
            path: ['objectStore', k],
            message: `required when objectStore.kind is s3 (${ENV_NAMES[`objectStore.${k}`]})`,
          });
      }
    }
  });

export type Config = z.infer<typeof configSchema>;

/** The SDK metrics port in effect: SDK_METRICS_PORT, else METRICS_PORT + 1 (the schema checks it fits). */
export function sdkMetricsPort(config: Config): number {
  return config.worker.sdkMetricsPort ?? config.worker.metricsPort + 1;
}

/** Environment variable for each setting path. One table, used by the loader and the README. */
export const ENV_NAMES: Record<string, string> = {
  profile: 'QUANT_PROFILE',
  dataDir: 'QUANT_DATA_DIR',
  'temporal.address': 'TEMPORAL_ADDRESS',
  'temporal.namespace': 'TEMPORAL_NAMESPACE',
  'temporal.taskQueue': 'TEMPORAL_TASK_QUEUE',
  'temporal.port': 'TEMPORAL_PORT',
  'temporal.uiPort': 'TEMPORAL_UI_PORT',
  'temporal.uiUrl': 'TEMPORAL_UI_URL',
  'temporal.cliPath': 'TEMPORAL_CLI_PATH',
  'postgres.url': 'DATABASE_URL',
  'postgres.embeddedPort': 'EMBEDDED_PG_PORT',
  'objectStore.kind': 'OBJECT_STORE',
  'objectStore.bucket': 'S3_BUCKET',
  'objectStore.root': 'OBJECT_STORE_ROOT',
  'objectStore.endpoint': 'S3_ENDPOINT',
  'objectStore.region': 'S3_REGION',
  'objectStore.accessKeyId': 'S3_ACCESS_KEY_ID',
  'objectStore.secretAccessKey': 'S3_SECRET_ACCESS_KEY',
  'objectStore.forcePathStyle': 'S3_FORCE_PATH_STYLE',
  'worker.maxConcurrentActivities': 'WORKER_MAX_CONCURRENT_ACTIVITIES',
  'worker.maxConcurrentWorkflowTasks': 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
  'worker.maxCachedWorkflows': 'WORKER_MAX_CACHED_WORKFLOWS',
  'worker.workflowBundlePath': 'WORKFLOW_BUNDLE_PATH',
  'worker.metricsPort': 'METRICS_PORT',
  'worker.metricsHost': 'METRICS_HOST',
  'worker.sdkMetricsPort': 'SDK_METRICS_PORT',
  'worker.shutdownGraceSeconds': 'WORKER_SHUTDOWN_GRACE_SECONDS',
  'worker.retryOutageWindowSeconds': 'RETRY_OUTAGE_WINDOW_SECONDS',
  'fanout.maxConcurrentChildren': 'FANOUT_MAX_CONCURRENT_CHILDREN',
  'fanout.maxChildrenPerParent': 'FANOUT_MAX_CHILDREN_PER_PARENT',
  'fanout.defaultDataset': 'FANOUT_DATASET',
  'fanout.outputPrefix': 'FANOUT_OUTPUT_PREFIX',
  'fanout.thresholds': 'FANOUT_THRESHOLDS',
  'data.seed': 'QUANT_SEED',
  'marketData.provider': 'MARKET_DATA_PROVIDER',
  'marketData.filePath': 'MARKET_DATA_FILE',
  'marketData.yahooDelayMs': 'YAHOO_DELAY_MS',
  'marketData.yahooBaseUrl': 'YAHOO_BASE_URL',
  'marketData.polygonApiKey': 'POLYGON_API_KEY',
  'marketData.polygonBaseUrl': 'POLYGON_BASE_URL',
  'marketData.polygonPerMinute': 'POLYGON_PER_MINUTE',
  'marketData.staleAfterDays': 'STALE_AFTER_DAYS',
  'marketData.maxSpreadBps': 'MAX_SPREAD_BPS',
  'marketData.backfillChunkDays': 'BACKFILL_CHUNK_DAYS',
  'news.finnhubApiKey': 'FINNHUB_API_KEY',
  'news.marketauxApiKey': 'MARKETAUX_API_KEY',
  'news.finnhubBaseUrl': 'FINNHUB_BASE_URL',
  'news.marketauxBaseUrl': 'MARKETAUX_BASE_URL',
  'news.finnhubPerMinute': 'FINNHUB_PER_MINUTE',
  'sentiment.modelDir': 'SENTIMENT_MODEL_DIR',
  'signals.technicalWeight': 'SIGNAL_TECHNICAL_WEIGHT',
  'signals.fundamentalWeight': 'SIGNAL_FUNDAMENTAL_WEIGHT',
  'signals.sentimentWeight': 'SIGNAL_SENTIMENT_WEIGHT',
  'portfolio.initialCapital': 'PORTFOLIO_INITIAL_CAPITAL',
  'portfolio.paperTrading': 'PAPER_TRADING',
  'portfolio.minTradeValue': 'MIN_TRADE_VALUE',
  'portfolio.rebalanceFrequency': 'REBALANCE_FREQUENCY',
  'portfolio.rebalanceBandAbsolute': 'REBALANCE_BAND_ABS',
  'portfolio.rebalanceBandRelative': 'REBALANCE_BAND_REL',
  'models.holdingDays': 'MODELS_HOLDING_DAYS',
  'models.riskFreeRate': 'MODELS_RISK_FREE_RATE',
  'models.lookbackDays': 'MODELS_LOOKBACK_DAYS',
  'models.underperformSharpe': 'MODELS_UNDERPERFORM_SHARPE',
  'models.underperformDays': 'MODELS_UNDERPERFORM_DAYS',
  'models.maxDrawdown': 'MODELS_MAX_DRAWDOWN',
  'monitoring.windowDays': 'MONITOR_WINDOW_DAYS',
  'monitoring.riskFreeRate': 'MONITOR_RISK_FREE_RATE',
  'screening.riskFreeRate': 'SCREEN_RISK_FREE_RATE',
  'monitoring.maxDrawdown': 'MONITOR_MAX_DRAWDOWN',
  'monitoring.maxPositionWeight': 'MONITOR_MAX_POSITION_WEIGHT',
  'monitoring.maxVar95': 'MONITOR_MAX_VAR95',
  'monitoring.maxUnrealizedLoss': 'MONITOR_MAX_UNREALIZED_LOSS',
  'backtest.lookbackDays': 'BACKTEST_LOOKBACK_DAYS',
  'alerts.webhookUrl': 'ALERT_WEBHOOK_URL',
  'tracking.mlflowUri': 'MLFLOW_TRACKING_URI',
  'tracking.mlflowToken': 'MLFLOW_TRACKING_TOKEN',
  'tracking.mlflowUsername': 'MLFLOW_TRACKING_USERNAME',
  'tracking.mlflowPassword': 'MLFLOW_TRACKING_PASSWORD',
  'tracking.mlflowMaxConcurrentRequests': 'MLFLOW_MAX_CONCURRENT_REQUESTS',
  'broker.kind': 'BROKER',
  'broker.tradingMode': 'TRADING_MODE',
  'alpaca.apiKey': 'ALPACA_API_KEY',
  'alpaca.secretKey': 'ALPACA_SECRET_KEY',
  'alpaca.baseUrl': 'ALPACA_BASE_URL',
  'alpaca.streamUrl': 'ALPACA_STREAM_URL',
  'alpaca.liveConfirm': 'ALPACA_LIVE_CONFIRM',
  'api.host': 'API_HOST',
  'api.port': 'API_PORT',
  'api.bodyLimitBytes': 'API_BODY_LIMIT_BYTES',
  'api.maxSignalAgeSeconds': 'API_MAX_SIGNAL_AGE_SECONDS',
  'api.maxFutureSkewSeconds': 'API_MAX_FUTURE_SKEW_SECONDS',
  'api.marketHours': 'API_MARKET_HOURS',
  'api.allowShortSelling': 'API_ALLOW_SHORT_SELLING',
  'api.maxSinglePosition': 'RISK_MAX_SINGLE_POSITION',
  'api.maxPortfolioRisk': 'RISK_MAX_PORTFOLIO_RISK',
  'api.defaultStopLoss': 'RISK_DEFAULT_STOP_LOSS',
  'api.maxCorrelation': 'RISK_MAX_CORRELATION',
  'api.refreshSeconds': 'API_REFRESH_SECONDS',
  'api.reconcileSeconds': 'API_RECONCILE_SECONDS',
  'api.wsFrameMs': 'API_WS_FRAME_MS',
  'api.bookingBatchMs': 'API_BOOKING_BATCH_MS',
  'api.keyRecheckMs': 'API_KEY_RECHECK_MS',
  'paper.startingCash': 'PAPER_STARTING_CASH',
  'paper.spreadBps': 'PAPER_SPREAD_BPS',
  'paper.slippageBps': 'PAPER_SLIPPAGE_BPS',
  'paper.outsideHours': 'PAPER_OUTSIDE_HOURS',
  'paper.marketHours': 'PAPER_MARKET_HOURS',
  'paper.account': 'PAPER_ACCOUNT',
  'strategies.intradaySource': 'INTRADAY_SOURCE',
  'strategies.intradayFile': 'INTRADAY_FILE',
  'strategies.barInterval': 'STRATEGIES_BAR_INTERVAL',
  'strategies.account': 'STRATEGIES_PAPER_ACCOUNT',
  'strategies.allowShortSelling': 'STRATEGIES_ALLOW_SHORT_SELLING',
  'strategies.retentionDays': 'INTRADAY_RETENTION_DAYS',
  'strategies.maxDrawdown': 'RISK_MAX_DRAWDOWN',
  'strategies.criticalDrawdown': 'RISK_CRITICAL_DRAWDOWN',
  'strategies.criticalPositionMultiple': 'RISK_CRITICAL_POSITION_MULTIPLE',
  'strategies.var95Limit': 'RISK_VAR95_LIMIT',
  'strategies.placeMitigations': 'PORTFOLIO_RISK_PLACE_MITIGATIONS',
  schedulesFile: 'QUANT_SCHEDULES_FILE',
  logLevel: 'LOG_LEVEL',
};

/** Settings whose values must never be printed or logged. */
export const SECRET_PATHS = new Set([
  'postgres.url',
  'objectStore.accessKeyId',
  'objectStore.secretAccessKey',
  'news.finnhubApiKey',
  'marketData.polygonApiKey',
  'news.marketauxApiKey',
  'alpaca.apiKey',
  'alpaca.secretKey',
  'alerts.webhookUrl',
  'tracking.mlflowToken',
  'tracking.mlflowUsername',
  'tracking.mlflowPassword',
]);
