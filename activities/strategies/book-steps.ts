/**
 * The pieces a signal cycle, the hourly risk check and the end of day share,
 * as plain functions over the strategies' deps: so the `strategySignals`
 * workflow's activities and a replayed day (one activity running every
 * cycle in order) run the same code. Each reads through adapters, computes
 * in src/domain and writes through adapters.
 */
import { createIntradayRepo } from '../../src/adapters/postgres/intraday-repo';
import { layout } from '../../src/adapters/layout';
import { createModelRepo } from '../../src/adapters/postgres/model-repo';
import type { Alert } from '../../src/adapters/notify/types';
import { createStrategyBookRepo } from '../../src/adapters/postgres/strategy-book-repo';
import { createStrategyRepo, type StrategyRow } from '../../src/adapters/postgres/strategy-repo';
import { createRiskStore } from '../../src/adapters/trading/risk-store';
import type { DeskReportLine, StrategyDesk } from '../../src/api/strategy-desk';
import type { DeskBook } from '../../src/domain/strategy-book/books';
import { pairCorrelations } from '../../src/domain/correlations';
import { parseIsoDate } from '../../src/domain/dates';
import { ModelRegistrationError } from '../../src/config/model-kinds';
import { errorMessage } from '../../src/domain/errors';
import { isCrossRegistered } from '../../src/domain/strategies/daily-bars';
import { barsPerSession, sessionBarStarts } from '../../src/domain/intraday-bars';
import { barsClosedBy, barWindow, lastCloses, previousSession, type BarWindow } from '../../src/domain/intraday-window';
import { prepareCycleSignals, type CycleSignal } from '../../src/domain/strategies/cycle';
import { pairDataProblems, type PairsConfig } from '../../src/domain/strategies/pairs-trading';
import { strategyOf, parseStrategyConfig } from '../../src/domain/strategies/registry';
import {
  BAR_INTERVAL_MS,
  type IntradayBar,
  type IntradayStrategy,
  type ModelSignalInput,
  type StrategyInputs,
  type StrategyPosition,
  type StrategySignal,
} from '../../src/domain/strategies/types';
import { ledgersAsOf, pnlCurves, type BookFill } from '../../src/domain/strategy-book/book';
import { summarizeDay, type DaySummary } from '../../src/domain/strategy-book/day-summary';
import { checkBookRisk, type RiskCheckResult } from '../../src/domain/strategy-book/risk-check';
import { renderBookRiskReport } from '../../src/reports/book-risk-report';
import { renderStrategyDayChart, renderStrategyDayReport } from '../../src/reports/strategy-day-report';
import { intradayUniverse } from '../../src/adapters/intraday/universe';
import type { StrategiesDeps } from './deps';

/** A strategy the cycle runs: its stored row, its parsed config and the model version of that config. */
export interface CycleStrategy {
  row: StrategyRow;
  config: unknown;
  /** `name@version` of the registered model of this config; absent for a kind that is not one (modelSignals names its model per signal). */
  model?: string;
}

export interface StrategyOutput {
  strategy: string;
  kind: string;
  signals: StrategySignal[];
  /** Data it lacked (a pair leg without bars), a config it could not use. */
  problems: string[];
  /** `name@version` its signals are traced to (absent in outputs recorded before strategies were models). */
  model?: string;
}

export interface CycleOutcome {
  at: string;
  signals: number;
  dropped: { strategy: string; symbol: string; reason: string }[];
  lines: DeskReportLine[];
  halted: boolean;
}

export function createBookSteps(deps: StrategiesDeps) {
  const cfg = deps.appConfig.strategies;
  const interval = cfg.barInterval;
  const step = BAR_INTERVAL_MS[interval];
  const bars = createIntradayRepo(deps.tradingDb);
  const book = createStrategyBookRepo(deps.tradingDb);
  const strategies = createStrategyRepo(deps.tradingDb);
  const risk = createRiskStore(deps.tradingDb);
  const models = createModelRepo(deps.tradingDb);

  /**
   * The enabled strategies that have a kind (a row without one is external: its signals come over HTTP). Every cycle
   * path reads its strategies here, so this is where a strategy of a cross-registered kind gets the model version of
   * its current config, registered first when its params changed since the last registration (an unchanged config is
   * a no-op): its signals carry that version. A strategy whose model is refused (a name that is not a model name, a
   * model of another kind under the name) does not run: its signals could not be traced to a model version.
   */
  async function enabledStrategies(only?: readonly string[]): Promise<{ run: CycleStrategy[]; problems: string[] }> {
    const rows = (await strategies.list()).filter((r) => r.enabled && r.kind !== null && (!only || only.includes(r.name)));
    const run: CycleStrategy[] = [];
    const problems: string[] = [];
    for (const row of rows) {
      let config: unknown;
      try {
        config = parseStrategyConfig(row.name, row.kind!, row.params);
      } catch (err) {
        problems.push(errorMessage(err));
        continue;
      }
      if (!isCrossRegistered(row.kind)) {
        run.push({ row, config });
        continue;
      }
      try {
        const { model } = await models.registerStrategy(row);
        run.push({ row, config, model: `${model.name}@${model.version}` });
      } catch (err) {
        if (!(err instanceof ModelRegistrationError)) throw err;
        problems.push(`strategy "${row.name}" not run: its model cannot be registered: ${err.message}`);
      }
    }
    return { run, problems };
  }

  /**
   * The bars of `date` and of the session before it (warm-up), from the store; a day not stored yet is
   * fetched from the provider and stored first (up to `until`, for a live cycle). Returns the window.
   */
  async function dayWindow(date: string, until?: number): Promise<{ window: BarWindow; fetched: number }> {
    const symbols = intradayUniverse();
    const sessions = [previousSession(date), date].map((d) => {
      const starts = sessionBarStarts(d, interval);
      return { date: d, from: starts[0]!, to: Math.min(starts[starts.length - 1]! + step, until ?? Infinity) };
    });
    const read = () => bars.barsBetween(symbols, sessions[0]!.from, sessions[1]!.to, interval);
    let list = await read();
    let fetched = 0;
    for (const s of sessions) {
      if (s.to > s.from && !list.some((b) => b.ts >= s.from && b.ts < s.to)) fetched += await storeFetched(s.from, s.to);
    }
    if (fetched > 0) list = await read();
    return { window: barWindow(list, interval), fetched };
  }

  async function storeFetched(from: number, to: number): Promise<number> {
    const provider = deps.intradayProvider();
    const r = await provider.fetchBars(intradayUniverse(), from, to, interval);
    await bars.upsertBars(provider.name, interval, r.bars);
    return r.bars.length;
  }

  /** Each strategy's own positions at `at`, rebuilt from the book's fills (what was held then, even on a re-run). */
  async function positionsAt(bookName: string, at: number): Promise<Map<string, Map<string, StrategyPosition>>> {
    const ledgers = ledgersAsOf(await book.fills(bookName, at), at);
    return new Map([...ledgers].map(([s, l]) => [s, l.positions as Map<string, StrategyPosition>]));
  }

  async function modelSignalsOf(s: CycleStrategy, date: string): Promise<Map<string, ModelSignalInput> | undefined> {
    if (s.row.kind !== 'modelSignals') return undefined;
    return book.latestModelSignals((s.config as { model: string }).model, date);
  }

  /** One strategy at one instant: pure, on bars already in memory. */
  function runStrategy(
    s: CycleStrategy,
    window: BarWindow,
    at: number,
    positions: ReadonlyMap<string, StrategyPosition> | undefined,
    modelSignals: ReadonlyMap<string, ModelSignalInput> | undefined,
  ): StrategyOutput {
    const strategy: IntradayStrategy<unknown> = strategyOf(s.row.name, s.row.kind!);
    const keep = strategy.warmupBars(s.config) + 1;
    const inputs = {
      at,
      bars: barsClosedBy(window, at, keep),
      positions: positions ?? new Map(),
      config: s.config,
      ...(modelSignals ? { modelSignals } : {}),
    };
    const problems = s.row.kind === 'pairsTrading' ? pairDataProblems(inputs as StrategyInputs<PairsConfig>) : [];
    return { strategy: s.row.name, kind: s.row.kind!, signals: strategy.signals(inputs), problems, ...(s.model ? { model: s.model } : {}) };
  }

  /** Validate, de-duplicate and key the strategies' signals, then place them through the desk. */
  async function executeCycle(
    desk: StrategyDesk,
    at: number,
    outputs: readonly StrategyOutput[],
    prices: ReadonlyMap<string, number>,
    freshSymbols: ReadonlySet<string>,
  ): Promise<CycleOutcome> {
    // Only symbols whose bar closed at this instant are tradable now: a symbol halted mid-day (no bars since)
    // keeps its last price on the venue, but a signal on it would act on stale data.
    const fresh = new Map([...prices].filter(([symbol]) => freshSymbols.has(symbol)));
    const prepared = prepareCycleSignals(at, outputs, fresh);
    const stale = [...new Set(outputs.flatMap((o) => o.signals.map((x) => x.symbol)).filter((x) => prices.has(x) && !freshSymbols.has(x)))];
    // The key carries the book: the same instant replayed into another book is another signal.
    const keyed: CycleSignal[] = prepared.accepted.map((s) => ({ ...s, idempotencyKey: `${desk.book.name}|${s.idempotencyKey}` }));
    const lines = await desk.submit(keyed);
    return {
      at: new Date(at).toISOString(),
      signals: prepared.accepted.length,
      dropped: [
        ...prepared.dropped.map((d) => ({ strategy: d.strategy, symbol: d.symbol, reason: d.reason })),
        ...stale.map((symbol) => ({
          strategy: '-',
          symbol,
          reason: `${symbol} has no bar closing at ${new Date(at).toISOString()} (halted or missing): its signals are not placed`,
        })),
        ...outputs.flatMap((o) => o.problems.map((p) => ({ strategy: o.strategy, symbol: '-', reason: p }))),
      ],
      lines,
      halted: desk.halted().halted,
    };
  }

  /** Symbols whose latest bar closes exactly at `at`. */
  function freshAt(window: BarWindow, at: number): Set<string> {
    const out = new Set<string>();
    for (const [symbol, list] of window.bySymbol) if (list.some((b) => b.ts + step === at)) out.add(symbol);
    return out;
  }

  /** The book's equity at each bar close of the day up to `at` (its P&L path from the previous close). */
  async function equityCurve(desk: StrategyDesk, window: BarWindow, date: string, at: number): Promise<number[]> {
    const fills = await book.fills(desk.book.name, at);
    const closes = sessionBarStarts(date, interval)
      .map((s) => s + step)
      .filter((t) => t <= at);
    const marks = [sessionBarStarts(date, interval)[0]!, ...closes].map((t) => ({ at: t, prices: lastCloses(window, t) }));
    const { total } = pnlCurves(fills, marks);
    const now = desk.equity();
    const last = total[total.length - 1] ?? 0;
    return total.map((v) => now - last + v);
  }

  /**
   * The hourly risk check of a book at `at`: measure, store, alert, and halt on a critical violation.
   * Mitigation orders are proposed; placed only with PORTFOLIO_RISK_PLACE_MITIGATIONS.
   */
  async function checkRisk(
    desk: StrategyDesk,
    window: BarWindow,
    date: string,
    at: number,
  ): Promise<{ result: RiskCheckResult; halted: boolean; newlyHalted: boolean; reportKey: string; placed: DeskReportLine[] }> {
    const positions = desk.positions().filter((p) => p.qty !== 0);
    const held = positions.map((p) => p.symbol).sort();
    const closes = barsClosedBy(window, at);
    const series = held.flatMap((symbol) =>
      (closes.get(symbol) ?? []).map((b) => ({ symbol, date: new Date(b.ts).toISOString(), close: b.close })),
    );
    const correlations = pairCorrelations(series, { window: 2 * barsPerSession(interval), minObservations: 20 }).map((c) => ({
      a: c.symbolA,
      b: c.symbolB,
      correlation: c.correlation,
    }));
    const limits = deps.appConfig.api;
    const result = checkBookRisk({
      positions,
      equity: desk.equity(),
      equityCurve: await equityCurve(desk, window, date, at),
      correlations,
      limits: {
        maxSinglePosition: limits.maxSinglePosition,
        criticalPositionMultiple: cfg.criticalPositionMultiple,
        maxCorrelation: limits.maxCorrelation,
        var95Limit: cfg.var95Limit,
        maxDrawdown: cfg.maxDrawdown,
        criticalDrawdown: cfg.criticalDrawdown,
      },
    });
    const wasHalted = desk.halted().halted;
    if (result.critical && !wasHalted) {
      const first = result.violations.find((v) => v.severity === 'critical')!;
      await desk.halt(`risk check at ${new Date(at).toISOString()}: ${first.message}`);
    }
    const placed: DeskReportLine[] = [];
    if (result.critical && cfg.placeMitigations) {
      // Mitigations reduce positions, which the risk manager lets through even a halt's sizing rules; the
      // halt itself still refuses them, so they are placed only where the book is not halted (configured on purpose).
      for (const m of result.mitigations) {
        placed.push(
          await desk.submitOne({
            strategy: 'risk_mitigation',
            symbol: m.symbol,
            action: m.side === 'buy' ? 'BUY' : 'SELL',
            confidence: 1,
            reason: m.reason,
            quantity: m.qty,
            idempotencyKey: `${desk.book.name}|mitigation:${m.symbol}:${new Date(at).toISOString()}`,
            signalTs: new Date(at).toISOString(),
          }),
        );
      }
    }
    const halted = desk.halted().halted;
    const reportKey = layout.report(
      'portfolioRisk',
      parseIsoDate(date),
      `portfolio-risk-${desk.book.name.replace(/[:]/g, '_')}-${new Date(at).toISOString().slice(11, 16).replace(':', '')}`,
    );
    await deps.store.put(
      reportKey,
      renderBookRiskReport({
        book: desk.book.name,
        at: new Date(at).toISOString(),
        equity: desk.equity(),
        result,
        halted,
        placed: placed.length,
      }),
      { contentType: 'text/markdown' },
    );
    await book.saveRiskCheck(desk.book.name, at, desk.equity(), result, halted, reportKey);
    if (result.violations.length > 0) {
      const alerts: Alert[] = result.violations.map((v) => ({
        severity: v.severity,
        source: 'portfolioRisk',
        at: new Date(at).toISOString(),
        message: `${desk.book.name}: ${v.message}`,
        details: { rule: v.rule, value: v.value, limit: v.limit, symbol: v.symbol, halted },
      }));
      await deps.notifier.notify(alerts);
    }
    return { result, halted, newlyHalted: halted && !wasHalted, reportKey, placed };
  }

  /** Refresh symbol_correlations (the risk manager's cached matrix) from the day's bar returns of every symbol. */
  async function refreshCorrelationMatrix(window: BarWindow, at: number, date: string): Promise<number> {
    const series = [...barsClosedBy(window, at)].flatMap(([symbol, list]) =>
      list.map((b: IntradayBar) => ({ symbol, date: new Date(b.ts).toISOString(), close: b.close })),
    );
    const pairs = pairCorrelations(series, { window: 2 * barsPerSession(interval), minObservations: 20 });
    return risk.upsertCorrelations(pairs, date);
  }

  /** The end of day of a book: summary, report with chart, stored results, alerts, retention clean-up. */
  async function closeDay(
    bookDesk: DeskBook,
    date: string,
    equityAtClose: number,
  ): Promise<{ summary: DaySummary; reportKey: string; deleted: number }> {
    const starts = sessionBarStarts(date, interval);
    const open = starts[0]!;
    const close = starts[starts.length - 1]! + step;
    const { window } = await dayWindow(date);
    const fills = await book.fills(bookDesk.name, close);
    const marks = [open, ...starts.map((s) => s + step)].map((t) => ({ at: t, prices: lastCloses(window, t) }));
    const orders = await book.orders(bookDesk.name, open - 60 * 60_000, close + 60 * 60_000);
    const summary = summarizeDay(fills, marks, orders, barsPerSession(interval));
    // The chart starts from the previous close's equity: the close's less the day's P&L.
    const startEquity = equityAtClose - summary.total.pnl;
    const cutoff = Date.parse(`${date}T00:00:00Z`) - cfg.retentionDays * 86_400_000;
    const deleted = await bars.deleteOlderThan(cutoff);
    const checks = await book.riskChecksBetween(bookDesk.name, open, close + 60 * 60_000);
    const day = parseIsoDate(date);
    const tag = bookDesk.name.replace(/[:]/g, '_');
    const chartFile = `end-of-day-${tag}.svg`;
    const reportKey = layout.report('endOfDay', day, `end-of-day-${tag}`);
    await deps.store.put(
      layout.reportAsset('endOfDay', day, chartFile),
      renderStrategyDayChart({ date, book: bookDesk.name, summary, startEquity }),
      {
        contentType: 'image/svg+xml',
      },
    );
    await deps.store.put(
      reportKey,
      renderStrategyDayReport({
        date,
        book: bookDesk.name,
        summary,
        startEquity,
        riskChecks: checks,
        retention: { cutoff: new Date(cutoff).toISOString().slice(0, 10), deleted },
        chartFile,
      }),
      { contentType: 'text/markdown' },
    );
    await book.saveDayResults(bookDesk.name, date, [...summary.strategies, { strategy: '*', ...summary.total }], reportKey);
    const alerts: Alert[] = [];
    if (summary.total.pnl < -cfg.maxDrawdown * startEquity)
      alerts.push({
        severity: 'warning',
        source: 'endOfDay',
        at: date,
        message: `${bookDesk.name}: the day lost ${(-summary.total.pnl).toFixed(2)}, beyond ${(cfg.maxDrawdown * 100).toFixed(1)} % of equity`,
        details: { pnl: summary.total.pnl, startEquity },
      });
    const halts = checks.filter((c) => c.halted).length;
    if (halts > 0)
      alerts.push({
        severity: 'critical',
        source: 'endOfDay',
        at: date,
        message: `${bookDesk.name}: trading was halted by the risk check today`,
        details: { checks: halts },
      });
    if (alerts.length) await deps.notifier.notify(alerts);
    return { summary, reportKey, deleted };
  }

  const storedSignals = (bookName: string) => book.storedSignals(bookName);
  const replayProgress = (bookName: string) => book.replayProgress(bookName);
  const markCycleDone = (bookName: string, done: number, at: number) => book.markCycleDone(bookName, done, at);

  return {
    replayProgress,
    markCycleDone,
    storedSignals,
    freshAt,
    enabledStrategies,
    dayWindow,
    positionsAt,
    modelSignalsOf,
    runStrategy,
    executeCycle,
    checkRisk,
    refreshCorrelationMatrix,
    closeDay,
    interval,
    step,
  };
}

export type BookSteps = ReturnType<typeof createBookSteps>;
