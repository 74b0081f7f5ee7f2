/**
 * Activities of the intraday strategies (issue 14): `intradayData`'s fetch
 * and store, `strategySignals`' one activity per strategy and its execution
 * step, `portfolioRisk`'s check, `endOfDay`'s close, and a replayed day
 * (every 5-minute cycle in order, with the hourly checks, in one activity:
 * a day of cycles in seconds rather than one workflow per cycle). The steps
 * they share are in book-steps.ts, so a replayed cycle and a scheduled one
 * are the same code.
 */
import { createHash } from 'node:crypto';
import { createIntradayRepo } from '../../src/adapters/postgres/intraday-repo';
import { intradayUniverse } from '../../src/adapters/intraday/universe';
import { layout } from '../../src/adapters/layout';
import { writeIntradayParquet } from '../../src/adapters/intraday/parquet';
import type { DeskReportLine } from '../../src/api/strategy-desk';
import { liveBook, replayBook, type DeskBook } from '../../src/domain/strategy-book/books';
import { QuantError } from '../../src/domain/errors';
import { sessionBarStarts } from '../../src/domain/intraday-bars';
import { validateIntradayBars } from '../../src/domain/intraday-validation';
import { lastCloses, previousSession } from '../../src/domain/intraday-window';
import { quantile } from '../../src/domain/stats';
import { newYorkClock } from '../../src/domain/intraday-bars';
import { isTradingDay } from '../../src/domain/trading-calendar';
import { asActivityFailure } from '../support/failures';
import { heartbeat } from '../support/heartbeat';
import { createBookSteps, type CycleOutcome, type StrategyOutput } from './book-steps';
import type { StrategiesDeps } from './deps';

export type { StrategiesDeps };

/** Which book a run trades: the strategies' live paper account, or a replayed day's own account. */
export type BookRef = { kind: 'live' } | { kind: 'replay'; date: string; tag?: string };

/** A date the strategies cannot trade (weekend, holiday): not retryable. */
export class NoSessionError extends QuantError {
  readonly type = 'NoSession';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'NoSessionError';
  }
}

/** A live-book cycle or check at an instant that is not now: not retryable. */
export class LiveInstantError extends QuantError {
  readonly type = 'LiveInstantNotNow';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'LiveInstantError';
  }
}

export interface IntradayBarsInput {
  date: string;
  /** Epoch ms: only bars closed by then (a live run during the session); default the whole session. */
  until?: number;
}

export interface IntradayBarsResult {
  date: string;
  source: string;
  interval: string;
  stored: number;
  symbols: number;
  missing: string[];
  gaps: { symbol: string; missing: number }[];
  halted: { symbol: string; since: string }[];
  spikes: number;
  rejected: number;
  parquetKey: string | null;
}

export interface CycleInput {
  /** Epoch ms of the cycle (a bar close). */
  at: number;
  book: BookRef;
}

export interface RunStrategyInput extends CycleInput {
  strategy: string;
}

export interface ExecuteCycleInput extends CycleInput {
  outputs: StrategyOutput[];
}

export interface RiskCheckOutcome {
  at: string;
  book: string;
  equity: number;
  violations: { rule: string; severity: string; message: string }[];
  mitigations: { symbol: string; side: string; qty: number; reason: string }[];
  critical: boolean;
  halted: boolean;
  newlyHalted: boolean;
  correlationsRefreshed: number;
  reportKey: string;
}

export interface EndOfDayOutcome {
  date: string;
  book: string;
  pnl: number;
  strategies: {
    strategy: string;
    pnl: number;
    orders: number;
    successRate: number | null;
    sharpe: number | null;
    attribution: number | null;
  }[];
  orders: number;
  roundTrips: number;
  barsDeleted: number;
  reportKey: string;
}

export interface ReplayInput {
  date: string;
  /** Tells two replays of one day apart (their own accounts); default none. */
  tag?: string;
  /** Only these strategies (default every enabled one with a kind). */
  strategies?: string[];
}

export interface ReplayOutcome {
  date: string;
  book: string;
  cycles: number;
  /** The cycle this attempt started at (0, or where a lost worker's attempt was). */
  resumedAt: number;
  /** Signals the strategies made in this attempt's cycles. */
  signals: number;
  /** Signals stored under the book (every attempt), and of those, executed and rejected. */
  stored: number;
  executed: number;
  rejected: number;
  /** Pair trades not placed (a leg refused before either was sent), and legs flattened after the other was refused. */
  notPlaced: number;
  unwound: number;
  riskChecks: number;
  haltedAt: string | null;
  p95CycleMs: number;
  maxCycleMs: number;
  /** SHA-256 of the book's stored signals in key order (strategy, symbol, instant; outcome, side, qty, fill price): two replays of a day agree iff it does. */
  digest: string;
  /** The first 100 orders of this attempt (all of them are in trading_orders under the book's name). */
  orders: { strategy: string; symbol: string; side: string; qty: number; price: number | null; outcome: string }[];
  problems: string[];
}

const nullIfNaN = (x: number) => (Number.isFinite(x) ? x : null);
const sessionDateOf = (at: number) => newYorkClock(at).date;

export function createStrategiesActivities(deps: StrategiesDeps) {
  const steps = createBookSteps(deps);
  const cfg = deps.appConfig.strategies;
  const bars = createIntradayRepo(deps.tradingDb);

  const bookOf = (ref: BookRef): DeskBook =>
    ref.kind === 'live' ? liveBook(deps.appConfig.strategies.account) : replayBook(ref.date, ref.tag);

  /**
   * The live book trades the present only: its venue has seen today's prices, and marking it with a past
   * bar would trigger its resting orders at the prices of the past (a past instant is replayed instead).
   */
  function checkLiveInstant(ref: BookRef, at: number): void {
    const limitMs = deps.appConfig.api.maxSignalAgeSeconds * 1000;
    if (ref.kind === 'live' && Math.abs(Date.now() - at) > limitMs)
      throw new LiveInstantError(
        `the live book trades the present only: ${new Date(at).toISOString()} is ${Math.round(Math.abs(Date.now() - at) / 1000)} s from now, ` +
          `beyond API_MAX_SIGNAL_AGE_SECONDS (${limitMs / 1000}); replay that instant on its day's book instead`,
      );
  }

  function checkSession(date: string): void {
    if (!isTradingDay(date)) throw new NoSessionError(`${date} is not an NYSE trading day: no intraday session to trade`);
  }

  async function openDeskAt(ref: BookRef, at: number) {
    checkLiveInstant(ref, at);
    const date = sessionDateOf(at);
    const { window } = await steps.dayWindow(date, at);
    const prices = lastCloses(window, at);
    const desk = await deps.openDesk({ book: bookOf(ref), at, prices });
    return { desk, window, date, prices };
  }

  return {
    /** Fetch a session's bars from the provider, validate them, store them in Postgres (UPSERT) and Parquet. */
    async fetchIntradayBars(input: IntradayBarsInput): Promise<IntradayBarsResult> {
      return asActivityFailure(async () => {
        checkSession(input.date);
        const starts = sessionBarStarts(input.date, steps.interval);
        const from = starts[0]!;
        const to = Math.min(starts[starts.length - 1]! + steps.step, input.until ?? Infinity);
        const provider = deps.intradayProvider();
        const symbols = intradayUniverse();
        const fetched = await provider.fetchBars(symbols, from, to, steps.interval);
        heartbeat({ fetched: fetched.bars.length });
        const expected = starts.filter((s) => s + steps.step <= to);
        const v = validateIntradayBars(fetched.bars, symbols, expected);
        await bars.upsertBars(provider.name, steps.interval, v.kept);
        const parquetKey = v.kept.length ? layout.intradayBars(provider.name, input.date, steps.interval) : null;
        if (parquetKey) await writeIntradayParquet(deps.store, parquetKey, v.kept);
        return {
          date: input.date,
          source: provider.name,
          interval: steps.interval,
          stored: v.kept.length,
          symbols: new Set(v.kept.map((b) => b.symbol)).size,
          missing: [...new Set([...fetched.failures.map((f) => f.symbol), ...v.noBars])].sort(),
          gaps: v.gaps.map((g) => ({ symbol: g.symbol, missing: g.missing })),
          halted: v.halted.map((h) => ({ symbol: h.symbol, since: h.message })),
          spikes: v.spikes.length,
          rejected: v.rejected.length,
          parquetKey,
        };
      });
    },

    /** One strategy at one cycle instant: its signals and what it lacked. */
    async runCycleStrategy(input: RunStrategyInput): Promise<StrategyOutput> {
      return asActivityFailure(async () => {
        const date = sessionDateOf(input.at);
        checkSession(date);
        const { run, problems } = await steps.enabledStrategies([input.strategy]);
        const s = run[0];
        if (!s)
          return {
            strategy: input.strategy,
            kind: '-',
            signals: [],
            problems: problems.length ? problems : [`strategy ${input.strategy} is not enabled`],
          };
        const { window } = await steps.dayWindow(date, input.at);
        const positions = await steps.positionsAt(bookOf(input.book).name, input.at);
        const modelSignals = await steps.modelSignalsOf(s, previousSession(date));
        return steps.runStrategy(s, window, input.at, positions.get(s.row.name), modelSignals);
      });
    },

    /** The enabled strategies of a cycle (names), and the configs that could not be used. */
    async listCycleStrategies(): Promise<{ strategies: string[]; problems: string[] }> {
      return asActivityFailure(async () => {
        const { run, problems } = await steps.enabledStrategies();
        return { strategies: run.map((s) => s.row.name), problems };
      });
    },

    /** Validate, de-duplicate and place a cycle's signals through the execution service's path. */
    async executeCycleSignals(input: ExecuteCycleInput): Promise<CycleOutcome> {
      return asActivityFailure(async () => {
        const { desk, prices, window } = await openDeskAt(input.book, input.at);
        try {
          return await steps.executeCycle(desk, input.at, input.outputs, prices, steps.freshAt(window, input.at));
        } finally {
          await desk.close();
        }
      });
    },

    /** The hourly risk check of a book; a live check also refreshes the risk manager's correlation matrix. */
    async checkPortfolioRisk(input: CycleInput): Promise<RiskCheckOutcome> {
      return asActivityFailure(async () => {
        const { desk, window, date } = await openDeskAt(input.book, input.at);
        try {
          const refreshed = input.book.kind === 'live' ? await steps.refreshCorrelationMatrix(window, input.at, date) : 0;
          const r = await steps.checkRisk(desk, window, date, input.at);
          return {
            at: new Date(input.at).toISOString(),
            book: desk.book.name,
            equity: desk.equity(),
            violations: r.result.violations.map((v) => ({ rule: v.rule, severity: v.severity, message: v.message })),
            mitigations: r.result.mitigations,
            critical: r.result.critical,
            halted: r.halted,
            newlyHalted: r.newlyHalted,
            correlationsRefreshed: refreshed,
            reportKey: r.reportKey,
          };
        } finally {
          await desk.close();
        }
      });
    },

    /** The end of day of a book: P&L and analytics per strategy, report and chart, retention clean-up. */
    async closeTradingDay(input: { date: string; book: BookRef }): Promise<EndOfDayOutcome> {
      return asActivityFailure(async () => {
        checkSession(input.date);
        const starts = sessionBarStarts(input.date, steps.interval);
        const close = starts[starts.length - 1]! + steps.step;
        const { desk } = await openDeskAt(input.book, close);
        let equity: number;
        try {
          equity = desk.equity();
        } finally {
          await desk.close();
        }
        const { summary, reportKey, deleted } = await steps.closeDay(bookOf(input.book), input.date, equity);
        return {
          date: input.date,
          book: bookOf(input.book).name,
          pnl: summary.total.pnl,
          strategies: summary.strategies.map((s) => ({
            strategy: s.strategy,
            pnl: s.pnl,
            orders: s.orders,
            successRate: nullIfNaN(s.successRate),
            sharpe: nullIfNaN(s.sharpe),
            attribution: nullIfNaN(s.attribution),
          })),
          orders: summary.total.orders,
          roundTrips: summary.total.roundTrips,
          barsDeleted: deleted,
          reportKey,
        };
      });
    },

    /**
     * Replay a session: every cycle in order (a bar close from 09:35 to 16:00 New York time) on the stored
     * bars (fetched from the provider and stored first when the day has none), the hourly risk checks
     * between them, against the day's own paper account. A retry after a lost worker (or a re-run) resumes
     * where the book's clock stands: a signal already placed has its idempotency key stored, so it answers
     * from the stored order and nothing is placed twice.
     */
    async replayTradingDay(input: ReplayInput): Promise<ReplayOutcome> {
      return asActivityFailure(async () => {
        checkSession(input.date);
        const ref: BookRef = { kind: 'replay', date: input.date, ...(input.tag ? { tag: input.tag } : {}) };
        const book = bookOf(ref);
        const { window } = await steps.dayWindow(input.date);
        // A cycle at each bar close inside the session: 09:35 .. 15:55 (at 16:00 the venue takes no orders).
        const cycles = sessionBarStarts(input.date, steps.interval).slice(1);
        const { run, problems } = await steps.enabledStrategies(input.strategies);
        const previous = previousSession(input.date);
        const models = new Map(await Promise.all(run.map(async (s) => [s.row.name, await steps.modelSignalsOf(s, previous)] as const)));
        // A retry after a lost worker, or a re-run of a replayed day, resumes at the first cycle not done:
        // a cycle cut short answers its placed signals from their stored keys, and the cycles done stay as
        // they were. Never earlier: the venue has seen the later bars, and marking it with a past one would
        // trigger its resting orders at the prices of the past.
        const resume = await steps.replayProgress(book.name);
        const lines: DeskReportLine[] = [];
        const cycleMs: number[] = [];
        let riskChecks = 0;
        let haltedAt: string | null = null;
        const dataProblems = new Set<string>(problems);
        let signals = 0;
        if (resume < cycles.length) {
          const desk = await deps.openDesk({ book, at: cycles[resume]!, prices: lastCloses(window, cycles[resume]!) });
          try {
            for (let i = resume; i < cycles.length; i++) {
              const at = cycles[i]!;
              heartbeat({ cycle: i, of: cycles.length });
              const t0 = performance.now();
              const prices = lastCloses(window, at);
              await desk.mark(at, prices);
              if (newYorkClock(at).hhmm.endsWith(':00')) {
                riskChecks++;
                const r = await steps.checkRisk(desk, window, input.date, at);
                if (r.newlyHalted) haltedAt = new Date(at).toISOString();
              }
              const positions = await steps.positionsAt(book.name, at);
              const outputs = run.map((s) => steps.runStrategy(s, window, at, positions.get(s.row.name), models.get(s.row.name)));
              const outcome = await steps.executeCycle(desk, at, outputs, prices, steps.freshAt(window, at));
              signals += outcome.signals;
              for (const d of outcome.dropped) if (d.symbol === '-') dataProblems.add(`${d.strategy}: ${d.reason}`);
              lines.push(...outcome.lines);
              await steps.markCycleDone(book.name, i + 1, at);
              cycleMs.push(performance.now() - t0);
            }
          } finally {
            await desk.close();
          }
        }
        const rows = await steps.storedSignals(book.name);
        return {
          date: input.date,
          book: book.name,
          cycles: cycles.length,
          resumedAt: resume,
          signals,
          stored: rows.length,
          executed: rows.filter((x) => x.outcome === 'executed').length,
          rejected: rows.filter((x) => x.outcome === 'rejected').length,
          notPlaced: lines.filter((l) => l.outcome === 'not_placed').length,
          unwound: lines.filter((l) => l.outcome === 'unwound').length,
          riskChecks,
          haltedAt,
          p95CycleMs: cycleMs.length ? quantile(cycleMs, 0.95) : 0,
          maxCycleMs: cycleMs.length ? Math.max(...cycleMs) : 0,
          digest: createHash('sha256')
            .update(JSON.stringify(rows.map((x) => [x.key, x.outcome, x.side, x.qty, x.filledAvgPrice])))
            .digest('hex'),
          orders: lines
            .filter((l) => l.orderId !== null)
            .slice(0, 100)
            .map((l) => ({ strategy: l.strategy, symbol: l.symbol, side: l.side!, qty: l.qty!, price: l.fillPrice, outcome: l.outcome })),
          problems: [...dataProblems].sort(),
        };
      });
    },
  };
}
